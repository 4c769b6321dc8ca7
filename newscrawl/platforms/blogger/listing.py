"""Blogger listing page → the posts of the Blog widget's own list and the older page's URL.

A Blogger page is a set of widgets: the `Blog` widget (`#Blog1`) holds the listed posts in
`div.blog-posts` (`.post-outer` per post, `.date-outer` per day); Popular Posts, Blog Archive,
Labels and Featured Post widgets sit beside it and link posts of any label, so only the Blog
widget's list is read. Listings often show posts in full, whose bodies link other posts:
each post is named by its title link (or permalink), never by links inside its text.

Paging is by cursor: the "Older posts" link (`a.blog-pager-older-link`,
`#Blog1_blog-pager-older-link`; a "Load more" button's `data-load` on newer templates)
carries `updated-max=<ISO>`. It counts only when it leads to another page of the same
listing: on a post page the same link names the previous post.
"""

from __future__ import annotations

from urllib.parse import urljoin

from lxml import etree

from newscrawl.cssindex import Index
from newscrawl.document import parse_html
from newscrawl.platforms.base import ListingPage
from newscrawl.platforms.blogger.page import BloggerPage
from newscrawl.platforms.blogger.urls import (
    canonical_post_url,
    is_listing_page,
    is_post_url,
    label_of,
)

# Where a listed post names its own URL, most telling first.
POST_LINKS = (
    ".post-title a[href]",
    ".entry-title a[href]",
    "a.timestamp-link[href]",
    ".jump-link a[href]",
    "a[rel~=bookmark][href]",
)
POST_URL_META = "meta[itemprop=url][content]"
OLDER_LINKS = (
    "a.blog-pager-older-link[href]",
    "#Blog1_blog-pager-older-link[href]",
    ".blog-pager [data-load]",
)


def parse_listing(html: str, url: str) -> ListingPage:
    """The posts listed on one Blogger listing page, in page order, and the older page."""
    page = BloggerPage(parse_html(html), url)
    found: dict[str, None] = {}
    for block in page.post_blocks:
        if (post_url := _block_url(page.index, block, url)) is not None:
            found.setdefault(post_url, None)
    return ListingPage(list(found), next_url=_older_page(page.index, url))


def _block_url(index: Index, block: etree._Element, url: str) -> str | None:
    for css in POST_LINKS:
        for link in index.select(css, block):
            href = urljoin(url, link.get("href", "").strip())
            if is_post_url(href):
                return canonical_post_url(href)
    for meta in index.select(POST_URL_META, block):
        href = urljoin(url, meta.get("content", "").strip())
        if is_post_url(href):
            return canonical_post_url(href)
    return None


def _older_page(index: Index, url: str) -> str | None:
    """The older page of this same listing (same label, or both the whole blog), or `None`."""
    for css in OLDER_LINKS:
        for link in index.select(css):
            href = (link.get("href") or link.get("data-load") or "").strip()
            older = urljoin(url, href) if href else ""
            if older and is_listing_page(older) and label_of(older) == label_of(url):
                return older
    return None
