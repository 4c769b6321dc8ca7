"""Profiles: every loading mistake names its key; the shipped profile parses its golden page;
URL shapes, paging and dates of a profile site; the date pipeline takes the profile's zone."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from factories import article_item
from golden import assert_fields_equal
from profilesite import PROFILE, listing_page
from scrapy.utils.test import get_crawler

from newscrawl.pipelines import DateNormalisationPipeline
from newscrawl.profiles import ProfileError, load_profile
from newscrawl.spiders.blog import BlogSpider
from newscrawl.testing import PROJECT_ROOT

EXAMPLES = PROJECT_ROOT / "newscrawl" / "profiles" / "examples"
FIXTURES = Path(__file__).parent / "fixtures" / "profiles"
SITE = "http://lake.example"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _edit(old: str, new: str) -> str:
    assert old in PROFILE, old
    return PROFILE.replace(old, new, 1)


BROKEN = {
    "missing required key": (
        _edit('title = ".note-head .note-title"\n', ""),
        "[article] title: missing (required)",
    ),
    "unknown key": (
        _edit("[article]\n", "[article]\ntitel = 'h1'\n"),
        "[article] titel: unknown key",
    ),
    "unknown section": (PROFILE + "\n[extras]\nx = 1\n", "[extras]: unknown section"),
    "missing section": (_edit("[listing]", "[lists]"), "[lists]: unknown section"),
    "bad CSS": (
        _edit('body = "div.note-text"', 'body = "div.note-text["'),
        "[article] body: invalid CSS selector 'div.note-text['",
    ),
    "bad XPath": (
        _edit('links = "div.cards a.card-link"', "links = '//div[@class=\"cards\"'"),
        "[listing] links: invalid XPath",
    ),
    "bad regex": (
        _edit("category = '^/topics/[a-z-]+/$'", "category = '^/topics/([a-z-]+/$'"),
        "[urls] category: invalid regex",
    ),
    "unknown timezone": (
        _edit('timezone = "Europe/Berlin"', 'timezone = "Europe/Atlantis"'),
        "[profile] timezone: unknown timezone 'Europe/Atlantis'",
    ),
    "unknown language": (_edit('language = "en"', 'language = "xx"'), "[profile] language"),
    "bad date format": (
        _edit('date_format = "%d.%m.%Y %H:%M"', 'date_format = "dd.mm.yyyy"'),
        "[article] date_format: 'dd.mm.yyyy' is neither 'auto' nor a strptime format",
    ),
    "bad page pattern": (
        _edit('next = "a.older"', 'page_url = "{url}/page/{n}/"'),
        "[listing] page_url: '{url}/page/{n}/' may use only {url} and {page}",
    ),
    "both paging keys": (
        _edit('next = "a.older"', 'next = "a.older"\npage_url = "{url}?p={page}"'),
        "[listing] next: give either next or page_url, not both",
    ),
    "wrong type": (_edit('name = "lakepress"', "name = 3"), "[profile] name: must be a non-empty"),
    "not TOML": (PROFILE + "\n[article\n", "not valid TOML"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_profile_fails_naming_its_key(case: str, tmp_path: Path) -> None:
    text, expected = BROKEN[case]
    with pytest.raises(ProfileError) as raised:
        load_profile(_write(tmp_path, text))
    message = str(raised.value)
    assert message.startswith("profile error in site.toml: "), message
    assert expected in message
    assert "\n" not in message


def test_a_missing_profile_file_is_one_line() -> None:
    with pytest.raises(ProfileError, match=r"cannot read .*nowhere\.toml"):
        load_profile("nowhere.toml")


def test_crawl_with_a_broken_profile_exits_2_with_one_line(tmp_path: Path) -> None:
    profile = _write(tmp_path, _edit('body = "div.note-text"', 'body = "div.note-text["'))
    result = subprocess.run(
        [
            *(sys.executable, "-m", "scrapy", "crawl", "blog", "-a", f"url={SITE}/topics/"),
            *("-a", f"profile={profile}", "-s", f"NEWSCRAWL_STATE_DIR={tmp_path / 'state'}"),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.strip().splitlines()[-1] == (
        "newscrawl: error: profile error in site.toml: [article] body: invalid CSS selector"
        " 'div.note-text[': Expected ident or '*', got <EOF at 14>"
    )


def test_every_shipped_profile_loads() -> None:
    shipped = sorted(EXAMPLES.glob("*.toml"))
    assert shipped
    for path in shipped:
        assert load_profile(path).name == path.stem


@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES.glob("*.json")))
def test_golden_page_with_the_shipped_profile(name: str) -> None:
    expected = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
    platform = load_profile(EXAMPLES / f"{expected['_profile']}.toml")
    html = (FIXTURES / f"{name}.html").read_text("utf-8")
    item = platform.parse_article(html, expected["_url"])
    assert item is not None
    assert_fields_equal(name, item, expected)
    for field in ("title", "author", "category", "tags", "published_raw", "images", "related"):
        assert expected[field], f"{field} must not be empty in a profile golden file"
    assert item.extraction == "profile"
    assert "Share this post" not in item.body_text  # `remove` applied


def test_profile_classifies_urls_and_pages_listings(tmp_path: Path) -> None:
    platform = load_profile(_write(tmp_path, PROFILE))
    assert platform.name == "lakepress" and platform.paging == "cursor"
    assert platform.classify(f"{SITE}/notes/9-august.html#top").kind == "post"
    assert platform.classify(f"{SITE}/topics/seasons/").kind == "listing"
    assert platform.classify(f"{SITE}/").kind == "listing"
    assert platform.classify(f"{SITE}/about/") is None
    page = platform.parse_listing(listing_page("seasons", 1), f"{SITE}/topics/seasons/")
    assert page.post_urls == [
        f"{SITE}/notes/17-ice-out.html",
        f"{SITE}/notes/16-first-swim.html",
        f"{SITE}/notes/14-fog.html",
    ], "sidebar widgets must not count"
    assert page.next_url == f"{SITE}/topics/seasons/?p=2"
    assert platform.parse_listing(listing_page("seasons", 3), SITE + "/").next_url is None


def test_numbered_page_url_patterns(tmp_path: Path) -> None:
    hugo = load_profile(EXAMPLES / "hugo-ananke.toml")
    assert hugo.paging == "numbered"
    walk = "https://crumb.example.org/categories/baking/"
    assert hugo.listing_url(walk, 1) == walk
    assert hugo.listing_url(walk, 3) == "https://crumb.example.org/categories/baking/page/3/"
    query = load_profile(_write(tmp_path, _edit('next = "a.older"', 'page_url = "?p={page}"')))
    assert query.listing_url(f"{SITE}/topics/seasons/", 2) == f"{SITE}/topics/seasons/?p=2"


def test_profile_dates_use_its_format_and_zone(tmp_path: Path) -> None:
    platform = load_profile(_write(tmp_path, PROFILE))
    now = datetime(2026, 1, 1, tzinfo=UTC)
    berlin = ZoneInfo("Europe/Berlin")
    summer = platform.read_date("03.07.2021 14:05", "published_raw", now=now, tz=berlin)
    winter = platform.read_date("01.12.2021 12:00", "published_raw", now=now, tz=berlin)
    assert summer is not None and summer.isoformat() == "2021-07-03T14:05:00+02:00"
    assert winter is not None and winter.isoformat() == "2021-12-01T12:00:00+01:00"
    # 07/03 would be guessed either way round: a fixed format reads only its own shape.
    assert platform.read_date("2021/07/03", "published_raw", now=now, tz=berlin) is None


def test_auto_dates_fall_back_to_the_profile_language(tmp_path: Path) -> None:
    german = _edit('language = "en"', 'language = "de"').replace(
        'date_format = "%d.%m.%Y %H:%M"', 'date_format = "auto"'
    )
    platform = load_profile(_write(tmp_path, german))
    zone = ZoneInfo("Europe/Berlin")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    parsed = platform.read_date("5. März 2024", "published_raw", now=now, tz=zone)
    assert parsed is not None and parsed.isoformat() == "2024-03-05T00:00:00+01:00"


def test_date_pipeline_reads_an_item_in_its_platforms_zone(tmp_path: Path) -> None:
    platform = load_profile(_write(tmp_path, PROFILE))
    crawler = get_crawler(BlogSpider, settings_dict={"NEWSCRAWL_TIMEZONE": "Asia/Seoul"})
    crawler.stats.open_spider()
    pipeline = DateNormalisationPipeline("Asia/Seoul", crawler.stats, lambda _url: platform)
    item = pipeline.process_item(article_item(published_raw="03.07.2021 14:05"))
    assert item.published_at == "2021-07-03T14:05:00+02:00"
    assert item.published_raw == "03.07.2021 14:05"
    unknown = DateNormalisationPipeline("Asia/Seoul", crawler.stats, lambda _url: None)
    item = unknown.process_item(article_item(published_raw="2021.07.03 14:05"))
    assert item.published_at == "2021-07-03T14:05:00+09:00", "no platform: the setting's zone"
