"""The archive state (SQLite backend), export recovery and the sitemap change feed, in-process."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from factories import HASH_A, HASH_B, exported_line

from newscrawl.export import ExportPart, free_run_id, manifest_path, recover_orphans
from newscrawl.sitemaps import changed_since, latest_instant, parse_sitemap
from newscrawl.state import StateCorrupt, StateError, StateLocked
from newscrawl.state.__main__ import rebuild
from newscrawl.state.sqlite import DB_NAME, SCHEMA_VERSION, SqliteStateStore


@pytest.fixture
def store(tmp_path: Path):
    opened = SqliteStateStore(tmp_path / "state")
    opened.open()
    yield opened
    opened.close()


def test_recorded_post_is_found_by_id_and_url(store: SqliteStateStore) -> None:
    store.record_exported([exported_line("7")])
    by_id = store.find("tistory:1:7", "https://elsewhere/7")
    by_url = store.find("unknown-id", "http://blog.example/7/")
    assert by_id is not None and by_id.revision == 1 and by_id.category == ("게시판",)
    assert by_url == by_id
    assert store.find("tistory:1:8", "https://blog.example/8") is None


def test_an_older_revision_never_overwrites_a_newer_one(store: SqliteStateStore) -> None:
    store.record_exported([exported_line("7", HASH_B, revision=2, export="new.jsonl")])
    store.record_exported([exported_line("7", HASH_A, revision=1, export="old.jsonl")])
    record = store.find("tistory:1:7", "")
    assert record is not None
    assert (record.revision, record.content_hash, record.export_file) == (2, HASH_B, "new.jsonl")


def test_known_urls_counts_aliases_only_of_archived_posts(store: SqliteStateStore) -> None:
    store.record_alias("https://blog.example/entry/slug", "tistory:1:7")
    assert store.known_urls(["https://blog.example/entry/slug"]) == set()
    store.record_exported([exported_line("7")])
    listed = ["https://blog.example/entry/slug", "https://blog.example/7", "https://blog.example/9"]
    assert store.known_urls(listed) == set(listed[:2])


def test_ruled_out_urls_are_known_and_no_longer_pending(store: SqliteStateStore) -> None:
    walk = "https://blog.example/category/a"
    store.add_pending(walk, ["https://blog.example/5", "https://blog.example/6"])
    store.rule_out(["https://blog.example/5"], "off_category")
    assert store.pending(walk) == ["https://blog.example/6"]
    assert store.known_urls(["https://blog.example/5", "https://blog.example/6"]) == {
        "https://blog.example/5"
    }


def test_pending_posts_are_resolved_by_export_or_alias(store: SqliteStateStore) -> None:
    walk = "https://blog.example/category/a"
    store.add_pending(walk, ["https://blog.example/7", "https://blog.example/entry/eight"])
    assert store.pending(walk) == ["https://blog.example/7", "https://blog.example/entry/eight"]
    store.record_alias("https://blog.example/entry/eight", "tistory:1:8")
    store.record_exported([exported_line("7"), exported_line("8")])
    assert store.pending(walk) == []
    assert store.pending("https://blog.example/category/b") == []


def test_walk_completion_is_remembered(store: SqliteStateStore) -> None:
    walk = "https://blog.example/category/a"
    assert not store.walk_complete(walk)
    store.set_walk_complete(walk, True)
    assert store.walk_complete(walk)
    store.set_walk_complete(walk, False)
    assert not store.walk_complete(walk)


def test_state_survives_reopening(tmp_path: Path) -> None:
    first = SqliteStateStore(tmp_path)
    first.open()
    first.record_exported([exported_line("7")])
    first.close()
    second = SqliteStateStore(tmp_path)
    second.open()
    try:
        assert second.find("tistory:1:7", "") is not None
    finally:
        second.close()


def test_second_open_of_a_locked_state_is_refused(store: SqliteStateStore) -> None:
    other = SqliteStateStore(store.directory)
    with pytest.raises(StateLocked, match="another newscrawl run"):
        other.open()


def test_lock_is_released_on_close(tmp_path: Path) -> None:
    first = SqliteStateStore(tmp_path)
    first.open()
    first.close()
    second = SqliteStateStore(tmp_path)
    second.open()
    second.close()


@pytest.mark.parametrize(
    "damage",
    [
        b"this is not a database, it is a text file someone copied over it\n" * 20,
        b"SQLite format 3\x00" + b"\xff" * 4000,
    ],
    ids=["text", "torn-header"],
)
def test_corrupt_state_is_refused_loudly_and_left_as_is(tmp_path: Path, damage: bytes) -> None:
    (tmp_path / DB_NAME).write_bytes(damage)
    store = SqliteStateStore(tmp_path)
    with pytest.raises(StateCorrupt, match="rebuild"):
        store.open()
    assert (tmp_path / DB_NAME).read_bytes() == damage
    # The failed open released its lock: another attempt fails the same way, not as locked.
    with pytest.raises(StateCorrupt):
        SqliteStateStore(tmp_path).open()


def test_truncated_state_is_refused(tmp_path: Path) -> None:
    store = SqliteStateStore(tmp_path)
    store.open()
    store.record_exported([exported_line(str(n)) for n in range(2000)])
    store.close()
    data = (tmp_path / DB_NAME).read_bytes()
    (tmp_path / DB_NAME).write_bytes(data[: len(data) // 2])
    with pytest.raises(StateCorrupt):
        SqliteStateStore(tmp_path).open()


def test_a_foreign_sqlite_file_is_not_taken_over(tmp_path: Path) -> None:
    foreign = sqlite3.connect(tmp_path / DB_NAME)
    foreign.execute("CREATE TABLE invoices (n INTEGER)")
    foreign.commit()
    foreign.close()
    with pytest.raises(StateCorrupt, match="not a newscrawl state"):
        SqliteStateStore(tmp_path).open()


def test_a_state_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    newer = sqlite3.connect(tmp_path / DB_NAME)
    newer.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    newer.close()
    with pytest.raises(StateError, match="newer newscrawl"):
        SqliteStateStore(tmp_path).open()


def write_part(store: SqliteStateStore, directory: Path, run_id: str, lines: list[dict]) -> Path:
    part = ExportPart(directory / f"{run_id}.jsonl.part")
    store.begin_run(run_id, str(part.part_path))
    part.open()
    for entry in lines:
        part.write(orjson.dumps(entry) + b"\n")
    part.close()
    return part.part_path


def exported(post: str, revision: int = 1) -> dict:
    return {
        "id": f"tistory:1:{post}",
        "url": f"https://blog.example/{post}",
        "content_hash": HASH_A,
        "revision": revision,
        "category": ["게시판"],
        "crawled_at": "2026-11-30T01:00:00+00:00",
    }


def test_orphaned_part_is_recovered_without_its_torn_line(
    store: SqliteStateStore, tmp_path: Path
) -> None:
    part = write_part(store, tmp_path / "out", "20261130T010000Z", [exported("1"), exported("2")])
    with part.open("ab") as handle:
        handle.write(b'{"id": "tistory:1:3", "url": "https://blo')
    [recovered] = recover_orphans(store)
    finished = tmp_path / "out" / "20261130T010000Z.jsonl"
    assert recovered.path == finished and recovered.lines == 2 and recovered.torn_bytes > 0
    assert not part.exists()
    assert [json.loads(raw)["id"] for raw in finished.read_text().splitlines()] == [
        "tistory:1:1",
        "tistory:1:2",
    ]
    manifest = json.loads(manifest_path(finished).read_text())
    assert manifest["finish_reason"] == "recovered"
    assert manifest["counts"]["items_exported"] == 2
    assert store.known_urls(["https://blog.example/1", "https://blog.example/3"]) == {
        "https://blog.example/1"
    }
    assert store.unfinished_runs() == []
    assert recover_orphans(store) == []


def test_run_killed_after_its_rename_gets_its_manifest(
    store: SqliteStateStore, tmp_path: Path
) -> None:
    part = write_part(store, tmp_path, "20261130T020000Z", [exported("5")])
    finished = part.with_name("20261130T020000Z.jsonl")
    part.rename(finished)
    [recovered] = recover_orphans(store)
    assert recovered.lines == 1
    assert manifest_path(finished).exists()
    assert store.find("tistory:1:5", "") is not None


def test_part_that_never_got_created_is_closed_quietly(
    store: SqliteStateStore, tmp_path: Path
) -> None:
    store.begin_run("20261130T030000Z", str(tmp_path / "never.jsonl.part"))
    [recovered] = recover_orphans(store)
    assert recovered.lines == 0
    assert not (tmp_path / "never.jsonl").exists()


def test_rebuild_replays_finished_exports(tmp_path: Path) -> None:
    out = tmp_path / "out" / "tistory"
    out.mkdir(parents=True)
    first = [exported("1"), exported("2")]
    second = [{**exported("2", revision=2), "content_hash": HASH_B}]
    (out / "20261101T000000Z.jsonl").write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in first))
    (out / "20261102T000000Z.jsonl").write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in second))
    assert rebuild(tmp_path / "state", tmp_path / "out") == 3
    store = SqliteStateStore(tmp_path / "state")
    store.open()
    try:
        record = store.find("tistory:1:2", "")
        assert record is not None and (record.revision, record.content_hash) == (2, HASH_B)
    finally:
        store.close()
    with pytest.raises(StateError, match="move it aside"):
        rebuild(tmp_path / "state", tmp_path / "out")


SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://blog.example/1</loc><lastmod>2026-11-30T10:00:00+09:00</lastmod></url>
<url><loc>https://blog.example/2</loc><lastmod>2026-11-29</lastmod></url>
<url><loc>https://blog.example/3</loc></url>
</urlset>
"""


