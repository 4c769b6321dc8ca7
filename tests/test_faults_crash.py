"""Fault suite, crashes: SIGKILL at random moments and a disk that fills up.

Whatever moment a run dies at, the archive must end up holding every post once (edits as
revisions), with no torn line in any finished export; a disk that fills up must stop the run
loudly, without the state claiming lines that never reached the disk.
"""

from __future__ import annotations

import json
import random
import resource
import signal
import sqlite3
import subprocess
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fault_runs import Archive, category_url, crawl_faulty
from test_scheduled_runs import edit, manifest_of

from newscrawl.faultserver import fault_blog
from newscrawl.sampleblog import EDIT_NOTE, Post, before_newest, generate_posts
from newscrawl.state.sqlite import DB_NAME
from newscrawl.testing import PROJECT_ROOT, crawl_command, crawl_env

SEED = 20261130
KILLS = 20
BLOG_SIZE = 100
NEW_EACH_NIGHT = 3  # the blog grows between runs, so every run has work to be killed in
EDITED = (5, 17)  # posts edited half-way: the edit must reach the archive (as revision 2
# when the post was archived before it)


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    return Archive(tmp_path)


def start_crawl(archive: Archive, url: str, mode: str) -> subprocess.Popen[bytes]:
    """A run slow enough to die mid-walk: one request at a time, small export batches."""
    settings = archive.settings(
        DOWNLOAD_DELAY="0.02",
        CONCURRENT_REQUESTS_PER_DOMAIN="1",
        NEWSCRAWL_EXPORT_BATCH_ITEMS="3",
        LOG_LEVEL="ERROR",
    )
    return subprocess.Popen(
        crawl_command("tistory", {"url": url, "mode": mode}, settings),
        cwd=PROJECT_ROOT,
        env=crawl_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def new_lines(archive: Archive, lines: int) -> Callable[[], bool]:
    """Kill point: the parts this run created hold `lines` lines. Parts that were there when
    it started are the orphans it recovers (and renames) first, so they are not counted."""
    before = set(archive.out.glob("*.part"))

    def reached() -> bool:
        total = 0
        for path in set(archive.out.glob("*.part")) - before:
            with suppress(FileNotFoundError):  # finished and renamed meanwhile
                total += path.read_bytes().count(b"\n")
        return total >= lines

    return reached


def kill_at(process: subprocess.Popen[bytes], moment: float | Callable[[], bool]) -> bool:
    """SIGKILL the run after `moment` seconds, or once `moment()` holds; False if it ended
    first (then it simply was a normal run)."""
    if callable(moment):
        while not moment():
            if process.poll() is not None:
                return False
            time.sleep(0.005)
    else:
        try:
            process.wait(timeout=moment)
        except subprocess.TimeoutExpired:
            pass
        else:
            return False
    process.send_signal(signal.SIGKILL)
    process.wait()
    return True


def test_sigkill_at_20_random_moments_loses_nothing_and_tears_nothing(
    archive: Archive,
) -> None:
    rng = random.Random(SEED)
    every = generate_posts(BLOG_SIZE, body_chars=400)
    hidden = BLOG_SIZE - 40
    killed = 0
    with fault_blog(posts=before_newest(every, hidden)) as blog:
        url = category_url(blog, "")
        for night in range(KILLS):
            if night == KILLS // 2:  # edited now: the sitemap's lastmod says so
                for post_id in EDITED:
                    every = edit(every, post_id, datetime.now(UTC))
            hidden = max(0, hidden - NEW_EACH_NIGHT)
            blog.publish(before_newest(every, hidden))
            mode = "changed" if night >= KILLS // 2 else "incremental"
            moment: float | Callable[[], bool] = rng.uniform(0.3, 3.0)
            if rng.random() < 0.5:
                moment = new_lines(archive, rng.randint(1, 6))
            process = start_crawl(archive, url, mode)
            try:
                killed += kill_at(process, moment)
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait()
        blog.publish(before_newest(every, 0))
        final = crawl_faulty(archive, url, mode="changed")
    assert final.returncode == 0, final.stderr[-3000:]
    assert killed >= KILLS // 2, f"only {killed} runs were still going when killed"
    assert not list(archive.out.glob("*.part"))
    for export in archive.finished():
        assert manifest_of(export)["finish_reason"] in {"finished", "recovered"}
    lines = archive.all_lines()  # every finished file: whole lines only, schema-valid
    assert_each_post_once_edits_as_revisions(lines, every)


def assert_each_post_once_edits_as_revisions(lines: list[dict], posts: list[Post]) -> None:
    """Every post, each revision once and numbered 1, 2, …; the edited posts' last revision
    holds the edit (revision 1 already did if the post was first archived after it)."""
    by_post: dict[str, list[dict]] = defaultdict(list)
    for line in lines:
        by_post[line["post_id"]].append(line)
    assert set(by_post) == {str(post.id) for post in posts}
    for post_id, revisions in by_post.items():
        numbers = sorted(line["revision"] for line in revisions)
        assert numbers == list(range(1, len(numbers) + 1)), (post_id, numbers)
        latest = max(revisions, key=lambda line: line["revision"])
        assert latest["body_text"].endswith(EDIT_NOTE) == (int(post_id) in EDITED), post_id
        assert len(numbers) <= (2 if int(post_id) in EDITED else 1), (post_id, numbers)
    hashes = Counter((line["id"], line["content_hash"]) for line in lines)
    assert max(hashes.values()) == 1


def file_size_limit(limit: int) -> Callable[[], None]:
    """For `preexec_fn`: files this process writes stop growing at `limit` bytes (EFBIG)."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def claimed(archive: Archive) -> dict[str, str]:
    """Post id → export file, as the state records them."""
    with sqlite3.connect(f"file:{archive.state / DB_NAME}?mode=ro", uri=True) as db:
        return dict(db.execute("SELECT id, export_file FROM posts"))


def complete_ids(path: Path) -> set[str]:
    """Ids of the whole (newline-terminated) lines of an export file or part."""
    data = path.read_bytes()
    whole = data[: data.rfind(b"\n") + 1]
    return {json.loads(line)["id"] for line in whole.splitlines()}


# (file size limit, post body size, what fails first, words of the one-line verdict)
DISK_FULL = {
    "while-exporting": (300_000, 20000, "export_failed", "File too large"),
    "while-recording-the-state": (90_000, 300, "state_failed", "could not write the archive"),
    "while-creating-the-state": (50_000, 300, None, "could not write the archive state"),
}


@pytest.mark.parametrize("name", DISK_FULL)
def test_disk_full_stops_the_run_loudly_and_the_state_claims_only_lines_on_disk(
    archive: Archive, name: str
) -> None:
    limit, body_chars, reason, words = DISK_FULL[name]
    posts = generate_posts(40, body_chars=body_chars)
    with fault_blog(posts=posts) as blog:
        url = category_url(blog, "")
        full = crawl_faulty(archive, url, preexec_fn=file_size_limit(limit))
        assert full.returncode == 1
        verdict = full.stderr.strip().splitlines()[-1]
        assert verdict.startswith("newscrawl:") and words in verdict, verdict
        if reason:
            assert f"reason {reason!r}" in verdict
        if (archive.state / DB_NAME).exists() and name != "while-creating-the-state":
            for post_id, export_file in claimed(archive).items():
                part = Path(export_file + ".part")
                assert post_id in complete_ids(part if part.exists() else Path(export_file))
        after = crawl_faulty(archive, url)
    assert after.returncode == 0, after.stderr[-3000:]
    lines = archive.all_lines()
    assert sorted(line["post_id"] for line in lines) == sorted(str(post.id) for post in posts)
