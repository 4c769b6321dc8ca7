"""RSS and Atom feeds as a second source of posts: what a feed lists, and where a page's is.

A listing can miss posts (a skin that hides some, a walk cut by the page cap); a blog's feed
lists its latest posts with their links, categories and dates, in one cheap request. Parsing
is feedparser's (RSS 0.9x/1.0/2.0 and Atom, lenient with broken feeds, and it never expands
entities, so an XML bomb stays small); this module turns its result into plain data. Pure:
bytes or HTML + URL in, data out, no network.

Dates keep the feed's own string beside the exact instant it means. feedparser's
`*_parsed` values are UTC `struct_time`s without the offset the feed gave, so the instant is
read from the raw string first (RFC 822 for RSS, RFC 3339 for Atom) and keeps its offset;
only strings those cannot read fall back to feedparser's UTC reading.
"""

from __future__ import annotations

import calendar
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
from parsel import Selector

# `link[rel=alternate]` types that name a feed of the page's site.
FEED_TYPES = ("application/rss+xml", "application/atom+xml")
ALTERNATE_FEEDS = "//link[contains(concat(' ', normalize-space(@rel), ' '), ' alternate ')][@href]"
# A comment feed lists comments, not posts: WordPress "… Comments Feed", "/comments/feed/",
# Blogger "/feeds/<post id>/comments/default", German "Kommentar-Feed", Korean "댓글".
COMMENT_FEED_MARKERS = ("comment", "kommentar", "댓글")
# Tistory writes a post's category path in one `<category>`, levels joined by "/".
CATEGORY_LEVEL_SEPARATOR = "/"


@dataclass(frozen=True)
class FeedEntry:
    """One post a feed lists.

    `published`/`updated` are exact instants with the offset the feed gave (UTC when it gave
    none), `None` when absent or unreadable; `*_raw` are the strings as written in the feed.
    `categories` are the labels of `<category>` (RSS) or `<category term>` (Atom), in feed
    order: a category path (Tistory `게시판/여행`), category names, tags or Blogger labels.
    """

    link: str
    title: str = ""
    categories: tuple[str, ...] = ()
    published: datetime | None = None
    published_raw: str | None = None
    updated: datetime | None = None
    updated_raw: str | None = None


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its format (`rss20`, `atom10`, … as feedparser names it, `""` when the
    document is no feed) and its entries that link somewhere, in feed order."""

    version: str = ""
    entries: list[FeedEntry] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        """A feed with at least one linked entry; anything else tells the crawl nothing."""
        return bool(self.version and self.entries)


def parse_feed(body: bytes, url: str) -> Feed:
    """Read an RSS or Atom document fetched from `url`; relative links resolve against it.

    A body that is not a feed (an HTML page, an XML bomb, garbage) gives an empty `Feed`.
    """
    parsed = feedparser.parse(body, response_headers={"content-location": url}, sanitize_html=False)
    entries = [_entry(raw, url) for raw in parsed.entries]
    version = parsed.get("version") or ""  # absent when the body is empty
    return Feed(version, [entry for entry in entries if entry is not None])


def _entry(raw: Any, url: str) -> FeedEntry | None:
    link = _entry_link(raw, url)
    if link is None:
        return None
    published, published_raw = _instant(raw, "published")
    updated, updated_raw = _instant(raw, "updated")
    return FeedEntry(
        link=link,
        title=(raw.get("title") or "").strip(),
        categories=_labels(raw),
        published=published,
        published_raw=published_raw,
        updated=updated,
        updated_raw=updated_raw,
    )


def _entry_link(raw: Any, url: str) -> str | None:
    """The post's permalink: `<link>` (RSS) or `link[rel=alternate]` (Atom); Atom entries
    also carry `rel=replies`/`self`/`edit` links, which are not the post."""
    for link in raw.get("links") or ():
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return urljoin(url, link["href"].strip())
    href = raw.get("link")
    return urljoin(url, href.strip()) if href else None


def _labels(raw: Any) -> tuple[str, ...]:
    labels = (tag.get("term") or tag.get("label") or "" for tag in raw.get("tags") or ())
    return tuple(dict.fromkeys(label.strip() for label in labels if label.strip()))


def _instant(raw: Any, name: str) -> tuple[datetime | None, str | None]:
    """(instant, raw string) of the entry's `published` or `updated` date.

    `dict.get` on purpose: feedparser's own `get("updated")` falls back to `published` (with
    a DeprecationWarning), and a post's publication is no edit.
    """
    text = dict.get(raw, name)
    if not text:
        return None, None
    return exact_instant(text, dict.get(raw, f"{name}_parsed")), text


def exact_instant(text: str, parsed: time.struct_time | None = None) -> datetime | None:
    """The instant a feed date string means, keeping its offset.

    RFC 822 (`Sun, 02 Mar 2025 19:05:26 +0900`) and RFC 3339 (`2025-03-02T19:05:26+09:00`)
    are read directly; any other form feedparser understood comes from its UTC reading
    (`parsed`). A string with no offset at all is taken as UTC, as feedparser does.
    """
    value = text.strip()
    for read in (parsedate_to_datetime, datetime.fromisoformat):
        try:
            instant = read(value)
        except (TypeError, ValueError, IndexError):
            continue
        return instant if instant.tzinfo else instant.replace(tzinfo=UTC)
    if parsed is None:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)


def discover_feeds(html: str, url: str) -> list[str]:
    """Absolute URLs of the feeds a page links with `link[rel=alternate]`, page order,
    comment feeds left out."""
    feeds = []
    for link in Selector(text=html).xpath(ALTERNATE_FEEDS):
        kind = (link.attrib.get("type") or "").split(";")[0].strip().lower()
        if kind not in FEED_TYPES:
            continue
        href = urljoin(url, link.attrib["href"].strip())
        label = f"{href} {link.attrib.get('title', '')}".lower()
        if any(marker in label for marker in COMMENT_FEED_MARKERS):
            continue
        feeds.append(href)
    return list(dict.fromkeys(feeds))


def best_feed(feeds: list[str], walk_url: str) -> str | None:
    """The feed to read for a listing: one under the listing's own path (a category feed,
    `/category/news/feed/`) before the page's first, usually blog-wide, one."""
    walk_path = urlsplit(walk_url).path.rstrip("/") + "/"
    own = [url for url in feeds if walk_path != "/" and urlsplit(url).path.startswith(walk_path)]
    return next(iter(own + feeds), None)


def category_paths(entry: FeedEntry) -> list[list[str]]:
    """Each of the entry's labels as a category path, root first (`게시판/여행` → two levels)."""
    paths = []
    for label in entry.categories:
        path = [part.strip() for part in label.split(CATEGORY_LEVEL_SEPARATOR) if part.strip()]
        if path:
            paths.append(path)
    return paths
