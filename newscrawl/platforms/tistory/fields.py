"""Fields of a Tistory article read from the skin when platform data falls short.

Each field reads platform data first (`og:`/`article:` meta, JSON-LD, `T.entryInfo`, tiara,
the share button), then skin markup as ordered selector lists (most specific first), then a
generic rule for skins nobody has seen. The generic rules read the *header block*: the title's
own container and the texts between the title and the body, where every skin puts the byline,
the date and the category, naming them in its own words (`span.name`, `p.article-date`,
`div.post-category`). Class names are compared as words (`article-author` → article, author),
never as substrings.
"""

from __future__ import annotations

import contextlib
import json
import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from lxml import etree

from newscrawl.document import find_date, is_inside, text_of
from newscrawl.platforms.tistory.chrome import tokens
from newscrawl.platforms.tistory.related import related_category
from newscrawl.platforms.tistory.urls import category_path
from newscrawl.text import collapse_whitespace

if TYPE_CHECKING:
    from newscrawl.platforms.tistory.article import TistoryPage

DATE_SELECTORS = (  # (selector, attribute holding the date or None for the text)
    (".dt-published", "title"),
    ("time[datetime]", "datetime"),
    (".txt_detail.my_post", None),
    (".blogview_info .txt_date", None),
    (".dt-published", None),
    (".published", None),
    (".post-date", None),
    (".entry-date", None),
    (".date", None),
    ("time", None),
)
AUTHOR_SELECTORS = (
    ".p-author",
    ".author",
    ".writer",
    ".post-author",
    ".by-author",
    "a.link_profile .txt_by",  # Tistory mobile web skin
    ".txt_by",
)
CATEGORY_SELECTORS = (  # links decode their href; the last ones are text-only labels
    "strong.tit_category a",
    "a.p-category",
    ".category a",
    "a.category",
    ".post-cover .category",
    ".hgroup .category",
    ".category",
)
# Class words naming a header-block element's role, for skins whose class names are unknown.
AUTHOR_WORDS = frozenset({"author", "writer", "byline", "nickname", "nick", "name", "by", "who"})
# Labels of info-box rows (compared without spaces or punctuation, case-folded).
DATE_LABELS = frozenset({"작성일", "등록일", "날짜", "작성일시", "date", "posted", "published"})
AUTHOR_LABELS = frozenset({"작성자", "글쓴이", "writer", "author", "postedby"})
COMMENT_WORDS = frozenset({"cmt", "comment", "comments", "reply", "replies"})
AVATAR_WORDS = frozenset({"profile", "avatar", "author", "writer"})
CATEGORY_WORDS = frozenset({"category", "categories", "cate", "ctg"})
DATE_WORDS = frozenset({"date", "time", "published", "day"})
CATEGORY_LABEL_MAX = 80  # longer "category" text is a widget, not a label
UNCATEGORISED = "분류없음"  # Tistory's label for posts outside any category
TAG_SELECTORS = (".tag_label a", ".tagTrail a", ".tags a", "a[rel=tag]", "a[href*='/tag/']")
EXPLICIT_TAG_SELECTORS = (".tag_label a", ".tagTrail a", "a[rel=tag]")
COMMENT_COUNT_SELECTORS = (
    "[id^=commentCount]",
    ".tit_reply .cnt",
    "a[href$='#rp']",
    ".comment-count",
    ".cnt_comment",
)
# A comment counter shown as a label: "댓글 3", "댓글(3)", "댓글 3개", "Comments 3", "3 Comments".
COMMENT_LABEL = re.compile(
    r"(?:댓글|comments?|replies|reply)\s*수?\s*[:(\[]?\s*(\d+)\s*개?\s*[)\]]?"
    r"|(\d+)\s*(?:개의\s*)?(?:댓글|comments?|replies)",
    re.I,
)
COMMENT_LABEL_START = re.compile(r"^\s*(?:\d+\s*(?:개의\s*)?)?(?:댓글|comment|repl)", re.I)
# Areas whose counters belong to other posts (widgets, related lists), whatever their name.
OTHER_POSTS_WORDS = frozenset(
    {"another", "related", "sidebar", "widget", "aside", "recent", "popular"}
)
CATEGORY_LABEL = re.compile(r"\"(?:categoryLabel|categoryName)\"\s*:\s*\"((?:[^\"\\]|\\.)+)\"")
COMMENT_CNT = re.compile(r"\"comment_cnt\"\s*:\s*(\d+)")
_TEXTS = etree.XPath("//text()[normalize-space()]")
_FIRST_INT = re.compile(r"\d+")
# "Posted by 바람돌이", "작성자: 미래지기", "'K.film'": the name without its label or quotes.
_BY = re.compile(r"^(?:posted by|written by|by|작성자|글쓴이|글)\s*[:：|]?\s*", re.I)
_QUOTES = "'\"‘’“”"
# A byline inside a run of header text: "Posted by 올드보이 | 2010.03.05 17:42 | …".
_BYLINE_IN_TEXT = re.compile(
    r"(?:\bby|글쓴이\s*[:：]|작성자\s*[:：])\s*(?P<name>[^|·,\n]+?)"
    r"\s*(?:[|·,]|\s(?=\d)|\s(?:filed|on|at|in)\b|$)",
    re.I,
)
# An element holding only a byline label ("👤 작성자", "Author:"): its value is the next one.
_BYLINE_LABEL = re.compile(r"^\W*(?:작성자|글쓴이|author|writer|posted by|by)\W*$", re.I)


