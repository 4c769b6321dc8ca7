"""The bundled sample blog: served as a subprocess (as ``make demo`` and the end-to-end
tests use it) and rendered in-process for the page shapes the crawler depends on."""

from __future__ import annotations

import selectors
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from parsel import Selector

from newscrawl.sampleblog import POSTS, SEED_CATEGORY, SEED_TITLE, generate_posts, render_site
from newscrawl.sampleblog.changes import EDIT_DELAY, EDIT_NOTE, before_newest, edited
from newscrawl.sampleblog.server import blog_posts
from newscrawl.sampleblog.site import SKINS, Site
from newscrawl.testing import sample_blog

ROOT = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT = 30.0
SEED = next(p for p in POSTS if p.title == SEED_TITLE)
SEED_ROWS = [
    ("Wakeup call", "2019.04.07"),
    ("Korea reviewing whether to declare blaze-hit areas as special disaster", "2019.04.06"),
    (
        "Main opposition, leftist parties win seat apiece in parliamentary by-elections",
        "2019.04.04",
    ),
    ("Bullfighting - tradition or animal abuse?", "2019.04.03"),
    ("Human rights watchdog recognizes third gender in official document", "2019.04.02"),
]
SEED_PATH = "/category/게시판/더 나은 미래를 위해"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """Start ``python -m newscrawl.sampleblog.server`` and wait for its URL line."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "newscrawl.sampleblog.server", "--skin", "dkwrap"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            ready = sel.select(timeout=STARTUP_TIMEOUT)
        line = proc.stdout.readline().strip() if ready else ""
        assert line.startswith("SAMPLEBLOG_URL=http://127.0.0.1:"), (line, proc.poll())
        yield line.removeprefix("SAMPLEBLOG_URL=")
    finally:
        proc.terminate()
        try:
            _, stderr = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr


def fetch(url: str) -> tuple[int, str, bytes]:
    """(status, content type, body) with urllib, 4xx included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.headers["Content-Type"], resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read()


def raw_get(base: str, target: str) -> tuple[int, bytes]:
    """GET with the target sent as raw UTF-8 bytes (urllib refuses non-ASCII paths)."""
    parts = urlsplit(base)
    host, port = parts.hostname or "", parts.port or 80
    with socket.create_connection((host, port), timeout=10) as conn:
        request = f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n"
        conn.sendall(request.encode("utf-8"))
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.mark.parametrize(
    ("path", "ctype"),
    [
        ("", "text/html; charset=utf-8"),
        ("?page=2", "text/html; charset=utf-8"),
        ("category", "text/html; charset=utf-8"),
        (quote("category/여행") + "?page=2", "text/html; charset=utf-8"),
        (f"{SEED.id}", "text/html; charset=utf-8"),
        (f"m/{SEED.id}", "text/html; charset=utf-8"),
        ("entry/scrapy-middleware", "text/html; charset=utf-8"),
        (quote("tag/north korea"), "text/html; charset=utf-8"),
        ("rss", "application/rss+xml; charset=utf-8"),
        ("sitemap.xml", "application/xml; charset=utf-8"),
        ("robots.txt", "text/plain; charset=utf-8"),
    ],
)
def test_routes_status_and_type(base_url: str, path: str, ctype: str) -> None:
    status, got_type, body = fetch(base_url + path)
    assert (status, got_type) == (200, ctype)
    assert body


def test_pages_use_the_bound_address(base_url: str) -> None:
    _, _, body = fetch(f"{base_url}m/{SEED.id}")
    sel = Selector(text=body.decode())
    assert sel.css("link[rel=canonical]::attr(href)").get() == f"{base_url}{SEED.id}"
    assert sel.css("body::attr(id)").get() == "tt-body-page"
    _, _, robots = fetch(base_url + "robots.txt")
    assert f"Sitemap: {base_url}sitemap.xml" in robots.decode()


def test_query_other_than_page_is_ignored(base_url: str) -> None:
    plain = fetch(f"{base_url}{SEED.id}")[2]
    assert fetch(f"{base_url}{SEED.id}?category=310101")[2] == plain


