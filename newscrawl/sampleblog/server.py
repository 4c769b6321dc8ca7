"""Serve the sample blog locally: ``python -m newscrawl.sampleblog.server``.

Binds (port 0 by default), renders every page once with the real base URL, then prints one
line ``SAMPLEBLOG_URL=http://host:port/`` so a test or ``make demo`` can wait for it instead
of sleeping. Serves until SIGTERM/SIGINT and exits 0 without a traceback.

For incremental-crawl tests the blog can be served as it was on an earlier night
(``--hide-newest K``) or with some posts edited since (``--edit ID,ID``), and every request
can be appended to a file (``--request-log PATH``) so the test counts what was fetched.
``--repost`` serves another blogger's blog that reposts the seed article (``reposts.py``).
For feed and sitemap tests, ``--unlisted ID,ID`` leaves posts out of every listing (a skin
that hides them; their pages, feed items and sitemap entries stay) and ``--sitemap-path PATH``
serves the sitemap elsewhere than ``/sitemap.xml`` (robots.txt names it).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import BaseServer
from types import FrameType

from .changes import before_newest, edited
from .posts import POSTS, Post, generate_posts
from .reposts import reposted
from .site import render_site, resolve
from .skins import SKINS


class RequestLog:
    """Appends ``METHOD TARGET`` per request to a file that a test reads while we serve.

    The target is written as it came on the request line (percent-encoding kept, raw UTF-8
    bytes kept byte for byte), so a test can tell ``/category/%EA…`` from raw Korean. Each
    line is flushed as written (line buffering) and written under a lock, since handler
    threads run concurrently and a half-written line would miscount.
    """

    def __init__(self, path: str | Path) -> None:
        self._lock = threading.Lock()
        self._file = open(  # noqa: SIM115 - lives as long as the server; closed in close()
            path, "a", buffering=1, encoding="utf-8", errors="surrogateescape", newline="\n"
        )

    def write(self, method: str, target: str) -> None:
        """Log one request; ``target`` is ``http.server``'s latin-1 reading of the bytes."""
        raw = target.encode("latin-1").decode("utf-8", "surrogateescape")
        with self._lock:
            if not self._file.closed:  # a daemon handler may outlive server_close()
                self._file.write(f"{method} {raw}\n")

    def close(self) -> None:
        with self._lock:
            self._file.close()


