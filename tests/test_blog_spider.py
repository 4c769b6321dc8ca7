"""`scrapy crawl blog` end to end: a profile site no built-in parser knows, platform detection
on the sample Tistory blog, a post of an unknown platform, and an unknown platform's listing."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from export_checks import assert_valid_export
from profilesite import NOTES, PROFILE, TOPIC, in_topic, profile_site

from newscrawl.sampleblog import POSTS, SEED_CATEGORY
from newscrawl.testing import run_crawl, sample_blog


def _crawl(arguments: dict[str, str], tmp_path: Path):
    return run_crawl(
        "blog",
        arguments,
        settings={
            "NEWSCRAWL_EXPORT_DIR": str(tmp_path / "out"),
            "NEWSCRAWL_STATE_DIR": str(tmp_path / "state"),
            "ROBOTSTXT_OBEY": "False",
        },
    )


def _export(tmp_path: Path) -> list[dict]:
    files = list((tmp_path / "out" / "blog").glob("*.jsonl"))
    assert len(files) == 1, files
    lines = [json.loads(line) for line in files[0].read_text("utf-8").splitlines()]
    assert_valid_export(lines)
    return lines


def test_profile_site_every_post_of_the_category_once_with_its_instant(tmp_path: Path) -> None:
    profile = tmp_path / "lakepress.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    with profile_site() as site:
        result = _crawl({"url": f"{site}/topics/{TOPIC}/", "profile": str(profile)}, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    items = _export(tmp_path)
    expected = {note.id: note for note in in_topic(TOPIC)}
    counts = Counter(int(item["post_id"]) for item in items)
    assert set(counts) == set(expected), "missing posts, or sidebar posts of another topic"
    assert max(counts.values()) == 1
    for item in items:
        note = expected[int(item["post_id"])]
        assert item["title"] == note.title
        assert item["published_at"] == note.instant, item["published_raw"]
        assert item["platform"] == "lakepress" and item["extraction"] == "profile"
        assert item["category"] == [TOPIC]
        assert "share" not in item["body_text"]
        assert len(item["related"]) == 2 and item["related"][0]["published_at"]
    offsets = {item["published_at"][-6:] for item in items}
    assert offsets == {"+01:00", "+02:00"}, "both sides of a DST change"
    assert len(NOTES) > len(items)


def test_blog_spider_detects_tistory_and_walks_its_category(tmp_path: Path) -> None:
    with sample_blog() as base:
        result = _crawl({"url": f"{base.rstrip('/')}/category/{SEED_CATEGORY}"}, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Detected Tistory on" in result.stderr
    assert "'platform/detected/tistory': 1" in result.stderr
    assert "'platform/detection_reused': 1" in result.stderr, "page 1 is not fetched twice"
    items = _export(tmp_path)
    expected = {
        str(post.id)
        for post in POSTS
        if post.category == SEED_CATEGORY or post.category.startswith(SEED_CATEGORY + "/")
    }
    assert Counter(item["post_id"] for item in items) == Counter(expected)
    assert {item["platform"] for item in items} == {"tistory"}


def test_a_post_of_an_unknown_platform_is_read_generically(tmp_path: Path) -> None:
    with profile_site() as site:
        url = f"{site}/fixtures/tumblr-post.html"
        result = _crawl({"url": url}, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    (item,) = _export(tmp_path)
    assert item["url"] == url and item["extraction"] == "generic"
    assert item["platform"] == "generic"
    assert item["title"] == "Night market notes, part two"
    assert item["published_at"] == "2014-09-02T08:35:27-04:00"
    assert "'platform/detected/generic': 1" in result.stderr


def test_a_listing_of_an_unknown_platform_asks_for_a_profile(tmp_path: Path) -> None:
    with profile_site() as site:
        result = _crawl({"url": f"{site}/topics/{TOPIC}/"}, tmp_path)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert "unknown platform" in last and "give -a profile=PATH.toml" in last, last
