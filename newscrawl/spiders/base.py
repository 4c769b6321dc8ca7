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

Feeds and sitemaps are a second source, read once a walk is over so that what they add is what
the listing missed: the walk's RSS/Atom feed (`Platform.feed_url`, else the one page 1 links
to; `NEWSCRAWL_FEEDS`) brings the posts of the category it lists that the walk did not, and in
`mode=changed` those it says were updated. The site's sitemap (robots.txt, `link[rel=sitemap]`,
then the well-known paths) serves `mode=changed` (`lastmod`) and `mode=full` (posts no walk
listed, fetched under the walk's category check).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro
from twisted.python.failure import Failure

from newscrawl.distributed import SHARED, redis_url
from newscrawl.errors import BadArgument
from newscrawl.feeds import Feed, FeedEntry, best_feed, category_paths, discover_feeds
from newscrawl.feeds import parse_feed as read_feed
from newscrawl.items import ArticleItem
from newscrawl.platforms.base import ListingPage, Platform, StartTarget, by_name
from newscrawl.sitemaps import (
    changed_since,
    page_sitemaps,
    parse_sitemap,
    robots_sitemaps,
    sitemap_candidates,
)
from newscrawl.spiders.arguments import parse_join, parse_mode, parse_start_urls
from newscrawl.spiders.walk import (
    COMPLETE_STOPS,
    GONE_STATUSES,
    LISTING_PRIORITY,
    PAST_LAST_API_PAGE,
    ListingWalk,
    fetched_url,
    files_under,
    in_category,
    site_of,
    status_of,
    walks_whole_blog,
    why,
)
from newscrawl.state import StateStore, state_for, url_key

if TYPE_CHECKING:
    from newscrawl.distributed.run import DistributedRun

MAX_SITEMAP_DEPTH = 2  # /sitemap.xml → index → sitemaps: indexes may not nest (sitemaps.org)


@dataclass
class FeedFetch:
    """One feed URL, fetched once however many walks read it: the walks waiting for it, then
    what it listed (an empty `Feed` when it failed)."""

    waiting: list[str] = field(default_factory=list)
    feed: Feed | None = None


class CategorySpider(scrapy.Spider):
    """Crawl category listings, blogs or posts of one platform into `ArticleItem`s.

    Arguments: `url` — comma-separated category listing, blog root or post URLs;
    `mode` — `incremental` (default), `changed` or `full` (see the module docstring);
    `join=1` (instead of `url`) — join the distributed run going on (`NEWSCRAWL_REDIS_URL`):
    fetch posts from its shared queue, with the arguments its seeder gave.
    Subclasses name their `platform`; `BlogSpider` detects it per site instead.
    """

    platform: ClassVar[Platform | None] = None
    # `-a` names accepted. Scrapy would set any other as an attribute, so a typo
    # (`-a mdoe=full`) or a name like `platform` would silently change the run: refused.
    # Names starting with `_` pass (scrapyd adds `_job`).
    argument_names: ClassVar[frozenset[str]] = frozenset({"url", "mode", "join"})
    store: StateStore
    run: DistributedRun | None = None

    def __init__(
        self,
        url: str | None = None,
        mode: str | None = None,
        join: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.refuse_unknown_arguments(kwargs)
        super().__init__(**kwargs)
        self.joining = parse_join(join, url)
        self.targets = [] if self.joining else self.start_targets(url)
        self.mode = parse_mode(mode)
        self.arguments: dict[str, Any] = {"url": url, "mode": self.mode}
        self.walks: dict[str, ListingWalk] = {}
        self.paused_walks: set[str] = set()
        self.site_platforms: dict[str, Platform] = {}
        self.feeds: dict[str, FeedFetch] = {}
        self.robots_sitemaps: dict[str, list[str]] = {}  # site → robots.txt `Sitemap:` lines
        self.page_sitemaps: dict[str, list[str]] = {}  # site → its first page's sitemap links
        self.sitemap_searches: dict[str, list[str]] = {}  # site → candidates not tried yet

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
        if redis_url(crawler.settings) or spider.joining:
            # Distributed: seed the run (refused while one is going) or join it, before the
            # scheduler opens the run's shared queue. A joiner walks nothing itself. Imported
            # here: redis-py costs every local run 0.2 s and 20 MiB for nothing.
            from newscrawl.distributed.run import enter_run, run_for

            spider.arguments = enter_run(crawler, spider.arguments, spider.joining)
            spider.mode = parse_mode(spider.arguments.get("mode"))
            spider.run = run_for(crawler)
        crawler.signals.connect(spider.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.robots_received, signal=signals.response_received)
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
        cls.refuse_unknown_arguments(_other)
        if not parse_join(join, url):
            cls.start_targets(url)
        parse_mode(mode)

    @classmethod
    def refuse_unknown_arguments(cls, others: dict[str, Any]) -> None:
        """`BadArgument` for any `-a` name the spider does not take (see `argument_names`)."""
        unknown = sorted(
            name for name in others if name not in cls.argument_names and not name.startswith("_")
        )
        if unknown:
            raise BadArgument(
                f"unknown argument -a {unknown[0]} (the {cls.name} spider takes "
                f"{', '.join(sorted(cls.argument_names))})"
            )

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

    def listing_page_failed(self, failure: Failure) -> Iterator[scrapy.Request | ArticleItem]:
        """A later listing page that cannot be fetched ends its walk: say so, loudly.

        The posts of the pages before it are still fetched; those after it are not known,
        so the run is marked in the stats (`listing/failed`) for the health check to see.
        A page past the last one is the walk's normal end, not a failure: HTML pages answer
        it with 404/410 (WordPress), an API with 400 (WordPress REST). It counts as an empty
        page *in walk order*, since a look-ahead page can fail before the pages it follows
        arrive.
        """
        request = failure.request  # type: ignore[attr-defined]
        walk_url, page = request.cb_kwargs["walk_url"], request.cb_kwargs["page"]
        walk = self.walks[walk_url]
        if page > 1 and status_of(failure) in (PAST_LAST_API_PAGE if walk.api else GONE_STATUSES):
            self.crawler.stats.inc_value("listing/past_last_page")
            yield from self._arrive(walk_url, walk, page, ListingPage([]))
            return
        walk.ended = True  # the pages after this one cannot be walked in order
        self._walk_over(walk_url, walk)
        self.crawler.stats.inc_value("listing/failed")
        self.logger.error("Listing walk stopped: could not fetch %s: %s", request.url, why(failure))

    def article_failed(self, failure: Failure) -> None:
        """A post that cannot be fetched stays pending for the next run, unless it is gone."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "a post"
        status = status_of(failure)
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
        if first:
            self._read_first_page(walk_url, walk, response)
        self.crawler.stats.inc_value("listing/pages")
        yield from self._arrive(
            walk_url, walk, page, walk.platform.parse_listing(response.text, response.url)
        )

    def _arrive(
        self, walk_url: str, walk: ListingWalk, page: int, listing: ListingPage
    ) -> Iterator[scrapy.Request | ArticleItem]:
        """Walk the pages now in order, then keep the walk's look-ahead full."""
        if walk.ended:
            self.crawler.stats.inc_value("listing/lookahead_unused")
            return
        walk.arrived[page] = listing
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
        if stop == "all_known" and walk.page == 1 and self.mode == "incremental":
            # Nothing was published since the last run: an unchanged nightly run stays at
            # one listing request per category (the feed is read on the next run that finds
            # a new post, and in `changed`/`full` runs).
            walk.feed_url = None
            self.crawler.stats.inc_value("feed/skipped_unchanged")
        self._walk_over(walk_url, walk)

    # --- second sources: the walk's feed, the site's sitemap ----------------------------

    def _read_first_page(self, walk_url: str, walk: ListingWalk, response: Response) -> None:
        """Note what page 1 of a walk names beside its posts: the feed to read once the walk
        is over, and (`mode=changed`/`full`) the site's sitemap links."""
        html = response.text if walk.api is None else ""
        if self.settings.getbool("NEWSCRAWL_FEEDS", True):
            own = walk.platform.feed_url(walk_url)
            linked = discover_feeds(html, response.url) if html and not own else []
            walk.feed_url = own or best_feed(linked, walk_url)
            walk.feed_of_category = bool(own) and walk.platform.feed_is_of_category(walk_url)
        self._note_page_sitemaps(response, html)

    def _note_page_sitemaps(self, response: Response, html: str) -> None:
        if self.mode != "incremental" and html:
            self.page_sitemaps.setdefault(site_of(response.url), page_sitemaps(html, response.url))

    def _first_post_page(self, response: Response) -> Iterator[scrapy.Request]:
        """A start post's page: note its sitemap links; a site no walk lists (single posts)
        looks for its sitemap now (`mode=changed`)."""
        self._note_page_sitemaps(response, response.text)
        yield from self._look_for_sitemap(response.url)

    def _walk_over(self, walk_url: str, walk: ListingWalk) -> None:
        """Read the walk's feed and, once no walk of the site goes on, the site's sitemap.

        Both wait for the walk so that what they add is what its listing missed. A walk ends
        inside callbacks and errbacks alike, so the requests go to the engine directly.
        """
        requests = [*self._feed_requests(walk_url, walk), *self._look_for_sitemap(walk_url)]
        assert self.crawler.engine is not None
        for request in requests:
            self.crawler.engine.crawl(request)

    def _feed_requests(self, walk_url: str, walk: ListingWalk) -> Iterator[scrapy.Request]:
        """The feed once per URL however many walks read it (Tistory's `/rss` is blog-wide)."""
        if walk.feed_url is None:
            return
        fetch = self.feeds.get(walk.feed_url)
        if fetch is None:
            self.feeds[walk.feed_url] = FeedFetch(waiting=[walk_url])
            yield scrapy.Request(
                walk.feed_url,
                self.parse_feed,
                priority=LISTING_PRIORITY,
                cb_kwargs={"feed_url": walk.feed_url},
                errback=self.feed_failed,
            )
        elif fetch.feed is None:
            fetch.waiting.append(walk_url)
        else:
            yield from self._feed_posts(walk_url, fetch.feed)

    def parse_feed(self, response: Response, feed_url: str) -> Iterator[scrapy.Request]:
        feed = read_feed(response.body, response.url)
        if not feed.usable:
            self.crawler.stats.inc_value("feed/unusable")
            self.logger.warning("Feed %s lists no post: the walks go without it", response.url)
        yield from self._feed_arrived(feed_url, feed)

    def feed_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        """No feed (404, down): the walks stand on their listings alone, as without one."""
        feed_url = failure.request.cb_kwargs["feed_url"]  # type: ignore[attr-defined]
        self.crawler.stats.inc_value("feed/failed")
        self.logger.warning("Could not fetch the feed %s: %s", feed_url, why(failure))
        yield from self._feed_arrived(feed_url, Feed())

    def _feed_arrived(self, feed_url: str, feed: Feed) -> Iterator[scrapy.Request]:
        fetch = self.feeds[feed_url]
        fetch.feed = feed
        waiting, fetch.waiting = fetch.waiting, []
        for walk_url in waiting:
            yield from self._feed_posts(walk_url, feed)

    def _feed_posts(self, walk_url: str, feed: Feed) -> Iterator[scrapy.Request]:
        """Fetch the walk's posts the feed lists and the listing did not (a skin hid them, the
        page cap cut them off); `mode=changed`: also archived ones updated since our copy."""
        walk = self.walks[walk_url]
        entries = self._walk_entries(walk_url, walk, feed)
        listed = walk.seen_posts | walk.requested
        unlisted = [url for url in entries if url not in listed]
        known = set() if self.mode == "full" else self.store.known_urls(unlisted)
        new = [url for url in unlisted if url not in known]
        walk.requested.update(new)
        self.store.add_pending(walk_url, new)
        self.crawler.stats.inc_value("feed/found", len(entries))
        self.crawler.stats.inc_value("feed/new", len(new))
        for post_url in new:
            yield self._article_request(post_url, walk)
        if self.mode == "changed":
            yield from self._feed_changes(walk, entries)

    def _walk_entries(self, walk_url: str, walk: ListingWalk, feed: Feed) -> dict[str, FeedEntry]:
        """The feed's posts of the walk's site and category, by canonical URL. A blog-wide
        feed's entries count when one of their category labels is in the walk's category."""
        platform = walk.platform
        every_entry = walk.feed_of_category or walks_whole_blog(walk_url, platform)
        entries = {}
        for entry in feed.entries:
            if site_of(entry.link) != site_of(walk_url) or not platform.is_post_url(entry.link):
                continue
            paths = category_paths(entry)
            if every_entry or (walk.category and any(in_category(p, walk.category) for p in paths)):
                entries[platform.canonical_post_url(entry.link)] = entry
        return entries

    def _feed_changes(
        self, walk: ListingWalk, entries: dict[str, FeedEntry]
    ) -> Iterator[scrapy.Request]:
        """`mode=changed`: archived posts whose feed `updated` is later than our last fetch."""
        updated = {
            url: entry.updated
            for url, entry in entries.items()
            if entry.updated and url not in walk.requested
        }
        for post_url in changed_since(updated, self.store.last_seen(updated)):
            self.crawler.stats.inc_value("feed/changed")
            walk.requested.add(post_url)
            yield self._article_request(post_url, walk)

    def robots_received(self, response: Response, request: scrapy.Request) -> None:
        """Keep the `Sitemap:` lines of each robots.txt the crawl reads (Scrapy's robots.txt
        middleware fetches it before a site's first request, and its parser drops them), so
        discovery needs no second robots.txt request."""
        if urlsplit(request.url).path == "/robots.txt":
            found = robots_sitemaps(response.body, response.url) if response.status == 200 else []
            self.robots_sitemaps[site_of(request.url)] = found

    def _look_for_sitemap(self, site_url: str) -> Iterator[scrapy.Request]:
        """`mode=changed`/`full`: start the site's sitemap discovery, once, after its walks."""
        site = site_of(site_url)
        walks = [walk for url, walk in self.walks.items() if site_of(url) == site]
        # `mode=full` looks for posts the walks missed: a run of single posts has none.
        useless = self.mode == "incremental" or (self.mode == "full" and not walks)
        if useless or site in self.sitemap_searches or any(not walk.ended for walk in walks):
            return
        self.sitemap_searches[site] = []
        if site in self.robots_sitemaps:
            yield from self._try_sitemaps(site_url)
            return
        parts = urlsplit(site_url)  # robots.txt not read yet: ROBOTSTXT_OBEY is off
        yield scrapy.Request(
            urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", "")),
            self.parse_robots,
            priority=LISTING_PRIORITY,
            cb_kwargs={"site_url": site_url},
            errback=self.robots_failed,
        )

    def parse_robots(self, response: Response, site_url: str) -> Iterator[scrapy.Request]:
        yield from self._try_sitemaps(site_url)  # `robots_received` has read it

    def robots_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        yield from self._try_sitemaps(failure.request.cb_kwargs["site_url"])  # type: ignore[attr-defined]

    def _try_sitemaps(self, site_url: str) -> Iterator[scrapy.Request]:
        site = site_of(site_url)
        robots = self.robots_sitemaps.get(site, [])
        self.sitemap_searches[site] = sitemap_candidates(
            site_url, robots, self.page_sitemaps.get(site, [])
        )
        yield from self._next_sitemap(site)

    def _next_sitemap(self, site: str) -> Iterator[scrapy.Request]:
        """The next sitemap candidate of the site; when none is left, say so, do not fail."""
        candidates = self.sitemap_searches.get(site)
        if candidates is None:  # a sitemap asked for outside discovery: nothing to go on with
            return
        if not candidates:
            self.crawler.stats.inc_value("sitemap/failed")
            self.logger.warning(
                "No usable sitemap on %s: %s",
                site,
                "edited posts are not looked for"
                if self.mode == "changed"
                else "posts no listing shows are not looked for",
            )
            return
        yield scrapy.Request(
            candidates.pop(0),
            self.parse_sitemap,
            priority=LISTING_PRIORITY,
            cb_kwargs={"site": site},
            errback=self.sitemap_failed,
        )

    def parse_sitemap(
        self, response: Response, site: str = "", parents: tuple[str, ...] = ()
    ) -> Iterator[scrapy.Request]:
        """Follow a sitemap: changed posts (`mode=changed`), unlisted ones (`mode=full`).

        A discovery candidate (`parents` empty) that lists nothing moves on to the next one.
        Child sitemaps of an index are followed `MAX_SITEMAP_DEPTH` levels deep at most and
        never back to an index of their own chain (`sitemap/too_deep`, `sitemap/loop`), so a
        server that answers with endless fresh indexes cannot keep the run going.
        """
        sitemap = parse_sitemap(response.body)
        if not sitemap.sitemaps and not sitemap.lastmod:
            self.crawler.stats.inc_value("sitemap/unusable")
            self.logger.warning("Sitemap %s lists nothing usable", response.url)
            if not parents:
                yield from self._next_sitemap(site)
            return
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
                child,
                self.parse_sitemap,
                priority=LISTING_PRIORITY,
                cb_kwargs={"site": site, "parents": chain},
                errback=self.sitemap_failed,
            )
        yield from self._sitemap_posts(response.url, sitemap.lastmod)

    def sitemap_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        """A candidate that does not answer (404, down) gives way to the next one."""
        request = failure.request  # type: ignore[attr-defined]
        if request.cb_kwargs.get("parents"):
            self.logger.warning("Could not fetch sitemap %s: %s", request.url, why(failure))
            return
        yield from self._next_sitemap(request.cb_kwargs.get("site", ""))

    def _sitemap_posts(
        self, sitemap_url: str, lastmods: dict[str, datetime | None]
    ) -> Iterator[scrapy.Request]:
        platform = self.platform_for(sitemap_url)
        posts = {
            platform.canonical_post_url(url): when
            for url, when in lastmods.items()
            if platform.is_post_url(url) and site_of(url) == site_of(sitemap_url)
        }
        if self.mode == "changed":
            for post_url in changed_since(posts, self.store.last_seen(posts)):
                self.crawler.stats.inc_value("sitemap/changed")
                yield self._article_request(post_url, None)
        elif self.mode == "full":
            yield from self._unlisted_posts(site_of(sitemap_url), list(posts))

    def _unlisted_posts(self, site: str, post_urls: list[str]) -> Iterator[scrapy.Request]:
        """`mode=full`: the site's posts no walk listed and the archive does not hold.

        Fetched with the walked category's check, so a post of another category is ruled out
        (`off_category`) and never fetched again: the cost is paid once. A walk whose category
        cannot be checked (no path, not the whole blog: WordPress compares none) takes nothing
        from the sitemap, nor does a run of single posts.
        """
        site_walks = {url: walk for url, walk in self.walks.items() if site_of(url) == site}
        walks = list(site_walks.values())
        whole_blog = next(
            (walk for url, walk in site_walks.items() if walks_whole_blog(url, walk.platform)),
            None,
        )
        if whole_blog is None and any(not walk.category for walk in walks):
            self.logger.info("Sitemap of %s unused: a walk's category cannot be checked", site)
            return
        listed = set().union(*(walk.seen_posts | walk.requested for walk in walks))
        unlisted = [url for url in post_urls if url not in listed]
        known = self.store.known_urls(unlisted)
        for post_url in unlisted:
            if post_url in known:
                continue
            self.crawler.stats.inc_value("sitemap/unlisted")
            if whole_blog or len(walks) == 1:
                yield self._article_request(post_url, whole_blog or walks[0])
            else:
                yield self._unlisted_request(post_url, walks)

    def _unlisted_request(self, url: str, walks: list[ListingWalk]) -> scrapy.Request:
        """A post for a site walked for several categories: any of them may claim it."""
        request = self._article_request(url, None)
        categories = [walk.category for walk in walks]
        return request.replace(
            callback=self.parse_unlisted_post, cb_kwargs={"categories": categories}
        )

    def parse_unlisted_post(
        self, response: Response, categories: list[list[str]]
    ) -> Iterator[ArticleItem | scrapy.Request]:
        """Keep the post if it files under one of the walked categories, else rule it out."""
        platform = self.platform_for(response.url, response.meta.get("platform"))
        for result in self.parse_article(response):
            if isinstance(result, ArticleItem) and not any(
                files_under(result, category, platform) for category in categories
            ):
                self.crawler.stats.inc_value("listing/off_category")
                self.store.rule_out([fetched_url(response)], "off_category")
                continue
            yield result

    def parse_article(
        self, response: Response, category: list[str] | None = None, first: bool = False
    ) -> Iterator[ArticleItem | scrapy.Request]:
        """Parse one post; drop it when its own category contradicts the listing's."""
        platform = self.platform_for(response.url, response.meta.get("platform"))
        if first:
            self._require_platform(response, platform)
            yield from self._first_post_page(response)
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
            # Imported on first use: trafilatura costs a run 0.4 s and 30 MiB at start, and
            # most runs never fall back.
            from newscrawl import generic

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
