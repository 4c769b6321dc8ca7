"""Run health: the rules of `assess`, their settings, the progress line, and the exit status.

The rules are tested on hand-written stats, each threshold just inside and just outside. The
end-to-end tests run real crawls: against a Tistory-looking blog whose post pages carry no
article (a skin the parser does not know) the run must exit 1 and say so; against the sample
blog it must exit 0, with the progress line and summary at INFO and silent at `-L WARNING`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from factories import article_item
from scrapy.utils.test import get_crawler

from newscrawl.errors import BadSetting
from newscrawl.health import (
    HealthThresholds,
    assess,
    failed_requests,
    requests_made,
)
from newscrawl.pipelines import FieldCoveragePipeline
from newscrawl.progress import ProgressReporter
from newscrawl.sampleblog import SEED_CATEGORY
from newscrawl.sampleblog.server import serving
from newscrawl.spiders.tistory import TistorySpider
from newscrawl.testing import run_crawl, sample_blog

RETRIED = frozenset({500, 502, 503, 504, 522, 524, 408, 429})
THRESHOLDS = HealthThresholds(retried_statuses=RETRIED)


def healthy_stats(**changes: Any) -> dict[str, Any]:
    """Stats of a clean 40-post run, with `changes` applied."""
    stats: dict[str, Any] = {
        "finish_reason": "finished",
        "listing/pages": 4,
        "article/pages": 40,
        "article/parsed": 40,
        "downloader/request_count": 45,
        "downloader/response_count": 45,
        "coverage/items": 40,
        "export/items": 40,
        "export/path": "output/tistory/20261130T050000Z.jsonl",
    }
    stats.update(changes)
    return stats


# --- the rules -------------------------------------------------------------------------------


def test_healthy_run_has_no_problem() -> None:
    assert assess(healthy_stats(), THRESHOLDS) == []


def test_finish_reason_other_than_finished_is_named_with_the_detail() -> None:
    stats = healthy_stats(
        finish_reason="start_url_failed", **{"newscrawl/close_detail": "could not fetch X."}
    )
    (problem,) = assess(stats, THRESHOLDS)
    assert "'start_url_failed'" in problem
    assert problem.endswith("could not fetch X.")


def test_one_failed_start_url_among_several_is_a_problem() -> None:
    (problem,) = assess(healthy_stats(**{"start/failed": 1}), THRESHOLDS)
    assert "1 start URL(s) could not be fetched" in problem


def test_failed_start_url_that_closed_the_run_is_said_once() -> None:
    stats = healthy_stats(finish_reason="start_url_failed", **{"start/failed": 1})
    assert len(assess(stats, THRESHOLDS)) == 1


def test_failed_listing_page_is_a_problem_however_small_the_run() -> None:
    stats = {"finish_reason": "finished", "listing/pages": 1, "listing/failed": 1}
    (problem,) = assess(stats, THRESHOLDS)
    assert "1 listing page(s) could not be fetched" in problem


def test_article_pages_fetched_but_none_parsed_blames_the_skin() -> None:
    stats = healthy_stats(**{"article/parsed": 0, "article/not_article": 40})
    (problem,) = assess(stats, THRESHOLDS)
    assert problem.startswith("40 article page(s) were fetched but none could be parsed")
    assert "skin" in problem


def test_one_parsed_article_is_enough_for_the_skin_rule() -> None:
    stats = healthy_stats(**{"article/parsed": 1, "article/not_article": 39})
    assert assess(stats, THRESHOLDS) == []


def test_off_category_posts_prove_the_parser_works() -> None:
    stats = healthy_stats(**{"article/parsed": 0, "listing/off_category": 40})
    assert assess(stats, THRESHOLDS) == []


@pytest.mark.parametrize(("failed", "unhealthy"), [(5, False), (6, True)])
def test_error_rate_threshold(failed: int, unhealthy: bool) -> None:
    # 100 requests: 5 failures is exactly the 5 % allowed, 6 is above it.
    stats = healthy_stats(
        **{"downloader/request_count": 100, "httperror/response_ignored_status_count/403": failed}
    )
    problems = assess(stats, THRESHOLDS)
    assert bool(problems) is unhealthy
    if unhealthy:
        assert "6 of 100 requests failed (6.0%" in problems[0]


@pytest.mark.parametrize(("requests", "unhealthy"), [(19, False), (20, True)])
def test_error_rate_is_judged_from_twenty_requests(requests: int, unhealthy: bool) -> None:
    stats = {
        "finish_reason": "finished",
        "downloader/request_count": requests,
        "retry/max_reached": 5,
    }
    assert bool(assess(stats, THRESHOLDS)) is unhealthy


def test_given_up_retried_status_counts_once() -> None:
    stats = {
        "retry/max_reached": 1,
        "httperror/response_ignored_count": 1,
        "httperror/response_ignored_status_count/503": 1,
    }
    assert failed_requests(stats, RETRIED) == 1
    # With retries off, the 503 reaches the HTTP error middleware only.
    assert failed_requests({**stats, "retry/max_reached": 0}, frozenset()) == 1


def test_removed_posts_and_spider_errors_in_the_failure_count() -> None:
    stats = {
        "httperror/response_ignored_status_count/404": 3,
        "httperror/response_ignored_status_count/410": 1,
        "httperror/response_ignored_status_count/403": 2,
        "spider_exceptions/count": 1,
        "spider_exceptions/ValueError": 1,
    }
    assert failed_requests(stats, RETRIED) == 3


def test_requests_made_count_a_retried_request_once() -> None:
    assert requests_made({"downloader/request_count": 30, "retry/count": 6}) == 24


@pytest.mark.parametrize(("missing", "unhealthy"), [(1, False), (2, True)])
def test_coverage_threshold(missing: int, unhealthy: bool) -> None:
    # 10 items: one without a date is 90 % coverage (enough); two is 80 %.
    stats = healthy_stats(**{"coverage/items": 10, "coverage/missing/published_at": missing})
    problems = assess(stats, THRESHOLDS)
    assert bool(problems) is unhealthy
    if unhealthy:
        assert problems[0].startswith("2 of 10 parsed articles have no published_at")


def test_coverage_is_judged_from_ten_items() -> None:
    stats = healthy_stats(**{"coverage/items": 9, "coverage/missing/title": 9})
    assert assess(stats, THRESHOLDS) == []


def test_coverage_only_of_the_required_fields() -> None:
    stats = healthy_stats(**{"coverage/missing/title": 40})
    thresholds = HealthThresholds(required_fields=("body_text",))
    assert assess(stats, thresholds) == []


# --- settings --------------------------------------------------------------------------------


def test_thresholds_defaults() -> None:
    crawler = get_crawler(TistorySpider)
    thresholds = HealthThresholds.from_settings(crawler.settings)
    assert thresholds.max_error_rate == 0.05
    assert thresholds.min_coverage == 0.9
    assert thresholds.required_fields == ("title", "published_at", "body_text")
    assert 503 in thresholds.retried_statuses


def test_thresholds_read_command_line_strings() -> None:
    settings = {
        "NEWSCRAWL_HEALTH_MAX_ERROR_RATE": "0.2",
        "NEWSCRAWL_HEALTH_REQUIRED_FIELDS": "title,body_text",
        "RETRY_ENABLED": "False",
    }
    thresholds = HealthThresholds.from_settings(get_crawler(settings_dict=settings).settings)
    assert thresholds.max_error_rate == 0.2
    assert thresholds.required_fields == ("title", "body_text")
    assert thresholds.retried_statuses == frozenset()


def test_empty_required_fields_setting_judges_no_coverage() -> None:
    settings = get_crawler(settings_dict={"NEWSCRAWL_HEALTH_REQUIRED_FIELDS": ""}).settings
    assert HealthThresholds.from_settings(settings).required_fields == ()


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("NEWSCRAWL_HEALTH_MAX_ERROR_RATE", "five", "NEWSCRAWL_HEALTH_MAX_ERROR_RATE='five'"),
        ("NEWSCRAWL_HEALTH_MAX_ERROR_RATE", "5", "must be between 0 and 1"),
        ("NEWSCRAWL_HEALTH_MIN_COVERAGE", "-0.1", "NEWSCRAWL_HEALTH_MIN_COVERAGE=-0.1"),
        ("NEWSCRAWL_HEALTH_REQUIRED_FIELDS", "title,headline", "unknown item field(s): headline"),
    ],
)
def test_bad_threshold_setting_is_named(name: str, value: str, words: str) -> None:
    settings = get_crawler(settings_dict={name: value}).settings
    with pytest.raises(BadSetting, match=re.escape(words)):
        HealthThresholds.from_settings(settings)


@pytest.mark.parametrize("value", ["soon", "-1"])
def test_bad_progress_interval_is_named(value: str) -> None:
    crawler = get_crawler(TistorySpider, {"NEWSCRAWL_PROGRESS_INTERVAL": value})
    with pytest.raises(BadSetting, match="NEWSCRAWL_PROGRESS_INTERVAL"):
        ProgressReporter.from_crawler(crawler)


# --- coverage pipeline and progress extension ------------------------------------------------


def test_coverage_pipeline_counts_missing_fields_and_passes_items_through() -> None:
    crawler = get_crawler(TistorySpider)
    pipeline = FieldCoveragePipeline.from_crawler(crawler)
    items = [
        article_item(),
        article_item(title="  ", published_at=None),
        article_item(body_text=""),
    ]
    assert [pipeline.process_item(item) for item in items] == items
    assert crawler.stats.get_value("coverage/items") == 3
    assert crawler.stats.get_value("coverage/missing/title") == 1
    assert crawler.stats.get_value("coverage/missing/published_at") == 1
    assert crawler.stats.get_value("coverage/missing/body_text") == 1


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _reporter(**stats: Any) -> tuple[ProgressReporter, FakeClock]:
    # Interval 0: no looping call is started, the test calls `tick` itself.
    crawler = get_crawler(TistorySpider, {"NEWSCRAWL_PROGRESS_INTERVAL": 0})
    reporter = ProgressReporter.from_crawler(crawler)
    clock = FakeClock()
    reporter.clock = clock
    reporter.spider_opened()
    crawler.stats.set_stats(stats)
    return reporter, clock


def test_progress_line_says_what_the_run_has_done(caplog: pytest.LogCaptureFixture) -> None:
    reporter, clock = _reporter(
        **{
            "listing/pages": 3,
            "listing/posts_found": 120,
            "article/pages": 80,
            "export/items": 75,
            "state/skipped_exported": 2,
            "incremental/known": 3,
            "retry/max_reached": 1,
            "downloader/response_count": 41,
        }
    )
    clock.now += 200  # 41 pages in 200 s
    with caplog.at_level(logging.INFO, logger="newscrawl.progress"):
        reporter.tick()
    assert caplog.messages == [
        "progress: 3 listing pages, 120 posts found, 80 fetched, 75 exported, "
        "5 skipped (archived), 1 errors, 12.3 pages/min"
    ]


def test_summary_names_the_export_and_the_verdict(caplog: pytest.LogCaptureFixture) -> None:
    reporter, clock = _reporter(**healthy_stats())
    clock.now += 75
    with caplog.at_level(logging.INFO, logger="newscrawl.progress"):
        reporter.spider_closed("finished")
    (summary,) = caplog.messages
    assert summary.startswith(
        "summary: exported 40 posts to output/tistory/20261130T050000Z.jsonl\n"
    )
    assert "took 0:01:15" in summary
    assert summary.endswith("health: healthy")
    unhealthy = reporter.summary({**healthy_stats(), "listing/failed": 2}, timedelta(seconds=3))
    assert "health: UNHEALTHY: 2 listing page(s) could not be fetched" in unhealthy


# --- end to end ------------------------------------------------------------------------------

T_CONFIG = '<script>window.T = window.T || {}; window.T.config = {"ROLE":"guest"};</script>'
POST_IDS = range(30, 18, -1)  # 12 posts, enough to judge coverage


def _page(body_id: str, body: str) -> bytes:
    return (
        '<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>쪽지 모음</title>'
        f'{T_CONFIG}</head><body id="{body_id}">{body}</body></html>'
    ).encode()


def _listing(page: int) -> bytes:
    """An Odyssey-shaped category listing: every post on page 1, page 2 empty."""
    rows = "".join(
        f'<div class="post-item"><a href="/{n}"><span class="title">쪽지 {n}</span>'
        f'<span class="date">2024. 5. {n - 10}.</span></a></div>'
        for n in (POST_IDS if page == 1 else ())
    )
    header = '<div class="post-header"><h1>쪽지</h1></div>'
    return _page("tt-body-category", f'<article id="content">{header}{rows}</article>')


# A skin the parser does not know: nothing marks where the article is.
NO_ARTICLE = _page("tt-body-page", '<div id="content"></div>')
# A known body container, but empty, and no date anywhere.
EMPTY_ARTICLE = _page("tt-body-page", '<div id="content"><div class="entry-content"></div></div>')


def _skin_handler(post_page: bytes) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path == "/robots.txt":
                self._send(b"User-agent: *\nAllow: /\n")
            elif parts.path == "/category/notes":
                self._send(_listing(int(parse_qs(parts.query).get("page", ["1"])[0])))
            else:
                self._send(post_page)

        def _send(self, body: bytes) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    return Handler


@pytest.fixture
def unknown_skin_blog(request: pytest.FixtureRequest) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _skin_handler(request.param))
    with serving(server):
        yield f"http://127.0.0.1:{server.server_address[1]}"


def _command_lines(stderr: str) -> list[str]:
    """What the crawl command itself printed (log lines start with a timestamp)."""
    return [line for line in stderr.splitlines() if line.startswith("newscrawl:")]


def _unhealthy_paragraph(stderr: str) -> str:
    lines = _command_lines(stderr)
    assert len(lines) == 1, stderr[-3000:]
    assert lines[0].startswith("newscrawl: unhealthy run: ")
    return lines[0]


@pytest.mark.parametrize(
    ("unknown_skin_blog", "words"),
    [
        (NO_ARTICLE, "12 article page(s) were fetched but none could be parsed"),
        (EMPTY_ARTICLE, "12 of 12 parsed articles have no body_text"),
    ],
    ids=["no-article", "empty-article"],
    indirect=["unknown_skin_blog"],
)
def test_exit_status_on_a_broken_skin(unknown_skin_blog: str, words: str, tmp_path: Path) -> None:
    result = run_crawl(
        "tistory",
        {"url": f"{unknown_skin_blog}/category/notes"},
        settings={
            "NEWSCRAWL_EXPORT_DIR": str(tmp_path / "out"),
            "NEWSCRAWL_STATE_DIR": str(tmp_path / "state"),
        },
        timeout=120,
    )
    assert result.returncode == 1, result.stderr[-3000:]
    paragraph = _unhealthy_paragraph(result.stderr)
    assert words in paragraph
    assert "skin" in paragraph
    assert "Traceback" not in result.stderr


def _sample_crawl(base_url: str, tmp_path: Path, extra: tuple[str, ...] = ()) -> Any:
    return run_crawl(
        "tistory",
        {"url": f"{base_url}category/{SEED_CATEGORY}"},
        settings={
            "NEWSCRAWL_EXPORT_DIR": str(tmp_path / "out"),
            "NEWSCRAWL_STATE_DIR": str(tmp_path / "state"),
            "NEWSCRAWL_PROGRESS_INTERVAL": "0.05",
        },
        extra=extra,
        timeout=120,
    )


@pytest.fixture(scope="module")
def blog() -> Iterator[str]:
    with sample_blog() as base_url:
        yield base_url


def test_healthy_run_exits_0_with_progress_and_summary(blog: str, tmp_path: Path) -> None:
    result = _sample_crawl(blog, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not _command_lines(result.stderr)
    assert "[newscrawl.progress] INFO: progress: " in result.stderr
    assert "[newscrawl.progress] INFO: summary: exported " in result.stderr
    assert "  health: healthy" in result.stderr


def test_log_level_warning_keeps_a_healthy_run_quiet(blog: str, tmp_path: Path) -> None:
    # `-L WARNING` comes after run_crawl's `-s LOG_LEVEL=INFO`; Scrapy applies it last.
    result = _sample_crawl(blog, tmp_path, extra=("-L", "WARNING"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "progress:" not in result.stderr
    assert "summary:" not in result.stderr


def test_bad_health_setting_is_one_line_and_exit_2() -> None:
    result = run_crawl(
        "tistory",
        {"url": "https://example.tistory.com/category/x"},
        settings={"NEWSCRAWL_HEALTH_MIN_COVERAGE": "90"},
    )
    assert result.returncode == 2, result.stderr[-3000:]
    assert _command_lines(result.stderr) == [
        "newscrawl: error: NEWSCRAWL_HEALTH_MIN_COVERAGE=90.0 must be between 0 and 1 "
        "(a fraction, not a percent)"
    ]
