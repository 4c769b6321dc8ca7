"""Render the Blogger sample blog: classic-template pages with the Blog widget and a sidebar.

Every page has the sidebar traps of real blogs: Popular Posts (`PopularPosts1`, Contempo-style
`article.post` blocks with `h3.post-title` links to posts of every label), Featured Post,
Blog Archive and the Labels widget. Listings show posts in full, and one post's text links a
post of another label, as full-post listings do. Listings page by cursor: the "Older posts"
link carries `updated-max=<ISO of the last post shown>&max-results=N&by-date=false`.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from urllib.parse import quote

from .posts import AUTHOR, BLOG_ID, BLOG_TITLE, LABELS, POSTS, BloggerPost, posts_labelled

PAGE_SIZE = 2
POPULAR = (POSTS[2], POSTS[8], POSTS[1])  # one post of each label


def label_path(label: str) -> str:
    return "/search/label/" + quote(label, safe="")


def _head(base: str, title: str, canonical: str) -> str:
    return f"""<!DOCTYPE html>
<html dir='ltr' lang='en'><head>
<meta content='blogger' name='generator'/>
<title>{escape(title)}</title>
<link href='{canonical}' rel='canonical'/>
<link rel="alternate" type="application/atom+xml" title="{BLOG_TITLE} - Atom"
 href="{base}feeds/posts/default" />
<link rel="service.post" type="application/atom+xml" title="{BLOG_TITLE} - Atom"
 href="https://www.blogger.com/feeds/{BLOG_ID}/posts/default" />
<link href='https://www.blogger.com/static/v1/widgets/sample-css_bundle_v2.css' rel='stylesheet'/>
</head>"""


def _sidebar(base: str) -> str:
    popular = "".join(
        f"<article class='post'><h3 class='post-title'><a href='{base}{p.path[1:]}'>"
        f"{escape(p.title)}</a></h3><div class='snippet-item'>{escape(p.paragraphs[0])}</div>"
        "</article>"
        for p in POPULAR
    )
    archive = "".join(f"<li><a href='{base}{p.path[1:]}'>{escape(p.title)}</a></li>" for p in POSTS)
    labels = "".join(
        f"<li><a dir='ltr' href='{base}{label_path(label)[1:]}'>{escape(label)}</a></li>"
        for label in LABELS
    )
    featured = POSTS[0]
    return f"""<aside class='sidebar-container'><div class='section' id='sidebar'>
<div class='widget FeaturedPost' data-version='2' id='FeaturedPost1'><div class='post-summary'>
<h3><a href='{base}{featured.path[1:]}'>{escape(featured.title)}</a></h3></div></div>
<div class='widget PopularPosts' data-version='2' id='PopularPosts1'>
<h3 class='title'>Popular Posts</h3><div role='feed'>{popular}</div></div>
<div class='widget BlogArchive' data-version='2' id='BlogArchive1'>
<h3 class='title'>Blog Archive</h3><ul class='posts'>{archive}</ul></div>
<div class='widget Label' data-version='2' id='Label1'><h3 class='title'>Labels</h3>
<ul>{labels}</ul></div></div></aside>"""


def _post_block(base: str, post: BloggerPost, *, linked_title: bool) -> str:
    url = base + post.path[1:]
    title = f"<a href='{url}'>{escape(post.title)}</a>" if linked_title else escape(post.title)
    body = "".join(f"<p>{escape(text)}</p>" for text in post.paragraphs)
    if post is POSTS[5]:  # a full-post listing shows links inside post text: not list entries
        body += f"<p>Last year's walk: <a href='{base}{POSTS[2].path[1:]}'>the creek</a>.</p>"
    labels = ",\n".join(
        f"<a href='{base}{label_path(label)[1:]}' rel='tag'>{escape(label)}</a>"
        for label in post.labels
    )
    comments = f"{post.comments} comment{'s' if post.comments != 1 else ''}"
    return f"""<div class='post-outer'><div class='post hentry' itemprop='blogPost'>
<meta content='{BLOG_ID}' itemprop='blogId'/><meta content='{post.post_id}' itemprop='postId'/>
<a name='{post.post_id}'></a>
<h3 class='post-title entry-title' itemprop='name'>{title}</h3>
<div class='post-body entry-content' id='post-body-{post.post_id}' itemprop='articleBody'>
{body}<div style='clear: both;'></div></div>
<div class='post-footer'><div class='post-footer-line post-footer-line-1'>
<span class='post-author vcard'>Posted by <span class='fn' itemprop='author'>
<a class='g-profile' href='https://www.blogger.com/profile/1234' rel='author'>
<span itemprop='name'>{AUTHOR}</span></a></span></span>
<span class='post-timestamp'>at <a class='timestamp-link' href='{url}' rel='bookmark'
 title='permanent link'><abbr class='published' itemprop='datePublished'
 title='{post.published.isoformat()}'>{post.published:%I:%M %p}</abbr></a></span>
