"""Is this HTML a Blogger page? Decided by markup, never by host name.

Blogger blogs live on `*.blogspot.com` and on custom domains, so the host proves nothing.
Blogger's renderer writes things no other platform does, and any one of them is enough:
`<meta name="generator" content="blogger">`, the `_WidgetManager._Init(…)` bootstrap script,
the `service.post` link to `www.blogger.com/feeds/<blogId>/`, and assets from
`www.blogger.com/static/` or `*.blogblog.com`. Templates that strip the head still keep the
widget markup: two of the `widget Blog` class, the `post-body` container, the date header and
the `blog-pager-older-link` pager together mark a Blogger page (each alone is a word any
theme might use). A page that merely links or hot-links a blogspot image is not Blogger.
"""

from __future__ import annotations

import re

STRONG_MARKERS = (
    re.compile(r"<meta\b[^>]*\bname=[\"']?generator[\"']?[^>]*\bcontent=[\"']?blogger\b", re.I),
    re.compile(r"<meta\b[^>]*\bcontent=[\"']?blogger[\"']?[^>]*\bname=[\"']?generator\b", re.I),
    re.compile(r"_WidgetManager\._(?:Init|RegisterWidget|SetDataContext)\("),
    re.compile(r"\brel=[\"']?service\.post\b[^>]*www\.blogger\.com/feeds/\d+", re.I),
    re.compile(
        r"(?:src|href)=[\"']?(?:https?:)?//(?:www\.blogger\.com/static/|[\w.-]*blogblog\.com/)",
        re.I,
    ),
)
WEAK_MARKERS = (
    re.compile(r"\bclass=[\"']widget Blog[\"']"),
    re.compile(r"\bclass=[\"'][^\"']*\bpost-body\b"),
    re.compile(r"\bclass=[\"']date-header[\"']"),
    re.compile(r"\bblog-pager-older-link\b[^>]*\bhref="),
    re.compile(r"\bid=[\"']Blog1[\"']"),
)
WEAK_NEEDED = 2


def is_blogger(html: str) -> bool:
    """True when the markup shows Blogger's renderer or its widget layout, whatever host."""
    if not html:
        return False
    if any(marker.search(html) for marker in STRONG_MARKERS):
        return True
    return sum(1 for marker in WEAK_MARKERS if marker.search(html)) >= WEAK_NEEDED
