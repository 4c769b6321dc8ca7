"""Sitemaps: where a site keeps one, which archived posts changed, which posts it lists.

Parsing is Scrapy's own `scrapy.utils.sitemap.Sitemap` (lxml without entity expansion, so an
XML bomb stays small). A `lastmod` is compared with the time our copy was fetched; when the
comparison is in doubt (a date without time, a time without offset) the post is fetched
again: one request too many is cheap, a missed edit is not.

Discovery (`sitemap_candidates`) tries, in order, the `Sitemap:` lines of robots.txt (the
site's own statement), the `link[rel=sitemap]` of a page, then the well-known paths the
common platforms use; the crawl takes the first that answers with a usable sitemap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin, urlsplit, urlunsplit

from parsel import Selector
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

# The latest offset in use (UTC-12): reading a naive `lastmod` with it gives the latest
# instant it can mean, so an edit is never judged older than it is.
_LATEST_OFFSET = timedelta(hours=12)
# Where platforms serve a sitemap unasked: the convention (Tistory, Blogger, most plugins),
# Yoast SEO's index, WordPress core (5.5+).
WELL_KNOWN_SITEMAPS = ("/sitemap.xml", "/sitemap_index.xml", "/wp-sitemap.xml")
PAGE_SITEMAP_LINKS = "//link[contains(concat(' ', normalize-space(@rel), ' '), ' sitemap ')]/@href"


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


def robots_sitemaps(body: bytes, url: str) -> list[str]:
    """The `Sitemap:` URLs of a robots.txt fetched from `url`, absolute, file order."""
    return list(dict.fromkeys(sitemap_urls_from_robots(body, base_url=url)))


def page_sitemaps(html: str, url: str) -> list[str]:
    """The sitemaps a page names with `link[rel=sitemap]`, absolute, page order."""
    hrefs = Selector(text=html).xpath(PAGE_SITEMAP_LINKS).getall()
    return list(dict.fromkeys(urljoin(url, href.strip()) for href in hrefs if href.strip()))


def sitemap_candidates(site_url: str, robots: list[str], page: list[str]) -> list[str]:
    """Sitemap URLs to try for the site of `site_url`, best first, each once.

    robots.txt first, then the page's links, then `WELL_KNOWN_SITEMAPS`. Sitemaps on another
    host are left out: the crawl stays on the site it was asked to archive.
    """
    parts = urlsplit(site_url)
    well_known = [
        urlunsplit((parts.scheme, parts.netloc, path, "", "")) for path in WELL_KNOWN_SITEMAPS
    ]
    own = parts.netloc.lower()
    return list(
        dict.fromkeys(
            url for url in (*robots, *page, *well_known) if urlsplit(url).netloc.lower() == own
        )
    )
