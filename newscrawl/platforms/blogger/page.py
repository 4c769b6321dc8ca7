"""A parsed Blogger page: where the post, its body and the Blog widget are, found once.

Every Blogger template nests the post the same way, whatever its look: the `Blog` widget
(`#Blog1`) → `div.blog-posts` → one block per post (`.post-outer`, `.post`, `article`) →
`div.post-body` (`.entry-content` on most templates). Fields are read inside the post's block
first, so a date, byline or label in the sidebar (Popular Posts, Featured Post, Archive) is
never taken for the post's. `Document` supplies the head data (meta, canonical, JSON-LD).
"""

from __future__ import annotations

import re
from functools import cached_property

import parsel
from lxml import etree

from newscrawl.cssindex import is_inside
from newscrawl.document import Document

LIST_AREAS = ("#Blog1 .blog-posts", ".widget.Blog .blog-posts", "#Blog1", ".widget.Blog")
POST_BLOCKS = (".post-outer", ".post-outer-container", ".post", "article", ".hentry")
BODY_CONTAINERS = (
    "div.post-body.entry-content",
    ".post-body",
    "[itemprop~=articleBody]",
    ".entry-content",
)
TITLE_SELECTORS = (".post-title", ".entry-title", "[itemprop=headline]")
# `_WidgetManager._SetDataContext([{'name': 'blog', 'data': {'blogId': '…', …`.
DATA_CONTEXT_FIELD = r"['\"]{name}['\"]\s*:\s*['\"]?([^'\",}}]+)"


class BloggerPage(Document):
    """One Blogger page; `post` is the block of the single post it shows, if it shows one."""

    def __init__(self, root: parsel.Selector, url: str) -> None:
        super().__init__(root, url, BODY_CONTAINERS, TITLE_SELECTORS)

    @cached_property
    def list_area(self) -> etree._Element:
        """The Blog widget's post list; the whole page when a template dropped the widget."""
        for css in LIST_AREAS:
            if found := self.select(css):
                return found[0]
        return self.lxml

    @cached_property
    def post_blocks(self) -> list[etree._Element]:
        """The outermost post blocks of the list, in page order."""
        found = self.select(", ".join(POST_BLOCKS), self.list_area)
        chosen = set(found)
        return [el for el in found if not any(a in chosen for a in el.iterancestors())]

    @cached_property
    def body(self) -> etree._Element | None:  # type: ignore[override]
        """The post body: in the Blog widget's list first, then anywhere outside other widgets."""
        for scope in (self.list_area, self.lxml):
            for css in self._body_containers:
                found = [el for el in self.select(css, scope) if not _in_other_widget(el)]
                if found:
                    return found[0]
        return None

    @cached_property
    def post(self) -> etree._Element:
        """The post's own block (title, byline, labels); the list area when there is none."""
        if self.body is not None:
            for block in self.post_blocks:
                if is_inside(self.body, block):
                    return block
        return self.list_area

    def in_post(self, css: str, *, outside_body: bool = True) -> list[etree._Element]:
        """Elements of the post's block matching `css`, by default not inside the body."""
        found = self.select(css, self.post)
        if outside_body and self.body is not None:
            found = [el for el in found if not is_inside(el, self.body)]
        return found

    @cached_property
    def scripts(self) -> str:
        """Inline scripts, joined: Blogger's data context carries the page's identity."""
        return "\n".join(self.lxml.xpath("//script[not(@src)]/text()"))

    def data_context(self, name: str) -> str | None:
        """A value of `_WidgetManager._SetDataContext` (`blogId`, `postId`, `pageType`)."""
        match = re.search(DATA_CONTEXT_FIELD.format(name=re.escape(name)), self.scripts)
        return match.group(1).strip() if match else None


def _in_other_widget(element: etree._Element) -> bool:
    """Inside a sidebar widget (`widget PopularPosts`, `widget FeaturedPost`…), not `Blog`."""
    for ancestor in element.iterancestors():
        classes = (ancestor.get("class") or "").split()
        if "widget" in classes:
            return "Blog" not in classes
    return False
