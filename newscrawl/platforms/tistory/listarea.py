"""Find a listing page's own post list among the page's other post links, skin-independently.

A listing page links posts from many places: the list itself, and around it recent and popular
posts, recent comments, notices and, in full-post listings, links inside the posts. `chrome`
removes what is recognisably not the list; what remains is grouped and scored by structure,
because structure is what every skin shares:

- **A list is a run of alike siblings, each about one post.** A link's *item* is its nearest
  ancestor-or-self having same-tag, class-sharing siblings that link *other* posts (so a
  thumbnail and a title linking the same post stay in one item). An item stands for one post:
  the one its heading links, else its first link; a post body's links never make it two. A
  post with no alike siblings (a one-post category) is an item of its own: its widest ancestor
  linking nothing else.
- **Items with one parent form a group**, and groups whose containers are identical siblings
  (grid rows: `div.row > div.col` repeated) are one list. A group nested inside another group's
  item (a related table or link list inside a full post) is part of that item, not a list.
- **The category list is the group that looks like content.** Score: number of posts
  (log-scaled: widgets have 5–10 items too); text beyond the links per item (summaries: the
  strongest sign of a content list; widget items are bare titles); thumbnails and dates
  (weak: popular-post widgets have both); nearness to the paging block (the paging belongs to
  the list it pages); a title carrying the category's name just above (skins print it over the
  list, widgets never); document order (content usually precedes the sidebar). On category pages
  a group under a widget title ("최근 글", "인기 글"…) is dropped; on the home page, whose own
  list may be titled "최신 글", it is only penalised.
- **Tabloid covers** (`#ttCanvas`, Tistory's magazine home) are lists of lists: every post in
  the canvas is content.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from lxml.html import HtmlElement

from newscrawl.platforms.tistory.chrome import (
    HEADINGS,
    ChromeFilter,
    in_main_region,
    is_main_region,
    widget_titled,
)

TABLOID_CANVAS_ID = "ttCanvas"
DATE_TEXT = re.compile(r"(?:19|20)\d\d\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{1,2}")
SUMMARY_CHARS = 120  # non-link text per item at which an item counts as fully "rich"
TITLE_SEARCH_CHARS = 60  # longest text that can be a list's category title
# Score weights (see module docstring for the reasoning behind each).
W_TEXT, W_MEDIA, W_DATE, W_PAGING, W_TITLE, W_ORDER = 3.0, 0.5, 0.25, 3.0, 2.0, 0.5
NEAR_PAGING = 3  # steps up to the paging block's common ancestor that still count as "beside"
WIDGET_TITLE_PENALTY = 2.0
STOP = ("body", "html")


class Candidate(NamedTuple):
    """A permalink anchor element and the canonical URL of the post it links."""

    element: HtmlElement
    post: str


@dataclass
class _Group:
    container: HtmlElement
    items: list[HtmlElement] = field(default_factory=list)
    posts: list[str] = field(default_factory=list)
    order: int = 0


def _class_tokens(element: HtmlElement) -> frozenset[str]:
    return frozenset(re.sub(r"\d+", "", c) for c in (element.get("class") or "").split())


def _alike(a: HtmlElement, b: HtmlElement) -> bool:
    """Same tag and a shared class (digits ignored: `item-1`, `item-2`), or a classless side
    (`li.first` among plain `li`)."""
    if a.tag != b.tag:
        return False
    ta, tb = _class_tokens(a), _class_tokens(b)
    return not ta or not tb or bool(ta & tb)


def _posts_under(candidates: list[Candidate]) -> dict[HtmlElement, set[str]]:
    under: dict[HtmlElement, set[str]] = {}
    for c in candidates:
        for element in (c.element, *c.element.iterancestors()):
            under.setdefault(element, set()).add(c.post)
    return under


def _item_of(
    c: Candidate, under: dict[HtmlElement, set[str]], holds_paging: set[HtmlElement]
) -> HtmlElement:
    """The repeated item holding link `c` (see module docstring)."""
    node = c.element
    while (parent := node.getparent()) is not None and parent.tag not in STOP:
        mine = under[node]
        if node in holds_paging or is_main_region(node):
            break  # the page's main column (beside a sidebar), not an item
        for sibling in parent.iterchildren():
            if sibling is not node and _alike(sibling, node) and under.get(sibling, mine) - mine:
                return node
        node = parent
    node = c.element
    while (parent := node.getparent()) is not None and parent.tag not in STOP:
        if under[parent] != {c.post}:
            break
        node = parent
    return node


def _item_post(item: HtmlElement, links: list[Candidate]) -> str:
    """The post an item is about: the one its heading links, else its first link."""
    for c in links:
        for ancestor in c.element.iterancestors():
            if ancestor.tag in HEADINGS:
                return c.post
            if ancestor is item:
                break
    return links[0].post


def _run_start(container: HtmlElement) -> HtmlElement:
    """First of the consecutive identical siblings (same tag and classes) `container` is in.

    Grid skins split one list into rows (`div.row > div.col` repeated); adjacent identical
    containers are one list. A widget under the same parent is not adjacent (a title or the
    paging sits between), so it is not merged.
    """
    start = container
    for sibling in container.itersiblings(preceding=True):
        if not isinstance(sibling.tag, str):
            continue
        if sibling.tag != container.tag or _class_tokens(sibling) != _class_tokens(container):
            break
        start = sibling
    return start


def _groups(candidates: list[Candidate], paging: list[HtmlElement]) -> list[_Group]:
    under = _posts_under(candidates)
    holds_paging = {ancestor for link in paging for ancestor in link.iterancestors()}
    by_item: dict[HtmlElement, list[Candidate]] = {}
    for c in candidates:
        by_item.setdefault(_item_of(c, under, holds_paging), []).append(c)
    groups: dict[tuple[HtmlElement, str], _Group] = {}
    for order, (item, links) in enumerate(by_item.items()):
        probe = _Group(item.getparent(), [item], order=order)
        group = groups.setdefault((_run_start(probe.container), item.tag), probe)
        if group is not probe:
            group.items.append(item)
        post = _item_post(item, links)
        if post not in group.posts:
            group.posts.append(post)
    items = {item for g in groups.values() for item in g.items}
    return [
        g
        for g in groups.values()
        if g.container not in items and not any(a in items for a in g.container.iterancestors())
    ]


def _text(element: HtmlElement) -> str:
    return " ".join("".join(element.itertext()).split())


def _own_text_chars(item: HtmlElement) -> int:
    """Characters of text in the item outside its links: summaries, dates, counts."""
    return max(len(_text(item)) - sum(len(_text(a)) for a in item.iter("a")), 0)


def _has_media(item: HtmlElement) -> bool:
    if next(item.iter("img"), None) is not None:
        return True
    return any("background-image" in (e.get("style") or "") for e in item.iter())


def _has_date(item: HtmlElement) -> bool:
    return next(item.iter("time"), None) is not None or bool(DATE_TEXT.search(_text(item)))


def _paging_distance(container: HtmlElement, paging: list[HtmlElement]) -> int | None:
    """Steps up from the container to its lowest common ancestor with a paging link."""
    lines = {id(a) for p in paging for a in p.iterancestors()}
    for steps, ancestor in enumerate((container, *container.iterancestors())):
        if id(ancestor) in lines:
            return steps
    return None


def _titled_with(group: _Group, name: str) -> bool:
    """True if a short text naming the category sits just above the list's items."""
    first = group.items[0]
    nearby = [e for e in group.container if e is not first and e not in group.items][:3]
    for node in (group.container, group.container.getparent()):
        if node is not None:
            nearby += list(node.itersiblings(preceding=True))[:2]
    for element in nearby:
        if not isinstance(element.tag, str) or len(list(element.iter("a"))) > 1:
            continue
        text = _text(element)
        if name in text and len(text) <= TITLE_SEARCH_CHARS:
            return True
    return False


