"""Scrapy's redirects, except that loops end at once and every abandoned chain is counted.

A redirect back to a URL of its own chain (`/21` → `/21?x` → `/21`, or a page that
refreshes to itself) would be dropped silently by Scrapy's duplicate filter: no errback, no
log line, the post simply missing. Here it fails the request with `IgnoreRequest`
("redirect loop"), so the spider's errback counts and logs it like any failed fetch, and
counts `redirect/loop`. A chain longer than `REDIRECT_MAX_TIMES` (fresh URLs every hop)
fails as in Scrapy and counts `redirect/too_many`. Out-of-scope targets are refused by
`newscrawl.scope.ScopeMiddleware` when the redirected request is sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import (
    BaseRedirectMiddleware,
    MetaRefreshMiddleware,
    RedirectMiddleware,
)
from scrapy.exceptions import IgnoreRequest
from w3lib.url import canonicalize_url

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.http import Response


def _guarded(
    middleware: BaseRedirectMiddleware, request: Request, result: Request | Response
) -> Request | Response:
    """`result` of a redirect middleware, refused when it closes a loop."""
    if not isinstance(result, Request) or result is request:
        return result
    chain = [*result.meta.get("redirect_urls", []), result.url]
    seen = {canonicalize_url(url) for url in chain[:-1]}
    if canonicalize_url(result.url) in seen:
        assert middleware.crawler.stats is not None
        middleware.crawler.stats.inc_value("redirect/loop")
        raise IgnoreRequest(f"redirect loop: {' -> '.join(chain)}")
    return result


def _count_too_many(middleware: BaseRedirectMiddleware) -> None:
    assert middleware.crawler.stats is not None
    middleware.crawler.stats.inc_value("redirect/too_many")


class LoopSafeRedirectMiddleware(RedirectMiddleware):
    """`RedirectMiddleware` (3xx + `Location`) that refuses loops and counts give-ups."""

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        try:
            result = super().process_response(request, response)
        except IgnoreRequest:
            _count_too_many(self)
            raise
        return _guarded(self, request, result)


class LoopSafeMetaRefreshMiddleware(MetaRefreshMiddleware):
    """`MetaRefreshMiddleware` (`<meta http-equiv=refresh>`) that refuses loops likewise."""

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        try:
            result = super().process_response(request, response)
        except IgnoreRequest:
            _count_too_many(self)
            raise
        return _guarded(self, request, result)