def test_category_spellings_are_one_page(base_url: str) -> None:
    encoded = fetch(base_url + quote(SEED_PATH[1:]))
    assert encoded[0] == 200
    lower = fetch(base_url + quote(SEED_PATH[1:]).lower())
    raw = raw_get(base_url, SEED_PATH.replace(" ", "%20"))
    assert lower[2] == encoded[2]
    assert raw == (200, encoded[2])
    assert (
        raw_get(base_url, SEED_PATH.replace(" ", "%20") + "?page=2")[1]
        == (fetch(base_url + quote(SEED_PATH[1:]) + "?page=2")[2])
    )


def test_page_beyond_the_end_is_an_empty_listing(base_url: str) -> None:
    status, _, body = fetch(base_url + quote(SEED_PATH[1:]) + "?page=9")
    sel = Selector(text=body.decode())
    assert status == 200
    assert sel.css("body::attr(id)").get() == "tt-body-category"
    assert sel.css("#mArticle .area_list a").getall() == []
    full = Selector(text=fetch(base_url + quote(SEED_PATH[1:]))[2].decode())
    assert len(full.css("#mArticle .area_list a.link_post")) == 10


@pytest.mark.parametrize("path", ["nope", "favicon.ico", "999", "entry/nope", "m/999"])
def test_unknown_paths_are_404(base_url: str, path: str) -> None:
    status, ctype, body = fetch(base_url + path)
    assert (status, ctype) == (404, "text/html; charset=utf-8")
    assert b"tt-body-error" in body


# --- in-process rendering -------------------------------------------------------------


@pytest.mark.parametrize("skin", sorted(SKINS))
def test_seed_post_related_rows_in_order(skin: str) -> None:
    pages = render_site("http://127.0.0.1:1/", skin)
    sel = Selector(text=pages[f"/{SEED.id}"].decode())
    block = sel.css("div.another_category.another_category_color_gray")
    rows = [
        ("".join(tr.css("th > a::text").getall()), tr.css("td::text").get("").strip())
        for tr in block.css("tr")
    ]
    assert rows == SEED_ROWS
    assert block.css("a.current") == []
    assert block.css("h4 a::text").getall() == SEED_CATEGORY.split("/")
    assert "&nbsp;&gt;&nbsp;" in pages[f"/{SEED.id}"].decode()  # as written, not parsed


def test_seed_post_meta_per_skin() -> None:
    base = "http://127.0.0.1:1/"
    dk = Selector(text=render_site(base, "dkwrap")[f"/{SEED.id}"].decode())
    published = dk.css('meta[property="article:published_time"]::attr(content)').get("")
    assert published.startswith("2019-04-08T10:27:") and published.endswith("+09:00")
    assert dk.css('meta[property="article:txid"]::attr(content)').get().endswith(f"_{SEED.id}")
    assert dk.css("span.txt_detail.my_post::text").getall()[1] == "2019.04.08 10:27"
    he = Selector(text=render_site(base, "hentry")[f"/{SEED.id}"].decode())
    assert he.css('meta[property="og:title"]') == []
    assert he.css("abbr.dt-published::attr(title)").get() == "2019. 4. 8. 10:27"
    assert he.css("h1.hd-heading.p-name a::text").get() == SEED_TITLE
    body = " ".join(he.css("div.e-content p::text").getall())
    assert "Kim Jong-un could travel to Russia" in body and "Kim's closest aide" in body


def test_ads_and_blocks_sit_inside_the_body() -> None:
    pages = render_site("http://127.0.0.1:1/", "dkwrap")
    body = Selector(text=pages[f"/{SEED.id}"].decode()).css(
        "div.area_view > div.tt_article_useless_p_margin"
    )
    for css in ["div.revenue_unit_wrap", "ins.adsbygoogle", "div.container_postbtn"]:
        assert body.css(css), css
    assert body.css("figure.imageblock span[data-url] img[data-src][srcset]")


def test_every_category_has_two_listing_pages() -> None:
    pages = render_site("http://127.0.0.1:1/", "magazine")
    site = Site("http://127.0.0.1:1/", SKINS["magazine"], POSTS)
    for category in site.category_ids:
        assert f"/category/{category}?page=2" in pages, category
    assert len(site.in_category(SEED_CATEGORY)) >= 12
    assert len(site.in_category("게시판")) == len(site.in_category(SEED_CATEGORY)) + 2


