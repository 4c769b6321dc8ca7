"""Tistory: parsers for its skins' listings and articles, and its `PLATFORM`."""

from newscrawl.platforms.tistory.platform import PLATFORM

__all__ = ["PLATFORM"]
