"""One worker process: its identity and the heartbeat key that says it is alive.

Everything a worker holds in Redis (a claim on a post it is exporting, the export run it
registered) names its *holder*: the worker id plus a random session, so a worker restarted
under the same `NEWSCRAWL_WORKER_ID` never mistakes the dead process's claims for its own.
The holder is alive while `<prefix>:alive:<holder>` exists. A thread refreshes that key every
third of its TTL, so a process that is killed (`kill -9`, a power cut) lets it expire within
`NEWSCRAWL_REDIS_WORKER_TTL` seconds, and its claims and runs become free to take over.
A thread, not a reactor timer: a long parse blocking the reactor must not look like death.
"""

from __future__ import annotations

import logging
import secrets
import socket
import threading

import redis

logger = logging.getLogger(__name__)


class Worker:
    """This process as the other workers see it; `start` it, `stop` it at the end."""

    def __init__(self, client: redis.Redis, prefix: str, worker_id: str, ttl: float) -> None:
        self.client = client
        self.prefix = prefix
        self.worker_id = worker_id
        self.host = socket.gethostname()
        self.holder = f"{worker_id}#{secrets.token_hex(4)}"
        self.ttl_ms = max(1000, int(ttl * 1000))
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def alive_key(self, holder: str | None = None) -> str:
        return f"{self.prefix}:alive:{holder or self.holder}"

    def start(self) -> None:
        """Announce this worker and keep announcing it until `stop`."""
        self._beat()
        self._thread = threading.Thread(target=self._run, name="newscrawl-heartbeat", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopped.wait(self.ttl_ms / 3000):
            try:
                self._beat()
            except redis.RedisError as error:  # Redis away for a moment: keep trying
                logger.warning("Worker heartbeat failed: %s", error)

    def _beat(self) -> None:
        self.client.set(self.alive_key(), self.host, px=self.ttl_ms)

    def stop(self) -> None:
        """Stop the heartbeat and drop the key: what this worker holds is free at once."""
        if self._thread is None:
            return
        self._stopped.set()
        self._thread.join()
        self._thread = None
        try:
            self.client.delete(self.alive_key())
        except redis.RedisError as error:
            logger.warning("Could not remove the worker heartbeat: %s", error)

    def is_alive(self, holder: str) -> bool:
        return holder == self.holder or bool(self.client.exists(self.alive_key(holder)))
