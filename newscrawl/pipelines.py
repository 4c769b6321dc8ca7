"""Item pipelines: normalise dates, drop duplicates, export JSON Lines. Each does one thing.

Each pipeline counts what it does in the crawl stats under its own prefix (`dates/…`,
`dedupe/…`, `export/…`) and reads its settings in `from_crawler`.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson
from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured

from newscrawl.dates import parse_date, to_iso

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class DateNormalisationPipeline:
    """Fill `published_at`/`modified_at` (ISO 8601 with offset) from the `*_raw` strings.

    Naive page dates are read in the site's timezone; relative ones (`3시간 전`) against the
    item's `crawled_at`. An unparseable date stays `null`, keeps its raw string, counts
    `dates/unparsed` and is logged once per run; the item is never dropped for it.

    Settings: `NEWSCRAWL_TIMEZONE` (IANA name, default `Asia/Seoul`); a spider attribute
    `timezone` overrides it for that spider's site.
    """

    FIELDS = (("published_raw", "published_at"), ("modified_raw", "modified_at"))

    def __init__(self, timezone: str, stats: StatsCollector) -> None:
        try:
            self.tz = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise NotConfigured(f"NEWSCRAWL_TIMEZONE={timezone!r} is not a timezone") from error
        self.stats = stats
        self._warned = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DateNormalisationPipeline:
        assert crawler.stats is not None
        timezone = crawler.settings.get("NEWSCRAWL_TIMEZONE", "Asia/Seoul")
        spider_timezone = getattr(crawler.spidercls, "timezone", None)
        return cls(spider_timezone or timezone, crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        now = _crawl_time(adapter.get("crawled_at"))
        for raw_field, iso_field in self.FIELDS:
            raw = adapter.get(raw_field)
            if not raw:
                continue
            parsed = parse_date(raw, now=now, tz=self.tz)
            adapter[iso_field] = to_iso(parsed)
            if parsed is None:
                self._count_unparsed(raw, adapter.get("url"))
            else:
                self.stats.inc_value("dates/parsed")
        return item

    def _count_unparsed(self, raw: str, url: str | None) -> None:
        self.stats.inc_value("dates/unparsed")
        if not self._warned:
            self._warned = True
            logger.warning("Unparseable date %r on %s (further ones only counted)", raw, url)


def _crawl_time(crawled_at: str | None) -> datetime:
    """The item's fetch time; now when the spider did not stamp one."""
    if crawled_at:
        return datetime.fromisoformat(crawled_at)
    return datetime.now(UTC)


class DeduplicationPipeline:
    """Let one item per post through, whichever alias URL led to it.

    Two keys catch aliases: the item's `id` (the platform's own post identity when known)
    and its canonical `url` without scheme or trailing slash. Parsers already map alias URLs
    (`/m/123`, `?category=…`) to the canonical one, so http/https is all that is left to fold.
    Drops are counted as `dedupe/dropped/<key>`.
    """

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        self.seen: dict[str, set[str]] = {"id": set(), "url": set()}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DeduplicationPipeline:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        keys = self._keys(ItemAdapter(item))
        for name, key in keys.items():
            if key in self.seen[name]:
                self.stats.inc_value(f"dedupe/dropped/{name}")
                raise DropItem(f"duplicate {name} {key}")
        for name, key in keys.items():
            self.seen[name].add(key)
        return item

    @staticmethod
    def _keys(adapter: ItemAdapter) -> dict[str, str]:
        url = adapter.get("url") or ""
        keys = {"id": adapter.get("id"), "url": url.split("://", 1)[-1].rstrip("/")}
        return {name: key for name, key in keys.items() if key}


class JsonLinesExportPipeline:
    """Write every item as one UTF-8 JSON line to `<dir>/<spider>/<UTC start>.jsonl`.

    Lines go to `<name>.jsonl.part`, flushed every `FLUSH_EVERY` items and fsynced at the
    end; the finished file is renamed into place, so a reader never sees a half-written
    `.jsonl`. Scrapy's own `-O file.jsonl` feed works alongside it.

    Settings: `NEWSCRAWL_EXPORT_ENABLED` (default True), `NEWSCRAWL_EXPORT_DIR`
    (default `output`).
    """

    FLUSH_EVERY = 100

    def __init__(self, directory: Path, spider_name: str, stats: StatsCollector) -> None:
        started = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.path = directory / spider_name / f"{started}.jsonl"
        self.part_path = self.path.with_name(self.path.name + ".part")
        self.stats = stats
        self._file: Any = None
        self._unflushed = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JsonLinesExportPipeline:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_EXPORT_ENABLED", True):
            raise NotConfigured("NEWSCRAWL_EXPORT_ENABLED is off")
        assert crawler.stats is not None and crawler.spidercls.name
        directory = Path(settings.get("NEWSCRAWL_EXPORT_DIR", "output"))
        return cls(directory, crawler.spidercls.name, crawler.stats)

    def open_spider(self) -> None:
        self.part_path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.part_path.open("wb")
        self.stats.set_value("export/path", str(self.path))

    def process_item(self, item: Any) -> Any:
        self._file.write(orjson.dumps(item, default=_as_dict, option=orjson.OPT_APPEND_NEWLINE))
        self.stats.inc_value("export/items")
        self._unflushed += 1
        if self._unflushed >= self.FLUSH_EVERY:
            self._file.flush()
            self._unflushed = 0
        return item

    def close_spider(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self.part_path, self.path)
        logger.info("Exported %s items to %s", self.stats.get_value("export/items", 0), self.path)


def _as_dict(value: Any) -> Any:
    """orjson hook for item types it does not know natively (scrapy.Item, attrs)."""
    if ItemAdapter.is_item(value):
        return ItemAdapter(value).asdict()
    raise TypeError(f"cannot export {type(value).__name__}")
