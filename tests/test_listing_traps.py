"""Pagination traps and failures: the listing walk ends by itself and says what it missed.

The fault server (`newscrawl.faultserver`) serves the sample blog, except that listing pages
past the real end answer with either page 1 again ("repeat") or a page of never-seen post
links ("fresh"), or that page 2 fails with 503 ("broken").
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from newscrawl.faultserver import FaultBlog, Generated, Page, Status, fault_blog
from newscrawl.sampleblog import POSTS, SEED_CATEGORY
from newscrawl.testing import run_crawl

CAP = 6
LISTING = f"/category/{SEED_CATEGORY}"


def _fresh_listing(first_page: bytes, page: int) -> bytes:
    """Page 1 with every post link renumbered, so each page looks new (posts do not exist)."""
    html = first_page.decode("utf-8")
    for post in sorted(POSTS, key=lambda p: -p.id):
        html = html.replace(f'/{post.id}"', f'/{100000 * page + post.id}"')
    return html.encode("utf-8")


def _trap(mode: str, first_page: bytes) -> Generated:
    """Pages 1 and 2 as they are; every page after them repeats page 1 or looks fresh."""

    def make(target: str, real: Page) -> bytes:
        page = int(parse_qs(urlsplit(target).query).get("page", ["1"])[0])
        if page <= 2:
            return real.body
        return first_page if mode == "repeat" else _fresh_listing(first_page, page)

    return Generated(make=make)


def _category_posts() -> list[str]:
    """Post ids of the seed category, newest first, as its listing pages show them."""
    posts = [
        post
        for post in POSTS
        if post.category == SEED_CATEGORY or post.category.startswith(SEED_CATEGORY + "/")
    ]
    return [str(post.id) for post in sorted(posts, key=lambda p: p.published, reverse=True)]


@pytest.fixture(params=["repeat", "fresh", "broken"])
def trap(request: pytest.FixtureRequest) -> Iterator[tuple[str, FaultBlog]]:
    with fault_blog() as blog:
        if request.param == "broken":
            blog.faults[f"{LISTING}?page=2"] = Status(code=503)
        else:
            blog.faults[LISTING] = _trap(request.param, blog.pages[LISTING])
        yield request.param, blog


@pytest.mark.parametrize("lookahead", [0, 3], ids=["page-by-page", "lookahead"])
def test_pagination_trap_ends_and_keeps_real_posts(
    trap: tuple[str, FaultBlog], tmp_path: Path, lookahead: int
) -> None:
    mode, blog = trap
    result = run_crawl(
        "tistory",
        {"url": f"{blog.url}category/{SEED_CATEGORY}"},
        settings={
            "NEWSCRAWL_EXPORT_DIR": str(tmp_path),
            "NEWSCRAWL_STATE_DIR": str(tmp_path / "state"),
            "NEWSCRAWL_MAX_LISTING_PAGES": str(CAP),
            "NEWSCRAWL_LISTING_LOOKAHEAD": str(lookahead),
            "RETRY_TIMES": "0",
        },
        timeout=120,
    )
    listing_requests = [hit for hit in blog.hits if "page=" in hit.target]
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
        # Pages 1, 2, then 3 repeats page 1: stop. With look-ahead, pages after 3 may already
        # be on their way (how many depends on the order answers arrive in); they are ignored.
        assert 3 <= len(listing_requests) <= 3 + lookahead
        assert "ends at page 3: no_new_posts" in result.stderr
        assert "'listing/stop/no_new_posts': 1" in result.stderr
    else:
        assert len(listing_requests) == CAP  # never past the cap, look-ahead or not
        assert "'listing/stop/page_cap': 1" in result.stderr
    assert exported == set(_category_posts())
