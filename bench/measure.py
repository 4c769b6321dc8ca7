"""In-process measurements: the date normaliser against dateparser, and the article parser.

Both are timed per call with `time.perf_counter_ns` over many calls and reported as a median
(µs or ms), so one slow call (a garbage collection) does not move the figure.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bench.site import is_post_path
from newscrawl.dates import parse_date
from newscrawl.platforms.tistory.article import parse_article
from newscrawl.sampleblog import generate_posts, render_site

SEOUL = ZoneInfo("Asia/Seoul")
SITE_SAMPLE = 300
NOW = datetime(2026, 11, 30, 14, 0, tzinfo=SEOUL)

# One or more strings of every format `parse_date` reads, as pages write them.
MIXED_DATES = [
    "2019-04-08T10:27:00+09:00",
    "2019-04-08T01:27:00Z",
    "2019-04-08T10:27:00",
    "2019-04-08 10:27",
    "2019-04-08",
    "20190408T10:27:00+09:00",
    "2019. 4. 8. 10:27",
    "2019.04.08 10:27",
    "2019.04.08",
    "2016/05/13 08:05",
    "2016/05/13",
    "20170710213038",
    "2023년 2월 10일 오전 3시 30분",
    "2023년 2월 10일 오후 11:05",
    "2023년 2월 10일",
    "3시간 전",
    "15분 전",
    "2일 전",
    "어제",
    "April 7, 2019",
    "7 April 2019 10:27",
    "Mon, 08 Apr 2019 10:27:00 +0900",
    "Sun, 7 Apr 2019 01:27:00 GMT",
]


def median_us(function: Callable[[str], Any], texts: Sequence[str], repeat: int) -> float:
    """Median µs per call of `function` over `texts`, each called `repeat` times (warm)."""
    for text in texts:  # warm: lazy imports, compiled patterns, dateparser's first call
        function(text)
    timings = []
    for _ in range(repeat):
        for text in texts:
            started = time.perf_counter_ns()
            function(text)
            timings.append(time.perf_counter_ns() - started)
    return statistics.median(timings) / 1000


def dates(site_dates: Sequence[str], repeat: int = 20) -> dict[str, Any]:
    """Our `parse_date` against `dateparser.parse` on the site's dates and the mixed list."""
    import dateparser

    naive_now = NOW.replace(tzinfo=None)
    settings = {
        "TIMEZONE": "Asia/Seoul",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "RELATIVE_BASE": naive_now,
    }

    def ours(text: str) -> datetime | None:
        return parse_date(text, now=NOW, tz=SEOUL)

    def theirs(text: str) -> datetime | None:
        return dateparser.parse(text, settings=settings)  # type: ignore[arg-type]

    first_call = _first_call_ms()
    report: dict[str, Any] = {"dateparser_first_call_ms": first_call}
    # dateparser takes milliseconds per call (tens on some ISO forms): a few hundred strings
    # of the site are plenty for a median.
    for name, texts in (("site", list(site_dates)[:SITE_SAMPLE]), ("mixed", MIXED_DATES)):
        if not texts:
            continue
        ours_us = median_us(ours, texts, repeat)
        theirs_us = median_us(theirs, texts, max(1, repeat // 5))
        both = [(ours(text), theirs(text)) for text in texts]
        comparable = [(a, b) for a, b in both if a is not None and b is not None]
        agreeing = sum(1 for a, b in comparable if _same_instant(a, b))
        report[name] = {
            "strings": len(texts),
            "ours_us": round(ours_us, 2),
            "dateparser_us": round(theirs_us, 1),
            "speedup": round(theirs_us / ours_us, 1),
            "both_parsed": len(comparable),
            "agreement": round(agreeing / len(comparable), 4) if comparable else None,
            "disagreements": [
                text for text, (a, b) in zip(texts, both, strict=True)
                if a is not None and b is not None and not _same_instant(a, b)
            ][:10],
        }  # fmt: skip
    return report


def _same_instant(ours: datetime, theirs: datetime) -> bool:
    """Equal instants; a date-only string agrees when the calendar day agrees."""
    if theirs.tzinfo is None:
        theirs = theirs.replace(tzinfo=SEOUL)
    return abs(ours - theirs) < timedelta(seconds=1) or (
        ours.astimezone(UTC) == theirs.astimezone(UTC)
    )


def _first_call_ms() -> float:
    """dateparser's first call in a fresh interpreter (what a crawl pays once, at worst)."""
    import subprocess
    import sys

    code = (
        "import time, dateparser; t = time.perf_counter(); dateparser.parse('2019. 4. 8. 10:27');"
        " print((time.perf_counter() - t) * 1000)"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return round(float(output.stdout.strip() or "nan"), 1)


def article_parse(posts: int = 150, body_chars: int = 45_000) -> dict[str, Any]:
    """Median ms per article page of the Tistory parser, per sample-blog skin."""
    report: dict[str, Any] = {}
    generated = generate_posts(posts, body_chars=body_chars)
    for skin in ("dkwrap", "hentry", "magazine"):
        base = "http://127.0.0.1:8000/"
        pages = render_site(base, skin, generated)
        articles = [(path, body.decode()) for path, body in pages.items() if is_post_path(path)]
        timings = []
        for _round in range(2):
            for path, html in articles:
                started = time.perf_counter_ns()
                parse_article(html, base + path[1:])
                timings.append(time.perf_counter_ns() - started)
        sizes = [len(html.encode()) for _path, html in articles]
        report[skin] = {
            "pages": len(articles),
            "median_kb": round(statistics.median(sizes) / 1024, 1),
            "median_ms": round(statistics.median(timings) / 1e6, 3),
        }
    return report
