"""Tistory category listings: which posts the list shows, and the other pages of the list.

Skins render the category list (`s_list`) any way they like (`div.list_content`,
`article.entry`, `ul.list_category > li`, tables, grids, generic divs, full posts) and surround
it with widgets (recent/popular posts, recent comments, notices) that link posts of *other*
categories. Per-skin selectors cannot keep up with skins nobody has seen, so this module only
gathers the facts and leaves the choice to structure:

1. candidates: every permalink (`is_post_url`) of this blog, fragment-free (`/123#comment…` is
   a comment), moved to the page's host and canonicalised;
2. paging: the `?page=N` links of this same listing path, plus `T.config`'s `PREV_PAGE` /
   `NEXT_PAGE` (skins that page by script), normalised, current page excluded;
3. `chrome` drops what is recognisably not the list, `listarea` groups the rest into repeated
   items and picks the group that is the category list (docstrings there say why).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit, urlunsplit

import parsel
from lxml import etree
from lxml import html as lxml_html

from newscrawl.document import parse_html
from newscrawl.platforms.tistory.listarea import Candidate, list_posts
from newscrawl.platforms.tistory.urls import (
    CATEGORY_PATH,
    absolute_url,
    canonical_category_url,
    canonical_post_url,
    category_path,
    encode_path,
    is_post_url,
    site_of,
)

LINKS = "//a[@href]"
_LINK_ELEMENTS = etree.XPath(LINKS)  # lxml elements: no parsel Selector per link
ONE_COMMENT = re.compile(r"comment\d+|rp\d+", re.IGNORECASE)
SCRIPTS = "//script/text()"
T_CONFIG_PAGES = re.compile(r'"(?:PREV|NEXT)_PAGE"\s*:\s*"([^"]*)"')
T_CONFIG_HOME = re.compile(r'"DEFAULT_URL"\s*:\s*"([^"]*)"')
MOBILE_PREFIX = re.compile(r"^/m(?=/|$)")


@dataclass
class Listing:
    """What one listing page yields for the crawl.

    - `post_urls`: canonical post URLs (`canonical_post_url`) of the listing's own list area,
      page order, unique; `[]` for an empty category.
    - `page_urls`: the other pages of this listing found on the page (`?page=N` of the same
      path), absolute and normalised (`canonical_category_url` for categories), by page number.
    - `category`: category path of the listing from its URL, root first; `[]` for
      `/category` (all posts) and the home page.
    """

    post_urls: list[str] = field(default_factory=list)
    page_urls: list[str] = field(default_factory=list)
    category: list[str] = field(default_factory=list)


# URL helpers below are pure and cached: a listing page repeats the same few hundred links
# (navigation, widgets, paging) on every page of every category.
@lru_cache(maxsize=8192)
def _host(url: str) -> str:
    """Host without `www.`/`m.`: the same blog under its desktop and mobile names."""
    return re.sub(r"^(?:www|m)\.", "", site_of(url))


def _blog_hosts(root: parsel.Selector, url: str) -> set[str]:
    """Hosts that are this blog: the page's, and `T.config.DEFAULT_URL`'s (a custom-domain
    blog's skin may link its `*.tistory.com` name, and the reverse)."""
    hosts = {_host(url)}
    for script in root.xpath(SCRIPTS).getall():
        hosts.update(_host(m.replace("\\/", "/")) for m in T_CONFIG_HOME.findall(script))
    return hosts


@lru_cache(maxsize=8192)
def _on_page_host(absolute: str, url: str) -> str:
    """`absolute` moved to the page's scheme and host, fragment dropped: one blog, one name."""
    page, link = urlsplit(url), urlsplit(absolute)
    return urlunsplit((page.scheme or "https", page.netloc, link.path, link.query, ""))


@lru_cache(maxsize=8192)
def _listing_key(url: str) -> tuple[str, str]:
    """Identity of a listing regardless of page, encoding, `/m/` and trailing slash."""
    parts = category_path(url)
    if parts is not None:
        return "category", "/".join(parts)
    path = MOBILE_PREFIX.sub("", urlsplit(url).path) or "/"
    return "path", path.rstrip("/") or "/"


@lru_cache(maxsize=8192)
def _page_number(url: str) -> int | None:
    values = parse_qs(urlsplit(url).query).get("page", [])
    return int(values[0]) if values and values[0].isdigit() else None


def _page_url(url: str, page: int) -> str:
    """Normal form of page `page` of the listing `url` is on."""
    if CATEGORY_PATH.match(urlsplit(url).path or "/"):
        return canonical_category_url(url, page=page)
    parts = urlsplit(url)
    path = MOBILE_PREFIX.sub("", parts.path) or "/"
    return urlunsplit(
        (parts.scheme or "https", parts.netloc.lower(), encode_path(path), f"page={page}", "")
    )


def _paging(
    root: parsel.Selector, url: str, hosts: set[str]
) -> tuple[list[str], list[lxml_html.HtmlElement]]:
    """Other pages of this listing, by number, and the link elements they came from."""
    key, current = _listing_key(url), _page_number(url) or 1
    hrefs: list[tuple[str, lxml_html.HtmlElement | None]] = [
        (a.get("href") or "", a) for a in _LINK_ELEMENTS(root.root)
    ]
    for script in root.xpath(SCRIPTS).getall():
        hrefs += [(m.replace("\\/", "/"), None) for m in T_CONFIG_PAGES.findall(script)]
    pages: dict[int, str] = {}
    elements = []
    for href, element in hrefs:
        absolute = absolute_url(url, href)
        number = _page_number(absolute)
        if number is None or _host(absolute) not in hosts or _listing_key(absolute) != key:
            continue
        if element is not None:
            elements.append(element)
        if number != current:
            pages.setdefault(number, _page_url(_on_page_host(absolute, url), number))
    return [pages[n] for n in sorted(pages)], elements


def _candidates(root: parsel.Selector, url: str, hosts: set[str]) -> list[Candidate]:
    """Every same-site permalink on the page in document order, except links to one
    comment (`/123#comment4567`: the recent-comments widget's signature). A list item whose
    only link ends in `#comment` or `#rp` still names its post."""
    found = []
    for a in _LINK_ELEMENTS(root.root):
        absolute = absolute_url(url, a.get("href") or "")
        parts = urlsplit(absolute)
        if ONE_COMMENT.fullmatch(parts.fragment) or parts.scheme not in ("http", "https"):
            continue
        if _host(absolute) not in hosts:
            continue
        if is_post_url(absolute):
            found.append(Candidate(a, canonical_post_url(_on_page_host(absolute, url))))
    return found


def parse_listing(html: str, url: str) -> Listing:
    """The posts, other pages and category of the listing page `html` fetched from `url`."""
    root = parse_html(html)
    hosts = _blog_hosts(root, url)
    page_urls, paging_links = _paging(root, url, hosts)
    category = category_path(url) or []
    posts = list_posts(root.root, _candidates(root, url, hosts), paging_links, category)
    return Listing(post_urls=posts, page_urls=page_urls, category=category)
