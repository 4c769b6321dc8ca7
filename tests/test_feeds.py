"""Feeds and sitemaps as a second source of posts: parsing, discovery, and whole crawls.

The feeds here are written by us in the shapes the platforms serve (Tistory's `/rss` comes from
the sample blog itself, WordPress RSS 2.0 and Blogger Atom are below). The end-to-end tests
serve the sample blog with posts its listings hide (`--unlisted`) and check that the feed or
the sitemap brings them in, each exported once, without fetching what the walk rules out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from export_checks import assert_valid_export

from newscrawl.faultserver.pages import xml_bomb
from newscrawl.feeds import (
    FeedEntry,
    best_feed,
    category_paths,
    discover_feeds,
    exact_instant,
    parse_feed,
)
from newscrawl.platforms.base import Platform
from newscrawl.platforms.blogger import PLATFORM as BLOGGER
from newscrawl.platforms.tistory import PLATFORM as TISTORY
from newscrawl.platforms.wordpress import PLATFORM as WORDPRESS
from newscrawl.sampleblog import POSTS, render_site
from newscrawl.sitemaps import page_sitemaps, robots_sitemaps, sitemap_candidates
from newscrawl.spiders.walk import in_category, walks_whole_blog
from newscrawl.testing import run_crawl, sample_blog

KST = timezone(timedelta(hours=9))
BASE = "http://blog.test/"

WORDPRESS_RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>Field Notes &#187; Gardening</title>
  <atom:link href="https://notes.example/category/gardening/feed/" rel="self"
    type="application/rss+xml" />
  <link>https://notes.example/category/gardening/</link>
  <lastBuildDate>Tue, 09 Apr 2019 08:00:00 +0000</lastBuildDate>
  <generator>https://wordpress.org/?v=6.4.2</generator>
  <item>
    <title>Tomatoes in a cold spring</title>
    <link>https://notes.example/2019/04/08/tomatoes-cold-spring/</link>
    <comments>https://notes.example/2019/04/08/tomatoes-cold-spring/#respond</comments>
    <dc:creator><![CDATA[Mina]]></dc:creator>
    <pubDate>Mon, 08 Apr 2019 01:27:00 +0000</pubDate>
    <category><![CDATA[Gardening]]></category>
    <category><![CDATA[Vegetables]]></category>
    <guid isPermaLink="false">https://notes.example/?p=81</guid>
    <description><![CDATA[Seedlings waited a week longer than usual.]]></description>
    <wfw:commentRss>https://notes.example/2019/04/08/tomatoes-cold-spring/feed/</wfw:commentRss>
  </item>
  <item>
    <title>Compost, again</title>
    <link>https://notes.example/2019/03/02/compost-again/</link>
    <pubDate>Sat, 02 Mar 2019 18:05:00 +0900</pubDate>
    <category><![CDATA[Gardening]]></category>
    <guid isPermaLink="false">https://notes.example/?p=77</guid>
  </item>
</channel>
</rss>
"""

BLOGGER_ATOM = b"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/'
  xmlns:thr='http://purl.org/syndication/thread/1.0'>
  <id>tag:blogger.com,1999:blog-1234567890</id>
  <updated>2019-04-09T09:00:00.000+09:00</updated>
  <category term="Travel"/>
  <title type='text'>Slow Trains</title>
  <link rel='self' type='application/atom+xml'
    href='https://slowtrains.blogspot.com/feeds/posts/default/-/Travel'/>
  <link rel='alternate' type='text/html' href='https://slowtrains.blogspot.com/search/label/Travel'/>
  <entry>
    <id>tag:blogger.com,1999:blog-1234567890.post-555</id>
    <published>2019-04-08T10:27:00.000+09:00</published>
    <updated>2019-04-09T08:15:30.000+09:00</updated>
    <category scheme='http://www.blogger.com/atom/ns#' term='Travel'/>
    <category scheme='http://www.blogger.com/atom/ns#' term='Winter'/>
    <title type='text'>The night train to the coast</title>
    <content type='html'>&lt;p&gt;We left at midnight.&lt;/p&gt;</content>
    <link rel='replies' type='application/atom+xml'
      href='https://slowtrains.blogspot.com/feeds/555/comments/default' title='Post Comments'/>
    <link rel='replies' type='text/html'
      href='https://slowtrains.blogspot.com/2019/04/night-train.html#comment-form'
      title='0 Comments'/>
    <link rel='edit' type='application/atom+xml'
      href='https://www.blogger.com/feeds/1234567890/posts/default/555'/>
    <link rel='self' type='application/atom+xml'
      href='https://www.blogger.com/feeds/1234567890/posts/default/555'/>
    <link rel='alternate' type='text/html'
      href='https://slowtrains.blogspot.com/2019/04/night-train.html' title='The night train'/>
    <author><name>Jun</name></author>
    <thr:total>0</thr:total>
  </entry>
