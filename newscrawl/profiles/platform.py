"""A profile as a `Platform`: the spider walks a profile site like any built-in platform.

`Platform` keeps `name`, `paging`, `timezone` and the like as class attributes (one shared
instance per built-in platform), so `load_profile` makes one small subclass per profile with
the profile's values in them, rather than bending every platform into instance state.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from newscrawl.document import parse_html
from newscrawl.items import ArticleItem
from newscrawl.platforms.base import ListingPage, Platform, StartTarget
from newscrawl.profiles import article, urls
from newscrawl.profiles.dates import read_date
from newscrawl.profiles.loader import Profile, load_profile_data


class ProfilePlatform(Platform):
    """A blog platform described by a user's TOML profile (`newscrawl.profiles.loader`).

    Category listings are walked by the profile's `page_url` pattern (numbered paging) or by
    its `next` link (cursor paging; neither: one page). `category_of` is `[]`: a category's
    slug in its URL (`machine-learning`) rarely equals the name on its posts ("Machine
    Learning"), so the listing's own list (the `links` selector) decides what belongs to it.
    """

    profile: Profile

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def detect(self, html: str, url: str) -> bool:
        """The profile's `detect` selector matches; without one, any page is taken as its."""
        if self.profile.detect is None:
            return True
        return bool(self.profile.detect.select(parse_html(html).root))

    def classify(self, url: str) -> StartTarget | None:
        if urls.is_post_url(self.profile, url):
            return StartTarget("post", urls.canonical_post_url(self.profile, url))
        if urls.is_category_url(self.profile, url) or urlsplit(url).path in {"", "/"}:
            return StartTarget("listing", urls.canonical_listing_url(url))
        return None

    def category_of(self, walk_url: str) -> list[str]:
        return []

    def listing_url(self, walk_url: str, page: int, api: str | None = None) -> str:
        return urls.page_url(self.profile, walk_url, page)

    def parse_listing(self, text: str, url: str) -> ListingPage:
        root = parse_html(text).root
        found = (urljoin(url, link) for link in self.profile.links.links(root))
        posts = [
            urls.canonical_post_url(self.profile, link) for link in found if self.is_post_url(link)
        ]
        next_url = None
        if self.profile.next_page is not None:
            links = self.profile.next_page.links(root)
            next_url = urljoin(url, links[0]) if links else None
        return ListingPage(list(dict.fromkeys(posts)), next_url=next_url)

    def parse_article(self, html: str, url: str) -> ArticleItem | None:
        return article.parse_article(self.profile, html, url)

    def is_post_url(self, url: str) -> bool:
        return urls.is_post_url(self.profile, url)

    def canonical_post_url(self, url: str) -> str:
        return urls.canonical_post_url(self.profile, url)

    def read_date(self, raw: str, field: str, *, now: datetime, tz: tzinfo) -> datetime | None:
        fmt = self.profile.article.modified_format if field == "modified_raw" else None
        fmt = fmt or self.profile.article.date_format
        return read_date(raw, fmt, self.profile.language, now=now, tz=tz)


def load_profile(path: str | Path) -> ProfilePlatform:
    """The platform the profile at `path` describes, or `ProfileError` naming the bad key."""
    profile = load_profile_data(path)
    attributes = {
        "name": profile.name,
        "label": profile.label,
        "paging": "numbered" if profile.page_url else "cursor",
        "timezone": profile.timezone,
        "generic_fallback": profile.generic_fallback,
    }
    subclass = type(f"Profile[{profile.name}]", (ProfilePlatform,), attributes)
    return subclass(profile)
