"""Export files that survive `kill -9`: the `.part` writer, recovery, and the manifest.

A run appends lines to `<UTC start>.jsonl.part`. Every batch is fsynced before the state
records its posts as exported, so the state never claims a line that is not on disk. A clean
end renames the part to `.jsonl` (atomic) and writes `<UTC start>.manifest.json` beside it.

A run that dies leaves its part behind, registered in the state as still running. The next
run (which holds the state lock, so the owner is surely dead) recovers it: the torn last line
is cut off, the complete lines are recorded as exported and kept in a finished `.jsonl` with a
manifest saying it was recovered. So no line is lost, none is exported twice, and no finished
`.jsonl` ever holds a torn line.

In a distributed run (a state with `ExportClaims`) the owner is known dead by its heartbeat
instead of the lock, and a line of its part is kept only if no other worker exported that post
meanwhile (`_keep_claimed`).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import orjson

from newscrawl.manifest import base_manifest
from newscrawl.state.base import ExportedLine, RunRecord, StateStore
from newscrawl.state.claims import ExportClaims

logger = logging.getLogger(__name__)

PART_SUFFIX = ".part"
MANIFEST_SUFFIX = ".manifest.json"


def finished_path(part_path: Path) -> Path:
    """`x.jsonl.part` → `x.jsonl`."""
    return part_path.with_name(part_path.name.removesuffix(PART_SUFFIX))


def manifest_path(export_path: Path) -> Path:
    """`x.jsonl` → `x.manifest.json`."""
    return export_path.with_name(export_path.name.removesuffix(".jsonl") + MANIFEST_SUFFIX)


def fsync_directory(directory: Path) -> None:
    """Make a rename or a new file in `directory` durable, not just the file's bytes."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_json_atomically(path: Path, data: dict[str, Any]) -> None:
    """Write `data` to a temporary sibling, fsync, rename: readers see all or nothing."""
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("wb") as handle:
        handle.write(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    fsync_directory(path.parent)


def free_run_id(directory: Path, started: datetime, worker: str | None = None) -> str:
    """`<UTC start>`, or `<UTC start>-N` when a run that started in the same second left files.

    Two runs a second apart would otherwise share a name, and the second one's rename would
    replace the first one's finished export. A worker of a distributed run adds its id
    (`<UTC start>_<worker>`): its workers start in the same second and write side by side.
    """
    base = started.strftime("%Y%m%dT%H%M%SZ") + (f"_{worker}" if worker else "")
    run_id, number = base, 1
    while any(directory.glob(f"{run_id}.*")):
        run_id, number = f"{base}-{number}", number + 1
    return run_id


class ExportPart:
    """An export in progress: lines go to the part file; `finish` renames it into place."""

    def __init__(self, part_path: Path) -> None:
        self.part_path = part_path
        self.path = finished_path(part_path)
        self._file: IO[bytes] | None = None

    def open(self) -> None:
        self.part_path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.part_path.open("xb")  # never append to someone else's part
        fsync_directory(self.part_path.parent)

    def write(self, line: bytes) -> None:
        """Hand one complete line to the OS (a killed process loses nothing it wrote)."""
        assert self._file is not None
        self._file.write(line)
        self._file.flush()

    def sync(self) -> None:
        """Make every line written so far durable."""
        assert self._file is not None
        self._file.flush()
        os.fsync(self._file.fileno())

    def finish(self) -> None:
        """Sync, close and rename to `.jsonl`."""
        self.sync()
        self.close()
        os.replace(self.part_path, self.path)
        fsync_directory(self.path.parent)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


@dataclass(frozen=True)
class Recovered:
    """What recovering one orphaned part found."""

    run_id: str
    path: Path
    lines: int
    torn_bytes: int


def recover_orphans(store: StateStore) -> list[Recovered]:
    """Finish every export the state knows was started and never ended."""
    return [_recover(run, store) for run in store.unfinished_runs()]


def _recover(run: RunRecord, store: StateStore) -> Recovered:
    part_path = Path(run.part_path)
    path = finished_path(part_path)
    duplicates = 0
    if part_path.exists():
        lines, torn = _cut_torn_tail(part_path)
        if isinstance(store, ExportClaims):
            lines, duplicates = _keep_claimed(part_path, lines, store)
        store.record_exported(_exported(lines, path))
        os.replace(part_path, path)
        fsync_directory(path.parent)
    elif path.exists():  # killed between the rename and the end of the run
        lines, torn = _complete_lines(path.read_bytes())[0], 0
        store.record_exported(_exported(lines, path))
    else:
        lines, torn = [], 0
    if path.exists() and not manifest_path(path).exists():
        manifest = _recovery_manifest(run, path, lines, torn, duplicates)
        write_json_atomically(manifest_path(path), manifest)
    store.end_run(run.run_id, "recovered")
    logger.warning(
        "Recovered the export of an interrupted run: %s (%d complete lines kept%s%s)",
        path,
        len(lines),
        f", a torn last line of {torn} bytes dropped" if torn else "",
        f", {duplicates} lines another worker exported dropped" if duplicates else "",
    )
    return Recovered(run.run_id, path, len(lines), torn)


def _keep_claimed(
    part_path: Path, lines: list[dict[str, Any]], claims: ExportClaims
) -> tuple[list[dict[str, Any]], int]:
    """Drop the lines of a dead worker's part that another worker has exported meanwhile.

    A dead worker's claims lapse with its heartbeat, so another worker may have fetched and
    exported the same post since; keeping both lines would export it twice. Each line is
    claimed again: it stays only if nobody else exported it (or it is the line the state
    records). The part is rewritten (temporary file, fsync, rename) without the others.
    """
    keep = claims.claim(_exported(lines, finished_path(part_path)))
    if all(keep):
        return lines, 0
    raws = part_path.read_bytes().splitlines(keepends=True)[: len(lines)]
    temporary = part_path.with_name(part_path.name + ".tmp")
    with temporary.open("wb") as handle:
        handle.writelines(raw for raw, kept in zip(raws, keep, strict=True) if kept)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, part_path)
    kept_lines = [line for line, kept in zip(lines, keep, strict=True) if kept]
    return kept_lines, len(lines) - len(kept_lines)


