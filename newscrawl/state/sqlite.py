"""The default state backend: one SQLite file (WAL) in `NEWSCRAWL_STATE_DIR`.

SQLite's transactions make each batch of "these lines are exported" all-or-nothing, and WAL
lets a reader (`python -m newscrawl.state info`) look while a crawl writes. Commits use WAL's
`synchronous=NORMAL`: a commit survives any crash of the process (`kill -9` included) at once,
and a power cut can only lose the latest commits, in order. That cannot lose a post: the run's
"finished" mark is committed after all of its "exported" marks, so if a power cut took any of
them the run still reads as unfinished and the next run recovers its export file (which was
fsynced before being marked), re-recording every line. An fsync per commit would cost about
a millisecond per listing page and per batch, for nothing.

A file that is not a readable newscrawl state is never reset: `open` raises `StateCorrupt`
saying how to rebuild it from the finished exports. Schema upgrades only add tables and
indexes (`CREATE … IF NOT EXISTS`), so opening a file of an older schema adds what it lacks
and stamps the new version in one transaction: schema 2 added the near-duplicate index.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newscrawl.state.base import (
    ExportedLine,
    FingerprintRecord,
    PostRecord,
    RunRecord,
    StateCorrupt,
    StateError,
    StateStore,
    StateWriteError,
    url_key,
)
from newscrawl.state.lock import DirectoryLock

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

DB_NAME = "state.sqlite3"
SCHEMA_VERSION = 2
_CHUNK = 500  # SQLite's bound-parameter limit is 999 on old builds

_SCHEMA = """
CREATE TABLE IF NOT EXISTS posts (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    url_key TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    revision INTEGER NOT NULL,
    category TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    export_file TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS posts_by_url ON posts (url_key);
CREATE TABLE IF NOT EXISTS aliases (url_key TEXT PRIMARY KEY, post_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pending (
    url_key TEXT PRIMARY KEY, url TEXT NOT NULL, walk_url TEXT NOT NULL, found_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pending_by_walk ON pending (walk_url);
CREATE TABLE IF NOT EXISTS ruled_out (
    url_key TEXT PRIMARY KEY, reason TEXT NOT NULL, at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS walks (
    walk_url TEXT PRIMARY KEY, complete INTEGER NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, part_path TEXT NOT NULL, status TEXT NOT NULL,
    started_at TEXT NOT NULL, ended_at TEXT
);
-- schema 2: body fingerprints (seq gives "earliest recorded") and their LSH band keys
CREATE TABLE IF NOT EXISTS fingerprints (
    seq INTEGER PRIMARY KEY, post_id TEXT NOT NULL UNIQUE, url TEXT NOT NULL,
    signature BLOB NOT NULL, recorded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS fingerprint_bands (
    band_key TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (band_key, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS fingerprint_bands_by_post ON fingerprint_bands (seq);
"""

RECOVERY_HINT = (
    "newscrawl never resets a state silently, because that would export the whole archive "
    "again. To recover: move the state directory aside and rebuild it from the finished "
    "exports with `python -m newscrawl.state rebuild --state-dir {dir} --export-dir <output "
    "dir>`, or restore it from a backup."
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


class SqliteStateStore(StateStore):
    """`StateStore` on `<state dir>/state.sqlite3`, locked by `<state dir>/lock`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / DB_NAME
        self._lock = DirectoryLock(directory)
        self._db: sqlite3.Connection | None = None

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> SqliteStateStore:
        return cls(Path(settings.get("NEWSCRAWL_STATE_DIR") or ".newscrawl"))

    @property
    def location(self) -> str:
        return str(self.path)

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise StateError("the state store is not open")
        return self._db

    def open(self) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StateError(
                f"cannot create the state directory {self.directory}: {error}"
            ) from error
        self._lock.acquire()
        try:
            self._db = self._connect()
        except BaseException:
            self._lock.release()
            raise

    def _connect(self) -> sqlite3.Connection:
        """Open, check and (for a new file) create the schema; any failure is `StateCorrupt`."""
        db: sqlite3.Connection | None = None
        try:
            db = sqlite3.connect(self.path, isolation_level=None)
            self._check(db)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            with _transaction(db):
                _create_schema(db)
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            return db
        except sqlite3.Error as error:
            if db is not None:
                db.close()
            if getattr(error, "sqlite_errorname", "").startswith(WRITE_FAILURES):
                raise _write_error(error) from error
            raise self._corrupt(str(error)) from error
        except StateError:
            if db is not None:
                db.close()
            raise

    def _check(self, db: sqlite3.Connection) -> None:
        """Refuse a file that is damaged or written by a newer newscrawl."""
        result = db.execute("PRAGMA quick_check").fetchone()
        if not result or result[0] != "ok":
            raise self._corrupt(f"integrity check failed: {result[0] if result else 'no answer'}")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StateError(
                f"the state {self.path} was written by a newer newscrawl (schema {version}, "
                f"this one knows {SCHEMA_VERSION}); upgrade newscrawl to use it."
            )
        if version == 0 and _has_tables(db):
            raise self._corrupt("it holds tables but is not a newscrawl state")

    def _corrupt(self, reason: str) -> StateCorrupt:
        return StateCorrupt(
            f"the state file {self.path} cannot be read ({reason}). "
            + RECOVERY_HINT.format(dir=self.directory)
        )

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        self._lock.release()

    # --- posts -------------------------------------------------------------------------
    def find(self, post_id: str, url: str) -> PostRecord | None:
        row = self.db.execute(f"SELECT {_POST_COLUMNS} FROM posts WHERE id = ?", (post_id,))
        found = row.fetchone()
        if found is None:
            found = self.db.execute(
                f"SELECT {_POST_COLUMNS} FROM posts WHERE url_key = ? OR id = "
                "(SELECT post_id FROM aliases WHERE url_key = ?) LIMIT 1",
                (url_key(url), url_key(url)),
            ).fetchone()
        return _post_record(found) if found else None

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        by_key = {url_key(url): url for url in urls}
        known: set[str] = set()
        for chunk in _chunks(list(by_key)):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT url_key FROM posts WHERE url_key IN ({marks}) UNION "
                f"SELECT a.url_key FROM aliases a JOIN posts p ON p.id = a.post_id "
                f"WHERE a.url_key IN ({marks}) "
                f"UNION SELECT url_key FROM ruled_out WHERE url_key IN ({marks})",
                (*chunk, *chunk, *chunk),
            )
            known.update(by_key[key] for (key,) in rows)
        return known

    def record_exported(self, lines: Sequence[ExportedLine]) -> None:
        if not lines:
            return
        with _transaction(self.db):
            for line in lines:
                self._upsert(line)

    def _upsert(self, line: ExportedLine) -> None:
        """Insert or advance a post; an older revision never overwrites a newer one."""
        key = url_key(line.url)
        category = json.dumps(list(line.category), ensure_ascii=False)
        seen = line.crawled_at or _now()
        self.db.execute(
            "INSERT INTO posts (id, url, url_key, content_hash, revision, category, "
            "first_seen, last_seen, export_file) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET url = excluded.url, url_key = excluded.url_key, "
            "content_hash = excluded.content_hash, revision = excluded.revision, "
            "category = excluded.category, last_seen = excluded.last_seen, "
            "export_file = excluded.export_file WHERE excluded.revision >= posts.revision",
            (
                line.id,
                line.url,
                key,
                line.content_hash,
                line.revision,
                category,
                seen,
                seen,
                line.export_file,
            ),
        )
        self.db.execute(
            "DELETE FROM pending WHERE url_key = ? OR url_key IN "
            "(SELECT url_key FROM aliases WHERE post_id = ?)",
            (key, line.id),
        )

    def record_alias(self, url: str, post_id: str) -> None:
        with _transaction(self.db):
            self.db.execute(
                "INSERT OR REPLACE INTO aliases (url_key, post_id) VALUES (?, ?)",
                (url_key(url), post_id),
            )
            self.db.execute(
                "DELETE FROM pending WHERE url_key = ? AND EXISTS "
                "(SELECT 1 FROM posts WHERE id = ?)",
                (url_key(url), post_id),
            )

    def touch(self, post_ids: Iterable[str], seen_at: str) -> None:
        with _transaction(self.db):
            self.db.executemany(
                "UPDATE posts SET last_seen = ? WHERE id = ?", ((seen_at, i) for i in post_ids)
            )

    def last_seen(self, urls: Iterable[str]) -> dict[str, str]:
        by_key = {url_key(url): url for url in urls}
        seen: dict[str, str] = {}
        for chunk in _chunks(list(by_key)):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT url_key, last_seen FROM posts WHERE url_key IN ({marks}) UNION "
                f"SELECT a.url_key, p.last_seen FROM aliases a JOIN posts p ON p.id = a.post_id "
                f"WHERE a.url_key IN ({marks})",
                (*chunk, *chunk),
            )
            seen.update((by_key[key], when) for key, when in rows)
        return seen

    # --- pending ------------------------------------------------------------------------
    def add_pending(self, walk_url: str, urls: Iterable[str]) -> None:
        found_at = _now()
        with _transaction(self.db):
            self.db.executemany(
                "INSERT OR IGNORE INTO pending (url_key, url, walk_url, found_at) "
                "VALUES (?, ?, ?, ?)",
                ((url_key(url), url, walk_url, found_at) for url in urls),
            )

    def pending(self, walk_url: str) -> list[str]:
        rows = self.db.execute(
            "SELECT url FROM pending WHERE walk_url = ? ORDER BY found_at, url", (walk_url,)
        )
        return [url for (url,) in rows]

    def rule_out(self, urls: Iterable[str], reason: str) -> None:
        keys = [url_key(url) for url in urls]
        at = _now()
        with _transaction(self.db):
            self.db.executemany(
                "INSERT OR REPLACE INTO ruled_out (url_key, reason, at) VALUES (?, ?, ?)",
                ((key, reason, at) for key in keys),
            )
            self.db.executemany("DELETE FROM pending WHERE url_key = ?", ((k,) for k in keys))

    # --- walks --------------------------------------------------------------------------
    def walk_complete(self, walk_url: str) -> bool:
        row = self.db.execute("SELECT complete FROM walks WHERE walk_url = ?", (walk_url,))
        found = row.fetchone()
        return bool(found and found[0])

    def set_walk_complete(self, walk_url: str, complete: bool) -> None:
        with _transaction(self.db):
            self.db.execute(
                "INSERT OR REPLACE INTO walks (walk_url, complete, updated_at) VALUES (?, ?, ?)",
                (walk_url, int(complete), _now()),
            )

    # --- runs ---------------------------------------------------------------------------
    def begin_run(self, run_id: str, part_path: str) -> None:
        with _transaction(self.db):
            self.db.execute(
                "INSERT OR REPLACE INTO runs (run_id, part_path, status, started_at) "
                "VALUES (?, ?, 'running', ?)",
                (run_id, part_path, _now()),
            )

    def end_run(self, run_id: str, status: str) -> None:
        with _transaction(self.db):
            self.db.execute(
                "UPDATE runs SET status = ?, ended_at = ? WHERE run_id = ?",
                (status, _now(), run_id),
            )

    def unfinished_runs(self) -> list[RunRecord]:
        rows = self.db.execute(
            "SELECT run_id, part_path, status FROM runs WHERE status = 'running' ORDER BY run_id"
        )
        return [RunRecord(*row) for row in rows]

    # --- near-duplicate index -----------------------------------------------------------
    def similar_candidates(self, band_keys: Sequence[str]) -> list[FingerprintRecord]:
        found: dict[int, FingerprintRecord] = {}
        for chunk in _chunks(list(dict.fromkeys(band_keys))):
            rows = self.db.execute(
                "SELECT seq, post_id, url, signature FROM fingerprints WHERE seq IN "
                "(SELECT seq FROM fingerprint_bands WHERE band_key IN "
                f"({','.join('?' * len(chunk))}))",
                chunk,
            )
            found.update((seq, FingerprintRecord(*rest)) for seq, *rest in rows)
        return [found[seq] for seq in sorted(found)]

    def add_fingerprint(
        self, post_id: str, url: str, band_keys: Sequence[str], signature: bytes
    ) -> None:
        with _transaction(self.db):
            (seq,) = self.db.execute(
                "INSERT INTO fingerprints (post_id, url, signature, recorded_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (post_id) DO UPDATE SET url = excluded.url, "
                "signature = excluded.signature, recorded_at = excluded.recorded_at "
                "RETURNING seq",
                (post_id, url, signature, _now()),
            ).fetchone()
            self.db.execute("DELETE FROM fingerprint_bands WHERE seq = ?", (seq,))
            self.db.executemany(
                "INSERT OR IGNORE INTO fingerprint_bands (band_key, seq) VALUES (?, ?)",
                ((key, seq) for key in band_keys),
            )


_POST_COLUMNS = "id, url, content_hash, revision, category, first_seen, last_seen, export_file"


def _post_record(row: tuple) -> PostRecord:
    post_id, url, digest, revision, category, first_seen, last_seen, export_file = row
    return PostRecord(
        id=post_id,
        url=url,
        content_hash=digest,
        revision=revision,
        category=tuple(json.loads(category)),
        first_seen=first_seen,
        last_seen=last_seen,
        export_file=export_file,
    )


def _create_schema(db: sqlite3.Connection) -> None:
    """`executescript` would commit our open transaction; run the statements one by one."""
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


def _has_tables(db: sqlite3.Connection) -> bool:
    return (
        db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").fetchone()
        is not None
    )


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """`BEGIN IMMEDIATE … COMMIT`, rolled back on any error (the connection autocommits).

    A write that SQLite refuses (disk full, I/O error, read-only) is `StateWriteError`.
    """
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                with suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
            raise
    except sqlite3.OperationalError as error:
        raise _write_error(error) from error


def _write_error(error: sqlite3.Error) -> StateWriteError:
    return StateWriteError(
        f"could not write the archive state: {error} (is its disk full or read-only?)"
    )


# SQLite's result codes for a file that cannot be written, as opposed to a damaged one.
WRITE_FAILURES = ("SQLITE_IOERR", "SQLITE_FULL", "SQLITE_READONLY", "SQLITE_CANTOPEN")
