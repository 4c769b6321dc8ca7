"""An article page read with a profile's selectors → `ArticleItem` (`extraction="profile"`).

Pure: profile, HTML and URL in, item out. The page holds no article for this profile when its
title or body selector finds nothing; the spider may then try the generic extractor.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree

from newscrawl.body import clean_body
from newscrawl.dates import parse_day
from newscrawl.document import parse_html
from newscrawl.items import ArticleItem, RelatedPost
from newscrawl.profiles.loader import AUTO, Profile, RelatedSelectors
from newscrawl.profiles.selectors import Selector
from newscrawl.profiles.urls import canonical_post_url, is_post_url, post_id

_CANONICAL = etree.XPath(
    "//head/link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"
    " | //head/meta[@property='og:url']/@content"
)
_NUMBER = re.compile(r"\d[\d,.]*")


def parse_article(profile: Profile, html: str, url: str) -> ArticleItem | None:
    """The post on `url` read with `profile`, or `None` when its title or body is missing."""
    root = parse_html(html).root
    selectors = profile.article
    title = selectors.title.text(root)
    containers = selectors.body.elements(root)
    if not title or not containers:
        return None
    body = clean_body(containers[0], url, tuple(s.source for s in selectors.remove))
    canonical = _canonical_url(profile, root, url)
    return ArticleItem(
        id=canonical,
        url=canonical,
        site=urlsplit(canonical).netloc.lower(),
        platform=profile.name,
        post_id=post_id(profile, canonical),
        title=title,
        author=_text(selectors.author, root),
        category=_texts(selectors.category, root),
        tags=[tag.lstrip("#") for tag in _texts(selectors.tags, root)],
        published_raw=_text(selectors.date, root),
        modified_raw=_text(selectors.modified, root),
        comment_count=_count(_text(selectors.comment_count, root)),
        related=_related(profile.related, root, canonical) if profile.related else [],
        **body.item_fields(),
        extraction="profile",
    )


def _canonical_url(profile: Profile, root: etree._Element, url: str) -> str:
    """The page's canonical link when it is a post URL of the profile, else the fetch URL's
    canonical form (a canonical pointing at the home page must not become the post's id)."""
    for href in _CANONICAL(root):
        candidate = urljoin(url, str(href).strip())
        if is_post_url(profile, candidate):
            return canonical_post_url(profile, candidate)
    return canonical_post_url(profile, url)


def _related(selectors: RelatedSelectors, root: etree._Element, page_url: str) -> list[RelatedPost]:
    """One `RelatedPost` per row that has a title and a link; the page's own row left out."""
    rows = []
    for row in selectors.row.elements(root):
        title, links = selectors.title.text(row), selectors.link.links(row)
        if not title or not links:
            continue
        url = urljoin(page_url, links[0])
        if url.rstrip("/") == page_url.rstrip("/"):
            continue
        date, count = _text(selectors.date, row), _text(selectors.comment_count, row)
        rows.append(
            RelatedPost(
                title=title,
                url=url,
                comment_count=_count(count) or 0,
                published_at=_day(date, selectors.date_format),
            )
        )
    return rows


def _day(text: str | None, fmt: str) -> str | None:
    """A related row's date as `YYYY-MM-DD` (rows show a day: no time is invented)."""
    if not text:
        return None
    if fmt == AUTO:
        return parse_day(text)
    try:
        return datetime.strptime(text, fmt).date().isoformat()
    except ValueError:
        return None


def _count(text: str | None) -> int | None:
    """The first number in a comment counter (`12 comments`, `댓글 3`), or `None`."""
    match = _NUMBER.search(text or "")
    return int(re.sub(r"\D", "", match.group(0))) if match else None


def _text(selector: Selector | None, scope: etree._Element) -> str | None:
    """An optional field: the first match's text, `None` when the profile omits the field."""
    return selector.text(scope) if selector is not None else None


def _texts(selector: Selector | None, scope: etree._Element) -> list[str]:
    """A list field (categories, tags): every match once, in page order."""
    return list(dict.fromkeys(selector.texts(scope))) if selector is not None else []
