"""A real scrapyd (the PyPI package) for tests, deployed to with scrapyd-client.

scrapyd runs as a subprocess in a throw-away directory holding its `scrapyd.conf`, eggs, logs
and queue databases; the test drives it only through its HTTP API on 127.0.0.1.

Port: scrapyd 1.6 cannot be given port 0 (`scrapyd/app.py` starts its HTTP service only when
`http_port` is non-zero, and would not report the port it got), so `free_port()` asks the
kernel for a free port and scrapyd binds it a moment later. Another process may take the
port in between; scrapyd then exits at once with "Address already in use" and is started
again on a new port, so that race costs a retry, not a failed test.

Waiting: `daemonstatus.json` is polled until scrapyd answers and `listjobs.json` until the
job is finished, each with a deadline. The pause between polls is `process.wait(timeout)`,
so a scrapyd that dies ends the wait at once, with its log in the error.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from urllib.request import urlopen

from newscrawl.testing import PROJECT_ROOT, stop_process

# What the egg is built from (setup.py shim + pyproject.toml, whose `readme` is README.md).
BUILD_INPUTS = ("scrapy.cfg", "setup.py", "pyproject.toml", "README.md", "newscrawl")
DEPLOY_TARGET = "tests"
PORT_IN_USE = "Address already in use"
START_ATTEMPTS = 3
# scrapyd looks for queued jobs every `poll_interval` seconds (default 5): keep the test fast.
CONFIG = """\
[scrapyd]
bind_address = 127.0.0.1
http_port = {port}
eggs_dir = {directory}/eggs
logs_dir = {directory}/logs
items_dir =
dbs_dir = {directory}/dbs
jobs_to_keep = 5
max_proc = 1
poll_interval = 0.2
"""
# How scrapyd's launcher logs the end of a job's process (exit status 0, or any other).
JOB_ENDS = ("Process finished:", "Process died:")


class ScrapydError(RuntimeError):
    """scrapyd answered `"status": "error"`, exited, or did not get there in time."""


@dataclass
class Scrapyd:
    """A running scrapyd: its base URL, its directory and its process."""

    url: str
    directory: Path
    process: subprocess.Popen[bytes]

    def get(self, endpoint: str, **params: str) -> dict[str, Any]:
        """GET `endpoint` (`listjobs.json`, …) and return its JSON answer."""
        query = f"?{urlencode(params)}" if params else ""
        return _answer(self.url + endpoint + query)

    def post(self, endpoint: str, fields: Sequence[tuple[str, str]]) -> dict[str, Any]:
        """POST form `fields` (a name may repeat, as `setting` does) to `endpoint`."""
        return _answer(self.url + endpoint, urlencode(fields).encode())

    def wait_until_answering(self, timeout: float = 30) -> None:
        """Return once `daemonstatus.json` answers."""

        def answers() -> bool:
            try:
                self.get("daemonstatus.json")
            except OSError:  # refused or reset: not listening yet
                return False
            return True

        self._poll(answers, timeout=timeout, pause=0.05, what="scrapyd to answer")

    def wait_for_job(self, project: str, job: str, timeout: float = 60) -> None:
        """Return once `job` is among the finished jobs of `project`."""

        def finished() -> bool:
            jobs = self.get("listjobs.json", project=project)["finished"]
            return any(entry["id"] == job for entry in jobs)

        self._poll(finished, timeout=timeout, pause=0.1, what=f"job {job} to finish")

    def job_log(self, project: str, spider: str, job: str) -> str:
        """The Scrapy log of a job (scrapyd sets `LOG_FILE` under `logs_dir`)."""
        return (self.directory / "logs" / project / spider / f"{job}.log").read_text("utf-8")

    def end_of(self, job: str) -> str:
        """scrapyd's line on how the job's process ended: "Process finished:" for exit
        status 0, "Process died: exitstatus=N" otherwise; empty while it runs."""
        for line in self.log().splitlines():
            if f"job={job!r}" in line and any(end in line for end in JOB_ENDS):
                return line
        return ""

    def eggs(self, project: str) -> list[Path]:
        """The eggs scrapyd stored for `project`, one per deployed version."""
        return sorted((self.directory / "eggs" / project).glob("*.egg"))

    def log(self) -> str:
        """scrapyd's own log (twistd output, including each job's start and end)."""
        return (self.directory / "scrapyd.log").read_text("utf-8", errors="replace")

    def _poll(self, check: Callable[[], bool], *, timeout: float, pause: float, what: str) -> None:
        """Call `check` until it is true; fail if scrapyd exits or `timeout` passes."""
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                raise self._error(f"timed out after {timeout:.0f} s waiting for {what}")
            try:
                code = self.process.wait(timeout=pause)
            except subprocess.TimeoutExpired:
                continue
            raise self._error(f"scrapyd exited with {code} while waiting for {what}")

    def _error(self, message: str) -> ScrapydError:
        return ScrapydError(f"{message}; scrapyd's log ends:\n{self.log()[-3000:]}")


@contextmanager
def scrapyd_server(directory: Path) -> Iterator[Scrapyd]:
    """Run scrapyd in `directory` (created) on a free 127.0.0.1 port until the block ends."""
    directory.mkdir(parents=True, exist_ok=True)
    server = _start(directory)
    try:
        yield server
    finally:
        stop_process(server.process)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (see the module docstring)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def copy_project(destination: Path) -> Path:
    """Copy the egg's build inputs, so that the build leaves `build/` and `*.egg-info`
    in the copy, not in the work tree that other runs share."""
    destination.mkdir(parents=True)
    for name in BUILD_INPUTS:
        source = PROJECT_ROOT / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(source, destination / name, ignore=ignore)
        else:
            shutil.copy2(source, destination / name)
    return destination


def deploy(project_dir: Path, url: str, project: str) -> subprocess.CompletedProcess[str]:
    """Run `scrapyd-deploy` in `project_dir` against the scrapyd at `url`.

    The target is appended to the copy's scrapy.cfg (scrapyd-deploy takes no URL option).
    `-d` shows the egg build's output, which is otherwise discarded, for a failing build.
    """
    with (project_dir / "scrapy.cfg").open("a", encoding="utf-8") as config:
        config.write(f"\n[deploy:{DEPLOY_TARGET}]\nurl = {url}\n")
    command = [str(Path(sys.executable).with_name("scrapyd-deploy")), DEPLOY_TARGET]
    command += ["-p", project, "-d"]
    env = _isolated_env(project_dir.parent)
    return subprocess.run(
        command, cwd=project_dir, env=env, capture_output=True, text=True, timeout=120
    )


def _isolated_env(home: Path) -> dict[str, str]:
    """The environment of scrapyd and scrapyd-deploy.

    HOME (and TMPDIR, where scrapyd-deploy builds) point into the test's directory, so that a
    developer's `~/.scrapyd.conf` or `~/.scrapy.cfg` cannot steer the run and nothing is left
    outside it. PYTHONPATH and Scrapy's project variables are dropped, so that a job imports
    newscrawl from the deployed egg as it would on a scrapyd host, not from the work tree.
    """
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(home), "PYTHONUNBUFFERED": "1"}
    for name in ("XDG_CONFIG_HOME", "PYTHONPATH", "SCRAPY_SETTINGS_MODULE", "SCRAPY_PROJECT"):
        env.pop(name, None)
    return env


def _start(directory: Path) -> Scrapyd:
    """Start scrapyd and wait until it answers, on a new port if the chosen one was taken."""
    for attempt in range(1, START_ATTEMPTS + 1):
        port = free_port()
        (directory / "scrapyd.conf").write_text(CONFIG.format(port=port, directory=directory))
        env = _isolated_env(directory)
        # The environment also beats any /etc/scrapyd/scrapyd.conf that scrapyd reads.
        env.update(SCRAPYD_BIND_ADDRESS="127.0.0.1", SCRAPYD_HTTP_PORT=str(port))
        # No pidfile: a retry in the same directory must not trip on the last one's.
        command = [sys.executable, "-m", "scrapyd", "--pidfile="]
        with (directory / "scrapyd.log").open("wb") as log:
            process = subprocess.Popen(command, cwd=directory, env=env, stdout=log, stderr=log)
        server = Scrapyd(f"http://127.0.0.1:{port}/", directory, process)
        try:
            server.wait_until_answering()
        except ScrapydError:
            stop_process(process)
            if PORT_IN_USE in server.log() and attempt < START_ATTEMPTS:
                continue
            raise
        return server
    raise AssertionError("unreachable: the last attempt returns or raises")


def _answer(url: str, data: bytes | None = None) -> dict[str, Any]:
    """One request to scrapyd's API; its errors come as HTTP 200 with `"status": "error"`."""
    with urlopen(url, data=data, timeout=30) as response:
        answer: dict[str, Any] = json.loads(response.read())
    if answer.get("status") != "ok":
        raise ScrapydError(f"{url}: {answer.get('message', answer)}")
    return answer
