"""Export claims: the optional interface of a state that several workers share at once.

A state used by one run at a time (SQLite, under its lock) needs no claims: the run is alone.
A shared one (Redis) must make sure two workers never both export the same post: each line is
*claimed* before it is written, and a line found in a dead worker's export part is claimed
again before its recovery keeps it. `JsonLinesExportPipeline` and `recover_orphans` ask a
store for claims only when it offers them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from newscrawl.state.base import ExportedLine


@runtime_checkable
class ExportClaims(Protocol):
    """A state store whose posts can be claimed for export by one worker at a time."""

    def claim(self, lines: Sequence[ExportedLine]) -> list[bool]:
        """For each line: may it be kept in its export file?

        True when this worker now holds the post's claim (no live worker holds it and the
        state does not hold this revision yet), or when the state already records this very
        line (same revision, same export file). False when another live worker is exporting
        the post, or the state holds this revision (or a newer one) from another file.
        A claim ends when `record_exported` records the line, or when its worker dies.
        """
