"""Markup every skin shares: platform meta, scripts, ads, share buttons, related block.

On Tistory these parts are injected by the platform, not written by the skin, so they look
the same in every skin; only where they sit and how links are written differ. Skins pass
those differences in as arguments (``href_style``, ``meta``) rather than copying markup.
"""

from __future__ import annotations

import json
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from ..posts import Post
    from ..site import Site


def esc(text: str) -> str:
    """HTML-escape text and double-quoted attribute values (apostrophes stay readable)."""
    return escape(text, quote=False).replace('"', "&quot;")


def dot_minute(dt: datetime) -> str:
    """``2019.04.08 10:27``: the 2017-18 default skin's header date."""
    return dt.strftime("%Y.%m.%d %H:%M")


def dot_day(dt: datetime) -> str:
    """``2019.04.08``: related rows and listing dates."""
    return dt.strftime("%Y.%m.%d")


def korean(dt: datetime) -> str:
    """``2019. 4. 8. 10:27``: newer skins' date, no zero padding."""
    return f"{dt.year}. {dt.month}. {dt.day}. {dt:%H:%M}"


def category_href(site: Site, category: str, style: str) -> str:
    """A category link in one of the spellings seen on real pages.

    ``encoded``: absolute, fully percent-encoded; ``relative``: ``/category/%EA…``;
    ``raw``: raw Korean with spaces as ``%20`` (older skins).
    """
    if style == "raw":
        return "/category/" + category.replace(" ", "%20")
    path = "/category/" + quote(category)
    return site.base + path if style == "encoded" else path


def post_href(site: Site, post: Post, style: str, category_id: int | None = None) -> str:
    """A post link: absolute for ``encoded``, else relative; optional ``?category=``."""
    path = site.post_path(post)
    if category_id is not None:
        path += f"?category={category_id}"
    return site.base + path if style == "encoded" else path


