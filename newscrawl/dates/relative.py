"""Dates relative to the fetch time: `3시간 전`, `2 weeks ago`, `방금`, `어제 15:30`.

They are resolved against the caller's `now` seen in the site's zone, never against the clock,
so a fixture parses the same on any day. Which arithmetic applies depends on the unit: see
`_count_back`.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import UTC, datetime, timedelta, tzinfo

from newscrawl.dates.absolute import read_clock

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


def parse_relative(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    """`N unit 전` / `N units ago`, `방금` and day words, counted back from `now` in `zone`.

    Like the absolute paths: None for "not my shape", ValueError for impossible values.
    """
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
    clock = read_clock(rest)
    if clock is None:
        return None
    return datetime.combine(day.date(), clock[0], tzinfo=clock[1] or zone)


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
