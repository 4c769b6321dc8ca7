"""BackoffMiddleware in process: how the slot delay moves on failures and successes.

The crawl-level tests (tests/test_faults_http.py) show that retries wait; these pin down the
policy itself with a fake clock and a real downloader `Slot`: doubling only on consecutive
failures, no doubling for answers to requests sent before the last backoff, halving on each
success that waited, `Retry-After` obeyed (capped), the slot's own delay and jitter restored.
"""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request
from scrapy.core.downloader import Slot
from scrapy.http import Response

from newscrawl.backoff import BackoffMiddleware

HOST = "blog.example"


class Stats(Counter):
    def inc_value(self, key: str, count: int = 1) -> None:
        self[key] += count

    def max_value(self, key: str, value: float) -> None:
        self[key] = max(self[key], value)  # type: ignore[assignment]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


Setup = tuple[BackoffMiddleware, Slot, Clock, Stats]


@pytest.fixture
def setup() -> Setup:
    slot = Slot(concurrency=2, delay=0.5, jitter=0.5)
    crawler: Any = SimpleNamespace(
        stats=Stats(), engine=SimpleNamespace(downloader=SimpleNamespace(slots={HOST: slot}))
    )
    clock = Clock()
    middleware = BackoffMiddleware(
        crawler, frozenset({429, 500, 503}), (OSError,), 1.0, 60.0, clock
    )
    return middleware, slot, clock, crawler.stats


def send(
    middleware: BackoffMiddleware, clock: Clock, status: int, latency: float = 0.01, **headers: str
) -> None:
    """A request that leaves now and is answered `latency` seconds later with `status`."""
    request = Request(f"https://{HOST}/1", meta={"download_slot": HOST})
    middleware.process_request(request)
    clock.now += latency
    request.meta["download_latency"] = latency
    response = Response(request.url, status=status, headers=headers, request=request)
    middleware.process_response(request, response)


def test_first_failure_waits_the_start_delay_without_jitter(setup: Setup) -> None:
    middleware, slot, clock, stats = setup
    send(middleware, clock, 503)
    assert (slot.delay, slot.jitter, slot.lastseen) == (1.0, 0.0, clock.now)
    assert stats["backoff/count"] == 1


def test_consecutive_failures_double_answers_already_on_their_way_do_not(setup: Setup) -> None:
    middleware, slot, clock, _stats = setup
    send(middleware, clock, 500)
    send(middleware, clock, 500)  # left before the backoff took effect: same event
    assert slot.delay == 1.0
    clock.now += 1.0
    send(middleware, clock, 500)  # waited, failed again
    assert slot.delay == 2.0
    clock.now += 2.0
    send(middleware, clock, 500)
    assert slot.delay == 4.0


def test_successes_that_waited_halve_the_backoff_down_to_the_slot_own_delay(setup: Setup) -> None:
    middleware, slot, clock, _stats = setup
    send(middleware, clock, 429, **{"Retry-After": "8"})
    assert slot.delay == 8.0
    send(middleware, clock, 200)  # sent before the wait was over: says nothing new
    assert slot.delay == 8.0
    for expected in (4.0, 2.0, 1.0):
        clock.now += slot.delay
        send(middleware, clock, 200)
        assert slot.delay == expected
    clock.now += slot.delay
    send(middleware, clock, 200)
    assert (slot.delay, slot.jitter) == (0.5, 0.5)  # the slot's own settings are back


def test_retry_after_beyond_the_cap_is_capped_and_counted(setup: Setup) -> None:
    middleware, slot, clock, stats = setup
    send(middleware, clock, 503, **{"Retry-After": "86400"})
    assert slot.delay == 60.0
    assert stats["backoff/capped"] == 1 and stats["backoff/retry_after"] == 1


def test_connection_errors_back_off_too(setup: Setup) -> None:
    middleware, slot, _clock, _stats = setup
    request = Request(f"https://{HOST}/1", meta={"download_slot": HOST})
    middleware.process_request(request)
    middleware.process_exception(request, ConnectionRefusedError())
    assert slot.delay == 1.0
