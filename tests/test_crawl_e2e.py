"""End to end: real `scrapy crawl` subprocesses against the sample blog on 127.0.0.1.

The expected posts come from the sample blog's own data (`newscrawl.sampleblog.POSTS`), not
from the crawler, so a post the crawler misses or a widget post it leaks fails the test.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from export_checks import assert_valid_export
from seed_rows import SEED_ROWS

from newscrawl.sampleblog import POSTS, SEED_CATEGORY, SEED_TITLE, Post
from newscrawl.testing import run_crawl, sample_blog

SKINS = ["dkwrap", "hentry", "magazine"]


def posts_in(category: str) -> dict[str, Post]:
    """The sample blog's posts of `category` and its subcategories, by post id."""
    return {
        str(post.id): post
        for post in POSTS
        if post.category == category or post.category.startswith(category + "/")
    }


def shown_instants(post: Post) -> set[str]:
    """ISO forms a page may show for the post's date: exact (meta) or to the minute (skin)."""
    exact = post.published.isoformat(timespec="seconds")
    to_minute = post.published.replace(second=0).isoformat(timespec="seconds")
    return {exact, to_minute}


def crawl(url: str, export_dir: Path, extra: tuple[str, ...] = ()) -> list[dict]:
    """Run one crawl, check it exited 0, and return the lines of its one export file."""
    result = run_crawl(
        "tistory",
        {"url": url},
        settings={
            "NEWSCRAWL_EXPORT_DIR": str(export_dir),
            "NEWSCRAWL_STATE_DIR": str(export_dir / "state"),
        },
        extra=extra,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    files = list((export_dir / "tistory").glob("*.jsonl"))
    assert len(files) == 1, files
    assert not list((export_dir / "tistory").glob("*.part"))
    raw = files[0].read_text(encoding="utf-8")
    assert "\\u" not in raw, "Korean must stay readable in the export"
    lines = [json.loads(line) for line in raw.splitlines()]
    assert_valid_export(lines)
    return lines


@pytest.fixture(scope="module", params=SKINS)
def blog(request: pytest.FixtureRequest) -> Iterator[str]:
    with sample_blog(skin=request.param) as base_url:
        yield base_url.rstrip("/")


def test_seed_category_every_post_once_and_nothing_else(blog: str, tmp_path: Path) -> None:
    items = crawl(f"{blog}/category/{SEED_CATEGORY}", tmp_path)
    expected = posts_in(SEED_CATEGORY)
    counts = Counter(item["post_id"] for item in items)
    assert set(counts) == set(expected), "missing or foreign posts"
    assert max(counts.values()) == 1, "a post was exported twice"
    for item in items:
        post = expected[item["post_id"]]
        assert item["title"] == post.title
        assert item["category"] == SEED_CATEGORY.split("/")
        assert item["published_at"] in shown_instants(post), item["published_raw"]
        assert item["platform"] == "tistory"
        assert item["site"] == blog.split("://", 1)[1]
        assert item["url"].startswith(blog)
        assert item["body_text"].strip() and item["body_html"].strip()
        assert item["content_hash"].startswith("sha256:")
        assert item["crawled_at"].endswith("+00:00")
        assert "revenue_unit_wrap" not in item["body_html"]
        assert "adsbygoogle" not in item["body_html"]
        assert "another_category" not in item["body_html"]


def test_seed_post_has_the_five_related_rows(blog: str, tmp_path: Path) -> None:
    items = crawl(f"{blog}/category/{SEED_CATEGORY}", tmp_path)
    (seed,) = [item for item in items if item["title"] == SEED_TITLE]
    assert seed["published_at"] == "2019-04-08T10:27:00+09:00"
    rows = [(row["title"], row["comment_count"], row["published_at"]) for row in seed["related"]]
    assert rows == SEED_ROWS
    assert all(row["url"].startswith(blog + "/") for row in seed["related"])


def test_parent_category_includes_subcategories_encoded_url(blog: str, tmp_path: Path) -> None:
    items = crawl(f"{blog}/category/{quote('게시판')}", tmp_path)
    assert {item["post_id"] for item in items} == set(posts_in("게시판"))


def test_blog_root_crawls_every_post(blog: str, tmp_path: Path) -> None:
    items = crawl(f"{blog}/", tmp_path)
    assert sorted(int(item["post_id"]) for item in items) == sorted(post.id for post in POSTS)


def test_walk_paused_by_a_short_backlog_still_crawls_every_post(blog: str, tmp_path: Path) -> None:
    # One download at a time and a backlog of one: the walk pauses on almost every page and
    # resumes as posts are fetched; the order changes, the posts must not.
    slow = ("-s", "CONCURRENT_REQUESTS=1", "-s", "NEWSCRAWL_MAX_BACKLOG=1")
    items = crawl(f"{blog}/", tmp_path, extra=slow)
    assert sorted(int(item["post_id"]) for item in items) == sorted(post.id for post in POSTS)
    manifest = json.loads(next((tmp_path / "tistory").glob("*.manifest.json")).read_text())
    assert manifest["counts"]["listing_walk_pauses"] > 0


def test_post_aliases_export_one_item_each(blog: str, tmp_path: Path) -> None:
    slugged = next(post for post in POSTS if post.slug)
    urls = [
        f"{blog}/21",
        f"{blog}/m/21",
        f"{blog}/21?category=310101",
        f"{blog}/entry/{quote(slugged.slug or '')}",
        f"{blog}/{slugged.id}",
    ]
    items = crawl(",".join(urls), tmp_path)
    assert sorted(item["post_id"] for item in items) == sorted({"21", str(slugged.id)})


def test_scrapy_feed_option_still_works(blog: str, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    items = crawl(f"{blog}/category/{SEED_CATEGORY}", tmp_path, extra=("-O", str(feed)))
    fed = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    assert sorted(item["id"] for item in fed) == sorted(item["id"] for item in items)
    assert "\\u" not in feed.read_text(encoding="utf-8")
