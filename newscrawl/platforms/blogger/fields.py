"""The fields of a Blogger post read from its page: dates, byline, labels, comments, identity.

Each reads the post's own block first (`BloggerPage.in_post`) and platform data after. Dates
stay raw: `abbr.published[title]`, `time.published[datetime]` and JSON-LD give ISO instants
with the blog's offset (exact); `h2.date-header` gives only a day, written in the blog's
language ("Sunday, May 8, 2016", "Montag, 8. April 2019"), which the date pipeline reads in
`NEWSCRAWL_TIMEZONE`. The classic template prints the time beside the permalink
("12:55 AM"): with the day header it makes the full local time.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

from newscrawl.document import text_of
from newscrawl.platforms.blogger.page import BloggerPage
from newscrawl.platforms.blogger.urls import label_of
from newscrawl.text import collapse_whitespace

EXACT_DATES = (
    ("abbr.published[title]", "title"),
    ("time.published[datetime]", "datetime"),
    ("a.timestamp-link abbr[title]", "title"),
    (".published[title]", "title"),
    ("[itemprop=datePublished][content]", "content"),
    ("[itemprop=datePublished][datetime]", "datetime"),
    ("time[datetime]", "datetime"),
)
MODIFIED_DATES = (
    ("abbr.updated[title]", "title"),
    ("time.updated[datetime]", "datetime"),
    ("[itemprop=dateModified][content]", "content"),
)
DAY_HEADERS = (".date-header span", ".date-header")
CLOCK_TEXTS = ("abbr.published", "a.timestamp-link", ".post-timestamp a")
# Templates that print the date as the permalink's text or in their own date box.
DATE_TEXTS = ("a[rel~=bookmark]", ".post-timestamp", ".post-date", ".date", "time")
CLOCK = re.compile(r"^\d{1,2}:\d\d(?::\d\d)?(?:\s*[AaPp]\.?[Mm]\.?)?$")
DATE_LIKE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
MAX_DATE_TEXT = 60
AUTHORS = (".post-author .fn", ".fn", "[itemprop=author] [itemprop=name]", ".post-author")
AUTHOR_PREFIX = re.compile(r"^(?:posted by|by|von|par|por|oleh|di)\s+", re.I)
LABEL_LINKS = (
    ".post-labels a",
    ".labels a[href*='/search/label/']",
    "a[rel~=tag][href*='/search/label/']",
)
COMMENT_LINKS = ("a.comment-link", ".post-comment-link a")
COMMENT_HEADINGS = ("#comments h4", "#comments h3", "#comments .title")
NO_COMMENTS = re.compile(r"^(?:no|keine|aucun|sin|nessun|geen|tidak ada|belum ada)\b", re.I)
NUMBER = re.compile(r"\d+")
POST_ID_ATTRIBUTES = (
    ("meta[itemprop=postId][content]", "content"),
    ("[data-id]", "data-id"),
    ("[data-post-id]", "data-post-id"),
)
DIGITS = re.compile(r"^\d{6,}$")
POST_BODY_ID = re.compile(r"^post-body-(\d+)$")
EDIT_LINK_POST = re.compile(r"[?&]postID=(\d+)")
SERVICE_FEED = re.compile(r"/feeds/(\d+)/posts/")
WIDGET_INIT_BLOG = re.compile(r"_WidgetManager\._Init\([^)]*?,\s*'(\d+)'")


def _attribute(page: BloggerPage, pairs: tuple[tuple[str, str], ...]) -> str | None:
    for css, attribute in pairs:
        for element in page.in_post(css):
            if value := collapse_whitespace(element.get(attribute) or ""):
                return value
    return None


def published_raw(page: BloggerPage) -> str | None:
    """The publication date as the page writes it, most exact source first."""
    exact = (
        _attribute(page, EXACT_DATES)
        or page.meta.get("article:published_time")
        or page.ld_text("datePublished")
    )
    return exact or _day_with_clock(page) or _date_text(page)


def modified_raw(page: BloggerPage) -> str | None:
    """The last edit's date, when the page shows one apart from the publication date."""
    value = (
        _attribute(page, MODIFIED_DATES)
        or page.meta.get("article:modified_time")
        or page.ld_text("dateModified")
    )
    return value if value and value != published_raw(page) else None


