"""Run a Python module with every file it writes recorded (for the path-escape faults).

``python -m newscrawl.faultserver.writes LOG -m scrapy crawl …`` installs an audit hook
(PEP 578), then runs the module as ``python -m`` would. Each file opened for writing, created,
renamed, removed or truncated, each directory made, and each SQLite database opened, is
appended to ``LOG`` as one absolute path per line, so a test can prove that hostile names
and arguments never make the crawler write outside its output and state directories. Only
Python's own I/O is seen; SQLite's journal files live beside the database it logs.
"""

from __future__ import annotations

import os
import runpy
import sys
from typing import IO, Any

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
# Audit events whose first argument is a path being written to (or taken away).
PATH_EVENTS = {
    "os.mkdir",
    "os.remove",
    "os.rmdir",
    "os.truncate",
    "os.symlink",
    "os.link",
    "os.chmod",
    "shutil.rmtree",
    "shutil.copyfile",
    "sqlite3.connect",
}
RENAME_EVENTS = {"os.rename", "os.replace"}  # (src, dst, …): both change


def _writes(mode: Any, flags: Any) -> bool:
    if isinstance(mode, str):
        return any(letter in mode for letter in "wax+")
    return isinstance(flags, int) and bool(flags & WRITE_FLAGS)


class WriteLog:
    """The audit hook: records absolute paths of writes to an already open file."""

    def __init__(self, log: IO[str]) -> None:
        self.log = log

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        if event == "open" and len(args) >= 3 and _writes(args[1], args[2]):
            self._record(args[0])
        elif event in RENAME_EVENTS:
            self._record(args[0])
            self._record(args[1])
        elif event in PATH_EVENTS and args:
            self._record(args[0])

    def _record(self, path: Any) -> None:
        if isinstance(path, int) or path is None:
            return  # a descriptor: its opening was recorded
        text = os.fsdecode(path) if isinstance(path, bytes | os.PathLike) else str(path)
        if text in {":memory:", ""}:
            return
        self.log.write(os.path.abspath(text).replace("\n", "\\n") + "\n")
        self.log.flush()


def main(argv: list[str]) -> None:
    if len(argv) < 3 or argv[1] != "-m":
        raise SystemExit("usage: python -m newscrawl.faultserver.writes LOG -m MODULE [ARGS…]")
    log_path, module, rest = argv[0], argv[2], argv[3:]
    log = open(log_path, "a", encoding="utf-8", errors="backslashreplace")  # noqa: SIM115
    sys.addaudithook(WriteLog(log))
    sys.argv = [module, *rest]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
