"""Nightly runs on one state directory: incremental, revisions, kill -9, lock, corrupt state.

Every crawl is a real `scrapy crawl` subprocess against the sample blog served from this
process (`live_blog`), so a test can change the blog between two runs at the same URL and
count, from the server's own log, what each run requested. Expected posts come from the
sample blog's data, never from the crawler.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from export_checks import assert_valid_export

from newscrawl.sampleblog import EDIT_NOTE, POSTS, Post, before_newest
from newscrawl.sampleblog.server import LiveBlog, live_blog
from newscrawl.state.lock import DirectoryLock
from newscrawl.state.sqlite import DB_NAME
from newscrawl.testing import PROJECT_ROOT, crawl_command, crawl_env, run_crawl

SEED_ID = 21
NEWS = "게시판"
TRAVEL = "여행"


def posts_in(category: str, posts: list[Post] = list(POSTS)) -> set[str]:  # noqa: B006
    """Entry numbers of the posts listed under `category` (subcategories included)."""
    return {
        str(post.id)
        for post in posts
        if not category or post.category == category or post.category.startswith(category + "/")
    }


@dataclass
class Archive:
    """One archive: a state directory and an export directory reused by every run."""

    root: Path

    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def out(self) -> Path:
        return self.root / "out" / "tistory"

    def settings(self, **more: str) -> dict[str, str]:
        return {
            "NEWSCRAWL_EXPORT_DIR": str(self.root / "out"),
            "NEWSCRAWL_STATE_DIR": str(self.state),
            **more,
        }

    def finished(self) -> list[Path]:
        return sorted(self.out.glob("*.jsonl"))

    def lines(self, path: Path) -> list[dict]:
        raw = path.read_text(encoding="utf-8")
        assert raw == "" or raw.endswith("\n"), f"{path.name} ends in a torn line"
        lines = [json.loads(text) for text in raw.splitlines()]
        assert_valid_export(lines)
        return lines

    def all_lines(self) -> list[dict]:
        return [line for path in self.finished() for line in self.lines(path)]


@dataclass
class Run:
    """What one crawl left: its exit status, its export lines, manifest and requests."""

    result: subprocess.CompletedProcess[str]
    lines: list[dict]
    manifest: dict
    requests: list[str]

    @property
    def exported(self) -> set[str]:
        return {line["post_id"] for line in self.lines}


class RequestLog:
    """The live blog's request log, read as the lines added since the last `take`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.read = 0

    def peek(self) -> list[str]:
        """Raw `METHOD PATH` lines logged since the last `take`, without consuming them."""
        lines = self.path.read_text(encoding="utf-8").splitlines() if self.path.exists() else []
        return lines[self.read :]

    def take(self) -> list[str]:
        lines = self.path.read_text(encoding="utf-8").splitlines() if self.path.exists() else []
        new, self.read = lines[self.read :], len(lines)
        return [unquote(line.split(" ", 1)[1]) for line in new]


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    return Archive(tmp_path)


@pytest.fixture
def blog(tmp_path: Path) -> Iterator[tuple[LiveBlog, RequestLog]]:
    log = tmp_path / "requests.log"
    with live_blog(request_log=log) as served:
        yield served, RequestLog(log)


def category_url(blog: LiveBlog, category: str) -> str:
    return blog.url + "category" + (f"/{quote(category)}" if category else "")


def manifest_of(export: Path) -> dict:
    return json.loads(export.with_name(export.stem + ".manifest.json").read_text())


def crawl(archive: Archive, blog: LiveBlog, log: RequestLog, url: str, **arguments: str) -> Run:
    """One healthy run: exit 0, a new finished export with its manifest, nothing torn."""
    before = set(archive.finished())
    result = run_crawl("tistory", {"url": url, **arguments}, settings=archive.settings())
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    *recovered, export = sorted(set(archive.finished()) - before)
    for orphan in recovered:  # parts of killed runs, finished by this run before it began
        assert manifest_of(orphan)["finish_reason"] == "recovered"
    manifest = manifest_of(export)
    assert not list(archive.out.glob("*.part"))
    return Run(result, archive.lines(export), manifest, log.take())


def test_unchanged_blog_second_run_exports_nothing_with_one_listing_request_per_category(
    archive: Archive, blog: tuple[LiveBlog, RequestLog]
) -> None:
    served, log = blog
    url = f"{category_url(served, NEWS)},{category_url(served, TRAVEL)}"
    first = crawl(archive, served, log, url)
    assert first.exported == posts_in(NEWS) | posts_in(TRAVEL)
    second = crawl(archive, served, log, url)
    assert second.lines == []
    listing_requests = Counter(
        path.split("?")[0] for path in second.requests if "/category" in path
    )
    assert listing_requests == {f"/category/{NEWS}": 1, f"/category/{TRAVEL}": 1}
    # No feed either: page 1 showed nothing new, so the feed is left for a run that does.
    other = [path for path in second.requests if "/category" not in path]
    assert other == ["/robots.txt"]
    assert second.manifest["counts"]["items_exported"] == 0
    assert second.manifest["counts"]["posts_known_not_fetched"] >= 2
    assert first.manifest["counts"]["items_exported"] == len(first.exported)


