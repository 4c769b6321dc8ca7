"""End to end: `scrapy crawl blogger` subprocesses against the Blogger sample blog.

The blog (`newscrawl.sampleblog.blogger`) lists posts in full, pages its label listings by
`updated-max` cursor and puts posts of every label in its sidebar (Popular Posts, Featured
Post, Blog Archive). Expected posts come from the blog's own data, not from the crawler.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from export_checks import assert_valid_export

from newscrawl.sampleblog.blogger import posts_labelled
from newscrawl.sampleblog.blogger.server import BloggerServer, serve_blogger
from newscrawl.testing import run_crawl


@pytest.fixture(scope="module")
def blog() -> Iterator[BloggerServer]:
    with serve_blogger() as server:
        yield server


def crawl(url: str, out: Path) -> list[dict]:
    """One crawl into `out` (state kept there across calls); the lines of its export."""
    before = set((out / "blogger").glob("*.jsonl"))
    result = run_crawl(
        "blogger",
        {"url": url},
        settings={"NEWSCRAWL_EXPORT_DIR": str(out), "NEWSCRAWL_STATE_DIR": str(out / "state")},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    (export,) = set((out / "blogger").glob("*.jsonl")) - before
    lines = [json.loads(line) for line in export.read_text("utf-8").splitlines()]
    assert_valid_export(lines)
    return lines


def test_label_walk_exports_the_label_once_then_nothing(
    blog: BloggerServer, tmp_path: Path
) -> None:
    label_url = f"{blog.url}search/label/Garden"
    items = crawl(label_url, tmp_path)
    expected = {blog.url + post.path[1:]: post for post in posts_labelled("Garden")}
    counts = Counter(item["url"] for item in items)
    assert set(counts) == set(expected), "missing posts, or posts of other labels"
    assert max(counts.values()) == 1
    for item in items:
        post = expected[item["url"]]
        assert item["platform"] == "blogger" and item["category"] == ["Garden"]
        assert item["title"] == post.title and "Garden" in item["tags"]
        assert item["published_at"] == post.published.isoformat()
        assert item["id"].startswith("blogger:") and item["id"].endswith(post.post_id)
    cursor_pages = [r for r in blog.requests if "/search/label/Garden?updated-max=" in r]
    assert len(cursor_pages) == 2, "the walk follows the older-posts cursor to the end"

    blog.requests.clear()
    assert crawl(label_url, tmp_path) == [], "the second run exports nothing"
    listing_pages = [r for r in blog.requests if r.startswith("/search/label/Garden")]
    posts_fetched = [r for r in blog.requests if r.endswith(".html")]
    assert (len(listing_pages), posts_fetched) == (1, [])


def test_label_with_a_space_percent_encoded(blog: BloggerServer, tmp_path: Path) -> None:
    items = crawl(f"{blog.url}search/label/{quote('Bread Baking')}?max-results=1", tmp_path)
    expected = {blog.url + post.path[1:] for post in posts_labelled("Bread Baking")}
    assert sorted(item["url"] for item in items) == sorted(expected)
    assert {tuple(item["category"]) for item in items} == {("Bread Baking",)}
