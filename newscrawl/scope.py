"""Keep a crawl on the blogs it was started on: no other host, port or private address.

The scope of a crawl is the origins (host and port) of its start requests: the `url`
argument names them. Any other request (a redirect to another site, a link or refresh to a
private or loopback address, the same host on another port) is refused before anything is
sent to it, its robots.txt included, and counted. `http` and `https` on their default ports
are one origin, as are `www.`/`m.` and the bare host (the same blog's desktop and mobile
names, as `platforms.tistory.listing` treats them).
"""

from __future__ import annotations

import ipaddress
import logging
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}
BLOG_ALIASES = re.compile(r"^(?:www|m)\.")
REASONS = {
    "scheme": "not http(s)",
    "other_port": "same host, another port",
    "private_address": "a private, loopback or link-local address",
    "other_host": "another host",
}
LOGGED_REFUSALS = 5


def _origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host without blog aliases, port or None for the scheme's default port)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = BLOG_ALIASES.sub("", (parts.hostname or "").lower())
    try:
        port = parts.port
    except ValueError:  # not a number: no origin we could be in
        port = -1
    return scheme, host, None if port == DEFAULT_PORTS.get(scheme) else port


def is_private_host(host: str) -> bool:
    """`localhost`, or a literal address that is private, loopback, link-local or reserved."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return not address.is_global or address.is_multicast


class Scope:
    """The origins a crawl may request: those of its start URLs and of `extra` hosts."""

    def __init__(self, extra: list[str] | tuple[str, ...] = ()) -> None:
        self.origins: set[tuple[str, int | None]] = set()
        for entry in extra:
            self.learn(entry if "://" in entry else f"http://{entry}")

    def learn(self, url: str) -> None:
        _scheme, host, port = _origin(url)
        if host:
            self.origins.add((host, port))

    def refusal(self, url: str) -> str | None:
        """Why `url` is out of scope (a `REASONS` key), `None` when it is in (or no scope yet)."""
        if not self.origins:
            return None
        scheme, host, port = _origin(url)
        if scheme not in DEFAULT_PORTS:
            return "scheme"
        if (host, port) in self.origins:
            return None
        if any(host == known for known, _port in self.origins):
            return "other_port"
        return "private_address" if is_private_host(host) else "other_host"


class ScopeMiddleware:
    """Downloader middleware: learn the scope from start requests, refuse what is outside.

    A refused request fails with `IgnoreRequest` (its errback says why) and counts
    `scope/refused` and `scope/refused/<reason>` (`other_host`, `other_port`,
    `private_address`, `scheme`); the first few are logged as warnings.

    Settings: `NEWSCRAWL_SCOPE_ENABLED` (default True), `NEWSCRAWL_ALLOWED_HOSTS` (more
    `host` or `host:port` entries the crawl may follow, e.g. a blog's custom domain).
    """

    def __init__(self, scope: Scope, stats: StatsCollector) -> None:
        self.scope = scope
        self.stats = stats
        self._refused = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScopeMiddleware:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_SCOPE_ENABLED", True):
            raise NotConfigured("NEWSCRAWL_SCOPE_ENABLED is off")
        assert crawler.stats is not None
        middleware = cls(Scope(settings.getlist("NEWSCRAWL_ALLOWED_HOSTS")), crawler.stats)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        """A worker that joined a distributed run makes no start requests of its own: its
        scope is that of the run's start URLs, which the seeder gave (`arguments["url"]`)."""
        if not getattr(spider, "joining", False):
            return
        for url in (getattr(spider, "arguments", {}).get("url") or "").split(","):
            if url.strip():
                self.scope.learn(url.strip())

    def process_request(self, request: Request) -> None:
        # A redirected start request keeps the flag in its meta: only the original counts.
        if request.meta.get("is_start_request") and not request.meta.get("redirect_urls"):
            self.scope.learn(request.url)
            return
        reason = self.scope.refusal(request.url)
        if reason is None:
            return
        self.stats.inc_value("scope/refused")
        self.stats.inc_value(f"scope/refused/{reason}")
        message = f"{request.url} is outside the crawl's scope ({REASONS[reason]}): not followed"
        self._refused += 1
        if self._refused <= LOGGED_REFUSALS:
            came_from = request.meta.get("redirect_urls", [None])[0]
            logger.warning("%s%s", message, f" (redirected from {came_from})" if came_from else "")
        raise IgnoreRequest(message)
