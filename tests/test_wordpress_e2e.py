"""End to end: `scrapy crawl wordpress` against the WordPress-shaped sample blog.

The expected posts come from the sample blog's own data
(`newscrawl.sampleblog.wordpress.content`), so a post the walk misses, repeats, or leaks from
a sidebar widget or another category fails. The same category is crawled through the REST API
and, with the API forbidden (403), through the HTML pages: both exports must hold the same
items field for field.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from export_checks import assert_valid_export

from newscrawl.sampleblog.wordpress.content import POSTS, in_categories, with_descendants
from newscrawl.sampleblog.wordpress.server import WordPressBlog, serve
from newscrawl.testing import run_crawl

# The crawls here keep near-duplicate marking on (tests/conftest.py): its interplay with
# the rest of the crawl is tested end to end.
pytestmark = pytest.mark.near_duplicates

NEWS = 2


def expected_ids(category_id: int) -> set[str]:
    ids = with_descendants(category_id)
    return {str(post.id) for post in POSTS if in_categories(post, ids)}


def crawl(url: str, tmp: Path) -> list[dict]:
    """Run one crawl, check it exited 0, and return its exported lines, the blog's
    `127.0.0.1:<port>` written as `blog.test` (two blogs differ only by port)."""
    result = run_crawl(
        "wordpress",
        {"url": url},
        settings={"NEWSCRAWL_EXPORT_DIR": str(tmp), "NEWSCRAWL_STATE_DIR": str(tmp / "state")},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    files = list((tmp / "wordpress").glob("*.jsonl"))
    assert len(files) == 1, files
    lines = [json.loads(line) for line in files[0].read_text("utf-8").splitlines()]
    assert_valid_export(lines)
    host = urlsplit(url).netloc
    return [json.loads(json.dumps(line).replace(host, "blog.test")) for line in lines]


@pytest.fixture(scope="module")
def rest_walk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[WordPressBlog, list]]:
    with serve("on") as blog:
        items = crawl(f"{blog.url}category/news/", tmp_path_factory.mktemp("rest"))
        yield blog, items


@pytest.fixture(scope="module")
def html_walk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[WordPressBlog, list]]:
    with serve("403") as blog:
        items = crawl(f"{blog.url}category/news/", tmp_path_factory.mktemp("html"))
        yield blog, items


def test_rest_walk_exports_every_post_of_the_category_once(rest_walk: tuple) -> None:
    blog, items = rest_walk
    counts = Counter(item["post_id"] for item in items)
    assert set(counts) == expected_ids(NEWS), "missing or foreign posts"
    assert max(counts.values()) == 1, "a post was exported twice"
    assert all(item["platform"] == "wordpress" and item["extraction"] == "parser" for item in items)
    # No post page is fetched: besides the API, only robots.txt and the category's feed (read
    # after the walk for posts a listing missed; the sample blog has none).
    others = {target for target in blog.requests if "/wp-json/" not in target}
    assert others <= {"/robots.txt", "/category/news/feed/"}
    assert any(target.startswith("/wp-json/wp/v2/posts?") for target in blog.requests)


def test_html_fallback_exports_the_same_items(rest_walk: tuple, html_walk: tuple) -> None:
    """Same posts, same fields (fetch time aside), whether read from the API or the pages."""
    by_id = {item["id"]: item for item in rest_walk[1]}
    html_items = html_walk[1]
    assert len(html_items) == len(by_id)
    for item in html_items:
        rest_item = by_id[item["id"]]
        for field in item:
            if field != "crawled_at":
                assert item[field] == rest_item[field], f"{item['id']}.{field}"


def test_rest_walk_makes_far_fewer_requests(rest_walk: tuple, html_walk: tuple) -> None:
    rest_requests, html_requests = len(rest_walk[0].requests), len(html_walk[0].requests)
    # REST: robots.txt, the probe, three post pages (the third answers 400), the feed.
    assert rest_requests <= 6
    # HTML: robots.txt, the forbidden probe, ten listing pages and a hundred posts.
    assert html_requests >= 110
    assert "/wp-json/wp/v2/posts" not in " ".join(html_walk[0].requests)
