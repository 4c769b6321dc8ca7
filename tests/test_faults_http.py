"""Fault suite, HTTP level: error statuses, throttling, answers that hang, drip or break.

Every test serves the sample blog from the fault server with one post (or listing page)
misbehaving, crawls the `여행` category in a real subprocess and checks: the run ended by
itself, the fault is in the manifest, the healthy posts are exported, and the exit status
follows the run-health rules (`newscrawl/health.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from fault_runs import TRAVEL, Archive, category_url, crawl_faulty, gaps, healthy

from newscrawl.backoff import retry_after
from newscrawl.faultserver import (
    Drip,
    Fault,
    FaultBlog,
    Hang,
    ResetMidBody,
    ShortBody,
    Status,
    fault_blog,
)

POST = 25  # a post of 여행 on its first listing page
PATH = f"/{POST}"


@pytest.fixture
def blog() -> Iterator[FaultBlog]:
    with fault_blog() as served:
        yield served


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    return Archive(tmp_path)


def arrivals(blog: FaultBlog, path: str = PATH) -> list[float]:
    return [hit.at for hit in blog.hits_on(path)]


# (fault, least gaps between the attempts): Retry-After is obeyed to the second;
# without it the delay is NEWSCRAWL_BACKOFF_START_DELAY (0.1 in these runs), doubled only when
# the retry fails again before any other request succeeded (tests/test_backoff.py).
TRANSIENT = {
    "500": (Status(code=500, times=2), [0.1, 0.1]),
    "502": (Status(code=502, times=2), [0.1, 0.1]),
    "503-retry-after": (Status(code=503, headers=(("Retry-After", "1"),), times=1), [1]),
    "503": (Status(code=503, times=2), [0.1, 0.1]),
    "429-retry-after": (Status(code=429, headers=(("Retry-After", "1"),), times=1), [1]),
    "429": (Status(code=429, times=2), [0.1, 0.1]),
}


@pytest.mark.parametrize("name", TRANSIENT)
def test_transient_error_status_is_retried_after_a_backoff(
    blog: FaultBlog, archive: Archive, name: str
) -> None:
    fault, least_gaps = TRANSIENT[name]
    blog.faults[PATH] = fault
    run = crawl_faulty(archive, category_url(blog))
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.exported == healthy(TRAVEL)  # the post itself came through in the end
    waited = gaps(arrivals(blog))
    assert len(waited) == len(least_gaps)
    assert all(gap >= least * 0.95 for gap, least in zip(waited, least_gaps, strict=True)), waited
    assert run.counts["retries"] == len(waited) and run.counts["backoffs"] >= len(waited)
    assert run.errors == {}


def test_retry_after_longer_than_the_cap_is_capped(blog: FaultBlog, archive: Archive) -> None:
    blog.faults[PATH] = Status(code=503, headers=(("Retry-After", "3600"),), times=1)
    run = crawl_faulty(archive, category_url(blog), {"NEWSCRAWL_MAX_RETRY_AFTER": "0.5"})
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.exported == healthy(TRAVEL)
    [waited] = gaps(arrivals(blog))
    assert 0.45 <= waited < 5
    assert "'backoff/capped': 1" in run.stderr


@pytest.mark.parametrize("backoff", ["on", "off"])
def test_autothrottle_alone_ignores_429_and_backoff_slows_it_down(
    blog: FaultBlog, archive: Archive, backoff: str
) -> None:
    """Scrapy #4424: AutoThrottle learns from latencies of answers it deems good, so a 429
    changes nothing and the retry leaves at once; the backoff middleware holds it back."""
    blog.faults[PATH] = Status(code=429, times=1)
    settings = {
        "AUTOTHROTTLE_ENABLED": "True",
        "AUTOTHROTTLE_START_DELAY": "0",
        "NEWSCRAWL_BACKOFF_START_DELAY": "1.0",
        "NEWSCRAWL_BACKOFF_ENABLED": "True" if backoff == "on" else "False",
    }
    run = crawl_faulty(archive, category_url(blog), settings)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.exported == healthy(TRAVEL)
    [waited] = gaps(arrivals(blog))
    if backoff == "on":
        assert waited >= 0.95
    else:
        assert waited < 0.5


def test_persistent_error_status_leaves_the_post_pending_for_the_next_run(
    blog: FaultBlog, archive: Archive
) -> None:
    blog.faults[PATH] = Status(code=500)
    run = crawl_faulty(archive, category_url(blog))
    # 15 requests: too few for the error-rate rule, so one failed post is reported, not fatal.
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.exported == healthy(TRAVEL, POST)
    assert len(blog.hits_on(PATH)) == 3  # RETRY_TIMES=2
    assert run.errors == {"article_failed": 1, "retries_exhausted": 1}
    del blog.faults[PATH]
    again = crawl_faulty(archive, category_url(blog))
    assert again.returncode == 0 and again.exported == {str(POST)}


def test_failing_posts_above_the_error_rate_make_the_run_unhealthy(
    blog: FaultBlog, archive: Archive
) -> None:
    for post_id in (3, 8, 12):
        blog.faults[f"/{post_id}"] = Status(code=503)
    run = crawl_faulty(archive, category_url(blog, ""))  # all 38 posts: 44 requests or more
    assert run.returncode == 1
    assert re.search(r"newscrawl: unhealthy run: .*\b3 of 4\d requests failed", run.stderr)
    assert run.exported == healthy("", 3, 8, 12)
    assert run.errors["retries_exhausted"] == 3 and run.errors["article_failed"] == 3


BROKEN_ANSWERS: dict[str, tuple[Fault, str]] = {
    "timeout": (Hang(), "download:scrapy.exceptions.DownloadTimeoutError"),
    "drip-1-byte-a-second": (Drip(interval=1.0), "download:scrapy.exceptions.DownloadTimeoutError"),
    "reset-mid-body": (ResetMidBody(), "download:scrapy.exceptions.ResponseDataLossError"),
    "body-shorter-than-length": (ShortBody(), "download:scrapy.exceptions.ResponseDataLossError"),
}


@pytest.mark.parametrize("name", BROKEN_ANSWERS)
def test_broken_answer_fails_the_post_and_the_run_goes_on(
    blog: FaultBlog, archive: Archive, name: str
) -> None:
    fault, error = BROKEN_ANSWERS[name]
    blog.faults[PATH] = fault
    run = crawl_faulty(archive, category_url(blog), {"RETRY_TIMES": "1", "DOWNLOAD_TIMEOUT": "1"})
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.exported == healthy(TRAVEL, POST)
    assert run.errors[error] == 2  # the first try and its retry
    assert run.errors["article_failed"] == 1 and run.errors["retries_exhausted"] == 1
    assert run.seconds < 20
    assert f"Could not fetch post {blog.url}{POST} (kept for the next run): " in run.stderr
    assert "kept for the next run): \n" not in run.stderr  # the reason is always named


def test_listing_page_that_times_out_makes_the_run_unhealthy(
    blog: FaultBlog, archive: Archive
) -> None:
    blog.faults[f"/category/{TRAVEL}?page=2"] = Hang()
    run = crawl_faulty(archive, category_url(blog), {"RETRY_TIMES": "1", "DOWNLOAD_TIMEOUT": "1"})
    assert run.returncode == 1
    assert "listing page(s) could not be fetched" in run.stderr
    assert run.exported == healthy(TRAVEL, 2)  # page 1's ten posts; post 2 is on page 2
    assert run.errors["listing_page_failed"] == 1


NOW = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 7 ", 7.0),
        (format_datetime(NOW + timedelta(seconds=90), usegmt=True), 90.0),
        (format_datetime(NOW - timedelta(hours=1), usegmt=True), 0.0),
        ("soon", None),
        ("", None),
        ("-5", None),
    ],
)
def test_retry_after_header_is_read_as_seconds_or_http_date(
    header: str, seconds: float | None
) -> None:
    assert retry_after(header.encode(), NOW) == seconds