</feed>
"""


def sample_rss() -> bytes:
    return render_site(BASE, "dkwrap")["/rss"]


# --- parsing ---------------------------------------------------------------------------


def test_tistory_rss_entries_carry_link_category_path_and_exact_date() -> None:
    feed = parse_feed(sample_rss(), BASE + "rss")
    newest = sorted(POSTS, key=lambda post: (post.published, post.id), reverse=True)[:10]
    assert feed.version == "rss20" and feed.usable
    assert [entry.link for entry in feed.entries] == [f"{BASE}{post.id}" for post in newest]
    first, post = feed.entries[0], newest[0]
    assert first.title == post.title
    assert first.categories == (post.category,)
    assert first.published == post.published
    assert first.published.utcoffset() == timedelta(hours=9)
    assert first.published_raw is not None and first.published_raw.endswith("+0900")
    assert (first.updated, first.updated_raw) == (None, None)


def test_wordpress_rss_keeps_every_category_and_the_offset_given() -> None:
    feed = parse_feed(WORDPRESS_RSS, "https://notes.example/category/gardening/feed/")
    assert [entry.link for entry in feed.entries] == [
        "https://notes.example/2019/04/08/tomatoes-cold-spring/",
        "https://notes.example/2019/03/02/compost-again/",
    ]
    tomatoes, compost = feed.entries
    assert tomatoes.categories == ("Gardening", "Vegetables")
    assert tomatoes.published == datetime(2019, 4, 8, 1, 27, tzinfo=UTC)
    assert compost.published == datetime(2019, 3, 2, 18, 5, tzinfo=KST)
    assert compost.published.utcoffset() == timedelta(hours=9)
    assert compost.published_raw == "Sat, 02 Mar 2019 18:05:00 +0900"


def test_blogger_atom_takes_the_alternate_link_labels_and_updated() -> None:
    feed = parse_feed(BLOGGER_ATOM, "https://slowtrains.blogspot.com/feeds/posts/default/-/Travel")
    assert feed.version == "atom10"
    [entry] = feed.entries
    assert entry == FeedEntry(
        link="https://slowtrains.blogspot.com/2019/04/night-train.html",
        title="The night train to the coast",
        categories=("Travel", "Winter"),
        published=datetime(2019, 4, 8, 10, 27, tzinfo=KST),
        published_raw="2019-04-08T10:27:00.000+09:00",
        updated=datetime(2019, 4, 9, 8, 15, 30, tzinfo=KST),
        updated_raw="2019-04-09T08:15:30.000+09:00",
    )
    assert entry.updated is not None and entry.updated.utcoffset() == timedelta(hours=9)


def test_relative_entry_links_resolve_against_the_feed_url() -> None:
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>a</title><link>/2019/04/a/</link></item></channel></rss>"
    )
    [entry] = parse_feed(rss, "https://notes.example/feed/").entries
    assert entry.link == "https://notes.example/2019/04/a/"


@pytest.mark.parametrize(
    "body",
    [b"<!DOCTYPE html><html><body><p>not a feed</p></body></html>", xml_bomb("rss"), b""],
    ids=["html", "xml-bomb", "empty"],
)
def test_what_is_no_feed_is_not_usable(body: bytes) -> None:
    feed = parse_feed(body, BASE + "rss")
    assert not feed.usable and feed.entries == []


@pytest.mark.parametrize(
    ("raw", "instant"),
    [
        ("Sun, 02 Mar 2025 19:05:26 +0900", datetime(2025, 3, 2, 19, 5, 26, tzinfo=KST)),
        ("2025-03-02T10:05:26Z", datetime(2025, 3, 2, 10, 5, 26, tzinfo=UTC)),
        ("2025-03-02T19:05:26.000+09:00", datetime(2025, 3, 2, 19, 5, 26, tzinfo=KST)),
    ],
)
def test_exact_instant_keeps_the_offset(raw: str, instant: datetime) -> None:
    parsed = exact_instant(raw)
    assert parsed == instant and parsed.utcoffset() == instant.utcoffset()


def test_exact_instant_falls_back_to_feedparsers_utc_reading() -> None:
    struct = datetime(2025, 3, 2, 10, 5, 26, tzinfo=UTC).timetuple()
    assert exact_instant("Sunday the 2nd of March 2025", struct) == datetime(
        2025, 3, 2, 10, 5, 26, tzinfo=UTC
    )
    assert exact_instant("sometime in March") is None


# --- discovery ---------------------------------------------------------------------------


def test_feed_discovery_from_a_tistory_page() -> None:
    page = render_site(BASE, "dkwrap")["/category"].decode()
    assert discover_feeds(page, BASE + "category") == [BASE + "rss"]


def test_feed_discovery_leaves_comment_feeds_out_and_keeps_page_order() -> None:
    head = """<html><head>
    <link rel="alternate" type="application/rss+xml" title="Notes &raquo; Feed" href="/feed/">
    <link rel="alternate" type="application/rss+xml" title="Notes &raquo; Comments Feed"
      href="/comments/feed/">
    <link rel="alternate" type="application/rss+xml" title="Notes &raquo; Gardening Category Feed"
      href="https://notes.example/category/gardening/feed/">
    <link rel="alternate" type="application/atom+xml" title="Slow Trains - Atom"
      href="https://notes.example/feeds/555/comments/default">
    <link rel="alternate" type="application/atom+xml; charset=utf-8" href="/atom.xml">
    <link rel="alternate" hreflang="de" href="/de/">
    <link rel="stylesheet" type="text/css" href="/style.css">
    </head><body></body></html>"""
    assert discover_feeds(head, "https://notes.example/category/gardening/") == [
        "https://notes.example/feed/",
        "https://notes.example/category/gardening/feed/",
        "https://notes.example/atom.xml",
    ]


def test_tistory_names_its_blog_wide_feed() -> None:
    walk = "https://example.tistory.com/category/%EA%B2%8C%EC%8B%9C%ED%8C%90"
    assert TISTORY.feed_url(walk) == "https://example.tistory.com/rss"
    assert not TISTORY.feed_is_of_category(walk)


@pytest.mark.parametrize(
    ("label", "walk", "inside"),
    [
        ("게시판/더 나은 미래를 위해", ["게시판"], True),
        ("게시판/더 나은 미래를 위해", ["게시판", "더 나은 미래를 위해"], True),
        ("여행", ["게시판"], False),
        ("개발/파이썬", ["게시판"], False),
    ],
)
def test_category_filter_of_a_blog_wide_feed(label: str, walk: list[str], inside: bool) -> None:
    entry = FeedEntry(link=BASE + "1", categories=(label,))
    assert any(in_category(path, walk) for path in category_paths(entry)) is inside


def test_robots_txt_sitemap_lines() -> None:
    robots = (
        b"User-agent: *\nDisallow: /admin\n\nSitemap: https://notes.example/sitemap_index.xml\n"
        b"sitemap: /news-sitemap.xml\nSitemap: https://notes.example/sitemap_index.xml\n"
    )
    assert robots_sitemaps(robots, "https://notes.example/robots.txt") == [
        "https://notes.example/sitemap_index.xml",
        "https://notes.example/news-sitemap.xml",
    ]


def test_page_sitemap_links() -> None:
    page = '<html><head><link rel="sitemap" type="application/xml" href="/sitemap.xml"></head>'
    assert page_sitemaps(page, "https://notes.example/a/b") == ["https://notes.example/sitemap.xml"]


def test_sitemap_candidates_robots_then_page_then_well_known_each_once_on_site() -> None:
    candidates = sitemap_candidates(
        "https://notes.example/category/gardening/",
        robots=["https://notes.example/wp-sitemap.xml", "https://cdn.other.example/s.xml"],
        page=["https://notes.example/pages.xml"],
    )
    assert candidates == [
        "https://notes.example/wp-sitemap.xml",
        "https://notes.example/pages.xml",
        "https://notes.example/sitemap.xml",
        "https://notes.example/sitemap_index.xml",
    ]


# --- whole crawls ------------------------------------------------------------------------


@dataclass
class Crawl:
    lines: list[dict]
    requests: list[str]
    stats: str


@contextmanager
def hiding_blog(tmp_path: Path, *switches: str) -> Iterator[tuple[str, Path]]:
    """The sample blog with the given switches; yields its URL and its request log."""
    log = tmp_path / "requests.log"
    with sample_blog(extra_args=[*switches, "--request-log", str(log)]) as url:
        yield url, log


def crawl(tmp_path: Path, url: str, log: Path, **arguments: str) -> Crawl:
    """One healthy run on the archive in `tmp_path`: its export lines, requests, stats."""
    seen = len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0
    before = set((tmp_path / "out" / "tistory").glob("*.jsonl"))
    result = run_crawl(
        "tistory",
        {"url": url, **arguments},
        settings={
            "NEWSCRAWL_EXPORT_DIR": str(tmp_path / "out"),
            "NEWSCRAWL_STATE_DIR": str(tmp_path / "state"),
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    [export] = set((tmp_path / "out" / "tistory").glob("*.jsonl")) - before
    lines = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
    assert_valid_export(lines)
    logged = log.read_text(encoding="utf-8").splitlines()[seen:]
    return Crawl(lines, [unquote(line.split(" ", 1)[1]) for line in logged], result.stderr)


def posts_in(category: str) -> set[str]:
    return {str(p.id) for p in POSTS if f"{p.category}/".startswith(f"{category}/")}


def article_requests(run: Crawl) -> set[str]:
    return {path[1:] for path in run.requests if path[1:].isdigit()}


def stat(run: Crawl, name: str) -> int:
    found = re.search(rf"'{re.escape(name)}': (\d+)", run.stats)
    return int(found.group(1)) if found else 0


DEV = "개발"
TRAVEL = "여행"
HIDDEN_NEW = 35  # 개발/파이썬, among the feed's 10 newest
HIDDEN_OLD = 5  # 여행, too old for the feed


def test_feed_brings_in_a_post_the_listing_hides_exported_once(tmp_path: Path) -> None:
    with hiding_blog(tmp_path, "--unlisted", str(HIDDEN_NEW)) as (url, log):
        run = crawl(tmp_path, f"{url}category/{quote(DEV)}", log)
    exported = [line["post_id"] for line in run.lines]
    assert sorted(exported) == sorted(posts_in(DEV)) and str(HIDDEN_NEW) in exported
    # Travel posts are in the feed too: the category filter never fetches them.
    assert article_requests(run) == posts_in(DEV)
    assert run.requests.count("/rss") == 1
    assert (stat(run, "feed/new"), stat(run, "feed/found")) == (1, 5)


def test_full_mode_finds_a_hidden_old_post_through_the_sitemap_robots_txt_names(
    tmp_path: Path,
) -> None:
    switches = ("--unlisted", str(HIDDEN_OLD), "--sitemap-path", "/sitemaps/posts.xml")
    with hiding_blog(tmp_path, *switches) as (url, log):
        walk = f"{url}category/{quote(TRAVEL)}"
        first = crawl(tmp_path, walk, log, mode="full")
        assert sorted(line["post_id"] for line in first.lines) == sorted(posts_in(TRAVEL))
        assert first.requests.count("/sitemaps/posts.xml") == 1
        assert "/sitemap.xml" not in first.requests  # robots.txt named the sitemap
        others = {str(post.id) for post in POSTS} - posts_in(TRAVEL)
        assert stat(first, "listing/off_category") == len(others)
        second = crawl(tmp_path, walk, log, mode="full")
        assert second.lines == []
        # Posts of other categories were ruled out once and are not fetched again.
        assert article_requests(second) == posts_in(TRAVEL) - {str(HIDDEN_OLD)}


def test_a_listings_own_category_feed_goes_before_the_blog_wide_one() -> None:
    feeds = ["https://notes.example/feed/", "https://notes.example/category/gardening/feed/"]
    walk = "https://notes.example/category/gardening/"
    assert best_feed(feeds, walk) == "https://notes.example/category/gardening/feed/"
    assert best_feed(feeds, "https://notes.example/") == "https://notes.example/feed/"
    assert best_feed([], walk) is None


def test_wordpress_and_blogger_name_feeds_of_the_listing_itself() -> None:
    walk = "https://notes.example/category/gardening/page/3/"
    assert WORDPRESS.feed_url(walk) == "https://notes.example/category/gardening/feed/"
    assert WORDPRESS.feed_is_of_category(walk)
    label = "https://slowtrains.blogspot.com/search/label/Travel"
    assert BLOGGER.feed_url(label) == "https://slowtrains.blogspot.com/feeds/posts/default/-/Travel"
    assert BLOGGER.feed_is_of_category(label)


@pytest.mark.parametrize(
    ("platform", "url", "whole"),
    [
        (TISTORY, "https://example.tistory.com/", True),
        (TISTORY, "https://example.tistory.com/category/%EA%B2%8C%EC%8B%9C%ED%8C%90", False),
        (WORDPRESS, "https://notes.example/", True),
        (WORDPRESS, "https://notes.example/category/gardening/", False),
    ],
)
def test_only_the_blog_roots_walk_takes_every_feed_entry(
    platform: Platform, url: str, whole: bool
) -> None:
    target = platform.classify(url)
    assert target is not None
    assert walks_whole_blog(target.url, platform) is whole
