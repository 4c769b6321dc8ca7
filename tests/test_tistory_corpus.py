"""Invariants of the Tistory article parser on the real pages of the shared corpus.

The corpus (`../shared/corpus/` beside the project) holds third-party pages: they are read in
place, never copied, and checked by "contains / does not contain" invariants rather than full
expected output. The whole module is skipped when the corpus is absent.

Fragments (saved article bodies) carry no `<head>`: their title comes from the share button's
`data-title`, and most give no publish date, so the date is not required of them. Every
corpus page, fragments included, has some title markup.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import parsel
import pytest
from golden import CORPUS, detection_test

from newscrawl.items import ArticleItem
from newscrawl.platforms.tistory import PLATFORM
from newscrawl.platforms.tistory.article import parse_article

if not (CORPUS / "MANIFEST.tsv").exists():
    pytest.skip(f"shared corpus not found at {CORPUS}", allow_module_level=True)

# What must never reach the article text: ad slots, the related block, reaction/licence widgets.
NOT_ARTICLE = (
    "카테고리의 다른 글",
    "adsbygoogle",
    "728x90",
    "kakao_ad_area",
    "저작자표시",
    "게시글 관리",
)
FALLBACK_URL = "https://corpus.tistory.com/"


def _manifest() -> list[dict[str, str]]:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        return [
            row for row in csv.DictReader(handle, delimiter="\t") if row["platform"] == "tistory"
        ]


def _pages(kinds: set[str]) -> list[str]:
    """Corpus file names of the given manifest kinds (`listing (fragment)` counts as listing)."""
    rows = _manifest()
    return sorted(Path(row["file"]).name for row in rows if row["kind"].split()[0] in kinds)


ARTICLES = [
    name
    for name in _pages({"article", "fragment"})
    if "-home" not in name and "-listing" not in name
]
LISTINGS = _pages({"home", "listing"})


def page_url(html: str) -> str:
    """The URL the page was fetched from, as far as the page itself tells."""
    for pattern in (
        r'<link rel="canonical" href="([^"]+)"',
        r'data-pc-url="([^"]+)"',
        r"saved from url=\(\d+\)(\S+)",
    ):
        if match := re.search(pattern, html):
            return match.group(1)
    return FALLBACK_URL


@cache
def html_of(name: str) -> str:
    return (CORPUS / "tistory" / name).read_text("utf-8", errors="replace")


@cache
def parsed(name: str) -> ArticleItem:
    html = html_of(name)
    item = parse_article(html, page_url(html))
    assert item is not None, f"{name}: not recognised as an article"
    return item


def test_corpus_has_tistory_articles() -> None:
    assert len(ARTICLES) >= 10 and LISTINGS


test_detected_on_tistory_pages_only = detection_test(PLATFORM)


@pytest.mark.parametrize("name", ARTICLES)
def test_title_and_body(name: str) -> None:
    item = parsed(name)
    assert item.title and item.title.strip() == item.title
    assert item.body_text.strip()
    for marker in NOT_ARTICLE:
        assert marker not in item.body_text, f"{marker!r} in body_text"
    for marker in ("<script", "another_category", "revenue_unit_wrap", "container_postbtn"):
        assert marker not in item.body_html, f"{marker!r} in body_html"
    assert item.content_hash.startswith("sha256:")


@pytest.mark.parametrize("name", ARTICLES)
def test_identity_and_images(name: str) -> None:
    item = parsed(name)
    assert item.platform == "tistory" and item.site and item.url.startswith("http")
    assert item.id.startswith("tistory:") or item.id == item.url
    assert len(item.images) == len(set(item.images))
    assert all(urlsplit(url).scheme in ("http", "https") for url in item.images)


@pytest.mark.parametrize("name", ARTICLES)
def test_dates_are_the_posts(name: str) -> None:
    html, item = html_of(name), parsed(name)
    regdate = re.search(r'og:regDate" content="(\d+)"', html)
    if regdate:
        assert item.published_raw != regdate.group(1), "og:regDate must never be used"
    if 'property="article:published_time"' in html:
        assert item.published_raw, "page has article:published_time"


@pytest.mark.parametrize("name", ARTICLES)
def test_related_block(name: str) -> None:
    item = parsed(name)
    if not parsel.Selector(text=html_of(name)).css("div.another_category"):
        assert item.related == []
        return
    assert item.related, "page has a related block"
    assert item.category, "the related heading names the category"
    for row in item.related:
        assert row.title
        parts = urlsplit(row.url)
        assert parts.scheme in ("http", "https") and parts.netloc, row.url
        assert isinstance(row.comment_count, int)
        assert row.published_at and re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.published_at)
        assert row.url != item.url, "the current post is not its own related post"


@pytest.mark.parametrize("name", LISTINGS)
def test_listing_pages_are_not_articles(name: str) -> None:
    html = html_of(name)
    assert parse_article(html, page_url(html)) is None
