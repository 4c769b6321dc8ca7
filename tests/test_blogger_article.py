"""Golden tests of the Blogger parsers, plus what a golden file cannot say by itself.

Each `fixtures/blogger/<name>.html` is a page written for this project in the markup shape of
a real Blogger template (the two corpus pages' shapes and a Contempo-like one); `<name>.json`
is its expected item (`_url`: the URL it is parsed with, `_shape`: what it stands for). The
label listing fixture (`listing/`) has sidebar widgets and an older-posts cursor.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newscrawl.items import PIPELINE_FIELDS, ArticleItem
from newscrawl.platforms.base import ListingPage, StartTarget
from newscrawl.platforms.blogger import PLATFORM
from newscrawl.platforms.blogger.article import parse_article
from newscrawl.platforms.blogger.listing import parse_listing
from newscrawl.spiders.base import files_under

FIXTURES = Path(__file__).parent / "fixtures" / "blogger"
CASES = sorted(path.stem for path in FIXTURES.glob("*.json"))
FIELDS = [f.name for f in dataclasses.fields(ArticleItem) if f.name not in PIPELINE_FIELDS]
# Fields each fixture legitimately lacks; `category` is filled by the walk of a label.
ABSENT = {
    "classic-article": {"category", "modified_raw", "related"},
    "magazine-de-article": {"category", "modified_raw", "related"},
    "contempo-article": {"category"},
}
NOW = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)


@cache
def expected(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))


@cache
def parsed(name: str) -> ArticleItem:
    item = parse_article((FIXTURES / f"{name}.html").read_text("utf-8"), expected(name)["_url"])
    assert item is not None, f"{name}: parse_article returned None"
    return item


def test_every_shape_has_a_fixture() -> None:
    assert set(CASES) == set(ABSENT)


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str) -> None:
    got = dataclasses.asdict(parsed(name))
    for field in FIELDS:
        assert got[field] == expected(name)[field], f"{name}.{field}: {got[field]!r}"


@pytest.mark.parametrize("name", CASES)
def test_expected_values_are_complete(name: str) -> None:
    want = expected(name)
    assert want["_shape"] and set(FIELDS) <= set(want)
    empty = {field for field in FIELDS if want[field] in (None, [], "")}
    assert empty == ABSENT[name]


@pytest.mark.parametrize("name", CASES)
def test_clutter_removed_from_body(name: str) -> None:
    item = parsed(name)
    for marker in ("share-button", "Email This", "post-footer", "blog-pager", "<script"):
        assert marker not in item.body_html and marker not in item.body_text, marker
    for widget_text in ("Popular Posts", "Beliebte Posts", "Blog Archive", "Older Post"):
        assert widget_text not in item.body_text


@pytest.mark.parametrize(
    ("name", "instant"),
    [
        ("classic-article", "2018-11-17T21:05:00-08:00"),  # abbr.published[title], exact
        ("contempo-article", "2023-07-22T06:40:00+01:00"),  # time.published[datetime]
        ("magazine-de-article", "2019-05-02T00:00:00+02:00"),  # "Mai 02, 2019": a day, Berlin
    ],
)
def test_dates_read_by_the_platform(name: str, instant: str) -> None:
    raw = parsed(name).published_raw
    assert raw is not None
    read = PLATFORM.read_date(raw, "published_raw", now=NOW, tz=ZoneInfo("Europe/Berlin"))
    assert read is not None and read.isoformat() == instant


@pytest.mark.parametrize(
    ("raw", "day"),
    [
        ("Monday, April 8, 2019", "2019-04-08"),
        ("Montag, 8. April 2019", "2019-04-08"),
        ("Sunday, May 8, 2016 12:55 AM", "2016-05-08T00:55"),
        ("lunes, 8 de abril de 2019", "2019-04-08"),
    ],
)
def test_day_headers_in_the_blogs_language(raw: str, day: str) -> None:
    read = PLATFORM.read_date(raw, "published_raw", now=NOW, tz=ZoneInfo("America/Chicago"))
    assert read is not None and read.isoformat().startswith(day)
    assert read.utcoffset() is not None and read.tzinfo is not None


def test_day_header_with_the_permalinks_clock() -> None:
    html = (FIXTURES / "classic-article.html").read_text("utf-8")
    without_title = html.replace("title='2018-11-17T21:05:00-08:00'", "")
    item = parse_article(without_title, expected("classic-article")["_url"])
    assert item is not None and item.published_raw == "Saturday, November 17, 2018 9:05 PM"


def test_sidebar_post_blocks_are_not_the_post() -> None:
    """Contempo's Popular Posts are `article.post` blocks with titles and dates of their own."""
    item = parsed("contempo-article")
    assert item.title == "Mapping the tide pools at low water"
    assert "seal" not in item.body_text and item.published_raw.startswith("2023-07-22")


