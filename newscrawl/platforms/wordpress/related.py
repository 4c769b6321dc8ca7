"""Related-posts rows: Jetpack's block (classic and `i2`), a theme's own list, the REST field.

Jetpack Related Posts renders either the classic block (`#jp-relatedposts` with
`.jp-relatedposts-post` rows: a title link, a date line such as `March 17, 2016`, a context
line) or the newer block (`.jp-related-posts-i2__post` rows). Some themes print their own
"More articles in …" list (`#related-posts li` with an entry-title link and `time[datetime]`).
Jetpack also adds the same rows to each REST post as `jetpack-related-posts`, so a REST item
carries what its page shows. Rows show no comment count (0) and sometimes no date (`None`).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urljoin

from lxml import etree

from newscrawl.cssindex import Index
from newscrawl.dates import parse_day
from newscrawl.document import text_of
from newscrawl.items import RelatedPost
from newscrawl.platforms.wordpress.urls import canonical_post_url, is_post_url
from newscrawl.text import collapse_whitespace

# (row, title link, date) selectors per block shape, most specific first.
ROW_SHAPES = (
    (
        ".jp-relatedposts-post",
        (".jp-relatedposts-post-title a", "a.jp-relatedposts-post-a"),
        ".jp-relatedposts-post-date",
    ),
    (
        ".jp-related-posts-i2__post",
        ("a.jp-related-posts-i2__post-link", "a"),
        ".jp-related-posts-i2__post-date",
    ),
    ("#related-posts li", (".entry-title a", "a"), "time"),
    (".related-posts li", (".entry-title a", "a"), "time"),
)
DAY_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d. %B %Y")


def day_of(text: str | None) -> str | None:
    """`YYYY-MM-DD` of a row's date (`March 17, 2016`, `2016-03-17T…`, `2016.03.17`)."""
    text = collapse_whitespace(text or "")
    if not text:
        return None
    if len(text) >= 10 and text[4] == "-" and text[:4].isdigit():
        return parse_day(text[:10])
    for layout in DAY_FORMATS:
        try:
            return datetime.strptime(text, layout).date().isoformat()
        except ValueError:
            continue
    return parse_day(text)


def _row(
    row: etree._Element, index: Index, links: tuple[str, ...], date: str, base: str
) -> RelatedPost | None:
    link = next(
        (a for css in links for a in index.select(css, row) if text_of(a) and a.get("href")),
        None,
    )
    if link is None:
        return None
    url = urljoin(base, link.get("href", "").strip())
    if not is_post_url(url):
        return None
    when = next(iter(index.select(date, row)), None)
    raw = None if when is None else when.get("datetime") or text_of(when)
    return RelatedPost(text_of(link), canonical_post_url(url), 0, day_of(raw))


def parse_related(root: etree._Element, index: Index, url: str) -> list[RelatedPost]:
    """Rows of the first related-posts block shape found on the page, page order, unique."""
    for row_css, links, date in ROW_SHAPES:
        rows = index.select(row_css, root)
        found = [r for row in rows if (r := _row(row, index, links, date, url)) is not None]
        if found:
            return _unique(found)
    return []


def related_from_rest(rows: object) -> list[RelatedPost]:
    """Rows of a REST post's `jetpack-related-posts` field (`[]` when absent or malformed)."""
    if not isinstance(rows, list):
        return []
    found = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        title = collapse_whitespace(html.unescape(str(row.get("title") or "")))
        url = str(row.get("url") or "")
        if title and is_post_url(url):
            found.append(RelatedPost(title, canonical_post_url(url), 0, day_of(row.get("date"))))
    return _unique(found)


def _unique(rows: Iterable[RelatedPost]) -> list[RelatedPost]:
    seen: dict[str, RelatedPost] = {}
    for row in rows:
        seen.setdefault(row.url, row)
    return list(seen.values())
