"""The benchmark's blog: N generated posts in a sample-blog skin, served fast on 127.0.0.1.

nginx (Debian's package) serves the pages from disk when it is installed, so the server is
not what limits the crawl; otherwise the sample blog's own threaded server does, and the
report says so. Either way the raw fetch rate is measured first (`raw_fetch_rate`).
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from newscrawl.sampleblog import generate_posts, render_site
from newscrawl.sampleblog.site import EMPTY_PAGE, NOT_FOUND_KEY, PER_PAGE
from newscrawl.testing import sample_blog

BODY_CHARS = 45_000  # with the skin's chrome, article pages of about 60 KB
SKIN = "dkwrap"
STARTUP_SECONDS = 30

NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {root}/tmp;
    proxy_temp_path {root}/tmp;
    fastcgi_temp_path {root}/tmp;
    uwsgi_temp_path {root}/tmp;
    scgi_temp_path {root}/tmp;
    sendfile on;
    keepalive_requests 1000000;
    map $arg_page $page_file {{ "" "index"; "1" "index"; default "page-$arg_page"; }}
    server {{
        listen 127.0.0.1:{port};
        root {root}/www;
        default_type text/html;
        charset utf-8;
        location = /robots.txt {{ default_type "text/plain; charset=utf-8"; }}
        location = /sitemap.xml {{ default_type "application/xml; charset=utf-8"; }}
        location / {{
            try_files $uri/$page_file.html $uri/page-empty.html =404;
            error_page 404 /404.html;
        }}
    }}
}}
"""


@dataclass(frozen=True)
class BenchSite:
    """A running benchmark blog: its URL, what serves it, and its page paths."""

    url: str
    server: str
    posts: int
    article_paths: list[str]
    listing_paths: list[str]

    @property
    def category_url(self) -> str:
        """The all-posts listing: the crawl walks every post of the blog through it."""
        return self.url + "category"


def free_port() -> int:
    """A port free right now (nginx cannot bind port 0 and report it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def bench_site(posts: int, workdir: Path) -> Iterator[BenchSite]:
    """Serve a generated blog of `posts` posts for the duration of the block."""
    if shutil.which("nginx"):
        with _nginx_site(posts, workdir) as site:
            yield site
    else:
        with _python_site(posts) as site:
            yield site


def is_post_path(key: str) -> bool:
    """`/123`: a post's page among the rendered keys (the 404 page's key is `404`)."""
    return key.startswith("/") and key[1:].isdigit()


def _paths(pages: dict[str, bytes]) -> tuple[list[str], list[str]]:
    articles = sorted(key for key in pages if is_post_path(key))
    listings = [key for key in pages if key == "/category" or key.startswith("/category?")]
    return articles, listings


@contextmanager
def _nginx_site(posts: int, workdir: Path) -> Iterator[BenchSite]:
    for _attempt in range(3):
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        pages = render_site(url, SKIN, generate_posts(posts, body_chars=BODY_CHARS))
        root = workdir / f"nginx-{posts}"
        _write_pages(pages, root / "www")
        (root / "tmp").mkdir(exist_ok=True)
        conf = root / "nginx.conf"
        conf.write_text(NGINX_CONF.format(root=root, port=port))
        process = subprocess.Popen(
            ["nginx", "-c", str(conf), "-p", str(root)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            if _wait_until_serving(url, process):
                articles, listings = _paths(pages)
                del pages
                yield BenchSite(url, "nginx", posts, articles, listings)
                return
        finally:
            process.terminate()
            process.wait(timeout=10)
    raise RuntimeError("nginx did not start (port taken three times?)")


def _write_pages(pages: dict[str, bytes], www: Path) -> None:
    """`/path?page=N` → `www/path/page-N.html`; page 1 → `index.html`; files as they are."""
    if www.exists():
        shutil.rmtree(www)
    for key, body in pages.items():
        path, _, query = key.partition("?")
        if key in {"/robots.txt", "/sitemap.xml"}:
            target = www / key[1:]
        elif key == NOT_FOUND_KEY:
            target = www / "404.html"
        elif key.endswith(EMPTY_PAGE):  # any page number past the end
            target = www / path.lstrip("/") / "page-empty.html"
        elif query.startswith("page="):
            target = www / path.lstrip("/") / f"page-{query[5:]}.html"
        else:
            target = www / path.lstrip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)


@contextmanager
def _python_site(posts: int) -> Iterator[BenchSite]:
    arguments = ["--posts", str(posts), "--body-chars", str(BODY_CHARS), "--skin", SKIN]
    with sample_blog(extra_args=arguments) as url:
        # The server generated the posts (ids 1…N); the paths follow without rendering again.
        articles = sorted(f"/{number}" for number in range(1, posts + 1))
        pages = -(-posts // PER_PAGE)
        listings = ["/category", *(f"/category?page={n}" for n in range(2, pages + 1))]
        yield BenchSite(url, "python (newscrawl.sampleblog.server)", posts, articles, listings)


def _wait_until_serving(url: str, process: subprocess.Popen[bytes]) -> bool:
    """Poll the server until it answers; False when it died (its port was taken)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url + "robots.txt", timeout=1) as answer:
                return bool(answer.status == 200)
        except OSError:
            time.sleep(0.02)
    return False


def raw_fetch_rate(site: BenchSite, concurrency: int, limit: int = 3000) -> float:
    """Pages/s of a bare asyncio keep-alive client fetching the site's listing and posts."""
    paths = (site.listing_paths + site.article_paths)[:limit]
    return asyncio.run(_fetch_all(site.url, paths, concurrency))


async def _fetch_all(url: str, paths: list[str], concurrency: int) -> float:
    parts = urlsplit(url)
    queue: asyncio.Queue[str] = asyncio.Queue()
    for path in paths:
        queue.put_nowait(quote(path, safe="/?=&"))
    started = time.perf_counter()
    await asyncio.gather(
        *(_client(parts.hostname or "", parts.port or 80, queue) for _ in range(concurrency))
    )
    return len(paths) / (time.perf_counter() - started)


async def _client(host: str, port: int, queue: asyncio.Queue[str]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while not queue.empty():
            path = queue.get_nowait()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            await reader.readexactly(length)
    finally:
        writer.close()


if __name__ == "__main__":  # serve a site by hand: python -m bench.site N
    with bench_site(int(sys.argv[1]), Path("bench/work")) as running:
        print(running.server, running.url, flush=True)
        input("serving; press Enter to stop\n")