def _words(element: etree._Element) -> set[str]:
    """Words of an element's class names and id: `article-author` → {article, author}."""
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    return set().union(*(tokens(name) for name in names.split())) if names.strip() else set()


def published_raw(page: TistoryPage) -> str | None:
    """Publish date as found: platform meta, JSON-LD, skin markup, then the header region
    (between title and body), then the post's footer line right after the body."""
    for value in (page.meta.get("article:published_time"), page.ld_text("datePublished")):
        if value and value.strip():
            return value.strip()
    scope = page.article_scope()
    for css, attribute in DATE_SELECTORS:
        element = page.first((css,), outside=page.body, scope=scope)
        if element is None:
            continue
        text = element.get(attribute, "") if attribute else text_of(element)
        if found := find_date(text):
            return text.strip() if attribute else found
    for texts in (page.header_texts, page.footer_texts):
        if found := next((date for text in texts if (date := find_date(text))), None):
            return found
    return find_date(_labelled(page, DATE_LABELS) or "")


def _labelled(page: TistoryPage, labels: frozenset[str]) -> str | None:
    """The value printed beside a label in the post's info box (`<dt>작성일</dt><dd>…`,
    `<td class="label">글쓴이</td><td>…`), outside the body."""
    for element in page.select("dt, th, td, strong, span, b", page.article_scope()):
        label = re.sub(r"[\W_]+", "", text_of(element)).casefold()
        value = element.getnext()
        if label in labels and value is not None and not is_inside(element, page.body):
            return text_of(value) or None
    return None


def author(page: TistoryPage) -> str | None:
    """`meta[name=by]`, `article:author`, JSON-LD author, skin byline, a header-block element
    named like a byline (`span.name`, `.article-author`), share-button profile."""
    meta_author = page.meta.get("article:author", "")
    candidates = [page.meta.get("by"), None if "://" in meta_author else meta_author]
    candidates.append(page.ld_text("author"))
    element = page.first(AUTHOR_SELECTORS, outside=page.body, scope=page.article_scope())
    candidates += [text_of(element), _header_byline(page), page.share.get("data-profile-name")]
    candidates += [_byline_in_text(page), _avatar_name(page), _labelled(page, AUTHOR_LABELS)]
    for candidate in candidates:
        name = _BY.sub("", collapse_whitespace(candidate or "")).strip(_QUOTES).strip()
        if name and not _BYLINE_LABEL.match(name):
            return name
    return None