class _Handler(BaseHTTPRequestHandler):
    """GET/HEAD from the pre-rendered dict; keep-alive (HTTP/1.1) for benchmark speed."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes; no 40 ms stalls
    server: _BlogServer

    def _respond(self, with_body: bool) -> None:
        if self.server.request_log:  # before answering: once the client has it, it is logged
            self.server.request_log.write(self.command, self.path)
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
    request_queue_size = 128  # the default 5 drops SYNs of 16 concurrent connects: 1 s stalls
    pages: dict[str, bytes]
    request_log: RequestLog | None = None

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-answer (a killed crawl) is no server error: stay quiet."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]

    def server_close(self) -> None:
        super().server_close()
        if self.request_log:
            self.request_log.close()


def make_server(
    skin: str = "dkwrap",
    host: str = "127.0.0.1",
    port: int = 0,
    posts: Iterable[Post] | None = None,
    request_log: str | Path | None = None,
    *,
    unlisted: Collection[int] = (),
    sitemap_path: str = "/sitemap.xml",
) -> tuple[_BlogServer, str]:
    """Bind, then render with the bound address; returns (server, base URL with ``/``).

    With ``request_log`` every GET/HEAD is appended to that file (see ``RequestLog``);
    ``unlisted`` and ``sitemap_path`` go to ``render_site``.
    """
    if skin not in SKINS:
        raise ValueError(f"unknown skin {skin!r}; choose from {sorted(SKINS)}")
    server = _BlogServer((host, port), _Handler)
    base_url = f"http://{host}:{server.server_address[1]}/"
    server.pages = render_site(base_url, skin, posts, unlisted=unlisted, sitemap_path=sitemap_path)
    if request_log is not None:
        server.request_log = RequestLog(request_log)
    return server, base_url


def blog_posts(
    count: int = 0,
    body_chars: int = 1200,
    hide_newest: int = 0,
    edit: Sequence[int] = (),
    repost: bool = False,
) -> list[Post]:
    """The posts to serve: bundled (or ``count`` generated), with the seed article reposted
    when ``repost``, edited, then the newest hidden.

    Edits apply to the full list first, so an id is checked against every post the blog will
    ever have; editing a post that is then hidden is allowed and simply not seen.
    """
    posts = generate_posts(count, body_chars=body_chars) if count else list(POSTS)
    if repost:
        posts = reposted(posts)
    return before_newest(edited(posts, edit), hide_newest)


@dataclass
class LiveBlog:
    """A blog served from this process whose posts a test can change between two crawls.

    The URL stays the same when the posts change, as on a real blog from one night to the
    next; that is what incremental crawls compare against.
    """

    server: _BlogServer
    url: str
    skin: str

    def publish(self, posts: Iterable[Post]) -> None:
        """Serve `posts` from now on (the page dict is swapped in one assignment)."""
        self.server.pages = render_site(self.url, self.skin, posts)


@contextmanager
def live_blog(
    skin: str = "dkwrap",
    posts: Iterable[Post] | None = None,
    request_log: str | Path | None = None,
    host: str = "127.0.0.1",
) -> Iterator[LiveBlog]:
    """Run the blog in a background thread; yields a `LiveBlog` to change its posts."""
    server, base_url = make_server(skin, host, 0, posts, request_log)
    with serving(server, "sampleblog"):
        yield LiveBlog(server, base_url, skin)


@contextmanager
def serving(server: BaseServer, name: str = "testserver") -> Iterator[None]:
    """Run a bound `server` from a daemon thread for the `with` block (the sample blogs,
    test sites in-process); after it the server is shut down, its socket closed and the
    thread joined, so a test leaves no listener behind."""
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def serve_in_thread(
    skin: str = "dkwrap", posts: Iterable[Post] | None = None, host: str = "127.0.0.1"
) -> Iterator[str]:
    """Run the blog in a background thread for in-process tests; yields the base URL."""
    with live_blog(skin, posts, host=host) as blog:
        yield blog.url


class _Stop(Exception):
    """Raised from the signal handler to leave ``serve_forever`` cleanly."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def serve_until_stopped(server: BaseServer, url: str) -> None:
    """Announce ``SAMPLEBLOG_URL=<url>`` and serve in the foreground until SIGTERM/SIGINT,
    then close the socket: a sample blog run as a module stops cleanly, without a traceback.
    """
    try:  # handlers first, then the URL line: a stop may come as soon as it is printed
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        print(f"SAMPLEBLOG_URL={url}", flush=True)
        server.serve_forever()
    except _Stop:
        pass
    finally:
        server.server_close()


def _id_list(text: str) -> list[int]:
    """``3,21`` → ``[3, 21]`` for ``--edit``; anything else is a usage error naming it."""
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of ids: {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skin", choices=sorted(SKINS), default="dkwrap")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--posts", type=int, default=0, help="serve N synthetic posts instead of the bundled ones"
    )
    parser.add_argument("--body-chars", type=int, default=1200, help="body size with --posts")
    parser.add_argument(
        "--request-log", metavar="PATH", help="append 'METHOD TARGET' per request to PATH"
    )
    parser.add_argument(
        "--hide-newest",
        metavar="K",
        type=int,
        default=0,
        help="serve the blog as it was before its K newest posts were written",
    )
    parser.add_argument(
        "--edit",
        metavar="ID[,ID...]",
        type=_id_list,
        action="extend",
        default=[],
        help="serve these posts (by id) edited: a note appended, modified a day later",
    )
    parser.add_argument(
        "--repost",
        action="store_true",
        help="serve another blogger's blog: the seed article reposted with an intro and a "
        "source line, and the same news once more in other words",
    )
    parser.add_argument(
        "--unlisted",
        metavar="ID[,ID...]",
        type=_id_list,
        action="extend",
        default=[],
        help="leave these posts (by id) out of every listing; page, feed and sitemap keep them",
    )
    parser.add_argument(
        "--sitemap-path",
        default="/sitemap.xml",
        help="serve the sitemap at this path (robots.txt names it)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        posts = blog_posts(args.posts, args.body_chars, args.hide_newest, args.edit, args.repost)
    except ValueError as err:
        parser.error(str(err))
    unknown = set(args.unlisted) - {post.id for post in posts}
    if unknown:  # a typo would otherwise test nothing
        parser.error(f"--unlisted: no post with id {', '.join(map(str, sorted(unknown)))}")
    server, base_url = make_server(
        args.skin,
        args.host,
        args.port,
        posts,
        args.request_log,
        unlisted=args.unlisted,
        sitemap_path=args.sitemap_path,
    )
    serve_until_stopped(server, base_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
