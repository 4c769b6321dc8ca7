"""The distributed scheduler: post requests in the shared Redis queue, the walk kept local.

A listing walk's state (page order, look-ahead, stop rules) lives in the seeding worker's
memory, so its requests must come back to that worker: they stay in a local in-memory
priority queue. Requests a spider marks `meta["newscrawl_shared"]` (post fetches, whose
callback needs nothing but the response and its `cb_kwargs`) go to scrapy-redis's priority
queue under the run's key, where any worker takes them. Both kinds pass the run's
scrapy-redis dupefilter, shared by every worker.

Unlike scrapy-redis's own scheduler this one never flushes the queue when a worker closes:
other workers are still using it; the run deletes it when its last worker leaves.
"""

from __future__ import annotations

import heapq
import importlib
import itertools
import logging
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals
from scrapy.utils.misc import load_object
from scrapy_redis import connection
from scrapy_redis.scheduler import Scheduler as RedisScheduler

from newscrawl.distributed import SHARED
from newscrawl.distributed.leases import LeasingPriorityQueue
from newscrawl.distributed.run import DistributedRun, run_for
from newscrawl.state import StateError

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class DistributedScheduler(RedisScheduler):
    """scrapy-redis's `Scheduler` with a local queue for requests only this worker can serve.

    The shared queue is scrapy-redis's priority queue, leasing what it pops
    (`newscrawl.distributed.leases`). Settings: scrapy-redis's `SCHEDULER_SERIALIZER`
    (default pickle); the keys come from the run, not from settings.
    """

    run: DistributedRun
    queue: LeasingPriorityQueue
    max_leased: int

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        run = run_for(crawler)
        if run is None:
            raise StateError("the distributed scheduler needs NEWSCRAWL_REDIS_URL")
        settings = crawler.settings
        server = connection.from_settings(settings)
        server.ping()
        dupefilter = load_object(settings["DUPEFILTER_CLASS"])(
            server, key=run.key("dupefilter"), debug=settings.getbool("DUPEFILTER_DEBUG")
        )
        kwargs: dict[str, Any] = {}
        if settings.get("SCHEDULER_SERIALIZER"):
            kwargs["serializer"] = importlib.import_module(settings["SCHEDULER_SERIALIZER"])
        scheduler = cls(
            server=server,
            persist=True,  # the run, not a worker, decides when the queue goes
            queue_key=_literal(run.key("requests")),
            dupefilter=dupefilter,
            **kwargs,
        )
        scheduler.stats = crawler.stats
        scheduler.run = run
        scheduler.max_leased = max(1, settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 8))
        crawler.signals.connect(
            scheduler.request_left_downloader, signal=signals.request_left_downloader
        )
        return scheduler

    def __init__(self, server: Any, **kwargs: Any) -> None:
        super().__init__(server, **kwargs)
        self._local: list[tuple[int, int, Request]] = []
        self._order = itertools.count()

    def open(self, spider: Spider) -> None:
        """Open the run's queue; never flush it (other workers may be filling it already).

        scrapy-redis's own `open`, `enqueue_request` and `next_request` pass `spider=` to the
        stats and call `Spider.log`, both deprecated in Scrapy 2.19, so this class drives its
        queue and dupefilter directly.
        """
        self.spider = spider
        self.queue = LeasingPriorityQueue(
            self.server,
            spider,
            self.queue_key,
            lease_key=self.run.key(f"leases:{self.run.worker.holder}"),
            serializer=self.serializer,
        )
        if waiting := len(self.queue):
            logger.info("Distributed run: %d requests already in the shared queue", waiting)

    def close(self, reason: str) -> None:
        self._local.clear()

    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if request.meta.get(SHARED):
            self.queue.push(request)
            self.run.touch()
            self._count("enqueued", "redis")
        else:
            heapq.heappush(self._local, (-request.priority, next(self._order), request))
            self._count("enqueued", "local")
        return True

    def next_request(self) -> Request | None:
        """This worker's own requests first (they discover the work), then shared ones.

        A worker takes no more shared requests than it can download at once
        (`CONCURRENT_REQUESTS_PER_DOMAIN`): Scrapy's engine would otherwise pull up to
        `CONCURRENT_REQUESTS` into a blog's download slot, where they wait for their turn
        while other workers have nothing to do.
        """
        if self._local:
            self._count("dequeued", "local")
            return heapq.heappop(self._local)[2]
        if self.queue.leased >= self.max_leased:
            return None
        request: Request | None = self.queue.pop()
        if request is not None:
            self.run.touch()
            self._count("dequeued", "redis")
        return request

    def request_left_downloader(self, request: Request) -> None:
        self.queue.release(request)

    def has_pending_requests(self) -> bool:
        return bool(self._local) or len(self.queue) > 0

    def __len__(self) -> int:
        return len(self._local) + len(self.queue)

    def _count(self, event: str, queue: str) -> None:
        """Scrapy's `scheduler/<event>` totals and `scheduler/<event>/<local|redis>`."""
        if self.stats is not None:
            self.stats.inc_value(f"scheduler/{event}")
            self.stats.inc_value(f"scheduler/{event}/{queue}")


def _literal(key: str) -> str:
    """scrapy-redis formats keys with `% {"spider": …}`: keep a `%` in our prefix literal."""
    return key.replace("%", "%%")
