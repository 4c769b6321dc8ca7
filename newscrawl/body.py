"""Platform-neutral article body cleaning: HTML without clutter, text with paragraphs, images.

Every blog platform wraps the article in a container that also holds things that are not the
article (ads, share and reaction widgets, related-post tables, tracking scripts). A platform
parser finds the container and names its own clutter as CSS selectors; this module does the
rest the same way for all platforms, so Tistory, WordPress and Blogger bodies are cleaned,
split into paragraphs and hashed alike.

The container is copied before cleaning: the caller's tree stays intact for the other fields.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import TypedDict
from urllib.parse import urljoin

from lxml import etree
from lxml.html import tostring

from newscrawl.cssindex import Index
from newscrawl.text import collapse_whitespace, content_hash

# Always dropped, whatever the platform: never article content.
DROPPED_TAGS = ("script", "style", "noscript", "template", "object", "embed", "link", "meta")
# Ad slots of the networks blog platforms embed (AdSense, Kakao AdFit), and their iframes.
AD_BLOCKS = (
    "ins.adsbygoogle",
    "ins.kakao_ad_area",
    "iframe[id^='aswift_']",
    "iframe[id^='google_ads']",
)
AD_IFRAME_HOSTS = re.compile(r"googlesyndication|doubleclick|googleads|adfit|/kas/|ad\.daum", re.I)
# Text layout: these start a new paragraph; `br` and `tr` only start a new line.
_BLOCKS = "address article aside blockquote dd details div dl dt figcaption figure footer form"
BLOCK_TAGS = frozenset(
    f"{_BLOCKS} h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table ul".split()
)
LINE_TAGS = frozenset(("br", "tr"))
CELL_TAGS = frozenset(("td", "th"))
# Lazy-loading attributes, most trusted first; `src` is only a fallback when they are absent.
LAZY_SRC_ATTRS = ("data-origin-src", "data-original", "data-src", "data-lazy-src", "data-url")
SRCSET_ATTRS = ("srcset", "data-srcset", "data-lazy-srcset")
PLACEHOLDER_SRC = re.compile(
    r"^data:|no-image|(?:^|/)(?:blank|spacer|pixel|placeholder|loading|lazy)[^/]*\.(?:gif|png|svg)",
    re.I,
)
_SRCSET_WIDTH = re.compile(r"^(\d+(?:\.\d+)?)([wx])$")
_BLANK_LINE = re.compile("\ue001[ \t\n\r\xa0]*\ue001")


class BodyFields(TypedDict):
    """The `ArticleItem` fields a cleaned body fills."""

    body_text: str
    body_html: str
    images: list[str]
    content_hash: str


@dataclass
class Body:
    """The cleaned body: `html` (container element included), `text`, absolute `images`."""

    html: str
    text: str
    images: list[str] = field(default_factory=list)

    def item_fields(self) -> BodyFields:
        """The item's body fields, `ArticleItem(..., **body.item_fields())`: every parser
        hashes the same cleaned text, so one post hashes alike whichever parser read it."""
        return BodyFields(
            body_text=self.text,
            body_html=self.html,
            images=self.images,
            content_hash=content_hash(self.text),
        )


def _drop(element: etree._Element) -> None:
    """Remove `element` and its subtree, keeping its tail text in place (unlike `remove`)."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _is_ad_iframe(element: etree._Element) -> bool:
    """Ad iframes are dropped; video and code embeds (YouTube, gist) are article content."""
    src = element.get("src") or ""
    return not src or bool(AD_IFRAME_HOSTS.search(src))


def _strip_clutter(root: etree._Element, remove: tuple[str, ...]) -> None:
    """Drop comments, scripts, styles, ad slots and the caller's non-article blocks."""
    doomed = [
        element
        for element in root.iter(
            etree.Comment, etree.ProcessingInstruction, *DROPPED_TAGS, "iframe"
        )
        if element.tag != "iframe" or _is_ad_iframe(element)
    ]
    index = Index(root)
    for css in (*AD_BLOCKS, *remove):
        doomed.extend(element for element in index.select(css) if element is not root)
    for element in doomed:
        _drop(element)


_EVENT_HANDLERS = etree.XPath("descendant-or-self::*[@*[starts-with(name(), 'on')]]")
_LINKS = etree.XPath("descendant-or-self::*[@href]")


def _strip_attributes(root: etree._Element, base_url: str) -> None:
    """Drop event handlers and `javascript:` links; make links absolute for archived HTML."""
    for element in _EVENT_HANDLERS(root):
        for name in [name for name in element.attrib if name.startswith("on")]:
            del element.attrib[name]
    for element in _LINKS(root):
        href = element.get("href", "").strip()
        if href.lower().startswith("javascript:"):
            del element.attrib["href"]
        elif not href.startswith("#"):
            element.set("href", urljoin(base_url, href))


