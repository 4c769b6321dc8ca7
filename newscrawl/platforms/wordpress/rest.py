"""The WordPress REST API (`/wp-json/wp/v2/`): the probe's categories and pages of posts.

A category walk first reads the site's categories (`read_probe`): the category's id and
those of its subcategories, since the HTML listing of a category shows its subcategories'
posts too while the API's `categories=` filter matches only the ids given. Then the posts
are read 50 at a time with `_embed`, so author and term names arrive in the same response,
and each post becomes an `ArticleItem` here, exactly as its page would give it: the content
is cleaned by the article parser's own function, categories and tags go through the same
`terms` rules, dates are WordPress's GMT fields with their `+00:00` offset (the form the
`article:*_time` meta of Jetpack and Yoast prints).
"""

from __future__ import annotations

import html
import json
from typing import Any
from urllib.parse import quote, unquote

from lxml.html import fragment_fromstring

from newscrawl.document import text_of
from newscrawl.items import ArticleItem
from newscrawl.platforms.base import ListingPage
from newscrawl.platforms.wordpress.article import PLATFORM, clean_entry_content, item_id
from newscrawl.platforms.wordpress.related import related_from_rest
from newscrawl.platforms.wordpress.terms import Term, category_path, tag_names
from newscrawl.platforms.wordpress.urls import (
    ALL_POSTS,
    api_page_size,
    canonical_post_url,
    category_slugs,
    is_post_url,
    is_root,
    next_api_url,
    site_of,
)
from newscrawl.text import collapse_whitespace

# Comments the `replies` embed holds at most (the comments endpoint's default page): a full
# page means "this many or more", which is no count.
REPLIES_PAGE = 10
GMT_OFFSET = "+00:00"


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def read_probe(text: str, walk_url: str) -> str | None:
    """The walk's REST handle: the category's id and its descendants' (`"12,15"`), or
    `ALL_POSTS` for the blog root; `None` when the answer is no category list or lacks the
    category (more than the 100 categories one probe reads)."""
    categories = _json(text)
    if not isinstance(categories, list) or not all(
        isinstance(row, dict) and isinstance(row.get("id"), int) for row in categories
    ):
        return None
    if is_root(walk_url):
        return ALL_POSTS
    slugs = category_slugs(walk_url)
    if not slugs:
        return None
    leaf = slugs[-1].lower()
    ids = [row["id"] for row in categories if _slug(row) == leaf]
    if len(ids) != 1:
        return None
    return ",".join(str(i) for i in _with_descendants(ids[0], categories))


def _slug(row: dict) -> str:
    """A category's slug in the spelling of our listing URLs (WordPress lower-cases the
    percent-encoding of non-ASCII slugs; `canonical_listing_url` upper-cases it)."""
    return quote(unquote(str(row.get("slug", ""))), safe="-._~").lower()


def _with_descendants(root: int, categories: list[dict]) -> list[int]:
    children: dict[int, list[int]] = {}
    for row in categories:
        if isinstance(row.get("parent"), int):
            children.setdefault(row["parent"], []).append(row["id"])
    found, queue = [root], [root]
    while queue:
        for child in sorted(children.get(queue.pop(0), [])):
            if child not in found:
                found.append(child)
                queue.append(child)
    return found


def parse_posts(text: str, url: str) -> ListingPage:
    """One REST page of posts → their canonical URLs, their items, and the next page when
    this one was full (a page past the last answers 400, which ends the walk)."""
    posts = _json(text)
    if not isinstance(posts, list):
        return ListingPage([], last_page=True)
    items: dict[str, ArticleItem] = {}
    for post in posts:
        item = item_from_post(post) if isinstance(post, dict) else None
        if item is not None:
            items.setdefault(item.url, item)
    full = len(posts) >= api_page_size(url)
    return ListingPage(list(items), next_url=next_api_url(url) if full else None, items=items)


def _rendered(post: dict, key: str) -> str:
    value = post.get(key)
    return str(value.get("rendered") or "") if isinstance(value, dict) else ""


def _embedded(post: dict) -> dict:
    value = post.get("_embedded")
    return value if isinstance(value, dict) else {}


def _terms(post: dict, taxonomy: str) -> list[Term]:
    groups = _embedded(post).get("wp:term")
    found = []
    for group in groups if isinstance(groups, list) else []:
        for term in group if isinstance(group, list) else []:
            if isinstance(term, dict) and term.get("taxonomy") == taxonomy:
                name = collapse_whitespace(html.unescape(str(term.get("name") or "")))
                if name:
                    found.append(Term(name, str(term.get("link") or "")))
    return found


def _author(post: dict) -> str | None:
    authors = _embedded(post).get("author")
    if isinstance(authors, list) and authors and isinstance(authors[0], dict):
        return collapse_whitespace(html.unescape(str(authors[0].get("name") or ""))) or None
    return None


def _comment_count(post: dict) -> int | None:
    replies = _embedded(post).get("replies")
    if not isinstance(replies, list) or not replies or not isinstance(replies[0], list):
        return None
    return len(replies[0]) if len(replies[0]) < REPLIES_PAGE else None


def _gmt(post: dict, key: str) -> str | None:
    value = post.get(key)
    return f"{value}{GMT_OFFSET}" if isinstance(value, str) and value else None


def item_from_post(post: dict) -> ArticleItem | None:
    """The `ArticleItem` one REST post gives, or `None` without a post link or id."""
    link = str(post.get("link") or "")
    if not is_post_url(link) or not isinstance(post.get("id"), int):
        return None
    url = canonical_post_url(link)
    post_id = str(post["id"])
    content = fragment_fromstring(_rendered(post, "content") or "<p></p>", create_parent="div")
    body = clean_entry_content(content.text, list(content), url)
    title = text_of(fragment_fromstring(_rendered(post, "title"), create_parent="div"))
    return ArticleItem(
        id=item_id(url, post_id),
        url=url,
        site=site_of(url),
        platform=PLATFORM,
        post_id=post_id,
        title=title or None,
        author=_author(post),
        category=category_path(_terms(post, "category")),
        tags=tag_names(_terms(post, "post_tag")),
        published_raw=_gmt(post, "date_gmt"),
        modified_raw=_gmt(post, "modified_gmt"),
        comment_count=_comment_count(post),
        related=related_from_rest(post.get("jetpack-related-posts")),
        **body.item_fields(),
    )
