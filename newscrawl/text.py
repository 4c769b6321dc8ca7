"""Text helpers shared by every platform's parser: whitespace and the content hash."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def collapse_whitespace(text: str) -> str:
    """One space for any run of whitespace (NBSP included), stripped at both ends."""
    return _SPACES.sub(" ", text.replace("\xa0", " ")).strip()


def content_hash(body_text: str) -> str:
    """`sha256:<hex>` of the NFC-normalised, whitespace-collapsed body text.

    Markup, line breaks and Unicode composition differ between skins and editors for the same
    words; hashing the normalised text makes the same article hash the same everywhere.
    """
    normalised = collapse_whitespace(unicodedata.normalize("NFC", body_text))
    return "sha256:" + hashlib.sha256(normalised.encode("utf-8")).hexdigest()
