"""WordPress article page → `ArticleItem`, and the body cleaning REST items share.

The body is the theme's content container (`entry-content` on nearly every theme), rebuilt as
a bare `<div class="entry-content">` around the same content before cleaning, so the page's
body and the REST API's `content.rendered` for the same post clean to the same HTML and text.
Jetpack's sharing, likes and related-posts blocks (appended to the content by filters) and a
theme's post footer are not the article and are dropped from it.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
from collections.abc import Iterable
from functools import cached_property
from urllib.parse import urljoin

import parsel
from lxml import etree
from lxml.html import HtmlElement

from newscrawl.body import Body, clean_body
from newscrawl.document import Document, _ld_posting, parse_html, text_of
from newscrawl.items import ArticleItem
from newscrawl.platforms.wordpress import fields
from newscrawl.platforms.wordpress.related import parse_related
from newscrawl.platforms.wordpress.urls import canonical_post_url, is_post_url, post_key, site_of
from newscrawl.text import collapse_whitespace

PLATFORM = "wordpress"
BODY_CONTAINERS = (
    "div.entry-content",
    ".entry-content",
    ".post-content",
    ".gp-entry-content",
    ".entrytext",
    "div.entry",
    ".post-body",
    "article",
)
NON_ARTICLE_BLOCKS = (
    "div.sharedaddy",
    "#jp-relatedposts",
    ".jp-relatedposts",
    ".jp-relatedposts-i2",
    ".jp-related-posts-i2__list",
    ".wp-block-jetpack-related-posts",
    ".jetpack-likes-widget-wrapper",
    ".wpcnt",
    ".addtoany_share_save_container",
    ".yarpp-related",
    ".blog-subscribe",
    ".jetpack_subscription_widget",
    ".wp-block-jetpack-subscriptions",
    ".entryfooter",
    ".postmetadata",
    ".navigation",
    ".post-navigation",
    ".social-share-bottom",
    ".article-tags",
    "input",
    "button",
)
TITLE_SELECTORS = (
    "h1.entry-title",
    ".entry-title",
    "h1.post-title",
    ".post-title",
    "h1.article-title",
    ".wp-block-post-title",
    ".post h1",
    ".post h2",
)
# `body_class()` of pages that list posts; a single post's body says `single`/`singular`.
LISTING_BODY_CLASSES = frozenset({"home", "blog", "archive", "category", "tag", "search"})
SINGLE_BODY_CLASSES = frozenset({"single", "singular", "single-post", "page"})
POST_ID_PATTERNS = (
    re.compile(r"(?:^|\s)postid-(\d+)(?:\s|$)"),
    re.compile(r"(?:^|\s)singular-post-(\d+)(?:\s|$)"),
)
POST_ELEMENT_ID = re.compile(r"^post-(\d+)$")
SHORTLINK_ID = re.compile(r"[?&]p=(\d+)")
TITLE_SEPARATORS = (" – ", " — ", " - ", " | ", " :: ", " » ")
_LD_SCRIPTS = etree.XPath("//script[@type='application/ld+json']/text()")
_EDGE_SPACE = re.compile(r"^(<div class=\"entry-content\">)\s+|\s+(</div>)$")
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


class WordPressPage(Document):
    """A WordPress page: the generic lookups, JSON-LD read wherever a plugin put it."""

    def __init__(self, root: parsel.Selector, url: str) -> None:
        super().__init__(root, url, BODY_CONTAINERS, TITLE_SELECTORS)
        if not self.ld:
            self.ld = self._body_ld()

    def _body_ld(self) -> dict:
        """JSON-LD printed in the body (schema plugins), `<![CDATA[` wrappers removed."""
        for text in _LD_SCRIPTS(self.lxml):
            with contextlib.suppress(ValueError):
                if found := _ld_posting(json.loads(_CDATA.sub("", text))):
                    return found
        return {}

    @cached_property
    def body_classes(self) -> str:
        body = self.lxml.find("body")
        return (body.get("class") or "") if body is not None else ""

    @cached_property
    def shortlink(self) -> str:
        head = self.lxml.find("head")
        for link in head.iter("link") if head is not None else ():
            if link.get("rel") == "shortlink":
                return link.get("href") or ""
        return ""


def parse_article(html: str, url: str) -> ArticleItem | None:
    """The post on a WordPress page fetched from `url`, or `None` when it shows none
    (a listing, archive or search page, or no content container)."""
    if not html or not html.strip():
        return None
    page = WordPressPage(parse_html(html), url)
    if _is_listing(page) or page.body is None:
        return None
    canonical = _url(page)
    post_id = _post_id(page)
    body = clean_entry_content(page.body.text, list(page.body), canonical)
    return ArticleItem(
        id=item_id(canonical, post_id),
        url=canonical,
        site=site_of(canonical),
        platform=PLATFORM,
        post_id=post_id or post_key(canonical),
        title=_title(page),
        author=fields.author(page),
        category=fields.category(page),
        tags=fields.tags(page),
        published_raw=fields.published_raw(page),
        modified_raw=fields.modified_raw(page),
        comment_count=fields.comment_count(page),
        related=parse_related(page.lxml, page.index, canonical),
        **body.item_fields(),
    )


def item_id(canonical: str, post_id: str | None) -> str:
    """`wordpress:<host>:<post id>` when the post id is known, else the canonical URL."""
    return f"wordpress:{site_of(canonical)}:{post_id}" if post_id else canonical


def clean_entry_content(text: str | None, children: Iterable[etree._Element], url: str) -> Body:
    """Clean a post's content (leading text + child elements) inside a bare
    `<div class="entry-content">`, whitespace at its edges trimmed: the same HTML whether the
    content came from the theme's container or from the REST API's `content.rendered`."""
    wrapper = HtmlElement()
    wrapper.tag = "div"
    wrapper.set("class", "entry-content")
    wrapper.text = text
    for child in children:
        wrapper.append(copy.deepcopy(child))
    body = clean_body(wrapper, url, NON_ARTICLE_BLOCKS)
    return Body(_EDGE_SPACE.sub(r"\1\2", body.html), body.text, body.images)


def _is_listing(page: WordPressPage) -> bool:
    classes = set(page.body_classes.split())
    return bool(classes & LISTING_BODY_CLASSES) and not classes & SINGLE_BODY_CLASSES


def _post_id(page: WordPressPage) -> str | None:
    """WordPress's post id: body class `postid-N`, the post element's `id="post-N"` around
    the body, or the `?p=N` shortlink."""
    for pattern in POST_ID_PATTERNS:
        if match := pattern.search(page.body_classes):
            return match.group(1)
    if page.body is not None:
        for ancestor in page.body.iterancestors():
            if match := POST_ELEMENT_ID.match(ancestor.get("id") or ""):
                return match.group(1)
    match = SHORTLINK_ID.search(page.shortlink)
    return match.group(1) if match else None


def _url(page: WordPressPage) -> str:
    """Canonical link or `og:url` when it is a post of the fetched site, else the fetch URL."""
    fetched_site = site_of(page.url)
    for candidate in (page.canonical, page.meta.get("og:url")):
        if not candidate:
            continue
        absolute = urljoin(page.url, candidate.strip())
        if is_post_url(absolute) and site_of(absolute) == fetched_site:
            return canonical_post_url(absolute)
    if is_post_url(page.url):
        return canonical_post_url(page.url)
    return page.url.split("#", 1)[0]


def _title(page: WordPressPage) -> str | None:
    """The theme's title element, else `og:title`/JSON-LD headline/`<title>` without the
    site name WordPress appends (`Post – Site`)."""
    if page.skin_title is not None and (text := text_of(page.skin_title)):
        return text
    site = collapse_whitespace(page.meta.get("og:site_name", ""))
    for value in (page.meta.get("og:title"), page.ld_text("headline"), page.document_title):
        if value and (title := _without_site(collapse_whitespace(value), site)):
            return title
    return None


def _without_site(title: str, site: str) -> str:
    for separator in TITLE_SEPARATORS:
        if site and title.endswith(separator + site):
            return title[: -len(separator + site)].strip()
    return title
