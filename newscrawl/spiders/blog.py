"""`scrapy crawl blog -a url=URL`: any blog, its platform detected from the first page fetched.

Each start URL is fetched once to see what it is: the platform whose markup the page shows
(`newscrawl.platforms.base.detect`) then classifies the URL and the walk goes on exactly as
in `scrapy crawl <platform>`; the detection response is handed to that walk instead of being
fetched twice. `-a profile=site.toml` skips detection: the profile is the platform of every
start URL. A page no platform recognises, without a profile, is read by the generic extractor
when it is one post; anything else (a home page or listing of an unknown platform) ends the
run with a one-line error asking for a profile.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro

from newscrawl.items import ArticleItem
from newscrawl.platforms.base import Platform, StartTarget, detect, discover
from newscrawl.profiles import ProfilePlatform, load_profile
from newscrawl.spiders.arguments import classify, parse_join, split_urls
from newscrawl.spiders.base import CategorySpider
from newscrawl.spiders.walk import LISTING_PRIORITY, site_of
from newscrawl.state import url_key

DETECT = "detect"  # a start target whose platform the first response will tell


class BlogSpider(CategorySpider):
    """Crawl categories, blogs or posts of any platform into `ArticleItem`s.

    Arguments: `url` — comma-separated category listing, blog root or post URLs (any
    platform, several sites allowed); `mode` — as for every platform spider; `profile` — a
    TOML profile (README "Profile guide") that names the platform of every start URL.
    Stats: `platform/detected/<name>` per start URL (`generic` for a post of an unknown
    platform), `platform/unknown` for start URLs nothing could read.
    """

    name = "blog"
    platform = None
    argument_names = CategorySpider.argument_names | {"profile"}

    def __init__(
        self,
        url: str | None = None,
        mode: str | None = None,
        profile: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(url=url, mode=mode, **kwargs)
        self.profile_platform: ProfilePlatform | None = None
        if profile:
            self.profile_platform = load_profile(profile)
            self.targets = [classify(target.url, self.profile_platform) for target in self.targets]
        self.arguments["profile"] = profile

    @classmethod
    def start_targets(cls, url: str | None) -> list[StartTarget]:
        """Start URLs checked as http(s) only: their platform is known after the first fetch."""
        return [StartTarget(DETECT, start_url) for start_url in split_urls(url)]

    @classmethod
    def check_arguments(
        cls,
        url: str | None = None,
        mode: str | None = None,
        join: str | None = None,
        profile: str | None = None,
        **_other: str,
    ) -> None:
        """Bad URLs, mode or profile (a missing key, a broken selector) fail before the engine
        starts, in one line, exit status 2."""
        super().check_arguments(url, mode, join, **_other)
        if not profile:
            return
        platform = load_profile(profile)
        if not parse_join(join, url):
            for target in cls.start_targets(url):
                classify(target.url, platform)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> BlogSpider:
        """A worker joining a distributed run takes the seeder's profile with its arguments."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, BlogSpider)
        profile = spider.arguments.get("profile")
        if spider.profile_platform is None and profile:
            spider.profile_platform = load_profile(profile)
        return spider

    def platform_for(self, url: str, name: str | None = None) -> Platform:
        """The profile's platform for every site when there is one, else the detected one."""
        if self.profile_platform is not None:
            return self.profile_platform
        return super().platform_for(url, name)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.profile_platform is not None:
            async for request in super().start():
                yield request
            return
        for target in self.targets:
            # Not filtered: the walk may ask for this URL again (after an API probe), and a
            # filtered detection request would make the dupefilter drop that one.
            yield scrapy.Request(
                target.url,
                self.parse_detection,
                priority=LISTING_PRIORITY,
                dont_filter=True,
                cb_kwargs={"target_url": target.url},
                errback=self.start_failed,
            )

    def parse_detection(
        self, response: Response, target_url: str
    ) -> Iterator[scrapy.Request | ArticleItem]:
        """Name the site's platform from its first page, then start the walk from that page."""
        platform = detect(response.text, response.url)
        if platform is None:
            yield from self._unknown_platform(response)
            return
        for url in (target_url, response.url):
            self.site_platforms[site_of(url)] = platform
        self.crawler.stats.inc_value(f"platform/detected/{platform.name}")
        self.logger.info("Detected %s on %s", platform.label or platform.name, target_url)
        target = platform.classify(target_url)
        if target is None:
            label = platform.label or platform.name
            self._give_up(
                f"{target_url} is a {label} page but not a {label} category listing, blog root"
                " or post URL.",
                "bad_start_url",
            )
            return
        fetched = {response.url, response.request.url if response.request else response.url}
        for request in self.target_requests(target, platform):
            if request.callback is not None and self._answered_by(request, fetched):
                self.crawler.stats.inc_value("platform/detection_reused")
                yield from request.callback(response, **request.cb_kwargs)
            else:
                yield request

    def _answered_by(self, request: scrapy.Request, fetched: set[str]) -> bool:
        """True when the page already fetched is what `request` asks for: the post itself, or
        page 1 of a walk that starts at it (`/category/x` is `/category/x?page=1`)."""
        if request.callback == self.parse_article:
            return request.url in fetched
        if request.callback == self.parse_listing_page:
            walk_url, page = request.cb_kwargs["walk_url"], request.cb_kwargs["page"]
            return request.url in fetched or (page == 1 and walk_url in fetched)
        return False

    def _unknown_platform(self, response: Response) -> Iterator[ArticleItem]:
        """A post of an unknown platform → the generic extractor; anything else → an error."""
        from newscrawl import generic  # trafilatura: loaded only when a page needs it

        html, url = response.text, response.url
        item = generic.extract(html, url) if generic.is_article_page(html, url) else None
        if item is not None:
            self.crawler.stats.inc_value("platform/detected/generic")
            self.crawler.stats.inc_value("article/pages")
            self.crawler.stats.inc_value("article/generic")
            self.logger.info("No known platform on %s: one post, read generically", url)
            yield from self._accept_post(item, url)
            return
        self.crawler.stats.inc_value("platform/unknown")
        known = ", ".join(platform.label or platform.name for platform in discover())
        self._give_up(
            f"{url}: unknown platform (no {known} markup) and not a single post: give"
            " -a profile=PATH.toml (README 'Profile guide').",
            "unknown_platform",
        )

    def _accept_post(self, item: ArticleItem, fetched_url: str) -> Iterator[ArticleItem]:
        """A single post of no platform: no category to check it against, no walk."""
        if url_key(fetched_url) != url_key(item.url):
            self.store.record_alias(fetched_url, item.id)
        item.crawled_at = item.crawled_at or datetime.now(UTC).isoformat(timespec="seconds")
        self.crawler.stats.inc_value("article/parsed")
        yield item

    def _give_up(self, detail: str, reason: str) -> None:
        """One start URL cannot be walked: an error; the run ends if it was the only one."""
        self.crawler.stats.inc_value("start/failed")
        self.logger.error(detail)
        if len(self.targets) > 1:
            return
        self.crawler.stats.set_value("newscrawl/close_detail", detail)
        assert self.crawler.engine is not None
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))
