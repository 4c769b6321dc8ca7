"""Fault suite, scope: redirects, robots.txt, sitemap traps, hostile names and arguments.

The crawl must not wander: no redirect loop followed round and round, no request to another
host, port or private address, nothing robots.txt forbids, no endless sitemap index, and no
file written outside its export and state directories whatever the category names, the
arguments or the server's pages say.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fault_runs import TRAVEL, Archive, category_url, crawl_faulty, healthy, outside

from newscrawl.faultserver import Body, FaultBlog, Generated, Redirect, fault_blog
from newscrawl.faultserver import pages as hostile
from newscrawl.testing import PROJECT_ROOT, crawl_command, crawl_env

POST = 25
PATH = f"/{POST}"
XML = "application/xml"


@pytest.fixture
def blog() -> Iterator[FaultBlog]:
    with fault_blog() as served:
        yield served


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    return Archive(tmp_path)


def _next_hop(target: str) -> str:
    """`/25` → `/25?hop=1` → `/25?hop=2` …: a chain that never repeats a URL."""
    path, _, hop = target.partition("?hop=")
    return f"{path}?hop={int(hop or 0) + 1}"


REFRESH_TO_ITSELF = f'<html><head><meta http-equiv="refresh" content="0;url={PATH}"></head></html>'
REDIRECT_LOOPS = {
    "redirect-to-itself": ({PATH: Redirect(to=PATH)}, "redirect_loop"),
    "redirect-cycle": (
        {PATH: Redirect(to=f"{PATH}?x=1"), f"{PATH}?x=1": Redirect(to=PATH, code=301)},
        "redirect_loop",
    ),
    "meta-refresh-to-itself": ({PATH: Body(body=REFRESH_TO_ITSELF.encode())}, "redirect_loop"),
    "endless-fresh-redirects": ({PATH: Redirect(to=_next_hop)}, "too_many_redirects"),
}


@pytest.mark.parametrize("name", REDIRECT_LOOPS)
def test_redirect_loop_fails_the_post_and_is_counted(
    blog: FaultBlog, archive: Archive, name: str
) -> None:
    faults, error = REDIRECT_LOOPS[name]
    blog.faults.update(faults)
    run = crawl_faulty(archive, category_url(blog))
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.exported == healthy(TRAVEL, POST)
    assert run.errors[error] == 1 and run.errors["article_failed"] == 1
    assert len(blog.hits_on(PATH)) <= 21  # REDIRECT_MAX_TIMES (20) hops at most


def test_redirects_out_of_scope_are_not_followed(blog: FaultBlog, archive: Archive) -> None:
    port = blog.url.rsplit(":", 1)[1].rstrip("/")
    with fault_blog(host="127.0.0.2") as other_host, fault_blog() as other_port:
        away = {
            "/25": "http://example.com/25",  # another host
            "/28": f"{other_host.url}28",  # another loopback address
            "/31": f"http://localhost:{port}/31",  # the same server by another name
            "/32": f"{other_port.url}32",  # the same host, another port
            "/34": "http://169.254.169.254/latest/meta-data/",  # link-local (cloud metadata)
        }
        for path, location in away.items():
            blog.faults[path] = Redirect(to=location)
        run = crawl_faulty(archive, category_url(blog))
        assert other_host.hits == [] and other_port.hits == []  # not even robots.txt
    assert run.returncode == 0, run.stderr[-3000:]  # 15 requests: too few to judge the rate
    assert run.exported == healthy(TRAVEL, 25, 28, 31, 32, 34)
    assert run.errors["out_of_scope:other_host"] == 1
    assert run.errors["out_of_scope:private_address"] == 3
    assert run.errors["out_of_scope:other_port"] == 1
    assert "is outside the crawl's scope" in run.stderr


def test_start_url_redirected_out_of_scope_ends_the_run(blog: FaultBlog, archive: Archive) -> None:
    blog.faults[f"/category/{TRAVEL}"] = Redirect(to="http://127.0.0.2/category/elsewhere")
    run = crawl_faulty(archive, category_url(blog))
    assert run.returncode == 1
    assert "outside the crawl's scope" in run.stderr.splitlines()[-1]
    assert run.errors["out_of_scope:private_address"] == 1
    assert run.lines == []


def test_category_forbidden_by_robots_txt_is_not_crawled_and_the_run_says_why(
    blog: FaultBlog, archive: Archive
) -> None:
    robots = b"User-agent: *\nDisallow: /category/\n"
    blog.faults["/robots.txt"] = Body(body=robots, content_type="text/plain")
    run = crawl_faulty(archive, category_url(blog))
    assert run.returncode == 1
    last = run.stderr.splitlines()[-1]
    assert last.startswith("newscrawl: unhealthy run:") and "Forbidden by robots.txt" in last
    assert [hit.path for hit in blog.hits] == ["/robots.txt"]
    assert run.errors["robots_forbidden"] == 1 and run.errors["start_url_failed"] == 1


def test_post_forbidden_by_robots_txt_is_skipped(blog: FaultBlog, archive: Archive) -> None:
    robots = f"User-agent: *\nDisallow: {PATH}\n".encode()
    blog.faults["/robots.txt"] = Body(body=robots, content_type="text/plain")
    run = crawl_faulty(archive, category_url(blog))
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.exported == healthy(TRAVEL, POST)
    assert blog.hits_on(PATH) == []
    assert run.errors["robots_forbidden"] == 1


def _endless_index(blog: FaultBlog) -> Generated:
    """`/sitemap.xml` as an index of `/sitemap.xml?n=1`, itself an index of `?n=2`, …"""

    def make(target: str, _page: object) -> bytes:
        hop = int(target.partition("?n=")[2] or 0) + 1
        return hostile.sitemap_index([f"{blog.url}sitemap.xml?n={hop}"])

    return Generated(make=make, content_type=XML)


SITEMAP_TRAPS = {
    "xml-bomb": (lambda blog: Body(body=hostile.xml_bomb(), content_type=XML), "sitemap_unusable"),
    "index-of-itself": (
        lambda blog: Body(body=hostile.sitemap_index([f"{blog.url}sitemap.xml"]), content_type=XML),
        "sitemap_loop",
    ),
    "endless-fresh-indexes": (_endless_index, "sitemap_too_deep"),
}


@pytest.mark.parametrize("name", SITEMAP_TRAPS)
def test_sitemap_trap_ends_and_the_category_is_still_crawled(
    blog: FaultBlog, archive: Archive, name: str
) -> None:
    make, error = SITEMAP_TRAPS[name]
    blog.faults["/sitemap.xml"] = make(blog)
    blog.faults["/rss"] = Body(body=hostile.xml_bomb("rss"), content_type=XML)
    run = crawl_faulty(archive, category_url(blog), mode="changed")
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.exported == healthy(TRAVEL)
    # The feed is read once, after the walk; its bomb is no feed, never expanded.
    assert run.errors == {error: 1, "feed_unusable": 1}
    assert len(blog.hits_on("/sitemap.xml")) <= 3
    assert len(blog.hits_on("/rss")) == 1
    assert run.max_rss_mb < 170


HOSTILE_NAMES = [
    "../../../../tmp/newscrawl-escape",
    "/etc/passwd",
    "a\x00b",
    "..",
]


def audited(archive: Archive, arguments: dict[str, str]) -> tuple[int, str, list[Path]]:
    """Run a crawl under the write log (`newscrawl.faultserver.writes`): status, stderr,
    every path it wrote."""
    log = archive.root / "writes.log"
    command = crawl_command("tistory", arguments, archive.settings())
    command[1:1] = ["-m", "newscrawl.faultserver.writes", str(log)]
    result = subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        env={**crawl_env(), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=90,
    )
    written = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return result.returncode, result.stderr, [Path(path) for path in written]


def test_hostile_names_and_arguments_write_nothing_outside_out_and_state(
    blog: FaultBlog, archive: Archive
) -> None:
    label = "../../../../tmp/newscrawl-escape\x00/\n/etc/passwd"
    blog.faults[PATH] = Body(body=blog.pages[PATH].replace(TRAVEL.encode(), label.encode()))
    urls = [f"{blog.url}category/{quote(name, safe='')}" for name in HOSTILE_NAMES]
    urls += [f"{blog.url}category/../../../tmp", category_url(blog, "")]
    arguments = {"url": ",".join(urls), "_job": "../../../escape"}
    returncode, stderr, written = audited(archive, arguments)
    assert returncode == 1  # the hostile categories do not exist: start URLs failed
    assert "start URL(s) could not be fetched" in stderr
    assert written and outside(written, archive.out.parent, archive.state, Path("/dev/null")) == []
    [export] = archive.finished()
    lines = archive.lines(export)
    assert {line["post_id"] for line in lines} == healthy("")
    assert "newscrawl-escape" in str(next(line for line in lines if line["post_id"] == "25"))
    assert not Path("/tmp/newscrawl-escape").exists()


@pytest.mark.parametrize(
    "arguments",
    [
        {"url": "file:///etc/passwd"},
        {"url": "/etc/passwd"},
        {"url": "http://127.0.0.1:9/category", "mode": "../../etc/passwd"},
        {"url": "http://127.0.0.1:9/category/" + quote("line\nbreak/..\r\n..", safe="")},
    ],
    ids=["file-url", "absolute-path", "path-as-mode", "newline-in-category"],
)
def test_bad_arguments_are_refused_before_anything_is_written(
    archive: Archive, arguments: dict[str, str]
) -> None:
    returncode, stderr, written = audited(archive, arguments)
    assert returncode == 2
    assert stderr.strip().splitlines()[-1].startswith("newscrawl: error:")
    assert outside(written, Path("/dev/null")) == []
