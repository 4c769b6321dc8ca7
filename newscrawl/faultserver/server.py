"""The fault server: the sample blog on 127.0.0.1 (port 0), with chosen paths misbehaving.

`fault_blog()` renders the sample blog with its real bound address, serves it from a thread
and yields a `FaultBlog`: set `blog.faults[path] = SomeFault(...)` before a crawl, read
`blog.hits` after it. Paths are request targets percent-decoded (`/21`, `/robots.txt`,
`/category/게시판/더 나은 미래를 위해?page=2`); a fault on a path without a query applies
whatever the query. Every request is recorded with its arrival time, so a test can measure
the gaps a crawler left between retries.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from newscrawl.faultserver.faults import Fault, Headers, Page
from newscrawl.sampleblog import POSTS, Post
from newscrawl.sampleblog.site import render_site, resolve


@dataclass(frozen=True)
class Hit:
    """One request the server received: when (monotonic seconds), method, decoded target."""

    at: float
    method: str
    target: str

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


def decoded_target(raw: str) -> str:
    """`http.server`'s latin-1 request target as text: UTF-8 bytes and `%XX` decoded."""
    with suppress(UnicodeError):
        raw = raw.encode("latin-1").decode("utf-8")
    parts = urlsplit(raw)
    return unquote(parts.path) + (f"?{parts.query}" if parts.query else "")


class FaultHandler(BaseHTTPRequestHandler):
    """Serve the rendered page, or hand the request to the fault set on its path."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: FaultServer
    target: str

    def do_GET(self) -> None:
        self.target = decoded_target(self.path)
        self.server.hits.append(Hit(time.monotonic(), self.command, self.target))
        status, content_type, body = resolve(self.server.pages, self.path)
        page = Page(status, content_type, body)
        fault = self.server.fault_for(self.target)
        if fault is None:
            self.send(page.status, page.body, page.content_type)
        else:
            fault.respond(self, page)

    def send_head(
        self, status: int, content_type: str, length: int | None, headers: Headers = ()
    ) -> None:
        """Status line and headers; no `Content-Length` (and a close) when `length` is None."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length is None:
            self.close_connection = True
            self.send_header("Connection", "close")
        else:
            self.send_header("Content-Length", str(length))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.flush()

    def send(self, status: int, body: bytes, content_type: str, headers: Headers = ()) -> None:
        self.send_head(status, content_type, len(body), headers)
        self.write(body)

    def write(self, data: bytes) -> bool:
        """Send bytes now; False once the client has gone (it hung up on a slow answer)."""
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except (ConnectionError, ValueError):
            return False
        return True

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads `hits`, not a log."""


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 drops the SYNs of a crawler opening 16 connections
    # at once; the kernel resends them a second later, which would look like a crawler delay.
    request_queue_size = 128

    def __init__(self, host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), FaultHandler)
        self.pages: dict[str, bytes] = {}
        self.faults: dict[str, Fault] = {}
        self.hits: list[Hit] = []
        self.stopping = threading.Event()

    def fault_for(self, target: str) -> Fault | None:
        return self.faults.get(target) or self.faults.get(target.split("?", 1)[0])

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients hanging up on purposely broken answers are expected, not errors."""


@dataclass
class FaultBlog:
    """A running fault server: its base URL, the faults to apply, the requests it got."""

    server: FaultServer
    url: str
    skin: str
    posts: list[Post] = field(default_factory=list)

    @property
    def faults(self) -> dict[str, Fault]:
        return self.server.faults

    @property
    def pages(self) -> dict[str, bytes]:
        return self.server.pages

    @property
    def hits(self) -> list[Hit]:
        return self.server.hits

    def hits_on(self, path: str) -> list[Hit]:
        """Requests whose path (query ignored) is `path`."""
        return [hit for hit in self.hits if hit.path == path]

    def publish(self, posts: Iterable[Post]) -> None:
        self.posts = list(posts)
        self.server.pages = render_site(self.url, self.skin, self.posts)


@contextmanager
def fault_blog(
    skin: str = "dkwrap", posts: Iterable[Post] | None = None, host: str = "127.0.0.1"
) -> Iterator[FaultBlog]:
    """Serve the sample blog (or `posts`) with faults from a background thread.

    `host` may be any loopback address (`127.0.0.2` is another host to a crawler).
    """
    server = FaultServer(host)
    blog = FaultBlog(server, f"http://{host}:{server.server_address[1]}/", skin)
    blog.publish(POSTS if posts is None else posts)
    thread = threading.Thread(target=server.serve_forever, name="faultserver", daemon=True)
    thread.start()
    try:
        yield blog
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
