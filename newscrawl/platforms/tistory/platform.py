"""Tistory as a `Platform`: the existing parsers behind the interface the spider walks with."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from newscrawl.platforms.base import ListingPage, Platform, StartTarget
from newscrawl.platforms.tistory import article, detect, listing, protected, urls


class TistoryPlatform(Platform):
    """Tistory blogs: `/category/<path>?page=N` listings, `/<n>` and `/entry/<slug>` posts.

    Its markers (`body#tt-body-*`, `T.config`, Tistory's CDN) are unambiguous, so it is asked
    first. "No article" on a fetched post means a listing or a stray page (ruled out), never
    a page the generic extractor should guess at.
    """

    name = "tistory"
    label = "Tistory"
    detect_rank = 10
    generic_fallback = False
    # Naive dates: NEWSCRAWL_TIMEZONE (default Asia/Seoul, where Tistory blogs live), so an
    # operator can still name another zone for a blog.
    timezone = None

    # The post methods are the package's own functions, unchanged.
    parse_article = staticmethod(article.parse_article)
    is_post_url = staticmethod(urls.is_post_url)
    canonical_post_url = staticmethod(urls.canonical_post_url)

    def detect(self, html: str, url: str) -> bool:
        return detect.is_tistory(html)

    def classify(self, url: str) -> StartTarget | None:
        if urls.is_post_url(url):
            return StartTarget("post", urls.canonical_post_url(url))
        if urls.category_path(url) is not None:
            return StartTarget("listing", urls.canonical_category_url(url))
        parts = urlsplit(url)
        if parts.path in {"", "/"}:
            # A blog root: every post of the blog is listed under the all-posts category.
            root_listing = urlunsplit((parts.scheme, parts.netloc, "/category", "", ""))
            return StartTarget("listing", urls.canonical_category_url(root_listing))
        return None

    def category_of(self, walk_url: str) -> list[str]:
        return urls.category_path(walk_url) or []

    def listing_url(self, walk_url: str, page: int, api: str | None = None) -> str:
        return urls.canonical_category_url(walk_url, page=page)

    def parse_listing(self, text: str, url: str) -> ListingPage:
        return ListingPage(listing.parse_listing(text, url).post_urls)

    def is_protected(self, html: str) -> bool:
        return protected.is_protected(html)

    def feed_url(self, walk_url: str) -> str | None:
        """`/rss`: blog-wide (the latest 10–50 posts), each entry with its category path in
        `<category>`, so the spider keeps the entries of the walk's category."""
        parts = urlsplit(walk_url)
        return urlunsplit((parts.scheme, parts.netloc, "/rss", "", ""))


PLATFORM = TistoryPlatform()
