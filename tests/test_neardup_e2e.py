"""End to end: two sample blogs in other skins, the second reposting the first one's article.

Two real `scrapy crawl` runs share one archive state, as two nightly runs of one archive
would: the first crawls the original post, the second the repost (the seed article with an
intro line and a source line, in other chrome) and a post telling the same news in other
words. Expected texts come from the sample blog's data, not from the crawler.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from export_checks import assert_valid_export

from newscrawl.neardup import DEFAULT_THRESHOLD
from newscrawl.sampleblog import POSTS, SEED_TITLE
from newscrawl.sampleblog.reposts import REPOST_TITLE, SAME_TOPIC_TITLE, reposted
from newscrawl.testing import run_crawl, sample_blog

# The crawls here keep near-duplicate marking on (tests/conftest.py): its interplay with
# the rest of the crawl is tested end to end.
pytestmark = pytest.mark.near_duplicates


def crawl(urls: list[str], archive: Path) -> list[dict]:
    """One run on the shared archive; returns the lines of the export file it wrote."""
    before = set((archive / "out" / "tistory").glob("*.jsonl"))
    result = run_crawl(
        "tistory",
        {"url": ",".join(urls)},
        settings={
            "NEWSCRAWL_EXPORT_DIR": str(archive / "out"),
            "NEWSCRAWL_STATE_DIR": str(archive / "state"),
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    (export,) = set((archive / "out" / "tistory").glob("*.jsonl")) - before
    lines = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
    assert_valid_export(lines)
    return lines


def entry(title: str) -> int:
    """The entry number a post has on the reposting blog."""
    return next(post.id for post in reposted(POSTS) if post.title == title)


def test_a_repost_on_another_blog_points_at_the_original(tmp_path: Path) -> None:
    seed = next(post for post in POSTS if post.title == SEED_TITLE)
    with (
        sample_blog(skin="dkwrap") as original,
        sample_blog(skin="magazine", extra_args=["--repost"]) as copier,
    ):
        (first,) = crawl([f"{original}{seed.id}"], tmp_path)
        later = crawl(
            [f"{copier}{entry(REPOST_TITLE)}", f"{copier}{entry(SAME_TOPIC_TITLE)}"], tmp_path
        )
    by_title = {line["title"]: line for line in later}
    repost, same_topic = by_title[REPOST_TITLE], by_title[SAME_TOPIC_TITLE]
    assert first["duplicate_of"] is None and first["similarity"] is None
    assert repost["url"].startswith(copier) and repost["id"] != first["id"]
    assert repost["duplicate_of"] == first["id"]
    assert DEFAULT_THRESHOLD <= repost["similarity"] < 1.0
    assert same_topic["duplicate_of"] is None and same_topic["similarity"] is None
    assert repost["content_hash"] != first["content_hash"]
