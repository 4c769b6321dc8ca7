"""Tistory URL shapes: which URLs are posts or category listings, and their normal forms.

One post is reachable under many aliases (`/123`, `/m/123`, `/entry/slug`, `/123?category=9`,
http or https, trailing slash, `#comment`), and one category under raw Korean, `%20` or fully
percent-encoded paths. Everything that compares URLs goes through these functions so that the
listing walk, the article parser and the dedupe pipeline agree on what "the same" means.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

POST_PATH = re.compile(r"^/(?:m/)?(?:(?P<number>\d+)|entry/(?P<slug>[^/]+))/?$")
CATEGORY_PATH = re.compile(r"^/(?:m/)?category(?:/(?P<path>.*?))?/?$")
# Characters kept as they are when a path is re-encoded: RFC 3986 path characters.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


@lru_cache(maxsize=8192)
def _split(url: str) -> tuple[str, str, str]:
    """Return (host, decoded path, query) with the host lower-cased and the port kept.

    Cached: listings, related tables and widgets repeat the same post URLs page after page,
    and `urlsplit` + `unquote` were a tenth of a page's parse time.
    """
    parts = urlsplit(url.strip())
    return parts.netloc.lower(), unquote(parts.path or "/"), parts.query


def absolute_url(base: str, href: str) -> str:
    """`href` resolved against `base`; an absolute http(s) href as it is, without parsing.

    Most links of a Tistory page are absolute, and `urljoin` parses both URLs every time.
    """
    href = href.strip()
    if href.startswith(("https://", "http://")) and " " not in href:
        return href
    if href.startswith("/") and not href.startswith("//") and "/." not in href:
        return _origin(base) + href  # a path on the same site, nothing to normalise
    return urljoin(base, href)


@lru_cache(maxsize=1024)
def _origin(url: str) -> str:
    """`scheme://host[:port]` of `url`."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def encode_path(path: str) -> str:
    """Percent-encode a decoded path the one way Tistory and browsers do (UTF-8, `%20`)."""
    return quote(path, safe=_PATH_SAFE)


def post_key(url: str) -> str | None:
    """The post's key within its blog: entry number (`"81"`) or slug, `None` if not a post.

    `/m/123`, `/123/`, `/123?category=9` and `/123#comment5` all give `"123"`.
    """
    match = POST_PATH.match(_split(url)[1])
    if not match:
        return None
    return match.group("number") or match.group("slug")


def is_post_url(url: str) -> bool:
    """True for a Tistory permalink shape (numeric, `/entry/slug`, or their `/m/` forms)."""
    return post_key(url) is not None


@lru_cache(maxsize=8192)
def canonical_post_url(url: str) -> str:
    """The desktop form of a post URL, without query, fragment or trailing slash.

    `https://b.tistory.com/m/123?category=9#c` → `https://b.tistory.com/123`. The scheme is
    kept (local servers speak http); compare posts with `post_identity`, which ignores it.
    """
    host, path, _query = _split(url)
    match = POST_PATH.match(path)
    if not match:
        raise ValueError(f"not a Tistory post URL: {url!r}")
    path = f"/{match.group('number')}" if match.group("number") else f"/entry/{match.group('slug')}"
    return urlunsplit((urlsplit(url).scheme or "https", host, encode_path(path), "", ""))


def post_identity(url: str) -> str:
    """Scheme-free key of a post URL (`b.tistory.com/123`): http and https are one post."""
    return canonical_post_url(url).split("://", 1)[1]


def category_path(url: str) -> list[str] | None:
    """The category path of a listing URL, root first; `[]` for the all-posts `/category`.

    `None` when the URL is not a category listing. Percent-encoding, `+`-free `%20` spaces and
    raw Korean all decode to the same names.
    """
    match = CATEGORY_PATH.match(_split(url)[1])
    if not match:
        return None
    path = match.group("path") or ""
    return [part for part in path.split("/") if part]


def canonical_category_url(url: str, page: int | None = None) -> str:
    """The normal form of a category listing URL, optionally for page `page` (`?page=N`)."""
    host, _path, _query = _split(url)
    parts = category_path(url)
    if parts is None:
        raise ValueError(f"not a Tistory category URL: {url!r}")
    path = "/category" + "".join(f"/{part}" for part in parts)
    query = f"page={page}" if page is not None else ""
    scheme = urlsplit(url).scheme or "https"
    return urlunsplit((scheme, host, encode_path(path), query, ""))


def site_of(url: str) -> str:
    """Lower-case host of `url` (port kept, so local test servers stay distinct)."""
    return _split(url)[0]
