"""Stop a run at once when its archive state cannot be written (disk full, read-only).

A state write happens in spider callbacks (posts found, walks ended, posts ruled out) and in
pipelines (posts exported). Scrapy logs an exception there and carries on, so without this a
full disk would give a run that walks nothing or records nothing yet ends `finished` and
exits 0. The first `StateWriteError` closes the spider with reason `state_failed` (exit
status 1, the error in the unhealthy-run paragraph) and counts `state/write_failed`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro

from newscrawl.state.base import StateWriteError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

REASON = "state_failed"


class _StateGuard:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stopped = False

    def spider_error(self, failure: Failure, **_kwargs: Any) -> None:
        self._check(failure)

    def item_error(self, failure: Failure, **_kwargs: Any) -> None:
        self._check(failure)

    def _check(self, failure: Failure) -> None:
        if not failure.check(StateWriteError):
            return
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("state/write_failed")
        if self.stopped or self.crawler.engine is None:
            return
        self.stopped = True
        detail = f"{failure.getErrorMessage()}"
        stats.set_value("newscrawl/close_detail", detail)
        logger.error("Run stopped: %s", detail)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=REASON))


def stop_on_state_errors(crawler: Crawler) -> None:
    """Watch the crawl's callbacks and pipelines for state write failures."""
    guard = _StateGuard(crawler)
    crawler.signals.connect(guard.spider_error, signal=signals.spider_error, weak=False)
    crawler.signals.connect(guard.item_error, signal=signals.item_error, weak=False)
