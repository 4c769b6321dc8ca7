"""`newscrawl.dates`: every supported shape to an exact aware instant, with a frozen `now`.

Each expectation is checked with `==` *and* `utcoffset()`: equal instants with a dropped or
converted offset would pass `==` alone, and that is the bug this module exists to prevent.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest

from newscrawl.dates import parse_date, parse_day, to_iso
from newscrawl.dates.fallback import DateparserFallback

SEOUL = ZoneInfo("Asia/Seoul")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 30, 14, 0, tzinfo=SEOUL)  # the fetch time every case assumes


def kst(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, us, tzinfo=SEOUL)


def assert_same(actual: datetime | None, expected: datetime) -> None:
    assert actual is not None
    assert actual == expected
    assert actual.utcoffset() == expected.utcoffset()


FAST_CASES = [
    # ISO 8601 (JSON-LD, article:published_time)
    ("2019-04-08T10:27:00+09:00", kst(2019, 4, 8, 10, 27)),
    ("2019-04-08T10:27:00Z", datetime(2019, 4, 8, 10, 27, tzinfo=UTC)),
    ("2019-04-08 10:27:00", kst(2019, 4, 8, 10, 27)),
    ("2019-04-08", kst(2019, 4, 8)),
    ("2019-04-08T10:27:00.123+09:00", kst(2019, 4, 8, 10, 27, 0, 123000)),
    ("2019-04-08T10:27:00.123456789Z", datetime(2019, 4, 8, 10, 27, 0, 123456, tzinfo=UTC)),
    ("20170710T21:30:38+09:00", kst(2017, 7, 10, 21, 30, 38)),
    ("20170710T213038.5Z", datetime(2017, 7, 10, 21, 30, 38, 500000, tzinfo=UTC)),
    # skin text: dots, slashes, dashes, padded or not
    ("2019. 4. 8. 10:27", kst(2019, 4, 8, 10, 27)),
    ("2022. 4. 8. 15:17", kst(2022, 4, 8, 15, 17)),
    ("2019.04.08 10:27", kst(2019, 4, 8, 10, 27)),
    ("2019.04.08 10:27:33", kst(2019, 4, 8, 10, 27, 33)),
    ("2019.04.08", kst(2019, 4, 8)),
    ("2019. 4. 8.", kst(2019, 4, 8)),
    ("2019. 4. 8", kst(2019, 4, 8)),
    ("2016/05/13", kst(2016, 5, 13)),
    ("2016/05/13 10:20", kst(2016, 5, 13, 10, 20)),
    ("2016-05-13 10:20", kst(2016, 5, 13, 10, 20)),
    ("2019.04.08 (월) 10:27", kst(2019, 4, 8, 10, 27)),
    ("  2019.04.08\xa010:27 ", kst(2019, 4, 8, 10, 27)),
    # compact (og:regDate)
    ("20170710213038", kst(2017, 7, 10, 21, 30, 38)),
    ("20170710", kst(2017, 7, 10)),
    # Korean
    ("2023년 2월 10일 오전 3시 30분", kst(2023, 2, 10, 3, 30)),
    ("2023년 2월 10일 오후 3시", kst(2023, 2, 10, 15, 0)),
    ("2023년 2월 10일", kst(2023, 2, 10)),
    ("2023년 2월 10일 금요일", kst(2023, 2, 10)),
    ("2023년 2월 10일 15:20", kst(2023, 2, 10, 15, 20)),
    ("2023. 3. 18 오전 10:58", kst(2023, 3, 18, 10, 58)),
    ("2023.03.18 오후 1:05", kst(2023, 3, 18, 13, 5)),
    ("2023.03.18 오후 12:05", kst(2023, 3, 18, 12, 5)),
    ("2023.03.18 오전 12:05", kst(2023, 3, 18, 0, 5)),
    ("2023년 2월 10일 오후 12시", kst(2023, 2, 10, 12, 0)),
    ("2023년 2월 10일 오전 12시", kst(2023, 2, 10, 0, 0)),
    # relative Korean, against NOW = 2026-11-30 14:00 KST
    ("방금 전", NOW),
    ("방금", NOW),
    ("30초 전", kst(2026, 11, 30, 13, 59, 30)),
    ("5분 전", kst(2026, 11, 30, 13, 55)),
    ("3시간 전", kst(2026, 11, 30, 11, 0)),
    ("2일 전", kst(2026, 11, 28, 14, 0)),
    ("어제", kst(2026, 11, 29, 14, 0)),
    ("어제 15:30", kst(2026, 11, 29, 15, 30)),
    ("어제 오후 3:30", kst(2026, 11, 29, 15, 30)),
    ("그저께", kst(2026, 11, 28, 14, 0)),
    ("그제", kst(2026, 11, 28, 14, 0)),
    ("2주 전", kst(2026, 11, 16, 14, 0)),
    ("1개월 전", kst(2026, 10, 30, 14, 0)),
    ("3달 전", kst(2026, 8, 30, 14, 0)),
    ("한 달 전", kst(2026, 10, 30, 14, 0)),
    ("1년 전", kst(2025, 11, 30, 14, 0)),
    # relative English
    ("3 hours ago", kst(2026, 11, 30, 11, 0)),
    ("an hour ago", kst(2026, 11, 30, 13, 0)),
    ("2 weeks ago", kst(2026, 11, 16, 14, 0)),
    ("yesterday", kst(2026, 11, 29, 14, 0)),
    ("just now", NOW),
    # English and RFC 2822
    ("April 7, 2019", kst(2019, 4, 7)),
    ("Apr 7, 2019 10:27 AM", kst(2019, 4, 7, 10, 27)),
    ("Apr 7, 2019 10:27 PM", kst(2019, 4, 7, 22, 27)),
    ("7 April 2019", kst(2019, 4, 7)),
    # European day-first, year last (a German WordPress theme)
    ("11.09.2011, 16:20", kst(2011, 9, 11, 16, 20)),
    ("8.4.2019", kst(2019, 4, 8)),
    ("Mon, 08 Apr 2019 10:27:00 +0900", kst(2019, 4, 8, 10, 27)),
    ("Mon, 08 Apr 2019 01:27:00 GMT", datetime(2019, 4, 8, 1, 27, tzinfo=UTC)),
]

GARBAGE = [
    "",
    "   ",
    "hello",
    "댓글 3",
    "2019.13.45",
    "31.02.2019",
    "2019.02.30",
    "99999999999999",
    "0000-00-00",
    "3",
    "2019",
    "08/04/2019",  # day/month order unknowable: not guessed
    "2019-04-0810:27",
    "2023.03.18 오후 13:05",
    "99999년 전",
    "2019-04-08 " + "x" * 250,
]


@pytest.fixture
def fallback_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Texts handed to dateparser during the test (the real fallback still runs)."""
    calls: list[str] = []
    parse = DateparserFallback.parse

    def spy(self: DateparserFallback, text: str, now: datetime, zone: tzinfo) -> datetime | None:
        calls.append(text)
        return parse(self, text, now, zone)

    monkeypatch.setattr(DateparserFallback, "parse", spy)
    return calls