def test_posts_published_since_the_last_run_are_exported_next_run(
    archive: Archive, blog: tuple[LiveBlog, RequestLog]
) -> None:
    served, log = blog
    earlier = before_newest(POSTS, 3)
    served.publish(earlier)
    first = crawl(archive, served, log, category_url(served, ""))
    assert first.exported == posts_in("", earlier)
    served.publish(POSTS)
    second = crawl(archive, served, log, category_url(served, ""))
    assert second.exported == posts_in("") - posts_in("", earlier)
    assert {line["revision"] for line in second.lines} == {1}
    article_requests = [path for path in second.requests if path[1:].isdigit()]
    assert sorted(article_requests) == sorted(f"/{post}" for post in second.exported)


def edit(posts: list[Post] | tuple[Post, ...], post_id: int, when: datetime) -> list[Post]:
    """The blog after its author edited one post at `when` (the sitemap says so)."""
    return [
        replace(post, body=(*post.body, EDIT_NOTE), modified=when) if post.id == post_id else post
        for post in posts
    ]


def test_edited_post_is_revision_2_in_full_mode_and_only_there(
    archive: Archive, blog: tuple[LiveBlog, RequestLog]
) -> None:
    served, log = blog
    url = category_url(served, NEWS)
    first = crawl(archive, served, log, url)
    [original] = [line for line in first.lines if line["post_id"] == str(SEED_ID)]
    served.publish(edit(POSTS, SEED_ID, datetime.now(UTC)))
    assert crawl(archive, served, log, url).lines == []  # incremental: edits are not looked for
    full = crawl(archive, served, log, url, mode="full")
    [revised] = full.lines
    assert (revised["id"], revised["revision"]) == (original["id"], 2)
    assert revised["previous_hash"] == original["content_hash"] != revised["content_hash"]
    assert revised["body_text"].endswith(EDIT_NOTE)
    assert full.manifest["counts"]["skipped_already_exported"] == len(posts_in(NEWS)) - 1
    assert crawl(archive, served, log, url, mode="full").lines == []


def test_changed_mode_finds_the_edit_through_the_sitemap_without_fetching_every_post(
    archive: Archive, blog: tuple[LiveBlog, RequestLog]
) -> None:
    served, log = blog
    url = category_url(served, NEWS)
    crawl(archive, served, log, url)
    served.publish(edit(POSTS, SEED_ID, datetime.now(UTC)))
    changed = crawl(archive, served, log, url, mode="changed")
    assert [(line["post_id"], line["revision"]) for line in changed.lines] == [(str(SEED_ID), 2)]
    assert sorted(path for path in changed.requests if path[1:].isdigit()) == [f"/{SEED_ID}"]
    assert "/sitemap.xml" in changed.requests


def test_bad_mode_is_a_usage_error(archive: Archive) -> None:
    result = run_crawl(
        "tistory",
        {"url": "http://127.0.0.1:9/category", "mode": "everything"},
        settings=archive.settings(),
    )
    assert result.returncode == 2
    assert "mode" in result.stderr and "incremental, changed, full" in result.stderr