def _jsdump(data: object) -> str:
    """JSON the way Tistory prints it in scripts: ASCII only, slashes escaped."""
    return json.dumps(data, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/")


def platform_meta(site: Site, post: Post, level: str) -> str:
    """Open Graph / article / JSON-LD meta; ``level`` is ``full``, ``compact`` or ``none``.

    ``compact`` is the older platform's zone-less ``article:published_time`` (Korea time).
    """
    if level == "none":
        return ""
    url = site.url(site.post_path(post))
    desc = esc(post.body[0][:120])
    pub = post.published
    if level == "compact":
        return (
            f'<meta property="og:title" content="{esc(post.title)}">'
            f'<meta property="article:published_time" content="{pub:%Y%m%d%H%M%S}">\n'
        )
    mod = post.modified or pub
    parts = [
        f'<link rel="canonical" href="{url}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:url" content="{url}">',
        f'<meta property="og:site_name" content="{esc(site.title)}">',
        f'<meta property="og:title" content="{esc(post.title)}">',
        f'<meta property="og:description" content="{desc}">',
        f'<meta property="article:section" content="{esc(post.category.split("/")[0])}">',
        f'<meta property="article:published_time" content="{pub.isoformat()}">',
        f'<meta property="article:txid" content="{site.blog_id}_{post.id}">',
        f'<meta property="article:mobile_url" content="{site.url(f"/m/{post.id}")}">',
        f'<meta property="article:pc_url" content="{url}">',
    ]
    if post.modified:
        parts.append(f'<meta property="article:modified_time" content="{mod.isoformat()}">')
    ld = {
        "@context": "http://schema.org",
        "@type": "BlogPosting",
        "mainEntityOfPage": {"@id": url},
        "url": url,
        "headline": post.title,
        "description": post.body[0][:120],
        "author": {"@type": "Person", "name": post.author},
        "datePublished": f"{pub:%Y%m%dT%H:%M:%S}+09:00",
        "dateModified": f"{mod:%Y%m%dT%H:%M:%S}+09:00",
        "publisher": {"@type": "Organization", "name": "TISTORY"},
    }
    parts.append(f'<script type="application/ld+json">{_jsdump(ld)}</script>')
    return "<!-- BEGIN OPENGRAPH -->\n" + "".join(parts) + "\n<!-- END OPENGRAPH -->\n"


def t_config(site: Site, post: Post | None) -> str:
    """The ``window.T.config`` script (and ``T.entryInfo`` on articles) right after body."""
    newer, older = site.blog_neighbours(post) if post else (None, None)
    config = {
        "TOP_SSL_URL": "https://www.tistory.com",
        "PREVIEW": False,
        "ROLE": "guest",
        "PREV_PAGE": site.post_path(newer) if newer else "",
        "NEXT_PAGE": site.post_path(older) if older else "",
        "BLOG": {"id": site.blog_id, "name": "sampleblog", "title": site.title},
        "NEED_COMMENT_LOGIN": False,
        "DEFAULT_URL": site.base,
    }
    lines = [f"\t\twindow.T.config = {_jsdump(config)};"]
    if post:
        info = {
            "entryId": post.id,
            "isAuthor": False,
            "categoryId": site.category_ids[post.category],
            "categoryLabel": post.category,
        }
        lines.append(f"\t\twindow.T.entryInfo = {_jsdump(info)};")
    return (
        '<script type="text/javascript">\n\t(function() {\n\t\tif (!window.T) { window.T = {} }\n'
        + "\n".join(lines)
        + "\n\t})();\n</script>\n"
    )


REVENUE_UNIT = (
    '<!-- System - START -->\n<div class="revenue_unit_wrap">\n'
    '<div class="revenue_unit_item adfit"><div class="revenue_unit_info">728x90</div>'
    '<ins class="kakao_ad_area" style="display: none;" data-ad-unit="DAN-sampleblog01" '
    'data-ad-width="728px" data-ad-height="90px"></ins></div>\n</div>\n<!-- System - END -->\n'
)
ADSENSE = (
    '<ins class="adsbygoogle" style="display:block" data-ad-client="ca-pub-0000000000000000" '
    'data-ad-slot="1234567890" data-ad-format="auto"></ins>\n'
    "<script>(adsbygoogle = window.adsbygoogle || []).push({});</script>\n"
)


def image_block(site: Site, post: Post) -> str:
    """A lazy image as the newer editor writes it: figure, span[data-url], srcset, data-src."""
    src = f"{site.base}/attachment/img-{post.id}.png"
    return (
        '<figure class="imageblock alignCenter" data-origin-width="800" '
        f'data-origin-height="450"><span data-url="{src}" data-lightbox="lightbox">'
        f'<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="{src}" '
        f'srcset="{src}?w=1280 1280w" loading="lazy" width="800" height="450" '
        f'alt="{esc(post.title)}"></span><figcaption>{esc(post.title)}</figcaption></figure>\n'
    )


def paragraphs(site: Site, post: Post, *, ads: bool = True) -> str:
    """Body paragraphs with an image after the first and an AdSense unit in the middle."""
    out = []
    for n, text in enumerate(post.body):
        out.append(f'<p data-ke-size="size16">{esc(text)}</p>\n')
        if n == 0 and post.id % 3 != 1:
            out.append(image_block(site, post))
        if ads and n == len(post.body) // 2 and post.id % 2:
            out.append(ADSENSE)
    return "".join(out)


def postbtn(site: Site, post: Post) -> str:
    """The reaction/share/licence block (``div.container_postbtn``) with its RDF comment."""
    url = site.url(site.post_path(post))
    return (
        '<div class="container_postbtn #post_button_group">\n<div class="postbtn_like">'
        f'<div class="wrap_btn" id="reaction-{post.id}" data-tistory-react-app="Reaction"></div>'
        '<div class="wrap_btn wrap_btn_share"><button type="button" class="btn_post sns_btn '
        f'btn_share" data-title="{esc(post.title)}" data-url="{url}">'
        '<span class="ico_postbtn ico_share">공유하기</span></button></div></div>\n'
        '<div class="postbtn_ccl" data-ccl-type="1"><a href="https://creativecommons.org/'
        'licenses/by/4.0/deed.ko" class="link_ccl" rel="license">저작자표시</a></div>\n'
        '<!--\n<rdf:RDF xmlns="https://web.resource.org/cc/">\n<Work rdf:about="">'
        "</Work>\n</rdf:RDF>\n-->\n</div>\n"
    )


def related_block(site: Site, post: Post, href_style: str) -> str:
    """The related block ("'A > B' 카테고리의 다른 글"): nearest posts of the category.

    Rows come from ``Site.related_rows``; ``post.related`` decides whether the current post
    is a row; odd ids get a ``<tbody>``; posts up to 2018 add ``?category=`` to row links.
    """
    if post.related == "off":
        return ""
    others = site.related_rows(post)
    rows = sorted([*others, post] if post.related == "full" else others,
                  key=lambda p: p.published, reverse=True)  # fmt: skip
    parts = post.category.split("/")
    links = [
        f'<a href="{category_href(site, "/".join(parts[: i + 1]), href_style)}">{esc(name)}</a>'
        for i, name in enumerate(parts)
    ]
    cat_id = site.category_ids[post.category] if post.published.year <= 2018 else None
    trs = []
    for row in rows:
        current = ' class="current"' if row is post else ""
        href = post_href(site, row, href_style, cat_id)
        trs.append(
            f'<tr>\n<th>\n<a href="{href}"{current}>{esc(row.title)}</a>'
            f"&nbsp;&nbsp;<span>({row.comments})</span>\n</th>\n<td>\n{dot_day(row.published)}"
            "</td>\n</tr>\n"
        )
    body = "".join(trs)
    if post.id % 2:
        body = f"<tbody>{body}</tbody>"
    return (
        "<!-- PostListinCategory - START -->\n"
        '<div class="another_category another_category_color_gray">\n'
        f"<h4>'{'&nbsp;&gt;&nbsp;'.join(links)}' 카테고리의 다른 글</h4>\n"
        f"<table>\n{body}</table>\n</div>\n<!-- PostListinCategory - END -->\n"
    )


def tag_links(site: Site, post: Post) -> str:
    """Tag links (``a[rel=tag]`` → ``/tag/<name>``), comma-separated as the platform writes."""
    return ",\n".join(f'<a href="/tag/{quote(tag)}" rel="tag">{esc(tag)}</a>' for tag in post.tags)
