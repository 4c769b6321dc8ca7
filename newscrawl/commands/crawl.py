"""`scrapy crawl` with one-line argument errors and an exit status that tells the run's health.

Scrapy's own command prints a traceback when a spider rejects its arguments and exits 0 even
when the spider closed for a reason other than `finished`; cron needs neither. Spiders that
define `check_arguments(**spargs)` get their arguments checked before the engine starts, and
so do the health and progress settings. After the run, `newscrawl.health.assess` judges its
stats: any problem is one paragraph on stderr and exit status 1.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from newscrawl.errors import BadArgument, BadSetting
from newscrawl.health import HealthThresholds, assess
from newscrawl.progress import progress_interval
from newscrawl.state import StateError

if TYPE_CHECKING:
    import argparse

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

USAGE_EXIT = 2
UNHEALTHY_EXIT = 1


class Command(ScrapyCrawlCommand):
    """Run a spider; exit 2 on bad arguments or settings, 1 when the run is not healthy."""

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name")
        assert self.crawler_process
        spidercls = self.crawler_process.spider_loader.load(args[0])
        try:
            check = getattr(spidercls, "check_arguments", None)
            if check is not None:
                check(**opts.spargs)
            self._check_settings()
        except (BadArgument, BadSetting) as error:
            self._fail(USAGE_EXIT, f"newscrawl: error: {error}")
            return
        crawler = self._create_crawler(spidercls)
        started = self.crawler_process.crawl(crawler, **opts.spargs)
        if isinstance(started, asyncio.Task):
            started.add_done_callback(self._state_refused)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            if not self.exitcode:
                self._fail(UNHEALTHY_EXIT, "newscrawl: error: the crawl could not start (see log)")
            return
        self._report_health(crawler)

    def _state_refused(self, started: asyncio.Task[None]) -> None:
        """A locked or unreadable archive state: one paragraph saying what to do, exit 1.

        Reading the task's exception keeps asyncio from printing it; any other start-up
        failure is logged here with its traceback, as asyncio would have.
        """
        error = None if started.cancelled() else started.exception()
        if isinstance(error, StateError):
            self._fail(UNHEALTHY_EXIT, f"newscrawl: error: {error}")
        elif error is not None:
            logger.error("The crawl could not start", exc_info=error)

    def _check_settings(self) -> None:
        """Reject bad health/progress settings before the engine starts, not after the run."""
        assert self.settings is not None
        HealthThresholds.from_settings(self.settings)
        progress_interval(self.settings)

    def _report_health(self, crawler: Crawler) -> None:
        assert crawler.stats
        thresholds = HealthThresholds.from_settings(crawler.settings)
        problems = assess(crawler.stats.get_stats(), thresholds)
        if problems:
            self._fail(UNHEALTHY_EXIT, "newscrawl: unhealthy run: " + " ".join(problems))

    def _fail(self, code: int, message: str) -> None:
        print(message.strip(), file=sys.stderr)
        self.exitcode = code
