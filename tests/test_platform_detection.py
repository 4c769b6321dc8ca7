"""Platform detection on every real page of the shared corpus, and on our own fixtures.

`scrapy crawl blog` picks a parser from the first page it fetches, so detection must name the
right platform for every page of a platform we parse, and no built-in platform for pages of
the others (Medium, Naver, static sites), which go to a profile or the generic extractor.
The corpus is read in place from `../shared/corpus/`; its part is skipped when absent.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from newscrawl.platforms.base import detect, discover

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUILT_IN = {platform.name for platform in discover()}


def _corpus_pages() -> list[tuple[str, str]]:
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.exists():
        return []
    with manifest.open(encoding="utf-8") as rows:
        return [(row["file"], row["platform"]) for row in csv.DictReader(rows, delimiter="\t")]


def _fixture_pages() -> list[tuple[str, str]]:
    """Our own golden pages of each built-in platform (listings included)."""
    return [
        (str(path.relative_to(FIXTURES)), platform)
        for platform in sorted(BUILT_IN)
        for path in sorted((FIXTURES / platform).rglob("*.html"))
    ]


def _expected(platform: str) -> str | None:
    return platform if platform in BUILT_IN else None


def test_the_three_platforms_are_built_in() -> None:
    assert {"tistory", "wordpress", "blogger"} <= BUILT_IN


@pytest.mark.skipif(not _corpus_pages(), reason=f"shared corpus not found at {CORPUS}")
@pytest.mark.parametrize(("name", "platform"), _corpus_pages())
def test_every_corpus_page_is_detected_as_its_platform(name: str, platform: str) -> None:
    html = (CORPUS / name).read_text("utf-8", errors="replace")
    found = detect(html, "https://corpus.invalid/page")
    assert (found.name if found else None) == _expected(platform), name


@pytest.mark.parametrize(("name", "platform"), _fixture_pages())
def test_every_fixture_page_is_detected_as_its_platform(name: str, platform: str) -> None:
    html = (FIXTURES / name).read_text("utf-8")
    found = detect(html, "https://fixture.invalid/page")
    assert found is not None and found.name == platform, name
