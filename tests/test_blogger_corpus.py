"""The Blogger parsers on the real pages of `../shared/corpus/` (skipped when it is absent).

Real third-party pages are checked by invariants, not full expected output: detection on
every corpus page (Blogger's and no other platform's), and title, date and body found on the
two Blogger pages.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from golden import CORPUS, detection_test, needs_corpus

from newscrawl.platforms.blogger import PLATFORM

pytestmark = needs_corpus
BLOGGER_PAGES = {
    "readability-blogger.html": (
        "http://siliconexposed.blogspot.com/2016/05/open-verilog-flow-for-silego-greenpak4.html",
        "Open Verilog flow for Silego GreenPak4 programmable logic devices",
        "2016-05-08T00:55:00-07:00",
    ),
    "trafilatura-plentylife-blogspot.html": (
        "https://plentylife.blogspot.com/2017/05/strong-beautiful-pamela-reif-rezension.html",
        "Strong & Beautiful - Pamela Reif [Rezension]",
        "2017-05-03T00:00:00+02:00",  # "Mai 03, 2017": a day, read in the blog's zone
    ),
}


test_detected_on_blogger_pages_only = detection_test(PLATFORM)


@pytest.mark.parametrize("name", sorted(BLOGGER_PAGES))
def test_title_date_and_body_found(name: str) -> None:
    url, title, instant = BLOGGER_PAGES[name]
    item = PLATFORM.parse_article((CORPUS / "blogger" / name).read_text("utf-8"), url)
    assert item is not None and item.title == title
    assert item.id.startswith("blogger:") and item.tags and item.author
    assert len(item.body_text) > 3000 and "Share to Twitter" not in item.body_text
    assert item.published_raw is not None
    read = PLATFORM.read_date(
        item.published_raw,
        "published_raw",
        now=datetime(2026, 1, 1, tzinfo=UTC),
        tz=ZoneInfo("Europe/Berlin"),
    )
    assert read is not None and read.isoformat() == instant
