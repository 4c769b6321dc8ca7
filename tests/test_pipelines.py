"""Pipelines on their own: date normalisation, deduplication, JSON Lines export."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from factories import article_item
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from newscrawl.items import RelatedPost
from newscrawl.pipelines import (
    DateNormalisationPipeline,
    DeduplicationPipeline,
    JsonLinesExportPipeline,
)
from newscrawl.spiders.tistory import TistorySpider


def _crawler(**settings: object):
    return get_crawler(TistorySpider, settings_dict=settings)


def test_dates_naive_page_time_is_read_in_korea_time() -> None:
    crawler = _crawler()
    pipeline = DateNormalisationPipeline.from_crawler(crawler)
    item = pipeline.process_item(article_item(published_raw="2019. 4. 8. 10:27"))
    assert item.published_at == "2019-04-08T10:27:00+09:00"
    assert item.published_raw == "2019. 4. 8. 10:27"


def test_dates_relative_is_resolved_against_crawl_time() -> None:
    pipeline = DateNormalisationPipeline.from_crawler(_crawler())
    item = pipeline.process_item(article_item(published_raw="3시간 전"))
    # 05:00 UTC is 14:00 in Seoul; three hours earlier is 11:00 +09:00.
    assert item.published_at == "2026-11-30T11:00:00+09:00"


def test_dates_timezone_setting_applies_to_naive_dates() -> None:
    pipeline = DateNormalisationPipeline(timezone="Europe/Berlin", stats=_crawler().stats)
    item = pipeline.process_item(article_item(published_raw="2019.07.01 12:00"))
    assert item.published_at == "2019-07-01T12:00:00+02:00"


def test_dates_unparseable_keeps_raw_counts_and_keeps_item() -> None:
    crawler = _crawler()
    crawler.stats.open_spider()
    pipeline = DateNormalisationPipeline.from_crawler(crawler)
    item = pipeline.process_item(article_item(published_raw="언젠가", modified_raw="2019-04-09"))
    assert item.published_at is None
    assert item.published_raw == "언젠가"
    assert item.modified_at == "2019-04-09T00:00:00+09:00"
    assert crawler.stats.get_value("dates/unparsed") == 1


def test_dates_bad_timezone_setting_is_refused() -> None:
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured, match="Mars/Base"):
        DateNormalisationPipeline(timezone="Mars/Base", stats=_crawler().stats)


def test_dedupe_drops_second_item_of_same_post_by_id_and_url() -> None:
    crawler = _crawler()
    crawler.stats.open_spider()
    pipeline = DeduplicationPipeline.from_crawler(crawler)
    pipeline.process_item(article_item())
    with pytest.raises(DropItem, match="duplicate id"):
        pipeline.process_item(article_item(url="https://b.tistory.com/entry/slug"))
    with pytest.raises(DropItem, match="duplicate url"):
        pipeline.process_item(
            article_item(id="https://b.tistory.com/81", url="http://b.tistory.com/81/")
        )
    pipeline.process_item(article_item(id="tistory:1:82", url="https://b.tistory.com/82"))
    assert crawler.stats.get_value("dedupe/dropped/id") == 1
    assert crawler.stats.get_value("dedupe/dropped/url") == 1


@pytest.fixture
def export(tmp_path: Path) -> Iterator[Callable[..., tuple[Crawler, JsonLinesExportPipeline]]]:
    """Open export pipelines on a throw-away archive; their files and state close after."""
    opened: list[JsonLinesExportPipeline] = []

    def open_pipeline(**settings: object) -> tuple[Crawler, JsonLinesExportPipeline]:
        crawler = _crawler(
            NEWSCRAWL_EXPORT_DIR=str(tmp_path / "out"),
            NEWSCRAWL_STATE_DIR=str(tmp_path / "state"),
            **settings,
        )
        crawler.stats.open_spider()
        pipeline = JsonLinesExportPipeline.from_crawler(crawler)
        pipeline.open_spider()
        opened.append(pipeline)
        return crawler, pipeline

    yield open_pipeline
    for pipeline in opened:
        pipeline.part.close()
        pipeline.store.close()


def test_export_writes_utf8_lines_and_renames_part_file(tmp_path: Path, export) -> None:
    crawler, pipeline = export()
    assert pipeline.part.part_path.exists() and not pipeline.path.exists()
    row = RelatedPost(
        title="다른 글", url="https://b.tistory.com/80", comment_count=2, published_at="2019-04-07"
    )
    pipeline.process_item(article_item(category=["게시판", "더 나은 미래를 위해"], related=[row]))
    pipeline.process_item(article_item(id="tistory:1:82", url="https://b.tistory.com/82"))
    pipeline.close_spider()
    pipeline.spider_closed("finished")

    assert pipeline.path.parent == tmp_path / "out" / "tistory"
    assert not pipeline.part.part_path.exists()
    raw = pipeline.path.read_text(encoding="utf-8")
    assert "더 나은 미래를 위해" in raw and "\\u" not in raw
    lines = [json.loads(line) for line in raw.splitlines()]
    assert [line["id"] for line in lines] == ["tistory:1:81", "tistory:1:82"]
    assert lines[0]["related"][0] == {
        "title": "다른 글",
        "url": "https://b.tistory.com/80",
        "comment_count": 2,
        "published_at": "2019-04-07",
    }
    assert crawler.stats.get_value("export/items") == 2
    manifest = json.loads(pipeline.path.with_name(pipeline.run_id + ".manifest.json").read_text())
    assert manifest["finish_reason"] == "finished"
    assert manifest["output_file"] == pipeline.path.name
    assert manifest["counts"]["items_exported"] == 2
    assert pipeline.store.find("tistory:1:82", "") is not None


def test_export_records_posts_only_after_their_batch_is_on_disk(export) -> None:
    _, pipeline = export(NEWSCRAWL_EXPORT_BATCH_ITEMS=2)
    pipeline.process_item(article_item())
    assert pipeline.store.find("tistory:1:81", "") is None  # written, not yet fsynced
    pipeline.process_item(article_item(id="tistory:1:82", url="https://b.tistory.com/82"))
    assert pipeline.store.find("tistory:1:81", "") is not None


def test_export_that_cannot_sync_stops_and_claims_nothing(export, monkeypatch) -> None:
    crawler, pipeline = export(NEWSCRAWL_EXPORT_BATCH_ITEMS=1)

    def disk_full() -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pipeline.part, "sync", disk_full)
    stopped: list[str] = []
    monkeypatch.setattr(pipeline, "_stop_run", stopped.append)
    pipeline.process_item(article_item())
    with pytest.raises(DropItem):
        pipeline.process_item(article_item(id="tistory:1:82", url="https://b.tistory.com/82"))
    pipeline.close_spider()
    assert pipeline.store.find("tistory:1:81", "") is None
    assert crawler.stats.get_value("export/failed") == 1
    assert stopped == ["export_failed"]
    assert pipeline.part.part_path.exists(), "left for the next run to recover"
    assert [run.run_id for run in pipeline.store.unfinished_runs()] == [pipeline.run_id]


def test_export_can_be_switched_off() -> None:
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured):
        JsonLinesExportPipeline.from_crawler(_crawler(NEWSCRAWL_EXPORT_ENABLED=False))
