"""Scheduled runs under scrapyd: deploy the project to a real scrapyd, crawl through its API.

scrapyd (the PyPI package) runs on a free 127.0.0.1 port in a throw-away directory
(`scrapyd_server.py`); `scrapyd-deploy` builds the egg from a copy of the project and
uploads it; `schedule.json` starts a crawl of the sample blog with every output directory in
that directory. The expected posts come from the sample blog's own data, as in
test_crawl_e2e.py.
"""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from urllib.parse import quote

import pytest
from scrapyd_server import Scrapyd, copy_project, deploy, scrapyd_server

from newscrawl.sampleblog import POSTS, SEED_CATEGORY, Post
from newscrawl.testing import LOCAL_FAST_SETTINGS, sample_blog

PROJECT = "newscrawl"
SPIDER = "tistory"


def posts_in(category: str) -> dict[str, Post]:
    """The sample blog's posts of `category` and its subcategories, by post id."""
    return {
        str(post.id): post
        for post in POSTS
        if post.category == category or post.category.startswith(category + "/")
    }


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scrapyd")


@pytest.fixture(scope="module")
def scrapyd(work: Path) -> Iterator[Scrapyd]:
    """A scrapyd with the project deployed to it by `scrapyd-deploy`."""
    with scrapyd_server(work / "server") as server:
        result = deploy(copy_project(work / "project"), server.url, PROJECT)
        if result.returncode != 0:
            pytest.fail(
                f"scrapyd-deploy exited {result.returncode} (it builds the egg with this "
                f"environment's setuptools {version('setuptools')}):\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        yield server


def test_deploy_registers_the_spider(scrapyd: Scrapyd) -> None:
    assert scrapyd.get("listprojects.json")["projects"] == [PROJECT]
    assert SPIDER in scrapyd.get("listspiders.json", project=PROJECT)["spiders"]


def test_egg_holds_every_file_of_the_package(scrapyd: Scrapyd, work: Path) -> None:
    """Modules and package data (the export schema) travel in the egg; scrapyd has no
    source tree to fall back on."""
    (egg,) = scrapyd.eggs(PROJECT)
    with zipfile.ZipFile(egg) as archive:
        packed = set(archive.namelist())
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    source = work / "project"
    files = {path.relative_to(source).as_posix() for path in source.glob("newscrawl/**/*.*")}
    files = {name for name in files if "__pycache__" not in name and not name.endswith(".pyc")}
    assert "newscrawl/schema/article.schema.json" in files
    assert files <= packed, sorted(files - packed)
    assert "[scrapy]\nsettings = newscrawl.settings" in entry_points


def test_scheduled_crawl_exports_every_post_of_the_category(scrapyd: Scrapyd, work: Path) -> None:
    out, state = work / "out", work / "state"
    settings = {**LOCAL_FAST_SETTINGS, "NEWSCRAWL_EXPORT_DIR": str(out)}
    settings["NEWSCRAWL_STATE_DIR"] = str(state)
    with sample_blog() as base_url:
        url = f"{base_url.rstrip('/')}/category/{quote(SEED_CATEGORY)}"
        fields = [("project", PROJECT), ("spider", SPIDER), ("url", url)]
        fields += [("setting", f"{name}={value}") for name, value in settings.items()]
        job = scrapyd.post("schedule.json", fields)["jobid"]
        scrapyd.wait_for_job(PROJECT, job)

    log = scrapyd.job_log(PROJECT, SPIDER, job)
    assert "Traceback" not in log, log[-3000:]
    # Our crawl command exits non-zero when the run is unhealthy; scrapyd logs that as died.
    assert "Process finished:" in scrapyd.end_of(job), scrapyd.log()[-3000:]
    files = list((out / SPIDER).glob("*.jsonl"))
    assert len(files) == 1, files
    items = [json.loads(line) for line in files[0].read_text(encoding="utf-8").splitlines()]
    counts = Counter(item["post_id"] for item in items)
    assert set(counts) == set(posts_in(SEED_CATEGORY)), "missing or foreign posts"
    assert max(counts.values()) == 1, "a post was exported twice"
    assert any(state.iterdir()), "the archive state must live where NEWSCRAWL_STATE_DIR says"
