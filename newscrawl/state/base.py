"""The archive state interface: what every backend (SQLite, Redis) keeps and answers.

The state is the crawler's memory between nightly runs. It answers three questions: has this
post been exported, and with which content (so an unchanged post is not exported again and an
edited one becomes the next revision); which posts were found but not yet exported (so a crash
or a failed fetch loses nothing); and did the last walk of a category reach its end (so the
next run may stop at the first page of posts it already has).

The export pipeline is the only writer of "exported", and only after the line is on disk:
that ordering is what makes `kill -9` at any moment safe.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


def url_key(url: str) -> str:
    """A URL without scheme and trailing slash: `http://` and `https://` name one post."""
    return url.split("://", 1)[-1].rstrip("/")


class StateError(Exception):
    """The state cannot be used; the message tells the operator what to do. Never a reset."""


class StateLocked(StateError):
    """Another run holds the state directory."""


class StateCorrupt(StateError):
    """The state file exists but cannot be read as newscrawl state."""


class StateWriteError(StateError):
    """The state could not be written (disk full, read-only): the run must stop."""


@dataclass(frozen=True)
class PostRecord:
    """What the archive holds of one post: its latest exported revision."""

    id: str
    url: str
    content_hash: str
    revision: int
    category: tuple[str, ...]
    first_seen: str
    last_seen: str
    export_file: str


@dataclass(frozen=True)
class ExportedLine:
    """One line the exporter has fsynced: enough to record the post as archived."""

    id: str
    url: str
    content_hash: str
    revision: int
    category: tuple[str, ...]
    crawled_at: str
    export_file: str

    @classmethod
    def from_line(cls, line: Mapping[str, Any], export_file: str) -> ExportedLine:
        """Read the fields the state needs from an exported object (dict or ItemAdapter)."""
        return cls(
            id=line["id"],
            url=line["url"],
            content_hash=line.get("content_hash") or "",
            revision=int(line.get("revision") or 1),
            category=tuple(line.get("category") or ()),
            crawled_at=line.get("crawled_at") or "",
            export_file=export_file,
        )


@dataclass(frozen=True)
class RunRecord:
    """A run known to the state: its export part and whether it ended."""

    run_id: str
    part_path: str
    status: str  # "running" | "finished" | "recovered"


@dataclass(frozen=True)
class FingerprintRecord:
    """A post's body fingerprint as the near-duplicate index returns it (`newscrawl.neardup`)."""

    post_id: str
    url: str
    signature: bytes


class StateStore(ABC):
    """Backend-neutral archive state. Every method is small and batch-friendly.

    A store is opened once per crawl (`open`), which also takes the lock that keeps a
    second run off the same state; `close` releases it.
    """

    @classmethod
    @abstractmethod
    def from_settings(cls, settings: BaseSettings) -> StateStore:
        """Build (not open) a store from `NEWSCRAWL_STATE_*` settings."""

    @abstractmethod
    def open(self) -> None:
        """Lock the state and check it is readable; raise `StateError` subclasses if not."""

    @abstractmethod
    def close(self) -> None:
        """Release the lock and the connection; safe to call twice."""

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the state lives, for messages and the manifest."""

    # --- posts -------------------------------------------------------------------------
    @abstractmethod
    def find(self, post_id: str, url: str) -> PostRecord | None:
        """The archived record of a post, by id or else by any URL that led to it."""

    @abstractmethod
    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """The subset of `urls` not to fetch again: archived posts (by canonical URL or
        alias) and URLs ruled out as no post of the walk (`rule_out`)."""

    @abstractmethod
    def record_exported(self, lines: Sequence[ExportedLine]) -> None:
        """Mark lines as archived, all in one transaction. Call only after they are on disk."""

    @abstractmethod
    def record_alias(self, url: str, post_id: str) -> None:
        """Remember that fetching `url` gave post `post_id` (listing URLs may differ)."""

    @abstractmethod
    def touch(self, post_ids: Iterable[str], seen_at: str) -> None:
        """Note that archived posts were seen unchanged at `seen_at`."""

    @abstractmethod
    def last_seen(self, urls: Iterable[str]) -> dict[str, str]:
        """For archived posts among `urls`: the last time each was fetched (ISO instant)."""

    # --- pending posts: found on a listing, not archived yet ----------------------------
    @abstractmethod
    def add_pending(self, walk_url: str, urls: Iterable[str]) -> None:
        """Remember posts a listing revealed, before fetching them."""

    @abstractmethod
    def pending(self, walk_url: str) -> list[str]:
        """Posts of this walk found by an earlier run and never archived nor ruled out."""

    @abstractmethod
    def rule_out(self, urls: Iterable[str], reason: str) -> None:
        """Stop fetching these URLs in incremental runs (not an article, another category,
        gone); they leave the pending list. `mode=full` still fetches them."""

    # --- listing walks ------------------------------------------------------------------
    @abstractmethod
    def walk_complete(self, walk_url: str) -> bool:
        """True when the last walk of this listing reached its last page."""

    @abstractmethod
    def set_walk_complete(self, walk_url: str, complete: bool) -> None:
        """Record whether the walk now running (False) or just ended (True) is complete."""

    # --- runs and their export files ----------------------------------------------------
    @abstractmethod
    def begin_run(self, run_id: str, part_path: str) -> None:
        """Register a run's export part before its first line is written."""

    @abstractmethod
    def end_run(self, run_id: str, status: str) -> None:
        """Mark a run finished (renamed into place) or recovered after a crash."""

    @abstractmethod
    def unfinished_runs(self) -> list[RunRecord]:
        """Runs that started and never ended: their parts are orphans to recover."""

    # --- near-duplicate index: body fingerprints by LSH band key ------------------------
    @abstractmethod
    def similar_candidates(self, band_keys: Sequence[str]) -> list[FingerprintRecord]:
        """Posts indexed under any of `band_keys`, each once, earliest recorded first.

        An index lookup per band key, never a scan: its cost grows with the matches, not
        with the archive.
        """

    @abstractmethod
    def add_fingerprint(
        self, post_id: str, url: str, band_keys: Sequence[str], signature: bytes
    ) -> None:
        """Record a post's fingerprint, replacing its earlier one (bands included) but
        keeping its place in the order. Empty `band_keys` keep the signature out of the
        index: a repost is found through its original, so clusters do not grow buckets."""
