"""Serve the Blogger sample blog: ``python -m newscrawl.sampleblog.blogger.server``.

Pages are rendered per request from the query (`updated-max`, `max-results`), as Blogger's
cursor pages are. Tests run it in a thread (`serve_blogger`) and read `requests`, the request
targets in arrival order, to count what a crawl fetched; run as a module it binds port 0 and
prints ``SAMPLEBLOG_URL=http://127.0.0.1:<port>/`` like the Tistory sample blog.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from newscrawl.platforms.blogger.urls import FEED_LABEL_PATH, LABEL_PATH
from newscrawl.sampleblog.server import serve_until_stopped, serving

from .pages import PAGE_SIZE, render_label_feed, render_listing, render_post
from .posts import POSTS

HTML = "text/html; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
POST_PATHS = {post.path: post for post in POSTS}


class BloggerServer(ThreadingHTTPServer):
    """The sample blog on 127.0.0.1; `requests` lists every target it answered."""

    daemon_threads = True

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__((host, port), _Handler)
        self.url = f"http://{host}:{self.server_address[1]}/"
        self.requests: list[str] = []
        self.lock = threading.Lock()


def resolve(base: str, target: str) -> tuple[int, str, str]:
    """(status, content type, body) for a request target."""
    parts = urlsplit(target)
    path = unquote(parts.path)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    size = int(query["max-results"]) if query.get("max-results", "").isdigit() else PAGE_SIZE
    cursor = datetime.fromisoformat(query["updated-max"]) if "updated-max" in query else None
    if path in POST_PATHS:
        return 200, HTML, render_post(base, POST_PATHS[path])
    if path in {"/", "/search"}:
        return 200, HTML, render_listing(base, None, cursor, size)
    if match := LABEL_PATH.match(path):
        return 200, HTML, render_listing(base, match.group(1), cursor, size)
    if match := FEED_LABEL_PATH.match(path):
        return 200, ATOM, render_label_feed(base, match.group(1))
    return 404, HTML, "<html><body><h1>Sorry, the page you were looking for does not exist.</h1>"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: BloggerServer

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.requests.append(self.path)
        status, ctype, text = resolve(self.server.url, self.path)
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a test's crawl should not fill stderr."""


@contextmanager
def serve_blogger() -> Iterator[BloggerServer]:
    """Run the sample blog in a background thread for the `with` block."""
    server = BloggerServer()
    with serving(server, "bloggersample"):
        yield server


def main() -> int:
    server = BloggerServer()
    serve_until_stopped(server, server.url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
