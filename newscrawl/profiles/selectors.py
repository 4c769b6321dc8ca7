"""A profile's selectors: CSS or XPath strings compiled once, read as text, links or elements.

Users write whichever language they know. A selector that starts like a path (`/`, `./`,
`../`, `(`) is XPath; anything else is CSS, with parsel's `::text` and `::attr(name)`
pseudo-elements. Both compile to one `lxml.etree.XPath` at load time, so a typo fails when the
profile is loaded, naming its key, never halfway through a crawl.
"""

from __future__ import annotations

from dataclasses import dataclass

from cssselect import SelectorError
from lxml import etree
from parsel.csstranslator import css2xpath

from newscrawl.text import collapse_whitespace

XPATH_STARTS = ("/", "./", "../", "(")


class SelectorSyntaxError(ValueError):
    """A selector that does not compile; the message says which language and why."""


@dataclass(frozen=True)
class Selector:
    """One compiled selector. Results are elements, or strings for `::text`/`::attr()`/`@x`."""

    source: str
    xpath: etree.XPath

    def select(self, scope: etree._Element) -> list[etree._Element | str]:
        result = self.xpath(scope)
        return list(result) if isinstance(result, list) else [result]

    def texts(self, scope: etree._Element) -> list[str]:
        """Each match as text, whitespace collapsed, empty ones left out."""
        found = (_text(match) for match in self.select(scope))
        return [text for text in found if text]

    def text(self, scope: etree._Element) -> str | None:
        """The first non-empty match as text, or `None`."""
        return next(iter(self.texts(scope)), None)

    def elements(self, scope: etree._Element) -> list[etree._Element]:
        """The matches that are elements (strings are skipped)."""
        return [match for match in self.select(scope) if isinstance(match, etree._Element)]

    def links(self, scope: etree._Element) -> list[str]:
        """Link targets: an element's `href`, or a string match itself (`::attr(href)`)."""
        links = []
        for match in self.select(scope):
            value = match.get("href") if isinstance(match, etree._Element) else str(match)
            if value and value.strip():
                links.append(value.strip())
        return links


def compile_selector(source: str) -> Selector:
    """Compile `source` as XPath or CSS (see the module docstring), or `SelectorSyntaxError`."""
    text = source.strip()
    if not text:
        raise SelectorSyntaxError("empty selector")
    if text.startswith(XPATH_STARTS):
        try:
            return Selector(source, etree.XPath(text))
        except etree.XPathSyntaxError as error:
            raise SelectorSyntaxError(f"invalid XPath {source!r}: {error}") from None
    try:
        return Selector(source, etree.XPath(css2xpath(text)))
    except (SelectorError, etree.XPathSyntaxError) as error:
        raise SelectorSyntaxError(f"invalid CSS selector {source!r}: {error}") from None


def _text(match: etree._Element | str) -> str:
    if isinstance(match, etree._Element):
        return collapse_whitespace("".join(match.itertext()))
    return collapse_whitespace(str(match))
