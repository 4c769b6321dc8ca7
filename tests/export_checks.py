"""Checks every test applies to the lines it exports: each one must satisfy the schema.

Tests import this sibling module (`from export_checks import assert_valid_export`), so an
end-to-end crawl that exports a line an archive would refuse fails even when the fields the
test looks at are right.
"""

from __future__ import annotations

from typing import Any

from newscrawl.schema import problems

SHOWN_PROBLEMS = 10


def assert_valid_export(lines: list[dict[str, Any]]) -> None:
    """Fail, listing the first problems, when any exported line breaks the article schema."""
    found = [
        f"line {number}: {reason}"
        for number, line in enumerate(lines, start=1)
        for reason in problems(line)
    ]
    if found:
        shown = "\n".join(found[:SHOWN_PROBLEMS])
        raise AssertionError(f"{len(found)} schema problem(s) in the export:\n{shown}")
