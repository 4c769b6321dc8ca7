"""Read and check a profile TOML file: every mistake is one line naming its key.

A profile is data a user writes without touching Python, so the loader is strict: an unknown
key (a typo would otherwise be ignored silently), a missing required key, a selector that does
not compile, a regex that does not compile, an unknown timezone or language, a bad date format
or page pattern each fail at start with `ProfileError`:
`profile error in my.toml: [article] title: invalid CSS selector 'h1[': …`. `ProfileError` is
a `BadArgument`, so `scrapy crawl` prints that line and exits 2 before the engine starts.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newscrawl.errors import BadArgument
from newscrawl.profiles.selectors import Selector, SelectorSyntaxError, compile_selector

AUTO = "auto"


class ProfileError(BadArgument):
    """A profile that cannot be used; the message names the file, section and key."""


@dataclass(frozen=True)
class ArticleSelectors:
    """Where the fields of an article page are; `None` for fields the site does not show."""

    title: Selector
    body: Selector
    remove: tuple[Selector, ...] = ()
    date: Selector | None = None
    date_format: str = AUTO
    modified: Selector | None = None
    modified_format: str | None = None  # None: as date_format
    author: Selector | None = None
    category: Selector | None = None
    tags: Selector | None = None
    comment_count: Selector | None = None


@dataclass(frozen=True)
class RelatedSelectors:
    """The related-posts rows: `row` on the page, the others inside each row."""

    row: Selector
    title: Selector
    link: Selector
    date: Selector | None = None
    date_format: str = AUTO
    comment_count: Selector | None = None


@dataclass(frozen=True)
class Profile:
    """A checked profile: compiled selectors and patterns, ready for `ProfilePlatform`."""

    name: str
    label: str
    timezone: str
    language: str | None
    generic_fallback: bool
    detect: Selector | None
    post_url: re.Pattern[str]
    category_url: re.Pattern[str]
    links: Selector
    next_page: Selector | None
    page_url: str | None
    article: ArticleSelectors
    related: RelatedSelectors | None


def _string(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty string")
    return value.strip()


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _selector(value: Any) -> Selector:
    try:
        return compile_selector(_string(value))
    except SelectorSyntaxError as error:
        raise ValueError(str(error)) from None


def _selectors(value: Any) -> tuple[Selector, ...]:
    if not isinstance(value, list):
        raise ValueError("must be a list of selectors")
    return tuple(_selector(item) for item in value)


def _regex(value: Any) -> re.Pattern[str]:
    try:
        return re.compile(_string(value))
    except re.error as error:
        raise ValueError(f"invalid regex {value!r}: {error}") from None


def _timezone(value: Any) -> str:
    name = _string(value)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown timezone {name!r} (an IANA name such as 'Europe/Berlin')"
        ) from None
    return name


def _language(value: Any) -> str:
    from dateparser.languages.loader import default_loader  # heavy: only for profiles

    code = _string(value)
    try:
        default_loader.get_locale_map(languages=[code])
    except ValueError:
        raise ValueError(f"unknown language {code!r} (a code such as 'de' or 'ko')") from None
    return code


def _date_format(value: Any) -> str:
    """`auto`, or a strptime format that reads back what it writes (a typo'd `%Q` does not)."""
    fmt = _string(value)
    if fmt == AUTO:
        return fmt
    sample = datetime(2001, 2, 3, 4, 5, 6)
    try:
        if "%" not in fmt:
            raise ValueError
        datetime.strptime(sample.strftime(fmt), fmt)
    except ValueError:
        raise ValueError(f"{fmt!r} is neither 'auto' nor a strptime format") from None
    return fmt


def _page_url(value: Any) -> str:
    pattern = _string(value)
    try:
        filled = pattern.format(url="https://example.org/c", page=2)
    except (KeyError, IndexError, ValueError):
        raise ValueError(f"{pattern!r} may use only {{url}} and {{page}}") from None
    if "{page}" not in pattern or not filled.startswith(("http://", "https://", "/", "?")):
        raise ValueError(f"{pattern!r} must hold {{page}} and start with {{url}}, / or ?")
    return pattern


# Section → key → (reader, required). The order is the order of the README's profile guide.
SCHEMA: dict[str, dict[str, tuple[Callable[[Any], Any], bool]]] = {
    "profile": {
        "name": (_string, True),
        "label": (_string, False),
        "timezone": (_timezone, True),
        "language": (_language, False),
        "generic_fallback": (_bool, False),
        "detect": (_selector, False),
    },
    "urls": {"post": (_regex, True), "category": (_regex, True)},
    "listing": {
        "links": (_selector, True),
        "next": (_selector, False),
        "page_url": (_page_url, False),
    },
    "article": {
        "title": (_selector, True),
        "body": (_selector, True),
        "remove": (_selectors, False),
        "date": (_selector, False),
        "date_format": (_date_format, False),
        "modified": (_selector, False),
        "modified_format": (_date_format, False),
        "author": (_selector, False),
        "category": (_selector, False),
        "tags": (_selector, False),
        "comment_count": (_selector, False),
    },
    "related": {
        "row": (_selector, True),
        "title": (_selector, True),
        "link": (_selector, True),
        "date": (_selector, False),
        "date_format": (_date_format, False),
        "comment_count": (_selector, False),
    },
}
OPTIONAL_SECTIONS = frozenset({"related"})


def load_profile_data(path: str | Path) -> Profile:
    """Read and check the profile at `path`, or raise `ProfileError` naming the bad key."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ProfileError(f"profile error: cannot read {path}: {error.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ProfileError(f"profile error in {path.name}: not valid TOML: {error}") from None
    try:
        sections = _read_sections(data)
    except _KeyProblem as problem:
        raise ProfileError(f"profile error in {path.name}: {problem}") from None
    return _build(sections)


class _KeyProblem(Exception):
    """One problem, already phrased as `[section] key: what is wrong`."""


def _read_sections(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    unknown = sorted(set(data) - set(SCHEMA))
    if unknown:
        raise _KeyProblem(f"[{unknown[0]}]: unknown section (known: {', '.join(SCHEMA)})")
    sections = {}
    for section, keys in SCHEMA.items():
        table = data.get(section)
        if table is None and section in OPTIONAL_SECTIONS:
            continue
        if not isinstance(table, dict):
            raise _KeyProblem(f"[{section}]: missing section (required)")
        sections[section] = _read_keys(section, table, keys)
    if "next" in sections["listing"] and "page_url" in sections["listing"]:
        raise _KeyProblem("[listing] next: give either next or page_url, not both")
    return sections


def _read_keys(
    section: str, table: Mapping[str, Any], keys: Mapping[str, tuple[Callable[[Any], Any], bool]]
) -> dict[str, Any]:
    unknown = sorted(set(table) - set(keys))
    if unknown:
        raise _KeyProblem(f"[{section}] {unknown[0]}: unknown key (known: {', '.join(keys)})")
    values = {}
    for key, (read, required) in keys.items():
        if key not in table:
            if required:
                raise _KeyProblem(f"[{section}] {key}: missing (required)")
            continue
        try:
            values[key] = read(table[key])
        except ValueError as error:
            raise _KeyProblem(f"[{section}] {key}: {error}") from None
    return values


def _build(sections: dict[str, dict[str, Any]]) -> Profile:
    head, urls, listing = sections["profile"], sections["urls"], sections["listing"]
    related = sections.get("related")
    return Profile(
        name=head["name"],
        label=head.get("label", head["name"]),
        timezone=head["timezone"],
        language=head.get("language"),
        generic_fallback=head.get("generic_fallback", True),
        detect=head.get("detect"),
        post_url=urls["post"],
        category_url=urls["category"],
        links=listing["links"],
        next_page=listing.get("next"),
        page_url=listing.get("page_url"),
        article=ArticleSelectors(**sections["article"]),
        related=RelatedSelectors(**related) if related is not None else None,
    )
