"""Sitemaps as a change feed: which archived posts were edited after we fetched them.

Parsing is Scrapy's own `scrapy.utils.sitemap.Sitemap` (lxml without entity expansion, so an
XML bomb stays small). A `lastmod` is compared with the time our copy was fetched; when the
comparison is in doubt (a date without time, a time without offset) the post is fetched
again: one request too many is cheap, a missed edit is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from scrapy.utils.sitemap import Sitemap

# The latest offset in use (UTC-12): reading a naive `lastmod` with it gives the latest
# instant it can mean, so an edit is never judged older than it is.
_LATEST_OFFSET = timedelta(hours=12)


@dataclass
class SitemapPage:
    """One sitemap document: child sitemaps (an index) and page URLs with their `lastmod`."""

    sitemaps: list[str] = field(default_factory=list)
    lastmod: dict[str, datetime | None] = field(default_factory=dict)


def parse_sitemap(body: bytes) -> SitemapPage:
    """Read a `urlset` or `sitemapindex`; anything else is an empty page."""
    page = SitemapPage()
    try:
        sitemap = Sitemap(body)
    except Exception:  # lxml raises several types for non-XML bodies
        return page
    for entry in sitemap:
        location = (entry.get("loc") or "").strip()
        if not location:
            continue
        if sitemap.type == "sitemapindex":
            page.sitemaps.append(location)
        elif sitemap.type == "urlset":
            page.lastmod[location] = latest_instant(entry.get("lastmod"))
    return page


def latest_instant(value: str | None) -> datetime | None:
    """The latest UTC instant a W3C datetime can mean; `None` when it is absent or invalid."""
    if not value:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if len(text) <= len("2019-04-08"):  # a day: its last moment
        parsed += timedelta(days=1) - timedelta(microseconds=1)
    if parsed.tzinfo is None:
        return (parsed + _LATEST_OFFSET).replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def changed_since(
    lastmods: Mapping[str, datetime | None], fetched_at: Mapping[str, str]
) -> list[str]:
    """Archived URLs (keys of `fetched_at`) whose `lastmod` is after our fetch of them."""
    changed = []
    for url, fetched in fetched_at.items():
        modified = lastmods.get(url)
        if modified is not None and modified > datetime.fromisoformat(fetched):
            changed.append(url)
    return sorted(changed)
