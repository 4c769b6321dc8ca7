"""What a skin is: a few templates plus the choices that differ between real skins.

A skin renders the article's main column, one listing item and its frame (header, sidebar,
footer); the site decides which posts go where. Class attributes carry the per-skin choices
(meta era, link spelling, permalink style, widget class names) so a skin is mostly markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from .common import esc, t_config
from .widgets import paging, sidebar

if TYPE_CHECKING:
    from ..posts import Post
    from ..site import Site


class Skin:
    """Base skin; subclasses override the markup methods and the class attributes."""

    name: ClassVar[str] = ""
    #: Posts published in this year or later carry full platform meta (og/article/JSON-LD).
    meta_since: ClassVar[int] = 0
    #: Posts with a slug are linked (and canonical) as ``/entry/<slug>``.
    slug_permalinks: ClassVar[bool] = False
    #: How category/post links are written: ``encoded`` (absolute), ``relative``, ``raw``.
    href_style: ClassVar[str] = "encoded"
    sidebar_cls: ClassVar[dict[str, str]] = {}
    paging_cls: ClassVar[dict[str, str]] = {}
    paging_relative: ClassVar[bool] = False

    def meta_level(self, post: Post) -> str:
        """``full`` / ``compact`` / ``none``: which platform meta this post's page has."""
        return "full" if post.published.year >= self.meta_since else "none"

    # --- markup, overridden per skin -------------------------------------------------
    def frame(self, site: Site, main: str, side: str) -> str:
        """Header, main column, sidebar and footer inside the skin's wrapper."""
        raise NotImplementedError

    def article(self, site: Site, post: Post) -> str:
        """The main column of an article page."""
        raise NotImplementedError

    def list_item(self, site: Site, post: Post) -> str:
        """One post in a listing (home, category, tag)."""
        raise NotImplementedError

    def list_wrap(self, heading: str, items: str) -> str:
        """The listing container around the items (empty on a page beyond the end)."""
        raise NotImplementedError

    # --- shared ----------------------------------------------------------------------
    def document(
        self, site: Site, *, body_id: str, title: str, head: str, main: str, post: Post | None
    ) -> str:
        """A whole HTML page: head, ``body#tt-body-*``, ``T.config`` script, frame."""
        if site.sidebar_html is None:
            site.sidebar_html = sidebar(site, self.sidebar_cls)
        return (
            '<!DOCTYPE html>\n<html lang="ko">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n{head}"
            f'<link rel="alternate" type="application/rss+xml" title="{esc(site.title)}" '
            f'href="{site.base}/rss">\n'
            '<style type="text/css">.tt_article_useless_p_margin p {margin:0 !important;}</style>'
            f'\n</head>\n<body id="{body_id}" class="skin-{self.name}">\n'
            f"{t_config(site, post)}{self.frame(site, main, site.sidebar_html)}"
            "</body>\n</html>\n"
        )

    def listing(
        self, site: Site, heading: str, posts: list[Post], path: str, page: int, pages: int
    ) -> str:
        """Listing main column: items and the paging block."""
        items = "".join(self.list_item(site, p) for p in posts)
        block = paging(path, page, pages, self.paging_cls, self.paging_relative)
        return self.list_wrap(heading, items) + block
