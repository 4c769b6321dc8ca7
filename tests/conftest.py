"""Suite-wide fixtures: tests never write a state into the project; a real Redis on demand;
near-duplicate marking only in the crawls of tests that ask for it."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from newscrawl.redisserver import redis_server, redis_server_path
from newscrawl.testing import LOCAL_FAST_SETTINGS, PROJECT_ROOT

NEAR_DUPLICATES = "NEWSCRAWL_NEAR_DUPLICATES"


@pytest.fixture(autouse=True, scope="session")
def no_state_in_the_project() -> Iterator[None]:
    """Every crawl in a test must name its own `NEWSCRAWL_STATE_DIR` (a tmp directory)."""
    state = PROJECT_ROOT / ".newscrawl"
    existed = state.exists()
    yield
    if not existed:
        assert not state.exists(), "a test crawled with the default state directory"


@pytest.fixture(autouse=True, scope="session")
def no_redis_from_the_environment() -> Iterator[None]:
    """A developer's exported `NEWSCRAWL_REDIS_URL` would make every crawl test distributed;
    the tests that want Redis pass their own URL as a setting."""
    saved = os.environ.pop("NEWSCRAWL_REDIS_URL", None)
    yield
    if saved is not None:
        os.environ["NEWSCRAWL_REDIS_URL"] = saved


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server on 127.0.0.1 for the session (throw-away directory, no persistence).

    Skipped when redis-server is not installed, unless `NEWSCRAWL_REQUIRE_REDIS=1` (CI sets it
    in `.ci/run`): then its absence fails the tests that need it.
    """
    if redis_server_path() is None:
        message = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get("NEWSCRAWL_REQUIRE_REDIS") == "1":
            pytest.fail(message + "; NEWSCRAWL_REQUIRE_REDIS=1 requires it")
        pytest.skip(message)
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(autouse=True)
def near_duplicates_where_asked(request: pytest.FixtureRequest) -> Iterator[None]:
    """Crawl subprocesses run without the near-duplicate pipeline unless the test is marked
    `near_duplicates`.

    Its first fingerprint loads datasketch and SciPy, 1.3 s of CPU in every crawl that
    exports a long body: over the suite's crawls that was minutes. The marked modules (the
    near-duplicate, WordPress REST/HTML, distributed and kill -9 tests) keep it, so its
    interplay with the rest of the crawl is still tested end to end.
    """
    if request.node.get_closest_marker("near_duplicates"):
        yield
        return
    LOCAL_FAST_SETTINGS[NEAR_DUPLICATES] = "False"
    yield
    LOCAL_FAST_SETTINGS.pop(NEAR_DUPLICATES, None)
