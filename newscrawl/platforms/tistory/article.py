"""Tistory article page → `ArticleItem`: one parse, one small function per field.

Tistory pages come in many skins and eras (see `shared/corpus/NOTES.md`). Platform-generated
data is the most reliable and is read first: `og:`/`article:` meta, JSON-LD, the share button's
`data-*` attributes, scripts (`T.entryInfo`, tiara). Skin markup comes next, as ordered
selector lists (most specific first), and generic rules last, so unseen skins still give a
title ("heading before the body", `<title>`) and a date (first date-looking string between
the title and the body). `og:regDate` is never read: it disagrees with the real publish time.
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
from newscrawl.document import Document, find_date, is_inside, text_of
from newscrawl.items import ArticleItem
from newscrawl.platforms.tistory.related import parse_related, related_category
from newscrawl.platforms.tistory.urls import (
    canonical_post_url,
    category_path,
    is_post_url,
    post_key,
    site_of,
)
from newscrawl.text import collapse_whitespace, content_hash

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
DATE_SELECTORS = (  # (selector, attribute holding the date or None for the text)
    (".dt-published", "title"),
    ("time[datetime]", "datetime"),
    (".txt_detail.my_post", None),
    (".blogview_info .txt_date", None),
    (".dt-published", None),
    (".published", None),
    (".post-date", None),
    (".entry-date", None),
    (".date", None),
)
AUTHOR_SELECTORS = (".p-author", ".author", ".writer", ".post-author", ".by-author")
CATEGORY_SELECTORS = (  # links decode their href; the last ones are text-only labels
    "strong.tit_category a",
    "a.p-category",
    ".category a",
    "a.category",
    ".post-cover .category",
    ".hgroup .category",
    ".category",
)
CATEGORY_LABEL_MAX = 80  # longer "category" text is a widget, not a label
UNCATEGORISED = "분류없음"  # Tistory's label for posts outside any category
TAG_SELECTORS = (".tag_label a", ".tagTrail a", ".tags a", "a[rel=tag]", "a[href*='/tag/']")
COMMENT_COUNT_SELECTORS = (
    "[id^=commentCount]",
    ".tit_reply .cnt",
    "a[href$='#rp']",
    ".comment-count",
    ".cnt_comment",
)
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
CATEGORY_LABEL = re.compile(r"\"(?:categoryLabel|categoryName)\"\s*:\s*\"((?:[^\"\\]|\\.)+)\"")
COMMENT_CNT = re.compile(r"\"comment_cnt\"\s*:\s*(\d+)")
_ID_ATTRIBUTES = etree.XPath("//*[@data-blog-id or @data-entry-id]")
_TXID = re.compile(r"^(\d+)_(\d+)$")
_FIRST_INT = re.compile(r"\d+")
_BY = re.compile(r"^(?:by|written by|작성자)\s*[:：]?\s*", re.I)


class TistoryPage(Document):
    """A Tistory page: the generic lookups plus the share button several fields read."""

    def __init__(self, root: parsel.Selector, url: str) -> None:
        super().__init__(root, url, BODY_CONTAINERS, TITLE_SELECTORS)

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
    root = parsel.Selector(text=html)
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
        author=_author(page),
        category=_category(page),
        tags=_tags(page),
        published_raw=_published_raw(page),
        modified_raw=page.meta.get("article:modified_time") or page.ld_text("dateModified"),
        body_text=body.text,
        body_html=body.html,
        images=body.images,
        comment_count=_comment_count(page),
        related=parse_related(root, url),
        content_hash=content_hash(body.text),
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
    """`<title>` without Tistory's ` :: Blog name` suffix."""
    title = collapse_whitespace(page.document_title)
    site_name = collapse_whitespace(page.meta.get("og:site_name", ""))
    if site_name and title.endswith(f" :: {site_name}"):
        return title[: -len(site_name) - 4].strip()
    return title.rsplit(" :: ", 1)[0].strip() if " :: " in title else title


def _published_raw(page: TistoryPage) -> str | None:
    """Publish date as found: platform meta, JSON-LD, skin markup, then the header region."""
    for value in (page.meta.get("article:published_time"), page.ld_text("datePublished")):
        if value and value.strip():
            return value.strip()
    scope = page.article_scope()
    for css, attribute in DATE_SELECTORS:
        element = page.first((css,), outside=page.body, scope=scope)
        if element is None:
            continue
        text = element.get(attribute, "") if attribute else text_of(element)
        if found := find_date(text):
            return text.strip() if attribute else found
    return next((found for text in page.header_texts() if (found := find_date(text))), None)


def _author(page: TistoryPage) -> str | None:
    """`meta[name=by]`, `article:author`, JSON-LD author, skin byline, share-button profile."""
    meta_author = page.meta.get("article:author", "")
    candidates = [page.meta.get("by"), None if "://" in meta_author else meta_author]
    candidates.append(page.ld_text("author"))
    element = page.first(AUTHOR_SELECTORS, outside=page.body, scope=page.article_scope())
    candidates += [text_of(element), page.share.get("data-profile-name")]
    for candidate in candidates:
        name = _BY.sub("", collapse_whitespace(candidate or ""))
        if name:
            return name
    return None


def _category(page: TistoryPage) -> list[str]:
    """Category path, root first: header link href, related heading, header text, scripts.

    A header link to `/category` alone is Tistory's "분류없음" (uncategorised): `[]`, since
    that label names the absence of a category. `article:section` is not used: it holds the
    Tistory-wide topic ("IT 인터넷"), not the blog's category.
    """
    link = page.first(CATEGORY_SELECTORS, outside=page.body, scope=page.article_scope())
    if link is None:
        link = page.header_link("/category")
    path = category_path(urljoin(page.url, link.get("href", ""))) if link is not None else None
    if path is not None:  # the href holds the full path even when the text shows the leaf
        return path
    if from_related := related_category(page.root):
        return from_related
    if (text := text_of(link)) and len(text) <= CATEGORY_LABEL_MAX:
        return [] if text == UNCATEGORISED else _split_label(text)
    if match := CATEGORY_LABEL.search(page.inline_scripts):
        with contextlib.suppress(ValueError):  # a JSON string literal, escapes included
            return _split_label(json.loads(f'"{match.group(1)}"'))
    return []


def _split_label(label: str) -> list[str]:
    """`"A/B"` or `"A > B"` → `["A", "B"]`: Tistory writes category paths with `/`."""
    parts = re.split(r"\s*(?:/|>)\s*", label)
    return [collapse_whitespace(part) for part in parts if collapse_whitespace(part)]


def _tags(page: TistoryPage) -> list[str]:
    """Tag labels of the post area in page order, `#` removed; sidebar tag clouds excluded."""
    scope = page.article_scope()
    seen: dict[str, None] = {}
    for css in TAG_SELECTORS:
        for link in page.select(css, scope):
            if page.excluded(link) or "cloud" in (link.get("class") or ""):
                continue
            label = collapse_whitespace(text_of(link).lstrip("#"))
            if label:
                seen.setdefault(label, None)
        if seen:
            break
    return list(seen)


def _comment_count(page: TistoryPage) -> int | None:
    """Comment count shown by the page: JSON-LD, skin counters, tiara data; `None` if none."""
    value = page.ld.get("commentCount")
    if isinstance(value, int | str) and str(value).isdigit():
        return int(value)
    for css in COMMENT_COUNT_SELECTORS:
        for element in page.select(css):
            if is_inside(element, page.body):
                continue
            if match := _FIRST_INT.search(text_of(element)):
                return int(match.group(0))
    if match := COMMENT_CNT.search(page.inline_scripts):
        return int(match.group(1))
    return None
