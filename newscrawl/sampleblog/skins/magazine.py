"""A 2024-25 magazine-style skin.

Body as on the codechy/id-33* pages: ``div#article-view.area_view`` with ads first, then
``div.contents_style``, then the share block and ``<!-- PostListinCategory -->``. Header
classes are the ``tt-post-*`` family of the corpus home pages (id-25121750728); dates are
Korean style (``2023. 3. 18. 10:58``); links are relative and percent-encoded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Skin
from .common import (
    ADSENSE,
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


class Magazine(Skin):
    name = "magazine"
    meta_since = 0
    href_style = "relative"
    sidebar_cls = {  # noqa: RUF012 - read-only class data
        "aside": "sidebar",
        "box": "module",
        "title": "tit_module",
        "list": "list_module",
        "link": "link_module",
        "style": "relative",
    }
    paging_cls = {  # noqa: RUF012
        "wrap": "area_paging_magazine",
        "prev": "btn_prev",
        "next": "btn_next",
        "num": "link_num",
        "numbox": "num_box",
    }

    def frame(self, site: Site, main: str, side: str) -> str:
        return (
            '<div id="wrap" class="magazine">\n<header id="header">\n'
            f'<h1 class="logo"><a href="/">{esc(site.title)}</a></h1>\n'
            '<nav id="gnb"><ul><li><a href="/">홈</a></li><li><a href="/category">전체 글</a>'
            "</li></ul></nav>\n</header>\n"
            f'<main id="content" class="content">\n{main}</main>\n'
            f'<aside id="aside">\n{side}</aside>\n'
            f'<footer id="footer"><div class="inner"><p class="copyright">© {esc(site.title)}'
            "</p></div></footer>\n</div>\n"
        )

    def article(self, site: Site, post: Post) -> str:
        cat = post.category
        label = " > ".join(cat.split("/"))
        return (
            '<div class="article-header post-cover">\n'
            f'<span class="tt-post-category"><a href="{category_href(site, cat, "relative")}">'
            f"{esc(label)}</a></span>\n"
            f'<h2 class="tt-post-title">{esc(post.title)}</h2>\n'
            f'<div class="tt-post-etcinfo"><span class="tt-post-author">{esc(post.author)}</span>'
            f'<span class="tt-post-date">{korean(post.published)}</span>'
            f'<span class="tt-post-comment">댓글 <span id="commentCount">{post.comments}</span>'
            "</span></div>\n</div>\n"
            f'<div class="area_view" id="article-view">\n{ADSENSE}{REVENUE_UNIT}'
            f'<div class="contents_style">\n{paragraphs(site, post, ads=False)}</div>\n'
            f"{postbtn(site, post)}{related_block(site, post, self.href_style)}</div>\n"
            f'<div class="area_tag"><div class="tag_label">{tag_links(site, post)}</div></div>\n'
        )

    def list_item(self, site: Site, post: Post) -> str:
        href = post_href(site, post, self.href_style)
        cat = post.category
        return (
            '<div class="tt-item tt-wrap-item-post">\n'
            f'<a href="{href}" class="tt-post-thumb"><img src="{site.base}/attachment/'
            f'thumb-{post.id}.png" alt="" loading="lazy"></a>\n'
            f'<p class="tt-post-title"><a href="{href}">{esc(post.title)}</a></p>\n'
            f'<p class="tt-post-summary">{esc(post.body[0][:90])}</p>\n'
            '<div class="tt-post-etcinfo">'
            f'<span class="tt-post-category"><a href="{category_href(site, cat, "relative")}">'
            f'{esc(cat)}</a></span><span class="tt-post-date">{korean(post.published)}</span>'
            f'<span class="tt-post-comment">{post.comments} comment</span></div>\n</div>\n'
        )

    def list_wrap(self, heading: str, items: str) -> str:
        return (
            f'<div class="list-head"><h2 class="tt-item-title">{esc(heading)}</h2></div>\n'
            f'<div id="ttCanvas" class="post-list">\n{items}</div>\n'
        )
