"""Distributed runs on a real Redis: several `scrapy crawl` workers, one crawl, each post once.

Every worker is a real `scrapy crawl` subprocess against the sample blog served from this
process; Redis is a real redis-server (`redis_url`, started once per session), and each test
uses its own key prefix, so tests never see each other's runs. Expected posts come from the
sample blog's data. The seeder fetches slowly (it also walks the listing) and the joiners
faster, so that the run lasts long enough for every worker to share it even on a busy
machine; they stop by themselves after 1.5 s of idle run.
"""

from __future__ import annotations

import json
import secrets
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest
import redis
from export_checks import assert_valid_export
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.statscollectors import StatsCollector
from scrapy.utils.project import get_project_settings

from newscrawl.distributed.addon import RedisAddon
from newscrawl.redisserver import free_port
from newscrawl.sampleblog import POSTS
from newscrawl.sampleblog.server import live_blog
from newscrawl.scope import Scope, ScopeMiddleware
from newscrawl.testing import PROJECT_ROOT, crawl_command, crawl_env, run_crawl

# The crawls here keep near-duplicate marking on (tests/conftest.py): its interplay with
# the rest of the crawl is tested end to end.
pytestmark = pytest.mark.near_duplicates

ALL_POSTS = {str(post.id) for post in POSTS}
WORKER_TTL = "2"
POLL_DEADLINE = 60


@dataclass
class Cluster:
    """One archive on Redis (a key prefix) and the export directory its workers share."""

    root: Path
    redis_url: str
    prefix: str = field(default_factory=lambda: f"t{secrets.token_hex(4)}")
    workers: dict[str, subprocess.Popen[str]] = field(default_factory=dict)

    @property
    def out(self) -> Path:
        return self.root / "out" / "tistory"

    @property
    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.redis_url, decode_responses=True)

    def settings(self, worker: str, **more: str) -> dict[str, str]:
        return {
            "NEWSCRAWL_REDIS_URL": self.redis_url,
            "NEWSCRAWL_REDIS_PREFIX": self.prefix,
            "NEWSCRAWL_WORKER_ID": worker,
            "NEWSCRAWL_REDIS_IDLE_SECONDS": "1.5",
            "NEWSCRAWL_REDIS_WORKER_TTL": WORKER_TTL,
            "NEWSCRAWL_EXPORT_DIR": str(self.root / "out"),
            "NEWSCRAWL_STATE_DIR": str(self.root / "state"),  # must stay unused
            "NEWSCRAWL_EXPORT_BATCH_ITEMS": "2",
            "DOWNLOAD_DELAY": "0.1",
            "CONCURRENT_REQUESTS_PER_DOMAIN": "2",
            **more,
        }

    def start(self, worker: str, arguments: dict[str, str], **more: str) -> subprocess.Popen[str]:
        log = (self.root / f"{worker}.log").open("w")
        process = subprocess.Popen(
            crawl_command("tistory", arguments, self.settings(worker, **more)),
            cwd=PROJECT_ROOT,
            env=crawl_env(),
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
        )
        log.close()
        self.workers[worker] = process
        return process

    def seed(self, worker: str, url: str) -> subprocess.Popen[str]:
        """Start the seeding worker and wait until its run is registered in Redis."""
        process = self.start(
            worker, {"url": url}, DOWNLOAD_DELAY="0.3", CONCURRENT_REQUESTS_PER_DOMAIN="1"
        )
        wait_for(lambda: bool(self.client.exists(f"{self.prefix}:run")), process, self.log(worker))
        return process

    def log(self, worker: str) -> Callable[[], str]:
        return lambda: (self.root / f"{worker}.log").read_text()[-3000:]

    def wait_all(self) -> None:
        """Every worker ends by itself, healthy (exit 0), with no traceback."""
        for worker, process in self.workers.items():
            assert process.wait(timeout=120) == 0, self.log(worker)()
            assert "Traceback" not in self.log(worker)()
        self.workers.clear()

    def exported_ids(self) -> Counter[str]:
        """Post ids over every finished export of every worker (each line checked)."""
        lines = []
        for export in sorted(self.out.glob("*.jsonl")):
            raw = export.read_text(encoding="utf-8")
            assert raw == "" or raw.endswith("\n"), f"{export.name} ends in a torn line"
            lines += [json.loads(text) for text in raw.splitlines()]
        assert_valid_export(lines)
        return Counter(line["post_id"] for line in lines)

    def manifests(self) -> list[dict]:
        return [json.loads(path.read_text()) for path in sorted(self.out.glob("*.manifest.json"))]


