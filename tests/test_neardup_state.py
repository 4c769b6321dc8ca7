"""The near-duplicate index in the archive state: SQLite and Redis, and the v1 → v2 upgrade.

The contract runs against both backends (Redis when the `redis_url` fixture has a server).
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from newscrawl.state import StateStore
from newscrawl.state.redis import RedisStateStore
from newscrawl.state.sqlite import DB_NAME, SCHEMA_VERSION, SqliteStateStore

SIGNATURE_A = bytes(range(64)) * 8
SIGNATURE_B = bytes(reversed(range(64))) * 8


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StateStore]:
    opened: StateStore
    if request.param == "sqlite":
        opened = SqliteStateStore(tmp_path / "state")
    else:
        url = request.getfixturevalue("redis_url")
        opened = RedisStateStore(url, f"t-{secrets.token_hex(4)}", "w1", worker_ttl=5)
    opened.open()
    yield opened
    opened.close()


def ids(records: list) -> list[str]:
    return [record.post_id for record in records]


def test_candidates_are_found_by_any_band_earliest_first(store: StateStore) -> None:
    store.add_fingerprint("b:2", "https://b/2", ["0:aa", "1:bb"], SIGNATURE_B)
    store.add_fingerprint("a:1", "https://a/1", ["0:aa", "1:cc"], SIGNATURE_A)
    store.add_fingerprint("c:3", "https://c/3", ["0:dd"], SIGNATURE_A)
    found = store.similar_candidates(["1:cc", "0:aa", "9:zz"])
    assert ids(found) == ["b:2", "a:1"]  # in the order they were first recorded, each once
    assert (found[0].url, found[0].signature) == ("https://b/2", SIGNATURE_B)
    assert store.similar_candidates(["9:zz"]) == []
    assert store.similar_candidates([]) == []


def test_recording_a_post_again_replaces_its_bands_and_keeps_its_place(
    store: StateStore,
) -> None:
    store.add_fingerprint("a:1", "https://a/1", ["0:aa"], SIGNATURE_A)
    store.add_fingerprint("b:2", "https://b/2", ["0:aa"], SIGNATURE_B)
    store.add_fingerprint("a:1", "https://a/1", ["0:ee", "1:ff"], SIGNATURE_B)
    assert ids(store.similar_candidates(["0:aa"])) == ["b:2"]
    assert ids(store.similar_candidates(["1:ff", "0:aa"])) == ["a:1", "b:2"]
    assert store.similar_candidates(["0:ee"])[0].signature == SIGNATURE_B


def test_a_post_recorded_without_bands_is_no_candidate(store: StateStore) -> None:
    store.add_fingerprint("a:1", "https://a/1", ["0:aa"], SIGNATURE_A)
    store.add_fingerprint("a:1", "https://a/1", [], SIGNATURE_A)  # now a marked repost
    assert store.similar_candidates(["0:aa"]) == []


def test_sqlite_candidates_come_from_the_index_not_a_scan(tmp_path: Path) -> None:
    store = SqliteStateStore(tmp_path)
    store.open()
    try:
        store.add_fingerprint("a:1", "https://a/1", ["0:aa"], SIGNATURE_A)
        statements: list[str] = []
        store.db.set_trace_callback(statements.append)
        store.similar_candidates(["0:aa", "1:bb"])
        store.db.set_trace_callback(None)
        (query,) = [sql for sql in statements if sql.lstrip().startswith("SELECT")]
        plan = [row[3] for row in store.db.execute("EXPLAIN QUERY PLAN " + query)]
    finally:
        store.close()
    assert plan and not [step for step in plan if step.startswith("SCAN")], plan


# The tables of a schema-1 state, as newscrawl wrote them before the near-duplicate index.
V1_SCHEMA = """
CREATE TABLE posts (
    id TEXT PRIMARY KEY, url TEXT NOT NULL, url_key TEXT NOT NULL,
    content_hash TEXT NOT NULL, revision INTEGER NOT NULL, category TEXT NOT NULL,
    first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, export_file TEXT NOT NULL
);
CREATE INDEX posts_by_url ON posts (url_key);
CREATE TABLE aliases (url_key TEXT PRIMARY KEY, post_id TEXT NOT NULL);
CREATE TABLE pending (
    url_key TEXT PRIMARY KEY, url TEXT NOT NULL, walk_url TEXT NOT NULL, found_at TEXT NOT NULL
);
CREATE INDEX pending_by_walk ON pending (walk_url);
CREATE TABLE ruled_out (url_key TEXT PRIMARY KEY, reason TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE walks (walk_url TEXT PRIMARY KEY, complete INTEGER NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE runs (
    run_id TEXT PRIMARY KEY, part_path TEXT NOT NULL, status TEXT NOT NULL,
    started_at TEXT NOT NULL, ended_at TEXT
);
INSERT INTO posts VALUES ('tistory:1:7', 'https://b/7', 'b/7', 'sha256:aa', 3, '["게시판"]',
    '2025-01-01T00:00:00+00:00', '2025-06-01T00:00:00+00:00', 'out/x.jsonl');
INSERT INTO walks VALUES ('https://b/category/x', 1, '2025-06-01T00:00:00+00:00');
PRAGMA user_version = 1;
"""


def test_a_v1_state_is_upgraded_in_place_and_keeps_everything(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / DB_NAME) as old:
        old.executescript(V1_SCHEMA)
    old.close()
    store = SqliteStateStore(tmp_path)
    store.open()
    try:
        archived = store.find("tistory:1:7", "https://b/7")
        assert archived is not None and archived.revision == 3
        assert store.walk_complete("https://b/category/x")
        store.add_fingerprint("tistory:1:7", "https://b/7", ["0:aa"], SIGNATURE_A)
        assert ids(store.similar_candidates(["0:aa"])) == ["tistory:1:7"]
    finally:
        store.close()
    with sqlite3.connect(tmp_path / DB_NAME) as upgraded:
        assert upgraded.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
    upgraded.close()
