"""WordPress as a `Platform`: URL shapes, detection, HTML parsers and the REST API walk."""

from __future__ import annotations

from newscrawl.platforms.base import ListingPage, Platform, StartTarget
from newscrawl.platforms.wordpress import article, detect, listing, rest, urls


class WordPressPlatform(Platform):
    """WordPress sites: `/category/<slug>/` and root listings, any-shape post permalinks.

    Listings are walked through the REST API when the site answers it (`probe_url`), else
    through the HTML pages. Paging is by cursor: an HTML page names its next page by linking
    it (WordPress answers a page past the last with 404, so numbers are not guessed ahead),
    a REST page is followed by the next number only when it was full.
    """

    name = "wordpress"
    label = "WordPress"
    paging = "cursor"
    detect_rank = 20

    # The post methods are the package's own functions, unchanged.
    parse_article = staticmethod(article.parse_article)
    is_post_url = staticmethod(urls.is_post_url)
    canonical_post_url = staticmethod(urls.canonical_post_url)

    def detect(self, html: str, url: str) -> bool:
        return detect.is_wordpress(html)

    def classify(self, url: str) -> StartTarget | None:
        if urls.category_slugs(url):
            return StartTarget("listing", urls.canonical_listing_url(url))
        if urls.is_root(url):
            return StartTarget("listing", urls.canonical_listing_url(url))
        if urls.is_post_url(url):
            return StartTarget("post", urls.canonical_post_url(url))
        return None

    def category_of(self, walk_url: str) -> list[str]:
        """Always `[]`: a listing names its category by slug while posts name theirs by
        display name, and a post filed under several categories shows only one path, so the
        spider's "post outside the listing's category" guard would drop real members. The
        listing (HTML or REST) already holds only the category's posts."""
        return []

    def listing_url(self, walk_url: str, page: int, api: str | None = None) -> str:
        if api:
            return urls.api_listing_url(walk_url, page, api)
        return urls.canonical_listing_url(walk_url, page)

    def parse_listing(self, text: str, url: str) -> ListingPage:
        if urls.is_api_url(url):
            return rest.parse_posts(text, url)
        return listing.parse_listing(text, url)

    def probe_url(self, walk_url: str) -> str | None:
        return urls.probe_url(walk_url)

    def read_probe(self, text: str, walk_url: str) -> str | None:
        return rest.read_probe(text, walk_url)

    def feed_url(self, walk_url: str) -> str | None:
        """`/category/<slug>/feed/` (its subcategories' posts included), `/feed/` at the root:
        the listing's own posts, which matters since `category_of` checks no category."""
        return urls.canonical_listing_url(walk_url) + "feed/"

    def feed_is_of_category(self, walk_url: str) -> bool:
        return True


PLATFORM = WordPressPlatform()
