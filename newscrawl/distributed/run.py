"""The crawl all workers share: seeding, joining, the idle stop and leaving.

`scrapy crawl <spider> -a url=…` *seeds* a run: it becomes the active run of the archive
(`<p>:run`, a hash naming its token, spider, arguments and seeder), refused while another
run has a live worker. `scrapy crawl <spider> -a join=1` *joins* the active run, reading its
arguments from Redis. The run's request queue and dupefilter (scrapy-redis's) live under
`<p>:run:<token>:…`, so nothing leaks from one night's run into the next: the last worker to
leave deletes them, and a seeding that finds a run whose workers all died clears it first.

A worker stops by itself once the run has been idle for `NEWSCRAWL_REDIS_IDLE_SECONDS`:
the shared queue is empty, no other worker holds a lease (`newscrawl.distributed.leases`),
and no worker has been busy (fetching, parsing, queueing) for that long
(`<p>:run:<token>:busy`, a key every busy worker keeps setting with that expiry). Meanwhile
each worker puts the leased requests of workers that died back into the queue.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import redis
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from twisted.internet import task

from newscrawl.distributed import redis_url, safe_url
from newscrawl.state import StateError, state_for

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from newscrawl.distributed.worker import Worker

logger = logging.getLogger(__name__)

_ATTRIBUTE = "newscrawl_run"
JOIN_POLL_SECONDS = 0.2
NO_RUN = "none"  # the token of a joiner that found no run: keys nobody ever fills

# ARGV: prefix, token, spider, arguments (JSON), holder, started_at. Returns [] when this
# worker now seeds the run, else the active run's fields (it has a live worker).
SEED = """
local p = ARGV[1]
local active = p .. ':run'
local token = redis.call('HGET', active, 'token')
if token then
  local run = p .. ':run:' .. token .. ':'
  for _, member in ipairs(redis.call('SMEMBERS', run .. 'workers')) do
    if redis.call('EXISTS', p .. ':alive:' .. member) == 1 then
      return redis.call('HGETALL', active)
    end
  end
  for _, member in ipairs(redis.call('SMEMBERS', run .. 'workers')) do
    redis.call('DEL', run .. 'leases:' .. member)
  end
  redis.call('DEL', run .. 'requests', run .. 'dupefilter', run .. 'busy', run .. 'workers')
  redis.call('DEL', active)
end
redis.call('HSET', active, 'token', ARGV[2], 'spider', ARGV[3], 'arguments', ARGV[4],
  'seeder', ARGV[5], 'started_at', ARGV[6])
redis.call('SADD', p .. ':run:' .. ARGV[2] .. ':workers', ARGV[5])
return {}
"""

# ARGV: prefix, holder. Returns the active run's fields once joined, [] when no run with a
# live worker is active.
JOIN = """
local p = ARGV[1]
local active = p .. ':run'
local token = redis.call('HGET', active, 'token')
if not token then return {} end
local workers = p .. ':run:' .. token .. ':workers'
for _, member in ipairs(redis.call('SMEMBERS', workers)) do
  if redis.call('EXISTS', p .. ':alive:' .. member) == 1 then
    redis.call('SADD', workers, ARGV[2])
    return redis.call('HGETALL', active)
  end
end
return {}
"""

# ARGV: prefix, token, holder. The last live worker to leave deletes the run.
LEAVE = """
local p, token = ARGV[1], ARGV[2]
local run = p .. ':run:' .. token .. ':'
redis.call('SREM', run .. 'workers', ARGV[3])
redis.call('DEL', run .. 'leases:' .. ARGV[3])
local members = redis.call('SMEMBERS', run .. 'workers')
for _, member in ipairs(members) do
  if redis.call('EXISTS', p .. ':alive:' .. member) == 1 then return 0 end
end
for _, member in ipairs(members) do redis.call('DEL', run .. 'leases:' .. member) end
redis.call('DEL', run .. 'requests', run .. 'dupefilter', run .. 'busy', run .. 'workers')
if redis.call('HGET', p .. ':run', 'token') == token then redis.call('DEL', p .. ':run') end
return 1
"""


# ARGV: prefix, token. Puts the leases of workers whose heartbeat expired back into the
# queue (same scores) and forgets those workers; returns how many requests came back.
REQUEUE_DEAD = """
local p = ARGV[1]
local run = p .. ':run:' .. ARGV[2] .. ':'
local moved = 0
for _, member in ipairs(redis.call('SMEMBERS', run .. 'workers')) do
  if redis.call('EXISTS', p .. ':alive:' .. member) == 0 then
    local leases = run .. 'leases:' .. member
    local count = redis.call('ZCARD', leases)
    if count > 0 then
      redis.call('ZUNIONSTORE', run .. 'requests', 2, run .. 'requests', leases,
        'AGGREGATE', 'MIN')
      moved = moved + count
    end
    redis.call('DEL', leases)
    redis.call('SREM', run .. 'workers', member)
  end
