"""Item pipelines: normalise dates, drop duplicates, export JSON Lines. Each does one thing.

Each pipeline counts what it does in the crawl stats under its own prefix (`dates/…`,
`dedupe/…`, `export/…`) and reads its settings in `from_crawler`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson
from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.defer import deferred_from_coro

from newscrawl.dates import parse_date, parse_day, to_iso
from newscrawl.errors import BadSetting
from newscrawl.export import (
    PART_SUFFIX,
    ExportPart,
    free_run_id,
    manifest_path,
    recover_orphans,
    write_json_atomically,
)
from newscrawl.health import required_fields
from newscrawl.items import ArticleItem
from newscrawl.manifest import base_manifest
from newscrawl.manifest import counts as manifest_counts
from newscrawl.manifest import errors as manifest_errors
from newscrawl.neardup import (
    DEFAULT_MIN_CHARS,
    DEFAULT_PERMUTATIONS,
    DEFAULT_THRESHOLD,
    Fingerprinter,
)
from newscrawl.schema import check as check_line
from newscrawl.schema import fast_validator
from newscrawl.state import ExportedLine, StateStore, StateWriteError, state_for, url_key
from newscrawl.state.claims import ExportClaims

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector

    from newscrawl.platforms.base import Platform

logger = logging.getLogger(__name__)


class DateNormalisationPipeline:
    """Fill `published_at`/`modified_at` (ISO 8601 with offset) from the `*_raw` strings.

    Naive page dates are read in the site's timezone; relative ones (`3시간 전`) against the
    item's `crawled_at`. An unparseable date stays `null`, keeps its raw string, counts
    `dates/unparsed` and is logged once per run; the item is never dropped for it.

    The item's platform (`platform_for(url)`, the spider's) reads the strings and names the
    zone: a profile's `timezone` and `date_format`; built-in platforms name none. A calendar day
    alone on a `generic` item (a page of unknown zone) is no instant: `null`, raw kept,
    counted `dates/day_only`.

    Settings: `NEWSCRAWL_TIMEZONE` (IANA name, default `Asia/Seoul`) for platforms that name
    no zone; a spider attribute `timezone` overrides both for that spider's sites.
    """

    FIELDS = (("published_raw", "published_at"), ("modified_raw", "modified_at"))

    def __init__(
        self,
        timezone: str,
        stats: StatsCollector,
        platform_for: Callable[[str], Platform | None] = lambda _url: None,
    ) -> None:
        try:
            self.tz = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise NotConfigured(f"NEWSCRAWL_TIMEZONE={timezone!r} is not a timezone") from error
        self.stats = stats
        self.platform_for = platform_for
        self._warned = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DateNormalisationPipeline:
        assert crawler.stats is not None
        timezone = crawler.settings.get("NEWSCRAWL_TIMEZONE", "Asia/Seoul")
        spider_timezone = getattr(crawler.spidercls, "timezone", None)
        if spider_timezone:
            return cls(spider_timezone, crawler.stats)
        return cls(timezone, crawler.stats, _platform_lookup(crawler))

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        now = _crawl_time(adapter.get("crawled_at"))
        platform = self.platform_for(adapter.get("url") or "")
        tz = ZoneInfo(platform.timezone) if platform and platform.timezone else self.tz
        for raw_field, iso_field in self.FIELDS:
            raw = adapter.get(raw_field)
            if not raw:
                continue
            if adapter.get("extraction") == "generic" and parse_day(raw):
                self.stats.inc_value("dates/day_only")
                continue
            if platform is not None:
                parsed = platform.read_date(raw, raw_field, now=now, tz=tz)
            else:
                parsed = parse_date(raw, now=now, tz=tz)
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


def _platform_lookup(crawler: Crawler) -> Callable[[str], Platform | None]:
    """The running spider's `platform_for`; `None` for a URL of a site it detected nothing
    for (a canonical URL on another host) or a spider without platforms."""

    def platform_for(url: str) -> Platform | None:
        lookup = getattr(crawler.spider, "platform_for", None)
        try:
            return lookup(url) if lookup is not None and url else None
        except KeyError:
            return None

    return platform_for


def _crawl_time(crawled_at: str | None) -> datetime:
    """The item's fetch time; now when the spider did not stamp one."""
    if crawled_at:
        return datetime.fromisoformat(crawled_at)
    return datetime.now(UTC)


