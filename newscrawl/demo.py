"""`make demo`: serve the sample blog locally, crawl the seed category, summarise the export.

Runs with no internet: the sample blog is bundled (`newscrawl.sampleblog`). The export lands
in `output/tistory/` like any real run. The archive state is a throw-away directory, so every
demo starts from an empty archive and exports the whole category (a real archive keeps its
state in `.newscrawl/`, and its second run would export only what is new).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from tempfile import TemporaryDirectory

from newscrawl.testing import PROJECT_ROOT, run_crawl, sample_blog

SEED_CATEGORY = "category/게시판/더 나은 미래를 위해"


def main() -> int:
    export_dir = PROJECT_ROOT / "output" / "tistory"
    before = set(export_dir.glob("*.jsonl")) if export_dir.exists() else set()
    with sample_blog() as base_url:
        url = base_url.rstrip("/") + "/" + SEED_CATEGORY
        print(f"Sample blog at {base_url}; crawling {url}")
        with TemporaryDirectory(prefix="newscrawl-demo-state-") as state_dir:
            result = run_crawl("tistory", {"url": url}, {"NEWSCRAWL_STATE_DIR": state_dir})
    if result.returncode != 0:
        print(result.stderr[-3000:], file=sys.stderr)
        print(f"crawl failed with exit status {result.returncode}", file=sys.stderr)
        return result.returncode
    new_files = sorted(set(export_dir.glob("*.jsonl")) - before)
    if not new_files:
        print("crawl finished but wrote no export", file=sys.stderr)
        return 1
    summarise(new_files[-1])
    return 0


def summarise(path: Path) -> None:
    """Print the posts exported and the related-posts rows of the newest one."""
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    items.sort(key=lambda item: item.get("published_at") or "", reverse=True)
    print(f"\n{len(items)} posts exported to {path.relative_to(PROJECT_ROOT)}")
    for item in items:
        print(f"  {item['published_at']}  {item['title']}  ({len(item['related'])} related)")
    newest = items[0] if items else None
    if newest:
        print(f"\nRelated posts of {newest['title']!r}:")
        for row in newest["related"]:
            print(f"  {row['title']} ({row['comment_count']}) | {row['published_at']}")


if __name__ == "__main__":
    sys.exit(main())
