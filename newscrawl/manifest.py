"""The run manifest: what one run did, written beside its export for archive operators.

An archive ingests `<UTC start>.jsonl` and reads `<UTC start>.manifest.json` to know which
run produced it, with which arguments, whether it ended cleanly, and what it counted. The
counts come from the crawl stats, so the manifest and the log never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import newscrawl
from newscrawl.schema import SCHEMA_VERSION

MANIFEST_VERSION = 1

# Manifest count → crawl stat it reports.
COUNTS = {
    "requests": "downloader/request_count",
    "listing_pages": "listing/pages",
    "listing_walk_pauses": "listing/paused",
    "article_pages": "article/pages",
    "articles_parsed": "article/parsed",
    "posts_found": "listing/posts_found",
    "posts_known_not_fetched": "incremental/known",
    "items_exported": "export/items",
    "skipped_already_exported": "state/skipped_exported",
    "revisions": "state/revisions",
    "dates_unparsed": "dates/unparsed",
    "invalid_dropped": "validate/dropped",
    "not_articles": "article/not_article",
    "off_category": "listing/off_category",
    "protected": "article/protected",
    "retries": "retry/count",
    "backoffs": "backoff/count",
}

# Error kind → stat prefix whose sub-keys are summed (or the exact stat).
ERROR_STATS = {
    "listing_page_failed": "listing/failed",
    "start_url_failed": "start/failed",
    "article_failed": "article/failed",
    "retries_exhausted": "retry/max_reached",
    "http_error_ignored": "httperror/response_ignored_count",
    "export_failed": "export/failed",
    "state_write_failed": "state/write_failed",
    "robots_forbidden": "robotstxt/forbidden",
    "too_large": "size/refused",
    "redirect_loop": "redirect/loop",
    "too_many_redirects": "redirect/too_many",
    "sitemap_unusable": "sitemap/unusable",
    "sitemap_loop": "sitemap/loop",
    "sitemap_too_deep": "sitemap/too_deep",
    "feed_unusable": "feed/unusable",
}
ERROR_PREFIXES = {
    "download": "downloader/exception_type_count/",
    "spider": "spider_exceptions/",
    "http": "httperror/response_ignored_status_count/",
    "out_of_scope": "scope/refused/",
}


def base_manifest() -> dict[str, Any]:
    """Fields every manifest carries, finished or recovered."""
    return {
        "manifest_version": MANIFEST_VERSION,
        "schema_version": SCHEMA_VERSION,
        "newscrawl_version": newscrawl.__version__,
    }


def counts(stats: Mapping[str, Any]) -> dict[str, int]:
    """The manifest's counts, 0 where the run never touched a stat."""
    total = {name: int(stats.get(stat, 0) or 0) for name, stat in COUNTS.items()}
    total["duplicates_dropped"] = _sum_prefix(stats, "dedupe/dropped/")
    return total


def errors(stats: Mapping[str, Any]) -> dict[str, int]:
    """Errors by kind (only the kinds that happened)."""
    found = {kind: int(stats.get(stat, 0) or 0) for kind, stat in ERROR_STATS.items()}
    for kind, prefix in ERROR_PREFIXES.items():
        for key, value in stats.items():
            if key.startswith(prefix):
                found[f"{kind}:{key.removeprefix(prefix)}"] = int(value)
    return {kind: value for kind, value in sorted(found.items()) if value}


def _sum_prefix(stats: Mapping[str, Any], prefix: str) -> int:
    return sum(int(value) for key, value in stats.items() if key.startswith(prefix))
