"""Is this HTML a WordPress page? Decided by markup, never by host name.

WordPress sites live on any domain, and pages reach us saved or copied, so only what
WordPress itself writes counts: the `generator` meta (`WordPress 6.4`, `WordPress.com`), the
REST API discovery link (`rel="https://api.w.org/"`), its shortlinks (`?p=N`, `wp.me`),
stylesheets and scripts served from `/wp-content/` or `/wp-includes/`, the body classes
`body_class()` prints (`postid-N`, `single-format-standard`, `wp-custom-logo`…) and the
classes its editor writes into content (`wp-image-N`, `wp-caption`, `wp-block-…`). Any one
is enough. `single-post` is not one: PIXNET prints it too.

Images alone do not count: a post on another platform may show a picture hot-linked from a
WordPress site's `/wp-content/uploads/`.
"""

from __future__ import annotations

import re

import parsel

from newscrawl.document import parse_html

GENERATOR = "//meta[@name='generator']/@content"
API_LINK = "//link[@rel='https://api.w.org/']"
SHORTLINK = "//link[@rel='shortlink']/@href"
ASSETS = "//link[@rel='stylesheet']/@href | //script/@src"
ASSET_PATH = re.compile(r"/wp-(?:content|includes)/")
SHORTLINK_SHAPE = re.compile(r"[?&]p=\d+|//wp\.me/")
# `body_class()` and `post_class()` tokens, and the block editor's and media library's classes.
MARKER_CLASS = re.compile(
    r"^(?:postid-\d+|page-id-\d+|single-format-\w+|wp-custom-logo|wp-embed-responsive"
    r"|wp-image-\d+|wp-caption|wp-block-[\w-]+|wpcomblog|status-publish)$"
)
CLASSES = "//@class"


def _markers(root: parsel.Selector) -> bool:
    if any(
        value.strip().lower().startswith("wordpress") for value in root.xpath(GENERATOR).getall()
    ):
        return True
    if root.xpath(API_LINK):
        return True
    if any(SHORTLINK_SHAPE.search(href) for href in root.xpath(SHORTLINK).getall()):
        return True
    if any(ASSET_PATH.search(url) for url in root.xpath(ASSETS).getall()):
        return True
    return any(
        MARKER_CLASS.match(token)
        for value in root.xpath(CLASSES).getall()
        for token in value.split()
    )


def is_wordpress(html: str) -> bool:
    """True when the markup shows WordPress's own output, whatever the host."""
    return _markers(parse_html(html))