def _avatar_name(page: TistoryPage) -> str | None:
    """The `alt` of the author's profile picture in the post header (skins that show no
    name in text)."""
    scope = page.article_scope()
    for image in page.select("img[alt]", scope):
        name = collapse_whitespace(image.get("alt", ""))
        in_header = not is_inside(image, page.body) and not page.excluded(image)
        if name and _words(image) & AVATAR_WORDS and in_header:
            return name
    return None


def _byline_in_text(page: TistoryPage) -> str | None:
    """The name after "Posted by" / "글쓴이 :" around the post (header or footer line)."""
    for text in (*page.header_texts, *page.footer_texts):
        if match := _BYLINE_IN_TEXT.search(collapse_whitespace(text)):
            return match.group("name")
    return None


def _header_byline(page: TistoryPage) -> str | None:
    """Text between title and body whose element is named as a byline, not as a date or a
    category (`span.category-name` is not an author); dates never count as names. A label
    element ("👤 작성자") hands over to the element after it, which holds the name."""
    for text, element in page.header_nodes:
        words = _words(element)
        if not words & AUTHOR_WORDS or words & (CATEGORY_WORDS | DATE_WORDS):
            continue
        name = collapse_whitespace(text)
        if _BYLINE_LABEL.match(name) and (value := element.getnext()) is not None:
            name = text_of(value)
        elif name != text_of(element) and name != collapse_whitespace(element.text or ""):
            continue  # a name is the element's whole text, or the text before its date/count
        if name and not find_date(name) and not _BYLINE_LABEL.match(name):
            return name
    return None


def category(page: TistoryPage) -> list[str]:
    """Category path, root first: header link href, related heading, header text, scripts,
    then a header-block element named as a category.

    A header link to `/category` alone is Tistory's "분류없음" (uncategorised): `[]`, since
    that label names the absence of a category. `article:section` is not used: it holds the
    Tistory-wide topic ("IT 인터넷"), not the blog's category.
    """
    link = page.first(CATEGORY_SELECTORS, outside=page.body, scope=page.article_scope())
    if link is None:
        link = page.header_link("/category")
    path = category_path(urljoin(page.url, link.get("href", ""))) if link is not None else None
    if path is not None:  # the href holds the full path even when the text shows the leaf
        return _deepest_path(link, page.url, path)
    if from_related := related_category(page.root):
        return from_related
    if (crumb := _scope_category_link(page)) is not None:
        crumb_path = category_path(urljoin(page.url, crumb.get("href", ""))) or []
        return _deepest_path(crumb, page.url, crumb_path)
    if (text := text_of(link)) and len(text) <= CATEGORY_LABEL_MAX:
        return [] if text == UNCATEGORISED else split_label(text)
    if match := CATEGORY_LABEL.search(page.inline_scripts):
        with contextlib.suppress(ValueError):  # a JSON string literal, escapes included
            return split_label(json.loads(f'"{match.group(1)}"'))
    return _header_category(page)


def _scope_category_link(page: TistoryPage) -> etree._Element | None:
    """A category link anywhere around the post (a breadcrumb "홈 > A > B" above the title),
    outside the body and the page chrome; `None` when the post has no container of its own."""
    scope = page.article_scope()
    if scope is page.lxml:
        return None
    return page.first(("a[href*='/category/']",), outside=page.body, scope=scope)


def _deepest_path(link: etree._Element, url: str, path: list[str]) -> list[str]:
    """The longest category path among `link` and its sibling links: skins that print the
    path as separate links ("IT / 모바일") link the parent first."""
    parent = link.getparent()
    deepest = path
    for other in parent.iter("a") if parent is not None else ():
        other_path = category_path(urljoin(url, other.get("href", "")))
        if other_path and len(other_path) > len(deepest) and other_path[: len(path)] == path:
            deepest = other_path
    return deepest


