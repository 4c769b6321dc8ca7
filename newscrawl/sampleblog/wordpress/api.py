"""The sample blog's REST API: `/wp-json/wp/v2/categories` and `/wp-json/wp/v2/posts`.

Answers as WordPress does: posts newest first, filtered by `categories=` (any of the ids),
`page`/`per_page` paging with `X-WP-Total` and `X-WP-TotalPages`, HTTP 400
(`rest_post_invalid_page_number`) for a page past the last, `_embed` adding the author,
the terms (names HTML-escaped, as WordPress stores them) and the comments, and Jetpack's
`jetpack-related-posts` field.
"""

from __future__ import annotations

import json
from html import escape
from urllib.parse import parse_qs

from .content import BY_ID, CATEGORIES, POSTS, Post, newest_first, related_to
from .pages import category_link, content_html, gmt, post_link, shown_day, tag_link

Response = tuple[int, dict[str, str], bytes]


def _json(status: int, data: object, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return status, {"Content-Type": "application/json; charset=UTF-8", **(headers or {})}, body


def categories(base: str) -> Response:
    rows = [
        {
            "id": c.id,
            "name": c.name,
            "slug": c.slug,
            "parent": c.parent,
            "link": category_link(base, c.id),
        }
        for c in CATEGORIES
    ]
    return _json(200, rows)


def _term(base: str, term_id: int, name: str, link: str, slug: str, taxonomy: str) -> dict:
    return {
        "id": term_id,
        "link": link,
        "name": escape(name, quote=False),
        "slug": slug,
        "taxonomy": taxonomy,
    }


def post_json(base: str, post: Post) -> dict:
    tag_terms = [
        _term(base, 50 + n, tag, tag_link(base, tag), tag.lower(), "post_tag")
        for n, tag in enumerate(post.tags)
    ]
    category_terms = [
        _term(base, i, BY_ID[i].name, category_link(base, i), BY_ID[i].slug, "category")
        for i in post.categories
    ]
    return {
        "id": post.id,
        "date": post.published.strftime("%Y-%m-%dT%H:%M:%S"),
        "date_gmt": gmt(post.published),
        "modified": post.modified.strftime("%Y-%m-%dT%H:%M:%S"),
        "modified_gmt": gmt(post.modified),
        "slug": post.slug,
        "status": "publish",
        "type": "post",
        "link": post_link(base, post),
        "title": {"rendered": escape(post.title, quote=False)},
        "content": {"rendered": content_html(base, post) + "\n", "protected": False},
        "author": 1 + post.id % 2,
        "categories": list(post.categories),
        "jetpack-related-posts": [
            {
                "id": other.id,
                "url": post_link(base, other),
                "title": other.title,
                "date": shown_day(other.published),
                "context": f'In "{BY_ID[other.categories[0]].name}"',
            }
            for other in related_to(post)
        ],
        "_embedded": {
            "author": [{"id": 1 + post.id % 2, "name": post.author}],
            "wp:term": [category_terms, tag_terms],
            "replies": [[{"id": post.id * 10 + n, "post": post.id} for n in range(post.comments)]],
        },
    }


def posts(base: str, query: str) -> Response:
    params = parse_qs(query)
    wanted = {int(i) for v in params.get("categories", []) for i in v.split(",") if i.isdigit()}
    page = int(params.get("page", ["1"])[0])
    per_page = min(100, int(params.get("per_page", ["10"])[0]))
    found = [post for post in POSTS if not wanted or wanted.intersection(post.categories)]
    found = newest_first(found)
    total_pages = -(-len(found) // per_page)
    if page > max(1, total_pages):
        return _json(400, {"code": "rest_post_invalid_page_number", "data": {"status": 400}})
    shown = found[(page - 1) * per_page : page * per_page]
    headers = {"X-WP-Total": str(len(found)), "X-WP-TotalPages": str(total_pages)}
    return _json(200, [post_json(base, post) for post in shown], headers)
