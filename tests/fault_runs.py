"""One crawl against the fault server, and what it left: the helpers of tests/test_faults_*.

`crawl_faulty` runs a real `scrapy crawl` subprocess on one archive (`Archive` of
tests/test_scheduled_runs.py), with a time limit as a guard against a crawl that would not
end by itself, and measures the crawl's peak memory from the kernel's own accounting. The
returned `FaultRun` holds the exit status, the export lines (schema-checked, never torn) and
the manifest's counts and errors, so a fault test reads in a few asserts.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from test_scheduled_runs import Archive, manifest_of, posts_in

from newscrawl.faultserver import FaultBlog
from newscrawl.testing import PROJECT_ROOT, crawl_command, crawl_env, high_water_kb

TRAVEL = "여행"  # 11 posts on two listing pages, Korean text: the default category under test
# Small enough to keep the suite fast, real enough to exercise every mechanism.
FAST = {
    "RETRY_TIMES": "2",
    "DOWNLOAD_TIMEOUT": "2",
    "NEWSCRAWL_BACKOFF_START_DELAY": "0.1",
    "NEWSCRAWL_PROGRESS_INTERVAL": "0",
}
GUARD_SECONDS = 90  # no fault crawl takes more than a few seconds: this is a hang


@dataclass
class FaultRun:
    """What one crawl left: exit status, log, export lines, manifest, peak memory."""

    returncode: int
    stderr: str
    lines: list[dict] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)
    max_rss_mb: float = 0.0
    seconds: float = 0.0

    @property
    def exported(self) -> set[str]:
        return {line["post_id"] for line in self.lines}

    @property
    def errors(self) -> dict[str, int]:
        return self.manifest.get("errors", {})

    @property
    def counts(self) -> dict[str, int]:
        return self.manifest.get("counts", {})

    def line(self, post_id: int | str) -> dict:
        [found] = [line for line in self.lines if line["post_id"] == str(post_id)]
        return found


def category_url(blog: FaultBlog, category: str = TRAVEL) -> str:
    return blog.url + "category" + (f"/{quote(category)}" if category else "")


def healthy(category: str, *faulty: int) -> set[str]:
    """Post ids of `category` (subcategories included) except the faulty ones."""
    return posts_in(category) - {str(post_id) for post_id in faulty}


def crawl_faulty(
    archive: Archive,
    url: str,
    settings: Mapping[str, str] | None = None,
    preexec_fn: Callable[[], None] | None = None,
    **arguments: str,
) -> FaultRun:
    """Run one crawl to its end (or fail the test after `GUARD_SECONDS`) and collect it."""
    before = set(archive.finished())
    command = crawl_command(
        "tistory", {"url": url, **arguments}, archive.settings(**{**FAST, **(settings or {})})
    )
    returncode, stderr, rss_kb, seconds = _run_measured(command, preexec_fn)
    run = FaultRun(returncode, stderr, max_rss_mb=rss_kb / 1024, seconds=seconds)
    new = sorted(set(archive.finished()) - before)
    if new:
        export = new[-1]
        run.lines = archive.lines(export)  # schema-checked, no torn line
        manifest = export.with_name(export.stem + ".manifest.json")
        run.manifest = manifest_of(export) if manifest.exists() else {}
    return run


def _run_measured(
    command: list[str], preexec_fn: Callable[[], None] | None
) -> tuple[int, str, int, float]:
    """Exit status, stderr, peak RSS (KiB, `VmHWM`) and duration of one subprocess.

    stderr is read from a pipe by a thread (a pipe, not a file: the disk-full tests limit
    the size of every file the crawl writes).
    """
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=crawl_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=preexec_fn,
    )
    assert process.stderr is not None
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(process.stderr.read()), daemon=True)
    reader.start()
    status, peak_kb = _wait(process, started + GUARD_SECONDS)
    reader.join(timeout=10)
    process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = b"".join(chunks).decode("utf-8", "replace")
    return process.returncode, stderr, peak_kb, time.monotonic() - started


def _wait(process: subprocess.Popen[bytes], deadline: float) -> tuple[int, int]:
    """Reap the child, with its peak RSS (`VmHWM`, polled until it exits; see
    `high_water_kb`); kill it and fail past the deadline."""
    peak_kb = 0
    while True:
        peak_kb = max(peak_kb, high_water_kb(process.pid))
        pid, status = os.waitpid(process.pid, os.WNOHANG)
        if pid:
            return status, peak_kb
        if time.monotonic() > deadline:
            process.kill()
            _pid, status = os.waitpid(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            raise AssertionError(f"the crawl did not end by itself within {GUARD_SECONDS} s")
        time.sleep(0.02)


def gaps(hits: list[float]) -> list[float]:
    """Seconds between consecutive arrival times."""
    return [later - earlier for earlier, later in itertools.pairwise(hits)]


def outside(paths: list[Path], *roots: Path) -> list[Path]:
    """The paths that are not inside any of `roots` (both resolved)."""
    resolved = [root.resolve() for root in roots]
    return [path for path in paths if not any(path.resolve().is_relative_to(r) for r in resolved)]
