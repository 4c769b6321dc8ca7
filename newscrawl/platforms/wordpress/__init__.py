"""WordPress: URL shapes, HTML parsers, the REST API walk, and its `PLATFORM`."""

from newscrawl.platforms.wordpress.platform import PLATFORM

__all__ = ["PLATFORM"]
