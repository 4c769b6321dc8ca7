"""Near-duplicate measurements: which shingles, and what a fingerprint costs.

`python -m bench.neardup` (needs `../shared/corpus` and `../shared/seed`) reads the real
corpus pages (Tistory pages through our parser, the others through trafilatura) and the seed
article, then reports for several shingle kinds the exact Jaccard similarity of

- each article and its repost (an intro paragraph and a footer of the reposting blog added),
- the same page as two extractors cut it (our parser and trafilatura: other boundaries),
  and one post saved in two corpus files,
- every pair of different articles (the background a threshold must clear),

and the CPU time of one fingerprint of a 60,000-character body (the corpus texts run
together) and of the pipeline's index lookup + record with the state holding 1,000 and
20,000 fingerprints, and for a repost of an indexed body (one candidate compared, marked).
Results go to stdout as a table and to `bench/neardup.json`.
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import trafilatura

from newscrawl.neardup import Fingerprint, Fingerprinter, normalise
from newscrawl.platforms.tistory.article import parse_article
from newscrawl.state.sqlite import SqliteStateStore
from newscrawl.testing import PROJECT_ROOT

SHARED = PROJECT_ROOT.parent / "shared"
RESULTS = PROJECT_ROOT / "bench" / "neardup.json"
INTRO = {
    "ko": "오늘 읽은 기사가 좋아서 여기에 옮겨 둡니다.",
    "en": "Worth sharing, from today's paper:",
}
FOOTER = {
    "ko": "출처: 원문 기사. 의견은 댓글로 남겨 주세요.",
    "en": "Source: the original article.",
}
SIZES = (1_000, 20_000)
BODY_CHARS = 60_000
SHINGLES = [("char", 3), ("char", 4), ("char", 5), ("char", 7), ("word", 2), ("word", 3)]


def corpus() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Article texts by name, and pairs of names that are one page cut by two extractors."""
    texts: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    for path in sorted((SHARED / "corpus").glob("*/*.html")):
        html = path.read_text(encoding="utf-8", errors="replace")
        generic = trafilatura.extract(html) or ""
        parsed = parse_article(html, "https://x.tistory.com/1") if "tistory" in path.parts else None
        if parsed and len(parsed.body_text) >= 200:
            texts[f"{path.stem} (parser)"] = parsed.body_text
            if len(generic) >= 200:
                pairs.append((f"{path.stem} (parser)", f"{path.stem} (trafilatura)"))
                texts[f"{path.stem} (trafilatura)"] = generic
        elif len(generic) >= 200:
            texts[path.stem] = generic
    for seed in sorted((SHARED / "seed").glob("*.txt")):
        texts["seed"] = seed.read_text(encoding="utf-8")
    first_of: dict[str, str] = {}
    for name, text in texts.items():  # one post saved twice is one article in two files
        first = first_of.setdefault(normalise(text), name)
        if first != name:
            pairs.append((first, name))
    return texts, pairs


def shingler(kind: str, size: int) -> Callable[[str], set[str]]:
    def chars(text: str) -> set[str]:
        text = normalise(text)
        return {text[i : i + size] for i in range(len(text) - size + 1)}

    def words(text: str) -> set[str]:
        tokens = normalise(text).split()
        return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}

    return chars if kind == "char" else words


def jaccard(one: set[str], two: set[str]) -> float:
    return len(one & two) / len(one | two) if one | two else 1.0


def repost(text: str) -> str:
    language = "ko" if any("가" <= char <= "힣" for char in text) else "en"
    return f"{INTRO[language]}\n\n{text}\n\n{FOOTER[language]}"