end
return moved
"""

# ARGV: prefix, token, holder. Requests still to be done by someone else: queued, or leased
# by another worker (alive and fetching, or dead and soon back in the queue).
WAITING = """
local p, holder = ARGV[1], ARGV[3]
local run = p .. ':run:' .. ARGV[2] .. ':'
local waiting = redis.call('ZCARD', run .. 'requests')
for _, member in ipairs(redis.call('SMEMBERS', run .. 'workers')) do
  if member ~= holder then waiting = waiting + redis.call('ZCARD', run .. 'leases:' .. member) end
end
return waiting
"""


class RunActive(StateError):
    """A second seeding while a distributed run is going."""


class NoRunToJoin(StateError):
    """`-a join=1` names a run of another spider."""


class DistributedRun:
    """This worker's part in the shared run: enter it (`seed`/`join`), then let it stop.

    Settings: `NEWSCRAWL_REDIS_IDLE_SECONDS` (default 30): the run's idle time after which
    a worker stops, also how long a joiner waits for a run to be seeded.
    """

    def __init__(
        self, client: redis.Redis, prefix: str, worker: Worker, spider: str, idle_seconds: float
    ) -> None:
        self.client = client
        self.prefix = prefix
        self.worker = worker
        self.spider = spider
        self.idle_seconds = max(0.1, idle_seconds)
        self.token: str | None = None
        self.url = ""  # for messages
        self._scripts = {
            name: client.register_script(source)
            for name, source in (
                ("seed", SEED),
                ("join", JOIN),
                ("leave", LEAVE),
                ("requeue_dead", REQUEUE_DEAD),
                ("waiting", WAITING),
            )
        }
        self._loop: task.LoopingCall | None = None
        self._touched = 0.0

    @property
    def entered(self) -> str:
        """The token of the run this worker seeded or joined."""
        if self.token is None:
            raise StateError("the spider neither seeded nor joined the distributed run")
        return self.token

    def key(self, name: str) -> str:
        """A key of this run (`requests`, `dupefilter`, `busy`, `workers`, `leases:…`)."""
        return f"{self.prefix}:run:{self.entered}:{name}"

    def seed(self, arguments: dict[str, Any]) -> None:
        """Become the active run, or raise `RunActive` saying how to join the one going."""
        token = secrets.token_hex(8)
        fields = self._scripts["seed"](
            args=[
                self.prefix,
                token,
                self.spider,
                json.dumps(arguments, ensure_ascii=False),
                self.worker.holder,
                datetime.now(UTC).isoformat(timespec="seconds"),
            ]
        )
        if fields:
            active = _as_dict(fields)
            raise RunActive(
                f"a distributed run of {active.get('spider')!r} is already going on "
                f"{self.url} (seeded by {active.get('seeder', '?').split('#')[0]} at "
                f"{active.get('started_at', '?')}); this worker does not seed another. Join it "
                f"with `scrapy crawl {active.get('spider')} -a join=1`, or seed once it has ended."
            )
        self.token = token
        logger.info("Seeded distributed run %s as worker %s", token, self.worker.worker_id)

    def join(self) -> dict[str, Any]:
        """Join the active run (waiting up to the idle time for one); return its arguments.

        Finding none is not an error: workers started together with the seeder may come
        after a short run has already ended. This one then stops at once, with nothing done.
        """
        deadline = time.monotonic() + self.idle_seconds
        while not (
            fields := _as_dict(self._scripts["join"](args=[self.prefix, self.worker.holder]))
        ):
            if time.monotonic() >= deadline:
                logger.warning(
                    "No distributed run is going on %s to join (waited %g s): this worker has "
                    "nothing to do. Seed one with `scrapy crawl %s -a url=URL`.",
                    self.url,
                    self.idle_seconds,
                    self.spider,
                )
                self.token = NO_RUN
                return {}
            time.sleep(JOIN_POLL_SECONDS)  # before the reactor runs: nothing else to do
        if fields["spider"] != self.spider:
            self._scripts["leave"](args=[self.prefix, fields["token"], self.worker.holder])
            raise NoRunToJoin(
                f"the distributed run going on {self.url} is one of {fields['spider']!r}; "
                f"join it with `scrapy crawl {fields['spider']} -a join=1`."
            )
        self.token = fields["token"]
        logger.info("Joined distributed run %s as worker %s", self.token, self.worker.worker_id)
        return dict(json.loads(fields["arguments"]))

    def backlog(self) -> int:
        """Requests waiting in the shared queue, for every worker."""
        return int(self.client.zcard(self.key("requests")))

    def touch(self) -> None:
        """Note that this worker is busy (at most once every tenth of the idle time)."""
        now = time.monotonic()
        if now - self._touched < self.idle_seconds / 10:
            return
        self._touched = now
        self.client.set(self.key("busy"), self.worker.holder, px=int(self.idle_seconds * 1000))

    def idle(self) -> bool:
        """Nothing queued, nothing leased by another worker, nobody busy for the idle time."""
        waiting = self._scripts["waiting"](args=[self.prefix, self.entered, self.worker.holder])
        return int(waiting) == 0 and not self.client.exists(self.key("busy"))

    def requeue_dead(self) -> int:
        """Give the requests of dead workers back to the queue; how many came back."""
        moved = int(self._scripts["requeue_dead"](args=[self.prefix, self.entered]))
        if moved:
            logger.warning("Distributed run: %d requests of a dead worker queued again", moved)
        return moved

    def leave(self) -> None:
        if self.token in (None, NO_RUN):
            return
        if self._scripts["leave"](args=[self.prefix, self.token, self.worker.holder]):
            logger.info("Distributed run %s ended: this was its last worker", self.token)
        self.token = None

    # --- signals --------------------------------------------------------------------------
    def spider_opened(self, crawler: Crawler) -> None:
        """Poll while the crawl runs: keep `busy` fresh, wake the engine for shared work."""
        self._loop = task.LoopingCall(self._tick, crawler)
        self._loop.start(min(1.0, self.idle_seconds / 4), now=False)

    def _tick(self, crawler: Crawler) -> None:
        engine = crawler.engine
        if engine is None or self.token is None:
            return
        try:
            if requeued := self.requeue_dead():
                crawler.stats.inc_value("distributed/requeued", requeued)  # type: ignore[union-attr]
            if not engine.spider_is_idle():
                self.touch()
            elif self.backlog() or self.idle():
                # An idle engine looks at its scheduler and its idle handlers again only
                # every 5 s (its heartbeat): wake it now that other workers' requests are
                # waiting, or the run is over and it may stop.
                engine._slot.nextcall.schedule()  # type: ignore[union-attr]
        except redis.RedisError as error:
            logger.warning("Distributed run: Redis did not answer (%s)", error)

    def spider_idle(self) -> None:
        """Keep this worker while the run has work or a busy worker; else let it stop."""
        if self.token is not None and not self.idle():
            raise DontCloseSpider

    def spider_closed(self) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        try:
            self.leave()
        except redis.RedisError as error:
            logger.warning("Could not leave the distributed run: %s", error)


def run_for(crawler: Crawler) -> DistributedRun | None:
    """The crawl's distributed run (built on first use), or None without NEWSCRAWL_REDIS_URL."""
    if not redis_url(crawler.settings):
        return None
    run: DistributedRun | None = getattr(crawler, _ATTRIBUTE, None)
    if run is not None:
        return run
    store = state_for(crawler)
    client, worker = getattr(store, "client", None), getattr(store, "worker", None)
    if client is None or worker is None:
        raise StateError(
            "NEWSCRAWL_REDIS_URL needs a state every worker shares: leave "
            "NEWSCRAWL_STATE_BACKEND unset (newscrawl.state.redis.RedisStateStore)"
        )
    run = DistributedRun(
        client,
        crawler.settings.get("NEWSCRAWL_REDIS_PREFIX") or "newscrawl",
        worker,
        crawler.spidercls.name,
        crawler.settings.getfloat("NEWSCRAWL_REDIS_IDLE_SECONDS", 30.0),
    )
    run.url = safe_url(redis_url(crawler.settings) or "")
    setattr(crawler, _ATTRIBUTE, run)
    crawler.signals.connect(
        lambda: run.spider_opened(crawler), signal=signals.spider_opened, weak=False
    )
    crawler.signals.connect(run.spider_idle, signal=signals.spider_idle, weak=False)
    crawler.signals.connect(run.spider_closed, signal=signals.spider_closed, weak=False)
    return run


def enter_run(crawler: Crawler, arguments: dict[str, Any], join: bool) -> dict[str, Any]:
    """Seed or join the distributed run, if any; the run's arguments (the seeder's, joined).

    Called by a spider's `from_crawler`, before the scheduler opens the run's queue.
    """
    run = run_for(crawler)
    if run is None:
        if join:
            raise StateError("-a join=1 joins a distributed run: set NEWSCRAWL_REDIS_URL")
        return arguments
    if join:
        return {**run.join(), "join": "1"}
    run.seed(arguments)
    return arguments


def _as_dict(fields: list[str]) -> dict[str, str]:
    return dict(zip(fields[::2], fields[1::2], strict=True))
