"""The baseline: a bare Scrapy spider that walks a listing and fetches its posts, no more.

It follows `?page=N` until a page lists no post and requests every post linked, with a
regular expression instead of a parser, no items and no pipelines: the fastest honest crawl
of the same pages, which the full newscrawl crawl is measured against.

Run: `scrapy runspider bench/bare_spider.py -a url=<listing URL>` (outside the project, so
none of newscrawl's settings apply).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

POST_LINK = re.compile(rb'href="(https?://[^"/]+/\d+)"')


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, url: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.listing_url = url
        self.seen: set[bytes] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(f"{self.listing_url}?page=1", self.parse_listing, priority=10)

    def parse_listing(self, response: Response, page: int = 1) -> Iterator[scrapy.Request]:
        links = [link for link in POST_LINK.findall(response.body) if link not in self.seen]
        if not links:
            return
        self.seen.update(links)
        for link in links:
            yield scrapy.Request(link.decode(), self.parse_post)
        yield scrapy.Request(
            f"{self.listing_url}?page={page + 1}",
            self.parse_listing,
            priority=10,
            cb_kwargs={"page": page + 1},
        )

    def parse_post(self, response: Response) -> None:
        """Fetched, not parsed."""
