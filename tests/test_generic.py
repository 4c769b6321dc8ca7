"""The generic extractor: golden pages in the shapes of the corpus' Medium, Jekyll and Tumblr
pages, invariants on the real corpus pages no built-in parser reads, and how its dates reach
the export (a day alone is no instant)."""

from __future__ import annotations

import json

import pytest
from factories import article_item
from golden import CORPUS, Golden, empty_fields
from scrapy.utils.test import get_crawler

from newscrawl import generic
from newscrawl.pipelines import DateNormalisationPipeline
from newscrawl.spiders.blog import BlogSpider

GOLDEN = Golden("generic", generic.extract)
FIXTURES = GOLDEN.folder
CORPUS_FOLDERS = ("medium", "hugo", "jekyll", "other", "naver")
# Fields a fixture legitimately lacks; any other empty expected value fails (no silent rot).
ABSENT = {
    "medium-story": {"category", "tags", "post_id"},
    "jekyll-essay": {"author", "category", "images", "post_id"},
    "tumblr-post": {"author", "category", "tags", "post_id"},
}
MIN_CORPUS_BODY = 1500
# Real pages and what they show: (title start, publication day or None).
CORPUS_PAGES = {
    "medium/readability-medium-1.html": ("The Open Journalism Project", "2015-03-17"),
    "medium/readability-medium-2.html": ("On Behalf of", "2015-02-24"),
    "medium/readability-medium-3.html": ("Samantha and The Great Big Lie", "2015-10-15"),
    "medium/readability-lazy-image-1-medium.html": ("Node.js and CPU profiling", "2019-10-18"),
    "hugo/trafilatura-pluralsight-hugo.html": ("Managing Python Environments", "2020-01-10"),
    "jekyll/readability-ebb-org.html": ("On Recent Controversial Events", "2019-10-15"),
    "other/readability-gitlab-blog.html": ("3 surprising findings", "2024-06-25"),
    "other/readability-pixnet.html": ("新竹尖石_美樹營地賞楓", "2013-12-28"),
    "other/readability-topicseed-gatsby.html": ("Content Depth", "2018-06-13"),
    "other/readability-tumblr.html": ("Minecraft 1.8 - The Bountiful Update", "2014-09-02"),
    "other/readability-v8-blog.html": ("Outside the web", "2019-11-21"),
}
# A body fragment without `<head>` or title (SmartEditor output in front matter): no post.
NOT_A_PAGE = {"naver/id-49064010102-fragment.html"}


@pytest.mark.parametrize("name", GOLDEN.cases)
def test_golden_generic_page(name: str) -> None:
    GOLDEN.check_golden(name)
    empty = empty_fields(GOLDEN.expected(name))
    assert empty - {"modified_raw", "comment_count", "related"} == ABSENT[name]
    item = GOLDEN.parsed(name)
    assert item.extraction == "generic" and item.platform == "generic"


def test_day_only_dates_stay_days_and_exact_ones_keep_their_offset() -> None:
    jekyll = json.loads((FIXTURES / "jekyll-essay.json").read_text("utf-8"))
    tumblr = json.loads((FIXTURES / "tumblr-post.json").read_text("utf-8"))
    assert jekyll["published_raw"] == "2020-03-14", "midnight without a zone is a day"
    assert tumblr["published_raw"] == "2014-09-02T08:35:27-04:00"


def test_canonical_on_another_site_is_not_taken() -> None:
    html = (FIXTURES / "tumblr-post.html").read_text("utf-8")
    mirror = "https://mirror.example.com/copy/night-market"
    assert generic.canonical_url(html, mirror) == mirror


def test_platform_name_is_kept_when_a_builtin_parser_gave_up() -> None:
    html = (FIXTURES / "medium-story.html").read_text("utf-8")
    item = generic.extract(html, "https://medium.example.com/p/1", platform="wordpress")
    assert item is not None and item.platform == "wordpress" and item.extraction == "generic"


def test_a_root_or_a_page_without_post_markup_is_not_an_article_page() -> None:
    html = (FIXTURES / "medium-story.html").read_text("utf-8")
    assert generic.is_article_page(html, "https://medium.example.com/p/1")
    assert not generic.is_article_page(html, "https://medium.example.com/")
    assert not generic.is_article_page("<html><body><p>x</p></body></html>", "https://a.b/c")


def test_date_pipeline_leaves_a_generic_day_without_instant() -> None:
    crawler = get_crawler(BlogSpider)
    crawler.stats.open_spider()
    pipeline = DateNormalisationPipeline.from_crawler(crawler)
    day = pipeline.process_item(
        article_item(extraction="generic", published_raw="2020-03-14", published_at=None)
    )
    assert day.published_at is None and day.published_raw == "2020-03-14"
    assert crawler.stats.get_value("dates/day_only") == 1
    exact = pipeline.process_item(
        article_item(extraction="generic", published_raw="2014-09-02T08:35:27-04:00")
    )
    assert exact.published_at == "2014-09-02T08:35:27-04:00"


def _corpus(name: str) -> str:
    return (CORPUS / name).read_text("utf-8", errors="replace")


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")
def test_every_corpus_page_of_these_folders_is_listed() -> None:
    found = {
        str(path.relative_to(CORPUS))
        for folder in CORPUS_FOLDERS
        for path in CORPUS.glob(f"{folder}/*.html")
    }
    assert found == set(CORPUS_PAGES) | NOT_A_PAGE


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")
@pytest.mark.parametrize("name", sorted(CORPUS_PAGES))
def test_real_pages_give_title_body_and_date(name: str) -> None:
    title, day = CORPUS_PAGES[name]
    item = generic.extract(_corpus(name), f"https://example.org/{name}")
    assert item is not None
    assert item.title is not None and item.title.startswith(title)
    assert len(item.body_text) >= MIN_CORPUS_BODY
    assert item.published_raw is not None and item.published_raw.startswith(day)
    assert "<script" not in item.body_html


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")
@pytest.mark.parametrize("name", sorted(NOT_A_PAGE))
def test_a_body_fragment_without_title_is_no_post(name: str) -> None:
    assert generic.extract(_corpus(name), f"https://example.org/{name}") is None
