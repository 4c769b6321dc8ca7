"""Hostile bodies for the fault server: bombs, noise, other encodings, broken and fake pages.

Pure functions, bytes in and bytes out; most start from a page the sample blog rendered, so
a test knows exactly what a correct crawler should still extract from the damaged version.
"""

from __future__ import annotations

import random
import re
import zlib
from functools import lru_cache

from newscrawl.sampleblog import Post

UTF8_META = '<meta charset="utf-8">'
# The article column of the `dkwrap` skin (the fault server's default skin).
ARTICLE_VIEW = re.compile(r'(<div class="area_view">\n).*?(</div>\n<div class="area_etc">)', re.S)
# End tags a careless editor leaves out: not those of script and style (without which a
# browser too reads the rest as code) nor of the ad slots Tistory itself inserts (`ins`).
UNCLOSED_TAGS = re.compile(r"</(?!script|style|ins)[a-zA-Z][a-zA-Z0-9]*\s*>", re.I)
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@lru_cache(maxsize=4)
def gzip_bomb(expanded: int) -> bytes:
    """A gzip stream of `expanded` zero bytes (64 MiB packs into about 64 KiB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip header and trailer
    block = bytes(1024 * 1024)
    parts = [packer.compress(block) for _ in range(expanded // len(block))]
    return b"".join([*parts, packer.compress(bytes(expanded % len(block))), packer.flush()])


def noise(size: int, seed: int = 7) -> bytes:
    """Random bytes, NULs and invalid UTF-8 included: not text at all."""
    return random.Random(seed).randbytes(size)


def in_korean_encoding(page: bytes, *, declare: bool) -> bytes:
    """The page re-encoded as EUC-KR (CP949, what Korean servers send under that name).

    With `declare`, `<meta charset="euc-kr">` replaces the UTF-8 one; without, the page
    declares nothing and only the HTTP header (if any) tells the encoding. Characters
    CP949 lacks become character references, which decode to the same text.
    """
    html = page.decode("utf-8").replace(UTF8_META, '<meta charset="euc-kr">' if declare else "")
    return html.encode("cp949", "xmlcharrefreplace")


def unclosed(page: bytes) -> bytes:
    """The page cut off after its article, whose own markup closes nothing it opens.

    From the first paragraph on, no element is closed and `</body></html>` never comes, as
    with careless editor HTML on a page a server or proxy stopped short; the title, date and
    body text are all there.
    """
    html = page.decode("utf-8")
    start = html.index("<p ", html.index('<div class="area_view">'))
    end = html.index('<div class="area_etc">')
    return (html[:start] + UNCLOSED_TAGS.sub("", html[start:end])).encode("utf-8")


def nested_garbage(page: bytes, depth: int = 600) -> bytes:
    """`depth` unclosed nested tags and tag soup injected after the article's first paragraph."""
    html = page.decode("utf-8")
    soup = "<div><span><b>" * depth + "<<>>&&;</x></y><![CDATA[ ]]><!-- -- --><td><tr></table>"
    cut = html.index("</p>", html.index('<div class="area_view">')) + len("</p>")
    return (html[:cut] + soup + html[cut:]).encode("utf-8")


def protected(page: bytes, post: Post) -> bytes:
    """The post as Tistory shows it locked: title kept, body replaced by the password form."""
    form = (
        r'\g<1><div class="protected_form"><p class="protected_desc">보호되어 있는 글입니다.<br>'
        "내용을 보시려면 비밀번호를 입력하세요.</p>"
        f'<input type="password" maxlength="16" id="entry{post.id}password" '
        f'onkeydown="if (event.keyCode == 13) {{ reloadEntry({post.id}); return false; }}">'
        f'<input type="button" value="확인" onclick="reloadEntry({post.id}); return false;">'
        r"</div>\n\g<2>"
    )
    html, count = ARTICLE_VIEW.subn(form, page.decode("utf-8"), count=1)
    if count != 1:
        raise ValueError("no article column in this page (protected() needs the dkwrap skin)")
    return html.encode("utf-8")


def xml_bomb(root: str = "urlset", levels: int = 9) -> bytes:
    """A "billion laughs" document: entities that expand to 10**levels copies of `lol`."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, levels + 1)
    ]
    body = f"<url><loc>&lol{levels};</loc></url>" if root == "urlset" else f"<x>&lol{levels};</x>"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE {root} [\n'
        + "\n".join(entities)
        + f']>\n<{root} xmlns="{SITEMAP_NS}">{body}</{root}>\n'
    ).encode()


def sitemap_index(locations: list[str]) -> bytes:
    """A sitemap index listing `locations` as child sitemaps."""
    children = "".join(f"<sitemap><loc>{location}</loc></sitemap>" for location in locations)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="{SITEMAP_NS}">{children}</sitemapindex>\n'
    ).encode()


def crowded(page: bytes, links: list[str]) -> bytes:
    """The page with a sidebar widget holding `links` (thousands of them) before `</body>`."""
    items = "".join(
        f'<li><a href="{href}" class="link_tag">{n}</a></li>' for n, href in enumerate(links)
    )
    widget = (
        '<div class="box_aside box_aside_tag"><h3 class="tit_aside">태그</h3>'
        f'<ul class="list_tag">{items}</ul></div>'
    )
    html = page.decode("utf-8")
    cut = html.rindex("</body>")
    return (html[:cut] + widget + html[cut:]).encode("utf-8")