def _day_with_clock(page: BloggerPage) -> str | None:
    """`h2.date-header` (a day), with the permalink's clock text when it shows one."""
    headers = [el for css in DAY_HEADERS for el in page.select(css, page.list_area)]
    day = next((text for el in headers if (text := text_of(el))), None)
    if day is None:
        return None
    for css in CLOCK_TEXTS:
        for element in page.in_post(css):
            if CLOCK.match(clock := text_of(element)):
                return f"{day} {clock}"
    return day


def _date_text(page: BloggerPage) -> str | None:
    """A template's own date box ("Mai 03, 2017" as a permalink's text)."""
    for css in DATE_TEXTS:
        for element in page.in_post(css):
            text = text_of(element)
            if len(text) <= MAX_DATE_TEXT and DATE_LIKE.search(text):
                return text
    return None


def author(page: BloggerPage) -> str | None:
    """The byline's name (`span.post-author .fn`), without "Posted by"."""
    for css in AUTHORS:
        for element in page.in_post(css):
            if name := AUTHOR_PREFIX.sub("", text_of(element)):
                return name
    return page.ld_text("author")


def labels(page: BloggerPage) -> list[str]:
    """The post's labels in page order, de-duplicated (Blogger's only taxonomy)."""
    found: dict[str, None] = {}
    for css in LABEL_LINKS:
        for link in page.in_post(css):
            label = text_of(link) or label_of(urljoin(page.url, link.get("href") or "")) or ""
            label = label.rstrip(",").strip()
            if label and label.casefold() not in {known.casefold() for known in found}:
                found.setdefault(label, None)
        if found:
            break
    return list(found)


def comment_count(page: BloggerPage) -> int | None:
    """Comments the page counts: the post's comment link, else the comments heading."""
    texts = [text_of(el) for css in COMMENT_LINKS for el in page.in_post(css)]
    texts += [text_of(el) for css in COMMENT_HEADINGS for el in page.select(css)]
    for text in texts:
        if match := NUMBER.search(text):
            return int(match.group(0))
        if NO_COMMENTS.match(text):
            return 0
    return None


def identity(page: BloggerPage) -> tuple[str | None, str | None]:
    """(blogId, postId): item microdata, the post block's ids, then the page's scripts."""
    post_id = _post_id(page)
    blog = _first_meta(page, "meta[itemprop=blogId][content]")
    if blog is None:
        for link in page.lxml.xpath("//link[@rel='service.post']/@href"):
            if match := SERVICE_FEED.search(link):
                blog = match.group(1)
                break
    if blog is None:
        match = WIDGET_INIT_BLOG.search(page.scripts)
        blog = match.group(1) if match else page.data_context("blogId")
    return blog, post_id


def _first_meta(page: BloggerPage, css: str) -> str | None:
    for element in page.in_post(css):
        if DIGITS.match(value := (element.get("content") or "").strip()):
            return value
    return None


def _post_id(page: BloggerPage) -> str | None:
    for css, attribute in POST_ID_ATTRIBUTES:
        for element in page.in_post(css):
            if DIGITS.match(value := (element.get(attribute) or "").strip()):
                return value
    for anchor in page.in_post("a[name]"):
        if DIGITS.match(name := anchor.get("name") or ""):
            return name
    if page.body is not None and (match := POST_BODY_ID.match(page.body.get("id") or "")):
        return match.group(1)
    for link in page.in_post("a[href*='postID=']"):
        if match := EDIT_LINK_POST.search(link.get("href") or ""):
            return match.group(1)
    value = page.data_context("postId")
    return value if value and DIGITS.match(value) else None


def is_single_post(page: BloggerPage) -> bool:
    """A post page: Blogger's `pageType` says `item`, or the list holds one post only."""
    page_type = page.data_context("pageType")
    if page_type is not None:
        return page_type == "item"
    return len(page.post_blocks) <= 1


def path_key(url: str) -> str:
    """`2016/05/slug` for `/2016/05/slug.html`: the post's key when no id is known."""
    return unquote(urlsplit(url).path).strip("/").removesuffix(".html")
