"""A profile's URL shapes: post and category patterns, page N of a listing, canonical forms.

The `[urls]` patterns are searched in the URL's path, plus `?query` when it has one, so both
`^/posts/[^/]+/$` and `[?&]p=\\d+` work. A post URL drops its fragment, and its query too when
the post pattern matches without it: tracking parameters do not make a second post.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from newscrawl.profiles.loader import Profile


def _target(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path or '/'}?{parts.query}" if parts.query else parts.path or "/"


def is_post_url(profile: Profile, url: str) -> bool:
    return profile.post_url.search(_target(url)) is not None


def is_category_url(profile: Profile, url: str) -> bool:
    return profile.category_url.search(_target(url)) is not None


def canonical_post_url(profile: Profile, url: str) -> str:
    parts = urlsplit(url)
    query = parts.query
    if query and profile.post_url.search(parts.path or "/"):
        query = ""
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, query, ""))


def canonical_listing_url(url: str) -> str:
    """A listing URL without fragment, scheme and host lower-cased (page 1 of the walk)."""
    parts = urlsplit(url)
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


def post_id(profile: Profile, url: str) -> str | None:
    """The post pattern's `id` group on `url`, when the pattern names one."""
    match = profile.post_url.search(_target(url))
    if match is None or "id" not in profile.post_url.groupindex:
        return None
    return match.group("id")


def page_url(profile: Profile, walk_url: str, page: int) -> str:
    """Page `page` of the listing at `walk_url` by the profile's `page_url` pattern.

    `{url}` is the listing URL without its trailing slash or query; a pattern starting with
    `/` or `?` is relative to the listing's site or path.
    """
    if page == 1 or profile.page_url is None:
        return walk_url
    parts = urlsplit(walk_url)
    base = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
    filled = profile.page_url.format(url=base, page=page)
    if filled.startswith("?"):
        return base + (parts.path[len(parts.path.rstrip("/")) :]) + filled
    if filled.startswith("/"):
        return urlunsplit((parts.scheme, parts.netloc, filled, "", ""))
    return filled
