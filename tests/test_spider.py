"""The spider's own decisions, without a crawl: start URLs and category membership."""

from __future__ import annotations

import pytest

from newscrawl.errors import BadArgument
from newscrawl.platforms.base import StartTarget
from newscrawl.platforms.tistory import PLATFORM
from newscrawl.spiders.arguments import parse_start_urls
from newscrawl.spiders.walk import in_category

SEED = "https://b.tistory.com/category/%EA%B2%8C%EC%8B%9C%ED%8C%90/%EB%8D%94%20%EB%82%98%EC%9D%80"


@pytest.mark.parametrize(
    "url",
    [
        "https://b.tistory.com/category/게시판/더 나은",
        "https://b.tistory.com/category/게시판/더%20나은",
        SEED,
        "https://b.tistory.com/m/category/게시판/더%20나은/",
    ],
)
def test_category_spellings_are_one_listing(url: str) -> None:
    assert parse_start_urls(url, PLATFORM) == [StartTarget("listing", SEED)]


def test_blog_root_walks_the_all_posts_listing() -> None:
    assert parse_start_urls("https://blog.example.kr/", PLATFORM) == [
        StartTarget("listing", "https://blog.example.kr/category")
    ]


def test_post_urls_are_comma_separated_and_canonical() -> None:
    targets = parse_start_urls(
        "https://b.tistory.com/m/81?category=3, https://b.tistory.com/entry/x", PLATFORM
    )
    assert targets == [
        StartTarget("post", "https://b.tistory.com/81"),
        StartTarget("post", "https://b.tistory.com/entry/x"),
    ]


@pytest.mark.parametrize("value", [None, "", " , "])
def test_missing_url_is_refused(value: str | None) -> None:
    with pytest.raises(BadArgument):
        parse_start_urls(value, PLATFORM)


@pytest.mark.parametrize(
    ("article", "listing", "inside"),
    [
        (["게시판", "더 나은 미래를 위해"], ["게시판"], True),  # subcategory of the listing
        (["게시판", "더 나은 미래를 위해"], ["게시판", "더 나은 미래를 위해"], True),
        (["더 나은 미래를 위해"], ["게시판", "더 나은 미래를 위해"], True),  # leaf-only skin
        (["독서", "에세이"], ["독서", "시집"], False),  # sibling subcategory
        (["여행"], ["개발", "파이썬"], False),
        (["IT"], ["it"], True),  # case does not matter
    ],
)
def test_category_membership(article: list[str], listing: list[str], inside: bool) -> None:
    assert in_category(article, listing) is inside
