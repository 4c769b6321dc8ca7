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
RFC 2822 parsers (a few µs); dateparser is only the fallback for the rare rest, imported on
first use because its import and first call cost 100-250 ms. A string that has a known shape
but impossible values (`2019.13.45`) is `None` at once: guessing another reading of it would
invent a date.

Which page field to trust is the caller's concern, not this module's: Tistory's `og:regDate`
meta parses fine here (it is in the compact form) but must not be trusted as the publication
date.
"""

from __future__ import annotations

import re
import threading
from calendar import monthrange
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

__all__ = ["parse_date", "parse_day", "to_iso"]

_MAX_LENGTH = 200
"""Longer strings are not dates but text a selector caught by mistake; never parse them."""

# -- shapes -------------------------------------------------------------------------------------
# A date prefix (numeric, Korean or English) is matched first, then the rest of the string must
# be a clock that `_CLOCK` reads. Group names are shared so one builder serves every shape.

_KO_WEEKDAY = r"(?:\s*\(?[월화수목금토일](?:요일)?\)?)?"  # "(월)" or "월요일" after a date
_ORDINAL = r"(?:st|nd|rd|th)?"
_FRACTION = r"(?:[.,](?P<fraction>\d+))?"
_OFFSET = r"(?P<offset>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)"

# 2019-04-08, 2019. 4. 8., 2019.04.08, 2016/05/13. The separator must repeat; `(?!\d)` keeps
# "2019-04-0810:27" from reading as the 0th day plus a clock.
_NUMERIC_DATE = re.compile(
    r"(?P<year>\d{4})\s*(?P<sep>[-./])\s*(?P<month>\d{1,2})\s*(?P=sep)\s*(?P<day>\d{1,2})"
    rf"(?!\d)\.?{_KO_WEEKDAY}"
)
_KOREAN_DATE = re.compile(
    r"(?P<year>\d{4})\s*년\s*(?P<month>\d{1,2})\s*월\s*(?P<day>\d{1,2})\s*일" + _KO_WEEKDAY
)
_ENGLISH_MDY = re.compile(
    rf"(?P<month>[A-Za-z]{{3,9}})\.?\s+(?P<day>\d{{1,2}}){_ORDINAL},?\s+(?P<year>\d{{4}})"
    r"(?!\d),?"
)
_ENGLISH_DMY = re.compile(
    rf"(?P<day>\d{{1,2}}){_ORDINAL}\s+(?P<month>[A-Za-z]{{3,9}})\.?,?\s+(?P<year>\d{{4}})"
    r"(?!\d),?"
)
# Most frequent first: ISO and dotted dates are nearly every Tistory date.
_DATE_PREFIXES = (_NUMERIC_DATE, _KOREAN_DATE, _ENGLISH_MDY, _ENGLISH_DMY)

# 10:27, 10:27:33.5+09:00, T10:27Z, 오후 1:05, 10:27 AM, 오전 3시 30분.
_CLOCK = re.compile(
    rf"""(?:T|\s*)
    (?:(?P<marker>오전|오후|AM|PM)\s*)?
    (?P<hour>\d{{1,2}})
    (?: :(?P<minute>\d{{2}})(?::(?P<second>\d{{2}}){_FRACTION})?
      | \s*시(?:\s*(?P<ko_minute>\d{{1,2}})\s*분)?(?:\s*(?P<ko_second>\d{{1,2}})\s*초)? )
    (?:\s*(?P<late_marker>AM|PM))?
    (?:\s*{_OFFSET})?""",
    re.VERBOSE | re.IGNORECASE,
)
# 20170710, 20170710213038 (Tistory og:regDate), 20170710T21:30:38+09:00 (Tistory JSON-LD).
_COMPACT = re.compile(
    r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})"
    rf"(?:T?(?P<hour>\d{{2}}):?(?P<minute>\d{{2}}):?(?P<second>\d{{2}}){_FRACTION})?{_OFFSET}?"
)
# Mon, 08 Apr 2019 10:27:00 +0900 (RSS). Only zones the email module knows, or it returns a
# naive datetime for a zone it could not read.
_RFC2822 = re.compile(
    r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s+"
    r"(?:[+-]\d{4}|UTC?|GMT|Z|[ECMP][SD]T)",
    re.IGNORECASE,
)

_KO_COUNTS = {"한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8}
_RELATIVE = re.compile(
    rf"(?P<count>\d{{1,4}}|{'|'.join(_KO_COUNTS)}|an?)\s*"
    r"(?:(?P<ko_unit>초|분|시간|일|주|개월|달|년)\s*전"
    r"|(?P<en_unit>seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago)",
    re.IGNORECASE,
)
_UNITS = {
    **dict.fromkeys(("초", "second", "sec"), "seconds"),
    **dict.fromkeys(("분", "minute", "min"), "minutes"),
    **dict.fromkeys(("시간", "hour", "hr"), "hours"),
    **dict.fromkeys(("일", "day"), "days"),
    **dict.fromkeys(("주", "week"), "weeks"),
    **dict.fromkeys(("개월", "달", "month"), "months"),
    **dict.fromkeys(("년", "year"), "years"),
}
_JUST_NOW = re.compile(r"방금(?:\s*전)?|just now", re.IGNORECASE)
_DAY_WORD = re.compile(r"(?P<word>오늘|어제|그저께|그제|today|yesterday)", re.IGNORECASE)
_DAYS_BACK = {"오늘": 0, "today": 0, "어제": 1, "yesterday": 1, "그제": 2, "그저께": 2}

_MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
_MONTHS = {
    name: number
    for number, full in enumerate(_MONTH_NAMES.split(), start=1)
    for name in (full, full[:3])
} | {"sept": 9}
_PM_MARKERS = frozenset({"오후", "pm"})
_MIDNIGHT = time(0, 0)


# -- public API ---------------------------------------------------------------------------------


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
    return _fallback().parse(text, now, zone)


def parse_day(text: str) -> str | None:
    """`YYYY-MM-DD` for a calendar-date-only string (`2019. 4. 7`, `2019/04/07`), else `None`.

    Related-posts rows show a day without a time; returning a datetime would invent midnight
    and an offset the page never gave.
    """
    if len(text) > _MAX_LENGTH:
        return None
    text = " ".join(text.split())
    for pattern in (_NUMERIC_DATE, _KOREAN_DATE):
        match = pattern.fullmatch(text)
        if match is not None:
            try:
                return date(int(match["year"]), int(match["month"]), int(match["day"])).isoformat()
            except ValueError:
                return None
    return None


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


# -- fast paths ---------------------------------------------------------------------------------
# Each returns None for "not my shape" and raises ValueError for "my shape, impossible values".


def _iso(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    """Extended ISO 8601 (JSON-LD, `article:*_time`) through the C parser, in well under a µs.

    A ValueError here only means "not for fromisoformat" (`2019-04-08 오후 1:05`, or month 13):
    the regex paths below read the former and reject the latter.
    """
    if text[4:5] != "-":
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone)


def _absolute(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    """A calendar date (numeric, Korean or English) optionally followed by a clock."""
    for pattern in _DATE_PREFIXES:
        match = pattern.match(text)
        if match is not None:
            break
    else:
        return None
    month = _month(match)
    clock = _clock(text[match.end() :])
    if month is None or clock is None:
        return None  # an unknown month word or tail: maybe the fallback can read it
    day = date(int(match["year"]), month, int(match["day"]))
    return datetime.combine(day, clock[0], tzinfo=clock[1] or zone)


def _compact(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    """Digits-only ISO basic format, as Tistory writes in `og:regDate` and JSON-LD."""
    match = _COMPACT.fullmatch(text)
    if match is None:
        return None
    hour, minute, second, fraction, offset = match.group(
        "hour", "minute", "second", "fraction", "offset"
    )
    day = date(int(match["year"]), int(match["month"]), int(match["day"]))
    clock = _time(int(hour or 0), minute, second, fraction)
    return datetime.combine(day, clock, tzinfo=_offset(offset) or zone)


def _rfc2822(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    """RSS dates, read by the standard library's own RFC 2822 parser."""
    if _RFC2822.fullmatch(text) is None:
        return None
    parsed = parsedate_to_datetime(text)
    # "-0000" means "UTC, local zone unknown"; the email module returns it naive.
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _relative(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    """`N unit 전` / `N units ago` and `방금`, counted back from `now` seen in `zone`."""
    if _JUST_NOW.fullmatch(text):
        return now.astimezone(zone)
    match = _RELATIVE.fullmatch(text)
    if match is None:
        return _day_word(text, now, zone)
    return _count_back(now.astimezone(zone), _count(match["count"]), _unit(match))


def _day_word(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    """`어제`, `그제`, `yesterday`...: with a clock (`어제 15:30`) that time, else now's time."""
    match = _DAY_WORD.match(text)
    if match is None:
        return None
    day = now.astimezone(zone) - timedelta(days=_DAYS_BACK[match["word"].lower()])
    rest = text[match.end() :]
    if not rest:
        return day
    clock = _clock(rest)
    if clock is None:
        return None
    return datetime.combine(day.date(), clock[0], tzinfo=clock[1] or zone)


_FAST_PATHS: tuple[Callable[[str, datetime, tzinfo], datetime | None], ...] = (
    _iso,
    _absolute,
    _compact,
    _relative,
    _rfc2822,
)


# -- pieces -------------------------------------------------------------------------------------


def _month(match: re.Match[str]) -> int | None:
    """The month number from a numeric group or an English month name (None if unknown)."""
    month = match["month"]
    return int(month) if month.isdigit() else _MONTHS.get(month.lower())


def _clock(rest: str) -> tuple[time, tzinfo | None] | None:
    """The time of day and explicit offset after a date; midnight when nothing follows."""
    if not rest:
        return _MIDNIGHT, None
    match = _CLOCK.fullmatch(rest)
    if match is None:
        return None
    marker, late_marker, hour, minute, ko_minute, second, ko_second, fraction, offset = match.group(
        "marker",
        "late_marker",
        "hour",
        "minute",
        "ko_minute",
        "second",
        "ko_second",
        "fraction",
        "offset",
    )
    if marker and late_marker:
        raise ValueError("two AM/PM markers")
    hour_24 = _hour_24(int(hour), marker or late_marker)
    return _time(hour_24, minute or ko_minute, second or ko_second, fraction), _offset(offset)


def _time(hour: int, minute: str | None, second: str | None, fraction: str | None) -> time:
    """A time from regex groups; a fraction is cut to microseconds, datetime's precision."""
    microsecond = int(fraction[:6].ljust(6, "0")) if fraction else 0
    return time(hour, int(minute or 0), int(second or 0), microsecond)


def _hour_24(hour: int, marker: str | None) -> int:
    """12-hour clock to 24-hour: 오후/PM 12 is noon and 오전/AM 12 is midnight."""
    if marker is None:
        return hour
    if not 1 <= hour <= 12:
        raise ValueError(f"hour {hour} with {marker}")
    return hour % 12 + (12 if marker.lower() in _PM_MARKERS else 0)


@cache  # few distinct offsets exist; building the timedelta and timezone costs µs each time
def _offset(text: str | None) -> tzinfo | None:
    """A fixed-offset tzinfo for `Z`, `+09:00`, `+0900` or `+09`; None when absent."""
    if text is None:
        return None
    if text.upper() in ("Z", "UTC", "GMT"):
        return UTC
    digits = text[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
    return timezone(-delta if text[0] == "-" else delta)


def _count(text: str) -> int:
    """A relative count: digits, a native Korean number word, or English `a`/`an`."""
    if text.isdigit():
        return int(text)
    return _KO_COUNTS.get(text, 1)


def _unit(match: re.Match[str]) -> str:
    """The canonical unit name of a `_RELATIVE` match."""
    if match["ko_unit"]:
        return _UNITS[match["ko_unit"]]
    return _UNITS[match["en_unit"].lower().removesuffix("s")]


def _count_back(local_now: datetime, count: int, unit: str) -> datetime:
    """`count` units before `local_now`.

    Seconds to hours are elapsed time, so they are subtracted on the UTC timeline; days and
    weeks keep the wall-clock time across a DST change; months and years are calendar steps
    that clamp the day (one month before March 31 is the last day of February).
    """
    if unit in ("seconds", "minutes", "hours"):
        return (local_now.astimezone(UTC) - timedelta(**{unit: count})).astimezone(local_now.tzinfo)
    if unit in ("days", "weeks"):
        return local_now - timedelta(**{unit: count})
    months = count * 12 if unit == "years" else count
    year, month_index = divmod(local_now.year * 12 + local_now.month - 1 - months, 12)
    day = min(local_now.day, monthrange(year, month_index + 1)[1])
    return local_now.replace(year=year, month=month_index + 1, day=day)


# -- fallback -----------------------------------------------------------------------------------

_DATEPARSER_SETTINGS = {
    # Naive strings come back with their wall time under UTC, which `parse` swaps for the
    # site's zone; one parser then serves every site, and zoneinfo (not pytz) decides DST.
    "TIMEZONE": "UTC",
    "RETURN_AS_TIMEZONE_AWARE": True,
    "PREFER_DATES_FROM": "past",
    # Only full dates: "April 7" or "2019년 4월" would take the missing parts from `now`.
    "STRICT_PARSING": True,
    # No "timestamp" parser: a bare number is not a date.
    "PARSERS": ["relative-time", "absolute-time"],
}


class _DateparserFallback:
    """One dateparser parser for the whole process, with RELATIVE_BASE set per call.

    dateparser takes settings only when a parser is built: `get_date_data` has no per-call
    settings, and `dateparser.parse` with settings builds a new parser every call. Each call
    here therefore installs `settings.replace(RELATIVE_BASE=...)` as the parser's (private)
    `_settings` under a lock. tests/test_dates.py checks that a fallback relative date follows
    `now`, so a dateparser release that stopped reading `_settings` would fail there rather than
    silently read the clock.
    """

    def __init__(self) -> None:
        from dateparser.date import DateDataParser  # 100+ ms: only when needed

        self._parser: DateDataParser = DateDataParser(
            languages=["ko", "en"], settings=_DATEPARSER_SETTINGS
        )
        self._settings = self._parser._settings
        self._lock = threading.Lock()

    def parse(self, text: str, now: datetime, zone: tzinfo) -> datetime | None:
        """Parse `text` relative to `now` in `zone`; `None` for anything dateparser rejects."""
        from dateparser.timezone_parser import pop_tz_offset_from_string  # loaded with dateparser

        relative_base = now.astimezone(zone).replace(tzinfo=None)
        try:
            with self._lock:
                self._parser._settings = self._settings.replace(RELATIVE_BASE=relative_base)
                parsed = self._parser.get_date_data(text).date_obj
            if parsed is None:
                return None
            explicit = pop_tz_offset_from_string(text)[1]
            if not isinstance(explicit, tzinfo):  # None: the string names no zone
                return parsed.replace(tzinfo=zone)
            return parsed.astimezone(timezone(explicit.utcoffset(parsed)))
        except Exception:  # third-party parsing of untrusted text: garbage must never raise
            return None


@cache
def _fallback() -> _DateparserFallback:
    """The process-wide fallback, built on first use."""
    return _DateparserFallback()
