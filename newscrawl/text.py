"""Text helpers shared by every platform's parser: whitespace and the content hash."""

from __future__ import annotations

import hashlib
import unicodedata


def collapse_whitespace(text: str) -> str:
    """One space for any run of whitespace (NBSP included), stripped at both ends.

    `str.split()` splits on exactly the characters `\\s` matches in a Unicode regex (NBSP
    among them) and is an order of magnitude faster on long article texts.
    """
    return " ".join(text.split())


def content_hash(body_text: str) -> str:
    """`sha256:<hex>` of the NFC-normalised, whitespace-collapsed body text.

    Markup, line breaks and Unicode composition differ between skins and editors for the same
    words; hashing the normalised text makes the same article hash the same everywhere.
    """
    if not unicodedata.is_normalized("NFC", body_text):  # the check is much cheaper
        body_text = unicodedata.normalize("NFC", body_text)
    normalised = collapse_whitespace(body_text)
    return "sha256:" + hashlib.sha256(normalised.encode("utf-8")).hexdigest()
