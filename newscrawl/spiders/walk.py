"""A category walk's progress, and the rules every part of the crawl applies to walks.

Kept apart from the spider so that the rules (what belongs to a category, which failures end
a walk, what names a site) are plain functions, tested without an engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newscrawl.items import ArticleItem
from newscrawl.platforms.base import ListingPage, Platform

LISTING_PRIORITY = 10  # walk listings ahead of the article backlog: they discover the work
# Stops that mean the walk saw the category's last listed post; `page_cap` and failures do not.
COMPLETE_STOPS = {"empty_page", "repeated_page", "no_new_posts", "all_known", "last_page"}
GONE_STATUSES = {404, 410}  # a deleted post: nothing left to archive, stop retrying it
# An API listing asked for a page past its last answers 400 (WordPress REST): the walk's end.
PAST_LAST_API_PAGE = {400}


@dataclass
class ListingWalk:
    """Progress of one category walk: the page reached and the posts already found."""

    platform: Platform
    category: list[str]
    may_stop_early: bool = False  # an earlier walk reached the end: known posts end this one
    api: str | None = None  # the platform's API handle when the walk goes through its API
    page: int = 1  # the next page to process, in order
    requested_up_to: int = 1  # the highest page requested (pages past `page` are look-ahead)
    ended: bool = False
    arrived: dict[int, ListingPage] = field(default_factory=dict)  # pages ahead of `page`
    next_url: str | None = None  # cursor paging: the page after the last one processed
    previous_page_posts: frozenset[str] = frozenset()
    seen_posts: set[str] = field(default_factory=set)  # listed on the pages walked so far
    requested: set[str] = field(default_factory=set)  # listed or left pending by a past run
    feed_url: str | None = None  # the feed read once the walk is over
    feed_of_category: bool = False  # it lists only this category (no category filter)


def site_of(url: str) -> str:
    """Lower-case host of `url` (port kept): the unit a platform is detected for."""
    return urlsplit(url).netloc.lower()


def why(failure: Failure) -> str:
    """A failure's message, or its exception's name when it has none (data loss, cancel)."""
    return failure.getErrorMessage() or getattr(failure.type, "__name__", "unknown error")


def status_of(failure: Failure) -> int | None:
    """The HTTP status of a failed request that got a response, else `None`."""
    if failure.check(HttpError):
        return int(failure.value.response.status)
    return None


def walks_whole_blog(walk_url: str, platform: Platform) -> bool:
    """True when `walk_url` is the listing its blog's root stands for (all posts): every post
    of the site belongs to it, so feeds and sitemaps need no category check for it."""
    parts = urlsplit(walk_url)
    target = platform.classify(urlunsplit((parts.scheme, parts.netloc, "/", "", "")))
    return target is not None and target.kind == "listing" and target.url == walk_url


def fetched_url(response: Response) -> str:
    """The URL a response was asked for (a listing's or sitemap's), before any redirect."""
    return response.request.url if response.request else response.url


def in_category(article: list[str], listing: list[str]) -> bool:
    """True when the article sits in the listing's category or one of its subcategories.

    Paths are compared from the root (`["독서", "에세이"]` is not under `["독서", "시집"]`,
    though both share `독서`). A one-name path equal to the listing's own leaf also counts:
    some skins print only the leaf of a post's category.
    """
    article_path = [name.casefold() for name in article]
    listing_path = [name.casefold() for name in listing]
    if article_path[: len(listing_path)] == listing_path:
        return True
    return len(article_path) == 1 and article_path[0] == listing_path[-1]


def files_under(item: ArticleItem, category: list[str], platform: Platform) -> bool:
    """Does the post belong to the walked category? Category paths are compared
    (`in_category`; a post showing none is taken as listed). Where categories are flat labels
    (`Platform.flat_categories`, Blogger) the post must carry the label walked, when it shows
    labels at all, and is filed under it."""
    if not platform.flat_categories:
        return not item.category or in_category(item.category, category)
    walked = category[-1].casefold()
    if item.tags and all(tag.casefold() != walked for tag in item.tags):
        return False
    item.category = list(category)
    return True
