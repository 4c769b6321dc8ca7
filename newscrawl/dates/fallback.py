"""dateparser, for the rare date no fast path reads (`Sunday, April 7th 2019`, `지난주`).

dateparser is imported on first use, not with this module: its import and first call cost
100-250 ms, and most crawls never need it. One parser serves the whole process, because
building one per call costs as much again.
"""

from __future__ import annotations

import threading
from datetime import datetime, timezone, tzinfo
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

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


def parse(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    """`text` read by dateparser relative to `now` in `zone`; None for anything it rejects."""
    return _fallback().parse(text, now, zone)


class DateparserFallback:
    """One dateparser parser for the whole process, with RELATIVE_BASE set per call.

    dateparser takes settings only when a parser is built: `get_date_data` has no per-call
    settings, and `dateparser.parse` with settings builds a new parser every call. Each call
    here therefore installs `settings.replace(RELATIVE_BASE=...)` as the parser's (private)
    `_settings` under a lock. tests/test_dates.py
    (`test_fallback_relative_dates_follow_now_not_the_clock`) checks that a fallback relative
    date follows `now`, so a dateparser release that stopped reading `_settings` would fail
    there rather than silently read the clock; one that dropped the attribute fails at once
    with AttributeError when the parser is built.
    """

    def __init__(self, languages: tuple[str, ...] = ("ko", "en")) -> None:
        """`languages`: dateparser locales, tried in order (the first that reads wins)."""
        from dateparser.date import DateDataParser  # 100+ ms: only when needed

        self._parser: DateDataParser = DateDataParser(
            languages=list(languages), settings=_DATEPARSER_SETTINGS
        )
        # Private dateparser API (checked against 1.5): there is no public per-call setting.
        self._settings = self._parser._settings
        self._lock = threading.Lock()

    def parse(self, text: str, now: datetime, zone: tzinfo) -> datetime | None:
        """Parse `text` relative to `now` in `zone`; `None` for anything dateparser rejects."""
        from dateparser.timezone_parser import pop_tz_offset_from_string  # loaded with dateparser

        relative_base = now.astimezone(zone).replace(tzinfo=None)
        try:
            with self._lock:
                # Private attribute swap, see the class docstring: dateparser 1.5 has no public
                # way to give one parser a per-call RELATIVE_BASE, and a parser per call costs
                # as much as the parse. The lock keeps concurrent calls from sharing a base.
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
def _fallback() -> DateparserFallback:
    """The process-wide fallback, built on first use."""
    return DateparserFallback()
