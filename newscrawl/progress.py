"""A progress line while a crawl runs and a short summary when it ends, both logged at INFO.

Scrapy's own `LogStats` line counts pages and items; an archivist watching a category walk
wants listing pages, posts found, fetched, exported and skipped, and errors. Everything goes
through logging (Scrapy logs to stderr), so `-L WARNING` silences it and `LOG_FILE` keeps it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.utils.asyncio import create_looping_call

from newscrawl.errors import BadSetting
from newscrawl.health import HealthThresholds, assess, failed_requests

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

INTERVAL_SETTING = "NEWSCRAWL_PROGRESS_INTERVAL"


def progress_interval(settings: BaseSettings) -> float:
    """`NEWSCRAWL_PROGRESS_INTERVAL` in seconds (0 = no progress line), or `BadSetting`."""
    try:
        interval = settings.getfloat(INTERVAL_SETTING, 10.0)
    except (TypeError, ValueError):
        value = settings.get(INTERVAL_SETTING)
        raise BadSetting(f"{INTERVAL_SETTING}={value!r} is not a number") from None
    if interval < 0:
        raise BadSetting(f"{INTERVAL_SETTING}={interval!r} must be 0 (off) or a number of seconds")
    return interval


class ProgressReporter:
    """Log a progress line every `interval` seconds and a summary when the spider closes.

    The line: `progress: 3 listing pages, 120 posts found, 80 fetched, 75 exported, 5 skipped
    (archived), 0 errors, 12.3 pages/min` (the rate over the last interval). The summary says
    what was exported where, what was skipped, the errors, the duration and the health
    verdict of `newscrawl.health.assess`; it is logged even when the line is off, because a
    log file should record how a run ended whoever started it.

    Settings: `NEWSCRAWL_PROGRESS_INTERVAL` (seconds, default 10; 0 turns the line off) and
    the `NEWSCRAWL_HEALTH_*` thresholds of the verdict.
    """

    def __init__(
        self,
        stats: StatsCollector,
        interval: float,
        thresholds: HealthThresholds,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stats = stats
        self.interval = interval
        self.thresholds = thresholds
        self.clock = clock
        self.task: Any = None
        self.started = self._last_time = clock()
        self._last_pages = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressReporter:
        assert crawler.stats is not None
        settings = crawler.settings
        reporter = cls(
            crawler.stats, progress_interval(settings), HealthThresholds.from_settings(settings)
        )
        crawler.signals.connect(reporter.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(reporter.spider_closed, signal=signals.spider_closed)
        return reporter

    def spider_opened(self) -> None:
        self.started = self._last_time = self.clock()
        if self.interval:
            self.task = create_looping_call(self.tick)
            self.task.start(self.interval, now=False)

    def tick(self) -> None:
        """Log one progress line (called by the looping call, or directly by tests)."""
        stats = self.stats.get_stats()
        now, pages = self.clock(), int(stats.get("downloader/response_count", 0))
        elapsed = now - self._last_time
        rate = (pages - self._last_pages) * 60 / elapsed if elapsed > 0 else 0.0
        self._last_time, self._last_pages = now, pages
        logger.info(
            "progress: %d listing pages, %d posts found, %d fetched, %d exported, "
            "%d skipped (archived), %d errors, %.1f pages/min",
            stats.get("listing/pages", 0),
            stats.get("listing/posts_found", 0),
            stats.get("article/pages", 0),
            stats.get("export/items", 0),
            skipped(stats),
            self._errors(stats),
            rate,
        )

    def spider_closed(self, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        # CoreStats may not have written the reason yet: the signal's argument is certain.
        stats = {**self.stats.get_stats(), "finish_reason": reason}
        duration = timedelta(seconds=round(self.clock() - self.started))
        logger.info("%s", self.summary(stats, duration))

    def summary(self, stats: Mapping[str, Any], duration: timedelta) -> str:
        """Three lines: what went where, what was skipped or failed, and the verdict."""
        exported = stats.get("export/items", 0)
        path = stats.get("export/path")
        where = f"to {path}" if path else "(no JSON Lines export in this run)"
        problems = assess(stats, self.thresholds)
        verdict = "healthy" if not problems else f"UNHEALTHY: {' '.join(problems)}"
        return (
            f"summary: exported {exported} posts {where}\n"
            f"  {skipped(stats)} skipped (archived), {self._errors(stats)} errors, "
            f"{stats.get('listing/pages', 0)} listing pages, "
            f"{stats.get('article/pages', 0)} article pages, "
            f"finish reason {stats.get('finish_reason')!r}, took {duration}\n"
            f"  health: {verdict}"
        )

    def _errors(self, stats: Mapping[str, Any]) -> int:
        """Failed requests exactly as the error-rate rule counts them, so the numbers agree.

        Listing or start pages that failed without a retry (a 404) are not among them; the
        verdict names them. Adding `listing/failed` here would count a given-up one twice.
        """
        return failed_requests(stats, self.thresholds.retried_statuses)


def skipped(stats: Mapping[str, Any]) -> int:
    """Posts not exported because the archive has them: unchanged, or known and not fetched."""
    return int(stats.get("state/skipped_exported", 0) + stats.get("incremental/known", 0))
