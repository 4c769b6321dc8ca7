"""Judge a finished run from its stats: is it healthy enough for cron to stay quiet?

`assess(stats, thresholds)` is pure: the crawl's stats in, the problems out as sentences for a
human reading cron mail (empty list = healthy). The `crawl` command turns problems into exit
status 1; the progress extension puts the verdict in the run summary.

Failed requests are counted once each from Scrapy's own stats (see `failed_requests`); 404 and
410 answers are posts the blog removed after listing them, not crawl failures. The rate and
coverage rules wait for enough requests or items to judge (`MIN_REQUESTS`, `MIN_ITEMS`), so
that a single flaky request in a tiny run never fails it; failed listing and start pages have
rules of their own, whatever the run's size.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from newscrawl.errors import BadSetting
from newscrawl.items import ArticleItem

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

# At the default 5 % rate, one failure among 20 requests is not "above" it.
MIN_REQUESTS = 20
# At the default 90 % coverage, one article missing a field among 10 is still enough.
MIN_ITEMS = 10
GONE_STATUSES = frozenset({404, 410})
DEFAULT_REQUIRED_FIELDS = ("title", "published_at", "body_text")
IGNORED_STATUS_PREFIX = "httperror/response_ignored_status_count/"
MISSING_PREFIX = "coverage/missing/"


@dataclass(frozen=True)
class HealthThresholds:
    """What a healthy run may not exceed, from the `NEWSCRAWL_HEALTH_*` settings.

    `retried_statuses` are the HTTP codes Scrapy's retry middleware retries (empty when it is
    off): a request that ends on one of them was already counted as a retry give-up.
    """

    max_error_rate: float = 0.05
    min_coverage: float = 0.9
    required_fields: tuple[str, ...] = DEFAULT_REQUIRED_FIELDS
    retried_statuses: frozenset[int] = frozenset()
    min_requests: int = MIN_REQUESTS
    min_items: int = MIN_ITEMS

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> HealthThresholds:
        """Read and check the settings; raise `BadSetting` naming the first bad one."""
        return cls(
            max_error_rate=_fraction(settings, "NEWSCRAWL_HEALTH_MAX_ERROR_RATE", 0.05),
            min_coverage=_fraction(settings, "NEWSCRAWL_HEALTH_MIN_COVERAGE", 0.9),
            required_fields=required_fields(settings),
            retried_statuses=_retried_statuses(settings),
        )


def _fraction(settings: BaseSettings, name: str, default: float) -> float:
    try:
        value = settings.getfloat(name, default)
    except (TypeError, ValueError):
        raise BadSetting(f"{name}={settings.get(name)!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise BadSetting(f"{name}={value!r} must be between 0 and 1 (a fraction, not a percent)")
    return value


def required_fields(settings: BaseSettings) -> tuple[str, ...]:
    """`NEWSCRAWL_HEALTH_REQUIRED_FIELDS`, checked against the exported item's fields."""
    name = "NEWSCRAWL_HEALTH_REQUIRED_FIELDS"
    # `-s NAME=` gives [""]: no field is required, coverage is not judged.
    raw = settings.getlist(name, list(DEFAULT_REQUIRED_FIELDS))
    names = tuple(field.strip() for field in raw if field.strip())
    known = {field.name for field in fields(ArticleItem)}
    unknown = [field for field in names if field not in known]
    if unknown:
        raise BadSetting(f"{name} names unknown item field(s): {', '.join(unknown)}")
    return names


def _retried_statuses(settings: BaseSettings) -> frozenset[int]:
    if not settings.getbool("RETRY_ENABLED", True):
        return frozenset()
    return frozenset(int(code) for code in settings.getlist("RETRY_HTTP_CODES"))


def assess(stats: Mapping[str, Any], thresholds: HealthThresholds) -> list[str]:
    """The run's problems as sentences, most fundamental first; `[]` when it is healthy."""
    checks = (_finish, _starts, _listing, _skin, _error_rate, _coverage)
    return [sentence for check in checks for sentence in check(stats, thresholds)]


