"""The exported record: one article per post, with its related-posts rows.

Parsers fill these plain dataclasses from HTML; the spider adds what only the crawl knows
(`crawled_at`); pipelines normalise dates and drop duplicates; the exporter writes one JSON
object per line. Every field states its format, because the export is a contract with the
archives that ingest it (see README "Item schema").
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Filled after parsing (date pipeline, spider, revision and near-duplicate pipelines): a
# parser's own output, and so its golden files, leave them at their defaults.
PIPELINE_FIELDS = frozenset(
    {"crawled_at", "published_at", "modified_at", "revision", "previous_hash"}
    | {"duplicate_of", "similarity"}
)


@dataclass
class RelatedPost:
    """One row of Tistory's "'A > B' 카테고리의 다른 글" table.

    - `title`: the row's link text, whitespace collapsed.
    - `url`: absolute canonical post URL (query such as `?category=NNN` removed).
    - `comment_count`: the `(N)` beside the title; 0 when the row shows none.
    - `published_at`: the row's date as `YYYY-MM-DD`. The table gives a calendar day only,
      so no time or offset is invented; `None` when the row's date cannot be read.
    """

    title: str
    url: str
    comment_count: int
    published_at: str | None


@dataclass
class ArticleItem:
    """One post of a blog, as exported.

    - `id`: stable identity. `tistory:<blogId>:<entryId>` when the page exposes Tistory's own
      identity (`article:txid` meta or `T.entryInfo` + blog id), else the canonical URL.
    - `url`: canonical post URL (`link[rel=canonical]`/`og:url`, else the normalised fetch URL).
    - `site`: host of `url`, lower case.
    - `platform`: `"tistory"` (other platforms set their own name).
    - `post_id`: the platform's post key: Tistory entry number as text (`"81"`), or the
      `/entry/<slug>` slug when no number is known.
    - `title`: post title, whitespace collapsed.
    - `author`: display name of the author, or `None`.
    - `category`: category path, root first (`["게시판", "더 나은 미래를 위해"]`); `[]` if none.
    - `tags`: tag labels in page order, without `#`, de-duplicated.
    - `published_at` / `modified_at`: ISO 8601 instants with offset
      (`2019-04-08T10:27:00+09:00`), or `None` when absent or unparseable. Filled by the
      date pipeline from the `*_raw` strings.
    - `published_raw` / `modified_raw`: the date strings exactly as found on the page.
    - `body_text`: article text; paragraphs separated by a blank line (`"\n\n"`).
    - `body_html`: the article body with scripts, styles, ads (`revenue_unit_wrap`,
      `adsbygoogle`), reaction/share widgets and the related-posts block removed.
    - `images`: absolute image URLs in body order, lazy-load attributes resolved, no repeats.
    - `comment_count`: number of comments the page shows, or `None` when it shows none.
    - `related`: rows of the related-posts block (`RelatedPost`), `[]` when the page has none.
    - `content_hash`: `sha256:<hex>` of the normalised body text (whitespace collapsed,
      NFC), so the same text under different markup hashes the same.
    - `crawled_at`: UTC instant the page was fetched, ISO 8601 with `+00:00`. Relative dates
      (`3시간 전`) are resolved against it.
    - `revision`: 1 the first time a post is exported; each later export of the same `id` with
      a different `content_hash` (an edited post) carries the next number.
    - `previous_hash`: the `content_hash` of the revision this one replaces; `None` on
      revision 1.
    - `extraction`: how the fields were read: `"parser"` (the platform's own parser, from its
      HTML or its API), `"profile"` (a user's TOML profile) or `"generic"` (trafilatura and
      htmldate on a page no parser or profile recognised), so an archive can weigh them.
    - `duplicate_of`: the `id` of an earlier exported post of another URL whose body is
      near-identical to this one (a repost), or `None`.
    - `similarity`: the estimated Jaccard similarity of the two bodies (0–1) when
      `duplicate_of` is set, else `None`.
    """

    id: str
    url: str
    site: str
    platform: str
    post_id: str | None
    title: str | None
    author: str | None = None
    category: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    published_at: str | None = None
    modified_at: str | None = None
    published_raw: str | None = None
    modified_raw: str | None = None
    body_text: str = ""
    body_html: str = ""
    images: list[str] = field(default_factory=list)
    comment_count: int | None = None
    related: list[RelatedPost] = field(default_factory=list)
    content_hash: str = ""
    crawled_at: str | None = None
    revision: int = 1
    previous_hash: str | None = None
    extraction: str = "parser"
    duplicate_of: str | None = None
    similarity: float | None = None
