"""The sample WordPress blog's HTML: a classic theme's post and listing pages.

Shapes follow core template tags and Jetpack: `body_class()`, `post_class()`, `time.entry-date`
in the site's offset, `article:*_time` meta in UTC (as Jetpack prints it), `rel="category tag"`
and `rel="tag"` links, Jetpack sharing and related-posts blocks inside `entry-content`, a
comments area, and a sidebar whose widgets (Recent Posts, Top Posts) list other posts.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from urllib.parse import quote

from .content import BY_ID, POSTS, SITE_NAME, Post, category_path_slugs, related_to

PAGE_SIZE = 10


def esc(text: str) -> str:
    return escape(text, quote=True)


def post_link(base: str, post: Post) -> str:
    """WordPress's permalink: `/%year%/%monthnum%/%day%/%postname%/`, slug lower-case encoded."""
    slug = quote(post.slug, safe="-").lower()
    return f"{base}{post.published:%Y/%m/%d}/{slug}/"


def category_link(base: str, category_id: int) -> str:
    return base + "category/" + "".join(f"{s}/" for s in category_path_slugs(BY_ID[category_id]))


def tag_link(base: str, tag: str) -> str:
    return f"{base}tag/{quote(tag.lower().replace(' & ', '-').replace(' ', '-'))}/"