@pytest.mark.parametrize(("text", "expected"), FAST_CASES)
def test_known_shapes_parse_exactly_without_dateparser(
    text: str, expected: datetime, fallback_calls: list[str]
) -> None:
    assert_same(parse_date(text, now=NOW, tz="Asia/Seoul"), expected)
    assert fallback_calls == []


@pytest.mark.parametrize("text", [*GARBAGE, None])
def test_garbage_is_none(text: str | None) -> None:
    assert parse_date(text, now=NOW, tz="Asia/Seoul") is None


def test_explicit_offsets_are_kept_not_converted() -> None:
    for text, offset in [
        ("2019-04-08T10:27:00-05:00", timedelta(hours=-5)),
        ("2019-04-08T10:27:00+0530", timedelta(hours=5, minutes=30)),
        ("2019-04-08T10:27:00Z", timedelta(0)),
        ("Mon, 08 Apr 2019 10:27:00 +0900", timedelta(hours=9)),
    ]:
        parsed = parse_date(text, now=NOW, tz="America/New_York")
        assert parsed is not None
        assert parsed.utcoffset() == offset
        assert (parsed.hour, parsed.minute) == (10, 27)


def test_naive_strings_take_the_site_zone_with_dst() -> None:
    summer = parse_date("2019-07-04 12:00", now=NOW, tz="America/New_York")
    winter = parse_date("2019.01.15 12:00", now=NOW, tz=NEW_YORK)
    assert_same(summer, datetime(2019, 7, 4, 12, tzinfo=NEW_YORK))
    assert_same(winter, datetime(2019, 1, 15, 12, tzinfo=NEW_YORK))
    assert summer is not None and summer.utcoffset() == timedelta(hours=-4)
    assert winter is not None and winter.utcoffset() == timedelta(hours=-5)


