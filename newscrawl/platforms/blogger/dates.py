"""Blogger's date strings: ISO instants, or a day in the blog's own language.

Blogger prints the day header and template date boxes in the blog's locale: "Sunday, May 8,
2016", "Montag, 8. April 2019", "Mai 03, 2017", "lunes, 8 de abril de 2019". The shared
parser reads ISO, English and Korean shapes; what it cannot read is tried with dateparser in
the languages Blogger blogs are most often written in, one parser for the process (built on
first use: it costs as much as a page parse).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import cache

from newscrawl.dates import parse_date
from newscrawl.dates.fallback import DateparserFallback

# Tried in order after the shared fast paths, Korean and English.
LANGUAGES = ("en", "de", "fr", "es", "pt", "it", "nl", "id", "pl", "tr", "ru")
MAX_LENGTH = 80  # a day header or date box; longer text is not a date


def read_date(raw: str, *, now: datetime, tz: tzinfo) -> datetime | None:
    """The instant `raw` denotes (naive strings in `tz`), or `None`."""
    parsed = parse_date(raw, now=now, tz=tz)
    if parsed is not None or len(raw) > MAX_LENGTH or not any(c.isalpha() for c in raw):
        return parsed
    return _localised().parse(" ".join(raw.split()), now, tz)


@cache
def _localised() -> DateparserFallback:
    return DateparserFallback(LANGUAGES)
