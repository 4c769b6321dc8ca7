"""Leases: a request taken from the shared queue stays on record until it leaves the downloader.

scrapy-redis's priority queue forgets a request the moment a worker pops it, so a worker
killed with requests waiting in its downloader would lose them for the run. Here popping
moves the request, atomically, from the run's queue into the worker's lease set
(`<p>:run:<token>:leases:<holder>`, same score, same bytes); the request leaves it once its
download has ended (`request_left_downloader`, success or failure: a retry is a new request
in the queue). The other workers put the leases of a worker whose heartbeat has expired back
into the queue (`DistributedRun.requeue_dead`), and do not stop while a worker holds any.

A post being parsed or exported at the moment of the kill has left its lease: its line is
either in the dead worker's part (recovered later, see `newscrawl.export`) or not written,
and then the post is still pending in the state for the next run. Fetching a post twice is
harmless: the export claim lets only one line through.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from scrapy_redis.queue import PriorityQueue

if TYPE_CHECKING:
    from scrapy import Request

LEASE = "newscrawl_lease"  # request meta: the lease this request was popped under

# KEYS: queue, this worker's lease set. Pops the best request and leases it, in one step.
POP_AND_LEASE = """
local item = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #item == 0 then return false end
redis.call('ZREM', KEYS[1], item[1])
redis.call('ZADD', KEYS[2], item[2], item[1])
return item[1]
"""


class LeasingPriorityQueue(PriorityQueue):
    """scrapy-redis's `PriorityQueue` whose `pop` leases the request to this worker."""

    def __init__(self, server: Any, spider: Any, key: str, lease_key: str, **kwargs: Any) -> None:
        super().__init__(server, spider, key, **kwargs)
        self.lease_key = lease_key
        self._pop = server.register_script(POP_AND_LEASE)
        self._leased: dict[str, bytes] = {}
        self._numbers = itertools.count()

    def push(self, request: Request) -> None:
        request.meta.pop(LEASE, None)  # a retry's copy is a new request, with its own lease
        super().push(request)

    def pop(self, timeout: int = 0) -> Request | None:
        data = self._pop(keys=[self.key, self.lease_key])
        if not data:
            return None
        request: Request = self._decode_request(data)
        token = str(next(self._numbers))
        self._leased[token] = data
        request.meta[LEASE] = token
        return request

    @property
    def leased(self) -> int:
        """Requests this worker took and has not finished downloading."""
        return len(self._leased)

    def release(self, request: Request) -> None:
        """The request's download has ended: it is no longer this worker's to lose."""
        data = self._leased.pop(request.meta.get(LEASE, ""), None)
        if data is not None:
            self.server.zrem(self.lease_key, data)

    def __len__(self) -> int:
        return int(self.server.zcard(self.key))
