"""Dates of a profile site: its fixed `date_format`, or `auto` with its language as a fallback.

`auto` reads the raw string like every other platform (`newscrawl.dates.parse_date`); when
that fails and the profile names a language other than those the shared fallback knows
(Korean, English), dateparser tries once more in that language, so `5. März 2024` is read on a
German site. A strptime format is exact: a string it does not fit is unparsed, never guessed.
Naive results take the profile's timezone.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from newscrawl.dates import parse_date
from newscrawl.profiles.loader import AUTO
from newscrawl.text import collapse_whitespace

SHARED_LANGUAGES = frozenset({"ko", "en"})  # newscrawl.dates.fallback's own


def read_date(
    raw: str, fmt: str, language: str | None, *, now: datetime, tz: tzinfo
) -> datetime | None:
    """The instant `raw` denotes under `fmt` (`auto` or strptime), or `None`."""
    text = collapse_whitespace(raw)
    if fmt != AUTO:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    found = parse_date(text, now=now, tz=tz)
    if found is not None or language is None or language in SHARED_LANGUAGES:
        return found
    return _in_language(text, language, tz)


def _in_language(text: str, language: str, tz: tzinfo) -> datetime | None:
    """dateparser in the site's language; absolute dates only (relative ones need `now`)."""
    import dateparser  # heavy: only for the rare string the fast paths miss

    try:
        parsed = dateparser.parse(
            text,
            languages=[language],
            settings={"STRICT_PARSING": True, "PARSERS": ["absolute-time"]},
        )
    except Exception:  # third-party parsing of untrusted text: garbage must never raise
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
