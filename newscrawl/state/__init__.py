"""Archive state shared by the spider and the pipelines of one crawl.

`state_for(crawler)` opens the backend named by `NEWSCRAWL_STATE_BACKEND` once per crawl
(taking the state lock) and closes it when the engine stops, after the manifest is written.
The spider asks for it first, while the crawl is being built, so a locked or corrupt state
stops the run before any file is touched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.utils.misc import load_object

from newscrawl.state.base import (
    ExportedLine,
    PostRecord,
    RunRecord,
    StateCorrupt,
    StateError,
    StateLocked,
    StateStore,
    StateWriteError,
    url_key,
)
from newscrawl.state.guard import stop_on_state_errors

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = [
    "ExportedLine",
    "PostRecord",
    "RunRecord",
    "StateCorrupt",
    "StateError",
    "StateLocked",
    "StateStore",
    "StateWriteError",
    "state_for",
    "url_key",
]

_ATTRIBUTE = "newscrawl_state"
# Used when the setting is absent (our pipelines in another Scrapy project).
DEFAULT_BACKEND = "newscrawl.state.sqlite.SqliteStateStore"


def state_for(crawler: Crawler) -> StateStore:
    """The crawl's open state store, opened on first use."""
    store: StateStore | None = getattr(crawler, _ATTRIBUTE, None)
    if store is None:
        backend = load_object(crawler.settings.get("NEWSCRAWL_STATE_BACKEND") or DEFAULT_BACKEND)
        store = backend.from_settings(crawler.settings)
        store.open()
        setattr(crawler, _ATTRIBUTE, store)
        crawler.signals.connect(store.close, signal=signals.engine_stopped, weak=False)
        stop_on_state_errors(crawler)
    return store