def _score(group: _Group, rank: int, count: int, paging: list[HtmlElement], name: str) -> float:
    """Higher for the group that looks like the page's content list (see module docstring)."""
    items = group.items
    text = sum(min(_own_text_chars(i), SUMMARY_CHARS) for i in items) / len(items)
    score = math.log2(1 + len(group.posts)) + W_TEXT * text / SUMMARY_CHARS
    score += W_MEDIA * sum(map(_has_media, items)) / len(items)
    score += W_DATE * sum(map(_has_date, items)) / len(items)
    distance = _paging_distance(group.container, paging) if paging else None
    if distance is not None:
        score += W_PAGING / max(distance, 1)
    if name and _titled_with(group, name):
        score += W_TITLE
    return score + W_ORDER * (1 - rank / max(count - 1, 1))


def _tabloid_posts(root: HtmlElement, candidates: list[Candidate]) -> list[str] | None:
    """On a Tabloid cover every post in the canvas is listed content; `None` elsewhere."""
    canvas = root.get_element_by_id(TABLOID_CANVAS_ID, None)
    if canvas is None:
        return None
    inside = [c.post for c in candidates if canvas in c.element.iterancestors()]
    return list(dict.fromkeys(inside))


def list_posts(
    root: HtmlElement,
    candidates: list[Candidate],
    paging_links: list[HtmlElement],
    category: list[str],
) -> list[str]:
    """Posts of the page's own list, in page order; `[]` when the list area is empty.

    `candidates` are the page's same-site permalinks, `paging_links` the anchors of this
    listing's paging block, `category` the listing's category path (`[]` on the home page).
    """
    for by_name in (True, False):
        # Skin authors name their own list freely (`div.recent-list`, `section.side-content`):
        # when the names hide every list, only structure (nav, aside, page header/footer)
        # and widget titles tell the chrome.
        chrome = ChromeFilter(paging_links, by_name=by_name)
        kept = [c for c in candidates if not chrome.excludes(c.element)]
        tabloid = _tabloid_posts(root, kept)
        if tabloid is not None:
            return tabloid
        if posts := _best_list(kept, paging_links, category, need_evidence=not by_name):
            return posts
    return []