def _header_category(page: TistoryPage) -> list[str]:
    """A plain-text label in the title's container whose class names a category."""
    title = page.title_element
    block = title.getparent() if title is not None else None
    if block is None:
        return []
    for element in block.iter():
        if element is title or not isinstance(element.tag, str) or not element.get("class"):
            continue
        if not _words(element) & CATEGORY_WORDS or is_inside(element, page.body):
            continue
        text = text_of(element)
        if text and len(text) <= CATEGORY_LABEL_MAX and not page.excluded(element):
            return [] if text == UNCATEGORISED else split_label(text)
    return []


def split_label(label: str) -> list[str]:
    """`"A/B"` or `"A > B"` → `["A", "B"]`: Tistory writes category paths with `/`."""
    parts = re.split(r"\s*(?:/|>)\s*", label)
    return [collapse_whitespace(part) for part in parts if collapse_whitespace(part)]


def tags(page: TistoryPage) -> list[str]:
    """Tag labels of the post area in page order, `#` removed; sidebar tag clouds excluded.

    Broken markup (a stray `</div>` in the post) can push the tag line out of the post's
    container: then the page is searched for the explicitly tag-marked links only."""
    return _tag_labels(page, TAG_SELECTORS, page.article_scope()) or _tag_labels(
        page, EXPLICIT_TAG_SELECTORS, None
    )


def _tag_labels(
    page: TistoryPage, selectors: tuple[str, ...], scope: etree._Element | None
) -> list[str]:
    seen: dict[str, None] = {}
    for css in selectors:
        for link in page.select(css, scope):
            if page.excluded(link) or "cloud" in (link.get("class") or ""):
                continue
            label = collapse_whitespace(text_of(link).lstrip("#"))
            if label:
                seen.setdefault(label, None)
        if seen:
            break
    return list(seen)


def comment_count(page: TistoryPage) -> int | None:
    """Comment count shown by the page: JSON-LD, skin counters, tiara data, then a counter
    label anywhere outside the body and other posts' areas ("댓글 3", "Comments 3");
    `None` if none."""
    value = page.ld.get("commentCount")
    if isinstance(value, int | str) and str(value).isdigit():
        return int(value)
    for css in COMMENT_COUNT_SELECTORS:
        for element in page.select(css):
            if is_inside(element, page.body):
                continue
            if match := _FIRST_INT.search(text_of(element)):
                return int(match.group(0))
    if match := COMMENT_CNT.search(page.inline_scripts):
        return int(match.group(1))
    return _header_comment_counter(page) or _comment_label(page)


def _header_comment_counter(page: TistoryPage) -> int | None:
    """A counter between title and body named for comments ("💬 12" in `a.recipe-cmt`)."""
    for text, element in page.header_nodes:
        numbers = _FIRST_INT.findall(text)
        if len(numbers) == 1 and _words(element) & COMMENT_WORDS:
            return int(numbers[0])
    return None


def _comment_label(page: TistoryPage) -> int | None:
    for text in _TEXTS(page.lxml):
        if not COMMENT_LABEL_START.match(text):
            continue
        element = text.getparent()
        if text.is_tail:
            element = element.getparent()
        if element is None or element.tag in ("script", "style", "option"):
            continue
        label = text_of(element)
        if label.isalpha() and (parent := element.getparent()) is not None:
            label = text_of(parent)  # "<strong>댓글</strong><span>4</span>": the count is beside
        match = COMMENT_LABEL.fullmatch(label)
        if match and not is_inside(element, page.body) and not _in_other_posts(element):
            return int(match.group(1) or match.group(2))
    return None


def _in_other_posts(element: etree._Element) -> bool:
    """True inside `aside`/`nav` or an area named for other posts (widgets, related lists).

    Names are compared as words below `body`: a page-wide `body.layout-aside-right` does not
    make every counter on the page a widget's."""
    for node in (element, *element.iterancestors()):
        if node.tag in ("body", "html"):
            return False
        if node.tag in ("aside", "nav") or _words(node) & OTHER_POSTS_WORDS:
            return True
    return False
