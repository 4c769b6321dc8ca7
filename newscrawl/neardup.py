"""Near-duplicate fingerprints: a MinHash signature of a body and its LSH band keys.

Blogs repost the same article under their own chrome: an intro line, another footer, other
markup. Two bodies are compared as *sets of 5-character shingles* of their normalised text
(NFC, case-folded, whitespace collapsed). Character shingles need no word segmentation, so
Korean, English and unspaced Chinese or Japanese are treated alike; measured on the real
corpus pages and the seed (`bench/neardup.py`, README "Near-duplicates"), 5 characters keep
different articles below a Jaccard similarity of 0.17 while a repost with an added intro and
footer stays above 0.85 from about 700 characters on.

The signature is datasketch's `MinHash` of those shingles; the band keys are
`MinHashLSH`'s own band hashes (its `hashranges` and `_H`), with the band number in front
because the state keeps every band in one table. The LSH parameters come from datasketch's
optimiser for the threshold, weighted towards recall: a false candidate costs one signature
comparison, a missed one loses a mark.

Shingles are hashed here, vectorised with numpy (a rolling polynomial over code points),
and handed to `MinHash` as ready 32-bit values through its `hashfunc` hook: a set of
shingle strings and datasketch's default SHA-1 of each took 50 ms of CPU on a
60,000-character body where this takes 1.3 ms.

numpy and datasketch are imported on the first body long enough to fingerprint, not with
this module: datasketch loads SciPy (1.3 s of CPU and 50 MiB), which a run that exports
nothing new (the usual nightly run) should not pay.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from typing import TYPE_CHECKING

from newscrawl.state.base import FingerprintRecord, url_key
from newscrawl.text import collapse_whitespace

if TYPE_CHECKING:
    import numpy as np
    from datasketch import MinHash, MinHashLSH

SHINGLE_CHARS = 5
DEFAULT_THRESHOLD = 0.8
DEFAULT_PERMUTATIONS = 128
DEFAULT_MIN_CHARS = 200
# (false positive, false negative) weights for datasketch's band optimiser: at 0.8 and 128
# permutations this gives 14 bands of 9 rows, which finds a pair of true similarity 0.85 in
# 97.5 % and 0.9 in 99.9 % of cases, and one of 0.5 in 2.7 %.
LSH_WEIGHTS = (0.1, 0.9)

_SEED = 1  # MinHash's permutations: signatures are comparable only under one seed
_SCHEME = "affine32"  # datasketch 2's default: uint32 values, so 4 bytes per permutation
_SIGNATURE_DTYPE = "<u4"
_ROLL = 0x9E3779B97F4A7C15  # odd 64-bit multiplier (2^64 / golden ratio)
# Shingles x permutations per MinHash update: its matrix (uint32) is 512 KiB, which stays in
# a 1 MiB L2 cache. Measured on 60 KB bodies at 128 permutations: 1,024 shingles a batch
# take 5.5 ms, 4,096 take 19.6 ms.
_BATCH_VALUES = 1 << 17


@dataclass(frozen=True)
class Fingerprint:
    """What the state keeps of a body: its signature and the band keys it is found by."""

    signature: bytes
    band_keys: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    """The earliest fingerprinted post whose body is near-identical to an item's."""

    post_id: str
    similarity: float


def normalise(text: str) -> str:
    """The text shingles are taken from: NFC, case-folded, whitespace collapsed.

    The same normalisation as `content_hash` plus case folding, so identical bodies (one
    `content_hash`) always have identical signatures.
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return collapse_whitespace(text.casefold())


def shingle_hashes(text: str) -> np.ndarray:
    """Sorted distinct 32-bit hashes of the `SHINGLE_CHARS`-character shingles of `text`."""
    import numpy as np

    roll = np.uint64(_ROLL)
    points = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    count = len(points) - SHINGLE_CHARS + 1
    if count < 1:
        return np.empty(0, dtype=np.uint32)
    rolled = points[:count].copy()
    for offset in range(1, SHINGLE_CHARS):
        rolled *= roll  # wraps modulo 2^64, as intended
        rolled += points[offset : offset + count]
    rolled *= roll  # the high half now depends on every character: keep it
    hashes = np.sort((rolled >> np.uint64(32)).astype(np.uint32))
    # Distinct values of the sorted array; ten times faster than `np.unique` (numpy 2.4).
    return hashes[np.concatenate(([True], hashes[1:] != hashes[:-1]))]


def _given(value: int) -> int:
    """`MinHash`'s hash function: our shingle values are hashed already."""
    return value


