"""Regenerate the expected JSON of a platform's golden fixtures from the current parsers.

The expected files are the contract the tests hold the parsers to, so they are never edited by
hand and never regenerated blindly: run this, then read `git diff tests/fixtures` before
committing. Each `tests/fixtures/<platform>/<name>.json` keeps its `_url` (the URL the page is
parsed with) and `_shape` (what skin shape the page stands for); a `profiles` fixture also
keeps `_profile` (the shipped profile in `newscrawl/profiles/examples/` that parses it). A new
fixture needs them once on the command line:

    python scripts/regen_golden.py                      # Tistory: all fixtures with a .json
    python scripts/regen_golden.py --platform wordpress # another platform's (see --help)
    python scripts/regen_golden.py NAME                 # only these
    python scripts/regen_golden.py NAME --url URL --shape "short description"   # new fixture
    python scripts/regen_golden.py --listing [NAME --url URL]   # listing fixtures (no shape)
    python scripts/regen_golden.py --platform profiles NAME --url URL --shape "…" \\
        --profile hugo-ananke
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "newscrawl" / "profiles" / "examples"

sys.path.insert(0, str(ROOT))
from newscrawl import generic  # noqa: E402
from newscrawl.items import PIPELINE_FIELDS, ArticleItem  # noqa: E402
from newscrawl.platforms.blogger import article as blogger_article  # noqa: E402
from newscrawl.platforms.blogger import listing as blogger_listing  # noqa: E402
from newscrawl.platforms.tistory import article as tistory_article  # noqa: E402
from newscrawl.platforms.tistory import listing as tistory_listing  # noqa: E402
from newscrawl.platforms.wordpress import article as wordpress_article  # noqa: E402
from newscrawl.platforms.wordpress import listing as wordpress_listing  # noqa: E402
from newscrawl.profiles import load_profile  # noqa: E402

ArticleParser = Callable[[str, str, str | None], ArticleItem | None]  # html, url, profile
# html, url → the parser's own dataclass (Tistory's `Listing`, a `ListingPage`).
ListingParser = Callable[[str, str], Any]


@dataclasses.dataclass(frozen=True)
class Golden:
    """What parses one platform's fixtures, and what its listing JSON records."""

    parse_article: ArticleParser
    parse_listing: ListingParser | None = None
    # The listing fields the JSON records; `None`: the whole parsed listing.
    listing_fields: tuple[str, ...] | None = None
    needs_profile: bool = False


def _profile_article(html: str, url: str, profile: str | None) -> ArticleItem | None:
    if not profile:
        raise SystemExit("a profiles fixture needs --profile")
    return load_profile(EXAMPLES / f"{profile}.toml").parse_article(html, url)


def _without_profile(parse: Callable[[str, str], ArticleItem | None]) -> ArticleParser:
    return lambda html, url, _profile: parse(html, url)


PLATFORMS: dict[str, Golden] = {
    "tistory": Golden(
        _without_profile(tistory_article.parse_article), tistory_listing.parse_listing
    ),
    # WordPress's listing JSON was written with the two fields its HTML listings fill.
    "wordpress": Golden(
        _without_profile(wordpress_article.parse_article),
        wordpress_listing.parse_listing,
        ("post_urls", "next_url"),
    ),
    "blogger": Golden(
        _without_profile(blogger_article.parse_article), blogger_listing.parse_listing
    ),
    "generic": Golden(_without_profile(generic.extract)),
    "profiles": Golden(_profile_article, needs_profile=True),
}


def expected_listing(golden: Golden, html: str, url: str) -> dict:
    """The parsed listing as its golden JSON records it, with its `_url`."""
    assert golden.parse_listing is not None
    fields = dataclasses.asdict(golden.parse_listing(html, url))
    if golden.listing_fields is not None:
        fields = {key: fields[key] for key in golden.listing_fields}
    return {"_url": url, **fields}


def expected(golden: Golden, html: str, url: str, shape: str, profile: str | None) -> dict:
    """The parsed item as the golden JSON records it, with `_url`, `_shape` (and `_profile`)."""
    item = golden.parse_article(html, url, profile)
    if item is None:
        raise SystemExit(f"no article parsed from {url}: not an article fixture")
    fields = {k: v for k, v in dataclasses.asdict(item).items() if k not in PIPELINE_FIELDS}
    head = {"_url": url, "_shape": shape, **({"_profile": profile} if profile else {})}
    return {**head, **fields}


def regenerate(
    folder: Path,
    golden: Golden,
    name: str,
    new: argparse.Namespace,
    *,
    listing: bool,
) -> Path:
    """Rewrite `<name>.json` from `<name>.html`; `--url`/`--shape`/`--profile` default to the
    current JSON's."""
    json_path = folder / f"{name}.json"
    current = json.loads(json_path.read_text("utf-8")) if json_path.exists() else {}
    url = new.url or current.get("_url")
    shape = new.shape or current.get("_shape")
    profile = new.profile or current.get("_profile")
    if not url or not (shape or listing):
        raise SystemExit(f"{name}: new fixture, give --url" + ("" if listing else " and --shape"))
    html = (folder / f"{name}.html").read_text("utf-8")
    if listing:
        data = expected_listing(golden, html, url)
    else:
        data = expected(golden, html, url, shape, profile)
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return json_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="fixture names (default: all with a .json)")
    parser.add_argument("--platform", choices=sorted(PLATFORMS), default="tistory")
    parser.add_argument("--url", help="URL to parse a new fixture with")
    parser.add_argument("--shape", help="short description of a new fixture's skin shape")
    parser.add_argument("--profile", help="shipped profile name (profiles fixtures)")
    parser.add_argument("--listing", action="store_true", help="listing fixtures (listing/)")
    args = parser.parse_args(argv)
    golden = PLATFORMS[args.platform]
    if args.listing and golden.parse_listing is None:
        parser.error(f"{args.platform} has no listing fixtures")
    if args.profile and not golden.needs_profile:
        parser.error("--profile applies to --platform profiles")
    folder = FIXTURES / args.platform / ("listing" if args.listing else "")
    names = args.names or sorted(path.stem for path in folder.glob("*.json"))
    if (args.url or args.shape or args.profile) and len(names) != 1:
        raise SystemExit("--url/--shape/--profile apply to exactly one fixture")
    for name in names:
        print(regenerate(folder, golden, name, args, listing=args.listing).relative_to(ROOT))


if __name__ == "__main__":
    main()
