"""Fault suite, content level: bombs, huge pages, noise, encodings, broken markup, fake posts.

As in tests/test_faults_http.py: one misbehaving post of the `여행` category per crawl, and
each test checks that the run ended, that the fault is counted in the manifest, that the
healthy posts are exported, and the exit status. Size faults also check the crawl's peak
memory (the crawl process's `VmHWM`, polled): a limit enforced after the whole
body is in memory would not protect anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fault_runs import TRAVEL, Archive, category_url, crawl_faulty, healthy

from newscrawl.faultserver import Body, FaultBlog, Stream, fault_blog
from newscrawl.faultserver import pages as hostile
from newscrawl.sampleblog import POSTS, Post

POST = 25  # 강릉 커피거리 탐방: Korean title, body and tags
PATH = f"/{POST}"
MIB = 1024 * 1024
# A crawl of the sample blog peaks near 100 MiB; holding a 64 MiB bomb or a 50 MiB page (and
# the copies made while decoding it) would take it past this. DOWNLOAD_MAXSIZE is 16 MiB.
MEMORY_BOUND_MIB = 170
# The near-duplicate pipeline loads SciPy (about 50 MiB) with the first long body: it would
# eat the margin that tells a refused bomb from a held one, so these runs go without it.
WITHOUT_SCIPY = {"NEWSCRAWL_NEAR_DUPLICATES": "False"}


@pytest.fixture
def blog() -> Iterator[FaultBlog]:
    with fault_blog() as served:
        yield served


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    return Archive(tmp_path)


def post(post_id: int = POST) -> Post:
    [found] = [item for item in POSTS if item.id == post_id]
    return found


SIZE_FAULTS = {
    "gzip-bomb": (
        lambda: Body(body=hostile.gzip_bomb(64 * MIB), headers=(("Content-Encoding", "gzip"),)),
        "decompressed",
    ),
    "50MB-with-length": (lambda: Stream(size=50 * MIB), "download"),
    "50MB-without-length": (lambda: Stream(size=50 * MIB, announce_length=False), "download"),
}


@pytest.mark.parametrize("name", SIZE_FAULTS)
def test_oversized_page_is_refused_within_bounded_memory(
    blog: FaultBlog, archive: Archive, name: str
) -> None:
    make, where = SIZE_FAULTS[name]
    blog.faults[PATH] = make()
    run = crawl_faulty(archive, category_url(blog), WITHOUT_SCIPY)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.exported == healthy(TRAVEL, POST)
    assert run.errors["too_large"] == 1 and run.errors["article_failed"] == 1
    assert f"'size/refused/{where}': 1" in run.stderr
    assert run.max_rss_mb < MEMORY_BOUND_MIB, run.max_rss_mb


def test_binary_noise_served_as_html_is_not_an_article(blog: FaultBlog, archive: Archive) -> None:
    blog.faults[PATH] = Body(body=hostile.noise(64 * 1024))
    run = crawl_faulty(archive, category_url(blog))
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.exported == healthy(TRAVEL, POST)
    assert run.counts["not_articles"] == 1
    assert "Traceback" not in run.stderr


KOREAN_ENCODINGS = {
    "euc-kr-in-header-only": (False, "text/html; charset=euc-kr"),
    "euc-kr-in-meta-only": (True, "text/html"),
    "euc-kr-undeclared": (False, "text/html"),
}


@pytest.mark.parametrize("name", KOREAN_ENCODINGS)
def test_euc_kr_page_is_decoded_right(blog: FaultBlog, archive: Archive, name: str) -> None:
    declare, content_type = KOREAN_ENCODINGS[name]
    euc_kr = hostile.in_korean_encoding(blog.pages[PATH], declare=declare)
    blog.faults[PATH] = Body(body=euc_kr, content_type=content_type)
    run = crawl_faulty(archive, category_url(blog))
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.exported == healthy(TRAVEL)
    line = run.line(POST)
    assert line["title"] == post().title
    assert line["tags"] == list(post().tags)
    assert all(paragraph in line["body_text"] for paragraph in post().body)


@pytest.mark.parametrize("name", ["unclosed-and-cut-off", "nested-garbage"])
def test_broken_markup_still_gives_the_post(blog: FaultBlog, archive: Archive, name: str) -> None:
    damage = hostile.unclosed if name == "unclosed-and-cut-off" else hostile.nested_garbage
    blog.faults[PATH] = Body(body=damage(blog.pages[PATH]))
    run = crawl_faulty(archive, category_url(blog))
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.exported == healthy(TRAVEL)
    line = run.line(POST)
    assert line["title"] == post().title
    assert line["published_at"] == post().published.isoformat()
    assert all(paragraph in line["body_text"] for paragraph in post().body)


def test_password_protected_post_is_skipped_not_archived_as_its_prompt(
    blog: FaultBlog, archive: Archive
) -> None:
    blog.faults[PATH] = Body(body=hostile.protected(blog.pages[PATH], post()))
    run = crawl_faulty(archive, category_url(blog))
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.exported == healthy(TRAVEL, POST)
    assert run.counts["protected"] == 1
    assert "보호되어 있는 글" not in "".join(line["body_text"] for line in run.lines)
    assert f"Password-protected post skipped: {blog.url}{POST}" in run.stderr


@pytest.mark.parametrize("name", ["deleted-404-page-with-200", "tag-listing-at-a-post-url"])
def test_page_that_is_not_an_article_is_counted_and_skipped(
    blog: FaultBlog, archive: Archive, name: str
) -> None:
    page = blog.pages["404"] if name.startswith("deleted") else blog.pages["/tag/강릉"]
    blog.faults[PATH] = Body(body=page)
    run = crawl_faulty(archive, category_url(blog))
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.exported == healthy(TRAVEL, POST)
    assert run.counts["not_articles"] == 1


def test_listing_with_thousands_of_links_fetches_only_its_own_posts(
    blog: FaultBlog, archive: Archive
) -> None:
    others = [f"/{item.id}" for item in POSTS if item.category != TRAVEL]
    links = [*(others * 100), *(f"/tag/t{n}" for n in range(2000)), "javascript:void(0)"]
    listing = f"/category/{TRAVEL}"
    blog.faults[f"{listing}?page=1"] = Body(body=hostile.crowded(blog.pages[listing], links))
    run = crawl_faulty(archive, category_url(blog))
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.exported == healthy(TRAVEL)
    fetched_posts = {hit.path for hit in blog.hits if hit.path[1:].isdigit()}
    assert fetched_posts == {f"/{post_id}" for post_id in healthy(TRAVEL)}
