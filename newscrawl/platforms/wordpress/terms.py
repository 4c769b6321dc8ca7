"""A post's category path from its category links, the same way from HTML and REST.

WordPress posts may sit in several categories, and neither the page nor the REST API's
embedded terms name a category's parent; both do give each category's name and its link,
and a category link spells the parent chain (`/category/travel/asia/`). So the post's path
is its deepest category, preceded by the names of those of its categories that are that
one's ancestors; the first listed wins between equally deep ones. Parents the post is not
filed under stay unnamed: their names appear nowhere on the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newscrawl.platforms.wordpress.urls import category_slugs


@dataclass(frozen=True)
class Term:
    """One category or tag as a page or the API shows it: its name and its listing URL."""

    name: str
    link: str


def _slugs(term: Term) -> list[str]:
    return [slug.lower() for slug in category_slugs(term.link) or []]


def category_path(terms: Sequence[Term]) -> list[str]:
    """Root-first names of the post's deepest category (see the module docstring)."""
    if not terms:
        return []
    chains = [_slugs(term) for term in terms]
    leaf = max(range(len(terms)), key=lambda i: (len(chains[i]), -i))
    chain = chains[leaf]
    ancestors = sorted(
        (
            i
            for i, slugs in enumerate(chains)
            if slugs and len(slugs) < len(chain) and chain[: len(slugs)] == slugs
        ),
        key=lambda i: len(chains[i]),
    )
    path: list[str] = []
    for i in [*ancestors, leaf]:
        if terms[i].name not in path:
            path.append(terms[i].name)
    return path


def tag_names(terms: Sequence[Term]) -> list[str]:
    """Tag labels in order, without `#`, without repeats."""
    names: dict[str, None] = {}
    for term in terms:
        name = term.name.lstrip("#").strip()
        if name:
            names.setdefault(name, None)
    return list(names)
