"""Pagination traps and failures: the listing walk ends by itself and says what it missed.

The trap servers serve the sample blog, except that listing pages past the real end answer
with either page 1 again ("repeat") or a page of never-seen post links ("fresh"), or that
page 2 fails with 503 ("broken").
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from newscrawl.sampleblog import POSTS, SEED_CATEGORY, render_site
from newscrawl.sampleblog.site import resolve
from newscrawl.testing import run_crawl

CAP = 6


def _trap_handler(pages: dict[str, bytes], mode: str) -> type[BaseHTTPRequestHandler]:
    category_path = f"/category/{SEED_CATEGORY}"
    first_page = pages[category_path]

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            page = int(parse_qs(parts.query).get("page", ["1"])[0])
            path = unquote(parts.path)
            self.server.requested.append(self.path)  # type: ignore[attr-defined]
            if path == category_path and page == 2 and mode == "broken":
                self._send(503, b"<html><body>Service Unavailable</body></html>")
                return
            if path == category_path and page > 2:
                body = first_page if mode == "repeat" else _fresh_listing(first_page, page)
                self._send(200, body)
                return
            status, _ctype, body = resolve(pages, self.path)
            self._send(status, body)

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    return Handler


def _fresh_listing(first_page: bytes, page: int) -> bytes:
    """Page 1 with every post link renumbered, so each page looks new (posts do not exist)."""
    html = first_page.decode("utf-8")
    for post in sorted(POSTS, key=lambda p: -p.id):
        html = html.replace(f'/{post.id}"', f'/{100000 * page + post.id}"')
    return html.encode("utf-8")


def _category_posts() -> list[str]:
    """Post ids of the seed category, newest first, as its listing pages show them."""
    posts = [
        post
        for post in POSTS
        if post.category == SEED_CATEGORY or post.category.startswith(SEED_CATEGORY + "/")
    ]
    return [str(post.id) for post in sorted(posts, key=lambda p: p.published, reverse=True)]


@pytest.fixture(params=["repeat", "fresh", "broken"])
def trap(request: pytest.FixtureRequest) -> Iterator[tuple[str, ThreadingHTTPServer]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    server.RequestHandlerClass = _trap_handler(render_site(base_url + "/", "dkwrap"), request.param)
    server.requested = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield request.param, server
    finally:
        server.shutdown()
        server.server_close()


def test_pagination_trap_ends_and_keeps_real_posts(
    trap: tuple[str, ThreadingHTTPServer], tmp_path: Path
) -> None:
    mode, server = trap
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    result = run_crawl(
        "tistory",
        {"url": f"{base_url}/category/{SEED_CATEGORY}"},
        settings={
            "NEWSCRAWL_EXPORT_DIR": str(tmp_path),
            "NEWSCRAWL_STATE_DIR": str(tmp_path / "state"),
            "NEWSCRAWL_MAX_LISTING_PAGES": str(CAP),
            "RETRY_TIMES": "0",
        },
        timeout=120,
    )
    listing_requests = [path for path in server.requested if "page=" in path]  # type: ignore[attr-defined]
    (export,) = (tmp_path / "tistory").glob("*.jsonl")
    exported = {json.loads(line)["post_id"] for line in export.read_text().splitlines()}
    if mode == "broken":
        # Page 2 fails: the walk ends there, page 1's posts are kept, and the exit status says
        # the category is incomplete.
        assert result.returncode == 1, result.stderr[-3000:]
        assert "listing page(s) could not be fetched" in result.stderr
        assert exported == set(_category_posts()[:10])
        return
    assert result.returncode == 0, result.stderr[-3000:]
    if mode == "repeat":
        assert len(listing_requests) == 3  # pages 1, 2, then 3 repeats page 1: stop
        assert "'listing/stop/no_new_posts': 1" in result.stderr
    else:
        assert len(listing_requests) == CAP
        assert "'listing/stop/page_cap': 1" in result.stderr
    assert exported == set(_category_posts())
