"""newscrawl: archive blogs category by category, with exact dates and no duplicates."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newscrawl")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
