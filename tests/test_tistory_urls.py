"""Tistory URL helpers: the fast paths agree with the standard library they shortcut."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from newscrawl.platforms.tistory.urls import absolute_url, canonical_post_url

BASE = "http://blog.example:8080/category/%EA%B2%8C%EC%8B%9C%ED%8C%90?page=2"


@pytest.mark.parametrize(
    "href",
    [
        "https://other.example/12",
        "http://blog.example:8080/m/12?category=3#comment",
        "/12",
        "  /category/게시판?page=3 ",
        "/a/./b/../c",
        "//cdn.example/x.png",
        "../1",
        "?page=3",
        "#top",
        "entry/slug",
        "",
    ],
)
def test_absolute_url_is_urljoin(href: str) -> None:
    assert absolute_url(BASE, href) == urljoin(BASE, href.strip())


def test_canonical_post_url_drops_mobile_query_and_fragment() -> None:
    assert canonical_post_url("https://B.example/m/123?category=9#c") == "https://b.example/123"
    with pytest.raises(ValueError, match="not a Tistory post URL"):
        canonical_post_url("https://b.example/category/x")
