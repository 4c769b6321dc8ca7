"""The spiders' `-a` arguments: start URLs, mode, joining a distributed run.

Checked before the engine starts (`CategorySpider.check_arguments`), so a bad argument is one
line and exit status 2, never a traceback.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from newscrawl.errors import BadArgument
from newscrawl.platforms.base import Platform, StartTarget

MODES = ("incremental", "changed", "full")
JOIN_VALUES = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


def split_urls(value: str | None) -> list[str]:
    """The comma-separated `url` argument as http(s) URLs, or `BadArgument` saying why."""
    if not value or not value.strip():
        raise BadArgument("missing -a url=URL (a category listing, blog root or post URL)")
    urls = [part.strip() for part in value.split(",") if part.strip()]
    if not urls:
        raise BadArgument("-a url= holds no URL")
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise BadArgument(f"not an http(s) URL: {url!r}")
    return urls


def parse_start_urls(value: str | None, platform: Platform) -> list[StartTarget]:
    """Split and classify the `url` argument for `platform`, or raise `BadArgument`."""
    return [classify(url, platform) for url in split_urls(value)]


def classify(url: str, platform: Platform) -> StartTarget:
    """What `url` names on `platform`, or `BadArgument` naming the shapes it accepts."""
    target = platform.classify(url)
    if target is None:
        raise BadArgument(
            f"{url!r} is not a {platform.label or platform.name} category listing, blog root"
            " or post URL"
        )
    return target


def parse_join(value: str | None, url: str | None) -> bool:
    """The `join` argument (join the distributed run going on), or `BadArgument`."""
    if value is None:
        return False
    answer = value.strip().lower()
    if answer not in JOIN_VALUES:
        raise BadArgument(f"-a join={value!r} is not one of 1, 0 (true/false, yes/no)")
    joining = JOIN_VALUES[answer]
    if joining and url:
        raise BadArgument(
            "-a join=1 takes no url: a joining worker reads the run's arguments from Redis"
        )
    return joining


def parse_mode(value: str | None) -> str:
    """The `mode` argument, `incremental` when absent, or `BadArgument`."""
    mode = (value or "incremental").strip().lower()
    if mode not in MODES:
        raise BadArgument(f"-a mode={value!r} is not one of {', '.join(MODES)}")
    return mode
