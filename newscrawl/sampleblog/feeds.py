"""Non-HTML endpoints of the sample blog: RSS 2.0, sitemap, robots.txt, and the 404 page.

The crawler discovers posts from these too, so they follow Tistory's shapes: RSS with the
latest 10 posts and RFC 822 dates, a sitemap with every post and its ``lastmod``.
"""

from __future__ import annotations

from email.utils import format_datetime
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from .site import Site

RSS_ITEMS = 10


def rss(site: Site) -> bytes:
    """RSS 2.0 feed of the latest posts (``description`` holds escaped HTML, as Tistory)."""
    items = []
    for post in site.posts[:RSS_ITEMS]:
        url = site.url(site.post_path(post))
        html = "".join(f"<p>{escape(p)}</p>" for p in post.body)
        items.append(
            "<item>\n"
            f"<title>{escape(post.title)}</title>\n<link>{url}</link>\n"
            f"<description>{escape(html)}</description>\n"
            f"<category>{escape(post.category)}</category>\n"
            f"<author>{escape(post.author)}</author>\n"
            f'<guid isPermaLink="true">{url}</guid>\n'
            f"<comments>{url}#entry{post.id}comment</comments>\n"
            f"<pubDate>{format_datetime(post.published)}</pubDate>\n</item>\n"
        )
    newest = format_datetime(site.posts[0].published) if site.posts else ""
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n'
        f"<title>{escape(site.title)}</title>\n<link>{site.base}/</link>\n"
        "<description>sample blog for newscrawl</description>\n<language>ko</language>\n"
        f"<pubDate>{newest}</pubDate>\n<generator>TISTORY</generator>\n"
        + "".join(items)
        + "</channel>\n</rss>\n"
    )
    return xml.encode("utf-8")


def sitemap(site: Site) -> bytes:
    """Sitemap of every post (permalink) with ``lastmod`` = modified or published time."""
    urls = "".join(
        f"<url><loc>{escape(site.url(site.post_path(p)))}</loc>"
        f"<lastmod>{(p.modified or p.published).isoformat()}</lastmod></url>\n"
        for p in site.posts
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
    )
    return xml.encode("utf-8")


def robots(site: Site, sitemap_path: str = "/sitemap.xml") -> bytes:
    """Allow everything and point at the sitemap."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.base}{sitemap_path}\n".encode()


def not_found(site: Site) -> bytes:
    """The body served with status 404 (the platform's plain error page, no skin)."""
    return (
        '<!DOCTYPE html>\n<html lang="ko"><head><meta charset="utf-8"><title>TISTORY</title>'
        '</head>\n<body id="tt-body-error"><div class="absent_post">'
        "<p>존재하지 않는 페이지입니다.</p>"
        f'<a href="{site.base}/">홈으로 가기</a></div></body></html>\n'
    ).encode()
