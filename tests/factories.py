"""Test data shared by the pipeline, schema, health and state tests: one valid exported item,
and the state's record of an exported line."""

from __future__ import annotations

import hashlib
from typing import Any

from newscrawl.items import ArticleItem, RelatedPost
from newscrawl.state import ExportedLine

CRAWLED_AT = "2026-11-30T05:00:00+00:00"
HASH_A = "sha256:" + "a" * 64
HASH_B = "sha256:" + "b" * 64
BODY_HASH = "sha256:" + hashlib.sha256("본문".encode()).hexdigest()
RELATED_ROW = {
    "title": "Wakeup call",
    "url": "https://b.tistory.com/80",
    "comment_count": 0,
    "published_at": "2019-04-07",
}


def article_item(**fields: Any) -> ArticleItem:
    """A schema-valid item with every field filled; `fields` override."""
    values: dict[str, Any] = {
        "id": "tistory:1:81",
        "url": "https://b.tistory.com/81",
        "site": "b.tistory.com",
        "platform": "tistory",
        "post_id": "81",
        "title": "제목",
        "author": "글쓴이",
        "category": ["게시판", "더 나은 미래를 위해"],
        "tags": ["태그", "다른 태그"],
        "published_at": "2019-04-08T10:27:00+09:00",
        "modified_at": "2019-04-09T08:00:00+09:00",
        "published_raw": "2019. 4. 8. 10:27",
        "modified_raw": "2019-04-09T08:00:00+09:00",
        "body_text": "본문",
        "body_html": "<p>본문</p>",
        "images": ["https://blog.kakaocdn.net/dn/a.png", "http://cfile7.uf.tistory.com/attach/1"],
        "comment_count": 2,
        "related": [RelatedPost(**RELATED_ROW)],
        "content_hash": BODY_HASH,
        "crawled_at": CRAWLED_AT,
    }
    values.update(fields)
    return ArticleItem(**values)


def exported_line(
    post: str, digest: str = HASH_A, revision: int = 1, export: str = "x.jsonl"
) -> ExportedLine:
    """What the exporter records of post `post` of a Tistory blog, once its line is on disk."""
    return ExportedLine(
        id=f"tistory:1:{post}",
        url=f"https://blog.example/{post}",
        content_hash=digest,
        revision=revision,
        category=("게시판",),
        crawled_at="2026-11-30T01:00:00+00:00",
        export_file=export,
    )
