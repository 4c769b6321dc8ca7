"""Sidebar widgets and the paging block, with class names supplied per skin.

Every Tistory skin has the same widgets (recent posts, popular posts, categories, tags,
recent comments) with its own class names. The widgets are exactly what makes a crawler
follow the wrong links (post links on every page, list-like rich items), so every skin must
have them; one renderer with a class map keeps the three skins from drifting apart.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING
from urllib.parse import quote

from .common import dot_day, esc, post_href

if TYPE_CHECKING:
    from ..site import Site

PAGE_WINDOW = 5
_COMMENT_TEXTS = (
    "잘 읽었습니다!",
    "좋은 정리 감사합니다.",
    "다음 글도 기다릴게요.",
    "저도 가 봤어요.",
)


def category_tree(site: Site) -> str:
    """The platform's ``ul.tt_category`` tree: every category, counts incl. subcategories."""
    items = []
    for top in site.top_categories():
        subs = [c for c in site.category_ids if c.startswith(top + "/")]
        sub_html = "".join(
            f'<li class=""><a href="{site.base}/category/{quote(c)}" class="link_sub_item">'
            f'{esc(c.split("/")[-1])} <span class="c_cnt">({len(site.in_category(c))})</span>'
            "</a></li>\n"
            for c in subs
        )
        sub_ul = f'<ul class="sub_category_list">\n{sub_html}</ul>' if subs else ""
        items.append(
            f'<li class=""><a href="{site.base}/category/{quote(top)}" class="link_item">'
            f'{esc(top)} <span class="c_cnt">({len(site.in_category(top))})</span></a>'
            f"{sub_ul}</li>\n"
        )
    return (
        '<ul class="tt_category"><li class=""><a href="/category" class="link_tit">분류 전체보기'
        f' <span class="c_cnt">({len(site.posts)})</span></a>\n'
        f'<ul class="category_list">\n{"".join(items)}</ul></li></ul>\n'
    )


def sidebar(site: Site, cls: dict[str, str]) -> str:
    """All widgets; ``cls`` maps ``box``, ``title``, ``list``, ``link``, ``style`` per skin."""
    box, tit, lst, link, style = (cls[k] for k in ("box", "title", "list", "link", "style"))

    def widget(name: str, title: str, inner: str) -> str:
        return f'<div class="{box} {box}_{name}">\n<h3 class="{tit}">{title}</h3>\n{inner}</div>\n'

    recent = "".join(
        f'<li><a href="{post_href(site, p, style)}" class="{link}">{esc(p.title)}</a></li>\n'
        for p in site.posts[:5]
    )
    popular = "".join(
        f'<li class="item_popular"><a href="{post_href(site, p, style)}" class="link_popular">'
        f'<span class="thumb_popular"><img src="{site.base}/attachment/thumb-{p.id}.png" '
        f'alt="" loading="lazy"></span><span class="txt_popular">{esc(p.title)}</span>'
        f'<span class="date_popular">{dot_day(p.published)}</span></a></li>\n'
        for p in site.popular()
    )
    counts = Counter(t for p in site.posts for t in p.tags)
    tags = "".join(
        f'<li><a href="/tag/{quote(t)}" class="link_tag cloud{max(1, 5 - n)}">{esc(t)}</a></li>\n'
        for t, n in sorted(counts.items())
    )
    commented = [p for p in site.posts if p.comments][:5]
    comments = "".join(
        f'<li><a href="{site.post_path(p)}#comment{p.id * 1000 + p.comments}" class="{link}">'
        f"{_COMMENT_TEXTS[p.id % len(_COMMENT_TEXTS)]}</a></li>\n"
        for p in commented
    )
    return (
        f'<div class="{cls["aside"]}">\n'
        + widget("category", "카테고리", category_tree(site))
        + widget("recent", "최근 글", f'<ul class="{lst}">\n{recent}</ul>\n')
        + widget("popular", "인기 글", f'<ul class="list_popular">\n{popular}</ul>\n')
        + widget("tag", "태그", f'<ul class="list_tag">\n{tags}</ul>\n')
        + widget("comment", "최근 댓글", f'<ul class="{lst}">\n{comments}</ul>\n')
        + "</div>\n"
    )


def paging(path: str, page: int, pages: int, cls: dict[str, str], relative: bool) -> str:
    """``div.paging``: prev, numbered links (current one not a link), next.

    ``page`` 0 renders the block without a current page (the beyond-the-end listing).
    ``relative`` writes ``?page=N`` like the default skin, else the full path.
    """

    def href(n: int) -> str:
        return f"?page={n}" if relative else f"{quote(path)}?page={n}"

    prev = (
        f'<a href="{href(page - 1)}" class="{cls["prev"]}">이전</a>'
        if page > 1
        else f'<a class="{cls["prev"]} no-more-prev">이전</a>'
    )
    nxt = (
        f'<a href="{href(page + 1)}" class="{cls["next"]}">다음</a>'
        if 0 < page < pages
        else f'<a class="{cls["next"]} no-more-next">다음</a>'
    )

    def num(n: int) -> str:
        if n == 0:
            return f'<a class="{cls["num"]}"><span>&middot;&middot;&middot;</span></a>'
        if n == page:
            return f'<a class="{cls["num"]}"><span class="selected">{n}</span></a>'
        return f'<a href="{href(n)}" class="{cls["num"]}"><span>{n}</span></a>'

    nums = "".join(num(n) for n in page_window(page, pages))
    return (
        f'<div class="paging {cls["wrap"]}">\n{prev}\n'
        f'<span class="{cls["numbox"]}">{nums}</span>\n{nxt}\n</div>\n'
    )


def page_window(page: int, pages: int, width: int = PAGE_WINDOW) -> list[int]:
    """Page numbers to show: all when few, else a window plus first/last (0 = ``···``).

    Like the real block (``1 2 3 4 ··· 12``); listing every number would make a
    10 000-post benchmark blog quadratic to render.
    """
    if pages <= width:
        return list(range(1, pages + 1))
    start = min(max(1, page - width // 2), pages - width + 1)
    window = list(range(start, start + width))
    head = [1, 0] if start > 2 else [1] if start == 2 else []
    end = window[-1]
    tail = [0, pages] if end < pages - 1 else [pages] if end == pages - 1 else []
    return head + window + tail