def start_slow_crawl(archive: Archive, url: str) -> subprocess.Popen[str]:
    """A crawl slow enough to be killed at a chosen point (one post at a time)."""
    slow = archive.settings(
        DOWNLOAD_DELAY="0.03",
        CONCURRENT_REQUESTS_PER_DOMAIN="1",
        NEWSCRAWL_EXPORT_BATCH_ITEMS="4",
        LOG_LEVEL="WARNING",
    )
    return subprocess.Popen(
        crawl_command("tistory", {"url": url}, slow),
        cwd=PROJECT_ROOT,
        env=crawl_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def part_lines(archive: Archive) -> int:
    """Lines in the export parts right now (a part renamed while we look counts 0)."""
    total = 0
    for path in archive.out.glob("*.part"):
        with suppress(FileNotFoundError):
            total += path.read_bytes().count(b"\n")
    return total


def kill_when(process: subprocess.Popen[str], reached: Callable[[], bool]) -> None:
    """SIGKILL the crawl as soon as `reached()` holds (poll, no fixed sleep)."""
    deadline = time.monotonic() + 60
    while not reached():
        assert process.poll() is None, "the crawl ended before the kill point"
        assert time.monotonic() < deadline, "kill point never reached"
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()


def lines_written(archive: Archive, lines: int) -> Callable[[], bool]:
    """Kill point: the export part holds `lines` more lines than now."""
    target = part_lines(archive) + lines
    return lambda: part_lines(archive) >= target


def first_post_requested(log: RequestLog) -> Callable[[], bool]:
    """Kill point: the listing walk has begun and the first post was requested (no line yet)."""
    return lambda: any(re.fullmatch(r"GET /\d+", line) for line in log.peek())


# 0: killed during the listing walk, before any line; N: after N more lines of export.
@pytest.mark.near_duplicates  # fingerprints recorded while a run is killed
@pytest.mark.parametrize("kill_points", [(0,), (1,), (6,), (17,), (0, 3, 14)], ids=str)
def test_kill_9_loses_nothing_and_exports_nothing_twice(
    archive: Archive, blog: tuple[LiveBlog, RequestLog], kill_points: tuple[int, ...]
) -> None:
    served, log = blog
    url = category_url(served, "")
    for point in kill_points:
        process = start_slow_crawl(archive, url)
        log.take()
        kill_when(process, lines_written(archive, point) if point else first_post_requested(log))
    assert list(archive.out.glob("*.part")), "the kill should leave an orphaned part"
    log.take()
    crawl(archive, served, log, url)
    every = archive.all_lines()
    counts = Counter(line["id"] for line in every)
    assert {line["post_id"] for line in every} == posts_in("")
    assert max(counts.values()) == 1, [post for post, n in counts.items() if n > 1]
    for export in archive.finished():
        assert manifest_of(export)["finish_reason"] in {"finished", "recovered"}
    assert crawl(archive, served, log, url).lines == []


def test_torn_last_line_of_a_killed_run_is_dropped_and_its_post_exported_again(
    archive: Archive, blog: tuple[LiveBlog, RequestLog]
) -> None:
    served, log = blog
    url = category_url(served, NEWS)
    process = start_slow_crawl(archive, url)
    kill_when(process, lines_written(archive, 3))
    [part] = archive.out.glob("*.part")
    kept = part.read_bytes().count(b"\n")
    torn = json.dumps({"id": "tistory:3141592:999", "title": "half"}).encode()[:25]
    with part.open("ab") as handle:  # what a write cut by a power loss leaves
        handle.write(torn)
    crawl(archive, served, log, url)
    recovered = part.with_name(part.name.removesuffix(".part"))
    assert len(archive.lines(recovered)) == kept
    manifest = manifest_of(recovered)
    assert manifest["finish_reason"] == "recovered"
    assert manifest["counts"]["torn_bytes_dropped"] == len(torn)
    assert {line["post_id"] for line in archive.all_lines()} == posts_in(NEWS)


def test_second_run_on_a_locked_state_stops_at_once(
    archive: Archive, blog: tuple[LiveBlog, RequestLog]
) -> None:
    served, log = blog
    archive.state.mkdir(parents=True)
    holder = DirectoryLock(archive.state)
    holder.acquire()
    try:
        result = run_crawl(
            "tistory", {"url": category_url(served, NEWS)}, settings=archive.settings()
        )
    finally:
        holder.release()
    assert result.returncode == 1
    assert "another newscrawl run is using the state directory" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (archive.root / "out").exists()
    assert log.take() == []


def test_corrupt_state_is_a_loud_error_and_is_never_reset(
    archive: Archive, blog: tuple[LiveBlog, RequestLog]
) -> None:
    served, log = blog
    url = category_url(served, NEWS)
    crawl(archive, served, log, url)
    damaged = b"not a database any more\n" * 100
    (archive.state / DB_NAME).write_bytes(damaged)
    result = run_crawl("tistory", {"url": url}, settings=archive.settings())
    assert result.returncode == 1
    assert (
        "cannot be read" in result.stderr and "python -m newscrawl.state rebuild" in result.stderr
    )
    assert (archive.state / DB_NAME).read_bytes() == damaged
    assert len(archive.finished()) == 1 and log.take() == []


def test_state_rebuilt_from_the_exports_knows_every_archived_post(
    archive: Archive, blog: tuple[LiveBlog, RequestLog]
) -> None:
    served, log = blog
    url = category_url(served, NEWS)
    crawl(archive, served, log, url)
    archive.state.rename(archive.root / "state.broken")
    rebuilt = subprocess.run(
        [
            *crawl_command("tistory", {})[:1],
            "-m",
            "newscrawl.state",
            "rebuild",
            "--state-dir",
            str(archive.state),
            "--export-dir",
            str(archive.root / "out"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert rebuilt.returncode == 0, rebuilt.stderr
    after = crawl(archive, served, log, url)
    assert after.lines == []
    assert not [path for path in after.requests if path[1:].isdigit()]