def wait_for(
    condition: Callable[[], bool],
    process: subprocess.Popen[str] | None = None,
    log: Callable[[], str] = str,
) -> None:
    """Poll until `condition()` holds; fail with the worker's log if it ends first."""
    deadline = time.monotonic() + POLL_DEADLINE
    while not condition():
        assert process is None or process.poll() is None, f"worker ended early:\n{log()}"
        assert time.monotonic() < deadline, f"condition never reached:\n{log()}"
        time.sleep(0.02)


@pytest.fixture
def cluster(tmp_path: Path, redis_url: str) -> Iterator[Cluster]:
    made = Cluster(tmp_path, redis_url)
    yield made
    for process in made.workers.values():  # a failed test must not leave workers behind
        if process.poll() is None:
            process.kill()
            process.wait()
    assert not (tmp_path / "state").exists(), "a distributed worker used the SQLite state"


@pytest.fixture
def blog(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    log = tmp_path / "requests.log"
    with live_blog(request_log=log) as served:
        yield served.url + "category", log


def listing_requests(log: Path) -> int:
    return sum(" /category" in line for line in log.read_text().splitlines())


def test_three_workers_export_every_post_once_and_the_next_night_nothing(
    cluster: Cluster, blog: tuple[str, Path]
) -> None:
    url, requests = blog
    cluster.seed("w1", url)
    cluster.start("w2", {"join": "1"})
    cluster.start("w3", {"join": "1"})
    refused = run_crawl("tistory", {"url": url}, settings=cluster.settings("w4"))
    assert refused.returncode == 1
    [message] = [line for line in refused.stderr.splitlines() if "newscrawl: error" in line]
    assert "already going on" in message and "scrapy crawl tistory -a join=1" in message
    cluster.wait_all()
    exported = cluster.exported_ids()
    assert set(exported) == ALL_POSTS and max(exported.values()) == 1
    by_worker = {
        m["run_id"].split("_", 1)[1]: m["counts"]["items_exported"] for m in cluster.manifests()
    }
    assert set(by_worker) == {"w1", "w2", "w3"}  # file names carry the worker id
    assert sum(by_worker.values()) == len(ALL_POSTS)
    assert sum(1 for count in by_worker.values() if count) >= 2, by_worker
    assert not list(cluster.out.glob("*.part"))
    assert not cluster.client.keys(f"{cluster.prefix}:run*")  # the run cleaned up after itself

    listed_before = listing_requests(requests)
    cluster.seed("w1", url)
    cluster.start("w2", {"join": "1"})
    cluster.wait_all()
    assert cluster.exported_ids() == exported
    assert listing_requests(requests) > listed_before  # the dupefilter did not leak


def test_a_killed_worker_loses_nothing_and_the_next_run_exports_exactly_the_rest(
    cluster: Cluster, blog: tuple[str, Path]
) -> None:
    url, _requests = blog
    cluster.seed("w1", url)
    victim = cluster.start("w2", {"join": "1"})
    cluster.start("w3", {"join": "1"})
    # Kill point: w2 has exported lines and holds requests it has not finished downloading.
    leases = f"{cluster.prefix}:run:*:leases:w2#*"
    wait_for(
        lambda: (
            part_lines(cluster.out, "w2") >= 2
            and any(cluster.client.zcard(key) for key in cluster.client.keys(leases))
        ),
        victim,
        cluster.log("w2"),
    )
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    del cluster.workers["w2"]
    cluster.wait_all()
    survivors = cluster.exported_ids()
    assert max(survivors.values()) == 1
    [part] = cluster.out.glob("*_w2.jsonl.part")  # the kill left w2's part
    # The requests w2 held (waiting in its downloader) went back to the queue once its
    # heartbeat expired, and the others fetched them: all that is missing now is what w2
    # had on disk (its part) and the posts it was parsing when it died (at most one per
    # download lane, CONCURRENT_REQUESTS_PER_DOMAIN=2).
    assert any("requests of a dead worker queued again" in cluster.log(w)() for w in ("w1", "w3"))
    on_disk = {
        json.loads(raw)["post_id"]
        for raw in part.read_bytes().splitlines(keepends=True)
        if raw.endswith(b"\n")
    }
    assert len(ALL_POSTS - set(survivors) - on_disk) <= 2
    # The next run starts once w2's heartbeat has expired (it is dead, not slow): it recovers
    # w2's part on this machine and fetches what w2 was parsing, still pending in the state.
    wait_for(lambda: not cluster.client.keys(f"{cluster.prefix}:alive:w2#*"))
    cluster.seed("w4", url)
    cluster.wait_all()
    every = cluster.exported_ids()
    assert set(every) == ALL_POSTS and max(every.values()) == 1
    assert not list(cluster.out.glob("*.part"))
    [recovered] = [m for m in cluster.manifests() if m["finish_reason"] == "recovered"]
    assert recovered["run_id"].endswith("_w2")
    assert recovered["counts"]["items_exported"] >= 2  # w2's lines on disk were kept


def part_lines(out: Path, worker: str) -> int:
    total = 0
    for path in out.glob(f"*_{worker}.jsonl.part"):
        with suppress(FileNotFoundError):
            total += path.read_bytes().count(b"\n")
    return total


def test_unreachable_redis_is_one_line_and_exit_1(tmp_path: Path) -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"
    result = run_crawl(
        "tistory",
        {"url": "http://127.0.0.1:9/category"},
        settings={
            "NEWSCRAWL_REDIS_URL": dead,
            "NEWSCRAWL_EXPORT_DIR": str(tmp_path / "out"),
            "NEWSCRAWL_STATE_DIR": str(tmp_path / "state"),
        },
    )
    assert result.returncode == 1
    [message] = [line for line in result.stderr.splitlines() if line.startswith("newscrawl:")]
    assert message.startswith(f"newscrawl: error: cannot reach Redis at {dead}")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "state").exists()


