"""`make bench`: how fast newscrawl crawls, against what Scrapy itself does on the same pages.

Every figure that judges newscrawl is a ratio measured in this one run (absolute timings on
a shared 2-core machine are noise): the full crawl against a bare Scrapy spider, alternated
A/B/A/B; an incremental re-run against the first run; our dates against dateparser; peak
memory at two blog sizes; with a redis-server installed, a distributed run with 1, 2 and 3
workers (`bench.workers`). Results go to `bench/results.json` and a table on stdout.

    python -m bench.run [--posts 10000] [--rounds 3] [--concurrency 16] [--no-workers]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from bench import measure, workers
from bench.site import BenchSite, bench_site, raw_fetch_rate
from newscrawl.testing import PROJECT_ROOT, crawl_env, high_water_kb

WORK = PROJECT_ROOT / "bench" / "work"
RESULTS = PROJECT_ROOT / "bench" / "results.json"
BARE_SPIDER = PROJECT_ROOT / "bench" / "bare_spider.py"
TARGETS = {
    "full_vs_bare": 0.75,
    "parse_ms": 1.0,
    "dates_speedup": 100,
    "rss_growth_mb": 50,
    "rerun_time_fraction": 0.02,
    "two_workers_scaling": 1.8,
}


@dataclass
class CrawlRun:
    """One measured crawl subprocess."""

    pages: int
    seconds: float
    wall_seconds: float
    peak_rss_mb: float
    requests: int
    exit_status: int

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def speed_settings(concurrency: int) -> dict[str, str]:
    """The same network settings for both crawls: no politeness delays on 127.0.0.1."""
    return {
        "CONCURRENT_REQUESTS": str(concurrency),
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(concurrency),
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        "ROBOTSTXT_OBEY": "True",
        "TELNETCONSOLE_ENABLED": "False",
        "LOG_LEVEL": "INFO",
    }


def measured(command: list[str], cwd: Path, log: Path) -> CrawlRun:
    """Run a crawl; read its stats dump, wall time and peak RSS.

    Peak RSS is the child's `VmHWM`, polled: `ru_maxrss` would be useless here, since Linux
    carries a process's high-water mark across `exec`, so a crawl forked from this big
    process (it rendered the site) would report our size, not its own.
    """
    started = time.perf_counter()
    peak_kb = 0
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            command, cwd=cwd, env=crawl_env(), stdout=subprocess.DEVNULL, stderr=stderr
        )
        while process.poll() is None:
            peak_kb = max(peak_kb, high_water_kb(process.pid))
            time.sleep(0.05)
    wall = time.perf_counter() - started
    text = log.read_text(encoding="utf-8", errors="replace")
    return CrawlRun(
        pages=_stat(text, "downloader/response_count"),
        seconds=float(_stat(text, "elapsed_time_seconds", float)),
        wall_seconds=wall,
        peak_rss_mb=peak_kb / 1024,
        requests=_stat(text, "downloader/request_count"),
        exit_status=process.returncode,
    )


def _stat(log: str, name: str, kind: type = int) -> Any:
    match = re.search(rf"'{re.escape(name)}': ([\d.]+)", log)
    return kind(match.group(1)) if match else kind(0)


def bare_crawl(site: BenchSite, concurrency: int) -> CrawlRun:
    """The baseline spider, run outside the project so no newscrawl setting applies."""
    with tempfile.TemporaryDirectory(prefix="bench-bare-") as directory:
        command = [sys.executable, "-m", "scrapy", "runspider", str(BARE_SPIDER)]
        command += ["-a", f"url={site.category_url}"]
        for name, value in speed_settings(concurrency).items():
            command += ["-s", f"{name}={value}"]
        return measured(command, Path(directory), Path(directory) / "crawl.log")


def full_crawl(site: BenchSite, concurrency: int, archive: Path) -> CrawlRun:
    """`scrapy crawl tistory` with every default pipeline and the export, in the project."""
    settings = {
        **speed_settings(concurrency),
        "NEWSCRAWL_EXPORT_DIR": str(archive / "out"),
        "NEWSCRAWL_STATE_DIR": str(archive / "state"),
        "NEWSCRAWL_MAX_LISTING_PAGES": "1000000",
    }
    command = [sys.executable, "-m", "scrapy", "crawl", "tistory", "-a", f"url={site.category_url}"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    run = measured(command, PROJECT_ROOT, archive / "crawl.log")
    if run.exit_status:
        raise RuntimeError(f"the full crawl failed; see {archive / 'crawl.log'}")
    return run


def alternate(site: BenchSite, rounds: int, concurrency: int) -> dict[str, Any]:
    """A/B/A/B: bare, full, bare, full… so that drift in the machine hits both alike."""
    bare: list[CrawlRun] = []
    full: list[CrawlRun] = []
    archives = []
    for number in range(rounds):
        bare.append(bare_crawl(site, concurrency))
        archive = WORK / f"archive-{site.posts}-{number}"
        shutil.rmtree(archive, ignore_errors=True)
        archive.mkdir(parents=True)
        archives.append(archive)
        full.append(full_crawl(site, concurrency, archive))
        print(
            f"  round {number + 1}: bare {bare[-1].pages_per_second:.0f} pages/s, "
            f"full {full[-1].pages_per_second:.0f} pages/s",
            flush=True,
        )
    rerun = full_crawl(site, concurrency, archives[-1])
    bare_rate = statistics.median(run.pages_per_second for run in bare)
    full_rate = statistics.median(run.pages_per_second for run in full)
    return {
        "bare_pages_per_s": [round(run.pages_per_second, 1) for run in bare],
        "full_pages_per_s": [round(run.pages_per_second, 1) for run in full],
        "bare_median": round(bare_rate, 1),
        "full_median": round(full_rate, 1),
        "full_vs_bare": round(full_rate / bare_rate, 3),
        "pages_per_crawl": full[-1].pages,
        "full_peak_rss_mb": round(max(run.peak_rss_mb for run in full), 1),
        "rerun": {
            "requests": rerun.requests,
            "seconds": round(rerun.seconds, 3),
            "wall_seconds": round(rerun.wall_seconds, 2),
            "time_fraction": round(rerun.seconds / full[-1].seconds, 4),
            "wall_fraction": round(rerun.wall_seconds / full[-1].wall_seconds, 4),
        },
        "site_dates": _exported_dates(archives[0]),
    }


def _exported_dates(archive: Path) -> list[str]:
    """The raw date strings the crawl found on the generated pages."""
    found = []
    for export in sorted((archive / "out" / "tistory").glob("*.jsonl")):
        for raw in export.read_bytes().splitlines():
            line = orjson.loads(raw)
            found += [line[key] for key in ("published_raw", "modified_raw") if line.get(key)]
    return found[:2000]


def memory_point(posts: int, concurrency: int) -> float:
    """Peak RSS (MB) of one full crawl of a blog of `posts` posts."""
    with bench_site(posts, WORK) as site:
        archive = WORK / f"memory-{posts}"
        shutil.rmtree(archive, ignore_errors=True)
        archive.mkdir(parents=True)
        return round(full_crawl(site, concurrency, archive).peak_rss_mb, 1)


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import scrapy

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "scrapy": scrapy.__version__,
        "platform": platform.platform(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--workers",
        action=argparse.BooleanOptionalAction,
        default=workers.available(),
        help="measure 1, 2 and 3 workers on a local redis-server (default: when installed)",
    )
    args = parser.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"machine": machine(), "posts": args.posts, "targets": TARGETS}
    print(f"generating and serving {args.posts} posts…", flush=True)
    with bench_site(args.posts, WORK) as site:
        results["server"] = site.server
        results["raw_fetch_pages_per_s"] = round(raw_fetch_rate(site, args.concurrency), 1)
        print(f"server: {site.server}; raw fetch {results['raw_fetch_pages_per_s']} pages/s")
        crawl = alternate(site, args.rounds, args.concurrency)
        if args.workers:
            print("workers on Redis…", flush=True)
            results["workers"] = workers.scaling(site, args.concurrency)
        else:
            why = "--no-workers" if workers.available() else "redis-server is not installed"
            results["workers"] = {"measured": False, "why": why}
    site_dates = crawl.pop("site_dates")
    results["crawl"] = crawl
    print("dates and parser…", flush=True)
    results["dates"] = measure.dates(site_dates)
    results["article_parse"] = measure.article_parse()
    print("memory…", flush=True)
    points = {1000: memory_point(1000, args.concurrency), args.posts: crawl["full_peak_rss_mb"]}
    if args.posts < 10_000:
        points[10_000] = memory_point(10_000, args.concurrency)
    results["peak_rss_mb"] = {str(posts): mb for posts, mb in sorted(points.items())}
    results["rss_growth_mb"] = round(max(points.values()) - points[1000], 1)
    RESULTS.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
    print(table(results))
    print(f"\nwritten to {RESULTS.relative_to(PROJECT_ROOT)}")
    return 0


def table(results: dict[str, Any]) -> str:
    """The Markdown table the README shows."""
    lines = ["| measure | result | target |", "|---|---|---|"]
    lines += [f"| {name} | {value} | {target} |" for name, value, target in _rows(results)]
    box = results["machine"]
    lines.append(
        f"\n{results['posts']} posts; {box['cpus']} CPUs, {box['memory_gb']} GB, "
        f"Python {box['python']}, Scrapy {box['scrapy']}, {box['date']}"
    )
    return "\n".join(lines)


def _rows(results: dict[str, Any]) -> list[tuple[str, str, str]]:
    crawl, rerun = results["crawl"], results["crawl"]["rerun"]
    parse = " / ".join(
        f"{skin} {value['median_ms']:.2f} ms" for skin, value in results["article_parse"].items()
    )
    memory = ", ".join(f"{n} posts {mb:.0f} MB" for n, mb in results["peak_rss_mb"].items())
    server = f"{results['server']}, {results['raw_fetch_pages_per_s']:.0f} pages/s"
    return [
        ("server / raw fetch", server, ""),
        ("bare Scrapy spider", f"{crawl['bare_median']:.0f} pages/s", ""),
        ("full newscrawl crawl", f"{crawl['full_median']:.0f} pages/s", ""),
        ("full / bare", f"{crawl['full_vs_bare']:.2f}", f"≥ {TARGETS['full_vs_bare']}"),
        ("article parse (median, ~60 KB)", parse, f"≤ {TARGETS['parse_ms']} ms"),
        ("dates, mixed list", _dates(results["dates"].get("mixed")), "≥ 100×, 100 %"),
        ("dates, this site", _dates(results["dates"].get("site")), ""),
        ("peak RSS", memory, ""),
        ("RSS growth", f"{results['rss_growth_mb']:.0f} MB", "≤ 50 MB (1,000 → 100,000)"),
        (
            "unchanged re-run",
            f"{rerun['requests']} requests, {rerun['time_fraction']:.2%} of the first run's "
            f"crawl time ({rerun['wall_fraction']:.1%} of its wall time, start-up included)",
            "≤ categories + robots.txt, ≤ 2 %",
        ),
        ("2 workers / 1 (Redis)", workers.row(results), f"≥ {TARGETS['two_workers_scaling']}"),
    ]


def _dates(report: dict[str, Any] | None) -> str:
    if not report:
        return "–"
    agreement = report["agreement"]
    agreed = (
        f"agreement {agreement:.0%}"
        if agreement is not None
        else "dateparser reads none of them"  # the compact `20180522183451` form, say
    )
    return (
        f"{report['ours_us']:.1f} µs vs dateparser {report['dateparser_us']:.0f} µs = "
        f"{report['speedup']:.0f}×, {agreed}"
    )


if __name__ == "__main__":
    sys.exit(main())