def test_listing_golden_and_its_traps() -> None:
    want = json.loads((FIXTURES / "listing" / "label-listing.json").read_text("utf-8"))
    html = (FIXTURES / "listing" / "label-listing.html").read_text("utf-8")
    got = parse_listing(html, want["_url"])
    assert dataclasses.asdict(got) == {k: v for k, v in want.items() if k != "_url"}
    leaked = ("steam-whistle", "boiler-from", "rewinding-a-transformer")  # body link, widgets
    assert not any(part in url for url in got.post_urls for part in leaked)
    assert parse_article(html, want["_url"]) is None, "a listing is not an article"


def test_older_link_of_a_post_page_is_no_listing_page() -> None:
    html = (FIXTURES / "classic-article.html").read_text("utf-8")
    assert parse_listing(html, expected("classic-article")["_url"]).next_url is None


@pytest.mark.parametrize(
    ("url", "target"),
    [
        (
            "https://x.blogspot.com/search/label/Relay%20Logic?max-results=7",
            StartTarget("listing", "https://x.blogspot.com/search/label/Relay%20Logic"),
        ),
        (
            "https://x.blogspot.de/search/label/Wildkräuter",
            StartTarget("listing", "https://x.blogspot.com/search/label/Wildkr%C3%A4uter"),
        ),
        (
            "https://x.blogspot.com/feeds/posts/default/-/Clocks",
            StartTarget("listing", "https://x.blogspot.com/search/label/Clocks"),
        ),
        ("https://blog.example.org/", StartTarget("listing", "https://blog.example.org/")),
        (
            "https://blog.example.org/search?updated-max=2019-01-01T00:00:00Z",
            StartTarget("listing", "https://blog.example.org/"),
        ),
        (
            "https://X.blogspot.tw/2018/11/a-clock.html?m=1#more",
            StartTarget("post", "https://x.blogspot.com/2018/11/a-clock.html"),
        ),
        (
            "https://x.blogspot.com/2018/11/a-clock.html?showComment=1542520000000",
            StartTarget("post", "https://x.blogspot.com/2018/11/a-clock.html"),
        ),
        ("https://x.blogspot.com/search?q=relay", None),
        ("https://x.blogspot.com/p/about.html", None),
    ],
)
def test_classify(url: str, target: StartTarget | None) -> None:
    assert PLATFORM.classify(url) == target


def test_category_of_and_paging() -> None:
    assert PLATFORM.category_of("https://x.blogspot.com/search/label/Relay%20Logic") == [
        "Relay Logic"
    ]
    assert PLATFORM.category_of("https://x.blogspot.com/") == []
    assert PLATFORM.paging == "cursor" and PLATFORM.flat_categories
    label = "https://x.blogspot.com/search/label/Relay%20Logic"
    assert PLATFORM.feed_url(label) == "https://x.blogspot.com/feeds/posts/default/-/Relay%20Logic"
    assert PLATFORM.feed_is_of_category(label)
    assert (
        PLATFORM.feed_url("https://x.blogspot.com/") == "https://x.blogspot.com/feeds/posts/default"
    )
    assert not PLATFORM.feed_is_of_category("https://x.blogspot.com/")


@pytest.mark.parametrize(
    ("tags", "walked", "filed"),
    [
        (["Clocks", "Relay Logic"], ["relay logic"], ["relay logic"]),  # the label walked
        (["Clocks"], ["Relay Logic"], None),  # a post of another label
        ([], ["Relay Logic"], ["Relay Logic"]),  # labels hidden by the template: listed
    ],
)
def test_a_label_walk_files_posts_under_the_label(
    tags: list[str], walked: list[str], filed: list[str] | None
) -> None:
    item = dataclasses.replace(parsed("classic-article"), tags=tags, category=[])
    assert files_under(item, walked, PLATFORM) is (filed is not None)
    if filed is not None:
        assert item.category == filed


def test_an_empty_listing_page_lists_nothing() -> None:
    html = (
        "<html><head><meta content='blogger' name='generator'/></head><body>"
        "<div class='widget Blog' id='Blog1'><div class='blog-posts hfeed'>"
        "<div class='status-msg-wrap'>No posts with label Nope.</div></div></div></body></html>"
    )
    assert parse_listing(html, "https://x.blogspot.com/search/label/Nope") == ListingPage([])
