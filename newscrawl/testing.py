"""Run the bundled sample blog and whole crawls as subprocesses (tests, demo, benchmark).

Whole crawls run as `python -m scrapy crawl` subprocesses because a stopped Twisted reactor
cannot be restarted in one process. Servers bind port 0 and announce their URL on stdout; we
wait for that line instead of sleeping.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
URL_PREFIX = "SAMPLEBLOG_URL="
_VM_HWM = re.compile(r"^VmHWM:\s+(\d+) kB", re.MULTILINE)

# Politeness limits lifted for the local sample server only.
LOCAL_FAST_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "LOG_LEVEL": "INFO",
}


@contextmanager
def sample_blog(skin: str | None = None, extra_args: Sequence[str] = ()) -> Iterator[str]:
    """Serve the sample blog on 127.0.0.1:<free port> and yield its base URL (`http://…/`)."""
    command = [sys.executable, "-u", "-m", "newscrawl.sampleblog.server", *extra_args]
    if skin:
        command += ["--skin", skin]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=PROJECT_ROOT)
    try:
        yield _wait_for_url(process)
    finally:
        stop_process(process)
        if process.stdout:
            process.stdout.close()


def stop_process(process: subprocess.Popen[Any]) -> None:
    """Terminate a server we started; kill it if it has not stopped within 10 s."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_for_url(process: subprocess.Popen[str]) -> str:
    """Read the server's stdout until it announces its URL (or dies)."""
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith(URL_PREFIX):
            return line[len(URL_PREFIX) :].strip()
    raise RuntimeError(f"sample blog server exited with {process.wait()} before serving")


def run_crawl(
    spider: str,
    arguments: dict[str, str],
    settings: dict[str, str] | None = None,
    extra: Sequence[str] = (),
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """Run `scrapy crawl <spider>` in the project root; output and stderr are captured."""
    command = crawl_command(spider, arguments, settings, extra)
    return subprocess.run(
        command, cwd=PROJECT_ROOT, env=crawl_env(), capture_output=True, text=True, timeout=timeout
    )


def crawl_env() -> dict[str, str]:
    """The environment crawls run in: ours, with unbuffered output for live log reading."""
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


def crawl_command(
    spider: str,
    arguments: dict[str, str],
    settings: dict[str, str] | None = None,
    extra: Sequence[str] = (),
) -> list[str]:
    """The `scrapy crawl` command line `run_crawl` runs (for tests that start it themselves)."""
    command = [sys.executable, "-m", "scrapy", "crawl", spider]
    for name, value in arguments.items():
        command += ["-a", f"{name}={value}"]
    for name, value in {**LOCAL_FAST_SETTINGS, **(settings or {})}.items():
        command += ["-s", f"{name}={value}"]
    return command + list(extra)


def high_water_kb(pid: int) -> int:
    """`VmHWM` (peak RSS) of a running process in kB, 0 once it is gone.

    Polled while a crawl runs, by the tests and the benchmark: `ru_maxrss` cannot be used,
    since Linux carries a process's high-water mark across `exec`, so a crawl started from a
    big process (a pytest-xdist worker, the benchmark that rendered the site) would report
    that process's size, not its own. `exec` gives the crawl a new address space, and so a
    `VmHWM` of its own.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = _VM_HWM.search(status)
    return int(match.group(1)) if match else 0
