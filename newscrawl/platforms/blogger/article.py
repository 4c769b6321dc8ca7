"""Blogger post page → `ArticleItem`: one parse, one small function per field.

The post is the single post block of the Blog widget (see `page`); the body is its
`div.post-body` cleaned of what templates put inside it (share buttons, the post footer,
pagers, "Read more" links, script-built related-posts boxes). Identity is Blogger's own:
`blogger:<blogId>:<postId>` from the item microdata, the post block's ids or the page's data
context, else the canonical URL. Labels are Blogger's only taxonomy and go to `tags`;
`category` stays `[]` here because a post's labels are flat and unordered: the walk of a
label files the post under that label (`BloggerPlatform.file_under`).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree

from newscrawl.body import clean_body
from newscrawl.document import parse_html, text_of
from newscrawl.items import ArticleItem, RelatedPost
from newscrawl.platforms.blogger import fields
from newscrawl.platforms.blogger.page import BloggerPage
from newscrawl.platforms.blogger.urls import canonical_post_url, is_post_url, site_of
from newscrawl.text import collapse_whitespace

PLATFORM = "blogger"
NON_ARTICLE_BLOCKS = (
    ".post-share-buttons",
    ".post-footer",
    ".blog-pager",
    ".jump-link",
    ".post-labels",
    ".item-control",
    "#related-posts",
    ".related-posts",
    ".share-box",
    "input",
    "button",
)
RELATED_BOXES = ("#related-posts", ".related-posts", ".related-post")
HEADINGS = frozenset(("h1", "h2", "h3"))
# `<title>` is `Blog: Post` on classic templates, `Post | Blog` or `Blog - Post` on others.
TITLE_SEPARATORS = re.compile(r"\s*(?::|\||\s-\s|»)\s*")


def parse_article(html: str, url: str) -> ArticleItem | None:
    """The post on a Blogger page fetched from `url`, or `None` if the page shows none.

    Listings (several posts, or a `pageType` other than `item`) and pages without a post
    body give `None`. Dates stay raw; the date pipeline normalises them.
    """
    if not html or not html.strip():
        return None
    page = BloggerPage(parse_html(html), url)
    if page.body is None or not fields.is_single_post(page):
        return None
    body = clean_body(page.body, url, NON_ARTICLE_BLOCKS)
    blog_id, post_id = fields.identity(page)
    canonical = _url(page)
    return ArticleItem(
        id=f"blogger:{blog_id}:{post_id}" if blog_id and post_id else canonical,
        url=canonical,
        site=site_of(canonical),
        platform=PLATFORM,
        post_id=post_id or fields.path_key(canonical),
        title=_title(page),
        author=fields.author(page),
        category=[],
        tags=fields.labels(page),
        published_raw=fields.published_raw(page),
        modified_raw=fields.modified_raw(page),
        comment_count=fields.comment_count(page),
        related=_related(page, canonical),
        **body.item_fields(),
    )


def _url(page: BloggerPage) -> str:
    """Canonical link or `og:url` when it is a post permalink, else the fetch URL."""
    for candidate in (page.canonical, page.meta.get("og:url"), page.url):
        if candidate and is_post_url(absolute := urljoin(page.url, candidate.strip())):
            return canonical_post_url(absolute)
    return page.url.split("#", 1)[0]


def _title(page: BloggerPage) -> str | None:
    """The post's title element, the first heading of its block before the body,
    `og:title`, the data context's `pageName`, then `<title>` without the blog's name."""
    for css in page._title_selectors:
        for element in page.in_post(css):
            if text := text_of(element):
                return text
    if text := text_of(_heading_before_body(page)):
        return text
    for value in (page.meta.get("og:title"), page.data_context("pageName")):
        if value and (text := collapse_whitespace(value)):
            return text
    parts = TITLE_SEPARATORS.split(collapse_whitespace(page.document_title), maxsplit=1)
    return parts[-1] or None


def _heading_before_body(page: BloggerPage) -> etree._Element | None:
    """The first `h1`-`h3` of the post's block before its body (templates with a bare
    `<h1>` title); day headers are not titles."""
    for node in page.post.iter():
        if node is page.body:
            return None
        classes = node.get("class") or ""
        if node.tag in HEADINGS and "date-header" not in classes and text_of(node):
            return node
    return None


def _related(page: BloggerPage, canonical: str) -> list[RelatedPost]:
    """Rows of a related-posts box the template renders in HTML (most build it by script
    from the label feeds: then there is none to read)."""
    rows: dict[str, RelatedPost] = {}
    for css in RELATED_BOXES:
        for box in page.select(css, page.list_area):
            for link in box.iter("a"):
                url = urljoin(page.url, link.get("href") or "")
                title = text_of(link)
                if not title or not is_post_url(url):
                    continue
                url = canonical_post_url(url)
                if url != canonical and url not in rows:
                    rows[url] = RelatedPost(title, url, comment_count=0, published_at=None)
    return list(rows.values())
