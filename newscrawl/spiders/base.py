"""The category walk every platform spider shares: listings in order, each post once.

A spider only decides what to fetch next; a `Platform` (`newscrawl.platforms`) knows the URLs
and parses every page. A listing walk follows its pages until a page is empty, repeats the
previous one, adds no new post, says it is the last, or the page cap
(`NEWSCRAWL_MAX_LISTING_PAGES`) is reached, so a server that answers every page number with
the same content cannot trap the crawl. Platforms with an API for listings (WordPress REST)
are probed first and walked through it; the HTML pages are the fallback.

Runs are incremental by default (`-a mode=incremental`): posts the archive state already holds
are not fetched, and once a walk of the category has reached its end before, the walk stops
at the first listing page holding only known posts (archived, or ruled out before as not an
article, off the category or gone; listings are newest first). Posts that an earlier run found
but never exported (a crash, a failed fetch) are fetched again first. `mode=changed` adds the
blog's sitemap: archived posts whose `lastmod` is newer than our copy are fetched again.
`mode=full` fetches every post of the category; the revision pipeline exports only those whose
text changed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import deferred_from_coro
from twisted.python.failure import Failure

from newscrawl import generic
from newscrawl.distributed import SHARED
from newscrawl.distributed.run import DistributedRun, enter_run, run_for
from newscrawl.errors import BadArgument
from newscrawl.items import ArticleItem
from newscrawl.platforms.base import ListingPage, Platform, StartTarget, by_name
from newscrawl.sitemaps import changed_since, parse_sitemap
from newscrawl.state import StateStore, state_for, url_key

LISTING_PRIORITY = 10  # walk listings ahead of the article backlog: they discover the work
MODES = ("incremental", "changed", "full")
# Stops that mean the walk saw the category's last listed post; `page_cap` and failures do not.
COMPLETE_STOPS = {"empty_page", "repeated_page", "no_new_posts", "all_known", "last_page"}
GONE_STATUSES = {404, 410}  # a deleted post: nothing left to archive, stop retrying it
# An API listing asked for a page past its last answers 400 (WordPress REST): the walk's end.
API_PAST_LAST_PAGE = 400
MAX_SITEMAP_DEPTH = 2  # /sitemap.xml → index → sitemaps: indexes may not nest (sitemaps.org)
JOIN_VALUES = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


@dataclass
class ListingWalk:
    """Progress of one category walk: the page reached and the posts already found."""

    platform: Platform
    category: list[str]
    may_stop_early: bool = False  # an earlier walk reached the end: known posts end this one
    api: str | None = None  # the platform's API handle when the walk goes through its API
    page: int = 1  # the next page to process, in order
    requested_up_to: int = 1  # the highest page requested (pages past `page` are look-ahead)
    ended: bool = False
    arrived: dict[int, ListingPage] = field(default_factory=dict)  # pages ahead of `page`
    next_url: str | None = None  # cursor paging: the page after the last one processed
    previous_page_posts: frozenset[str] = frozenset()
    seen_posts: set[str] = field(default_factory=set)  # listed on the pages walked so far
    requested: set[str] = field(default_factory=set)  # listed or left pending by a past run


def split_urls(value: str | None) -> list[str]:
    """The comma-separated `url` argument as http(s) URLs, or `BadArgument` saying why."""
    if not value or not value.strip():
        raise BadArgument("missing -a url=URL (a category listing, blog root or post URL)")
    urls = [part.strip() for part in value.split(",") if part.strip()]
    if not urls:
        raise BadArgument("-a url= holds no URL")
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise BadArgument(f"not an http(s) URL: {url!r}")
    return urls


def parse_start_urls(value: str | None, platform: Platform) -> list[StartTarget]:
    """Split and classify the `url` argument for `platform`, or raise `BadArgument`."""
    return [classify(url, platform) for url in split_urls(value)]


def classify(url: str, platform: Platform) -> StartTarget:
    """What `url` names on `platform`, or `BadArgument` naming the shapes it accepts."""
    target = platform.classify(url)
    if target is None:
        raise BadArgument(
            f"{url!r} is not a {platform.label or platform.name} category listing, blog root"
            " or post URL"
        )
    return target


def parse_join(value: str | None, url: str | None) -> bool:
    """The `join` argument (join the distributed run going on), or `BadArgument`."""
    if value is None:
        return False
    answer = value.strip().lower()
    if answer not in JOIN_VALUES:
        raise BadArgument(f"-a join={value!r} is not one of 1, 0 (true/false, yes/no)")
    joining = JOIN_VALUES[answer]
    if joining and url:
        raise BadArgument(
            "-a join=1 takes no url: a joining worker reads the run's arguments from Redis"
        )
    return joining


def parse_mode(value: str | None) -> str:
    """The `mode` argument, `incremental` when absent, or `BadArgument`."""
    mode = (value or "incremental").strip().lower()
    if mode not in MODES:
        raise BadArgument(f"-a mode={value!r} is not one of {', '.join(MODES)}")
    return mode


def site_of(url: str) -> str:
    """Lower-case host of `url` (port kept): the unit a platform is detected for."""
    return urlsplit(url).netloc.lower()


class CategorySpider(scrapy.Spider):
    """Crawl category listings, blogs or posts of one platform into `ArticleItem`s.

    Arguments: `url` — comma-separated category listing, blog root or post URLs;
    `mode` — `incremental` (default), `changed` or `full` (see the module docstring);
    `join=1` (instead of `url`) — join the distributed run going on (`NEWSCRAWL_REDIS_URL`):
    fetch posts from its shared queue, with the arguments its seeder gave.
    Subclasses name their `platform`; `BlogSpider` detects it per site instead.
    """

    platform: ClassVar[Platform | None] = None
    store: StateStore
    run: DistributedRun | None = None

    def __init__(
        self,
        url: str | None = None,
        mode: str | None = None,
        join: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.joining = parse_join(join, url)
        self.targets = [] if self.joining else self.start_targets(url)
        self.mode = parse_mode(mode)
        self.arguments: dict[str, Any] = {"url": url, "mode": self.mode}
        self.walks: dict[str, ListingWalk] = {}
        self.paused_walks: set[str] = set()
        self.site_platforms: dict[str, Platform] = {}

    @classmethod
    def start_targets(cls, url: str | None) -> list[StartTarget]:
        """The start URLs, classified by the spider's platform."""
        assert cls.platform is not None, f"{cls.__name__} names no platform"
        return parse_start_urls(url, cls.platform)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> CategorySpider:
        """Open the archive state first: a locked or corrupt state stops the run right here."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.store = state_for(crawler)
        # Distributed: seed the run (refused while one is going) or join it, before the
        # scheduler opens the run's shared queue. A joiner walks nothing itself.
        spider.arguments = enter_run(crawler, spider.arguments, spider.joining)
        spider.mode = parse_mode(spider.arguments.get("mode"))
        spider.run = run_for(crawler)
        crawler.signals.connect(spider.spider_idle, signal=signals.spider_idle)
        return spider

    @classmethod
    def check_arguments(
        cls,
        url: str | None = None,
        mode: str | None = None,
        join: str | None = None,
        **_other: str,
    ) -> None:
        """Fail before the engine starts, so a bad argument is one line, not a traceback."""
        if not parse_join(join, url):
            cls.start_targets(url)
        parse_mode(mode)

    def platform_for(self, url: str, name: str | None = None) -> Platform:
        """The platform that parses pages of `url`'s site.

        That is the spider's own, else the one detected for the site, else the one the request
        names (`meta["platform"]`): a worker that joined a distributed run never saw the
        detection page.
        """
        if self.platform is not None:
            return self.platform
        site = site_of(url)
        if site not in self.site_platforms and name:
            self.site_platforms[site] = by_name(name)
        return self.site_platforms[site]

    @property
    def max_listing_pages(self) -> int:
        return self.settings.getint("NEWSCRAWL_MAX_LISTING_PAGES", 1000)

    @property
    def max_backlog(self) -> int:
        return max(1, self.settings.getint("NEWSCRAWL_MAX_BACKLOG", 2000))

    @property
    def lookahead(self) -> int:
        return max(0, self.settings.getint("NEWSCRAWL_LISTING_LOOKAHEAD", 3))

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for target in self.targets:
            for request in self.target_requests(target, self.platform_for(target.url)):
                yield request
        for request in self.sitemap_requests():
            yield request

    def target_requests(self, target: StartTarget, platform: Platform) -> Iterator[scrapy.Request]:
        """The first requests for one classified start URL."""
        if target.kind == "post":
            yield scrapy.Request(
                target.url, self.parse_article, cb_kwargs={"first": True}, errback=self.start_failed
            )
            return
        walk = self._begin_walk(target.url, platform)
        yield from self._first_listing_requests(target.url, walk)
        for post_url in self.store.pending(target.url):
            self.crawler.stats.inc_value("incremental/pending_retried")
            walk.requested.add(post_url)
            yield self._article_request(post_url, walk)

    def sitemap_requests(self) -> Iterator[scrapy.Request]:
        """`mode=changed`: the blogs' sitemaps, once per site."""
        if self.mode != "changed":
            return
        for sitemap_url in sorted({_sitemap_url(target.url) for target in self.targets}):
            yield scrapy.Request(
                sitemap_url,
                self.parse_sitemap,
                priority=LISTING_PRIORITY,
                errback=self.sitemap_failed,
            )

    def _begin_walk(self, walk_url: str, platform: Platform) -> ListingWalk:
        """Start a walk; it may stop early only if the last one reached the end."""
        may_stop_early = self.mode != "full" and self.store.walk_complete(walk_url)
        walk = ListingWalk(
            platform=platform,
            category=platform.category_of(walk_url),
            may_stop_early=may_stop_early,
        )
        self.walks[walk_url] = walk
        self.store.set_walk_complete(walk_url, False)
        return walk

    def _first_listing_requests(self, walk_url: str, walk: ListingWalk) -> Iterator[scrapy.Request]:
        """Page 1 of the walk, or first the probe for the platform's listing API."""
        probe = walk.platform.probe_url(walk_url)
        if probe is None:
            yield self._listing_request(walk_url, walk, first=True)
            return
        yield scrapy.Request(
            probe,
            self.parse_probe,
            priority=LISTING_PRIORITY,
            cb_kwargs={"walk_url": walk_url},
            errback=self.probe_failed,
        )

    def parse_probe(self, response: Response, walk_url: str) -> Iterator[scrapy.Request]:
        """Walk through the API when the probe found one for this listing, else HTML."""
        walk = self.walks[walk_url]
        walk.api = walk.platform.read_probe(response.text, walk_url)
        self.crawler.stats.inc_value("listing/api" if walk.api else "listing/api_unavailable")
        yield self._listing_request(walk_url, walk, first=True)

    def probe_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        """No API (404, blocked, down): walk the HTML listing, as without one."""
        request = failure.request  # type: ignore[attr-defined]
        walk_url = request.cb_kwargs["walk_url"]
        self.crawler.stats.inc_value("listing/api_unavailable")
        self.logger.info(
            "No listing API for %s (%s): walking its HTML pages", walk_url, why(failure)
        )
        yield self._listing_request(walk_url, self.walks[walk_url], first=True)

    def _article_request(self, url: str, walk: ListingWalk | None) -> scrapy.Request:
        platform = walk.platform if walk else self.platform_for(url)
        return scrapy.Request(
            url,
            self.parse_article,
            cb_kwargs={"category": walk.category if walk else None},
            # Any worker of a distributed run may fetch it (the meta names the platform).
            meta={"platform": platform.name, SHARED: True},
            errback=self.article_failed,
        )

    def _listing_request(
        self, walk_url: str, walk: ListingWalk, page: int = 1, *, first: bool = False
    ) -> scrapy.Request:
        url = walk.platform.listing_url(walk_url, page, walk.api)
        if page > 1 and walk.platform.paging == "cursor":
            assert walk.next_url is not None
            url = walk.next_url
        return scrapy.Request(
            url,
            self.parse_listing_page,
            priority=LISTING_PRIORITY,
            cb_kwargs={"walk_url": walk_url, "page": page, "first": first},
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
        An API page past the last one (HTTP 400) is the walk's normal end.
        """
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "a listing page"
        walk_url = request.cb_kwargs["walk_url"] if request is not None else ""
        walk = self.walks.get(walk_url)
        if walk is not None and walk.api and _status(failure) == API_PAST_LAST_PAGE:
            if not walk.ended and walk.page == request.cb_kwargs["page"]:
                walk.ended = True
                self._end_walk(walk_url, walk, "empty_page")
            return
        if walk is not None:
            walk.ended = True  # the pages after this one cannot be walked in order
        self.crawler.stats.inc_value("listing/failed")
        self.logger.error("Listing walk stopped: could not fetch %s: %s", url, why(failure))

    def article_failed(self, failure: Failure) -> None:
        """A post that cannot be fetched stays pending for the next run, unless it is gone."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "a post"
        status = _status(failure)
        if status in GONE_STATUSES:
            self.crawler.stats.inc_value("article/gone")
            self.store.rule_out([url], "gone")
            self.logger.warning("Post %s is gone (HTTP %d)", url, status)
            return
        self.crawler.stats.inc_value("article/failed")
        self.logger.error("Could not fetch post %s (kept for the next run): %s", url, why(failure))

    def parse_listing_page(
        self, response: Response, walk_url: str, page: int = 1, first: bool = False
    ) -> Iterator[scrapy.Request | ArticleItem]:
        """Queue the posts of the pages now in order, then keep the walk's look-ahead full.

        Numbered pages are requested up to `NEWSCRAWL_LISTING_LOOKAHEAD` ahead of the one
        being processed, so a long walk is not one round trip per page; they are still
        processed strictly in order, so the stop rules see the same sequence as a page-by-page
        walk, and pages fetched past the stop are ignored (`listing/lookahead_unused`).
        """
        walk = self.walks[walk_url]
        if first and walk.api is None:
            self._require_platform(response, walk.platform)
        self.crawler.stats.inc_value("listing/pages")
        if walk.ended:
            self.crawler.stats.inc_value("listing/lookahead_unused")
            return
        walk.arrived[page] = walk.platform.parse_listing(response.text, response.url)
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
        numbered = walk.platform.paging == "numbered"
        # Page 1 may end an incremental walk; a cursor page names only the next one.
        ahead = self.lookahead if walk.page > 1 and numbered else 0
        last = min(walk.page + ahead, self.max_listing_pages)
        while walk.requested_up_to < last:
            walk.requested_up_to += 1
            yield self._listing_request(walk_url, walk, walk.requested_up_to)

    def _backlog(self) -> int:
        """Requests waiting in the scheduler (Scrapy's own counters); distributed, in the
        shared queue every worker takes from (this worker's counters miss the others')."""
        if self.run is not None:
            return self.run.backlog()
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
        self, walk_url: str, walk: ListingWalk, listing: ListingPage
    ) -> Iterator[scrapy.Request | ArticleItem]:
        """One page in walk order: fetch its new posts, then stop the walk or move on."""
        post_urls = listing.post_urls
        posts = frozenset(post_urls)
        known = set() if self.mode == "full" else self.store.known_urls(posts)
        stop = self._stop_reason(walk, posts, known, listing)
        new_posts = [url for url in post_urls if url not in walk.seen_posts]
        walk.seen_posts.update(new_posts)
        unknown = [url for url in new_posts if url not in known]
        to_fetch = [url for url in unknown if url not in walk.requested]
        walk.requested.update(to_fetch)
        self.crawler.stats.inc_value("listing/posts_found", len(new_posts))
        self.crawler.stats.inc_value("incremental/known", len(new_posts) - len(unknown))
        self.store.add_pending(walk_url, to_fetch)
        for post_url in to_fetch:
            if post_url in listing.items:
                yield from self._listed_item(listing.items[post_url], post_url, walk)
            else:
                yield self._article_request(post_url, walk)
        if stop:
            walk.ended = True
            self._end_walk(walk_url, walk, stop)
            return
        walk.previous_page_posts = posts
        walk.next_url = listing.next_url
        walk.page += 1

    def _listed_item(
        self, item: ArticleItem, post_url: str, walk: ListingWalk
    ) -> Iterator[ArticleItem]:
        """A post the listing described in full (an API listing): no page to fetch."""
        self.crawler.stats.inc_value("article/from_listing")
        yield from self._accept(item, post_url, walk.category, walk.platform)

    def _stop_reason(
        self, walk: ListingWalk, posts: frozenset[str], known: set[str], listing: ListingPage
    ) -> str | None:
        if not posts:
            return "empty_page"
        if posts == walk.previous_page_posts:
            return "repeated_page"
        if posts <= walk.seen_posts:
            return "no_new_posts"
        if walk.may_stop_early and posts <= known:
            return "all_known"
        if listing.last_page or (walk.platform.paging == "cursor" and not listing.next_url):
            return "last_page"
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
        platform = self.platform_for(response.url)
        lastmods = {
            platform.canonical_post_url(url): when
            for url, when in sitemap.lastmod.items()
            if platform.is_post_url(url)
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
        platform = self.platform_for(response.url, response.meta.get("platform"))
        if first:
            self._require_platform(response, platform)
        self.crawler.stats.inc_value("article/pages")
        fetched_url = response.request.url if response.request else response.url
        if platform.is_protected(response.text):
            self.crawler.stats.inc_value("article/protected")
            self.logger.warning("Password-protected post skipped: %s", response.url)
            self.store.rule_out([fetched_url], "protected")
            return
        item = self.extract_article(response, platform)
        if item is None:
            self.crawler.stats.inc_value("article/not_article")
            self.logger.warning("Not an article page, skipped: %s", response.url)
            self.store.rule_out([fetched_url], "not_article")
            return
        yield from self._accept(item, fetched_url, category, platform)
        yield from self._resume_walks()

    def extract_article(self, response: Response, platform: Platform) -> ArticleItem | None:
        """The platform parser's item for this page, else (where the platform allows it) the
        generic extractor's (`article/generic`), or `None` when the page holds no post."""
        item = platform.parse_article(response.text, response.url)
        if item is None and platform.generic_fallback:
            item = generic.extract(response.text, response.url, platform.name)
            if item is not None:
                self.crawler.stats.inc_value("article/generic")
        return item

    def _accept(
        self,
        item: ArticleItem,
        fetched_url: str,
        category: list[str] | None,
        platform: Platform,
    ) -> Iterator[ArticleItem]:
        """Hand a parsed post to the pipelines, unless the listing's category excludes it."""
        if category and not files_under(item, category, platform):
            self.crawler.stats.inc_value("listing/off_category")
            self.logger.info("Skipped %s: category %s is not %s", item.url, item.category, category)
            self.store.rule_out([fetched_url], "off_category")
            return
        if url_key(fetched_url) != url_key(item.url):
            self.store.record_alias(fetched_url, item.id)
        item.crawled_at = item.crawled_at or datetime.now(UTC).isoformat(timespec="seconds")
        self.crawler.stats.inc_value("article/parsed")
        yield item

    def _require_platform(self, response: Response, platform: Platform) -> None:
        """Stop the run at once when the start URL is not a page of the expected platform."""
        if not platform.detect(response.text, response.url):
            label = platform.label or platform.name
            detail = f"{response.url} is not a {label} page (no {label} markup found)."
            self.crawler.stats.set_value("newscrawl/close_detail", detail)
            self.logger.error(detail)
            raise CloseSpider(f"not_{platform.name}")


def why(failure: Failure) -> str:
    """A failure's message, or its exception's name when it has none (data loss, cancel)."""
    return failure.getErrorMessage() or getattr(failure.type, "__name__", "unknown error")


def _status(failure: Failure) -> int | None:
    """The HTTP status of a failed request that got a response, else `None`."""
    if failure.check(HttpError):
        return int(failure.value.response.status)
    return None


def _sitemap_url(url: str) -> str:
    """The conventional sitemap place (Tistory serves every blog's there)."""
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


def files_under(item: ArticleItem, category: list[str], platform: Platform) -> bool:
    """Does the post belong to the walked category? Category paths are compared
    (`in_category`; a post showing none is taken as listed). Where categories are flat labels
    (`Platform.flat_categories`, Blogger) the post must carry the label walked, when it shows
    labels at all, and is filed under it."""
    if not platform.flat_categories:
        return not item.category or in_category(item.category, category)
    walked = category[-1].casefold()
    if item.tags and all(tag.casefold() != walked for tag in item.tags):
        return False
    item.category = list(category)
    return True
