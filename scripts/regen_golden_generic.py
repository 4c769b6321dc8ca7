"""Regenerate the expected JSON of the generic-extractor and profile golden fixtures.

Same contract as `regen_golden.py`: never edit the JSON by hand, run this, read
`git diff tests/fixtures` before committing. `tests/fixtures/generic/<name>.json` is the
generic extractor's item; `tests/fixtures/profiles/<name>.json` the item of the shipped profile
named by its `_profile` (a file in `newscrawl/profiles/examples/`). A new fixture needs
`--url`, `--shape` (and `--profile` for a profile fixture) once:

    python scripts/regen_golden_generic.py                       # every fixture with a .json
    python scripts/regen_golden_generic.py generic/NAME --url URL --shape "…"
    python scripts/regen_golden_generic.py profiles/NAME --url URL --shape "…" --profile hugo-ananke
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "newscrawl" / "profiles" / "examples"

sys.path.insert(0, str(ROOT))
from newscrawl import generic  # noqa: E402
from newscrawl.items import PIPELINE_FIELDS, ArticleItem  # noqa: E402
from newscrawl.profiles import load_profile  # noqa: E402


def parse(name: str, html: str, url: str, profile: str | None) -> ArticleItem | None:
    """The item the fixture `name` (`generic/…` or `profiles/…`) expects."""
    if name.startswith("profiles/"):
        if not profile:
            raise SystemExit(f"{name}: a profile fixture needs --profile")
        return load_profile(EXAMPLES / f"{profile}.toml").parse_article(html, url)
    return generic.extract(html, url)


def regenerate(name: str, url: str | None, shape: str | None, profile: str | None) -> Path:
    json_path = FIXTURES / f"{name}.json"
    current = json.loads(json_path.read_text("utf-8")) if json_path.exists() else {}
    url = url or current.get("_url")
    shape = shape or current.get("_shape")
    profile = profile or current.get("_profile")
    if not url or not shape:
        raise SystemExit(f"{name}: new fixture, give --url and --shape")
    item = parse(name, (FIXTURES / f"{name}.html").read_text("utf-8"), url, profile)
    if item is None:
        raise SystemExit(f"{name}: no article parsed: not an article fixture")
    fields = {k: v for k, v in dataclasses.asdict(item).items() if k not in PIPELINE_FIELDS}
    head = {"_url": url, "_shape": shape, **({"_profile": profile} if profile else {})}
    json_path.write_text(json.dumps({**head, **fields}, ensure_ascii=False, indent=2) + "\n")
    return json_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="generic/NAME or profiles/NAME (default: all)")
    parser.add_argument("--url")
    parser.add_argument("--shape")
    parser.add_argument("--profile", help="shipped profile name (profiles/ fixtures)")
    args = parser.parse_args(argv)
    names = args.names or sorted(
        str(path.relative_to(FIXTURES).with_suffix(""))
        for folder in ("generic", "profiles")
        for path in (FIXTURES / folder).glob("*.json")
    )
    if (args.url or args.shape or args.profile) and len(names) != 1:
        raise SystemExit("--url/--shape/--profile apply to exactly one fixture")
    for name in names:
        print(regenerate(name, args.url, args.shape, args.profile).relative_to(ROOT))


if __name__ == "__main__":
    main()
