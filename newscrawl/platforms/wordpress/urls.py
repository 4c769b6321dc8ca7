"""WordPress URL shapes: category listings, the blog root, post permalinks, the REST API.

Post permalinks are a per-site setting (`/2019/04/08/slug/`, `/slug/`, `/archives/123`,
`/?p=123`), so a post cannot be recognised by a pattern of its own: a post URL is any URL of
the site that is none of the paths WordPress reserves for something else (listings, feeds,
the API, uploads, date archives). Category listings are `/category/<slug>/` (children nested:
`/category/parent/child/`), paged as `/page/N/`; a blog installed under a directory keeps
that directory before every path (`/blog/category/news/`, `/blog/wp-json/`).

Canonical forms end with `/` (WordPress's default permalink structures all do, so most
sites redirect the slash-less form) and drop queries and fragments, except `?p=N`, which is
the post's identity on sites without pretty permalinks.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit, urlunsplit

CATEGORY_BASE = "category"
PAGE_SEGMENT = "page"
# Path segments WordPress reserves for pages that are not posts.
NON_POST_SEGMENTS = frozenset(
    {
        "category",
        "tag",
        "author",
        "page",
        "feed",
        "comments",
        "search",
        "trackback",
        "embed",
        "wp-json",
        "wp-content",
        "wp-admin",
        "wp-includes",
        "xmlrpc.php",
        "wp-login.php",
        "wp-cron.php",
    }
)
# Query keys of WordPress's plain (non-pretty) URLs for pages that are not posts.
NON_POST_QUERY_KEYS = frozenset(
    {"s", "cat", "tag", "author", "m", "paged", "page_id", "feed", "attachment_id", "year"}
)
POST_VARIANT_SEGMENTS = frozenset({"amp"})  # `/slug/amp/` shows the same post
FILE_SUFFIX = re.compile(r"\.(?!html?$)[a-z0-9]{2,5}$", re.I)  # sitemap.xml, logo.png; not .html
ANY_SUFFIX = re.compile(r"\.[a-z0-9]{2,5}$", re.I)  # `/archives/123.html` takes no `/`
YEAR = re.compile(r"(?:19|20)\d\d")
MONTH_OR_DAY = re.compile(r"\d{1,2}")
SAFE_PATH_CHARS = "/:@!$&'()*+,;=-._~"
ALL_POSTS = "all"  # the REST handle of a walk over every post (the blog root)
REST_PER_PAGE = 50  # posts per REST page; WordPress allows up to 100


def _segments(path: str) -> list[str]:
    return [segment for segment in path.split("/") if segment]


def _normal_path(path: str) -> str:
    """One spelling of a path: percent-encoding re-done (upper case), raw UTF-8 encoded."""
    return quote(unquote(path), safe=SAFE_PATH_CHARS)


def _post_id_query(query: str) -> str | None:
    """The `N` of a `?p=N` query, else `None`."""
    values = parse_qs(query).get("p", [])
    return values[0] if values and values[0].isdigit() else None


def _is_date_archive(segments: list[str]) -> bool:
    """`/2019/`, `/2019/04/`, `/2019/04/08/`: a year, month or day archive."""
    if not 1 <= len(segments) <= 3 or not YEAR.fullmatch(segments[0]):
        return False
    return all(MONTH_OR_DAY.fullmatch(segment) for segment in segments[1:])


@lru_cache(maxsize=4096)
def is_post_url(url: str) -> bool:
    """True for a URL that can be a post permalink (see the module docstring)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return False
    query = parse_qs(parts.query)
    if _post_id_query(parts.query):
        return True
    if NON_POST_QUERY_KEYS.intersection(query):
        return False
    segments = _segments(parts.path)
    if not segments or NON_POST_SEGMENTS.intersection(segment.lower() for segment in segments):
        return False
    if FILE_SUFFIX.search(segments[-1]):
        return False
    return not _is_date_archive(segments)


@lru_cache(maxsize=4096)
def canonical_post_url(url: str) -> str:
    """The one URL of a post: host lower case, no fragment, `?p=N` kept, other queries and an
    `/amp/` ending dropped, a trailing `/` (except on `.html` permalinks)."""
    parts = urlsplit(url)
    netloc = parts.netloc.lower()
    post_id = _post_id_query(parts.query)
    segments = _segments(_normal_path(parts.path))
    if post_id:
        path = "/" + "/".join(segments) + ("/" if segments else "")
        return urlunsplit((parts.scheme, netloc, path, urlencode({"p": post_id}), ""))
    if len(segments) > 1 and segments[-1].lower() in POST_VARIANT_SEGMENTS:
        segments = segments[:-1]
    path = "/" + "/".join(segments)
    if segments and not ANY_SUFFIX.search(segments[-1]):
        path += "/"
    return urlunsplit((parts.scheme, netloc, path, "", ""))


