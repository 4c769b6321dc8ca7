"""A throw-away `redis-server` on 127.0.0.1 for the tests and the benchmark.

It persists nothing (`--save '' --appendonly no`), keeps its files in a directory of its own,
and is ready when it answers PING (polled; never a fixed sleep). redis-server cannot bind
port 0 and tell us which port it got, so a free port is picked first; if another process
takes it in between, the server exits and the next port is tried.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

from newscrawl.testing import stop_process

STARTUP_SECONDS = 20
ATTEMPTS = 3


class RedisUnavailable(RuntimeError):
    """redis-server is not installed, or would not start."""


def redis_server_path() -> str | None:
    return shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def redis_server(directory: Path) -> Iterator[str]:
    """Run redis-server in `directory` and yield its URL (`redis://127.0.0.1:<port>/0`)."""
    executable = redis_server_path()
    if executable is None:
        raise RedisUnavailable("redis-server is not installed")
    directory.mkdir(parents=True, exist_ok=True)
    for _attempt in range(ATTEMPTS):
        port = free_port()
        command = [executable, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(directory)]
        command += ["--save", "", "--appendonly", "no", "--protected-mode", "no"]
        log = (directory / "redis.log").open("ab")
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        url = f"redis://127.0.0.1:{port}/0"
        try:
            if _wait_for_ping(process, url):
                yield url
                return
        finally:
            stop_process(process)
            log.close()
    raise RedisUnavailable(f"redis-server would not start; see {directory / 'redis.log'}")


def _wait_for_ping(process: subprocess.Popen[bytes], url: str) -> bool:
    """Poll PING until the server answers (True) or exits (False: port taken, say)."""
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return False
            try:
                return bool(client.ping())
            except redis.ConnectionError:
                time.sleep(0.02)
        raise RedisUnavailable(f"redis-server did not answer PING within {STARTUP_SECONDS} s")
    finally:
        client.close()
