"""Regenerate the expected JSON of the Tistory golden fixtures from the current parser.

The expected files are the contract the tests hold the parser to, so they are never edited by
hand and never regenerated blindly: run this, then read `git diff tests/fixtures` before
committing. Each `<name>.json` keeps its `_url` (the URL the page is parsed with) and `_shape`
(what skin shape the page stands for); a new fixture needs them once on the command line:

    python scripts/regen_golden.py                      # all fixtures that have a .json
    python scripts/regen_golden.py NAME                 # only these
    python scripts/regen_golden.py NAME --url URL --shape "short description"   # new fixture
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "tistory"
# Filled after parsing (date pipeline, spider), so they are not part of the parser's output.
NOT_EXPECTED = ("crawled_at", "published_at", "modified_at")

sys.path.insert(0, str(ROOT))
from newscrawl.platforms.tistory.article import parse_article  # noqa: E402


def expected(html: str, url: str, shape: str) -> dict:
    """The parsed item as the golden JSON records it, with its `_url` and `_shape`."""
    item = parse_article(html, url)
    if item is None:
        raise SystemExit(f"parse_article returned None for {url}: not an article fixture")
    fields = {k: v for k, v in dataclasses.asdict(item).items() if k not in NOT_EXPECTED}
    return {"_url": url, "_shape": shape, **fields}


def regenerate(name: str, url: str | None, shape: str | None) -> Path:
    """Rewrite `<name>.json` from `<name>.html`; `url`/`shape` default to the current JSON's."""
    html_path = FIXTURES / f"{name}.html"
    json_path = FIXTURES / f"{name}.json"
    current = json.loads(json_path.read_text("utf-8")) if json_path.exists() else {}
    url = url or current.get("_url")
    shape = shape or current.get("_shape")
    if not url or not shape:
        raise SystemExit(f"{name}: new fixture, give --url and --shape")
    data = expected(html_path.read_text("utf-8"), url, shape)
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return json_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="fixture names (default: all with a .json)")
    parser.add_argument("--url", help="URL to parse a new fixture with")
    parser.add_argument("--shape", help="short description of a new fixture's skin shape")
    args = parser.parse_args(argv)
    names = args.names or sorted(path.stem for path in FIXTURES.glob("*.json"))
    if (args.url or args.shape) and len(names) != 1:
        raise SystemExit("--url/--shape apply to exactly one fixture")
    for name in names:
        print(regenerate(name, args.url, args.shape).relative_to(ROOT))


if __name__ == "__main__":
    main()
