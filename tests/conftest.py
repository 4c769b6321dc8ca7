"""Suite-wide guard: tests never write an archive state into the project itself."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newscrawl.testing import PROJECT_ROOT


@pytest.fixture(autouse=True, scope="session")
def no_state_in_the_project() -> Iterator[None]:
    """Every crawl in a test must name its own `NEWSCRAWL_STATE_DIR` (a tmp directory)."""
    state = PROJECT_ROOT / ".newscrawl"
    existed = state.exists()
    yield
    if not existed:
        assert not state.exists(), "a test crawled with the default state directory"