class DeduplicationPipeline:
    """Let one item per post through within a run, whichever alias URL led to it.

    Two keys catch aliases: the item's `id` (the platform's own post identity when known)
    and its canonical `url` without scheme or trailing slash. Parsers already map alias URLs
    (`/m/123`, `?category=…`) to the canonical one, so http/https is all that is left to fold.
    Drops are counted as `dedupe/dropped/<key>`. Across runs, `RevisionPipeline` decides.
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
                raise DropItem(f"duplicate {name} {key}", log_level="INFO")
        for name, key in keys.items():
            self.seen[name].add(key)
        return item

    @staticmethod
    def _keys(adapter: ItemAdapter) -> dict[str, str]:
        keys = {"id": adapter.get("id"), "url": url_key(adapter.get("url") or "")}
        return {name: key for name, key in keys.items() if key}


class RevisionPipeline:
    """Export each post once per content: skip archived unchanged posts, number edited ones.

    The archive state says what was exported before. A post it does not hold is revision 1;
    one it holds with the same `content_hash` is dropped (`state/skipped_exported`, and its
    last-seen time is updated); one whose text changed gets the next `revision` and
    `previous_hash` (`state/revisions`). The state itself is only written by the exporter,
    once the line is on disk.
    """

    def __init__(self, store: StateStore, stats: StatsCollector) -> None:
        self.store = store
        self.stats = stats
        self._unchanged: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RevisionPipeline:
        assert crawler.stats is not None
        return cls(state_for(crawler), crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        archived = self.store.find(adapter["id"], adapter["url"])
        if archived is None:
            self.stats.inc_value("state/new")
            return item
        if archived.content_hash == adapter["content_hash"]:
            self.stats.inc_value("state/skipped_exported")
            self._unchanged.append(archived.id)
            if len(self._unchanged) >= TOUCH_BATCH:
                self._touch()
            raise DropItem(f"unchanged since {archived.export_file}: {archived.id}", "DEBUG")
        adapter["revision"] = archived.revision + 1
        adapter["previous_hash"] = archived.content_hash
        self.stats.inc_value("state/revisions")
        return item

    def close_spider(self) -> None:
        self._touch()

    def _touch(self) -> None:
        if self._unchanged:
            self.store.touch(self._unchanged, datetime.now(UTC).isoformat(timespec="seconds"))
            self._unchanged = []


TOUCH_BATCH = 100


class NearDuplicatePipeline:
    """Mark reposts: an item whose body is near-identical to an earlier post of another URL.

    Near-identical means an estimated Jaccard similarity of the bodies' 5-character shingles
    at or above the threshold (`newscrawl.neardup`). The item then gets `duplicate_of` (the
    earliest such post's id) and `similarity` (3 decimals), counted as `neardup/marked`.

    Each fingerprint is looked up in the archive state's index (by LSH band key, not a scan
    of the archive) and recorded there at once, keyed by post id: a revision or a re-fetch
    replaces its own post's fingerprint and never matches itself, and a crash before the
    line is on disk loses nothing (the post is fetched again and re-recorded). A marked
    repost is recorded without band keys, so later copies find the original and a cluster
    of copies does not grow one bucket. Bodies under the minimum length are not
    fingerprinted (`neardup/too_short`). Also counts `neardup/fingerprinted` and
    `neardup/candidates` (signatures compared).

    Settings: `NEWSCRAWL_NEAR_DUPLICATES` (default True), `NEWSCRAWL_NEAR_DUPLICATE_THRESHOLD`
    (0.8), `NEWSCRAWL_MINHASH_PERMUTATIONS` (128), `NEWSCRAWL_NEAR_DUPLICATE_MIN_CHARS` (200).
    """

    def __init__(
        self, fingerprinter: Fingerprinter, store: StateStore, stats: StatsCollector
    ) -> None:
        self.fingerprinter = fingerprinter
        self.store = store
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NearDuplicatePipeline:
        if not crawler.settings.getbool("NEWSCRAWL_NEAR_DUPLICATES", True):
            raise NotConfigured("NEWSCRAWL_NEAR_DUPLICATES is off")
        assert crawler.stats is not None
        return cls(_fingerprinter(crawler.settings), state_for(crawler), crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        fingerprint = self.fingerprinter.fingerprint(adapter.get("body_text") or "")
        if fingerprint is None:
            self.stats.inc_value("neardup/too_short")
            return item
        candidates = self.store.similar_candidates(fingerprint.band_keys)
        self.stats.inc_value("neardup/candidates", len(candidates))
        post_id, url = adapter["id"], adapter["url"]
        match = self.fingerprinter.earliest_match(fingerprint, candidates, post_id, url)
        if match is not None:
            adapter["duplicate_of"] = match.post_id
            adapter["similarity"] = round(match.similarity, 3)
            self.stats.inc_value("neardup/marked")
        bands = () if match else fingerprint.band_keys
        self.store.add_fingerprint(post_id, url, bands, fingerprint.signature)
        self.stats.inc_value("neardup/fingerprinted")
        return item


def _fingerprinter(settings: BaseSettings) -> Fingerprinter:
    """The `Fingerprinter` the near-duplicate settings describe, or `BadSetting` naming one.

    Cheap: datasketch (and SciPy with it) is loaded on the first body to fingerprint.
    """
    names = (
        "NEWSCRAWL_NEAR_DUPLICATE_THRESHOLD",
        "NEWSCRAWL_MINHASH_PERMUTATIONS",
        "NEWSCRAWL_NEAR_DUPLICATE_MIN_CHARS",
    )
    threshold, permutations, min_chars = (settings.get(name) for name in names)
    try:
        return Fingerprinter(
            float(threshold if threshold is not None else DEFAULT_THRESHOLD),
            int(permutations if permutations is not None else DEFAULT_PERMUTATIONS),
            int(min_chars if min_chars is not None else DEFAULT_MIN_CHARS),
        )
    except ValueError as error:
        given = ", ".join(f"{name}={settings.get(name)!r}" for name in names)
        raise BadSetting(f"{given}: {error}") from None


class JsonLinesExportPipeline:
    """Write every item as one UTF-8 JSON line; crash-safe, and recorded in the state.

    Lines go to `<dir>/<spider>/<UTC start>.jsonl.part`. Every `NEWSCRAWL_EXPORT_BATCH_ITEMS`
    items or `NEWSCRAWL_EXPORT_BATCH_SECONDS` seconds the part is fsynced and only then are
    its new posts recorded as exported in the state. A clean end renames the part to
    `.jsonl` and writes `<UTC start>.manifest.json`. Orphaned parts of killed runs are
    recovered first (see `newscrawl.export`). Scrapy's own `-O file.jsonl` works alongside.

    A write that fails (disk full) stops the run with reason `export_failed`; the lines of
    the failed batch are not recorded, and the next run recovers the ones that reached disk.

    In a distributed run (`NEWSCRAWL_REDIS_URL`) each worker writes its own part, named
    `<UTC start>_<NEWSCRAWL_WORKER_ID>`, and claims every post in the shared state before
    writing its line; a post another worker exports (or has exported) is dropped and
    counted as `export/claimed_elsewhere`.

    Settings: `NEWSCRAWL_EXPORT_ENABLED` (default True), `NEWSCRAWL_EXPORT_DIR`
    (default `output`), the batch settings above.
    """

    def __init__(self, crawler: Crawler, directory: Path) -> None:
        assert crawler.stats is not None and crawler.spidercls.name
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats
        self.store = state_for(crawler)
        # A shared state (distributed run): each line is claimed before it is written.
        self.claims = self.store if isinstance(self.store, ExportClaims) else None
        self.started = datetime.now(UTC)
        worker = crawler.settings.get("NEWSCRAWL_WORKER_ID") if self.claims else None
        self.run_id = free_run_id(directory / crawler.spidercls.name, self.started, worker)
        part_name = f"{self.run_id}.jsonl{PART_SUFFIX}"
        self.part = ExportPart((directory / crawler.spidercls.name / part_name).absolute())
        settings = crawler.settings
        self.batch_items = settings.getint("NEWSCRAWL_EXPORT_BATCH_ITEMS", 100)
        self.batch_seconds = settings.getfloat("NEWSCRAWL_EXPORT_BATCH_SECONDS", 5.0)
        self._batch: list[ExportedLine] = []
        self._batch_started = time.monotonic()
        self._failed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JsonLinesExportPipeline:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_EXPORT_ENABLED", True):
            raise NotConfigured("NEWSCRAWL_EXPORT_ENABLED is off")
        pipeline = cls(crawler, Path(settings.get("NEWSCRAWL_EXPORT_DIR", "output")))
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    @property
    def path(self) -> Path:
        return self.part.path

    def open_spider(self) -> None:
        for recovered in recover_orphans(self.store):
            self.stats.inc_value("export/recovered_runs")
            self.stats.inc_value("export/recovered_lines", recovered.lines)
        self.store.begin_run(self.run_id, str(self.part.part_path))
        self.part.open()
        self.stats.set_value("export/path", str(self.path))

    def process_item(self, item: Any) -> Any:
        if self._failed:
            raise DropItem("export stopped after a write error", "DEBUG")
        exported = ExportedLine.from_line(ItemAdapter(item), str(self.path))
        if self.claims is not None and not self.claims.claim([exported])[0]:
            self.stats.inc_value("export/claimed_elsewhere")
            raise DropItem(f"exported by another worker: {exported.id}", "INFO")
        line = orjson.dumps(item, default=_as_dict, option=orjson.OPT_APPEND_NEWLINE)
        try:
            self.part.write(line)
        except OSError as error:
            self._fail(error)
            raise DropItem(f"not exported: {error}", "ERROR") from error
        self._batch.append(exported)
        self.stats.inc_value("export/items")
        if self._batch_due():
            self._commit()
        return item

    def _batch_due(self) -> bool:
        if len(self._batch) >= self.batch_items:
            return True
        return time.monotonic() - self._batch_started >= self.batch_seconds

    def _commit(self) -> None:
        """fsync the part, then record its new lines: never the other way round."""
        try:
            self.part.sync()
            self.store.record_exported(self._batch)
        except (OSError, StateWriteError) as error:
            self._fail(error)
            return
        self._batch = []
        self._batch_started = time.monotonic()

    def _fail(self, error: OSError | StateWriteError) -> None:
        """Stop the run: lines that did reach the disk are recovered by the next run."""
        if self._failed:
            return
        self._failed = True
        self._batch = []
        self.stats.inc_value("export/failed")
        detail = f"writing {self.part.part_path} failed: {error}."
        if isinstance(error, StateWriteError):  # the part is fine: the state is not
            detail = f"{error}."
        self.stats.set_value("newscrawl/close_detail", detail)
        logger.error("Export stopped: %s", detail)
        self._stop_run("export_failed")

    def _stop_run(self, reason: str) -> None:
        assert self.crawler.engine is not None
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))

    def close_spider(self) -> None:
        if self._failed:
            self.part.close()  # left as an orphan part: the next run recovers it
            return
        self._commit()
        if self._failed:
            self.part.close()
            return
        self.part.finish()
        logger.info("Exported %s items to %s", self.stats.get_value("export/items", 0), self.path)

    def spider_closed(self, reason: str) -> None:
        """Write the manifest (the finish reason is known only now) and end the run."""
        if self._failed:
            return
        write_json_atomically(manifest_path(self.path), self._manifest(reason))
        self.store.end_run(self.run_id, "finished")

    def _manifest(self, reason: str) -> dict[str, Any]:
        stats = self.stats.get_stats()
        spider = self.crawler.spider
        manifest = base_manifest()
        manifest.update(
            {
                "run_id": self.run_id,
                "spider": self.crawler.spidercls.name,
                "arguments": dict(getattr(spider, "arguments", {}) or {}),
                "started_at": self.started.isoformat(timespec="seconds"),
                "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "finish_reason": reason,
                "output_file": self.path.name,
                "counts": manifest_counts(stats),
                "errors": manifest_errors(stats),
                "state": self.store.location,
            }
        )
        return manifest


def _json_view(item: Any) -> Any:
    """The item as its export line reads, for validation; our items without copying text.

    A 60 KB article would otherwise be encoded and decoded again just to be checked.
    """
    if type(item) is ArticleItem:
        view = dict(vars(item))
        view["related"] = [vars(row) for row in item.related]
        return view
    return orjson.loads(orjson.dumps(item, default=_as_dict))


def _as_dict(value: Any) -> Any:
    """orjson hook for item types it does not know natively (scrapy.Item, attrs)."""
    if ItemAdapter.is_item(value):
        return ItemAdapter(value).asdict()
    raise TypeError(f"cannot export {type(value).__name__}")


class ValidationPipeline:
    """Drop an item whose export line would break the schema (`newscrawl/schema/`).

    The item is turned into JSON the way the exporter does it, so the check sees exactly the
    line an archive would receive; hence it runs after every pipeline that fills fields, just
    before the exporter. A drop names the first problem, counts `validate/dropped` and
    `validate/dropped/<field>` (`<root>` when the line as a whole is wrong) and is logged as a
    warning for the first `WARN_FIRST` drops only, so a systematic parser bug does not flood
    the log. Valid items count `validate/valid`.

    Settings: `NEWSCRAWL_VALIDATE` (default True).
    """

    WARN_FIRST = 5

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        self.fast = fast_validator()
        self._dropped = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidationPipeline:
        if not crawler.settings.getbool("NEWSCRAWL_VALIDATE", True):
            raise NotConfigured("NEWSCRAWL_VALIDATE is off")
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if self.fast.is_valid(_json_view(item)):
            self.stats.inc_value("validate/valid")
            return item
        line = orjson.loads(orjson.dumps(item, default=_as_dict))
        found = check_line(line)
        if not found:  # jsonschema-rs checked a format the jsonschema package does not
            self.stats.inc_value("validate/valid")
            return item
        first = found[0]
        self.stats.inc_value("validate/dropped")
        self.stats.inc_value(f"validate/dropped/{first.field}")
        self._dropped += 1
        self._warn(first.reason, line)
        # Scrapy's own drop message (with the whole item) only at DEBUG: we warned above.
        raise DropItem(f"invalid export line: {first.reason}", log_level="DEBUG")

    def _warn(self, reason: str, line: Any) -> None:
        if self._dropped > self.WARN_FIRST:
            return
        url = line.get("url") if isinstance(line, dict) else None
        more = " (further ones only counted)" if self._dropped == self.WARN_FIRST else ""
        logger.warning("Dropped invalid item %s: %s%s", url, reason, more)


class FieldCoveragePipeline:
    """Count how many items carry each required field, for the run-health coverage rule.

    Counts `coverage/items` and `coverage/missing/<field>` (a missing field is `None`, blank
    text or an empty list) and passes every item through unchanged. It runs after the date
    pipeline, so `published_at` is judged as exported, and before deduplication and the
    archive's skip of unchanged posts, so an incremental run is judged on every post it parsed.

    Settings: `NEWSCRAWL_HEALTH_REQUIRED_FIELDS` (default `title`, `published_at`,
    `body_text`).
    """

    def __init__(self, fields: tuple[str, ...], stats: StatsCollector) -> None:
        self.fields = fields
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FieldCoveragePipeline:
        assert crawler.stats is not None
        return cls(required_fields(crawler.settings), crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        self.stats.inc_value("coverage/items")
        for name in self.fields:
            if _is_blank(adapter.get(name)):
                self.stats.inc_value(f"coverage/missing/{name}")
        return item


def _is_blank(value: Any) -> bool:
    """No usable value: `None`, whitespace-only text or an empty collection."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict | set):
        return not value
    return False
