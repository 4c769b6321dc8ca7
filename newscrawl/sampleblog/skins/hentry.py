"""The h-entry (microformats) skin, modelled on the corpus page wonlf-hentry-skin.

``h1.hd-heading.p-name a``, ``abbr.dt-published[title="2019. 4. 8. 10:27"]``,
``a.p-category``, body in ``div.e-content.post-content > div.tt_article_useless_p_margin
.contents_style``. Posts before 2020 have no platform meta at all, so title, date and
category can only come from this markup. Posts with a slug use ``/entry/<slug>`` links.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Skin
from .common import (
    REVENUE_UNIT,
    category_href,
    esc,
    korean,
    paragraphs,
    post_href,
    postbtn,
    related_block,
    tag_links,
)

if TYPE_CHECKING:
    from ..posts import Post
    from ..site import Site


class HEntry(Skin):
    name = "hentry"
    meta_since = 2020
    slug_permalinks = True
    href_style = "raw"
    sidebar_cls = {  # noqa: RUF012 - read-only class data
        "aside": "sidebar aside",
        "box": "widget",
        "title": "widget-title",
        "list": "widget-list",
        "link": "widget-link",
        "style": "relative",
    }
    paging_cls = {  # noqa: RUF012
        "wrap": "pagination",
        "prev": "prev",
        "next": "next",
        "num": "num",
        "numbox": "numbox",
    }

    def frame(self, site: Site, main: str, side: str) -> str:
        return (
            '<div id="container">\n<header id="header" class="site-header">'
            f'<h1 class="site-title"><a href="/">{esc(site.title)}</a></h1>\n'
            '<nav class="gnb"><ul><li><a href="/">Home</a></li>'
            '<li><a href="/category">Archive</a></li><li><a href="/rss">RSS</a></li></ul></nav>'
            "</header>\n"
            f'<div id="main" role="main">\n<div id="content">\n{main}</div>\n'
            f"<!-- sidebar {{ -->\n{side}<!-- }} sidebar -->\n</div>\n"
            f'<footer id="footer"><p class="copyright">{esc(site.title)} · h-entry skin</p>'
            "</footer>\n</div>\n"
        )

    def _date(self, post: Post) -> str:
        text = korean(post.published)
        return f'<abbr class="timeago dt-published" title="{text}">{text}</abbr>'

    def article(self, site: Site, post: Post) -> str:
        cat = post.category
        return (
            '<section class="entry h-entry">\n<div class="content-width">\n'
            '<header class="hd"><div class="hd-inner">\n'
            '<h1 class="hd-heading lts-narrow p-name" role="heading">'
            f'<a href="{post_href(site, post, "relative")}">{esc(post.title)}</a></h1>\n'
            '<div class="sub-info"><span class="meta-cate">'
            f'<a href="{category_href(site, cat, "raw")}" class="p-category target-bread">'
            f'{esc(cat.split("/")[-1])}</a></span> / <span class="p-author h-card" '
            f'rel="author" title="작성자">{esc(post.author)}</span> / {self._date(post)} / '
            f'<a href="#comments" class="comment-count">댓글 <span id="commentCount{post.id}">'
            f"{post.comments}</span></a>\n</div></div></header>\n"
            '<div class="e-content post-content">\n'
            '<div class="tt_article_useless_p_margin contents_style">\n'
            f"{REVENUE_UNIT}{paragraphs(site, post)}</div>\n"
            f"{postbtn(site, post)}{related_block(site, post, self.href_style)}"
            '<div class="sns-go"><ul><li></li><li></li></ul></div>\n</div>\n'
            f'<footer class="entry-footer"><div class="tag_label">{tag_links(site, post)}'
            "</div></footer>\n"
            '<div id="comments" class="post-reply"></div>\n</div>\n</section>\n'
        )

    def list_item(self, site: Site, post: Post) -> str:
        href = post_href(site, post, "relative")
        return (
            '<article class="entry h-entry list-item">\n'
            f'<h2 class="entry-title p-name"><a href="{href}" class="u-url">{esc(post.title)}'
            f"</a></h2>\n"
            f'<p class="p-summary">{esc(post.body[0][:90])}</p>\n'
            f'<div class="sub-info"><a href="{category_href(site, post.category, "raw")}" '
            f'class="p-category">{esc(post.category.split("/")[-1])}</a> / {self._date(post)}'
            "</div>\n</article>\n"
        )

    def list_wrap(self, heading: str, items: str) -> str:
        return (
            f'<div class="list-header"><h2 class="list-title">{esc(heading)}</h2></div>\n'
            f'<div class="entry-list h-feed">\n{items}</div>\n'
        )
