"""Blogger URL shapes: posts, label listings, the blog root and the cursor pages between.

Posts live at `/YYYY/MM/<slug>.html`; `?m=1` (the mobile view), `?showComment=<ms>` and
fragments name the same post. Label listings are `/search/label/<Label>` with the label
percent-encoded (`%20` for spaces); their older pages add `updated-max=<ISO>&max-results=N`.
The blog root lists every post; its older pages are `/search?updated-max=…`. Country hosts of
blogspot (`name.blogspot.tw`) have redirected to `name.blogspot.com` since 2018, and pages
still link both: they are folded, so one post has one URL.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qs, quote, unquote, urlsplit, urlunsplit

POST_PATH = re.compile(r"^/\d{4}/\d{2}/[^/]+\.html$")
LABEL_PATH = re.compile(r"^/search/label/([^/]+)/?$")
FEED_LABEL_PATH = re.compile(r"^/feeds/posts/(?:default|summary)/-/([^/]+)/?$")
BLOGSPOT_COUNTRY = re.compile(r"\.blogspot\.(?!com$)[a-z]{2,3}(?:\.[a-z]{2})?$")


def _host(netloc: str) -> str:
    """Lower-case host (port kept), blogspot country domains folded into `.blogspot.com`."""
    host = netloc.lower()
    name, colon, port = host.partition(":")
    return BLOGSPOT_COUNTRY.sub(".blogspot.com", name) + colon + port


def site_of(url: str) -> str:
    """The host a Blogger URL belongs to, as `canonical_post_url` writes it."""
    return _host(urlsplit(url).netloc)


def is_post_url(url: str) -> bool:
    """True for a post permalink `/YYYY/MM/<slug>.html` (any query or fragment)."""
    return bool(POST_PATH.match(urlsplit(url).path))


@lru_cache(maxsize=4096)
def canonical_post_url(url: str) -> str:
    """The post's one URL: host folded, query (`m=1`, `showComment`) and fragment dropped."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), _host(parts.netloc), parts.path, "", ""))


def label_of(url: str) -> str | None:
    """The label a label listing (or label feed) URL walks, decoded; `None` otherwise."""
    path = urlsplit(url).path
    match = LABEL_PATH.match(path) or FEED_LABEL_PATH.match(path)
    return unquote(match.group(1)) if match else None


def label_url(base: str, label: str) -> str:
    """The canonical listing of `label` on the blog of `base` (no paging query)."""
    parts = urlsplit(base)
    path = "/search/label/" + quote(label, safe="")
    return urlunsplit((parts.scheme.lower(), _host(parts.netloc), path, "", ""))


def feed_url(walk_url: str) -> str:
    """The Atom feed of a label listing (`/feeds/posts/default/-/<Label>`) or of the blog."""
    parts = urlsplit(walk_url)
    label = label_of(walk_url)
    path = "/feeds/posts/default" + (f"/-/{quote(label, safe='')}" if label else "")
    return urlunsplit((parts.scheme.lower(), _host(parts.netloc), path, "", ""))


def root_url(url: str) -> str:
    """The blog root of `url`: the listing of every post."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), _host(parts.netloc), "/", "", ""))


def is_root_listing(url: str) -> bool:
    """The root and its all-posts pages (`/`, `/search`, `/search?updated-max=…`), not a
    search for words (`/search?q=…`), which lists matches, not the blog."""
    parts = urlsplit(url)
    if parts.path in {"", "/"}:
        return True
    return parts.path.rstrip("/") == "/search" and "q" not in parse_qs(parts.query)


def is_listing_page(url: str) -> bool:
    """A page of a label or root listing: where an "Older posts" link may lead."""
    return label_of(url) is not None or is_root_listing(url)
