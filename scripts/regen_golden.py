"""Regenerate the expected JSON of the Tistory golden fixtures from the current parsers.

The expected files are the contract the tests hold the parser to, so they are never edited by
hand and never regenerated blindly: run this, then read `git diff tests/fixtures` before
committing. Each `<name>.json` keeps its `_url` (the URL the page is parsed with) and `_shape`
(what skin shape the page stands for); a new fixture needs them once on the command line:

    python scripts/regen_golden.py                      # all fixtures that have a .json
    python scripts/regen_golden.py NAME                 # only these
    python scripts/regen_golden.py NAME --url URL --shape "short description"   # new fixture
    python scripts/regen_golden.py --listing [NAME --url URL]   # listing fixtures (no shape)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "tistory"

sys.path.insert(0, str(ROOT))
from newscrawl.items import PIPELINE_FIELDS  # noqa: E402
from newscrawl.platforms.tistory.article import parse_article  # noqa: E402
from newscrawl.platforms.tistory.listing import parse_listing  # noqa: E402


def expected_listing(html: str, url: str, _shape: str | None) -> dict:
    """The parsed listing as its golden JSON records it, with its `_url`."""
    return {"_url": url, **dataclasses.asdict(parse_listing(html, url))}


def expected(html: str, url: str, shape: str | None) -> dict:
    """The parsed item as the golden JSON records it, with its `_url` and `_shape`."""
    item = parse_article(html, url)
    if item is None:
        raise SystemExit(f"parse_article returned None for {url}: not an article fixture")
    fields = {k: v for k, v in dataclasses.asdict(item).items() if k not in PIPELINE_FIELDS}
    return {"_url": url, "_shape": shape, **fields}


def regenerate(name: str, url: str | None, shape: str | None, *, listing: bool) -> Path:
    """Rewrite `<name>.json` from `<name>.html`; `url`/`shape` default to the current JSON's."""
    folder = FIXTURES / "listing" if listing else FIXTURES
    html_path = folder / f"{name}.html"
    json_path = folder / f"{name}.json"
    current = json.loads(json_path.read_text("utf-8")) if json_path.exists() else {}
    url = url or current.get("_url")
    shape = shape or current.get("_shape")
    if not url or not (shape or listing):
        raise SystemExit(f"{name}: new fixture, give --url" + ("" if listing else " and --shape"))
    build = expected_listing if listing else expected
    data = build(html_path.read_text("utf-8"), url, shape)
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return json_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="fixture names (default: all with a .json)")
    parser.add_argument("--url", help="URL to parse a new fixture with")
    parser.add_argument("--shape", help="short description of a new fixture's skin shape")
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
