"""Tistory's related-posts block: "'A > B' 카테고리의 다른 글".

Tistory renders it server-side, the same in every skin and era seen, as::

    div.another_category.another_category_color_<gray|red|green|blue|violet>
      h4   'A' &gt; 'B' 카테고리의 다른 글      (1 or 2 category links)
      table [tbody]
        tr  th > a[.current] + &nbsp;&nbsp;<span>(N)</span>   td YYYY.MM.DD

so the selectors below are the whole skin knowledge. The row marked `a.current` is the page
itself, not a related post, and is skipped. Post links may carry `?category=<id>` (older
pages) or be relative; they are resolved against the page URL and canonicalised with
`canonical_post_url` so that they compare equal to the URLs the listing walk produces.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag

import parsel
from lxml import etree

from newscrawl.dates import parse_day
from newscrawl.items import RelatedPost
from newscrawl.platforms.tistory.urls import (
    absolute_url,
    canonical_post_url,
    category_path,
    is_post_url,
)
from newscrawl.text import collapse_whitespace

RELATED_BLOCK = "div.another_category"
HEADING = "h4"
HEADING_LINK = "a[href]"
# Rows with and without an explicit <tbody>; the title link and `(N)` sit in the `th`.
_ROWS = etree.XPath(".//table//tr")
_ROW_TITLE_LINK = etree.XPath("th//a[@href]")
_ROW_COMMENT_COUNT = etree.XPath("th//span//text()")
_ROW_DATE = etree.XPath("td")
CURRENT_ROW_CLASS = "current"
HEADING_SUFFIX = "카테고리의 다른 글"

_COUNT = re.compile(r"\(\s*(\d+)\s*\)")
_QUOTES = "'\"‘’“”"


def _block(root: parsel.Selector) -> parsel.Selector | None:
    """The first related block of the page; a page shows one, copies in widgets are ignored."""
    blocks = root.css(RELATED_BLOCK)
    return blocks[0] if blocks else None


def _text(node: etree._Element) -> str:
    """All text of `node`, whitespace collapsed (titles wrap over lines in old editors)."""
    return collapse_whitespace("".join(node.itertext()))


def _is_current(link: etree._Element) -> bool:
    """True for the row Tistory marks as the page itself (`class` token `current`)."""
    return CURRENT_ROW_CLASS in (link.get("class") or "").split()


def _post_url(href: str, base_url: str) -> str:
    """Absolute canonical post URL; non-permalink hrefs are kept absolute, fragment dropped.

    Rows always link posts, but a custom-permalink blog could use another shape: keeping the
    row is better than losing it, so only Tistory permalinks are canonicalised.
    """
    absolute = absolute_url(base_url, href)
    if is_post_url(absolute):
        return canonical_post_url(absolute)
    return urldefrag(absolute)[0]


def _comment_count(row: etree._Element) -> int:
    """The `(N)` beside the title; 0 when the row shows none."""
    match = _COUNT.search(" ".join(_ROW_COMMENT_COUNT(row)))
    return int(match.group(1)) if match else 0


def _published_at(row: etree._Element) -> str | None:
    """The row's `YYYY.MM.DD` as `YYYY-MM-DD`, `None` when missing or unreadable."""
    cells = _ROW_DATE(row)
    text = _text(cells[0]) if cells else ""
    if not text:
        return None
    try:
        return parse_day(text)
    except ValueError:
        return None


def _row(row: etree._Element, base_url: str) -> RelatedPost | None:
    """One related post from a table row, `None` for the current page or a row without link."""
    links = _ROW_TITLE_LINK(row)
    if not links or _is_current(links[0]):
        return None
    link = links[0]
    return RelatedPost(
        title=_text(link),
        url=_post_url(link.get("href") or "", base_url),
        comment_count=_comment_count(row),
        published_at=_published_at(row),
    )


def parse_related(root: parsel.Selector, base_url: str) -> list[RelatedPost]:
    """Rows of the page's related block in table order, the current page excluded.

    `base_url` is the URL the page was fetched from: relative row links resolve against it.
    Returns `[]` when the page has no block. Rows are read with compiled XPath on the lxml
    tree: a page has up to a dozen rows and parsel's per-call selector setup dominated.
    """
    block = _block(root)
    if block is None:
        return []
    rows = (_row(row, base_url) for row in _ROWS(block.root))
    return [row for row in rows if row is not None]


def _category_from_links(heading: parsel.Selector) -> list[str] | None:
    """The deepest category path among the heading's links, `None` if none is a category URL.

    The last link's href carries the full path (`/category/A/B`) even though its text shows
    only the leaf `B`, so decoding hrefs is more faithful than the text. `/category` alone
    (Tistory's "분류없음", uncategorised) decodes to `[]`.
    """
    paths = [category_path(a.attrib["href"]) for a in heading.css(HEADING_LINK)]
    found = [path for path in paths if path is not None]
    if not found:
        return None
    return max(found, key=len)


def _category_from_text(heading: parsel.Selector) -> list[str]:
    """Fallback: `'A > B' 카테고리의 다른 글` split on `>`, suffix and quotes removed."""
    text = _text(heading.root)
    if text.endswith(HEADING_SUFFIX):
        text = text[: -len(HEADING_SUFFIX)]
    parts = (part.strip().strip(_QUOTES).strip() for part in text.strip().split(">"))
    return [part for part in parts if part]


def related_category(root: parsel.Selector) -> list[str]:
    """Category path named by the related block's heading, root first; `[]` if no block."""
    block = _block(root)
    if block is None:
        return []
    headings = block.css(HEADING)
    if not headings:
        return []
    from_links = _category_from_links(headings[0])
    if from_links is not None:
        return from_links
    return _category_from_text(headings[0])
