"""The Redis state backend: one archive state shared by every worker of a distributed run.

Selected by `RedisAddon` when `NEWSCRAWL_REDIS_URL` is set. It keeps what the SQLite backend
keeps, with the same semantics (the state tests run against both), under keys that start with
`NEWSCRAWL_REDIS_PREFIX` (one prefix per archive, as one state directory per archive):

- `<p>:post:<id>` (hash) an archived post; `<p>:urls` canonical URL key → id;
  `<p>:aliases` URL key → id, and `<p>:aliases_of:<id>` the reverse;
- `<p>:pending` URL key → JSON (url, walk, found_at), indexed per walk by
  `<p>:pending_walk:<walk>`; `<p>:ruled_out`, `<p>:walks`;
- `<p>:export_runs` and `<p>:export_run:<host>/<run id>`: the export parts, per machine;
- `<p>:claim:<id>` the worker exporting a post right now (see `ExportClaims`);
- `<p>:fp:<id>` (hash: url, signature hex, seq) a body fingerprint, `<p>:band:<key>` the
  set of post ids under one LSH band key, `<p>:fp_bands:<id>` the reverse.

Multi-key changes run as Lua scripts (`redis_scripts`), so each is atomic like a SQLite
transaction. Several workers share the state by design, so there is no lock; seeding a run
is exclusive instead (`newscrawl.distributed.run`). Orphaned export parts are handed only to
a worker on the machine that wrote them (`unfinished_runs`), and only once their worker's
heartbeat is gone.

Durability is Redis's: run it with the append-only file on (`appendonly yes`, fsync every
second or always). A Redis that persists nothing forgets the archive when it restarts, and
the next run would export every post again: `open` warns when it sees that.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import redis

from newscrawl.distributed import default_worker_id, redis_url, safe_url, sanitise
from newscrawl.distributed.worker import Worker
from newscrawl.state import redis_scripts
from newscrawl.state.base import (
    ExportedLine,
    FingerprintRecord,
    PostRecord,
    RunRecord,
    StateError,
    StateStore,
    StateWriteError,
    url_key,
)

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
CLAIM_TTL_SECONDS = 24 * 3600  # a claim of a dead worker is ignored long before this
_FIELDS_PER_LINE = 8


class StateUnavailable(StateError):
    """Redis cannot be reached (or refuses us): the run cannot start."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class RedisStateStore(StateStore):
    """`StateStore` in Redis; also `ExportClaims`. Owns this process's worker heartbeat.

    Settings: `NEWSCRAWL_REDIS_URL`, `NEWSCRAWL_REDIS_PREFIX` (default `newscrawl`),
    `NEWSCRAWL_WORKER_ID` (default `<hostname>-<pid>`), `NEWSCRAWL_REDIS_WORKER_TTL`
    (seconds a dead worker's heartbeat lingers, default 30).
    """

    def __init__(self, url: str, prefix: str, worker_id: str, worker_ttl: float) -> None:
        self.url = url
        self.prefix = prefix
        self.worker_id = worker_id
        self.worker_ttl = worker_ttl
        self._client: redis.Redis | None = None
        self._worker: Worker | None = None
        self._scripts: dict[str, Any] = {}

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> RedisStateStore:
        url = redis_url(settings)
        if not url:
            raise StateError("the Redis state backend needs NEWSCRAWL_REDIS_URL")
        return cls(
            url,
            settings.get("NEWSCRAWL_REDIS_PREFIX") or "newscrawl",
            sanitise(settings.get("NEWSCRAWL_WORKER_ID") or default_worker_id()),
            settings.getfloat("NEWSCRAWL_REDIS_WORKER_TTL", 30.0),
        )

    @property
    def location(self) -> str:
        return f"{safe_url(self.url)} (prefix {self.prefix})"

    @property
    def client(self) -> redis.Redis:
        if self._client is None:
            raise StateError("the state store is not open")
        return self._client

    @property
    def worker(self) -> Worker:
        if self._worker is None:
            raise StateError("the state store is not open")
        return self._worker

    def open(self) -> None:
        client = redis.Redis.from_url(
            self.url, decode_responses=True, socket_connect_timeout=5, socket_timeout=30
        )
        try:
            client.ping()
            self._check_schema(client)
        except redis.RedisError as error:
            client.close()
            raise StateUnavailable(
                f"cannot reach Redis at {safe_url(self.url)} (NEWSCRAWL_REDIS_URL): "
                f"{_one_line(error)}. Start it, or fix the URL."
            ) from error
        self._client = client
        self._scripts = {
            name: client.register_script(getattr(redis_scripts, name))
            for name in (
                "RECORD_EXPORTED",
                "RECORD_ALIAS",
                "TOUCH",
                "CLAIM",
                "ADOPT_RUNS",
                "ADD_FINGERPRINT",
            )
        }
        self._worker = Worker(client, self.prefix, self.worker_id, self.worker_ttl)
        self._worker.start()
        self._warn_if_not_persistent()

    def _check_schema(self, client: redis.Redis) -> None:
        """Refuse a state written by a newer newscrawl; stamp a new one with our version."""
        meta = f"{self.prefix}:meta"
        client.hsetnx(meta, "schema", SCHEMA_VERSION)
        version = int(client.hget(meta, "schema") or 0)
        if version > SCHEMA_VERSION:
            raise StateError(
                f"the state {self.location} was written by a newer newscrawl (schema "
                f"{version}, this one knows {SCHEMA_VERSION}); upgrade newscrawl to use it."
            )

    def _warn_if_not_persistent(self) -> None:
        try:
            config = self.client.config_get("appendonly") | self.client.config_get("save")
        except redis.RedisError:  # CONFIG disabled (managed Redis): trust the operator
            return
        if config.get("appendonly") != "yes" and not config.get("save"):
            logger.warning(
                "Redis at %s persists nothing (no AOF, no snapshots): if it restarts, the "
                "archive state is lost and every post is exported again.",
                safe_url(self.url),
            )

    def close(self) -> None:
        if self._worker is not None:
            self._worker.stop()
            self._worker = None
        if self._client is not None:
            self._client.close()
            self._client = None

    def key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    @contextmanager
    def _redis(self) -> Iterator[None]:
        """Redis failing mid-run stops the run (the guard sees `StateWriteError`)."""
        try:
            yield
        except redis.RedisError as error:
            raise StateWriteError(
                f"the archive state in Redis ({self.location}) failed: {_one_line(error)}"
            ) from error

    def _run(self, script: str, args: Sequence[Any]) -> Any:
        with self._redis():
            return self._scripts[script](args=[self.prefix, *args])

    # --- posts -------------------------------------------------------------------------
    def find(self, post_id: str, url: str) -> PostRecord | None:
        with self._redis():
            record = self._post(post_id)
            if record is None:
                other = self._post_id_of(url_key(url))
                record = self._post(other) if other else None
        return record

    def _post(self, post_id: str) -> PostRecord | None:
        fields: dict[str, str] = self.client.hgetall(self.key("post", post_id))  # type: ignore[assignment]
        if not fields:
            return None
        return PostRecord(
            id=post_id,
            url=fields["url"],
            content_hash=fields["content_hash"],
            revision=int(fields["revision"]),
            category=tuple(json.loads(fields["category"])),
            first_seen=fields["first_seen"],
            last_seen=fields["last_seen"],
            export_file=fields["export_file"],
        )

    def _post_id_of(self, key: str) -> str | None:
        """The archived post a URL key names, directly or as an alias of an archived post."""
        direct, alias = self._post_ids([key])[key]
        return direct or alias

    def _post_ids(self, keys: list[str]) -> dict[str, tuple[str | None, str | None]]:
        """For each URL key: (archived post with that URL, archived post it is an alias of)."""
        pipe = self.client.pipeline(transaction=False)
        pipe.hmget(self.key("urls"), keys)
        pipe.hmget(self.key("aliases"), keys)
        direct, aliases = pipe.execute() if keys else ([], [])
        pipe = self.client.pipeline(transaction=False)
        for alias in aliases:
            pipe.exists(self.key("post", alias or ""))  # no post has the empty id
        archived = pipe.execute() if keys else []
        return {
            key: (found, alias if alias and int(exists) else None)
            for key, found, alias, exists in zip(keys, direct, aliases, archived, strict=True)
        }

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        by_key = {url_key(url): url for url in urls}
        keys = list(by_key)
        if not keys:
            return set()
        with self._redis():
            posts = self._post_ids(keys)
            ruled_out = self.client.hmget(self.key("ruled_out"), keys)
        return {
            by_key[key] for key, out in zip(keys, ruled_out, strict=True) if out or any(posts[key])
        }

    def record_exported(self, lines: Sequence[ExportedLine]) -> None:
        if not lines:
            return
        args: list[Any] = [self.worker.holder]
        for line in lines:
            args += [
                line.id,
                line.url,
                url_key(line.url),
                line.content_hash,
                line.revision,
                json.dumps(list(line.category), ensure_ascii=False),
                line.crawled_at or _now(),
                line.export_file,
            ]
        self._run("RECORD_EXPORTED", args)

    def record_alias(self, url: str, post_id: str) -> None:
        self._run("RECORD_ALIAS", [url_key(url), post_id])

    def touch(self, post_ids: Iterable[str], seen_at: str) -> None:
        ids = list(post_ids)
        if ids:
            self._run("TOUCH", [seen_at, *ids])

    def last_seen(self, urls: Iterable[str]) -> dict[str, str]:
        by_key = {url_key(url): url for url in urls}
        with self._redis():
            ids = {key: pair[0] or pair[1] for key, pair in self._post_ids(list(by_key)).items()}
            found = {key: post for key, post in ids.items() if post}
            pipe = self.client.pipeline(transaction=False)
            for post in found.values():
                pipe.hget(self.key("post", post), "last_seen")
            seen = pipe.execute() if found else []
        return {by_key[key]: when for key, when in zip(found, seen, strict=True) if when}

    # --- pending ------------------------------------------------------------------------
    def add_pending(self, walk_url: str, urls: Iterable[str]) -> None:
        found_at = _now()
        entries = {url_key(url): url for url in urls}
        if not entries:
            return
        with self._redis():
            pipe = self.client.pipeline(transaction=True)
            for key, url in entries.items():
                value = json.dumps([url, walk_url, found_at], ensure_ascii=False)
                pipe.hsetnx(self.key("pending"), key, value)
            pipe.sadd(self.key("pending_walk", walk_url), *entries)
            pipe.execute()

    def pending(self, walk_url: str) -> list[str]:
        with self._redis():
            keys = sorted(self.client.smembers(self.key("pending_walk", walk_url)))
            values = self.client.hmget(self.key("pending"), keys) if keys else []
            gone = [key for key, value in zip(keys, values, strict=True) if value is None]
            if gone:  # exported or ruled out since: the index forgets them lazily
                self.client.srem(self.key("pending_walk", walk_url), *gone)
        entries = [json.loads(value) for value in values if value is not None]
        mine = [(found_at, url) for url, walk, found_at in entries if walk == walk_url]
        return [url for _found_at, url in sorted(mine)]

    def rule_out(self, urls: Iterable[str], reason: str) -> None:
        keys = [url_key(url) for url in urls]
        if not keys:
            return
        value = json.dumps([reason, _now()])
        with self._redis():
            pipe = self.client.pipeline(transaction=True)
            pipe.hset(self.key("ruled_out"), mapping=dict.fromkeys(keys, value))
            pipe.hdel(self.key("pending"), *keys)
            pipe.execute()

    # --- walks --------------------------------------------------------------------------
    def walk_complete(self, walk_url: str) -> bool:
        with self._redis():
            return self.client.hget(self.key("walks"), walk_url) == "1"

    def set_walk_complete(self, walk_url: str, complete: bool) -> None:
        with self._redis():
            self.client.hset(self.key("walks"), walk_url, int(complete))

    # --- runs: per machine, since a part is only reachable where it was written ---------
    def begin_run(self, run_id: str, part_path: str) -> None:
        name = f"{self.worker.host}/{run_id}"
        record: dict[Any, Any] = {
            "run_id": run_id,
            "part_path": part_path,
            "status": "running",
            "host": self.worker.host,
            "holder": self.worker.holder,
            "started_at": _now(),
        }
        with self._redis():
            pipe = self.client.pipeline(transaction=True)
            pipe.hset(self.key("export_run", name), mapping=record)
            pipe.sadd(self.key("export_runs"), name)
            pipe.execute()

    def end_run(self, run_id: str, status: str) -> None:
        name = f"{self.worker.host}/{run_id}"
        with self._redis():
            self.client.hset(
                self.key("export_run", name), mapping={"status": status, "ended_at": _now()}
            )

    def unfinished_runs(self) -> list[RunRecord]:
        """Runs of this machine whose worker is dead; this worker takes them over."""
        adopted = self._run("ADOPT_RUNS", [self.worker.host, self.worker.holder])
        pairs = zip(adopted[::2], adopted[1::2], strict=True)
        runs = [RunRecord(run_id, part, "running") for run_id, part in pairs]
        return sorted(runs, key=lambda run: run.run_id)

    # --- near-duplicate index -----------------------------------------------------------
    def similar_candidates(self, band_keys: Sequence[str]) -> list[FingerprintRecord]:
        if not band_keys:
            return []
        with self._redis():
            ids = sorted(
                str(i) for i in self.client.sunion([self.key("band", k) for k in band_keys])
            )
            pipe = self.client.pipeline(transaction=False)
            for post_id in ids:
                pipe.hmget(self.key("fp", post_id), "seq", "url", "signature")
            rows = pipe.execute()
        found = [
            (int(seq), FingerprintRecord(post_id, url, bytes.fromhex(signature)))
            for post_id, (seq, url, signature) in zip(ids, rows, strict=True)
            if seq is not None
        ]
        return [record for _, record in sorted(found, key=lambda pair: pair[0])]

    def add_fingerprint(
        self, post_id: str, url: str, band_keys: Sequence[str], signature: bytes
    ) -> None:
        self._run("ADD_FINGERPRINT", [post_id, url, signature.hex(), *band_keys])

    # --- claims (ExportClaims) ----------------------------------------------------------
    def claim(self, lines: Sequence[ExportedLine]) -> list[bool]:
        return [
            bool(
                self._run(
                    "CLAIM",
                    [
                        self.worker.holder,
                        line.id,
                        line.revision,
                        line.export_file,
                        CLAIM_TTL_SECONDS,
                    ],
                )
            )
            for line in lines
        ]


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split()) or type(error).__name__
