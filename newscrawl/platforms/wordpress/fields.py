"""One small function per field of a WordPress article page.

WordPress writes most fields the same way on every theme because core template tags print
them: `the_category()` (`rel="category tag"` links), `the_tags()` (`rel="tag"`),
`the_author_posts_link()` (`rel="author"`), `get_the_date('c')` in `time[datetime]`,
`comments_popup_link()` (`.comments-link`). SEO plugins (Yoast, Jetpack) add `article:*` meta
and JSON-LD, which are the most reliable and read first. Themes differ in the classes around
these, so each field is an ordered selector list, most specific first.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree

from newscrawl.cssindex import is_inside
from newscrawl.document import Document, find_date, text_of
from newscrawl.platforms.wordpress.areas import in_widget
from newscrawl.platforms.wordpress.terms import Term, category_path, tag_names
from newscrawl.text import collapse_whitespace

ISO_DATE = re.compile(r"^(?:19|20)\d\d-\d\d-\d\d")
PUBLISHED_TIMES = (
    "time.entry-date.published",
    "time.published",
    "time.entry-published",
    "time[itemprop='datePublished']",
    "time.entry-date",
    ".posted-on time",
    ".entry-meta time",
    "time.date",
    "time",
)
PUBLISHED_ABBR = ("abbr.published",)
UPDATED_TIMES = ("time.updated", "time[itemprop='dateModified']")
PUBLISHED_CLASSES = frozenset({"published", "entry-published", "entry-date"})
# Day-first dates of European themes ("11.09.2011, 16:20"), which `find_date` does not read.
DAY_FIRST_DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.(?:19|20)\d\d(?:,?\s+\d{1,2}:\d\d)?")
AUTHORS = (
    ".author.vcard .fn",
    ".byline .author a",
    ".entry-author [itemprop='name']",
    ".entry-author",
    "a[rel~='author']",
    ".post-author-name",
    ".author-name",
)
CATEGORY_LINKS = (
    "a[rel~='category']",
    ".cat-links a",
    ".entry-terms.category a",
    ".post-categories a",
    ".entry-categories a",
    ".categories a",
)
TAG_LINKS = (
    ".tags-links a",
    ".entry-terms.post_tag a",
    ".post-tags a",
    ".entry-tags a",
    ".tag-links a",
    "a[rel='tag']",
)
COMMENT_COUNTS = (
    ".comments-link",
    ".entry-comments",
    ".comments-title",
    "#comments-title",
    ".commentsheader",
    ".comment-count-area",
    "h2#comments",
    "h3#comments",
)
NUMBER = re.compile(r"\d[\d,.]*")
ONE = re.compile(r"\b(?:one|ein)\b", re.I)
NONE = re.compile(r"\b(?:no|leave a|keine?|be the first)\b", re.I)


def published_raw(page: Document) -> str | None:
    """`article:published_time`, JSON-LD `datePublished`, the header's `time[datetime]`,
    `abbr.published[title]`, then a date written in the header text."""
    for value in (
        page.meta.get("article:published_time"),
        page.ld_text("datePublished"),
        _time_value(page, PUBLISHED_TIMES),
        _abbr_value(page),
    ):
        if value:
            return value
    return _text_date(page)


def modified_raw(page: Document) -> str | None:
    """`article:modified_time`, JSON-LD `dateModified`, or a `time.updated` that is not also
    the published date (themes print `class="entry-date published updated"` when unedited)."""
    for value in (page.meta.get("article:modified_time"), page.ld_text("dateModified")):
        if value:
            return value
    for css in UPDATED_TIMES:
        for element in page.select(css):
            classes = set((element.get("class") or "").split())
            value = (element.get("datetime") or "").strip()
            if classes & PUBLISHED_CLASSES or page.excluded(element):
                continue
            if ISO_DATE.match(value):
                return value
    return None


def _time_value(page: Document, selectors: tuple[str, ...]) -> str | None:
    """`datetime` of the first matching `time` outside the body, widgets and comments."""
    for css in selectors:
        for element in page.select(css):
            value = (element.get("datetime") or "").strip()
            if ISO_DATE.match(value) and not _outside_post(page, element):
                return value
    return None


def _abbr_value(page: Document) -> str | None:
    for css in PUBLISHED_ABBR:
        for element in page.select(css):
            if not _outside_post(page, element) and (value := element.get("title")):
                return value.strip()
    return None


def _outside_post(page: Document, element: etree._Element) -> bool:
    """In a widget, the comments, navigation or the body: not the post's own byline."""
    if is_inside(element, page.body):
        return True
    return in_widget(element) or page.excluded(element)


def _text_date(page: Document) -> str | None:
    """A date written between title and body (or right after the body)."""
    for texts in (page.header_texts, page.footer_texts):
        for text in texts:
            if found := DAY_FIRST_DATE.search(text):
                return found.group(0)
            if found_date := find_date(text):
                return found_date
    return None


def author(page: Document) -> str | None:
    """The byline's name, else `author` meta, else JSON-LD `author`."""
    element = page.first(AUTHORS, outside=page.body)
    if element is not None and (name := text_of(element)):
        return name
    name = collapse_whitespace(page.meta.get("author", ""))
    return name or page.ld_text("author")


def _links(page: Document, selectors: tuple[str, ...]) -> list[Term]:
    """(name, absolute href) of the links of the first selector that finds any."""
    for css in selectors:
        found = [
            Term(text_of(link), urljoin(page.url, link.get("href", "").strip()))
            for link in page.select(css)
            if link.get("href") and text_of(link) and not in_widget(link)
        ]
        if found:
            return found
    return []


def category(page: Document) -> list[str]:
    """The post's category path (see `terms.category_path`)."""
    return category_path(_links(page, CATEGORY_LINKS))


def tags(page: Document) -> list[str]:
    """Tag link labels; a `rel="tag"` link to a category (Hybrid themes) is no tag."""
    return tag_names([term for term in _links(page, TAG_LINKS) if "/category/" not in term.link])


def comment_count(page: Document) -> int | None:
    """The count the post's comment link or comments heading shows; 0 for "Leave a comment"."""
    for css in COMMENT_COUNTS:
        for element in page.select(css):
            if in_widget(element, comments=False):
                continue
            count = _count(text_of(element))
            if count is not None:
                return count
    return None


def _count(text: str) -> int | None:
    if match := NUMBER.search(text):
        digits = re.sub(r"\D", "", match.group(0))
        return int(digits) if digits else None
    if ONE.search(text):
        return 1
    return 0 if NONE.search(text) else None
