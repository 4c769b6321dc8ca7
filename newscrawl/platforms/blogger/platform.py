"""Blogger as a `Platform`: label listings walked by their "Older posts" cursor."""

from __future__ import annotations

from datetime import datetime, tzinfo

from newscrawl.platforms.base import ListingPage, Platform, StartTarget
from newscrawl.platforms.blogger import article, dates, detect, listing, urls


class BloggerPlatform(Platform):
    """Blogger blogs (`*.blogspot.com` and custom domains).

    Listings: `/search/label/<Label>` (one label) and the blog root `/` (every post), each
    page naming the next through `updated-max` (cursor paging). Posts: `/YYYY/MM/<slug>.html`.
    Labels are flat (a post carries several, none above another: `flat_categories`), so a
    label walk files each post under the label walked, provided the post carries it.
    """

    name = "blogger"
    label = "Blogger"
    paging = "cursor"
    detect_rank = 20
    flat_categories = True

    # The post methods are the package's own functions, unchanged.
    parse_article = staticmethod(article.parse_article)
    is_post_url = staticmethod(urls.is_post_url)
    canonical_post_url = staticmethod(urls.canonical_post_url)

    def detect(self, html: str, url: str) -> bool:
        return detect.is_blogger(html)

    def classify(self, url: str) -> StartTarget | None:
        if urls.is_post_url(url):
            return StartTarget("post", urls.canonical_post_url(url))
        label = urls.label_of(url)
        if label:
            return StartTarget("listing", urls.label_url(url, label))
        if urls.is_root_listing(url):
            return StartTarget("listing", urls.root_url(url))
        return None

    def category_of(self, walk_url: str) -> list[str]:
        label = urls.label_of(walk_url)
        return [label] if label else []

    def listing_url(self, walk_url: str, page: int, api: str | None = None) -> str:
        # Pages after the first are the cursor the previous page named (`ListingPage.next_url`).
        return walk_url

    def parse_listing(self, text: str, url: str) -> ListingPage:
        return listing.parse_listing(text, url)

    def feed_url(self, walk_url: str) -> str | None:
        return urls.feed_url(walk_url)

    def feed_is_of_category(self, walk_url: str) -> bool:
        return urls.label_of(walk_url) is not None

    def read_date(self, raw: str, field: str, *, now: datetime, tz: tzinfo) -> datetime | None:
        return dates.read_date(raw, now=now, tz=tz)


PLATFORM = BloggerPlatform()
