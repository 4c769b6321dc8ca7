"""What on a listing page is *not* the list: page chrome, post bodies, widget-titled boxes.

Skins name their regions freely, so chrome is recognised by role, skin-independently:

- **Sectioning elements.** `nav` and `aside` are chrome. `header`/`footer` are chrome when they
  belong to the page; inside an `article`, `section` or `li` they are an item's own header.
- **Role tokens in ids and classes.** Names are split into tokens (`box_aside` → box, aside;
  `recentComments` → recent, comments; digits dropped), because substrings lie: `inside` is not
  `side`, `list_category` is the list. Widget-role tokens (`sidebar`, `widget`, `recent`,
  `popular`, `rank`, `notice`, `comment`, `related`…) always mark chrome. Layout tokens
  (`header`, `head`, `footer`, `foot`) only when no content word qualifies them: `area_head`
  is the page header, `post-header` is an item's. `top`/`bottom` are left out: grid utility
  classes (`append-bottom-4`) use them on content.
- **Wrappers are not chrome.** A chrome-named element that contains the paging block, a `main`
  element or a main-content id (`#content`, `#main`, `#primary`) is a layout wrapper
  (`div.has-sidebar`), so the names of page-wide wrappers do not hide the list.
- **Post bodies.** Links inside Tistory's editor output (`tt_article_useless_p_margin`,
  `contents_style`, `#article-view`) or `entry-content`/`e-content` are in-body references in a
  full-post listing, never list items.
- **Links in running text.** A permalink inside a sentence ("start with <a>this post</a>, then
  read …") is a reference from prose — a callout, a welcome note, a post body of an unknown
  editor — not an entry of a list, whose items hold little text outside their links.
- **Widget titles.** Tistory's sidebar plugins are titled in words, whatever the markup:
  "최근 글", "인기 글", "최근 댓글", "공지사항", "Recent posts", "Most Viewed", a bare
  "Popular", and in pre-2013 skins "최근에 올라온 글" as an image's `alt`….
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

# Id/class tokens naming a widget role: chrome wherever they appear.
WIDGET_TOKENS = frozenset(
    """sidebar side aside sidenav widget widgets recent latest popular rank ranking best hot
    notice comment comments cmt reply replies guestbook gnb lnb snb menu nav navi navigation
    tagcloud related another prev next prevnext etc share ad ads adsense adfit advert
    advertisement sponsor sponsored revenue""".split()  # noqa: SIM905
)
# Layout tokens: chrome unless a content word qualifies them (`area_head` vs `post-header`).
LAYOUT_TOKENS = frozenset({"header", "head", "footer", "foot"})
CONTENT_TOKENS = frozenset(
    """post posts entry article item items card list content cont title tit info meta
    summary thumb desc txt text""".split()  # noqa: SIM905
)
# Ids of the main-content region: a chrome-named element holding one is a layout wrapper.
MAIN_ID_TOKENS = frozenset({"main", "content", "contents", "primary", "container"})
# `template` content is inert markup for scripts (a card blueprint), never shown as the list.
CHROME_ELEMENTS = frozenset({"nav", "aside", "template"})
PAGE_REGIONS = frozenset({"header", "footer"})
ITEM_SCOPES = frozenset({"article", "section", "li"})
POST_BODY_CLASSES = frozenset(
    {"tt_article_useless_p_margin", "contents_style", "entry-content", "e-content"}
)
POST_BODY_IDS = frozenset({"article-view"})
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
TITLE_CHARS = 60  # longest text that can be a box title
PROSE_CHARS = 24  # text of a link's own block outside any element: a sentence, not an item
WIDGET_TITLE = re.compile(
    r"(최근|최신|인기|추천|관련|이전|다음|많이\s*본|많이\s*읽은|조회수\s*(높은|많은)|"
    r"최근에\s*(올라온|달린|받은))\s*"
    r"(글|포스트|게시글|게시물|댓글|트랙백)|공지(사항)?|"
    r"(recent|latest|popular|related|top|new)\s*(posts?|articles?|entries|comments?)|notices?|"
    r"most\s*(viewed|read|popular|commented)|(recent|popular|trending)$",
    re.IGNORECASE,
)


def tokens(name: str) -> set[str]:
    """`box_aside` → {box, aside}; `recentComments` → {recent, comments}; digits dropped."""
    return set(re.findall(r"[a-z]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", name).lower()))


def _name_is_chrome(name: str) -> bool:
    words = tokens(name)
    if words & WIDGET_TOKENS:
        return True
    return bool(words & LAYOUT_TOKENS) and not words & CONTENT_TOKENS


def _names(element: HtmlElement) -> list[str]:
    return [n for n in [element.get("id") or "", *(element.get("class") or "").split()] if n]


def is_main_region(element: HtmlElement) -> bool:
    """`main`, `role=main` or an id naming the main content (`#content`, `#colMain`)."""
    if element.tag == "main" or element.get("role") == "main":
        return True
    ident = element.get("id") or ""
    return bool(tokens(ident) & MAIN_ID_TOKENS) and not _name_is_chrome(ident)


def in_main_region(element: HtmlElement) -> bool:
    """True inside the page's main content region (`main`, `role=main`, `#content`…)."""
    return any(is_main_region(node) for node in (element, *element.iterancestors()))