def test_related_window_takes_two_newer_then_older() -> None:
    site = Site("http://127.0.0.1:1/", SKINS["dkwrap"], POSTS)
    same = [p for p in site.posts if p.category == SEED_CATEGORY]
    middle = same[6]
    assert site.related_rows(middle) == same[4:6] + same[7:10]
    assert site.related_rows(same[-1]) == same[-6:-1]


def test_ids_follow_publication_order_and_slugs_resolve() -> None:
    assert [p.id for p in sorted(POSTS, key=lambda p: p.published)] == list(
        range(1, len(POSTS) + 1)
    )
    pages = render_site("http://127.0.0.1:1/", "hentry")
    slugged = next(p for p in POSTS if p.slug == "scrapy-middleware")
    assert pages[f"/entry/{slugged.slug}"] is pages[f"/{slugged.id}"]
    canonical = Selector(text=pages[f"/{slugged.id}"].decode())
    assert canonical.css("h1.p-name a::attr(href)").get() == "/entry/scrapy-middleware"


def test_generated_posts_are_deterministic_and_render() -> None:
    first, again = generate_posts(40, seed=3, body_chars=2000), generate_posts(40, seed=3)
    assert [p.title for p in first] == [p.title for p in again]
    assert len(first[0].body) == 5
    pages = render_site("http://127.0.0.1:1/", "dkwrap", first)
    assert "/40" in pages and "/category?page=4" in pages


def test_paging_block_shows_a_window_of_numbers() -> None:
    from newscrawl.sampleblog.skins.widgets import page_window

    assert page_window(1, 2) == [1, 2]
    assert page_window(7, 12) == [1, 0, 5, 6, 7, 8, 9, 0, 12]  # 0 is the "···" gap
    assert page_window(12, 12) == [1, 0, 8, 9, 10, 11, 12]


def test_serve_in_thread_serves_rendered_pages() -> None:
    from newscrawl.sampleblog import serve_in_thread

    with serve_in_thread(skin="magazine") as url:
        status, ctype, body = fetch(f"{url}{SEED.id}")
        assert (status, ctype) == (200, "text/html; charset=utf-8")
        assert f'href="{url}{SEED.id}"'.encode() in body  # canonical on the bound port


# --- a blog that changes between nightly runs -----------------------------------------

HIDDEN = sorted(POSTS, key=lambda p: p.published)[-2:]  # what --hide-newest 2 leaves out
KEPT = sorted(POSTS, key=lambda p: p.published)[-3]
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
LOG_TIMEOUT = 5.0


@pytest.fixture(scope="module")
def changed_blog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The blog a night earlier (2 newest posts unwritten), seed post edited, requests logged."""
    log = tmp_path_factory.mktemp("sampleblog") / "requests.log"
    args = ["--hide-newest", "2", "--edit", str(SEED.id), "--request-log", str(log)]
    with sample_blog("dkwrap", extra_args=args) as url:
        yield url, log


def lastmods(base: str) -> dict[str, datetime]:
    """``{post URL: lastmod}`` from the server's sitemap.xml."""
    root = ET.fromstring(fetch(base + "sitemap.xml")[2])
    return {
        url.findtext("sm:loc", "", SITEMAP_NS): datetime.fromisoformat(
            url.findtext("sm:lastmod", "", SITEMAP_NS)
        )
        for url in root.iterfind("sm:url", SITEMAP_NS)
    }


def test_hide_newest_leaves_the_newest_posts_unwritten(
    base_url: str, changed_blog: tuple[str, Path]
) -> None:
    changed, _ = changed_blog
    for post in HIDDEN:
        listing = base_url + quote(f"category/{post.category}")
        assert post.title.encode() in fetch(listing)[2], post.id
        assert fetch(f"{base_url}{post.id}")[0] == 200
        page = fetch(changed + quote(f"category/{post.category}"))[2]
        assert post.title.encode() not in page, post.id  # listing and sidebar widgets
        assert fetch(f"{changed}{post.id}")[0] == 404
        assert post.title.encode() not in fetch(changed + "rss")[2]
        assert f"{changed}{post.id}" not in lastmods(changed)
    assert fetch(f"{changed}{KEPT.id}")[0] == 200
    assert KEPT.title.encode() in fetch(changed)[2]  # now the newest post on the home page


