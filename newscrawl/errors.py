"""Errors newscrawl reports to its user in one line, without a traceback."""

from __future__ import annotations


class BadArgument(ValueError):
    """A spider argument (`-a name=value`) that cannot be used; the message says why."""


class BadSetting(ValueError):
    """A setting whose value cannot be used; the message names it and says why."""
