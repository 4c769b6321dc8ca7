"""Throughput of a distributed run with 1, 2 and 3 workers on a local redis-server.

Each size is one run on a fresh key prefix (an empty archive): a seeding worker, then
N − 1 joiners, all `scrapy crawl tistory` with every default pipeline and the export, each at
the benchmark's concurrency. The crawl time runs from the seeder's engine start to the moment
the run went idle: the last worker's finish minus the idle wait every worker makes at the end
(`NEWSCRAWL_REDIS_IDLE_SECONDS`), so process start-up and the idle tail are not counted.
The union of the workers' exports is checked to hold every post exactly once.

The listing walk runs on the seeder alone; `--lookahead` (NEWSCRAWL_LISTING_LOOKAHEAD,
the project's default when not given) shows whether it keeps ahead of more workers.

    python -m bench.workers [--posts 5000] [--concurrency 16] [--lookahead N]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import redis

from bench.site import BenchSite, bench_site
from newscrawl.redisserver import redis_server, redis_server_path
from newscrawl.testing import PROJECT_ROOT, crawl_env

WORK = PROJECT_ROOT / "bench" / "work"
IDLE_SECONDS = 1.0
COUNTS = (1, 2, 3)
_TIME = r"datetime\.datetime\(([\d, ]+?)(?:, tzinfo=[^)]*)?\)"


def available() -> bool:
    return redis_server_path() is not None


def scaling(site: BenchSite, concurrency: int, lookahead: int | None = None) -> dict[str, Any]:
    """Pages/s with 1, 2 and 3 workers, and the ratios 2/1 and 3/1."""
    extra = {} if lookahead is None else {"NEWSCRAWL_LISTING_LOOKAHEAD": str(lookahead)}
    with redis_server(WORK / "redis") as url:
        rates = {}
        for count in COUNTS:
            rates[count] = distributed_run(site, url, count, concurrency, extra)
            print(f"  {count} worker(s): {rates[count]['pages_per_s']:.0f} pages/s", flush=True)
    one = rates[1]["pages_per_s"]
    return {
        "measured": True,
        "listing_lookahead": lookahead,
        "runs": {str(count): run for count, run in rates.items()},
        "ratio_2_1": round(rates[2]["pages_per_s"] / one, 2),
        "ratio_3_1": round(rates[3]["pages_per_s"] / one, 2),
    }


def distributed_run(
    site: BenchSite, url: str, count: int, concurrency: int, extra: dict[str, str]
) -> dict[str, Any]:
    archive = WORK / f"workers-{site.posts}-{count}"
    shutil.rmtree(archive, ignore_errors=True)
    archive.mkdir(parents=True)
    prefix = f"bench{count}-{time.time_ns()}"
    settings = {**_settings(url, prefix, archive, concurrency), **extra}
    processes = [_start(site, settings, archive, "w1", seed=True)]
    client = redis.Redis.from_url(url)
    while not client.exists(f"{prefix}:run"):
        if processes[0].poll() is not None:
            raise RuntimeError(f"the seeding worker failed; see {archive / 'w1.log'}")
        time.sleep(0.02)
    for number in range(2, count + 1):
        processes.append(_start(site, settings, archive, f"w{number}"))
    if any(process.wait() for process in processes):
        raise RuntimeError(f"a worker failed; see the logs in {archive}")
    return _measure(archive, count, site.posts)


def _settings(url: str, prefix: str, archive: Path, concurrency: int) -> dict[str, str]:
    return {
        "CONCURRENT_REQUESTS": str(concurrency),
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(concurrency),
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        "LOG_LEVEL": "INFO",
        "NEWSCRAWL_REDIS_URL": url,
        "NEWSCRAWL_REDIS_PREFIX": prefix,
        "NEWSCRAWL_REDIS_IDLE_SECONDS": str(IDLE_SECONDS),
        "NEWSCRAWL_EXPORT_DIR": str(archive / "out"),
        "NEWSCRAWL_MAX_LISTING_PAGES": "1000000",
    }


def _start(
    site: BenchSite, settings: dict[str, str], archive: Path, worker: str, *, seed: bool = False
) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "scrapy", "crawl", "tistory"]
    command += ["-a", f"url={site.category_url}"] if seed else ["-a", "join=1"]
    for name, value in {**settings, "NEWSCRAWL_WORKER_ID": worker}.items():
        command += ["-s", f"{name}={value}"]
    with (archive / f"{worker}.log").open("wb") as log:
        return subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=crawl_env(), stdout=subprocess.DEVNULL, stderr=log
        )


def _measure(archive: Path, count: int, posts: int) -> dict[str, Any]:
    """Pages and crawl seconds from the workers' stats; every post exported exactly once."""
    logs = [
        (archive / f"w{number}.log").read_text(errors="replace") for number in range(1, count + 1)
    ]
    pages = [_int_stat(log, "downloader/response_count") for log in logs]
    started = _time_stat(logs[0], "start_time")
    finished = max(_time_stat(log, "finish_time") for log in logs)
    seconds = (finished - started).total_seconds() - IDLE_SECONDS
    exported = Counter(
        orjson.loads(raw)["id"]
        for export in (archive / "out" / "tistory").glob("*.jsonl")
        for raw in export.read_bytes().splitlines()
    )
    if len(exported) != posts or max(exported.values()) != 1:
        raise RuntimeError(f"{count} workers: not every post exactly once ({archive})")
    return {
        "pages": sum(pages),
        "pages_per_worker": pages,
        "seconds": round(seconds, 2),
        "pages_per_s": round(sum(pages) / seconds, 1),
    }


def _int_stat(log: str, name: str) -> int:
    match = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(match.group(1)) if match else 0


def _time_stat(log: str, name: str) -> datetime:
    match = re.search(rf"'{re.escape(name)}': {_TIME}", log)
    if match is None:
        raise RuntimeError(f"no {name} in a worker's stats")
    year, month, day, hour, minute, second, micro = (
        [int(part) for part in match.group(1).split(",")] + [0] * 7
    )[:7]
    return datetime(year, month, day, hour, minute, second, micro)


def row(results: dict[str, Any]) -> str:
    """The README table's value for the workers measure."""
    measured = results.get("workers") or {}
    if not measured.get("measured"):
        return "not measured: " + measured.get("why", "no redis-server")
    rates = ", ".join(
        f"{count}: {run['pages_per_s']:.0f}" for count, run in measured["runs"].items()
    )
    return f"{measured['ratio_2_1']:.2f}; 3 / 1: {measured['ratio_3_1']:.2f} (pages/s {rates})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--lookahead", type=int, default=None)
    args = parser.parse_args(argv)
    if not available():
        print("redis-server is not installed", file=sys.stderr)
        return 1
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"generating and serving {args.posts} posts…", flush=True)
    with bench_site(args.posts, WORK) as site:
        result = scaling(site, args.concurrency, args.lookahead)
    print(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
