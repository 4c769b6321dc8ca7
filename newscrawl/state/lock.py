"""One run per state directory: an exclusive `flock` on `<state dir>/lock`.

`flock` locks belong to the open file, so the kernel releases them when the process dies,
`kill -9` included: a crashed run never leaves a stale lock for the next night to trip on.
The file also records who holds it, so the refusal can name the other run.
"""

from __future__ import annotations

import fcntl
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from newscrawl.state.base import StateError, StateLocked

LOCK_NAME = "lock"


class DirectoryLock:
    """Non-blocking exclusive lock; `acquire` raises `StateLocked` naming the holder."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / LOCK_NAME
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        try:
            handle = self.path.open("a+", encoding="utf-8")
        except OSError as error:
            raise StateError(f"cannot open the lock file {self.path}: {error}") from error
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(handle)
            handle.close()
            raise StateLocked(
                f"another newscrawl run is using the state directory {self.path.parent} "
                f"({holder}); this run stops without touching anything. Wait for it to end, "
                "or give this run its own NEWSCRAWL_STATE_DIR."
            ) from None
        handle.seek(0)
        handle.truncate()
        started = datetime.now(UTC).isoformat(timespec="seconds")
        handle.write(f"pid {os.getpid()} on {socket.gethostname()} since {started}\n")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the descriptor drops the flock
            self._file = None


def _read_holder(handle: IO[str]) -> str:
    handle.seek(0)
    return handle.read().strip() or "holder unknown"