<span class='post-comment-link'><a class='comment-link' href='{url}#comment-form'>{comments}</a>
</span><div class='post-share-buttons goog-inline-block'><a class='share-button sb-email'
 href='https://www.blogger.com/share-post.g?blogID={BLOG_ID}&amp;postID={post.post_id}'>
<span class='share-button-link-text'>Email This</span></a></div></div>
<div class='post-footer-line post-footer-line-2'><span class='post-labels'>Labels:
{labels}</span></div></div></div></div>"""


def _day(when: datetime) -> str:
    return f"{when:%A, %B} {when.day}, {when.year}"


def _page(base: str, title: str, canonical: str, posts: str, pager: str) -> str:
    return f"""{_head(base, title, canonical)}
<body class='loading'><div class='content-outer'><div class='main-inner'>
<div class='section' id='main'><div class='widget Blog' data-version='1' id='Blog1'>
<div class='blog-posts hfeed'>{posts}</div>
<div class='blog-pager' id='blog-pager'>{pager}<a class='home-link' href='{base}'>Home</a>
</div></div></div>{_sidebar(base)}</div></div>
<script type='text/javascript'>window['__wavt'] = 'sample';
_WidgetManager._Init('//www.blogger.com/rearrange?blogID\\x3d{BLOG_ID}', '{canonical}',
 '{BLOG_ID}');
</script></body></html>"""


def render_post(base: str, post: BloggerPost) -> str:
    """A post page: the classic template's item view, with the older-post link."""
    older = [p for p in posts_labelled(None) if p.published < post.published]
    pager = ""
    if older:
        pager = (
            f"<a class='blog-pager-older-link' href='{base}{older[0].path[1:]}'"
            " id='Blog1_blog-pager-older-link' title='Older Post'>Older Post</a>"
        )
    posts = (
        f"<div class='date-outer'><h2 class='date-header'><span>{_day(post.published)}</span>"
        f"</h2><div class='date-posts'>{_post_block(base, post, linked_title=False)}</div></div>"
    )
    return _page(base, f"{BLOG_TITLE}: {post.title}", base + post.path[1:], posts, pager)


def render_listing(base: str, label: str | None, updated_max: datetime | None, size: int) -> str:
    """One page of a label's (or the whole blog's) list, posts older than `updated_max`."""
    listed = posts_labelled(label)
    if updated_max is not None:
        listed = [post for post in listed if post.published < updated_max]
    shown, rest = listed[:size], listed[size:]
    path = label_path(label) if label else "/search"
    pager = ""
    if rest:
        cursor = quote(shown[-1].published.isoformat(), safe="")
        older = f"{base}{path[1:]}?updated-max={cursor}&amp;max-results={size}&amp;by-date=false"
        pager = (
            f"<a class='blog-pager-older-link' href='{older}' id='Blog1_blog-pager-older-link'"
            " title='Older Posts'>Older Posts</a>"
        )
    blocks = "".join(
        f"<div class='date-outer'><h2 class='date-header'><span>{_day(post.published)}</span>"
        f"</h2><div class='date-posts'>{_post_block(base, post, linked_title=True)}</div></div>"
        for post in shown
    )
    if not shown:
        blocks = f"<div class='status-msg-wrap'>No posts with label {escape(label or '')}.</div>"
    title = f"{BLOG_TITLE}: {label}" if label else BLOG_TITLE
    return _page(base, title, base + (path[1:] if label else ""), blocks, pager)


def _categories(post: BloggerPost) -> str:
    scheme = "http://www.blogger.com/atom/ns#"
    return "".join(f"<category scheme='{scheme}' term='{escape(x)}'/>" for x in post.labels)


def render_label_feed(base: str, label: str) -> str:
    """The label's Atom feed (`/feeds/posts/default/-/<Label>`), newest first."""
    entries = "".join(
        f"""<entry><id>tag:blogger.com,1999:blog-{BLOG_ID}.post-{post.post_id}</id>
<published>{post.published.isoformat()}</published><updated>{post.published.isoformat()}</updated>
{_categories(post)}
<title type='text'>{escape(post.title)}</title>
<content type='html'>{escape("".join(f"<p>{escape(t)}</p>" for t in post.paragraphs))}</content>
<link rel='alternate' type='text/html' href='{base}{post.path[1:]}' title='{escape(post.title)}'/>
<author><name>{AUTHOR}</name></author></entry>"""
        for post in posts_labelled(label)
    )
    return (
        "<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<id>tag:blogger.com,1999:blog-{BLOG_ID}</id><title type='text'>{BLOG_TITLE}</title>"
        f"<link rel='alternate' type='text/html' href='{base}{label_path(label)[1:]}'/>"
        f"{entries}</feed>"
    )
