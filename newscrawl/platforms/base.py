"""What the crawl needs to know about a blog platform, and how platforms are found.

The spider walks every platform the same way (listing pages in order, posts fetched once,
stop rules, archive state); a `Platform` supplies only what differs: the shape of its URLs,
how to recognise its pages, and how to parse a listing page and an article page. Parsers stay
plain functions of HTML + URL, so a platform is tested with saved pages and no engine.

Platforms live one per package under `newscrawl/platforms/<name>/`, each exposing a module
attribute `PLATFORM`. `discover()` imports them by walking the package, so adding a platform
touches no other platform's code.
"""

from __future__ import annotations

import importlib
import pkgutil
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from functools import cache
from typing import ClassVar

from newscrawl.dates import parse_date
from newscrawl.items import ArticleItem


@dataclass(frozen=True)
class StartTarget:
    """One start URL and what it names: a category listing (page 1) or a single post."""

    kind: str  # "listing" | "post"
    url: str


@dataclass
class ListingPage:
    """What one listing page tells the walk.

    - `post_urls`: canonical post URLs of the listing's own list, page order, unique.
    - `next_url`: the next page, for platforms that page by cursor (Blogger's
      `updated-max`); `None` means "use `Platform.listing_url(page + 1)`" on numbered
      platforms and "this is the last page" on cursor ones.
    - `last_page`: the page itself says no page follows (an API page shorter than its limit).
    - `items`: posts the listing already describes in full (an API listing), by canonical
      URL: the spider exports these without fetching the post's page.
    """

    post_urls: list[str]
    next_url: str | None = None
    last_page: bool = False
    items: Mapping[str, ArticleItem] = field(default_factory=dict)


class Platform(ABC):
    """One blog platform. Instances are stateless; one shared instance per platform.

    `paging` is `"numbered"` when page N of a listing has a URL computable from N (the walk
    may fetch pages ahead) or `"cursor"` when each page names the next (walked one by one).
    `detect_rank` orders detection: lower ranks are asked first, so a platform whose markers
    are unambiguous goes before one that recognises looser signs.
    `generic_fallback`: when the platform's parser finds no article on a page, may the
    generic extractor (trafilatura + htmldate) try? Off where "no article" is meaningful
    (a Tistory listing page fetched as a post).
    """

    name: ClassVar[str]
    label: ClassVar[str] = ""  # how people write the name ("WordPress"), for messages
    paging: ClassVar[str] = "numbered"
    detect_rank: ClassVar[int] = 50
    generic_fallback: ClassVar[bool] = True
    # Naive dates on this platform's pages are in this zone unless the site says otherwise.
    timezone: ClassVar[str | None] = None
    # Categories are flat labels, several per post (Blogger): a walk files a post under the
    # label walked, if the post carries it, instead of comparing category paths.
    flat_categories: ClassVar[bool] = False

    @abstractmethod
    def detect(self, html: str, url: str) -> bool:
        """True when the page's markup (never its host name alone) shows this platform."""

    @abstractmethod
    def classify(self, url: str) -> StartTarget | None:
        """What a start URL names on this platform, canonicalised; `None` if neither a
        category listing, a blog root (→ its all-posts listing) nor a post."""

    @abstractmethod
    def category_of(self, walk_url: str) -> list[str]:
        """The category path a listing URL walks, root first; `[]` for all posts."""

    @abstractmethod
    def listing_url(self, walk_url: str, page: int, api: str | None = None) -> str:
        """Page `page` (1-based) of a listing; through the platform's API when `api` (what
        `read_probe` returned) is set."""

    @abstractmethod
    def parse_listing(self, text: str, url: str) -> ListingPage:
        """The posts (and paging) of one listing page, HTML or API response."""

    @abstractmethod
    def parse_article(self, html: str, url: str) -> ArticleItem | None:
        """The post on an article page, or `None` when the page holds no single post."""

    @abstractmethod
    def is_post_url(self, url: str) -> bool:
        """True when the URL has the shape of a post permalink on this platform."""

    @abstractmethod
    def canonical_post_url(self, url: str) -> str:
        """The one URL a post is archived under (aliases, mobile paths, queries folded)."""

    def is_protected(self, html: str) -> bool:
        """True for a password-protected post page (nothing to archive)."""
        return False

    def probe_url(self, walk_url: str) -> str | None:
        """A request to make before walking `walk_url` to find an API for it, or `None`."""
        return None

    def read_probe(self, text: str, walk_url: str) -> str | None:
        """The API handle `listing_url` needs, from the probe's response; `None` when the API
        cannot walk this listing (the walk then uses HTML pages)."""
        return None

    def feed_url(self, walk_url: str) -> str | None:
        """The platform's own RSS/Atom feed of the posts `walk_url` lists, or `None`: the walk
        then reads the feed its first page links to (`link[rel=alternate]`), if any."""
        return None

    def feed_is_of_category(self, walk_url: str) -> bool:
        """True when `feed_url(walk_url)` lists only posts of the walk's category (a WordPress
        category feed, a Blogger label feed). A blog-wide feed (Tistory's `/rss`) is filtered
        by the categories its entries name."""
        return False

    def read_date(self, raw: str, field: str, *, now: datetime, tz: tzinfo) -> datetime | None:
        """The instant a date string of this platform's pages denotes (`field`: the item field
        it came from, `published_raw` or `modified_raw`), for the date pipeline. A platform
        whose pages write dates in a known fixed format (a profile's `date_format`) reads them
        with it rather than guessing."""
        return parse_date(raw, now=now, tz=tz)


@cache
def discover() -> tuple[Platform, ...]:
    """Every platform package's `PLATFORM`, in detection order."""
    import newscrawl.platforms as package

    found: list[Platform] = []
    for module in pkgutil.iter_modules(package.__path__):
        if not module.ispkg:
            continue
        platform = getattr(
            importlib.import_module(f"{package.__name__}.{module.name}"), "PLATFORM", None
        )
        if isinstance(platform, Platform):
            found.append(platform)
    return tuple(sorted(found, key=lambda platform: (platform.detect_rank, platform.name)))


def by_name(name: str) -> Platform:
    """The platform called `name`, or `KeyError` listing the known ones."""
    for platform in discover():
        if platform.name == name:
            return platform
    known = ", ".join(platform.name for platform in discover())
    raise KeyError(f"no platform {name!r} (known: {known})")


def detect(html: str, url: str) -> Platform | None:
    """The first platform (by `detect_rank`) whose markers the page shows, or `None`."""
    for platform in discover():
        if platform.detect(html, url):
            return platform
    return None
