"""`scrapy crawl tistory -a url=URL`: walk a Tistory category (or a whole blog, or some posts).

The spider only decides what to fetch next; `platforms.tistory` parses every page. A listing
walk follows `?page=N` until a page is empty, repeats the previous one, adds no new post, or
the page cap (`NEWSCRAWL_MAX_LISTING_PAGES`) is reached, so a server that answers every page
number with the same content cannot trap the crawl.

Runs are incremental by default (`-a mode=incremental`): posts the archive state already holds
are not fetched, and once a walk of the category has reached its end before, the walk stops
at the first listing page holding only known posts (archived, or ruled out before as not an
article, off the category or gone; listings are newest first). Posts that
an earlier run found but never exported (a crash, a failed fetch) are fetched again first.
`mode=changed` adds the blog's sitemap: archived posts whose `lastmod` is newer than our copy
are fetched again. `mode=full` fetches every post of the category; the revision pipeline
exports only those whose text changed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import deferred_from_coro
from twisted.python.failure import Failure

from newscrawl.errors import BadArgument
from newscrawl.items import ArticleItem
from newscrawl.platforms.tistory.article import parse_article
from newscrawl.platforms.tistory.detect import is_tistory
from newscrawl.platforms.tistory.listing import parse_listing
from newscrawl.platforms.tistory.protected import is_protected
from newscrawl.platforms.tistory.urls import (
    canonical_category_url,
    canonical_post_url,
    category_path,
    is_post_url,
    site_of,
)
from newscrawl.sitemaps import changed_since, parse_sitemap
from newscrawl.state import StateStore, state_for, url_key

LISTING_PRIORITY = 10  # walk listings ahead of the article backlog: they discover the work
MODES = ("incremental", "changed", "full")
# Stops that mean the walk saw the category's last listed post; `page_cap` and failures do not.
COMPLETE_STOPS = {"empty_page", "repeated_page", "no_new_posts", "all_known"}
GONE_STATUSES = {404, 410}  # a deleted post: nothing left to archive, stop retrying it
MAX_SITEMAP_DEPTH = 2  # /sitemap.xml → index → sitemaps: indexes may not nest (sitemaps.org)


@dataclass(frozen=True)
class StartTarget:
    """One start URL and what it names: a category listing, a blog root or a post."""

    kind: str  # "listing" | "post"
    url: str


@dataclass
class ListingWalk:
    """Progress of one category walk: the page reached and the posts already found."""

    category: list[str]
    may_stop_early: bool = False  # an earlier walk reached the end: known posts end this one
    page: int = 1  # the next page to process, in order
    requested_up_to: int = 1  # the highest page requested (pages past `page` are look-ahead)
    ended: bool = False
    arrived: dict[int, list[str]] = field(default_factory=dict)  # post URLs of pages ahead
    previous_page_posts: frozenset[str] = frozenset()
    seen_posts: set[str] = field(default_factory=set)  # listed on the pages walked so far
    requested: set[str] = field(default_factory=set)  # listed or left pending by a past run


def parse_start_urls(value: str | None) -> list[StartTarget]:
    """Split and classify the `url` argument, or raise `BadArgument` saying what is wrong."""
    if not value or not value.strip():
        raise BadArgument("missing -a url=URL (a Tistory category, blog root or post URL)")
    targets = [_classify(part.strip()) for part in value.split(",") if part.strip()]
    if not targets:
        raise BadArgument("-a url= holds no URL")
    return targets


def parse_mode(value: str | None) -> str:
    """The `mode` argument, `incremental` when absent, or `BadArgument`."""
    mode = (value or "incremental").strip().lower()
    if mode not in MODES:
        raise BadArgument(f"-a mode={value!r} is not one of {', '.join(MODES)}")
    return mode


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

    Arguments: `url` — comma-separated category listing, blog root or post URLs;
    `mode` — `incremental` (default), `changed` or `full` (see the module docstring).
    Settings: `NEWSCRAWL_MAX_LISTING_PAGES` (page cap per category walk).
    """

    name = "tistory"
    platform = "tistory"
    store: StateStore

    def __init__(self, url: str | None = None, mode: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.targets = parse_start_urls(url)
        self.mode = parse_mode(mode)
        self.arguments = {"url": url, "mode": self.mode}
        self.walks: dict[str, ListingWalk] = {}
        self.paused_walks: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> TistorySpider:
        """Open the archive state first: a locked or corrupt state stops the run right here."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.store = state_for(crawler)
        crawler.signals.connect(spider.spider_idle, signal=signals.spider_idle)
        return spider

    @classmethod
    def check_arguments(
        cls, url: str | None = None, mode: str | None = None, **_other: str
    ) -> None:
        """Fail before the engine starts, so a bad argument is one line, not a traceback."""
        parse_start_urls(url)
        parse_mode(mode)

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
                walk = self._begin_walk(target.url)
                yield self._listing_request(target.url, first=True)
                for post_url in self.store.pending(target.url):
                    self.crawler.stats.inc_value("incremental/pending_retried")
                    walk.requested.add(post_url)
                    yield self._article_request(post_url, walk)
        if self.mode == "changed":
            for sitemap_url in sorted({_sitemap_url(target.url) for target in self.targets}):
                yield scrapy.Request(
                    sitemap_url,
                    self.parse_sitemap,
                    priority=LISTING_PRIORITY,
                    errback=self.sitemap_failed,
                )

    def _begin_walk(self, walk_url: str) -> ListingWalk:
        """Start a walk; it may stop early only if the last one reached the end."""
        may_stop_early = self.mode != "full" and self.store.walk_complete(walk_url)
        walk = ListingWalk(category=category_path(walk_url) or [], may_stop_early=may_stop_early)
        self.walks[walk_url] = walk
        self.store.set_walk_complete(walk_url, False)
        return walk

    def _article_request(self, url: str, walk: ListingWalk | None) -> scrapy.Request:
        return scrapy.Request(
            url,
            self.parse_article,
            cb_kwargs={"category": walk.category if walk else None},
            errback=self.article_failed,
        )

    def _listing_request(self, url: str, page: int = 1, *, first: bool = False) -> scrapy.Request:
        return scrapy.Request(
            canonical_category_url(url, page=page),
            self.parse_listing_page,
            priority=LISTING_PRIORITY,
            cb_kwargs={"walk_url": url, "page": page, "first": first},
            errback=self.start_failed if first else self.listing_page_failed,
        )

    @property
    def max_backlog(self) -> int:
        return max(1, self.settings.getint("NEWSCRAWL_MAX_BACKLOG", 2000))

    @property
    def lookahead(self) -> int:
        return max(0, self.settings.getint("NEWSCRAWL_LISTING_LOOKAHEAD", 3))

    def start_failed(self, failure: Failure) -> None:
        """Count a start URL that cannot be fetched; end the run if it was the only one.

        The engine is asked to close (not awaited: it waits for this callback to finish) rather
        than raising `CloseSpider` here, which would make Scrapy log the download error a
        second time with its traceback.
        """
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "a start URL"
        detail = f"could not fetch {url}: {why(failure).rstrip('.')}."
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
        if request is not None and (walk := self.walks.get(request.cb_kwargs["walk_url"])):
            walk.ended = True  # the pages after this one cannot be walked in order
        self.crawler.stats.inc_value("listing/failed")
        self.logger.error("Listing walk stopped: could not fetch %s: %s", url, why(failure))

    def article_failed(self, failure: Failure) -> None:
        """A post that cannot be fetched stays pending for the next run, unless it is gone."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "a post"
        if failure.check(HttpError) and failure.value.response.status in GONE_STATUSES:
            self.crawler.stats.inc_value("article/gone")
            self.store.rule_out([url], "gone")
            self.logger.warning("Post %s is gone (HTTP %d)", url, failure.value.response.status)
            return
        self.crawler.stats.inc_value("article/failed")
        self.logger.error("Could not fetch post %s (kept for the next run): %s", url, why(failure))

    def parse_listing_page(
        self, response: Response, walk_url: str, page: int = 1, first: bool = False
    ) -> Iterator[scrapy.Request]:
        """Queue the posts of the pages now in order, then keep the walk's look-ahead full.

        Pages are requested up to `NEWSCRAWL_LISTING_LOOKAHEAD` ahead of the one being
        processed, so a long walk is not one round trip per page; they are still processed
        strictly in order, so the stop rules see the same sequence as a page-by-page walk,
        and pages fetched past the stop are ignored (`listing/lookahead_unused`).
        """
        if first:
            self._require_tistory(response)
        walk = self.walks[walk_url]
        self.crawler.stats.inc_value("listing/pages")
        if walk.ended:
            self.crawler.stats.inc_value("listing/lookahead_unused")
            return
        walk.arrived[page] = parse_listing(response.text, response.url).post_urls
        while walk.page in walk.arrived and not walk.ended:
            yield from self._walk_page(walk_url, walk, walk.arrived.pop(walk.page))
        yield from self._next_listing_pages(walk_url, walk)

    def _next_listing_pages(self, walk_url: str, walk: ListingWalk) -> Iterator[scrapy.Request]:
        """Request the walk's next pages, unless the article backlog is already long.

        Listing pages parse faster than posts download, so an unthrottled walk would queue
        every post of a 100,000-post category at once (about a kilobyte each). Past
        `NEWSCRAWL_MAX_BACKLOG` queued requests the walk pauses; fetched posts resume it.
        """
        if walk.ended:
            return
        if walk.page > 1 and self._backlog() > self.max_backlog:
            if walk_url not in self.paused_walks:
                self.crawler.stats.inc_value("listing/paused")
                self.paused_walks.add(walk_url)
            return
        self.paused_walks.discard(walk_url)
        ahead = self.lookahead if walk.page > 1 else 0  # page 1 may end an incremental walk
        last = min(walk.page + ahead, self.max_listing_pages)
        while walk.requested_up_to < last:
            walk.requested_up_to += 1
            yield self._listing_request(walk_url, walk.requested_up_to)

    def _backlog(self) -> int:
        """Requests waiting in the scheduler (Scrapy's own counters)."""
        stats = self.crawler.stats
        return int(stats.get_value("scheduler/enqueued", 0)) - int(
            stats.get_value("scheduler/dequeued", 0)
        )

    def _resume_walks(self) -> Iterator[scrapy.Request]:
        """Resume paused walks once the backlog is down to half its limit."""
        if not self.paused_walks or self._backlog() > self.max_backlog // 2:
            return
        for walk_url in sorted(self.paused_walks):
            yield from self._next_listing_pages(walk_url, self.walks[walk_url])

    def spider_idle(self) -> None:
        """Never end the run with a walk still paused (its posts all failed, say)."""
        resumed = list(self._resume_walks())
        assert self.crawler.engine is not None
        for request in resumed:
            self.crawler.engine.crawl(request)
        if resumed:
            raise DontCloseSpider

    def _walk_page(
        self, walk_url: str, walk: ListingWalk, post_urls: list[str]
    ) -> Iterator[scrapy.Request]:
        """One page in walk order: fetch its new posts, then stop the walk or move on."""
        posts = frozenset(post_urls)
        known = set() if self.mode == "full" else self.store.known_urls(posts)
        stop = self._stop_reason(walk, posts, known)
        new_posts = [url for url in post_urls if url not in walk.seen_posts]
        walk.seen_posts.update(new_posts)
        unknown = [url for url in new_posts if url not in known]
        to_fetch = [url for url in unknown if url not in walk.requested]
        walk.requested.update(to_fetch)
        self.crawler.stats.inc_value("listing/posts_found", len(new_posts))
        self.crawler.stats.inc_value("incremental/known", len(new_posts) - len(unknown))
        self.store.add_pending(walk_url, to_fetch)
        for post_url in to_fetch:
            yield self._article_request(post_url, walk)
        if stop:
            walk.ended = True
            self._end_walk(walk_url, walk, stop)
            return
        walk.previous_page_posts = posts
        walk.page += 1

    def _stop_reason(self, walk: ListingWalk, posts: frozenset[str], known: set[str]) -> str | None:
        if not posts:
            return "empty_page"
        if posts == walk.previous_page_posts:
            return "repeated_page"
        if posts <= walk.seen_posts:
            return "no_new_posts"
        if walk.may_stop_early and posts <= known:
            return "all_known"
        if walk.page >= self.max_listing_pages:
            return "page_cap"
        return None

    def _end_walk(self, walk_url: str, walk: ListingWalk, stop: str) -> None:
        self.crawler.stats.inc_value(f"listing/stop/{stop}")
        self.logger.info("Listing %s ends at page %d: %s", walk_url, walk.page, stop)
        if stop in COMPLETE_STOPS:
            self.store.set_walk_complete(walk_url, True)

    def parse_sitemap(
        self, response: Response, parents: tuple[str, ...] = ()
    ) -> Iterator[scrapy.Request]:
        """`mode=changed`: fetch archived posts the sitemap says changed after our copy.

        Child sitemaps of an index are followed `MAX_SITEMAP_DEPTH` levels deep at most and
        never back to an index of their own chain (`sitemap/too_deep`, `sitemap/loop`), so a
        server that answers with endless fresh indexes cannot keep the run going.
        """
        sitemap = parse_sitemap(response.body)
        if not sitemap.sitemaps and not sitemap.lastmod:
            self.crawler.stats.inc_value("sitemap/unusable")
            self.logger.warning("Sitemap %s lists nothing usable", response.url)
        chain = (*parents, response.url)
        for child in sitemap.sitemaps:
            if site_of(child) != site_of(response.url):
                continue
            if child in chain or len(chain) > MAX_SITEMAP_DEPTH:
                self.crawler.stats.inc_value(
                    "sitemap/loop" if child in chain else "sitemap/too_deep"
                )
                continue
            yield scrapy.Request(
                child, self.parse_sitemap, priority=LISTING_PRIORITY, cb_kwargs={"parents": chain}
            )
        lastmods = {
            canonical_post_url(url): when
            for url, when in sitemap.lastmod.items()
            if is_post_url(url)
        }
        archived_at = self.store.last_seen(lastmods)
        for url in changed_since(lastmods, archived_at):
            self.crawler.stats.inc_value("sitemap/changed")
            yield self._article_request(url, None)

    def sitemap_failed(self, failure: Failure) -> None:
        """Without a sitemap `mode=changed` finds new posts only; say so, do not fail."""
        self.crawler.stats.inc_value("sitemap/failed")
        self.logger.warning("No usable sitemap (%s): edited posts are not looked for", why(failure))

    def parse_article(
        self, response: Response, category: list[str] | None = None, first: bool = False
    ) -> Iterator[ArticleItem | scrapy.Request]:
        """Parse one post; drop it when its own category contradicts the listing's."""
        if first:
            self._require_tistory(response)
        self.crawler.stats.inc_value("article/pages")
        fetched_url = response.request.url if response.request else response.url
        if is_protected(response.text):
            self.crawler.stats.inc_value("article/protected")
            self.logger.warning("Password-protected post skipped: %s", response.url)
            self.store.rule_out([fetched_url], "protected")
            return
        item = parse_article(response.text, response.url)
        if item is None:
            self.crawler.stats.inc_value("article/not_article")
            self.logger.warning("Not an article page, skipped: %s", response.url)
            self.store.rule_out([fetched_url], "not_article")
            return
        if category and item.category and not in_category(item.category, category):
            self.crawler.stats.inc_value("listing/off_category")
            self.logger.info("Skipped %s: category %s is not %s", item.url, item.category, category)
            self.store.rule_out([fetched_url], "off_category")
            return
        if url_key(fetched_url) != url_key(item.url):
            self.store.record_alias(fetched_url, item.id)
        item.crawled_at = datetime.now(UTC).isoformat(timespec="seconds")
        self.crawler.stats.inc_value("article/parsed")
        yield item
        yield from self._resume_walks()

    def _require_tistory(self, response: Response) -> None:
        """Stop the run at once when the start URL is not a Tistory page."""
        if not is_tistory(response.text):
            detail = f"{response.url} is not a Tistory page (no Tistory markup found)."
            self.crawler.stats.set_value("newscrawl/close_detail", detail)
            self.logger.error(detail)
            raise CloseSpider("not_tistory")


def why(failure: Failure) -> str:
    """A failure's message, or its exception's name when it has none (data loss, cancel)."""
    return failure.getErrorMessage() or getattr(failure.type, "__name__", "unknown error")


def _sitemap_url(url: str) -> str:
    """Tistory serves every blog's sitemap at `/sitemap.xml`."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/sitemap.xml", "", ""))


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