def _is_wrapper(element: HtmlElement, paging: set[HtmlElement]) -> bool:
    """A chrome-named element that holds the page's main content is layout, not a widget."""
    if any(element in p.iterancestors() for p in paging):
        return True
    return any(
        isinstance(inner.tag, str) and is_main_region(inner) for inner in element.iterdescendants()
    )


def _is_chrome(element: HtmlElement, paging: set[HtmlElement], *, by_name: bool) -> bool:
    if element.tag in PAGE_REGIONS:
        named = not any(a.tag in ITEM_SCOPES for a in element.iterancestors())
    else:
        named = element.tag in CHROME_ELEMENTS or (
            by_name and any(map(_name_is_chrome, _names(element)))
        )
    return named and not _is_wrapper(element, paging)


def _is_post_body(element: HtmlElement) -> bool:
    classes = set((element.get("class") or "").split())
    return bool(classes & POST_BODY_CLASSES) or element.get("id") in POST_BODY_IDS


class ChromeFilter:
    """Answers "is this link outside the list area?", caching the verdict per element."""

    def __init__(self, paging_links: list[HtmlElement], *, by_name: bool = True) -> None:
        self._paging = set(paging_links)
        self._by_name = by_name
        self._verdicts: dict[HtmlElement, bool] = {}

    def excludes(self, anchor: HtmlElement) -> bool:
        """True when the link sits in page chrome, inside a post body or in running text."""
        if _in_prose(anchor):
            return True
        for element in anchor.iterancestors():
            if element.tag in ("body", "html"):
                return False
            if element not in self._verdicts:
                self._verdicts[element] = _is_post_body(element) or _is_chrome(
                    element, self._paging, by_name=self._by_name
                )
            if self._verdicts[element]:
                return True
        return False


def _in_prose(anchor: HtmlElement) -> bool:
    """True when the link's parent holds a sentence of its own text around it."""
    parent = anchor.getparent()
    if parent is None:
        return False
    loose = [parent.text or "", *(child.tail or "" for child in parent)]
    return len("".join(loose).strip()) >= PROSE_CHARS


def _title_text(element: HtmlElement) -> str:
    """Text of a title; an image title (`h3 > img[alt="최근에 올라온 글"]`, pre-2013 skins)
    reads as its `alt`."""
    text = " ".join("".join(element.itertext()).split())
    if text:
        return text
    return " ".join(" ".join(img.get("alt") or "" for img in element.iter("img")).split())


def _heading_before(node: HtmlElement) -> str | None:
    """Text of the title that immediately precedes `node` among its siblings, if any.

    The title is a heading, or a short leaf `strong`/`p`/`span` (`strong.tit_aside` in
    Tistory's default skins), or a short box wrapping a heading (`div.box-title > h3`); an
    image title reads as its `alt`.
    """
    for sibling in node.itersiblings(preceding=True):
        if not isinstance(sibling.tag, str):
            continue
        text = _title_text(sibling)
        if sibling.tag in HEADINGS:
            return text
        if len(text) > TITLE_CHARS:
            return None
        if next(sibling.iter(*HEADINGS), None) is not None:
            # A short box around a heading is a title; a box that also lists links is a
            # (small) widget of its own, and its heading is not this node's title.
            return text if len(list(sibling.iter("a"))) <= 1 else None
        if len(sibling) == 0 and sibling.tag in ("strong", "p", "span"):
            return text
        return None
    return None


def widget_titled(item: HtmlElement, category: list[str]) -> bool:
    """True if a list (given by its first item) is titled like a sidebar widget.

    The title is looked for just before the item, its container, and two more ancestors. A
    list titled with the listing's own category name is the list, whatever the name says (a
    category may well be called "공지사항").
    """
    node: HtmlElement | None = item
    for _ in range(4):
        if node is None or node.tag in ("body", "html"):
            return False
        title = _heading_before(node)
        if title:
            bare = re.sub(r"[\s\d()\[\]:·|/-]+", " ", title).strip()
            own = bool(category) and category[-1] in title
            return bool(WIDGET_TITLE.match(bare)) and not own
        node = node.getparent()
    return False