def _band_digest(person: bytes, band: bytes) -> bytes:
    """`MinHashLSH`'s key compression: 8 bytes per band, tagged with the signature scheme
    so that bands of another permutation count or shingle size never meet ours."""
    return hashlib.blake2b(band, digest_size=8, person=person).digest()


@lru_cache(maxsize=8)
def _banding(threshold: float, permutations: int) -> MinHashLSH:
    """An empty in-memory `MinHashLSH` whose band layout and band hash we reuse (~70 ms)."""
    from datasketch import MinHashLSH

    person = f"nc{permutations}k{SHINGLE_CHARS}s{_SEED}".encode()
    return MinHashLSH(
        threshold=threshold,
        num_perm=permutations,
        weights=LSH_WEIGHTS,
        hashfunc=partial(_band_digest, person),
    )


class Fingerprinter:
    """Fingerprints bodies and compares signatures under one threshold and permutation count.

    `threshold` is the Jaccard similarity from which two bodies are near-duplicates;
    `permutations` the MinHash size (its estimate's standard error at 0.8 is about
    `0.4 / sqrt(permutations)`, 0.035 at 128); bodies shorter than `min_chars` normalised
    characters get no fingerprint.
    """

    def __init__(
        self,
        threshold: float = DEFAULT_THRESHOLD,
        permutations: int = DEFAULT_PERMUTATIONS,
        min_chars: int = DEFAULT_MIN_CHARS,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold {threshold!r} must be above 0 and at most 1")
        if permutations < 16:
            raise ValueError(f"{permutations!r} permutations are too few (at least 16)")
        self.threshold = threshold
        self.permutations = permutations
        self.min_chars = min_chars
        self._batch = max(1, _BATCH_VALUES // permutations)

    @cached_property
    def lsh(self) -> MinHashLSH:
        return _banding(self.threshold, self.permutations)

    @cached_property
    def _blank(self) -> MinHash:
        from datasketch import MinHash

        return MinHash(num_perm=self.permutations, seed=_SEED, hashfunc=_given, scheme=_SCHEME)

    def fingerprint(self, body_text: str) -> Fingerprint | None:
        """The body's fingerprint, or `None` when it is too short to compare."""
        text = normalise(body_text)
        if len(text) < max(self.min_chars, SHINGLE_CHARS):
            return None
        minhash = self._blank.copy()
        hashes = shingle_hashes(text).tolist()
        for start in range(0, len(hashes), self._batch):
            minhash.update_batch(hashes[start : start + self._batch])
        signature = minhash.hashvalues.astype(_SIGNATURE_DTYPE).tobytes()
        return Fingerprint(signature, self.band_keys(minhash))

    def band_keys(self, minhash: MinHash) -> tuple[str, ...]:
        """`<band>:<hex>` per band: `MinHashLSH`'s band hash of that slice of the signature."""
        values = minhash.hashvalues
        return tuple(
            f"{band}:{self.lsh._H(values[start:end]).hex()}"
            for band, (start, end) in enumerate(self.lsh.hashranges)
        )

    def similarity(self, first: bytes, second: bytes) -> float:
        """MinHash's estimate of the Jaccard similarity of two signatures' shingle sets."""
        return self._restore(first).jaccard(self._restore(second))

    def _restore(self, signature: bytes) -> MinHash:
        import numpy as np
        from datasketch import MinHash

        return MinHash(
            seed=_SEED,
            hashfunc=_given,
            hashvalues=np.frombuffer(signature, dtype=_SIGNATURE_DTYPE),
            permutations=self._blank.permutations,
            scheme=_SCHEME,
        )

    def earliest_match(
        self,
        fingerprint: Fingerprint,
        candidates: Iterable[FingerprintRecord],
        post_id: str,
        url: str,
    ) -> Match | None:
        """The first candidate (they come earliest first) at or above the threshold.

        A candidate with the item's own post id or URL is the item itself (a revision, a
        re-fetch): a post is never a duplicate of itself.
        """
        own_url = url_key(url)
        for candidate in candidates:
            if candidate.post_id == post_id or url_key(candidate.url) == own_url:
                continue
            similarity = self.similarity(fingerprint.signature, candidate.signature)
            if similarity >= self.threshold:
                return Match(candidate.post_id, similarity)
        return None
