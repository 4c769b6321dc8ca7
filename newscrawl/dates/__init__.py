"""Date strings as blogs show them -> aware datetimes.

A post's dates come in many shapes: ISO 8601 in JSON-LD and `article:*_time` meta, Tistory's
compact `20170710213038`, skin text such as `2019. 4. 8. 10:27` or `2023년 2월 10일 오후 3시`,
relative text such as `3시간 전`, and RFC 2822 in feeds. `parse_date` turns any of them into
one aware instant, so the export can promise ISO 8601 with an offset.

Time is a parameter (CONVENTIONS 6): relative dates are resolved against the caller's `now`
(the page's fetch time) and naive strings take the caller's `tz` (the site's zone). Nothing
here reads the clock or the machine's timezone, so a fixture parses the same on any machine,
any day.

Every shape listed above is read by precompiled regexes or the standard library's ISO and
RFC 2822 parsers (a few µs; `absolute` and `relative`); dateparser is only the fallback for the
rare rest (`fallback`), imported on first use because its import and first call cost
100-250 ms. A string that has a known shape but impossible values (`2019.13.45`) is `None` at
once: guessing another reading of it would invent a date.

Which page field to trust is the caller's concern, not this module's: Tistory's `og:regDate`
meta parses fine here (it is in the compact form) but must not be trusted as the publication
date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from newscrawl.dates import fallback
from newscrawl.dates.absolute import (
    calendar_day,
    parse_calendar,
    parse_compact,
    parse_iso,
    parse_rfc2822,
)
from newscrawl.dates.relative import parse_relative

__all__ = ["parse_date", "parse_day", "to_iso"]

_MAX_LENGTH = 200
"""Longer strings are not dates but text a selector caught by mistake; never parse them."""

# Each returns None for "not my shape" and raises ValueError for "my shape, impossible values".
# Cheapest and most frequent first: ISO and dotted dates are nearly every Tistory date.
_FAST_PATHS: tuple[Callable[[str, datetime, tzinfo], datetime | None], ...] = (
    parse_iso,
    parse_calendar,
    parse_compact,
    parse_relative,
    parse_rfc2822,
)


def parse_date(text: str | None, *, now: datetime, tz: str | tzinfo) -> datetime | None:
    """The instant `text` denotes, as an aware datetime, or `None` when it is not a date.

    - `now`: aware fetch time of the page; relative dates (`3시간 전`, `어제 15:30`) count back
      from it, seen in `tz`.
    - `tz`: the site's zone, an IANA name (`"Asia/Seoul"`) or a tzinfo with zoneinfo
      semantics; it is attached to naive strings, DST included.

    A string with its own offset keeps that offset (`+09:00` stays `+09:00`, `Z` is UTC): the
    offset is part of what the page said. Garbage never raises; it returns `None`. A naive
    `now` (ValueError) or an unknown zone name (ZoneInfoNotFoundError) is a caller's bug and
    does raise.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    if text is None or len(text) > _MAX_LENGTH:
        return None
    text = " ".join(text.split())  # as text.collapse_whitespace, in a quarter of the time
    if not text:
        return None
    try:
        for parse in _FAST_PATHS:
            parsed = parse(text, now, zone)
            if parsed is not None:
                return parsed
    except (ValueError, OverflowError):
        return None  # a known shape with impossible values, e.g. month 13
    if not any(char.isalpha() for char in text):
        # Digits and punctuation in no known shape ("3", "2019", "08/04/2019"): dateparser
        # could only guess a field order or read a bare number as a timestamp.
        return None
    return fallback.parse(text, now, zone)


def parse_day(text: str) -> str | None:
    """`YYYY-MM-DD` for a calendar-date-only string (`2019. 4. 7`, `2019/04/07`), else `None`.

    Related-posts rows show a day without a time; returning a datetime would invent midnight
    and an offset the page never gave.
    """
    if len(text) > _MAX_LENGTH:
        return None
    day = calendar_day(" ".join(text.split()))
    return None if day is None else day.isoformat()


def to_iso(dt: datetime | None) -> str | None:
    """ISO 8601 to the second with the offset, e.g. `2019-04-08T10:27:00+09:00`.

    Seconds precision because pages rarely show more, and one fixed shape lets exported dates
    be compared as strings. A naive datetime is refused: the export promises an offset.
    """
    if dt is None:
        return None
    if dt.utcoffset() is None:
        raise ValueError(f"naive datetime has no offset to export: {dt!r}")
    return dt.isoformat(timespec="seconds")
