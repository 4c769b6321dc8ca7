"""Regenerate the expected JSON of the WordPress golden fixtures from the current parsers.

As `regen_golden.py` does for Tistory: run it, then read `git diff tests/fixtures/wordpress`
before committing. A new fixture needs its `_url` (and, for articles, `_shape`) once:

    python scripts/regen_wordpress_golden.py                      # every fixture with a .json
    python scripts/regen_wordpress_golden.py NAME --url URL --shape "what it stands for"
    python scripts/regen_wordpress_golden.py --listing [NAME --url URL]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "wordpress"

sys.path.insert(0, str(ROOT))
from newscrawl.items import PIPELINE_FIELDS  # noqa: E402
from newscrawl.platforms.wordpress.article import parse_article  # noqa: E402
from newscrawl.platforms.wordpress.listing import parse_listing  # noqa: E402


def expected(html: str, url: str, shape: str | None, *, listing: bool) -> dict:
    """The parsed page as its golden JSON records it, with `_url` (and `_shape`)."""
    if listing:
        page = parse_listing(html, url)
        return {"_url": url, "post_urls": page.post_urls, "next_url": page.next_url}
    item = parse_article(html, url)
    if item is None:
        raise SystemExit(f"parse_article returned None for {url}: not an article fixture")
    fields = {k: v for k, v in dataclasses.asdict(item).items() if k not in PIPELINE_FIELDS}
    return {"_url": url, "_shape": shape, **fields}


def regenerate(name: str, url: str | None, shape: str | None, *, listing: bool) -> Path:
    folder = FIXTURES / "listing" if listing else FIXTURES
    json_path = folder / f"{name}.json"
    current = json.loads(json_path.read_text("utf-8")) if json_path.exists() else {}
    url = url or current.get("_url")
    shape = shape or current.get("_shape")
    if not url or not (shape or listing):
        raise SystemExit(f"{name}: new fixture, give --url" + ("" if listing else " and --shape"))
    html = (folder / f"{name}.html").read_text("utf-8")
    data = expected(html, url, shape, listing=listing)
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return json_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="fixture names (default: all with a .json)")
    parser.add_argument("--url", help="URL to parse a new fixture with")
    parser.add_argument("--shape", help="short description of a new fixture's theme shape")
    parser.add_argument("--listing", action="store_true", help="listing fixtures (listing/)")
    args = parser.parse_args(argv)
    folder = FIXTURES / "listing" if args.listing else FIXTURES
    names = args.names or sorted(path.stem for path in folder.glob("*.json"))
    if (args.url or args.shape) and len(names) != 1:
        raise SystemExit("--url/--shape apply to exactly one fixture")
    for name in names:
        print(regenerate(name, args.url, args.shape, listing=args.listing).relative_to(ROOT))


if __name__ == "__main__":
    main()
