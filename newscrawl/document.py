"""A parsed blog page and the lookups every platform parser needs, done once per page.

Platform parsers (Tistory now, WordPress and Blogger later) read the same kinds of things:
`<meta>` tags, the JSON-LD posting, the canonical link, the body container, the title element
and the "header region" between title and body where bylines and dates sit. `Document`
computes them once from a single parsed tree, with selectors compiled once per process, so a
field function never re-parses or rescans the page for them.
"""

from __future__ import annotations

import contextlib
import json
import re
from functools import cached_property

import parsel
from lxml import etree

from newscrawl.cssindex import Index, is_inside
from newscrawl.text import collapse_whitespace

LD_POSTING_TYPES = frozenset(("BlogPosting", "Article", "NewsArticle", "TechArticle", "Posting"))
# Headings hidden for screen readers only (skip links, "본문" labels): never the title.
HIDDEN_CLASSES = ("screen_out", "blind", "sr-only", "screen-reader-text", "hide")
TITLE_PREFIX_CHARS = 20  # a label printed before the title in its element ("[여행] ")
HEADER_TEXT_LIMIT = 60  # text nodes looked at before the body when searching the header region
# Areas whose dates, bylines and tags are not the post's. Page wrappers (`body`, and any
# element holding the article body) are never tested: their layout classes such as
# `layout-aside-right` say nothing about what sits inside them.
EXCLUDED_TAGS = frozenset(("aside", "nav"))
EXCLUDED_NAMES = re.compile(r"comment|reply|another_category|related|sidebar|widget|aside", re.I)
_PAGE_WRAPPERS = frozenset(("body", "html"))
# Paragraphs: `<p>`, and the `<div>` lines of old editors (text, no nested blocks).
_PARAGRAPHS = etree.XPath("//p | //div[text()[normalize-space()]][not(.//div or .//p)]")
MIN_PARAGRAPH_CHARS = 20  # shorter <p> are captions, buttons, bylines: not article text
# Date strings of Korean blogs: ISO, `2017.07.10 21:30`, `2022. 4. 8. 15:17`, `2016/05/13`,
# `2023년 2월 10일 오후 3:15`, relative `3시간 전` (resolved later against the fetch time).
DATE_PATTERN = re.compile(
    r"(?:19|20)\d\d-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?"
    r"|(?:19|20)\d\d\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{1,2}\.?"
    r"(?:(?:\s+at)?\s*(?:오전|오후|AM|PM)?\s*\d{1,2}:\d\d(?::\d\d)?)?"
    r"|(?:19|20)\d\d년\s*\d{1,2}월\s*\d{1,2}일"
    r"(?:\s*(?:오전|오후)?\s*(?:\d{1,2}:\d\d|\d{1,2}시(?:\s*\d{1,2}분)?))?"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?"
    r"\s+(?:19|20)\d\d(?:\s+\d{1,2}:\d\d(?:\s*[AP]M)?)?"
    r"|\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(?:19|20)\d\d"
    r"|\d+\s*(?:초|분|시간|일|주|개월|달|년)\s*전"
    # A day word only as a whole date ("어제", "어제 15:30 |"), not inside a phrase ("어제 본").
    r"|(?<!\S)(?:어제|그저께|그제|방금\s*전|방금)(?:\s+\d{1,2}:\d\d)?(?=\s*(?:$|[|·,]))",
    re.I,
)
_HEADINGS_BEFORE = etree.XPath(
    "preceding::*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5][position() <= 8]"
)
_ELEMENTS_BEFORE = etree.XPath("preceding::*[position() <= 200]")
_TEXT_AFTER = etree.XPath(f"following::text()[position() <= {HEADER_TEXT_LIMIT}]")
_TEXT_BEFORE = etree.XPath(f"preceding::text()[position() <= {HEADER_TEXT_LIMIT}]")
_INLINE_SCRIPTS = etree.XPath("//script[not(@src)]/text()")


def parse_html(html: str) -> parsel.Selector:
    """Parse a page as HTML, always: parsel reads a page that starts with `<?xml …?>` (the
    XHTML skins of 2007–2012) as XML, namespacing every tag and hiding every element from
    HTML selectors."""
    return parsel.Selector(text=html or "<html></html>", type="html")


def find_date(text: str) -> str | None:
    """The first date-looking string in `text`, as written."""
    match = DATE_PATTERN.search(text)
    return match.group(0).strip() if match else None


def text_of(element: etree._Element | None) -> str:
    """All text of `element`, whitespace collapsed; `""` for `None`."""
    if element is None:
        return ""
    return collapse_whitespace("".join(element.itertext()))


def _text_length(element: etree._Element) -> int:
    """Characters of text under `element`, whitespace runs not counted (to rank containers)."""
    return sum(len(chunk.strip()) for chunk in element.itertext())


