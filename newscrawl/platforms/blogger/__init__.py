"""Blogger: label listings, posts and their `PLATFORM`."""

from newscrawl.platforms.blogger.platform import PLATFORM

__all__ = ["PLATFORM"]
