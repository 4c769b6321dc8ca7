"""WordPress URL shapes, the REST API adapter, and REST items equal to HTML items.

The REST-versus-HTML comparison runs in process over every post of the sample blog
(`newscrawl.sampleblog.wordpress`): its post page and its REST object are parsed and must
give the same item, field for field. The end-to-end crawl (`test_wordpress_e2e.py`) checks it again
through the spider.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from newscrawl.platforms.base import StartTarget, by_name
from newscrawl.platforms.wordpress import PLATFORM
from newscrawl.platforms.wordpress.rest import item_from_post, read_probe
from newscrawl.platforms.wordpress.urls import ALL_POSTS
from newscrawl.sampleblog.wordpress import api, content, pages

BASE = "http://blog.test/"


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("https://x.test", StartTarget("listing", "https://x.test/")),
        ("https://x.test/page/3/", StartTarget("listing", "https://x.test/")),
        ("https://X.test/category/news", StartTarget("listing", "https://x.test/category/news/")),
        (
            "https://x.test/blog/category/a/b/page/2/?orderby=date",
            StartTarget("listing", "https://x.test/blog/category/a/b/"),
        ),
        ("https://x.test/2019/04/08/slug", StartTarget("post", "https://x.test/2019/04/08/slug/")),
        ("https://x.test/?p=12&utm_source=x#c", StartTarget("post", "https://x.test/?p=12")),
        ("https://x.test/archives/123", StartTarget("post", "https://x.test/archives/123/")),
        ("https://x.test/slug/amp/", StartTarget("post", "https://x.test/slug/")),
        (
            "https://x.test/2019/04/post.html",
            StartTarget("post", "https://x.test/2019/04/post.html"),
        ),
        ("https://x.test/tag/rain/", None),
        ("https://x.test/author/mina/", None),
        ("https://x.test/2019/04/", None),
        ("https://x.test/feed/", None),
        ("https://x.test/wp-json/wp/v2/posts", None),
        ("https://x.test/?s=ferry", None),
    ],
)
def test_classify(url: str, target: StartTarget | None) -> None:
    assert PLATFORM.classify(url) == target


def test_canonical_post_url_folds_variants() -> None:
    variants = [
        "https://x.test/2021/01/09/%ec%84%9c%ec%9a%b8/",
        "https://x.test/2021/01/09/%EC%84%9C%EC%9A%B8",
        "https://x.test/2021/01/09/서울/?share=twitter#comments",
    ]
    assert len({PLATFORM.canonical_post_url(url) for url in variants}) == 1
    assert PLATFORM.canonical_post_url("https://x.test/?p=5&replytocom=3") == "https://x.test/?p=5"


def test_platform_is_discovered() -> None:
    assert by_name("wordpress") is PLATFORM and PLATFORM.label == "WordPress"


def test_listing_and_api_urls() -> None:
    walk = "https://x.test/blog/category/news/"
    assert PLATFORM.listing_url(walk, 3) == "https://x.test/blog/category/news/page/3/"
    assert PLATFORM.probe_url(walk) == (
        "https://x.test/blog/wp-json/wp/v2/categories?per_page=100&_fields=id,slug,parent"
    )
    assert PLATFORM.listing_url(walk, 2, "2,3") == (
        "https://x.test/blog/wp-json/wp/v2/posts?categories=2,3&page=2&per_page=50&_embed=1"
    )
    assert "categories" not in PLATFORM.listing_url("https://x.test/", 1, ALL_POSTS)


def test_probe_finds_the_category_and_its_subcategories() -> None:
    categories = api.categories(BASE)[2].decode()
    assert read_probe(categories, f"{BASE}category/news/") == "2,3"
    assert read_probe(categories, f"{BASE}category/news/korea/") == "3"
    assert read_probe(categories, BASE) == ALL_POSTS
    assert read_probe(categories, f"{BASE}category/gone/") is None
    assert read_probe("<html>blocked</html>", f"{BASE}category/news/") is None
    assert read_probe('{"code": "rest_forbidden"}', f"{BASE}category/news/") is None
    korean = json.dumps([{"id": 7, "slug": "%ec%84%9c%ec%9a%b8", "parent": 0}])
    assert read_probe(korean, f"{BASE}category/서울/") == "7"  # slug encodings differ in case


def test_rest_page_paging() -> None:
    url = f"{BASE}wp-json/wp/v2/posts?categories=2,3&page=1&per_page=50&_embed=1"
    full = PLATFORM.parse_listing(api.posts(BASE, url.split("?")[1])[2].decode(), url)
    assert len(full.post_urls) == 50 and set(full.items) == set(full.post_urls)
    assert full.next_url == url.replace("page=1", "page=2")
    short_url = url.replace("categories=2,3", "categories=4")
    short = PLATFORM.parse_listing(api.posts(BASE, short_url.split("?")[1])[2].decode(), short_url)
    assert len(short.post_urls) == 12 and short.next_url is None
    assert api.posts(BASE, url.split("?")[1].replace("page=1", "page=3"))[0] == 400


@pytest.mark.parametrize("post", content.POSTS, ids=lambda post: str(post.id))
def test_rest_item_equals_html_item(post: content.Post) -> None:
    html_item = PLATFORM.parse_article(pages.post_page(BASE, post), pages.post_link(BASE, post))
    rest_item = item_from_post(json.loads(json.dumps(api.post_json(BASE, post))))
    assert html_item is not None and rest_item is not None
    assert dataclasses.asdict(rest_item) == dataclasses.asdict(html_item)


def test_rest_item_fields() -> None:
    both = next(post for post in content.POSTS if post.categories == (3, 2))
    item = item_from_post(api.post_json(BASE, both))
    assert item is not None
    assert item.category == ["News", "Korea"]  # parent named because the post is filed there
    assert item.id == f"wordpress:blog.test:{both.id}" and item.post_id == str(both.id)
    assert item.published_raw and item.published_raw.endswith("+00:00")
    assert "&amp;" not in " ".join(item.tags) and "Share this" not in item.body_text


def test_rest_comment_count_only_when_exact() -> None:
    post = api.post_json(BASE, content.POSTS[5])
    post["_embedded"]["replies"] = [[{"id": n} for n in range(10)]]  # a full page: ≥ 10
    item = item_from_post(post)
    assert item is not None and item.comment_count is None
