"""Where on a WordPress page something sits: the main loop, or a widget beside it.

Themes put Recent Posts, Jetpack Top Posts, related posts, comment lists and footers around
the main loop, and their links and dates are not the posts'. `Document.excluded` tests class
*substrings* (fine between a title and a body), but a listing has no body to anchor on, and
wrappers such as Genesis's `content-sidebar-wrap` hold the main loop itself; so here whole
class and id tokens are tested.
"""

from __future__ import annotations

import re

from lxml import etree

ASIDE_TAGS = frozenset({"aside", "nav"})
WIDGET_TOKEN = re.compile(
    r"^(?:widget(?:[_-][\w-]*)?|sidebar(?:-[\w-]+)?|[\w-]*-sidebar|secondary|widget-area"
    r"|jp-relatedposts[\w-]*|jp-related-posts-i2[\w-]*|related[_-]?posts?[\w-]*|yarpp[\w-]*"
    r"|site-footer|colophon)$",
    re.I,
)
COMMENTS_TOKEN = re.compile(r"^(?:comments?|comment-list|commentlist|comments-area)$", re.I)


def _tokens(element: etree._Element) -> list[str]:
    return f"{element.get('class') or ''} {element.get('id') or ''}".split()


def in_widget(element: etree._Element, *, comments: bool = True) -> bool:
    """True when `element` sits in a sidebar, widget, navigation, site footer or
    related-posts block, or (with `comments`) in the comments area."""
    node: etree._Element | None = element
    while node is not None and node.tag not in ("body", "html"):
        tokens = _tokens(node)
        if node.tag in ASIDE_TAGS or any(WIDGET_TOKEN.match(token) for token in tokens):
            return True
        if comments and any(COMMENTS_TOKEN.match(token) for token in tokens):
            return True
        node = node.getparent()
    return False
