"""The export line schema: valid itself, in step with the item, accepting every parsed
fixture, refusing the mistakes it is there to catch, and enforced by the validation pipeline.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path
from typing import Any

import orjson
import pytest
from export_checks import assert_valid_export
from factories import BODY_HASH, CRAWLED_AT, RELATED_ROW, article_item
from jsonschema import Draft202012Validator
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.test import get_crawler

from newscrawl.items import ArticleItem, RelatedPost
from newscrawl.pipelines import DateNormalisationPipeline, ValidationPipeline
from newscrawl.platforms.tistory.article import parse_article
from newscrawl.schema import MAX_REASON, ROOT, SCHEMA_VERSION, check, load_schema, problems
from newscrawl.spiders.tistory import TistorySpider

FIXTURES = Path(__file__).parent / "fixtures" / "tistory"
CASES = sorted(path.stem for path in FIXTURES.glob("*.json"))
DELETE = object()


def _line(**changes: Any) -> dict[str, Any]:
    """The exported JSON of a valid item, with `changes` applied (`DELETE` removes a key)."""
    line: dict[str, Any] = orjson.loads(orjson.dumps(article_item()))
    for name, value in changes.items():
        if value is DELETE:
            del line[name]
        else:
            line[name] = value
    return line


def _crawler(**settings: Any):
    crawler = get_crawler(TistorySpider, settings_dict=settings)
    crawler.stats.open_spider()
    return crawler


# --- the schema itself ---


def test_schema_is_valid_draft_2020_12() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_schema_id_carries_the_version() -> None:
    assert load_schema()["$id"].endswith(f"/article/{SCHEMA_VERSION}.json")


def test_schema_requires_exactly_the_item_fields() -> None:
    schema = load_schema()
    fields = [field.name for field in dataclasses.fields(ArticleItem)]
    assert list(schema["properties"]) == fields
    assert schema["required"] == fields
    assert schema["additionalProperties"] is False
    row = schema["$defs"]["relatedPost"]
    row_fields = [field.name for field in dataclasses.fields(RelatedPost)]
    assert list(row["properties"]) == row_fields
    assert row["required"] == row_fields


def test_full_valid_line_has_no_problems() -> None:
    assert problems(_line()) == []


@pytest.mark.parametrize(
    "changes",
    [
        {"published_at": "2019-04-08T01:27:00Z"},
        {"published_at": "2019-04-08T10:27:00.250+09:00"},
        {"published_at": "2019-04-08T10:27:00-05:00"},
        {"published_at": None, "modified_at": None, "published_raw": None, "modified_raw": None},
        {"post_id": None, "title": None, "author": None, "comment_count": None},
        {"post_id": "제주-올레길-7코스", "id": "https://b.tistory.com/entry/제주-올레길-7코스"},
        {"category": [], "tags": [], "images": [], "related": []},
        {"related": [{**RELATED_ROW, "published_at": None}]},
        {"site": "127.0.0.1:8080", "url": "http://127.0.0.1:8080/81"},
        {"crawled_at": "2026-11-30T05:00:00Z"},
        {"revision": 2, "previous_hash": "sha256:" + "0" * 64},
        {"body_text": "", "body_html": ""},
    ],
    ids=lambda changes: ",".join(changes),
)
def test_valid_variants_are_accepted(changes: dict[str, Any]) -> None:
    assert problems(_line(**changes)) == []


# --- every golden fixture, parsed and dated as a crawl would, validates ---


@pytest.mark.parametrize("name", CASES)
def test_parsed_fixture_line_is_valid(name: str) -> None:
    expected = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    html = (FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    item = parse_article(html, expected["_url"])
    assert item is not None
    item.crawled_at = CRAWLED_AT
    item = DateNormalisationPipeline.from_crawler(_crawler()).process_item(item)
    assert_valid_export([orjson.loads(orjson.dumps(item))])


# --- the mistakes the schema is there to catch, each named by its field ---

INVALID = [
    pytest.param({"published_at": "2019-04-08T10:27:00"}, "published_at", id="naive published_at"),
    pytest.param({"modified_at": "2019-04-09"}, "modified_at", id="date-only modified_at"),
    pytest.param(
        {"published_at": "2019. 4. 8. 10:27"}, "published_at", id="page-format published_at"
    ),
    pytest.param({"crawled_at": DELETE}, "crawled_at", id="missing field"),
    pytest.param({"crawled_at": None}, "crawled_at", id="null crawled_at"),
    pytest.param({"crawled_at": "2026-11-30T14:00:00+09:00"}, "crawled_at", id="local crawled_at"),
    pytest.param({"_url": "https://b.tistory.com/81"}, "_url", id="extra field"),
    pytest.param({"content_hash": ""}, "content_hash", id="empty content_hash"),
    pytest.param({"content_hash": "sha256:" + "AB" * 32}, "content_hash", id="upper-case hex"),
    pytest.param(
        {"content_hash": BODY_HASH.removeprefix("sha256:")},
        "content_hash",
        id="bare hex content_hash",
    ),
    pytest.param({"comment_count": -1}, "comment_count", id="negative comment_count"),
    pytest.param({"comment_count": "2"}, "comment_count", id="text comment_count"),
    pytest.param({"images": ["/attach/1.png"]}, "images", id="relative image URL"),
    pytest.param(
        {"images": ["//blog.kakaocdn.net/a.png"]}, "images", id="protocol-relative image URL"
    ),
    pytest.param(
        {"images": ["https://x.kr/a.png", "https://x.kr/a.png"]}, "images", id="repeated image"
    ),
    pytest.param(
        {"related": [{**RELATED_ROW, "category": "x"}]}, "related", id="related row with extra key"
    ),
    pytest.param(
        {"related": [{"title": "t", "comment_count": 0, "published_at": None}]},
        "related",
        id="related row without url",
    ),
    pytest.param(
        {"related": [{**RELATED_ROW, "published_at": "2019-04-07T00:00:00"}]},
        "related",
        id="related row with time",
    ),
    pytest.param(
        {"related": [{**RELATED_ROW, "url": "/80"}]}, "related", id="related row relative url"
    ),
    pytest.param(
        {"related": [{**RELATED_ROW, "published_at": "2019-02-30"}]},
        "related",
        id="related row impossible day",
    ),
    pytest.param({"id": ""}, "id", id="empty id"),
    pytest.param({"url": "/81"}, "url", id="relative url"),
    pytest.param({"site": "B.Tistory.com"}, "site", id="upper-case site"),
    pytest.param({"site": "https://b.tistory.com"}, "site", id="site with scheme"),
    pytest.param({"platform": ""}, "platform", id="empty platform"),
    pytest.param({"post_id": 81}, "post_id", id="numeric post_id"),
    pytest.param({"tags": ["태그", ""]}, "tags", id="empty tag"),
    pytest.param({"tags": ["태그", "태그"]}, "tags", id="repeated tag"),
    pytest.param({"category": "게시판"}, "category", id="category as text"),
    pytest.param({"body_text": None}, "body_text", id="null body_text"),
    pytest.param({"revision": 0}, "revision", id="revision 0"),
    pytest.param({"revision": 2}, "previous_hash", id="revision 2 without previous_hash"),
    pytest.param({"previous_hash": BODY_HASH}, "previous_hash", id="revision 1 with previous_hash"),
]


@pytest.mark.parametrize(("changes", "field"), INVALID)
def test_invalid_line_is_refused_naming_its_field(changes: dict[str, Any], field: str) -> None:
    found = check(_line(**changes))
    assert found, "accepted"
    assert found[0].field == field, found
    assert found[0].reason, found


def test_line_that_is_not_an_object_is_a_root_problem() -> None:
    (problem,) = check(["not", "an", "object"])
    assert problem.field == ROOT
    assert problem.reason.startswith(f"{ROOT}: ")


def test_reason_names_the_path_and_says_why_in_plain_words() -> None:
    (naive,) = problems(_line(published_at="2019-04-08T10:27:00"))
    assert naive.startswith("published_at: '2019-04-08T10:27:00' is not an ISO 8601")
    (row,) = problems(_line(related=[{**RELATED_ROW, "url": "/80"}]))
    assert row.startswith("related[0].url: '/80' is not an absolute http(s) URL")
    (missing,) = problems(_line(crawled_at=DELETE))
    assert "'crawled_at' is a required property" in missing


def test_reason_is_truncated() -> None:
    (reason,) = problems(_line(url="/" + "x" * 5000))
    assert len(reason) == MAX_REASON
    assert reason.endswith("…")


def test_assert_valid_export_lists_the_bad_lines() -> None:
    assert_valid_export([_line(), _line(revision=3, previous_hash=BODY_HASH)])
    with pytest.raises(AssertionError, match=r"line 2: published_at: ") as raised:
        assert_valid_export([_line(), _line(published_at="2019-04-08T10:27:00")])
    assert "line 1" not in str(raised.value)


# --- the validation pipeline ---


def test_pipeline_passes_a_valid_item_unchanged() -> None:
    crawler = _crawler()
    pipeline = ValidationPipeline.from_crawler(crawler)
    item = article_item()
    before = dataclasses.asdict(item)
    assert pipeline.process_item(item) is item
    assert dataclasses.asdict(item) == before
    assert crawler.stats.get_value("validate/valid") == 1
    assert crawler.stats.get_value("validate/dropped") is None


def test_pipeline_drops_an_invalid_item_with_its_field_in_the_stats() -> None:
    crawler = _crawler()
    pipeline = ValidationPipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match="published_at: '2019-04-08T10:27:00'"):
        pipeline.process_item(article_item(published_at="2019-04-08T10:27:00"))
    with pytest.raises(DropItem, match="crawled_at"):
        pipeline.process_item(article_item(crawled_at=None))
    assert crawler.stats.get_value("validate/dropped") == 2
    assert crawler.stats.get_value("validate/dropped/published_at") == 1
    assert crawler.stats.get_value("validate/dropped/crawled_at") == 1
    assert crawler.stats.get_value("validate/valid") is None


def test_pipeline_checks_related_rows_as_exported() -> None:
    crawler = _crawler()
    pipeline = ValidationPipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match=r"related\[0\]\.published_at"):
        pipeline.process_item(
            article_item(related=[RelatedPost("t", RELATED_ROW["url"], 0, "2019.04.07")])
        )
    assert crawler.stats.get_value("validate/dropped/related") == 1


def test_pipeline_warns_for_the_first_drops_only(caplog: pytest.LogCaptureFixture) -> None:
    crawler = _crawler()
    pipeline = ValidationPipeline.from_crawler(crawler)
    drops = ValidationPipeline.WARN_FIRST + 3
    with caplog.at_level(logging.WARNING, logger="newscrawl.pipelines"):
        for number in range(drops):
            with pytest.raises(DropItem):
                pipeline.process_item(article_item(comment_count=-1 - number))
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == ValidationPipeline.WARN_FIRST
    assert "further ones only counted" in warnings[-1].getMessage()
    assert crawler.stats.get_value("validate/dropped/comment_count") == drops


def test_pipeline_is_off_when_the_setting_is() -> None:
    with pytest.raises(NotConfigured, match="NEWSCRAWL_VALIDATE"):
        ValidationPipeline.from_crawler(_crawler(NEWSCRAWL_VALIDATE=False))
