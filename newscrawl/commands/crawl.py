"""`scrapy crawl` with one-line argument errors and an exit status that tells the run's health.

Scrapy's own command prints a traceback when a spider rejects its arguments and exits 0 even
when the spider closed for a reason other than `finished`; cron needs neither. Spiders that
define `check_arguments(**spargs)` get their arguments checked before the engine starts.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from newscrawl.errors import BadArgument

if TYPE_CHECKING:
    import argparse

    from scrapy.crawler import Crawler

USAGE_EXIT = 2
UNHEALTHY_EXIT = 1


class Command(ScrapyCrawlCommand):
    """Run a spider; exit 2 on bad arguments, 1 when the run did not finish cleanly."""

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name")
        assert self.crawler_process
        spidercls = self.crawler_process.spider_loader.load(args[0])
        check = getattr(spidercls, "check_arguments", None)
        if check is not None:
            try:
                check(**opts.spargs)
            except BadArgument as error:
                self._fail(USAGE_EXIT, f"newscrawl: error: {error}")
                return
        crawler = self._create_crawler(spidercls)
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self._fail(UNHEALTHY_EXIT, "newscrawl: error: the crawl could not start (see log)")
            return
        self._report_health(crawler)

    def _report_health(self, crawler: Crawler) -> None:
        assert crawler.stats
        reason = crawler.stats.get_value("finish_reason")
        failed_pages = crawler.stats.get_value("listing/failed", 0)
        if reason != "finished":
            detail = crawler.stats.get_value("newscrawl/close_detail") or ""
            self._fail(UNHEALTHY_EXIT, f"newscrawl: run ended with reason {reason!r}. {detail}")
        elif failed_pages:
            self._fail(
                UNHEALTHY_EXIT,
                f"newscrawl: {failed_pages} listing page(s) could not be fetched, so the posts "
                "listed after them are missing from this run; run it again later.",
            )

    def _fail(self, code: int, message: str) -> None:
        print(message.strip(), file=sys.stderr)
        self.exitcode = code