def _best_list(
    kept: list[Candidate],
    paging_links: list[HtmlElement],
    category: list[str],
    *,
    need_evidence: bool,
) -> list[str]:
    """The list among the kept links; with `need_evidence`, only a group that shows it is
    the page's list (in the main region, titled with the category, or beside the paging),
    so that an empty category does not fall back to a footer or widget link."""
    groups = sorted(_groups(kept, paging_links), key=lambda g: g.order)
    if category:  # a category's list is titled with its name: widget titles mean widgets
        groups = [g for g in groups if not widget_titled(g.items[0], category)]
    groups = _merge_columns(groups)
    if not groups:
        return []
    name = category[-1] if category else ""
    scores = [_score(g, rank, len(groups), paging_links, name) for rank, g in enumerate(groups)]
    if not category:
        scores = [
            s - WIDGET_TITLE_PENALTY * widget_titled(g.items[0], category)
            for s, g in zip(scores, groups, strict=True)
        ]
    best = _titled_superset(groups[scores.index(max(scores))], groups, name)
    if need_evidence and not _shows_list(best, paging_links, name):
        return []
    return best.posts


def _shows_list(group: _Group, paging: list[HtmlElement], name: str) -> bool:
    if in_main_region(group.container) or (name and _titled_with(group, name)):
        return True
    distance = _paging_distance(group.container, paging) if paging else None
    return distance is not None and distance <= NEAR_PAGING


def _merge_columns(groups: list[_Group]) -> list[_Group]:
    """Join one list that markup split in two, read in document order: side-by-side columns
    (`div.left` / `div.right`: sibling containers whose items look alike) and a list cut by a
    stray `</div>` (the parser moves the items after it up to the container's parent: the
    same item class on both sides)."""
    merged: list[_Group] = []
    for group in groups:
        previous = merged[-1] if merged else None
        if previous is not None and _one_list(previous, group):
            previous.items += group.items
            previous.posts += [post for post in group.posts if post not in previous.posts]
            continue
        merged.append(group)
    return merged


def _one_list(first: _Group, second: _Group) -> bool:
    a, b = first.container, second.container
    if a.getparent() is b.getparent() and a.tag == b.tag:
        return _alike(first.items[0], second.items[0])
    if a.getparent() is b or b.getparent() is a:
        item_a, item_b = first.items[0], second.items[0]
        classes = _class_tokens(item_a)
        return item_a.tag == item_b.tag and bool(classes) and classes == _class_tokens(item_b)
    return False


def _titled_superset(best: _Group, groups: list[_Group], name: str) -> _Group:
    """A group titled with the category that lists every post of `best` and more.

    Old skins print the category's list as a table ("'A/B' 에 해당되는 글 23건") and then the
    newest posts again in full; the full posts outscore the table on text, but they are only
    its first rows.
    """
    for group in groups:
        if name and set(best.posts) < set(group.posts) and _titled_with(group, name):
            return group
    return best
