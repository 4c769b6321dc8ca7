"""`RedisAddon`: with `NEWSCRAWL_REDIS_URL` set, the crawl runs distributed; else no change.

Listed in `ADDONS` (newscrawl/settings.py). Scrapy builds a crawl's spider before it applies
add-ons' `update_settings`, and our spider opens the archive state while it is built, so the
switch happens earlier, in `update_pre_crawler_settings`, which Scrapy calls on the project
and command-line settings before any crawler exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured
from scrapy.settings import SETTINGS_PRIORITIES

from newscrawl.distributed import URL_SETTING, default_worker_id, redis_url, sanitise

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

SQLITE_BACKEND = "newscrawl.state.sqlite.SqliteStateStore"
REDIS_BACKEND = "newscrawl.state.redis.RedisStateStore"
ADDON_PRIORITY = "addon"
# The walk runs on the seeder alone while every worker fetches posts: looking 3 listing pages
# ahead, it fed 1 worker but not 2 (bench.workers: 2 / 1 went from 1.01 to 1.68 at 12).
LOCAL_LOOKAHEAD, DISTRIBUTED_LOOKAHEAD = 3, 12


class RedisAddon:
    """Switch the scheduler, dupefilter and archive state to Redis when a URL is given.

    Sets `SCHEDULER` (newscrawl's scrapy-redis scheduler), `DUPEFILTER_CLASS`
    (scrapy-redis's `RFPDupeFilter`), `REDIS_URL`, `NEWSCRAWL_WORKER_ID` (default
    `<hostname>-<pid>`), `NEWSCRAWL_STATE_BACKEND` (Redis, unless another backend than
    the SQLite default was chosen) and `NEWSCRAWL_LISTING_LOOKAHEAD` (12, unless another
    value than the default 3 was chosen). Settings: `NEWSCRAWL_REDIS_URL` (or the
    environment variable of that name).
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisAddon:
        if not redis_url(crawler.settings):
            raise NotConfigured  # silently: a local run
        return cls()

    @classmethod
    def update_pre_crawler_settings(cls, settings: BaseSettings) -> None:
        url = redis_url(settings)
        if not url:
            return
        settings.set(URL_SETTING, url, priority=settings.getpriority(URL_SETTING) or 0)
        settings.set(
            "SCHEDULER", "newscrawl.distributed.scheduler.DistributedScheduler", ADDON_PRIORITY
        )
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", ADDON_PRIORITY)
        settings.set("REDIS_URL", url, ADDON_PRIORITY)
        worker = settings.get("NEWSCRAWL_WORKER_ID") or default_worker_id()
        settings.set("NEWSCRAWL_WORKER_ID", sanitise(worker), priority="cmdline")
        _replace_default(settings, "NEWSCRAWL_STATE_BACKEND", (None, SQLITE_BACKEND), REDIS_BACKEND)
        _replace_default(
            settings, "NEWSCRAWL_LISTING_LOOKAHEAD", (None, LOCAL_LOOKAHEAD), DISTRIBUTED_LOOKAHEAD
        )


def _replace_default(settings: BaseSettings, name: str, defaults: tuple, value: object) -> None:
    """Set `name` to `value` where it still holds the project's default (newscrawl/settings.py
    or none at all); a value given on the command line, or another one, is kept."""
    priority = settings.getpriority(name) or 0
    if settings.get(name) in defaults and priority <= SETTINGS_PRIORITIES["project"]:
        settings.set(name, value, priority=priority)
