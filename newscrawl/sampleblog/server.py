"""Serve the sample blog locally: ``python -m newscrawl.sampleblog.server``.

Binds (port 0 by default), renders every page once with the real base URL, then prints one
line ``SAMPLEBLOG_URL=http://host:port/`` so a test or ``make demo`` can wait for it instead
of sleeping. Serves until SIGTERM/SIGINT and exits 0 without a traceback.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType

from .posts import Post, generate_posts
from .site import render_site, resolve
from .skins import SKINS


class _Handler(BaseHTTPRequestHandler):
    """GET/HEAD from the pre-rendered dict; keep-alive (HTTP/1.1) for benchmark speed."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes; no 40 ms stalls
    server: _BlogServer

    def _respond(self, with_body: bool) -> None:
        target = self.path
        # http.server decodes the request line as latin-1; raw Korean arrives as UTF-8.
        with suppress(UnicodeError):
            target = target.encode("latin-1").decode("utf-8")
        status, ctype, body = resolve(self.server.pages, target)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_GET(self) -> None:
        self._respond(with_body=True)

    def do_HEAD(self) -> None:
        self._respond(with_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: thousands of requests in a benchmark should not flood stderr."""


class _BlogServer(ThreadingHTTPServer):
    daemon_threads = True
    pages: dict[str, bytes]


def make_server(
    skin: str = "dkwrap",
    host: str = "127.0.0.1",
    port: int = 0,
    posts: Iterable[Post] | None = None,
) -> tuple[_BlogServer, str]:
    """Bind, then render with the bound address; returns (server, base URL with ``/``)."""
    if skin not in SKINS:
        raise ValueError(f"unknown skin {skin!r}; choose from {sorted(SKINS)}")
    server = _BlogServer((host, port), _Handler)
    base_url = f"http://{host}:{server.server_address[1]}/"
    server.pages = render_site(base_url, skin, posts)
    return server, base_url


@contextmanager
def serve_in_thread(
    skin: str = "dkwrap", posts: Iterable[Post] | None = None, host: str = "127.0.0.1"
) -> Iterator[str]:
    """Run the blog in a background thread for in-process tests; yields the base URL."""
    server, base_url = make_server(skin, host, 0, posts)
    thread = threading.Thread(target=server.serve_forever, name="sampleblog", daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _Stop(Exception):
    """Raised from the signal handler to leave ``serve_forever`` cleanly."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skin", choices=sorted(SKINS), default="dkwrap")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--posts", type=int, default=0, help="serve N synthetic posts instead of the bundled ones"
    )
    parser.add_argument("--body-chars", type=int, default=1200, help="body size with --posts")
    args = parser.parse_args(argv)
    posts = generate_posts(args.posts, body_chars=args.body_chars) if args.posts else None
    server, base_url = make_server(args.skin, args.host, args.port, posts)
    try:  # handlers first, then the URL line: a stop may come as soon as it is printed
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        print(f"SAMPLEBLOG_URL={base_url}", flush=True)
        server.serve_forever()
    except _Stop:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