def test_sitemap_lastmod_is_read_as_instants() -> None:
    page = parse_sitemap(SITEMAP)
    assert page.sitemaps == []
    assert page.lastmod["https://blog.example/1"] == datetime(2026, 11, 30, 1, tzinfo=UTC)
    assert page.lastmod["https://blog.example/3"] is None


def test_sitemap_index_lists_children() -> None:
    index = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://blog.example/sitemap-1.xml</loc></sitemap></sitemapindex>"""
    assert parse_sitemap(index).sitemaps == ["https://blog.example/sitemap-1.xml"]
    assert parse_sitemap(b"<html>not a sitemap</html>").lastmod == {}


def test_uncertain_lastmod_reads_as_its_latest_instant() -> None:
    assert latest_instant("2026-11-29") == datetime(2026, 11, 30, 11, 59, 59, 999999, tzinfo=UTC)
    assert latest_instant("2026-11-29T08:00:00") == datetime(2026, 11, 29, 20, tzinfo=UTC)
    assert latest_instant("yesterday") is None


def test_changed_since_picks_posts_modified_after_our_fetch() -> None:
    lastmods = parse_sitemap(SITEMAP).lastmod
    fetched = {
        "https://blog.example/1": "2026-11-30T00:30:00+00:00",  # edited after: fetch again
        "https://blog.example/2": "2026-11-30T12:00:00+00:00",  # the whole day is before
        "https://blog.example/3": "2026-11-01T00:00:00+00:00",  # no lastmod: cannot tell
    }
    assert changed_since(lastmods, fetched) == ["https://blog.example/1"]


def test_runs_started_in_the_same_second_get_distinct_export_names(tmp_path: Path) -> None:
    started = datetime(2026, 11, 30, 5, 0, 0, tzinfo=UTC)
    first = free_run_id(tmp_path, started)
    (tmp_path / f"{first}.jsonl").write_text("")
    second = free_run_id(tmp_path, started)
    (tmp_path / f"{second}.jsonl.part").write_text("")
    assert (first, second, free_run_id(tmp_path, started)) == (
        "20261130T050000Z",
        "20261130T050000Z-1",
        "20261130T050000Z-2",
    )
