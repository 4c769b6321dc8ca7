"""Tistory article page → `ArticleItem`: one parse, one small function per field.

Tistory pages come in many skins and eras (see `shared/corpus/NOTES.md`). Platform-generated
data is the most reliable and is read first: `og:`/`article:` meta, JSON-LD, the share button's
`data-*` attributes, scripts (`T.entryInfo`, tiara). Skin markup comes next, as ordered
selector lists (most specific first), and generic rules last, so unseen skins still give a
title ("heading before the body", `<title>`); the date, author, category, tags and comment
count are read in `fields`. `og:regDate` is never read: it disagrees with the real publish time.
"""

from __future__ import annotations

import contextlib
import json
import re
from functools import cached_property
from urllib.parse import urljoin

import parsel
from lxml import etree

from newscrawl.body import clean_body
from newscrawl.document import Document, parse_html, text_of
from newscrawl.items import ArticleItem
from newscrawl.platforms.tistory import fields
from newscrawl.platforms.tistory.related import parse_related
from newscrawl.platforms.tistory.urls import (
    canonical_post_url,
    is_post_url,
    post_key,
    site_of,
)
from newscrawl.text import collapse_whitespace

PLATFORM = "tistory"
# `body#tt-body-*` ids of pages that list posts instead of showing one.
LISTING_BODY_IDS = frozenset(
    f"tt-body-{kind}"
    for kind in ("index", "category", "tag", "search", "archive", "location", "guestbook")
)
BODY_CONTAINERS = (
    "div.tt_article_useless_p_margin",
    "div.contents_style",
    "div#article-view",
    "div.area_view",
    "div.article_view",
    "div.blogview_content",
    ".e-content",
    "div.entry-content",
    "div.article-content",
    "div.article",  # pre-2013 skins: `[##_article_rep_desc_##]` straight in `div.article`
    "article",
)
NON_ARTICLE_BLOCKS = (
    "div.another_category",
    "div.revenue_unit_wrap",
    "div.container_postbtn",
    "[data-tistory-react-app]",
    "div.postbtn_ccl",
    "div.sns-go",
    "ul.list_share",
    "a[href*='abuseReport']",
    "div.tag_label",
    "div.tagTrail",
    "dl.list_tag",
    "input",
    "button",
)
TITLE_SELECTORS = (
    "h3.tit_post",
    ".tit_blogview",
    ".hd-heading.p-name",
    ".title-article",
    ".entry-title",
    ".post-cover h1",
    ".hgroup h1",
    ".article-header h1",
    ".post-header h1",
    "h2.title",
    ".titleWrap h2",
)
SHARE_BUTTON = "[data-pc-url][data-title]"
# Script and attribute shapes carrying Tistory's own identity of the post.
ENTRY_ID_PATTERNS = (
    re.compile(r"\bentryId[\"']?\s*:\s*[\"']?(\d+)"),
    re.compile(r"\"c_id\"\s*:\s*\"\d+_(\d+)\""),
    re.compile(r"\"articleno\"\s*,\s*\"(\d+)\""),
)
BLOG_ID_PATTERNS = (
    re.compile(r"\bblogId[\"']?\s*:\s*[\"']?(\d+)"),
    re.compile(r"\"cp_id\"\s*:\s*\"(\d+)\""),
    re.compile(r"\"c_id\"\s*:\s*\"(\d+)_\d+\""),
)
_ID_ATTRIBUTES = etree.XPath("//*[@data-blog-id or @data-entry-id]")
_TXID = re.compile(r"^(\d+)_(\d+)$")
# `window.T.config = {…"BLOG":{…"title":"블로그 이름"…}…}`: the blog's name.
BLOG_TITLE = re.compile(r'"BLOG"\s*:\s*\{[^{}]*?"title"\s*:\s*"((?:[^"\\]|\\.)*)"')


class TistoryPage(Document):
    """A Tistory page: the generic lookups plus the share button several fields read."""

    def __init__(self, root: parsel.Selector, url: str) -> None:
        super().__init__(root, url, BODY_CONTAINERS, TITLE_SELECTORS)

    def known_title(self) -> str:
        """Platform data, then `<title>` without the blog's name."""
        return super().known_title() or _document_title(self)

    @cached_property
    def blog_name(self) -> str:
        """The blog's own name (`og:site_name`, else `T.config`'s `BLOG.title`)."""
        if name := self.meta.get("og:site_name"):
            return collapse_whitespace(name)
        match = BLOG_TITLE.search(self.inline_scripts)
        if match is None:
            return ""
        with contextlib.suppress(ValueError):  # a JSON string literal, escapes included
            return collapse_whitespace(json.loads(f'"{match.group(1)}"'))
        return ""

    @cached_property
    def share(self) -> dict[str, str]:
        """`data-*` of Tistory's share button (title, post URL, author), `{}` if absent."""
        button = self.first((SHARE_BUTTON,))
        return dict(button.attrib) if button is not None else {}


