"""Dates that name their calendar day: ISO 8601, skin text, Tistory's compact form, RFC 2822.

Every shape here is read by a precompiled regex or a standard-library parser (a few µs), so the
common dates never reach dateparser. Each `parse_*` returns None for "not my shape" and raises
ValueError for "my shape, impossible values" (`2019.13.45`): the caller turns the latter into
`None` at once, because guessing another reading would invent a date.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import cache

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
# 11.09.2011, 16:20 (German and other European themes). The year last makes the order
# day-first; slashes (`08/04/2019`) stay unread, since the US writes those month-first.
_DOTTED_DMY = re.compile(r"(?P<day>\d{1,2})\.\s*(?P<month>\d{1,2})\.\s*(?P<year>\d{4})(?!\d),?")
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
_DATE_PREFIXES = (_NUMERIC_DATE, _KOREAN_DATE, _ENGLISH_MDY, _ENGLISH_DMY, _DOTTED_DMY)
# Shapes a related-posts row shows for a day without a time (`parse_day`).
_DAY_ONLY = (_NUMERIC_DATE, _KOREAN_DATE)

# 10:27, 10:27:33.5+09:00, T10:27Z, 오후 1:05, 10:27 AM, 오전 3시 30분.
_CLOCK = re.compile(
    rf"""(?:T|\s*(?:at\s+)?)
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


# -- fast paths ---------------------------------------------------------------------------------
# Same signature as the relative paths (`now` unused here) so `parse_date` can loop over both.


def parse_iso(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    """Extended ISO 8601 (JSON-LD, `article:*_time`) through the C parser, in well under a µs.

    A ValueError here only means "not for fromisoformat" (`2019-04-08 오후 1:05`, or month 13):
    the regex paths read the former and reject the latter.
    """
    if text[4:5] != "-":
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone)


def parse_calendar(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    """A calendar date (numeric, Korean or English) optionally followed by a clock."""
    for pattern in _DATE_PREFIXES:
        match = pattern.match(text)
        if match is not None:
            break
    else:
        return None
    month = _month(match)
    clock = read_clock(text[match.end() :])
    if month is None or clock is None:
        return None  # an unknown month word or tail: maybe the fallback can read it
    day = date(int(match["year"]), month, int(match["day"]))
    return datetime.combine(day, clock[0], tzinfo=clock[1] or zone)


def parse_compact(text: str, now: datetime, zone: tzinfo) -> datetime | None:
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


def parse_rfc2822(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    """RSS dates, read by the standard library's own RFC 2822 parser."""
    if _RFC2822.fullmatch(text) is None:
        return None
    parsed = parsedate_to_datetime(text)
    # "-0000" means "UTC, local zone unknown"; the email module returns it naive.
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def calendar_day(text: str) -> date | None:
    """The day of a date-only numeric or Korean string (no clock after it), else None.

    Unlike the fast paths this never raises: an impossible day (`2019.02.30`) is simply None.
    """
    for pattern in _DAY_ONLY:
        match = pattern.fullmatch(text)
        if match is not None:
            try:
                return date(int(match["year"]), int(match["month"]), int(match["day"]))
            except ValueError:
                return None
    return None


# -- pieces -------------------------------------------------------------------------------------


def read_clock(rest: str) -> tuple[time, tzinfo | None] | None:
    """The time of day and explicit offset after a date; midnight when nothing follows.

    Shared with the relative day words (`어제 15:30`), which take the same clock shapes.
    """
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


def _month(match: re.Match[str]) -> int | None:
    """The month number from a numeric group or an English month name (None if unknown)."""
    month = match["month"]
    return int(month) if month.isdigit() else _MONTHS.get(month.lower())


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
