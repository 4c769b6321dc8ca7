"""Detection on every corpus page, and the WordPress parser on the five real WordPress pages.

Real third-party pages are checked by invariants, not by full expected output: the parser
finds a title, a published date and the body, and leaves the theme's chrome out. Skipped when
`../shared/corpus` is absent (the pages are not part of the project).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from golden import CORPUS, detection_test, needs_corpus

from newscrawl.dates import parse_date
from newscrawl.platforms.wordpress import PLATFORM

pytestmark = needs_corpus
# page → (URL it is parsed with, words of its first paragraph, a date it must parse to)
WORDPRESS = {
    "readability-firefox-nightly-blog": (
        "https://blog.nightly.mozilla.org/2020/12/18/these-weeks-in-firefox-issue-85/",
        "Here’s our Firefox Year in Review",
        "2020-12-18T16:09:48+00:00",
    ),
    "readability-spiceworks": (
        "https://www.spiceworks.com/marketing/marketing-strategy/news/"
        "rewriting-rules-of-engagement-with-video-in-2020-vidyard-introduces-new-features-on-its-"
        "video-platform/",
        "Vidyard announced significant updates",
        "2020-07-10T14:15:42+00:00",
    ),
    "readability-wordpress-stargazer": (
        "https://wptavern.com/stack-overflow-jobs-data-shows-reactjs-skills-in-high-demand-"
        "wordpress-market-oversaturated-with-developers",
        "Stack Overflow published its analysis of 2017 hiring trends",
        "2017-03-09T23:16:02+00:00",
    ),
    "trafilatura-blog.wordpress.com-diverse": (
        "https://en.blog.wordpress.com/2019/06/19/"
        "want-to-see-a-more-diverse-wordpress-contributor-community-so-do-we/",
        "The mission of WordPress is to democratize publishing",
        "2019-06-19T19:38:08+00:00",
    ),
    "trafilatura-jovelstefan.de": (
        "http://www.jovelstefan.de/2011/09/11/gefallt-mir/",
        "Manchmal überrascht einen der Alltag",
        # "11.09.2011, 16:20": day-first, no zone on the page: read in the zone given (UTC)
        "2011-09-11T16:20:00+00:00",
    ),
}
CHROME = ("Share this", "Like this", "Click to share", "Kommentarfeed", "Join ", "Related")


test_detected_on_wordpress_pages_only = detection_test(PLATFORM)


@pytest.mark.parametrize("name", sorted(WORDPRESS))
def test_real_page_title_date_body(name: str) -> None:
    url, opening, instant = WORDPRESS[name]
    html = (CORPUS / "wordpress" / f"{name}.html").read_text("utf-8")
    item = PLATFORM.parse_article(html, url)
    assert item is not None and item.title and item.published_raw
    assert opening in item.body_text and len(item.body_text) > 300
    for chrome in CHROME:
        assert chrome not in item.body_text, chrome
    parsed = parse_date(item.published_raw, now=datetime.now(UTC), tz="UTC")
    assert (parsed.isoformat() if parsed else None) == instant
