"""A WordPress category or home listing (HTML) → the posts of its main loop and the next page.

The main loop prints one element per post with `post_class()` (`article.post`, `.hentry`,
`.type-post`; block themes `li.wp-block-post`) holding a title link. Sidebars and footers
print other posts (Recent Posts, Jetpack Top Posts, related posts) in widgets: those are
skipped by the whole-token widget test of `areas`. The next page is walked only when the
page links to it (`/page/N+1/` or `?paged=N+1` of the same listing): WordPress answers a page
past the last with 404, so the walk follows the pagination instead of guessing numbers.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urljoin, urlsplit

from lxml import etree

from newscrawl.cssindex import Index
from newscrawl.document import parse_html
from newscrawl.platforms.base import ListingPage
from newscrawl.platforms.wordpress.areas import in_widget
from newscrawl.platforms.wordpress.urls import (
    canonical_listing_url,
    canonical_post_url,
    is_post_url,
    listing_page_number,
    site_of,
)

POST_CONTAINERS = ("article.post", "article.type-post", ".hentry", ".type-post", ".wp-block-post")
TITLE_LINKS = (
    ".entry-title a",
    ".post-title a",
    ".wp-block-post-title a",
    "a[rel~='bookmark']",
    "h2 a",
    "h1 a",
    "h3 a",
)
_PAGING_LINKS = etree.XPath("//a/@href | //link[@rel='next']/@href")


def _title_link(index: Index, container: etree._Element, base: str) -> str | None:
    for css in TITLE_LINKS:
        for link in index.select(css, container):
            url = urljoin(base, (link.get("href") or "").strip())
            if is_post_url(url) and site_of(url) == site_of(base):
                return canonical_post_url(url)
    return None


def post_urls(root: etree._Element, url: str) -> list[str]:
    """Canonical post URLs of the main loop, page order, unique."""
    index = Index(root)
    found: dict[str, None] = {}
    for css in POST_CONTAINERS:
        for container in index.select(css):
            if in_widget(container):
                continue
            if post := _title_link(index, container, url):
                found.setdefault(post, None)
    return list(found)


def _page_of(href: str, listing: str) -> int | None:
    """The page number `href` shows of the listing `listing` (page 1's URL), else `None`."""
    parts = urlsplit(href)
    if site_of(href) != site_of(listing):
        return None
    if parse_qs(parts.query).get("paged") and parts.path.rstrip("/") == urlsplit(
        listing
    ).path.rstrip("/"):
        return listing_page_number(href)
    if canonical_listing_url(href) != listing:
        return None
    return listing_page_number(href)


def next_page(root: etree._Element, url: str) -> str | None:
    """The next page's URL when the page links to it, else `None` (the last page)."""
    listing = canonical_listing_url(url)
    wanted = listing_page_number(url) + 1
    for href in _PAGING_LINKS(root):
        absolute = urljoin(url, href.strip())
        if _page_of(absolute, listing) == wanted:
            return absolute.split("#", 1)[0]
    return None


def parse_listing(html: str, url: str) -> ListingPage:
    """The main loop's posts and the next page of one listing page."""
    root = parse_html(html).root
    return ListingPage(post_urls(root, url), next_url=next_page(root, url))
