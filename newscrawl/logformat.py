"""Log lines that name an item by id and URL instead of printing all of it.

Scrapy's default log formatter writes the whole item (body text and HTML included) for every
scraped, dropped or failed item: megabytes of log per night, and unreadable. An archive
operator needs to know which post, so that is what we log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.logformatter import LogFormatter, LogFormatterResult

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.http import Response
    from twisted.python.failure import Failure


def item_label(item: Any) -> str:
    """`<id> <url>` of an item; its type name when it has neither."""
    if not ItemAdapter.is_item(item):
        return type(item).__name__
    adapter = ItemAdapter(item)
    label = " ".join(str(adapter.get(key)) for key in ("id", "url") if adapter.get(key))
    return label or type(item).__name__


class ArchiveLogFormatter(LogFormatter):
    """Scrapy's formatter with each item shortened to its label."""

    def scraped(
        self, item: Any, response: Response | Failure | None, spider: Spider
    ) -> LogFormatterResult:
        return _labelled(super().scraped(item, response, spider), item)

    def dropped(
        self,
        item: Any,
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider,
    ) -> LogFormatterResult:
        return _labelled(super().dropped(item, exception, response, spider), item)

    def item_error(
        self,
        item: Any,
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider,
    ) -> LogFormatterResult:
        return _labelled(super().item_error(item, exception, response, spider), item)


def _labelled(result: LogFormatterResult, item: Any) -> LogFormatterResult:
    args = dict(result.get("args") or {})
    args["item"] = item_label(item)
    return {**result, "args": args}