def test_joining_needs_redis_and_takes_no_url(tmp_path: Path) -> None:
    settings = {"NEWSCRAWL_STATE_DIR": str(tmp_path / "state")}
    both = run_crawl("tistory", {"join": "1", "url": "http://127.0.0.1:9/category"}, settings)
    assert both.returncode == 2 and "join=1 takes no url" in both.stderr
    alone = run_crawl("tistory", {"join": "1"}, settings)
    assert alone.returncode == 1 and "set NEWSCRAWL_REDIS_URL" in alone.stderr
    assert "Traceback" not in alone.stderr + both.stderr


def test_a_joining_worker_keeps_to_the_scope_of_the_runs_start_urls() -> None:
    """A joiner makes no start request to learn its scope from: it takes the run's URLs."""
    middleware = ScopeMiddleware(Scope(), StatsCollector(Crawler(Spider)))
    joiner = SimpleNamespace(joining=True, arguments={"url": "http://127.0.0.1:8123/category"})
    middleware.spider_opened(joiner)  # type: ignore[arg-type]
    assert middleware.process_request(Request("http://127.0.0.1:8123/7")) is None
    for elsewhere in ("http://169.254.169.254/latest", "http://127.0.0.1:9999/7"):
        with pytest.raises(IgnoreRequest):
            middleware.process_request(Request(elsewhere))


def test_the_addon_switches_to_redis_only_with_a_url_and_keeps_chosen_values() -> None:
    local = get_project_settings()
    RedisAddon.update_pre_crawler_settings(local)
    assert local["SCHEDULER"] == "scrapy.core.scheduler.Scheduler"
    assert local["NEWSCRAWL_STATE_BACKEND"] == "newscrawl.state.sqlite.SqliteStateStore"
    distributed = get_project_settings()
    distributed.set("NEWSCRAWL_REDIS_URL", "redis://127.0.0.1:1/0", "cmdline")
    distributed.set("NEWSCRAWL_WORKER_ID", "web 1/a", "cmdline")
    RedisAddon.update_pre_crawler_settings(distributed)
    assert distributed["SCHEDULER"] == "newscrawl.distributed.scheduler.DistributedScheduler"
    assert distributed["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert distributed["REDIS_URL"] == "redis://127.0.0.1:1/0"
    assert distributed["NEWSCRAWL_STATE_BACKEND"] == "newscrawl.state.redis.RedisStateStore"
    assert distributed["NEWSCRAWL_WORKER_ID"] == "web-1-a"
    assert distributed.getint("NEWSCRAWL_LISTING_LOOKAHEAD") == 12
    chosen = get_project_settings()
    chosen.set("NEWSCRAWL_REDIS_URL", "redis://127.0.0.1:1/0", "cmdline")
    chosen.set("NEWSCRAWL_LISTING_LOOKAHEAD", "3", "cmdline")
    RedisAddon.update_pre_crawler_settings(chosen)
    assert chosen.getint("NEWSCRAWL_LISTING_LOOKAHEAD") == 3