def test_relative_across_dst_elapsed_hours_but_calendar_days() -> None:
    # New York left DST at 2019-11-03 02:00; noon the day before is 25 hours back.
    now = datetime(2019, 11, 3, 12, tzinfo=NEW_YORK)
    day_before = datetime(2019, 11, 2, 12, tzinfo=NEW_YORK)
    assert_same(parse_date("1일 전", now=now, tz=NEW_YORK), day_before)
    assert_same(parse_date("24시간 전", now=now, tz=NEW_YORK), day_before + timedelta(hours=1))


@pytest.mark.parametrize(
    ("now", "text", "expected"),
    [
        (kst(2026, 3, 31, 9), "1개월 전", kst(2026, 2, 28, 9)),
        (kst(2024, 3, 31, 9), "1개월 전", kst(2024, 2, 29, 9)),
        (kst(2024, 2, 29, 9), "1년 전", kst(2023, 2, 28, 9)),
        (kst(2026, 1, 31, 9), "2달 전", kst(2025, 11, 30, 9)),
        (kst(2026, 3, 1, 9), "어제", kst(2026, 2, 28, 9)),
        # now given in UTC is seen in the site's zone: 16:00Z on March 31 is April 1 in Seoul
        (datetime(2026, 3, 31, 16, tzinfo=UTC), "1개월 전", kst(2026, 3, 1, 1)),
        (datetime(2026, 3, 31, 16, tzinfo=UTC), "어제 10:00", kst(2026, 3, 31, 10)),
    ],
)
def test_relative_at_month_boundaries(now: datetime, text: str, expected: datetime) -> None:
    assert_same(parse_date(text, now=now, tz="Asia/Seoul"), expected)


def test_fallback_reads_other_shapes_with_the_site_zone(fallback_calls: list[str]) -> None:
    parsed = parse_date("Sunday, April 7th 2019", now=NOW, tz="Asia/Seoul")
    assert_same(parsed, kst(2019, 4, 7))
    assert fallback_calls == ["Sunday, April 7th 2019"]


def test_fallback_keeps_an_explicit_zone(fallback_calls: list[str]) -> None:
    parsed = parse_date("8 April 2019 10:00 CET", now=NOW, tz="Asia/Seoul")
    assert_same(parsed, datetime(2019, 4, 8, 10, tzinfo=timezone(timedelta(hours=1))))
    assert fallback_calls == ["8 April 2019 10:00 CET"]


def test_fallback_relative_dates_follow_now_not_the_clock(fallback_calls: list[str]) -> None:
    # Guards the per-call RELATIVE_BASE: with it lost, dateparser would read the real clock.
    assert_same(parse_date("지난주", now=NOW, tz="Asia/Seoul"), kst(2026, 11, 23, 14, 0))
    earlier = datetime(2001, 5, 20, 8, 0, tzinfo=UTC)
    assert_same(parse_date("last week", now=earlier, tz="UTC"), earlier - timedelta(weeks=1))
    assert fallback_calls == ["지난주", "last week"]


def test_fallback_rejects_dates_missing_a_part() -> None:
    for text in ["April 7", "2019년 4월"]:
        assert parse_date(text, now=NOW, tz="Asia/Seoul") is None


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_date("2019-04-08", now=datetime(2026, 11, 30), tz="Asia/Seoul")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019.04.07", "2019-04-07"),
        ("2019. 4. 7", "2019-04-07"),
        ("2019. 4. 7.", "2019-04-07"),
        ("2019-04-07", "2019-04-07"),
        ("2019/04/07", "2019-04-07"),
        (" 2019.04.07 ", "2019-04-07"),
        ("2019년 4월 7일", "2019-04-07"),
        ("2019.04.07 10:27", None),  # has a time: not a calendar-date-only string
        ("2019.02.30", None),
        ("3시간 전", None),
        ("", None),
        ("hello", None),
    ],
)
def test_parse_day(text: str, expected: str | None) -> None:
    assert parse_day(text) == expected


def test_to_iso() -> None:
    assert to_iso(kst(2019, 4, 8, 10, 27)) == "2019-04-08T10:27:00+09:00"
    assert to_iso(datetime(2019, 4, 8, 1, 27, 5, 999999, tzinfo=UTC)) == "2019-04-08T01:27:05+00:00"
    assert to_iso(None) is None
    with pytest.raises(ValueError, match="naive"):
        to_iso(datetime(2019, 4, 8))