def is_excluded(element: etree._Element, wrappers: frozenset | set = frozenset()) -> bool:
    """True inside comments, sidebars, navigation, widgets and related-post blocks.

    The walk up stops at `body` and at `wrappers` (the body container's ancestors).
    """
    node: etree._Element | None = element
    while node is not None and node.tag not in _PAGE_WRAPPERS and node not in wrappers:
        names = f"{node.get('class') or ''} {node.get('id') or ''}"
        if node.tag in EXCLUDED_TAGS or (names != " " and EXCLUDED_NAMES.search(names)):
            return True
        node = node.getparent()
    return False


def _ld_posting(data: object) -> dict | None:
    """The posting object of a JSON-LD value (plain, list or `@graph`)."""
    if isinstance(data, list):
        return next((found for item in data if (found := _ld_posting(item))), None)
    if not isinstance(data, dict):
        return None
    if "@graph" in data:
        return _ld_posting(data["@graph"])
    types = data.get("@type")
    types = set(types) if isinstance(types, list) else {types}
    return data if types & LD_POSTING_TYPES or "headline" in data else None


class Document:
    """One parsed page: head data eagerly (cheap), body, title and header lazily."""

    def __init__(
        self,
        root: parsel.Selector,
        url: str,
        body_containers: tuple[str, ...],
        title_selectors: tuple[str, ...],
    ) -> None:
        self.root = root
        self.lxml: etree._Element = root.root
        self.url = url
        self._body_containers = body_containers
        self._title_selectors = title_selectors
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.document_title = ""
        self.ld: dict = {}
        head = self.lxml.find("head")
        if head is not None:
            self._read_head(head)

    def _read_head(self, head: etree._Element) -> None:
        """Meta tags (first value of each name wins), canonical link, `<title>`, JSON-LD."""
        for element in head:
            tag = element.tag
            if tag == "meta":
                key = element.get("property") or element.get("name") or element.get("itemprop")
                content = element.get("content")
                if key and content is not None:
                    self.meta.setdefault(key.strip().lower(), content.strip())
            elif tag == "link" and "canonical" in (element.get("rel") or "").lower().split():
                self.canonical = self.canonical or element.get("href")
            elif tag == "title" and not self.document_title:
                self.document_title = element.text or ""
            elif tag == "script" and element.get("type") == "application/ld+json" and not self.ld:
                with contextlib.suppress(ValueError):
                    self.ld = _ld_posting(json.loads(element.text or "")) or {}

    def ld_text(self, key: str) -> str | None:
        """A text property of the JSON-LD posting; for an object or list, its (first) name."""
        value = self.ld.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict):
            value = value.get("name")
        return collapse_whitespace(str(value)) or None if value is not None else None

    @cached_property
    def index(self) -> Index:
        """Class and id index of the whole page, built on first use."""
        return Index(self.lxml)

    def select(self, css: str, scope: etree._Element | None = None) -> list[etree._Element]:
        """Elements under `scope` (default: the page) matching `css`."""
        return self.index.select(css, scope)

    def first(
        self,
        selectors: tuple[str, ...],
        outside: etree._Element | None = None,
        scope: etree._Element | None = None,
    ) -> etree._Element | None:
        """First element of the first selector that matches, outside excluded areas and
        `outside` (usually the body: a date or byline inside the article is not the post's)."""
        for css in selectors:
            for element in self.select(css, scope):
                if not self.excluded(element) and not is_inside(element, outside):
                    return element
        return None

    @cached_property
    def body(self) -> etree._Element | None:
        """The most specific body container present; the one with most text if several.

        A skin that wraps the editor output in a container nobody listed (`div.post-content`,
        `div#post_body`) still has paragraphs: then the element holding the most paragraph
        text is the body (the readability idea, kept to one pass over the `<p>` elements)."""
        for css in self._body_containers:
            found = [el for el in self.select(css) if not is_excluded(el)]
            if found:
                chosen = found[0] if len(found) == 1 else max(found, key=_text_length)
                return self._inner_text_block(chosen) if css == "article" else chosen
        return self._densest_block()

    def _inner_text_block(self, article: etree._Element) -> etree._Element:
        """An `<article>` holds its own header and footer (title, byline, tags): the block of
        paragraphs inside it is the body, when there is one."""
        inner = self._densest_block()
        if inner is not None and inner is not article and is_inside(inner, article):
            return inner
        return article

    def _densest_block(self) -> etree._Element | None:
        scores: dict[etree._Element, int] = {}
        for paragraph in _PARAGRAPHS(self.lxml):
            length = len(text_of(paragraph))
            parent = paragraph.getparent()
            if length < MIN_PARAGRAPH_CHARS or parent is None:
                continue
            scores[parent] = scores.get(parent, 0) + length
        ranked = sorted(scores, key=scores.__getitem__, reverse=True)
        for element in ranked:
            if element.tag not in _PAGE_WRAPPERS and not is_excluded(element):
                return element
        return None

    @cached_property
    def wrappers(self) -> frozenset:
        """The body container and its ancestors: page wrappers, never "excluded areas"."""
        if self.body is None:
            return frozenset()
        return frozenset((self.body, *self.body.iterancestors()))

    def excluded(self, element: etree._Element) -> bool:
        """`is_excluded` below the page wrappers (their layout classes are ignored)."""
        return is_excluded(element, self.wrappers)

    @cached_property
    def skin_title(self) -> etree._Element | None:
        """The title element of a known skin, outside the body."""
        return self.first(self._title_selectors, outside=self.body)

    @cached_property
    def heading(self) -> etree._Element | None:
        """Generic rule for unseen skins: the nearest visible heading before the body."""
        if self.body is None:
            return None
        site_name = collapse_whitespace(self.meta.get("og:site_name", ""))
        for element in reversed(_HEADINGS_BEFORE(self.body)):  # nearest first
            classes = element.get("class") or ""
            if any(hidden in classes for hidden in HIDDEN_CLASSES) or self.excluded(element):
                continue
            text = text_of(element)
            if text and text != site_name:
                return element
        return None

    def known_title(self) -> str:
        """The post title the page states outside its markup (`og:title`, JSON-LD); `""`
        when it states none. Platforms add their own sources (Tistory: `<title>`)."""
        for value in (self.meta.get("og:title"), self.ld_text("headline")):
            if value and value.strip():
                return collapse_whitespace(value)
        return ""

    @cached_property
    def title_element(self) -> etree._Element | None:
        """Where the skin prints the post title: a known skin's title element, else the
        nearest heading before the body when it agrees with the known title, else the
        nearest element before the body showing that title (`span.subject`, a table cell)."""
        if self.skin_title is not None:
            return self.skin_title
        known = self.known_title()
        heading = text_of(self.heading)
        if not known or (heading and (heading in known or known in heading)):
            return self.heading
        showing = self._element_showing(known)
        return showing if showing is not None else self.heading

    def _element_showing(self, title: str) -> etree._Element | None:
        """Nearest element before the body whose text is `title` (a short prefix such as a
        "[카테고리]" label allowed)."""
        if self.body is None:
            return None
        for element in reversed(_ELEMENTS_BEFORE(self.body)):  # nearest first
            text = text_of(element)
            prefix = len(text) - len(title)
            if text.endswith(title) and prefix <= TITLE_PREFIX_CHARS and not self.excluded(element):
                return element
        return None

    @cached_property
    def header_texts(self) -> list[str]:
        """Texts between the title element and the body, in document order (see
        `header_nodes`)."""
        return [text for text, _ in self.header_nodes]

    @cached_property
    def header_nodes(self) -> list[tuple[str, etree._Element]]:
        """Texts between the title element and the body with the element holding each, in
        document order.

        Without a title element the nearest texts before the body stand in. Texts in
        scripts, comments, sidebars and navigation are skipped: dates there are not the post's.
        """
        if self.body is None:
            return []
        title = self.title_element
        stop = set(title.iter()) if title is not None else set()
        nodes: list[tuple[str, etree._Element]] = []
        for text in reversed(_TEXT_BEFORE(self.body)):  # nearest first
            owner = text.getparent()  # for a tail, the element it follows
            if owner in stop and not (text.is_tail and owner is title):
                break
            container = owner.getparent() if text.is_tail else owner
            if container is None or container.tag in ("script", "style"):
                continue
            if self.excluded(container):
                continue
            if text.strip():
                nodes.append((str(text), container))
        return nodes[::-1]

    @cached_property
    def footer_texts(self) -> list[str]:
        """Texts right after the body inside the post's own container ("Posted at … by …"
        lines of skins that print the byline below the post), comments and widgets skipped."""
        if self.body is None:
            return []
        scope = self.article_scope()
        texts = []
        for text in _TEXT_AFTER(self.body):
            owner = text.getparent()
            container = owner.getparent() if text.is_tail else owner
            if container is None or not is_inside(container, scope):
                break
            if container.tag not in ("script", "style") and not self.excluded(container):
                texts.append(str(text))
        return texts

    def header_link(self, href_part: str) -> etree._Element | None:
        """First link whose href contains `href_part` near the title, outside the body."""
        title = self.title_element
        parent = title.getparent() if title is not None else None
        if parent is None:
            return None
        return self.first((f"a[href*='{href_part}']",), outside=self.body, scope=parent)

    def article_scope(self) -> etree._Element:
        """Smallest element holding both title and body: where the post's tags and byline are."""
        if self.body is None:
            return self.lxml
        title = self.title_element
        if title is None:
            parent = self.body.getparent()
            return parent if parent is not None else self.body
        ancestors = set(title.iterancestors())
        for node in self.body.iterancestors():
            if node in ancestors:
                return node
        return self.lxml

    @cached_property
    def inline_scripts(self) -> str:
        """Text of all inline scripts, joined; read only when head data falls short."""
        return "\n".join(_INLINE_SCRIPTS(self.lxml))
