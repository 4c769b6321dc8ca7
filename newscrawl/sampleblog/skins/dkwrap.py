"""The 2017-18 default responsive skin (``div#dkWrap``).

Shape from the corpus page sjh836-81: ``strong.tit_category``, ``h3.tit_post``, the date in
``span.txt_detail.my_post``, the body in ``div.area_view > div.tt_article_useless_p_margin``
with the share and related blocks inside it. Posts before 2017 have the old editor's shape:
no inner wrapper (fishing-temp-2). Meta: full from 2019, zone-less compact in 2018.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Skin
from .common import (
    REVENUE_UNIT,
    category_href,
    dot_minute,
    esc,
    paragraphs,
    post_href,
    postbtn,
    related_block,
    tag_links,
)

if TYPE_CHECKING:
    from ..posts import Post
    from ..site import Site


class DkWrap(Skin):
    name = "dkwrap"
    meta_since = 2019
    href_style = "encoded"
    paging_relative = True
    sidebar_cls = {  # noqa: RUF012 - read-only class data
        "aside": "wrap_etc",
        "box": "box_aside",
        "title": "tit_aside",
        "list": "list_board",
        "link": "link_board",
        "style": "encoded",
    }
    paging_cls = {  # noqa: RUF012
        "wrap": "area_paging",
        "prev": "ico_skin link_prev",
        "next": "ico_skin link_next",
        "num": "link_page",
        "numbox": "inner_paging",
    }

    def meta_level(self, post: Post) -> str:
        year = post.published.year
        return "full" if year >= self.meta_since else "compact" if year == 2018 else "none"

    def frame(self, site: Site, main: str, side: str) -> str:
        return (
            '<div id="dkIndex"><a href="#dkBody">본문 바로가기</a></div>\n'
            '<div id="dkWrap" class="wrap_skin">\n'
            '<div id="dkHead" role="banner" class="area_head">\n'
            f'<h1 class="screen_out">{esc(site.title)}</h1>\n'
            f'<div class="area_profile"><div class="tit_post"><a href="{site.base}/" '
            f'class="link_post">{esc(site.title)}</a></div></div>\n'
            '<div role="navigation" class="area_navi"><ul class="list_gnb">'
            f'<li><a href="{site.base}/">홈</a></li><li><a href="{site.base}/category">'
            "분류 전체보기</a></li></ul></div>\n</div>\n"
            '<div id="dkContent" class="cont_skin" role="main">\n<div id="cMain">\n'
            f'<div id="mFeature" class="wrap_sub">{side}</div>\n'
            f'<div id="mArticle" class="article_skin">\n{main}</div>\n</div>\n</div>\n'
            '<div id="dkFoot" role="contentinfo" class="area_foot">'
            f'<small class="txt_copyright">© {esc(site.title)}</small></div>\n</div>\n'
        )

    def article(self, site: Site, post: Post) -> str:
        cat = post.category
        old = post.published.year < 2017
        inner = (
            REVENUE_UNIT
            + paragraphs(site, post)
            + postbtn(site, post)
            + related_block(site, post, self.href_style)
        )
        view = inner if old else f'<div class="tt_article_useless_p_margin">{inner}</div>'
        title = (
            f'<a href="{post_href(site, post, "relative")}">{esc(post.title)}</a>'
            if old
            else esc(post.title)
        )
        return (
            f'<h2 id="dkBody" class="screen_out">{esc(post.title)} 본문</h2>\n'
            '<div class="area_title">\n'
            f'<strong class="tit_category"><a href="{category_href(site, cat, "encoded")}">'
            f"{esc(cat)}</a></strong>\n"
            f'<h3 class="tit_post">{title}</h3>\n'
            f'<span class="txt_detail my_post">{esc(post.author)}<span class="txt_bar"></span>'
            f'{dot_minute(post.published)}<span class="txt_bar"></span>'
            f'<a href="#rp" class="link_cmt">댓글 {post.comments}</a></span>\n</div>\n'
            f'<div class="area_view">\n{view}</div>\n'
            '<div class="area_etc"><div class="tag_label"><span class="txt_tag">TAG</span>\n'
            f"{tag_links(site, post)}</div></div>\n"
            '<div class="area_reply" id="rp"><strong class="tit_reply">'
            f'<span id="commentCount{post.id}">{post.comments}</span> Comments</strong></div>\n'
        )

    def list_item(self, site: Site, post: Post) -> str:
        href = post_href(site, post, self.href_style)
        cat = post.category
        return (
            '<div class="list_content">\n'
            f'<a href="{href}" class="thumbnail_post"><img src="{site.base}/attachment/'
            f'thumb-{post.id}.png" alt=""></a>\n'
            f'<a href="{href}" class="link_post"><strong class="tit_post">{esc(post.title)}'
            f'</strong><p class="txt_post">{esc(post.body[0][:90])}</p></a>\n'
            f'<div class="detail_info"><a href="{category_href(site, cat, "relative")}" '
            f'class="link_cate">{esc(cat)}</a><span class="txt_bar"></span>'
            f"{dot_minute(post.published)}</div>\n</div>\n"
        )

    def list_wrap(self, heading: str, items: str) -> str:
        return (
            f'<div class="index_title"><h2 class="tit_skin"><span class="txt_title">'
            f"{esc(heading)}</span></h2></div>\n"
            f'<div class="area_list">\n{items}</div>\n'
        )
