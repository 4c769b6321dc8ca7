"""`python -m newscrawl.state rebuild|info`: recover or inspect an archive state.

`rebuild` is the way back from a corrupt or lost state file: the finished exports hold every
post that was ever archived (id, url, content hash, revision), so replaying them in order
gives back what the state knew. Listing walks are not in the exports, so the next run walks
each category to its end once (fetching only posts the exports do not hold).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import orjson

from newscrawl.state.base import ExportedLine, StateError
from newscrawl.state.sqlite import DB_NAME, SqliteStateStore


def rebuild(state_dir: Path, export_dir: Path) -> int:
    """Replay every finished export under `export_dir` into a new state; returns lines read."""
    if (state_dir / DB_NAME).exists():
        raise StateError(
            f"{state_dir / DB_NAME} exists; move it aside first (rebuild never overwrites)"
        )
    exports = sorted(export_dir.rglob("*.jsonl"), key=lambda path: path.name)
    store = SqliteStateStore(state_dir)
    store.open()
    total = 0
    try:
        for export in exports:
            lines = [
                ExportedLine.from_line(orjson.loads(raw), str(export.absolute()))
                for raw in export.read_bytes().splitlines()
                if raw.strip()
            ]
            store.record_exported(lines)
            total += len(lines)
    finally:
        store.close()
    return total


def info(state_dir: Path) -> dict[str, int]:
    """Counts of what the state holds (opens it, so it takes the lock briefly)."""
    store = SqliteStateStore(state_dir)
    store.open()
    try:
        return {
            table: store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("posts", "pending", "walks", "runs")
        }
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newscrawl.state", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    rebuild_parser = commands.add_parser("rebuild", help="rebuild a state from finished exports")
    rebuild_parser.add_argument("--state-dir", type=Path, default=Path(".newscrawl"))
    rebuild_parser.add_argument("--export-dir", type=Path, default=Path("output"))
    info_parser = commands.add_parser("info", help="count what a state holds")
    info_parser.add_argument("--state-dir", type=Path, default=Path(".newscrawl"))
    args = parser.parse_args(argv)
    try:
        if args.command == "rebuild":
            total = rebuild(args.state_dir, args.export_dir)
            print(f"rebuilt {args.state_dir} from {total} exported lines under {args.export_dir}")
        else:
            for table, count in info(args.state_dir).items():
                print(f"{table}: {count}")
    except StateError as error:
        print(f"newscrawl: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
