"""Distributed runs: many `scrapy crawl` workers on many machines share one crawl in Redis.

With `NEWSCRAWL_REDIS_URL` set (a Scrapy setting or an environment variable of that name),
`RedisAddon` switches the crawl to scrapy-redis's scheduler and dupefilter and to the Redis
archive state (`newscrawl.state.redis`). Without it nothing changes: the local scheduler and
SQLite, no Redis needed. The pieces, one concern each:

- `worker`: who this process is (`NEWSCRAWL_WORKER_ID`) and its heartbeat key, which ties
  everything a worker holds (export claims, runs) to it being alive;
- `run`: the crawl all workers share — seeding, joining, the idle stop, leaving;
- `scheduler`: listing requests stay in the seeding worker's memory, post requests go to
  the shared Redis queue;
- `addon`: the settings switch.
"""

from __future__ import annotations

import os
import re
import socket
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

URL_SETTING = "NEWSCRAWL_REDIS_URL"
# Request meta key: the request may be fetched by any worker (it goes to the shared queue).
SHARED = "newscrawl_shared"


def redis_url(settings: BaseSettings) -> str | None:
    """The Redis URL from the setting, else from the environment; None: not distributed."""
    return settings.get(URL_SETTING) or os.environ.get(URL_SETTING) or None


def default_worker_id() -> str:
    """`<hostname>-<pid>`, reduced to characters safe in file names and Redis keys."""
    return sanitise(f"{socket.gethostname()}-{os.getpid()}")


def sanitise(worker_id: str) -> str:
    """Keep `[A-Za-z0-9._-]`; anything else (slashes, spaces, colons) becomes `-`."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", worker_id).strip("-.") or "worker"


def safe_url(url: str) -> str:
    """The URL for messages: a password in it is replaced by `***`."""
    return re.sub(r"(//[^/@:]*:)[^/@]*@", r"\1***@", url)
