"""Scrapy settings for newscrawl: polite defaults for real blogs.

Every `NEWSCRAWL_*` setting is documented in README.md ("Settings"). Tests and the demo lift
the politeness limits with `-s` options for their 127.0.0.1 server only.
"""

from __future__ import annotations

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"
# Our `crawl` command wraps Scrapy's: one-line argument errors and a run-health exit code.
COMMANDS_MODULE = "newscrawl.commands"

# Politeness: identify ourselves, obey robots.txt, one or two requests at a time per blog.
USER_AGENT = "newscrawl/0.1 (blog archiver; set USER_AGENT to name your contact)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_TIMES = 3
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# No control endpoint on an unattended nightly crawler.
REMOTE_CONTROL_ENABLED = False

# Scrapy 2.19 starts CONCURRENT_ITEMS tasks per callback result even for one item; our
# callbacks yield one item each, so a small number saves scheduling work.
CONCURRENT_ITEMS = 10

ITEM_PIPELINES = {
    "newscrawl.pipelines.DateNormalisationPipeline": 100,
    "newscrawl.pipelines.FieldCoveragePipeline": 150,
    "newscrawl.pipelines.DeduplicationPipeline": 200,
    "newscrawl.pipelines.RevisionPipeline": 400,
    "newscrawl.pipelines.NearDuplicatePipeline": 500,
    "newscrawl.pipelines.ValidationPipeline": 800,
    "newscrawl.pipelines.JsonLinesExportPipeline": 900,
}

# Logs name items by id and URL (not their whole body); INFO by default for nightly logs.
LOG_FORMATTER = "newscrawl.logformat.ArchiveLogFormatter"
LOG_LEVEL = "INFO"

# `-O file.jsonl` keeps Korean readable too.
FEED_EXPORT_ENCODING = "utf-8"

# --- newscrawl ---
NEWSCRAWL_TIMEZONE = "Asia/Seoul"
NEWSCRAWL_MAX_LISTING_PAGES = 1000
# Listing pages fetched ahead of the one being walked (from page 2 on); pages stay in order.
NEWSCRAWL_LISTING_LOOKAHEAD = 3
# Listing walks pause while more requests than this wait in the scheduler (bounded memory).
NEWSCRAWL_MAX_BACKLOG = 2000
# Read each walk's RSS/Atom feed once the walk is over: posts the listing missed (one request).
NEWSCRAWL_FEEDS = True
NEWSCRAWL_EXPORT_ENABLED = True
NEWSCRAWL_EXPORT_DIR = "output"
# Archive state (see README "Run contract"): what was exported, by which run, which revision.
NEWSCRAWL_STATE_DIR = ".newscrawl"
NEWSCRAWL_STATE_BACKEND = "newscrawl.state.sqlite.SqliteStateStore"
# A batch of export lines is fsynced, then recorded in the state, every N items or T seconds.
NEWSCRAWL_EXPORT_BATCH_ITEMS = 100
NEWSCRAWL_EXPORT_BATCH_SECONDS = 5.0
# Check every line against newscrawl/schema/article.schema.json; drop (and count) bad ones.
NEWSCRAWL_VALIDATE = True
# Mark reposts (README "Near-duplicates"): `duplicate_of`/`similarity` when an earlier post of
# another URL has a body of estimated Jaccard similarity >= the threshold (5-char shingles).
NEWSCRAWL_NEAR_DUPLICATES = True
NEWSCRAWL_NEAR_DUPLICATE_THRESHOLD = 0.8
NEWSCRAWL_MINHASH_PERMUTATIONS = 128
# Bodies shorter than this (normalised characters) are not fingerprinted.
NEWSCRAWL_NEAR_DUPLICATE_MIN_CHARS = 200

# --- distributed runs (README "Running on many machines") ---
# With NEWSCRAWL_REDIS_URL set (here, with -s, or as an environment variable) the add-on
# moves the request queue, the dupefilter and the archive state to Redis; unset: no change.
ADDONS = {"newscrawl.distributed.addon.RedisAddon": 0}
NEWSCRAWL_REDIS_URL = None
# Keys of this archive in Redis start with this (one prefix per archive).
NEWSCRAWL_REDIS_PREFIX = "newscrawl"
# Names this worker's export files and its claims; default `<hostname>-<pid>`.
NEWSCRAWL_WORKER_ID = None
# A worker stops once the shared queue has been idle (empty, nobody busy) this long (s).
NEWSCRAWL_REDIS_IDLE_SECONDS = 30.0
# A killed worker's claims and export part are taken over once its heartbeat is this old (s).
NEWSCRAWL_REDIS_WORKER_TTL = 30.0

# --- reliability ---
# What a hostile or failing server meets (README "Reliability"): requests stay on the start
# URLs' origins, redirect loops end at once, overloaded servers get backoff and Retry-After.
DOWNLOADER_MIDDLEWARES = {
    "newscrawl.scope.ScopeMiddleware": 60,  # before robots.txt: not even that is fetched
    "newscrawl.backoff.BackoffMiddleware": 560,  # sees 429/503 before the retry is queued
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "newscrawl.redirects.LoopSafeMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "newscrawl.limits.CountedDecompressionMiddleware": 590,  # counts gzip bombs refused
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "newscrawl.redirects.LoopSafeRedirectMiddleware": 600,
}
NEWSCRAWL_SCOPE_ENABLED = True
# More hosts (`host` or `host:port`) a crawl may follow, e.g. a blog's custom domain.
NEWSCRAWL_ALLOWED_HOSTS: list[str] = []
NEWSCRAWL_BACKOFF_ENABLED = True
# First backoff delay (s) on a 5xx/429/connection error without Retry-After; doubles after.
NEWSCRAWL_BACKOFF_START_DELAY = 1.0
# Cap (s) of any backoff delay, a server's Retry-After included.
NEWSCRAWL_MAX_RETRY_AFTER = 60.0

# --- run health & progress ---

# Exit 1 when more than this fraction of requests failed (judged from 20 requests on).
NEWSCRAWL_HEALTH_MAX_ERROR_RATE = 0.05
# Exit 1 when fewer than this fraction of parsed posts has a required field (from 10 posts).
NEWSCRAWL_HEALTH_MIN_COVERAGE = 0.9
# The fields whose coverage is judged (counted by FieldCoveragePipeline).
NEWSCRAWL_HEALTH_REQUIRED_FIELDS = ["title", "published_at", "body_text"]
# Seconds between progress lines on stderr (INFO); 0 turns them off.
NEWSCRAWL_PROGRESS_INTERVAL = 10
# The progress line and the end-of-run summary with its health verdict.
EXTENSIONS = {"newscrawl.progress.ProgressReporter": 500}
