"""`scrapy crawl tistory` rejects bad input with one line and a non-zero exit, no traceback."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newscrawl.sampleblog.server import serving
from newscrawl.testing import run_crawl


class _PlainSiteHandler(BaseHTTPRequestHandler):
    """A site that is not Tistory: every path answers with the same plain page."""

    def do_GET(self) -> None:
        body = b"<html><head><title>Plain</title></head><body><p>Hello</p></body></html>"
        if self.path == "/robots.txt":
            body = b"User-agent: *\nAllow: /\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture
def plain_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PlainSiteHandler)
    with serving(server):
        yield f"http://127.0.0.1:{server.server_address[1]}"


def _assert_one_line_error(result, code: int, words: str) -> None:
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("newscrawl:")]
    assert result.returncode == code, result.stderr[-2000:]
    assert len(error_lines) == 1, result.stderr[-2000:]
    assert words in error_lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        ({}, "missing -a url"),
        ({"url": "ftp://example.tistory.com/category/x"}, "not an http(s) URL"),
        ({"url": "example.tistory.com/123"}, "not an http(s) URL"),
        ({"url": "https://example.tistory.com/tag/python"}, "is not a Tistory category listing"),
        # A typo would otherwise turn a nightly full run into an incremental one, silently.
        ({"url": "https://example.tistory.com/", "mdoe": "full"}, "unknown argument -a mdoe"),
        ({"url": "https://example.tistory.com/", "platform": "x"}, "unknown argument -a platform"),
    ],
)
def test_bad_url_argument_is_one_line_and_exit_2(arguments: dict[str, str], words: str) -> None:
    _assert_one_line_error(run_crawl("tistory", arguments), 2, words)


def test_non_tistory_site_ends_the_run_at_once(plain_site: str, tmp_path) -> None:
    result = run_crawl(
        "tistory",
        {"url": f"{plain_site}/category/news"},
        settings={
            "NEWSCRAWL_EXPORT_DIR": str(tmp_path),
            "NEWSCRAWL_STATE_DIR": str(tmp_path / "state"),
        },
    )
    _assert_one_line_error(result, 1, "is not a Tistory page")
    assert "'not_tistory'" in result.stderr


def test_unreachable_start_url_ends_the_run(tmp_path) -> None:
    # Nothing listens on the discard port of this loopback address: refused at once.
    result = run_crawl(
        "tistory",
        {"url": "http://127.0.0.2:9/category/news"},
        settings={
            "RETRY_TIMES": "0",
            "DOWNLOAD_TIMEOUT": "5",
            "ROBOTSTXT_OBEY": "False",
            "NEWSCRAWL_EXPORT_DIR": str(tmp_path),
            "NEWSCRAWL_STATE_DIR": str(tmp_path / "state"),
        },
    )
    _assert_one_line_error(result, 1, "start_url_failed")