def _cut_torn_tail(part_path: Path) -> tuple[list[dict[str, Any]], int]:
    """Truncate the part after its last complete line; return those lines and bytes cut."""
    data = part_path.read_bytes()
    lines, good_length = _complete_lines(data)
    torn = len(data) - good_length
    if torn:
        with part_path.open("r+b") as handle:
            handle.truncate(good_length)
            handle.flush()
            os.fsync(handle.fileno())
    return lines, torn


def _complete_lines(data: bytes) -> tuple[list[dict[str, Any]], int]:
    """Parse newline-terminated JSON lines up to the first one that is not whole.

    Lines are appended in order, so anything after a damaged line is the torn tail of
    the write that was interrupted.
    """
    lines: list[dict[str, Any]] = []
    good_length = 0
    for raw in data.splitlines(keepends=True):
        if not raw.endswith(b"\n"):
            break
        try:
            lines.append(orjson.loads(raw))
        except orjson.JSONDecodeError:
            break
        good_length += len(raw)
    return lines, good_length


def _exported(lines: list[dict[str, Any]], path: Path) -> list[ExportedLine]:
    return [ExportedLine.from_line(line, str(path)) for line in lines]


def _recovery_manifest(
    run: RunRecord, path: Path, lines: list[dict[str, Any]], torn: int, duplicates: int
) -> dict[str, Any]:
    manifest = base_manifest()
    manifest.update(
        {
            "run_id": run.run_id,
            "finish_reason": "recovered",
            "recovered_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "note": "the run was interrupted; its complete lines were kept by the next run",
            "output_file": path.name,
            "counts": {
                "items_exported": len(lines),
                "torn_bytes_dropped": torn,
                "exported_elsewhere_dropped": duplicates,
            },
        }
    )
    return manifest