def _finish(stats: Mapping[str, Any], _thresholds: HealthThresholds) -> list[str]:
    reason = stats.get("finish_reason")
    if reason != "finished":
        detail = stats.get("newscrawl/close_detail") or ""
        return [f"The run ended with reason {reason!r} instead of 'finished'. {detail}".strip()]
    return []


def _starts(stats: Mapping[str, Any], _thresholds: HealthThresholds) -> list[str]:
    # The only start URL failing closes the run (`_finish` says so); one of several does not.
    failed_starts = stats.get("start/failed", 0)
    if not failed_starts or stats.get("finish_reason") != "finished":
        return []
    return [
        f"{failed_starts} start URL(s) could not be fetched, so their posts are missing from "
        "this run; run it again later."
    ]


def _listing(stats: Mapping[str, Any], _thresholds: HealthThresholds) -> list[str]:
    failed_pages = stats.get("listing/failed", 0)
    if not failed_pages:
        return []
    return [
        f"{failed_pages} listing page(s) could not be fetched, so the posts listed after them "
        "are missing from this run; run it again later."
    ]


def _skin(stats: Mapping[str, Any], _thresholds: HealthThresholds) -> list[str]:
    pages = int(stats.get("article/pages", 0))
    # An off-category post was parsed fine, only skipped: it proves the parser still works.
    recognised = stats.get("article/parsed", 0) + stats.get("listing/off_category", 0)
    if not pages or recognised:
        return []
    return [
        f"{pages} article page(s) were fetched but none could be parsed as an article: the "
        "blog's skin may have changed (or its post URLs no longer lead to posts); open one in "
        "a browser and update the platform's selectors."
    ]


def failed_requests(stats: Mapping[str, Any], retried_statuses: frozenset[int]) -> int:
    """Requests that ended in failure, each counted once.

    `retry/max_reached` counts every request the retry middleware gave up on, whether for
    a download error or a retried status (5xx, 408, 429). A given-up response then reaches
    the HTTP error middleware too, so of `httperror/response_ignored_status_count/<code>` only
    the codes never retried are added, minus 404/410 (removed posts). Errors raised in
    callbacks are `spider_exceptions/count`. Listing and start pages have errbacks, so their
    non-retried failures are not here: `listing/failed` and `start/failed` judge them.
    """
    ignored = 0
    for key, count in stats.items():
        if not key.startswith(IGNORED_STATUS_PREFIX):
            continue
        status = int(key[len(IGNORED_STATUS_PREFIX) :])
        if status not in retried_statuses and status not in GONE_STATUSES:
            ignored += count
    given_up = stats.get("retry/max_reached", 0)
    return int(given_up + ignored + stats.get("spider_exceptions/count", 0))


def requests_made(stats: Mapping[str, Any]) -> int:
    """Distinct requests sent: the downloader's count without the retries' repeats."""
    return int(stats.get("downloader/request_count", 0) - stats.get("retry/count", 0))


def _error_rate(stats: Mapping[str, Any], thresholds: HealthThresholds) -> list[str]:
    requests = requests_made(stats)
    if requests < thresholds.min_requests:
        return []
    failed = failed_requests(stats, thresholds.retried_statuses)
    rate = failed / requests
    if rate <= thresholds.max_error_rate:
        return []
    return [
        f"{failed} of {requests} requests failed ({rate:.1%}, more than the "
        f"{thresholds.max_error_rate:.1%} allowed by NEWSCRAWL_HEALTH_MAX_ERROR_RATE): the blog "
        "may be down, throttling or blocking the crawler; see the ERROR lines of the log."
    ]


def _coverage(stats: Mapping[str, Any], thresholds: HealthThresholds) -> list[str]:
    items = stats.get("coverage/items", 0)
    if items < thresholds.min_items:
        return []
    problems = []
    for field in thresholds.required_fields:
        missing = stats.get(f"{MISSING_PREFIX}{field}", 0)
        coverage = 1 - missing / items
        if coverage < thresholds.min_coverage:
            problems.append(
                f"{missing} of {items} parsed articles have no {field} (coverage {coverage:.1%}, "
                f"below the {thresholds.min_coverage:.1%} NEWSCRAWL_HEALTH_MIN_COVERAGE asks): "
                f"the skin may have changed where it shows the {field}."
            )
    return problems