def test_edit_appends_a_note_and_moves_lastmod(
    base_url: str, changed_blog: tuple[str, Path]
) -> None:
    changed, _ = changed_blog
    assert EDIT_NOTE.encode() not in fetch(f"{base_url}{SEED.id}")[2]
    sel = Selector(text=fetch(f"{changed}{SEED.id}")[2].decode())
    body = sel.css("div.area_view p::text").getall()
    assert body[: len(SEED.body)] == list(SEED.body) and body[-1] == EDIT_NOTE
    modified = sel.css('meta[property="article:modified_time"]::attr(content)').get("")
    assert datetime.fromisoformat(modified) == SEED.published + EDIT_DELAY
    before, after = lastmods(base_url), lastmods(changed)
    assert before[f"{base_url}{SEED.id}"] == SEED.published
    assert after[f"{changed}{SEED.id}"] == SEED.published + EDIT_DELAY
    assert after[f"{changed}{KEPT.id}"] == KEPT.published  # others untouched


def test_request_log_has_a_line_per_request(changed_blog: tuple[str, Path]) -> None:
    changed, log = changed_blog
    start = log.stat().st_size  # other tests share this server
    encoded = quote(f"/category/{SEED_CATEGORY}") + "?page=2"
    fetch(changed + encoded[1:])
    urllib.request.urlopen(
        urllib.request.Request(f"{changed}{SEED.id}", method="HEAD"), timeout=10
    ).close()
    raw_get(changed, "/tag/공지")
    fetch(changed + "nope")
    expected = f"GET {encoded}\nHEAD /{SEED.id}\nGET /tag/공지\nGET /nope\n".encode()
    deadline = time.monotonic() + LOG_TIMEOUT
    while (got := log.read_bytes()[start:]) != expected and time.monotonic() < deadline:
        time.sleep(0.01)  # poll: the server may still be writing
    assert got == expected


# --- the same changes as pure functions ------------------------------------------------


def test_defaults_serve_the_bundled_posts_unchanged() -> None:
    assert blog_posts() == list(POSTS)


def test_changes_work_with_generated_posts() -> None:
    posts = blog_posts(count=30, body_chars=400, hide_newest=3, edit=[5, 29])
    assert [p.id for p in posts] == list(range(1, 28))
    fifth = posts[4]
    assert fifth.body[-1] == EDIT_NOTE and fifth.modified == fifth.published + EDIT_DELAY
    pages = render_site("http://127.0.0.1:1/", "magazine", posts)
    assert "/27" in pages and "/28" not in pages
    assert EDIT_NOTE in pages["/5"].decode()


def test_edit_is_later_than_an_earlier_modification() -> None:
    already = next(p for p in POSTS if p.modified)
    again = edited(POSTS, [already.id])[already.id - 1]
    assert already.modified is not None and again.modified == already.modified + EDIT_DELAY
    assert again.body == (*already.body, EDIT_NOTE)
    assert POSTS[already.id - 1] is already  # the input is not touched
    with pytest.raises(ValueError, match="999"):
        edited(POSTS, [999])


def test_before_newest_orders_by_published_time() -> None:
    shuffled = sorted(POSTS, key=lambda p: p.title)
    kept = before_newest(shuffled, 2)
    assert [p.id for p in kept] == [p.id for p in shuffled if p not in HIDDEN]
    assert before_newest(POSTS, 0) == list(POSTS)
    with pytest.raises(ValueError):
        before_newest(POSTS, -1)


@pytest.mark.parametrize("skin", sorted(SKINS))
def test_edited_post_shows_modified_time_in_meta(skin: str) -> None:
    newest = max(POSTS, key=lambda p: p.published)  # full platform meta in every skin
    pages = render_site("http://127.0.0.1:1/", skin, edited(POSTS, [newest.id]))
    sel = Selector(text=pages[f"/{newest.id}"].decode())
    modified = sel.css('meta[property="article:modified_time"]::attr(content)').get("")
    assert datetime.fromisoformat(modified) == newest.published + EDIT_DELAY