def shingle_table(texts: dict[str, str], pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Per shingle kind: repost, two-extractor and different-article similarities."""
    twins = {second for _, second in pairs}
    distinct = [name for name in texts if name not in twins]
    rows = []
    for kind, size in SHINGLES:
        shingles = shingler(kind, size)
        sets = {name: shingles(text) for name, text in texts.items()}
        reposts = [jaccard(sets[name], shingles(repost(texts[name]))) for name in distinct]
        long = [
            value for name, value in zip(distinct, reposts, strict=True) if len(texts[name]) >= 700
        ]
        extractors = [jaccard(sets[one], sets[two]) for one, two in pairs]
        different = sorted(
            jaccard(sets[a], sets[b]) for a, b in itertools.combinations(distinct, 2)
        )
        rows.append(
            {
                "shingle": f"{kind} {size}",
                "repost_min_700_chars": round(min(long), 3),
                "repost_median": round(statistics.median(reposts), 3),
                "two_extractors_median": round(statistics.median(extractors), 3),
                "different_max": round(different[-1], 3),
                "different_p99": round(different[int(len(different) * 0.99)], 3),
            }
        )
    return rows


def cpu_us(function: Callable[[], object], repeat: int = 30) -> dict[str, float]:
    """CPU time of one call, µs: median and minimum (on a shared machine, wall time measures
    the neighbours, and even CPU time swells with their cache use: the minimum is the
    machine's own figure)."""
    times = []
    for _ in range(repeat):
        start = time.process_time_ns()
        function()
        times.append(time.process_time_ns() - start)
    return {"median": round(statistics.median(times) / 1000, 1), "min": round(min(times) / 1000, 1)}


def timings(texts: dict[str, str]) -> dict[str, Any]:
    """A 60,000-character body: its fingerprint, and the index lookup + record of the
    pipeline's step at two archive sizes and for a marked repost (one candidate compared)."""
    body = "\n\n".join(texts.values())[:BODY_CHARS]
    reposted = f"Worth sharing:\n\n{body}\n\nSource: the paper."
    fingerprinter = Fingerprinter()
    result: dict[str, Any] = {
        "body_chars": len(body),
        "fingerprint_us": cpu_us(lambda: fingerprinter.fingerprint(body)),
        "fingerprint_4000_chars_us": cpu_us(lambda: fingerprinter.fingerprint(body[:4000])),
    }
    fingerprint, repost = fingerprinter.fingerprint(body), fingerprinter.fingerprint(reposted)
    assert fingerprint is not None and repost is not None
    with tempfile.TemporaryDirectory() as directory:
        store = SqliteStateStore(Path(directory))
        store.open()
        try:
            for size in SIZES:
                _fill(store, size)
                result[f"index_us_archive_{size}"] = cpu_us(
                    lambda: _index(store, fingerprinter, fingerprint, "https://new/1")
                )
            # The body is indexed now, as "https://new/1" (re-recorded, never its own match).
            result[f"index_us_archive_{SIZES[-1]}_marked"] = cpu_us(
                lambda: _index(store, fingerprinter, repost, "https://repost/1")
            )
            assert _index(store, fingerprinter, repost, "https://repost/1")
        finally:
            store.close()
    return result


def _fill(store: SqliteStateStore, size: int) -> None:
    """Grow the index to `size` posts of random bands: lookups cost what the index holds."""
    have = store.db.execute("SELECT count(*) FROM fingerprints").fetchone()[0]
    for number in range(have, size):
        bands = [f"{band}:{secrets.token_hex(8)}" for band in range(14)]
        store.add_fingerprint(f"fill:{number}", f"https://fill/{number}", bands, os.urandom(512))


def _index(
    store: SqliteStateStore, fingerprinter: Fingerprinter, fingerprint: Fingerprint, url: str
) -> bool:
    """`NearDuplicatePipeline.process_item` after the fingerprint; True when marked."""
    candidates = store.similar_candidates(fingerprint.band_keys)
    match = fingerprinter.earliest_match(fingerprint, candidates, url, url)
    store.add_fingerprint(url, url, () if match else fingerprint.band_keys, fingerprint.signature)
    return match is not None


def main() -> int:
    if not (SHARED / "corpus").is_dir():
        print(f"{SHARED / 'corpus'} is missing: nothing to measure")
        return 1
    texts, pairs = corpus()
    rows, cost = shingle_table(texts, pairs), timings(texts)
    results = {"texts": len(texts), "same_text_pairs": len(pairs), "shingles": rows, "cost": cost}
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[column]) for column in columns) + " |")
    print(json.dumps(cost, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