def parse_article(html: str, url: str) -> ArticleItem | None:
    """The article on a Tistory page fetched from `url`, or `None` if the page shows none.

    Listing and home pages (`body#tt-body-index`…, `og:type` other than `article`) and pages
    without a body container give `None`. Dates stay raw; the date pipeline normalises them.
    """
    if not html or not html.strip():
        return None
    root = parse_html(html)
    page = TistoryPage(root, url)
    if _is_listing(page) or page.body is None:
        return None
    body = clean_body(page.body, url, NON_ARTICLE_BLOCKS)
    blog_id, entry_id = _identity(page)
    canonical = _url(page, entry_id)
    return ArticleItem(
        id=f"tistory:{blog_id}:{entry_id}" if blog_id and entry_id else canonical,
        url=canonical,
        site=site_of(canonical),
        platform=PLATFORM,
        post_id=entry_id or post_key(canonical),
        title=_title(page),
        author=fields.author(page),
        category=fields.category(page),
        tags=fields.tags(page),
        published_raw=fields.published_raw(page),
        modified_raw=page.meta.get("article:modified_time") or page.ld_text("dateModified"),
        comment_count=fields.comment_count(page),
        related=parse_related(root, url),
        **body.item_fields(),
    )


def _is_listing(page: TistoryPage) -> bool:
    """Home, category, tag and search pages: a listing body id or a non-article `og:type`."""
    body = page.lxml.find("body")
    if body is not None and body.get("id") in LISTING_BODY_IDS:
        return True
    og_type = page.meta.get("og:type")
    return og_type is not None and og_type != "article"


def _identity(page: TistoryPage) -> tuple[str | None, str | None]:
    """(blogId, entryId) from `article:txid`, else from scripts and `data-*` attributes."""
    txid = _TXID.match(page.meta.get("article:txid", ""))
    if txid:
        return txid.group(1), txid.group(2)
    scripts = page.inline_scripts + _id_attributes(page)
    entry = next((m.group(1) for p in ENTRY_ID_PATTERNS if (m := p.search(scripts))), None)
    blog = next((m.group(1) for p in BLOG_ID_PATTERNS if (m := p.search(scripts))), None)
    return blog, entry


def _id_attributes(page: TistoryPage) -> str:
    """`data-blog-id`/`data-entry-id` of Tistory's buttons, as `blogId:`/`entryId:` lines."""
    lines = []
    for element in _ID_ATTRIBUTES(page.lxml):
        for attribute, key in (("data-blog-id", "blogId"), ("data-entry-id", "entryId")):
            if value := element.get(attribute):
                lines.append(f"\n{key}: {value}")
    return "".join(lines)


def _url(page: TistoryPage, entry_id: str | None) -> str:
    """Canonical post URL: canonical link, `og:url`, share URL if it is this blog's post, then
    the fetch URL; a saved page fetched from elsewhere falls back to its title's permalink."""
    fetched_key = post_key(page.url)
    candidates = [page.canonical, page.meta.get("og:url"), page.share.get("data-pc-url")]
    title = page.title_element
    if fetched_key is None and title is not None:
        candidates += [link.get("href") for link in title.iter("a")]
    for candidate in candidates:
        if not candidate:
            continue
        absolute = urljoin(page.url, candidate.strip())
        if not is_post_url(absolute):
            continue
        same_host = site_of(absolute) == site_of(page.url)
        if same_host or post_key(absolute) in (fetched_key, entry_id):
            return canonical_post_url(absolute)
    if entry_id and entry_id.isdigit() and is_post_url(page.url):
        # No canonical link: the numeric permalink is the one that survives slug edits, and
        # it makes `/entry/<slug>` and `/<entryId>` the same post.
        return canonical_post_url(urljoin(page.url, f"/{entry_id}"))
    if is_post_url(page.url):
        return canonical_post_url(page.url)
    return page.url.split("#", 1)[0]


def _title(page: TistoryPage) -> str | None:
    """og:title, JSON-LD headline, skin title, share button, heading before body, `<title>`."""
    for value in (page.meta.get("og:title"), page.ld_text("headline")):
        if value and value.strip():
            return collapse_whitespace(value)
    if page.skin_title is not None and (text := text_of(page.skin_title)):
        return text
    if text := collapse_whitespace(page.share.get("data-title", "")):
        return text
    document_title = _document_title(page)
    text = text_of(page.heading)
    if text and (not document_title or text in document_title):
        return text
    return document_title or None


def _document_title(page: TistoryPage) -> str:
    """`<title>` without the blog's name: Tistory writes `Post :: Blog`, old skins
    `Blog :: Post`; without a known blog name the first part is the post's."""
    title = collapse_whitespace(page.document_title)
    parts = [part.strip() for part in title.split(" :: ")]
    if len(parts) == 1:
        return title
    named = [part for part in parts if part != page.blog_name]
    return named[0] if named else parts[0]
