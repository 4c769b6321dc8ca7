"""`scrapy crawl tistory -a url=URL`: walk a Tistory category (or a whole blog, or some posts).

The spider only decides what to fetch next; `platforms.tistory` parses every page. A listing
walk follows `?page=N` until a page is empty, repeats the previous one, adds no new post, or
the page cap (`NEWSCRAWL_MAX_LISTING_PAGES`) is reached, so a server that answers every page
number with the same content cannot trap the crawl.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro
from twisted.python.failure import Failure

from newscrawl.errors import BadArgument
from newscrawl.items import ArticleItem
from newscrawl.platforms.tistory.article import parse_article
from newscrawl.platforms.tistory.detect import is_tistory
from newscrawl.platforms.tistory.listing import parse_listing
from newscrawl.platforms.tistory.urls import (
    canonical_category_url,
    canonical_post_url,
    category_path,
    is_post_url,
)

LISTING_PRIORITY = 10  # walk listings ahead of the article backlog: they discover the work


@dataclass(frozen=True)
class StartTarget:
    """One start URL and what it names: a category listing, a blog root or a post."""

    kind: str  # "listing" | "post"
    url: str


@dataclass
class ListingWalk:
    """Progress of one category walk: the page reached and the posts already found."""

    category: list[str]
    page: int = 1
    previous_page_posts: frozenset[str] = frozenset()
    seen_posts: set[str] = field(default_factory=set)


def parse_start_urls(value: str | None) -> list[StartTarget]:
    """Split and classify the `url` argument, or raise `BadArgument` saying what is wrong."""
    if not value or not value.strip():
        raise BadArgument("missing -a url=URL (a Tistory category, blog root or post URL)")
    targets = [_classify(part.strip()) for part in value.split(",") if part.strip()]
    if not targets:
        raise BadArgument("-a url= holds no URL")
    return targets


def _classify(url: str) -> StartTarget:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise BadArgument(f"not an http(s) URL: {url!r}")
    if is_post_url(url):
        return StartTarget("post", canonical_post_url(url))
    if category_path(url) is not None:
        return StartTarget("listing", canonical_category_url(url))
    if parts.path in {"", "/"}:
        # A blog root: every post of the blog is listed under the all-posts category.
        root_listing = urlunsplit((parts.scheme, parts.netloc, "/category", "", ""))
        return StartTarget("listing", canonical_category_url(root_listing))
    raise BadArgument(
        f"{url!r} is not a Tistory category (/category/...), blog root (/) or post URL"
    )


class TistorySpider(scrapy.Spider):
    """Crawl Tistory categories, blogs or posts into `ArticleItem`s.

    Arguments: `url` — comma-separated category listing, blog root or post URLs.
    Settings: `NEWSCRAWL_MAX_LISTING_PAGES` (page cap per category walk).
    """

    name = "tistory"
    platform = "tistory"

    def __init__(self, url: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.targets = parse_start_urls(url)
        self.walks: dict[str, ListingWalk] = {}

    @classmethod
    def check_arguments(cls, url: str | None = None, **_other: str) -> None:
        """Fail before the engine starts, so a bad `url` is one line, not a traceback."""
        parse_start_urls(url)

    @property
    def max_listing_pages(self) -> int:
        return self.settings.getint("NEWSCRAWL_MAX_LISTING_PAGES", 1000)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for target in self.targets:
            if target.kind == "post":
                yield scrapy.Request(
                    target.url,
                    self.parse_article,
                    cb_kwargs={"first": True},
                    errback=self.start_failed,
                )
            else:
                walk = ListingWalk(category=category_path(target.url) or [])
                self.walks[target.url] = walk
                yield self._listing_request(target.url, walk, first=True)

    def _listing_request(self, url: str, walk: ListingWalk, *, first: bool) -> scrapy.Request:
        page_url = canonical_category_url(url, page=walk.page)
        return scrapy.Request(
            page_url,
            self.parse_listing_page,
            priority=LISTING_PRIORITY,
            cb_kwargs={"walk_url": url, "first": first},
            errback=self.start_failed if first else self.listing_page_failed,
        )

    def start_failed(self, failure: Failure) -> None:
        """Count a start URL that cannot be fetched; end the run if it was the only one.

        The engine is asked to close (not awaited: it waits for this callback to finish) rather
        than raising `CloseSpider` here, which would make Scrapy log the download error a
        second time with its traceback.
        """
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "a start URL"
        detail = f"could not fetch {url}: {failure.getErrorMessage().rstrip('.')}."
        self.crawler.stats.inc_value("start/failed")
        self.logger.error(detail)
        if len(self.targets) > 1:
            return
        self.crawler.stats.set_value("newscrawl/close_detail", detail)
        assert self.crawler.engine is not None
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="start_url_failed"))

    def listing_page_failed(self, failure: Failure) -> None:
        """A later listing page that cannot be fetched ends its walk: say so, loudly.

        The posts of the pages before it are still fetched; those after it are not known,
        so the run is marked in the stats (`listing/failed`) for the health check to see.
        """
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "a listing page"
        self.crawler.stats.inc_value("listing/failed")
        self.logger.error(
            "Listing walk stopped: could not fetch %s: %s", url, failure.getErrorMessage()
        )

    def parse_listing_page(
        self, response: Response, walk_url: str, first: bool = False
    ) -> Iterator[scrapy.Request]:
        """Queue this page's posts, then the next page unless the walk should stop here."""
        if first:
            self._require_tistory(response)
        walk = self.walks[walk_url]
        listing = parse_listing(response.text, response.url)
        self.crawler.stats.inc_value("listing/pages")
        posts = frozenset(listing.post_urls)
        stop = self._stop_reason(walk, posts)
        for post_url in listing.post_urls:
            if post_url not in walk.seen_posts:
                walk.seen_posts.add(post_url)
                yield scrapy.Request(
                    post_url, self.parse_article, cb_kwargs={"category": walk.category}
                )
        if stop:
            self.crawler.stats.inc_value(f"listing/stop/{stop}")
            self.logger.info("Listing %s ends at page %d: %s", walk_url, walk.page, stop)
            return
        walk.previous_page_posts = posts
        walk.page += 1
        yield self._listing_request(walk_url, walk, first=False)

    def _stop_reason(self, walk: ListingWalk, posts: frozenset[str]) -> str | None:
        if not posts:
            return "empty_page"
        if posts == walk.previous_page_posts:
            return "repeated_page"
        if posts <= walk.seen_posts:
            return "no_new_posts"
        if walk.page >= self.max_listing_pages:
            return "page_cap"
        return None

    def parse_article(
        self, response: Response, category: list[str] | None = None, first: bool = False
    ) -> Iterator[ArticleItem]:
        """Parse one post; drop it when its own category contradicts the listing's."""
        if first:
            self._require_tistory(response)
        item = parse_article(response.text, response.url)
        if item is None:
            self.crawler.stats.inc_value("article/not_article")
            self.logger.warning("Not an article page, skipped: %s", response.url)
            return
        if category and item.category and not in_category(item.category, category):
            self.crawler.stats.inc_value("listing/off_category")
            self.logger.info("Skipped %s: category %s is not %s", item.url, item.category, category)
            return
        item.crawled_at = datetime.now(UTC).isoformat(timespec="seconds")
        self.crawler.stats.inc_value("article/parsed")
        yield item

    def _require_tistory(self, response: Response) -> None:
        """Stop the run at once when the start URL is not a Tistory page."""
        if not is_tistory(response.text):
            detail = f"{response.url} is not a Tistory page (no Tistory markup found)."
            self.crawler.stats.set_value("newscrawl/close_detail", detail)
            self.logger.error(detail)
            raise CloseSpider("not_tistory")


def in_category(article: list[str], listing: list[str]) -> bool:
    """True when the article sits in the listing's category or one of its subcategories.

    Paths are compared from the root (`["독서", "에세이"]` is not under `["독서", "시집"]`,
    though both share `독서`). A one-name path equal to the listing's own leaf also counts:
    some skins print only the leaf of a post's category.
    """
    article_path = [name.casefold() for name in article]
    listing_path = [name.casefold() for name in listing]
    if article_path[: len(listing_path)] == listing_path:
        return True
    return len(article_path) == 1 and article_path[0] == listing_path[-1]
