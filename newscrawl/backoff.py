"""Back off from a server that says it is overloaded, and honour its `Retry-After`.

Scrapy's retry middleware retries a 429 or 503 at once, and AutoThrottle only learns from
latencies of successful answers: it ignores error statuses and `Retry-After` (Scrapy #4424),
so a throttling server gets the same request again within milliseconds. This middleware sits
just before the retry middleware and raises the delay of the answering server's download
slot before the retry is queued: to `Retry-After` when the server gives one (capped), else
doubling from a start delay. The slot's random jitter is off meanwhile, so a `Retry-After`
of 30 s is never cut to 15. Each later success halves the backoff until the slot is back to
its own delay (AutoThrottle, when on, keeps adjusting it from there).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import load_object

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.core.downloader import Slot
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

# Request meta: when the request entered the downloader (monotonic), before any slot wait.
ENTERED = "newscrawl_backoff_entered"


def retry_after(value: bytes | str | None, now: datetime) -> float | None:
    """Seconds a `Retry-After` header asks for (delta-seconds or an HTTP date); None if unusable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


@dataclass
class _Backoff:
    """A slot we slowed down: its own delay and jitter, the backoff now in force and when it
    was last raised (monotonic seconds)."""

    delay: float
    jitter: float
    level: float
    since: float


class BackoffMiddleware:
    """Slow a server's slot down on overload answers (retried statuses, connection errors).

    Counts `backoff/count`, `backoff/retry_after` (a `Retry-After` honoured),
    `backoff/capped` (one longer than the cap) and `backoff/delay_max` (longest delay, s).

    Settings: `NEWSCRAWL_BACKOFF_ENABLED` (default True), `NEWSCRAWL_BACKOFF_START_DELAY`
    (seconds of the first backoff without `Retry-After`, default 1), `NEWSCRAWL_MAX_RETRY_AFTER`
    (cap of any backoff delay, `Retry-After` included, default 60); the statuses and exceptions
    are Scrapy's `RETRY_HTTP_CODES` and `RETRY_EXCEPTIONS`.
    """

    def __init__(
        self,
        crawler: Crawler,
        statuses: frozenset[int],
        exceptions: tuple[type[BaseException], ...],
        start_delay: float,
        max_delay: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        assert crawler.stats is not None
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats
        self.statuses = statuses
        self.exceptions = exceptions
        self.start_delay = start_delay
        self.max_delay = max_delay
        self.clock = clock
        self._slowed: dict[str, _Backoff] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffMiddleware:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_BACKOFF_ENABLED", True):
            raise NotConfigured("NEWSCRAWL_BACKOFF_ENABLED is off")
        start = settings.getfloat("NEWSCRAWL_BACKOFF_START_DELAY", 1.0)
        cap = settings.getfloat("NEWSCRAWL_MAX_RETRY_AFTER", 60.0)
        if start < 0 or cap < start:
            raise NotConfigured(
                f"NEWSCRAWL_BACKOFF_START_DELAY={start} must be between 0 and "
                f"NEWSCRAWL_MAX_RETRY_AFTER={cap}"
            )
        statuses = frozenset(int(code) for code in settings.getlist("RETRY_HTTP_CODES"))
        exceptions = tuple(
            load_object(name) if isinstance(name, str) else name
            for name in settings.getlist("RETRY_EXCEPTIONS")
        )
        return cls(crawler, statuses, exceptions, start, cap)

    def process_request(self, request: Request) -> None:
        request.meta[ENTERED] = self.clock()

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status in self.statuses:
            header = response.headers.get("Retry-After")
            self._back_off(request, retry_after(header, datetime.now(UTC)), response.status)
        elif response.status < 400:
            self._recover(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, self.exceptions):
            self._back_off(request, None, type(exception).__name__)

    def _slot(self, request: Request) -> tuple[str, Slot | None]:
        key = request.meta.get("download_slot") or ""
        engine = self.crawler.engine
        return key, engine.downloader.slots.get(key) if engine is not None else None

    @staticmethod
    def _waited(request: Request, backoff: _Backoff, now: float) -> bool:
        """Did this request leave after the backoff took effect (so its answer is news)?

        Requests already sent, or released by the slot in the same instant, answer for the
        state the backoff reacted to: they neither double it nor count as a recovery.
        """
        latency = request.meta.get("download_latency")
        left = now - latency if latency is not None else request.meta.get(ENTERED, 0.0)
        return bool(left >= backoff.since + 0.9 * backoff.level)

    def _back_off(self, request: Request, asked: float | None, cause: Any) -> None:
        key, slot = self._slot(request)
        if slot is None:
            return
        now = self.clock()
        current = self._slowed.get(key)
        if asked is not None:
            wanted = asked
            self.stats.inc_value("backoff/retry_after")
        elif current is None:
            wanted = self.start_delay
        elif self._waited(request, current, now):
            wanted = 2 * current.level
        else:
            return  # one more answer to the requests the last backoff already reacted to
        if wanted > self.max_delay:
            self.stats.inc_value("backoff/capped")
            wanted = self.max_delay
        if current is None:
            current = self._slowed[key] = _Backoff(slot.delay, slot.jitter, wanted, now)
        current.level, current.since = wanted, now
        slot.delay = max(current.level, current.delay)
        slot.jitter = 0.0
        slot.lastseen = now  # the wait starts now, not when the failed request left
        self.stats.inc_value("backoff/count")
        self.stats.max_value("backoff/delay_max", slot.delay)
        logger.info(
            "%s answered %s: %.1f s between its requests from now on%s",
            key,
            cause,
            slot.delay,
            " (Retry-After)" if asked is not None else "",
        )

    def _recover(self, request: Request) -> None:
        """Halve the backoff on each success of a request that waited for it."""
        key, slot = self._slot(request)
        current = self._slowed.get(key)
        now = self.clock()
        if current is None or slot is None or not self._waited(request, current, now):
            return
        current.level /= 2
        current.since = now - current.level  # the next success must have waited the new level
        if current.level <= max(current.delay, self.start_delay / 2):
            slot.delay, slot.jitter = current.delay, current.jitter
            del self._slowed[key]
            logger.info("%s recovered: back to %.1f s between requests", key, slot.delay)
            return
        slot.delay = max(current.delay, min(slot.delay, current.level))
