"""Serve the sample WordPress blog: `python -m newscrawl.sampleblog.wordpress.server`.

Binds 127.0.0.1 on a free port and prints `SAMPLEBLOG_URL=http://…/` once listening. With
`--rest 404` or `--rest 403` every `/wp-json/` request is refused as a site that removed or
blocked the API does. `serve()` runs it in a thread for tests and keeps every request
target in `WordPressBlog.requests`, so a test can count what a crawl fetched.
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from newscrawl.sampleblog.server import serve_until_stopped, serving

from . import api
from .content import BY_ID, CATEGORIES, POSTS, in_categories, newest_first, with_descendants
from .pages import category_link, listing_page, post_link, post_page

REST_MODES = ("on", "404", "403")
HTML = "text/html; charset=UTF-8"


@dataclass
class WordPressBlog:
    """The running blog: its base URL, whether the API answers, and the requests seen."""

    url: str = ""
    rest: str = "on"
    requests: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def log(self, target: str) -> None:
        with self.lock:
            self.requests.append(target)

    def answer(self, target: str) -> api.Response:
        parts = urlsplit(target)
        path = unquote(parts.path)
        if path.startswith("/wp-json/"):
            return self._api(path, parts.query)
        page = 1
        segments = [s for s in path.split("/") if s]
        if len(segments) >= 2 and segments[-2] == "page" and segments[-1].isdigit():
            page, segments = int(segments[-1]), segments[:-2]
        listing = "/" + "".join(f"{s}/" for s in segments)
        html = self._listing(listing, page) if page > 1 or not _is_post_path(listing) else None
        if html is None:
            html = self._post(path)
        if not html:
            return (
                404,
                {"Content-Type": HTML},
                b"<html><body class='error404'>Not found</body></html>",
            )
        return 200, {"Content-Type": HTML}, html.encode("utf-8")

    def _api(self, path: str, query: str) -> api.Response:
        if self.rest == "404":
            return 404, {"Content-Type": HTML}, b"<html><body>Not found</body></html>"
        if self.rest == "403":
            return api._json(403, {"code": "rest_forbidden", "data": {"status": 403}})
        if path == "/wp-json/wp/v2/categories":
            return api.categories(self.url)
        if path == "/wp-json/wp/v2/posts":
            return api.posts(self.url, query)
        return api._json(404, {"code": "rest_no_route"})

    def _listing(self, listing: str, page: int) -> str | None:
        if listing == "/":
            return listing_page(self.url, self.url, newest_first(POSTS), page, "home blog")
        for category in CATEGORIES:
            link = category_link(self.url, category.id)
            if link == self.url + listing.lstrip("/"):
                ids = with_descendants(category.id)
                posts = newest_first([p for p in POSTS if in_categories(p, ids)])
                body = f"archive category category-{BY_ID[category.id].slug}"
                return listing_page(self.url, link, posts, page, body)
        return None

    def _post(self, path: str) -> str:
        for post in POSTS:
            if unquote(urlsplit(post_link(self.url, post)).path) == path.rstrip("/") + "/":
                return post_page(self.url, post)
        return ""


def _is_post_path(path: str) -> bool:
    return not path.startswith("/category/") and path != "/"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        blog = self.server.blog
        blog.log(self.path)
        target = self.path.encode("latin-1").decode("utf-8", "replace")
        status, headers, body = blog.answer(target)
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a test reads `WordPressBlog.requests` instead."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    blog: WordPressBlog


def _bind(rest: str) -> _Server:
    """The blog bound to 127.0.0.1:<free port>, not serving yet."""
    if rest not in REST_MODES:
        raise ValueError(f"rest must be one of {REST_MODES}, not {rest!r}")
    server = _Server(("127.0.0.1", 0), _Handler)
    server.blog = WordPressBlog(f"http://127.0.0.1:{server.server_address[1]}/", rest)
    return server


@contextmanager
def serve(rest: str = "on") -> Iterator[WordPressBlog]:
    """Run the blog in a background thread; yields it (URL, request log)."""
    server = _bind(rest)
    with serving(server, "wordpresssample"):
        yield server.blog


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rest", choices=REST_MODES, default="on")
    args = parser.parse_args(argv)
    server = _bind(args.rest)
    serve_until_stopped(server, server.blog.url)


if __name__ == "__main__":
    main()