def post_key(url: str) -> str | None:
    """The post's key in its URL: `N` of `?p=N` or `/archives/N`, else the last path segment."""
    parts = urlsplit(url)
    if post_id := _post_id_query(parts.query):
        return post_id
    segments = _segments(parts.path)
    return unquote(segments[-1]) if segments else None


def _split_listing(path: str) -> tuple[list[str], list[str] | None, int]:
    """(install prefix, category slugs or `None`, page number) of a listing path."""
    segments = _segments(_normal_path(path))
    page = 1
    if len(segments) >= 2 and segments[-2] == PAGE_SEGMENT and segments[-1].isdigit():
        page = int(segments[-1])
        segments = segments[:-2]
    if CATEGORY_BASE in segments:
        at = segments.index(CATEGORY_BASE)
        slugs = segments[at + 1 :]
        return segments[:at], (slugs or None), page
    return segments, None, page


def category_slugs(url: str) -> list[str] | None:
    """The category slugs a listing URL names, root first (`None` if it names none)."""
    return _split_listing(urlsplit(url).path)[1]


def listing_page_number(url: str) -> int:
    """The page a listing URL shows: `N` of `/page/N/` or `?paged=N`, else 1."""
    parts = urlsplit(url)
    paged = parse_qs(parts.query).get("paged", [])
    if paged and paged[0].isdigit():
        return int(paged[0])
    return _split_listing(parts.path)[2]


def is_root(url: str) -> bool:
    """The blog root (or one of its `/page/N/`): the listing of every post."""
    parts = urlsplit(url)
    if NON_POST_QUERY_KEYS.intersection(parse_qs(parts.query)) - {"paged"}:
        return False
    prefix, slugs, _ = _split_listing(parts.path)
    return not prefix and slugs is None and not _post_id_query(parts.query)


def canonical_listing_url(url: str, page: int = 1) -> str:
    """Page `page` of the listing `url` names (a category or the root), as WordPress links it."""
    parts = urlsplit(url)
    prefix, slugs, _ = _split_listing(parts.path)
    segments = prefix + ([CATEGORY_BASE, *slugs] if slugs else [])
    if page > 1:
        segments += [PAGE_SEGMENT, str(page)]
    path = "/" + "".join(f"{segment}/" for segment in segments)
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, "", ""))


def api_root(walk_url: str) -> str:
    """`…/wp-json/wp/v2/` of the blog a listing URL belongs to (its install prefix kept)."""
    parts = urlsplit(walk_url)
    prefix, _, _ = _split_listing(parts.path)
    path = "/" + "".join(f"{segment}/" for segment in prefix) + "wp-json/wp/v2/"
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, "", ""))


def probe_url(walk_url: str) -> str:
    """Every category with its parent (one page of 100): the probe that finds a category's
    id and its subcategories', which WordPress lists under the parent in HTML."""
    return api_root(walk_url) + "categories?per_page=100&_fields=id,slug,parent"


def api_listing_url(walk_url: str, page: int, handle: str) -> str:
    """Page `page` of the REST posts of a walk; `handle` is category ids or `ALL_POSTS`."""
    query = {} if handle == ALL_POSTS else {"categories": handle}
    query.update({"page": str(page), "per_page": str(REST_PER_PAGE), "_embed": "1"})
    return api_root(walk_url) + "posts?" + urlencode(query, safe=",")


def api_page_size(url: str) -> int:
    """The `per_page` a REST listing URL asked for (WordPress's default 10 when absent)."""
    values = parse_qs(urlsplit(url).query).get("per_page", [])
    return int(values[0]) if values and values[0].isdigit() else 10


def next_api_url(url: str) -> str:
    """The same REST listing, one page further."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    page = int(query.get("page", ["1"])[0]) + 1
    query["page"] = [str(page)]
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True, safe=",")))


def is_api_url(url: str) -> bool:
    return "/wp-json/" in urlsplit(url).path


def site_of(url: str) -> str:
    """Host (and port) of `url`, lower case."""
    return urlsplit(url).netloc.lower()
