"""Item log lines name the post, never dump its body."""

from __future__ import annotations

from pathlib import Path

from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawl.items import ArticleItem
from newscrawl.logformat import ArchiveLogFormatter, item_label
from newscrawl.spiders.tistory import TistorySpider

BODY = "본문 " * 5000


def _item() -> ArticleItem:
    return ArticleItem(
        id="tistory:1:81",
        url="https://b.tistory.com/81",
        site="b.tistory.com",
        platform="tistory",
        post_id="81",
        title="제목",
        body_text=BODY,
    )


def _render(result: dict) -> str:
    return result["msg"] % result["args"]


def test_scraped_and_dropped_lines_carry_the_label_not_the_body(tmp_path: Path) -> None:
    crawler = get_crawler(TistorySpider, {"NEWSCRAWL_STATE_DIR": str(tmp_path)})
    spider = TistorySpider.from_crawler(crawler, url="https://b.tistory.com/category")
    formatter = ArchiveLogFormatter.from_crawler(crawler)
    response = HtmlResponse("https://b.tistory.com/81", body=b"<html></html>")
    scraped = _render(formatter.scraped(_item(), response, spider))
    dropped = _render(formatter.dropped(_item(), DropItem("duplicate id"), response, spider))
    for line in (scraped, dropped):
        assert "tistory:1:81 https://b.tistory.com/81" in line
        assert BODY not in line and len(line) < 300
    assert "duplicate id" in dropped
    spider.store.close()


def test_label_of_things_that_are_not_items() -> None:
    assert item_label({"id": "x"}) == "x"
    assert item_label(42) == "int"
