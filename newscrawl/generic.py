"""The generic extractor: an article from a page no parser or profile knows.

Body via trafilatura (its HTML output, then cleaned by `newscrawl.body` like every platform's
body, so text, paragraphs, images and the content hash follow the same rules) and date via
htmldate: maintained libraries evaluated on thousands of pages, not home-made heuristics.
Items say `extraction="generic"`, so an archive can weigh them.

Dates: htmldate reads markup only here (`extensive_search=False`: meta, `<time>`, JSON-LD,
URL). Its text scan guessed a time from a sidebar on a real page and costs half a second on
large ones; an archive wants `null` rather than a wrong date. htmldate writes a day without a
time as midnight with no offset; that is kept as the day alone (`2019-10-15`), which the date
pipeline leaves as no instant on a generic item. A date with a time and an offset is exact.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import htmldate
import trafilatura
from lxml import etree

from newscrawl.body import clean_body
from newscrawl.document import parse_html
from newscrawl.items import ArticleItem
from newscrawl.text import collapse_whitespace

PLATFORM = "generic"
MIN_BODY_CHARS = 200  # less is a teaser, an error page or a listing's blurb, not a post
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_DAY_ONLY = re.compile(r"^(\d{4}-\d\d-\d\d)T00:00:00$")
_OFFSET = re.compile(r"([+-]\d\d)(\d\d)$")
_CANONICAL = etree.XPath(
    "//head/link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"
    " | //head/meta[@property='og:url']/@content"
)
# Signs that a page is one post (not a home page or listing) in the markup of unknown sites.
_ARTICLE_SIGNS = etree.XPath(
    "//head/meta[@property='og:type'][@content='article']"
    " | //head/meta[@property='article:published_time']"
    " | //script[@type='application/ld+json'][contains(., 'Posting') or contains(., 'Article')]"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' h-entry ')]"
)
_ARTICLES = etree.XPath("//article")


def extract(html: str, url: str, platform: str = PLATFORM) -> ArticleItem | None:
    """The post on a page as trafilatura and htmldate read it, or `None` when the page has no
    titled text of `MIN_BODY_CHARS`. `platform` names the detected platform whose own parser
    gave up, else `generic`."""
    body_html = trafilatura.extract(
        html,
        url=url,
        output_format="html",
        include_comments=False,
        include_images=True,
        include_links=True,
        include_tables=True,
    )
    if not body_html:
        return None
    container = parse_html(body_html).root.find("body")
    if container is None:
        return None
    body = clean_body(container, url)
    metadata = trafilatura.extract_metadata(html, default_url=url)
    title = collapse_whitespace(metadata.title or "") if metadata else ""
    if not title or len(body.text) < MIN_BODY_CHARS:
        return None
    canonical = canonical_url(html, url)
    return ArticleItem(
        id=canonical,
        url=canonical,
        site=urlsplit(canonical).netloc.lower(),
        platform=platform,
        post_id=None,
        title=title,
        author=collapse_whitespace(metadata.author or "") or None,
        category=_labels(metadata.categories),
        tags=_labels(metadata.tags),
        published_raw=find_date(html, url),
        **body.item_fields(),
        extraction="generic",
    )


def find_date(html: str, url: str) -> str | None:
    """htmldate's publication date: exact with its offset, or the day alone (see module)."""
    found = htmldate.find_date(
        html, outputformat=DATE_FORMAT, original_date=True, extensive_search=False, url=url
    )
    if not found:
        return None
    if day := _DAY_ONLY.match(found):
        return day.group(1)
    return _OFFSET.sub(r"\1:\2", found)  # `+0000` → `+00:00`: ISO 8601 extended, like the rest


def canonical_url(html: str, url: str) -> str:
    """`link[rel=canonical]`/`og:url` when it stays on the page's site, else the fetch URL
    without its fragment. A repost's canonical names the original blog: that post is not this
    one, and taking its URL would file this page under another site."""
    root = parse_html(html).root
    for href in _CANONICAL(root):
        candidate = urljoin(url, str(href).strip()).split("#")[0]
        same_site = urlsplit(candidate).netloc.lower() == urlsplit(url).netloc.lower()
        if candidate.startswith(("http://", "https://")) and same_site:
            return candidate
    return url.split("#")[0]


def is_article_page(html: str, url: str) -> bool:
    """True when an unknown site's page shows one post: post metadata (`og:type=article`,
    `article:published_time`, a JSON-LD posting, an h-entry) or exactly one `<article>`.
    A site root never is: it lists posts."""
    if urlsplit(url).path in {"", "/"}:
        return False
    root = parse_html(html).root
    return bool(_ARTICLE_SIGNS(root)) or len(_ARTICLES(root)) == 1


def _labels(values: list[str] | None) -> list[str]:
    """Categories or tags, one label each: meta keywords come as one comma-joined string."""
    labels = (collapse_whitespace(part) for value in values or [] for part in value.split(","))
    return list(dict.fromkeys(label for label in labels if label))
