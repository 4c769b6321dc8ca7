"""CSS selection through a class/id index built in one pass over the tree.

cssselect compiles `.name` to an XPath that evaluates `normalize-space(@class)` on every
element of the page; a parser that tries a dozen ordered selector lists per page spent most
of its time there. `Index` walks the tree once, then answers tag/class/id/attribute selectors
with the descendant combinator from dictionaries; anything else falls back to compiled XPath.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cssselect import HTMLTranslator
from lxml import etree


@lru_cache(maxsize=512)
def compiled(css: str) -> etree.XPath:
    """CSS selector compiled once to an XPath over the context node's descendants."""
    return etree.XPath(HTMLTranslator().css_to_xpath(css, prefix="descendant-or-self::"))


def is_inside(element: etree._Element, ancestor: etree._Element | None) -> bool:
    """True when `element` is `ancestor` or one of its descendants."""
    if ancestor is None:
        return False
    return element is ancestor or any(node is ancestor for node in element.iterancestors())


_TOKEN = re.compile(
    r"(?P<tag>[a-zA-Z][\w-]*|\*)|\.(?P<cls>[\w-]+)|#(?P<id>[\w-]+)"
    r"|\[(?P<attr>[\w-]+)(?:(?P<op>[\^$*]?=)(?P<q>['\"]?)(?P<val>.*?)(?P=q))?\]"
)
_WITH_CLASS_OR_ID = etree.XPath("descendant-or-self::*[@class or @id]")


@dataclass(frozen=True)
class Compound:
    """One simple selector sequence (`div.a.b#c[x^='y']`): what `Index` can match itself."""

    tag: str | None
    classes: tuple[str, ...]
    id: str | None
    attrs: tuple[tuple[str, str | None, str], ...]

    def matches(self, element: etree._Element) -> bool:
        if self.tag is not None and element.tag != self.tag:
            return False
        if self.id is not None and element.get("id") != self.id:
            return False
        if self.classes:
            tokens = (element.get("class") or "").split()
            if any(name not in tokens for name in self.classes):
                return False
        for name, op, value in self.attrs:
            actual = element.get(name)
            if actual is None or not _ATTR_OPS[op](actual, value):
                return False
        return True


_ATTR_OPS = {
    None: lambda actual, value: True,
    "=": str.__eq__,
    "^=": str.startswith,
    "$=": str.endswith,
    "*=": lambda actual, value: value in actual,
}


@lru_cache(maxsize=512)
def parse_selector(css: str) -> tuple[Compound, ...] | None:
    """Compounds of a descendant-combinator selector; `None` when it needs full CSS."""
    compounds = []
    for part in css.split():
        tag: str | None = None
        ident: str | None = None
        classes: list[str] = []
        attrs: list[tuple[str, str | None, str]] = []
        end = 0
        for match in _TOKEN.finditer(part):
            if match.start() != end:
                return None
            end = match.end()
            if match.group("tag"):
                if tag or classes or ident or attrs:
                    return None
                tag = None if match.group("tag") == "*" else match.group("tag").lower()
            elif match.group("cls"):
                classes.append(match.group("cls"))
            elif match.group("id"):
                ident = match.group("id")
            else:
                attrs.append((match.group("attr"), match.group("op"), match.group("val") or ""))
        if end != len(part):
            return None
        compounds.append(Compound(tag, tuple(classes), ident, tuple(attrs)))
    return tuple(compounds) or None


class Index:
    """Elements of a tree by class token and id, built in one pass.

    Class selectors compiled to XPath test `normalize-space(@class)` on every element of the
    page; with a dozen selector lists per page that dominated parse time. One pass here, then
    each selector is a dictionary lookup plus a few checks. Selectors beyond tag, class, id,
    attribute tests and the descendant combinator fall back to compiled XPath.
    """

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.by_class: dict[str, list[etree._Element]] = {}
        self.by_id: dict[str, list[etree._Element]] = {}
        for element in _WITH_CLASS_OR_ID(root):
            for token in (element.get("class") or "").split():
                self.by_class.setdefault(token, []).append(element)
            if ident := element.get("id"):
                self.by_id.setdefault(ident, []).append(element)

    def _candidates(self, last: Compound, scope: etree._Element) -> list[etree._Element]:
        if last.id is not None:
            found = self.by_id.get(last.id, [])
        elif last.classes:
            found = self.by_class.get(last.classes[0], [])
        elif last.tag is not None:
            return list(scope.iter(last.tag))
        elif last.attrs and last.attrs[0][0] == "id":
            found = [el for group in self.by_id.values() for el in group]
        else:
            return compiled(_css(last))(scope)
        if scope is self.root:
            return found
        return [el for el in found if is_inside(el, scope)]

    def select(self, css: str, scope: etree._Element | None = None) -> list[etree._Element]:
        """Elements under `scope` (default: the whole tree, itself included) matching `css`."""
        scope = self.root if scope is None else scope
        compounds = parse_selector(css)
        if compounds is None:
            return compiled(css)(scope)
        *ancestors, last = compounds
        if len(compounds) == 2 and last.id is None and not last.classes:
            first = compounds[0]
            if first.id is not None or first.classes:  # `.tags a`: few anchors, search down
                return self._below(first, last, scope)
        return [
            el
            for el in self._candidates(last, scope)
            if last.matches(el) and _has_ancestors(el, ancestors)
        ]

    def _below(self, anchor: Compound, last: Compound, scope: etree._Element) -> list:
        """`anchor last` from the (indexed, rare) anchors down, without repeats."""
        seen: set[etree._Element] = set()
        found = []
        for top in self._candidates(anchor, scope):
            if not anchor.matches(top):
                continue
            for element in top.iterdescendants(last.tag or etree.Element):
                if element not in seen and last.matches(element):
                    seen.add(element)
                    found.append(element)
        return found


def _css(compound: Compound) -> str:
    """An attribute-only compound back as CSS, for the XPath fallback."""
    quoted = (f"[{name}{op}'{value}']" if op else f"[{name}]" for name, op, value in compound.attrs)
    return "".join(quoted)


def _has_ancestors(element: etree._Element, compounds: list[Compound]) -> bool:
    """Descendant combinators: each compound, right to left, matches some further ancestor."""
    pending = list(reversed(compounds))
    if not pending:
        return True
    for node in element.iterancestors():
        if pending[0].matches(node):
            pending.pop(0)
            if not pending:
                return True
    return False