def _largest_candidate(srcset: str) -> str | None:
    """The widest (or densest) candidate of a `srcset`; the first one when none is sized."""
    best: tuple[float, str] | None = None
    for candidate in srcset.split(","):
        parts = candidate.split()
        if not parts:
            continue
        size = 0.0
        if len(parts) > 1 and (match := _SRCSET_WIDTH.match(parts[1])):
            size = float(match.group(1))
        if best is None or size > best[0]:
            best = (size, parts[0])
    return best[1] if best else None


def image_url(img: etree._Element, base_url: str) -> str | None:
    """The real image URL of an `<img>`, absolute, or `None` when it only shows a placeholder.

    Order: the original behind Tistory's lightbox wrapper (`span[data-url]`), lazy-load
    attributes, a non-placeholder `src`, then the largest `srcset` candidate.
    """
    parent = img.getparent()
    candidates: list[str | None] = []
    if parent is not None and parent.tag == "span":
        candidates.append(parent.get("data-url"))
    candidates.extend(img.get(name) for name in LAZY_SRC_ATTRS)
    candidates.append(img.get("src"))
    candidates.extend(_largest_candidate(img.get(name) or "") for name in SRCSET_ATTRS)
    for candidate in candidates:
        if candidate and candidate.strip() and not PLACEHOLDER_SRC.search(candidate):
            return urljoin(base_url, candidate.strip())
    return None


def _images(root: etree._Element, base_url: str) -> list[str]:
    """Image URLs in body order without repeats; each `<img src>` is rewritten to its URL."""
    seen: dict[str, None] = {}
    for img in root.iter("img"):
        url = image_url(img, base_url)
        if url is not None:
            img.set("src", url)
            seen.setdefault(url, None)
    return list(seen)


# Private-use characters marked into the (copied) tree: lxml's C serialiser walks the text.
_PARAGRAPH, _LINE, _CODE, _CODE_LINE = "\ue000", "\ue001", "\ue002", "\ue003"


def _mark_layout(root: etree._Element) -> None:
    """Insert paragraph, line and code markers around block, line, cell and `pre` elements."""
    for element in root.iter(*BLOCK_TAGS):
        element.text = _PARAGRAPH + (element.text or "")
        element.tail = _PARAGRAPH + (element.tail or "")
    for element in root.iter(*LINE_TAGS):
        element.tail = _LINE + (element.tail or "")
    for element in root.iter(*CELL_TAGS):
        element.tail = " " + (element.tail or "")
    for pre in root.iter("pre"):
        for node in pre.iter():
            if node is not pre:
                node.tail = node.tail.replace("\n", _CODE_LINE) if node.tail else node.tail
            node.text = node.text.replace("\n", _CODE_LINE) if node.text else node.text
        pre.text = _PARAGRAPH + _CODE + (pre.text or "")[1:]  # after its paragraph marker


def _paragraphs(chunk: str) -> list[str]:
    """One marked chunk → paragraphs: code kept as is, prose collapsed line by line."""
    if not chunk or chunk.isspace():
        return []
    if chunk.startswith(_CODE):
        code_text = chunk[1:].replace(_LINE, _CODE_LINE).replace("\xa0", " ")
        code = "\n".join(line.rstrip() for line in code_text.split(_CODE_LINE)).strip("\n")
        return [code] if code.strip() else []
    if _LINE not in chunk:
        return [collapse_whitespace(chunk)]
    paragraphs = []
    for part in _BLANK_LINE.split(chunk):  # `<br><br>` separates paragraphs too
        collapsed = (collapse_whitespace(line) for line in part.split(_LINE))
        paragraph = "\n".join(line for line in collapsed if line)
        if paragraph:
            paragraphs.append(paragraph)
    return paragraphs


def body_text(root: etree._Element) -> str:
    """Text of a cleaned body: paragraphs joined by a blank line, lines by a newline.

    Marks `root` (a copy) in place; call it last. Block elements start paragraphs, `br` and
    table rows start lines, `pre` keeps its line breaks and indentation.
    """
    _mark_layout(root)
    text = etree.tostring(root, method="text", encoding="unicode", with_tail=False)
    return "\n\n".join(p for chunk in text.split(_PARAGRAPH) for p in _paragraphs(chunk))


def clean_body(container: object, base_url: str, remove: tuple[str, ...] = ()) -> Body:
    """Clean a copy of `container` (lxml element or parsel Selector) found on `base_url`.

    `remove` lists the platform's non-article blocks as CSS selectors; they are dropped with
    scripts, styles, comments and ad slots. Returns the cleaned HTML, the text and the images.
    """
    element = getattr(container, "root", container)
    if not isinstance(element, etree._Element):
        raise TypeError(f"expected an lxml element or parsel Selector, got {type(container)}")
    root = copy.deepcopy(element)
    root.tail = None
    _strip_clutter(root, tuple(remove))
    _strip_attributes(root, base_url)
    images = _images(root, base_url)
    html = tostring(root, encoding="unicode", method="html").strip()
    return Body(html=html, text=body_text(root), images=images)
