"""Is this HTML a Tistory page? Decided by markup, never by host name.

Tistory blogs live on `*.tistory.com` and on custom domains, and pages reach us saved,
copied or embedded, so the host name proves nothing: the markup does. Tistory's server
injects things no other platform writes: `body#tt-body-<kind>`, the `window.T.config` /
`T.entryInfo` scripts, `article:txid` meta, assets from `t1.daumcdn.net/tistory*`, the
editor's `tt_article_useless_p_margin` wrapper, the related-posts block `another_category`,
the sidebar plugins' `tt_category` / `tt-calendar`, the React placeholders
`data-tistory-react-app`, and category listings paged as `/category/…?page=N`. Any one of them
is enough; none of them appears on the WordPress, Blogger, Medium, Naver or static-site pages
of the corpus.
"""

from __future__ import annotations

import re

import parsel

from newscrawl.document import parse_html

# The body tag is read from the raw HTML: pages wrapped in server templates (ASP, JSP) make
# lxml open an implicit <body> first and drop the real one's attributes.
BODY_ID = re.compile(r"<body\b[^>]*\bid\s*=\s*[\"']?(tt-body-[\w-]+)", re.IGNORECASE)
SCRIPTS = "//script/text()"
TXID_META = "//meta[@property='article:txid']"
ASSET_URLS = "//@src | //@href"
REACT_PLACEHOLDER = "//*[@data-tistory-react-app]"
PAGING_LINKS = "//*[contains(@class, 'paging')]//a/@href"
TABLOID_CANVAS = "//*[@id='ttCanvas']"
# Class names only Tistory's server, editor or plugins write.
MARKER_CLASSES = frozenset(
    {"tt_article_useless_p_margin", "another_category", "tt_category", "tt-calendar"}
)
ASSET_MARKERS = ("t1.daumcdn.net/tistory", "tistory_admin")
SCRIPT_MARKER = re.compile(r"\bT\.config\s*=|\bT\.entryInfo\s*=")
CATEGORY_PAGING = re.compile(r"/category(?:/[^?#]*)?\?(?:[^#]*&)?page=\d+")


def _root(html: str) -> parsel.Selector:
    return parse_html(html)


def _has_marker_class(root: parsel.Selector) -> bool:
    """True if any element carries one of `MARKER_CLASSES` as a whole class token."""
    for classes in root.xpath("//@class").getall():
        if MARKER_CLASSES.intersection(classes.split()):
            return True
    return False


def _body_id(html: str) -> str:
    match = BODY_ID.search(html or "")
    return match.group(1) if match else ""


def _markers(root: parsel.Selector) -> bool:
    """The markup test itself: any one Tistory marker is enough (see module docstring)."""
    if any(SCRIPT_MARKER.search(text) for text in root.xpath(SCRIPTS).getall()):
        return True
    if root.xpath(TXID_META) or root.xpath(REACT_PLACEHOLDER) or root.xpath(TABLOID_CANVAS):
        return True
    if any(marker in url for url in root.xpath(ASSET_URLS).getall() for marker in ASSET_MARKERS):
        return True
    if _has_marker_class(root):
        return True
    return any(CATEGORY_PAGING.search(href) for href in root.xpath(PAGING_LINKS).getall())


def is_tistory(html: str) -> bool:
    """True when the markup shows Tistory's server, editor or plugin output, whatever host."""
    return bool(_body_id(html)) or _markers(_root(html))
