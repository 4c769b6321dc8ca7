"""The Redis archive state: the same answers as SQLite, plus claims and per-machine runs.

The contract tests run against both backends, so "the same semantics as the SQLite one" is
checked, not assumed; the Redis ones use a real redis-server (the `redis_url` fixture) and a
fresh key prefix per test.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import HASH_A, HASH_B, exported_line

from newscrawl.export import ExportPart, manifest_path, recover_orphans
from newscrawl.state import ExportedLine, StateStore
from newscrawl.state.redis import RedisStateStore, StateUnavailable
from newscrawl.state.sqlite import SqliteStateStore

WALK = "https://blog.example/category/a"


def redis_store(url: str, prefix: str, worker: str = "w1") -> RedisStateStore:
    store = RedisStateStore(url, prefix, worker, worker_ttl=5)
    store.open()
    return store


@pytest.fixture
def prefix() -> str:
    return f"test-{secrets.token_hex(4)}"


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StateStore]:
    opened: StateStore
    if request.param == "sqlite":
        opened = SqliteStateStore(tmp_path / "state")
        opened.open()
    else:
        opened = redis_store(request.getfixturevalue("redis_url"), f"t-{secrets.token_hex(4)}")
    yield opened
    opened.close()


def test_recorded_post_is_found_by_id_url_and_alias(store: StateStore) -> None:
    store.record_exported([exported_line("7")])
    store.record_alias("https://blog.example/entry/seven", "tistory:1:7")
    by_id = store.find("tistory:1:7", "https://elsewhere/7")
    assert by_id is not None and by_id.revision == 1 and by_id.category == ("게시판",)
    assert by_id.first_seen == by_id.last_seen == "2026-11-30T01:00:00+00:00"
    assert store.find("unknown-id", "http://blog.example/7/") == by_id
    assert store.find("unknown-id", "https://blog.example/entry/seven") == by_id
    assert store.find("tistory:1:8", "https://blog.example/8") is None


def test_revisions_advance_and_never_go_back(store: StateStore) -> None:
    store.record_exported([exported_line("7", HASH_A, 1, "a.jsonl")])
    later = ExportedLine(
        **{
            **exported_line("7", HASH_B, 2, "b.jsonl").__dict__,
            "crawled_at": "2026-12-01T01:00:00+00:00",
        }
    )
    store.record_exported([later])
    store.record_exported([exported_line("7", HASH_A, 1, "old.jsonl")])
    record = store.find("tistory:1:7", "")
    assert record is not None
    assert (record.revision, record.content_hash, record.export_file) == (2, HASH_B, "b.jsonl")
    assert (record.first_seen, record.last_seen) == (
        "2026-11-30T01:00:00+00:00",
        "2026-12-01T01:00:00+00:00",
    )


def test_known_urls_counts_aliases_only_of_archived_posts(store: StateStore) -> None:
    store.record_alias("https://blog.example/entry/slug", "tistory:1:7")
    assert store.known_urls(["https://blog.example/entry/slug"]) == set()
    store.record_exported([exported_line("7")])
    listed = ["https://blog.example/entry/slug", "https://blog.example/7", "https://blog.example/9"]
    assert store.known_urls(listed) == set(listed[:2])
    assert store.known_urls([]) == set()


def test_pending_posts_leave_by_export_alias_or_rule_out(store: StateStore) -> None:
    urls = [f"https://blog.example/{n}" for n in (5, 6, 7)] + ["https://blog.example/entry/8"]
    store.add_pending(WALK, urls)
    store.add_pending("https://blog.example/category/b", urls[:1])  # found first by WALK
    assert store.pending(WALK) == sorted(urls)
    assert store.pending("https://blog.example/category/b") == []
    store.rule_out([urls[0]], "off_category")
    store.record_alias(urls[3], "tistory:1:8")
    store.record_exported([exported_line("7"), exported_line("8")])
    assert store.pending(WALK) == [urls[1]]
    assert store.known_urls(urls) == {urls[0], urls[2], urls[3]}


def test_touch_and_last_seen(store: StateStore) -> None:
    store.record_exported([exported_line("7")])
    store.record_alias("https://blog.example/entry/seven", "tistory:1:7")
    store.touch(["tistory:1:7", "tistory:1:404"], "2026-12-02T00:00:00+00:00")
    assert store.last_seen(
        ["https://blog.example/7", "https://blog.example/entry/seven", "https://blog.example/9"]
    ) == {
        "https://blog.example/7": "2026-12-02T00:00:00+00:00",
        "https://blog.example/entry/seven": "2026-12-02T00:00:00+00:00",
    }
    assert store.find("tistory:1:404", "") is None


def test_walk_completion_is_remembered(store: StateStore) -> None:
    assert not store.walk_complete(WALK)
    store.set_walk_complete(WALK, True)
    assert store.walk_complete(WALK)
    store.set_walk_complete(WALK, False)
    assert not store.walk_complete(WALK)


def test_runs_begin_end_and_unfinished(store: StateStore, tmp_path: Path) -> None:
    store.begin_run("r1", str(tmp_path / "r1.jsonl.part"))
    store.begin_run("r2", str(tmp_path / "r2.jsonl.part"))
    store.end_run("r1", "finished")
    if isinstance(store, RedisStateStore):  # its own runs are alive: nothing to recover
        assert store.unfinished_runs() == []
        return
    assert [run.run_id for run in store.unfinished_runs()] == ["r2"]


def test_redis_state_is_shared_and_survives_reopening(redis_url: str, prefix: str) -> None:
    first = redis_store(redis_url, prefix, "w1")
    second = redis_store(redis_url, prefix, "w2")
    try:
        first.record_exported([exported_line("7")])
        assert second.find("tistory:1:7", "") is not None
    finally:
        first.close()
        second.close()
    again = redis_store(redis_url, prefix)
    try:
        assert again.known_urls(["https://blog.example/7"]) == {"https://blog.example/7"}
    finally:
        again.close()


def test_a_post_is_claimed_by_one_worker_until_exported_or_dead(
    redis_url: str, prefix: str
) -> None:
    one, two = redis_store(redis_url, prefix, "one"), redis_store(redis_url, prefix, "two")
    try:
        assert one.claim([exported_line("7", export="one.jsonl")]) == [True]
        assert one.claim([exported_line("7", export="one.jsonl")]) == [True]  # its own claim
        assert two.claim([exported_line("7", export="two.jsonl")]) == [
            False
        ]  # held by a live worker
        one.record_exported([exported_line("7", export="one.jsonl")])
        assert two.claim([exported_line("7", export="two.jsonl")]) == [False]  # exported meanwhile
        assert two.claim([exported_line("7", HASH_B, 2, "two.jsonl")]) == [
            True
        ]  # an edit: revision 2
        assert one.claim([exported_line("7", export="one.jsonl")]) == [True]  # the line it recorded
        assert one.claim([exported_line("8", export="one.jsonl")]) == [True]
        one.close()  # dead (here: stopped): its claim on 8 lapses
        assert two.claim([exported_line("8", export="two.jsonl")]) == [True]
    finally:
        one.close()
        two.close()


def test_only_dead_workers_runs_of_this_machine_are_recovered_once(
    redis_url: str, prefix: str, tmp_path: Path
) -> None:
    dead, alive = redis_store(redis_url, prefix, "dead"), redis_store(redis_url, prefix, "alive")
    elsewhere = redis_store(redis_url, prefix, "elsewhere")
    elsewhere.worker.host = "another-machine"
    dead.begin_run("d", str(tmp_path / "d.jsonl.part"))
    alive.begin_run("a", str(tmp_path / "a.jsonl.part"))
    elsewhere.close()  # dead too, but its part is on another machine
    first, second = redis_store(redis_url, prefix, "new1"), redis_store(redis_url, prefix, "new2")
    try:
        assert first.unfinished_runs() == []  # "dead" still has its heartbeat
        dead.close()
        [adopted] = first.unfinished_runs()
        assert (adopted.run_id, adopted.part_path) == ("d", str(tmp_path / "d.jsonl.part"))
        assert second.unfinished_runs() == []  # taken over by `first`, which is alive
    finally:
        for store in (alive, first, second):
            store.close()


def test_recovery_drops_lines_another_worker_exported_meanwhile(
    redis_url: str, prefix: str, tmp_path: Path
) -> None:
    dead, other = redis_store(redis_url, prefix, "dead"), redis_store(redis_url, prefix, "other")
    part = ExportPart(tmp_path / "20261130T010000Z_dead.jsonl.part")
    dead.begin_run("20261130T010000Z_dead", str(part.part_path))
    part.open()
    lines = [exported_line(post, export=str(part.path)) for post in ("1", "2", "3")]
    for exported in lines:
        assert dead.claim([exported]) == [True]
        part.write(json.dumps({**exported.__dict__, "category": ["게시판"]}).encode() + b"\n")
    part.sync()
    dead.record_exported(lines[:1])  # line 1 recorded; 2 and 3 only on disk
    part.close()
    dead.close()  # killed: its claims on 2 and 3 lapse
    elsewhere = exported_line("2", export=str(tmp_path / "other.jsonl"))
    assert other.claim([elsewhere]) == [True]
    other.record_exported([elsewhere])
    try:
        [recovered] = recover_orphans(other)
        kept = [json.loads(raw)["id"] for raw in recovered.path.read_text().splitlines()]
        assert kept == ["tistory:1:1", "tistory:1:3"]
        manifest = json.loads(manifest_path(recovered.path).read_text())
        assert manifest["counts"]["exported_elsewhere_dropped"] == 1
        assert other.find("tistory:1:3", "") is not None
        assert other.find("tistory:1:2", "").export_file == str(tmp_path / "other.jsonl")
    finally:
        other.close()


def test_unreachable_redis_is_a_one_line_state_error(tmp_path: Path) -> None:
    store = RedisStateStore("redis://127.0.0.1:9/0", "x", "w", worker_ttl=5)
    with pytest.raises(StateUnavailable) as raised:
        store.open()
    message = str(raised.value)
    assert "cannot reach Redis at redis://127.0.0.1:9/0" in message and "\n" not in message


def test_fingerprints_are_found_by_band_in_first_recorded_order(store: StateStore) -> None:
    store.add_fingerprint("tistory:1:1", "https://blog.example/1", ["b1", "b2"], b"\x00\x01")
    store.add_fingerprint("tistory:1:2", "https://blog.example/2", ["b2"], b"\x02")
    store.add_fingerprint("tistory:1:1", "https://blog.example/1b", ["b3"], b"\x03")  # replaced
    store.add_fingerprint("tistory:1:3", "https://blog.example/3", [], b"\x04")  # not indexed
    found = store.similar_candidates(["b1", "b2", "b3", "b2"])
    assert [(r.post_id, r.url, r.signature) for r in found] == [
        ("tistory:1:1", "https://blog.example/1b", b"\x03"),
        ("tistory:1:2", "https://blog.example/2", b"\x02"),
    ]
    assert [r.post_id for r in store.similar_candidates(["b1"])] == []
    assert store.similar_candidates([]) == []