def gmt(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def shown_day(moment: datetime) -> str:
    return f"{moment:%B} {moment.day}, {moment.year}"


def content_html(base: str, post: Post) -> str:
    """`the_content()` as the editor saved it: paragraphs and maybe an image."""
    parts = [f"<p>{esc(text)}</p>" for text in post.paragraphs]
    if post.image:
        src = f"/wp-content/uploads/{post.published:%Y/%m}/harbour-{post.id}.jpg"
        parts.insert(
            1,
            f'<figure class="wp-block-image"><img src="{src}" alt="" '
            f'class="wp-image-{post.id + 1000}" loading="lazy"></figure>',
        )
    return "\n".join(parts)


def _head(base: str, title: str, extra: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en-US"><head><meta charset="UTF-8">'
        f"<title>{esc(title)}</title>"
        f'<link rel="https://api.w.org/" href="{base}wp-json/">'
        '<meta name="generator" content="WordPress 6.4.3">'
        f'<link rel="stylesheet" href="{base}wp-content/themes/harbour/style.css">'
        f"{extra}</head>"
    )


def _sidebar(base: str) -> str:
    """Widgets listing posts of every category: never part of a listing's main loop."""
    recent = "".join(
        f'<li><a href="{post_link(base, post)}">{esc(post.title)}</a></li>' for post in POSTS[-5:]
    )
    top = POSTS[103]
    return (
        '<aside id="secondary" class="widget-area">'
        '<section id="recent-posts-2" class="widget widget_recent_entries">'
        f"<h2 class='widget-title'>Recent Posts</h2><ul>{recent}</ul></section>"
        '<div id="top-posts-2" class="widget widget_top-posts"><h2>Top Posts</h2>'
        f'<article class="post hentry"><h3 class="entry-title"><a href="{post_link(base, top)}">'
        f"{esc(top.title)}</a></h3></article></div></aside>"
    )


def _terms(base: str, post: Post) -> str:
    cats = ", ".join(
        f'<a href="{category_link(base, i)}" rel="category tag">{esc(BY_ID[i].name)}</a>'
        for i in post.categories
    )
    tags = ", ".join(f'<a href="{tag_link(base, t)}" rel="tag">{esc(t)}</a>' for t in post.tags)
    tag_line = f'<span class="tags-links">Tagged {tags}</span>' if tags else ""
    cat_line = f'<span class="cat-links">Posted in {cats}</span>'
    return f'<footer class="entry-footer">{cat_line}{tag_line}</footer>'


def _comments_link(post: Post) -> str:
    label = {0: "Leave a comment", 1: "1 Comment"}.get(post.comments, f"{post.comments} Comments")
    return f'<span class="comments-link"><a href="#comments">{label}</a></span>'


def _related(base: str, post: Post) -> str:
    rows = "".join(
        f'<div class="jp-relatedposts-post jp-relatedposts-post{n}" data-post-id="{other.id}">'
        f'<h4 class="jp-relatedposts-post-title"><a class="jp-relatedposts-post-a" '
        f'href="{post_link(base, other)}">{esc(other.title)}</a></h4>'
        f'<p class="jp-relatedposts-post-date">{shown_day(other.published)}</p>'
        f'<p class="jp-relatedposts-post-context">In "{esc(BY_ID[other.categories[0]].name)}"</p>'
        "</div>"
        for n, other in enumerate(related_to(post))
    )
    return (
        '<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline">'
        f'<em>Related</em></h3><div class="jp-relatedposts-items">{rows}</div></div>'
        if rows
        else ""
    )


def _comments(post: Post) -> str:
    items = "".join(
        f'<li id="comment-{post.id * 10 + n}" class="comment"><article class="comment-body">'
        f'<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Reader {n}'
        f'</b></div><time datetime="2022-01-0{n + 1}T10:00:00+09:00">January {n + 1}, 2022</time>'
        f'</footer><div class="comment-content"><p>Thanks, comment {n}.</p></div></article></li>'
        for n in range(post.comments)
    )
    heading = f'<h2 class="comments-title">{post.comments} thoughts</h2>' if post.comments else ""
    listed = f'<ol class="comment-list">{items}</ol>'
    return f'<div id="comments" class="comments-area">{heading}{listed}</div>'


def post_page(base: str, post: Post) -> str:
    link = post_link(base, post)
    meta = (
        f'<link rel="canonical" href="{link}"><link rel="shortlink" href="{base}?p={post.id}">'
        '<meta property="og:type" content="article">'
        f'<meta property="og:title" content="{esc(post.title)}">'
        f'<meta property="og:site_name" content="{SITE_NAME}">'
        f'<meta property="article:published_time" content="{gmt(post.published)}+00:00">'
        f'<meta property="article:modified_time" content="{gmt(post.modified)}+00:00">'
    )
    updated = (
        f'<time class="updated" datetime="{post.modified.isoformat()}">'
        f"{shown_day(post.modified)}</time>"
        if post.modified != post.published
        else ""
    )
    classes = " ".join(f"category-{BY_ID[i].slug}" for i in post.categories)
    return (
        _head(base, f"{post.title} – {SITE_NAME}", meta)
        + '<body class="post-template-default single single-post '
        f'postid-{post.id} single-format-standard">'
        f'<header class="site-header"><p class="site-title"><a href="{base}">{SITE_NAME}</a></p>'
        f'<nav class="main-navigation"><a href="{category_link(base, 2)}">News</a></nav></header>'
        f'<main id="main" class="site-main"><article id="post-{post.id}" '
        f'class="post-{post.id} post '
        f'type-post status-publish format-standard hentry {classes}">'
        f'<header class="entry-header"><h1 class="entry-title">{esc(post.title)}</h1>'
        '<div class="entry-meta"><span class="byline"><span class="author vcard">'
        f'<a class="url fn n" href="{base}author/{post.author.split()[0].lower()}/">'
        f"{esc(post.author)}"
        '</a></span></span> <span class="posted-on"><a href="' + link + '" rel="bookmark">'
        f'<time class="entry-date published" datetime="{post.published.isoformat()}">'
        f"{shown_day(post.published)}</time>{updated}</a></span> {_comments_link(post)}"
        "</div></header>"
        f'<div class="entry-content">\n{content_html(base, post)}\n'
        '<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3>'
        '<ul><li><a class="share-twitter" href="?share=twitter">Twitter</a></li></ul></div>'
        f"{_related(base, post)}</div>{_terms(base, post)}</article>"
        f"{_comments(post)}</main>{_sidebar(base)}</body></html>"
    )


def listing_page(base: str, listing_url: str, posts: list[Post], page: int, body: str) -> str:
    """Page `page` of a listing (posts newest first), or `""` past the last page (a 404)."""
    pages = max(1, -(-len(posts) // PAGE_SIZE))
    if page > pages:
        return ""
    shown = posts[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    loop = "".join(
        f'<article id="post-{post.id}" class="post-{post.id} post type-post status-publish hentry">'
        f'<header class="entry-header"><h2 class="entry-title"><a href="{post_link(base, post)}" '
        f'rel="bookmark">{esc(post.title)}</a></h2></header><div class="entry-summary">'
        f"<p>{esc(post.paragraphs[0])}</p></div></article>"
        for post in shown
    )
    links = []
    if page > 1:
        previous = listing_url if page == 2 else f"{listing_url}page/{page - 1}/"
        links.append(f'<a class="prev page-numbers" href="{previous}">Newer posts</a>')
    if page < pages:
        links.append(
            f'<a class="next page-numbers" href="{listing_url}page/{page + 1}/">Older posts</a>'
        )
    return (
        _head(base, f"{SITE_NAME} – page {page}")
        + f'<body class="{body}"><main id="main" class="site-main">{loop}'
        f'<nav class="navigation pagination"><div class="nav-links">{"".join(links)}</div></nav>'
        f"</main>{_sidebar(base)}</body></html>"
    )
