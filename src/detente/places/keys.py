"""Place names as written and their comparison key.

:func:`clean_place_text` strips what surrounds a name in running text (an article, a possessive,
punctuation); :func:`place_key` folds it to the key every gazetteer index and comparison uses.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii


def clean_place_text(text: str) -> str:
    """The name as written, without a leading article, a possessive or surrounding punctuation."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"\s+", " ", text).strip(" \t\n\"'()[],;:")
    text = re.sub(r"^(?:the)\s+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"'s?$", "", text).strip(" ,")
    if text.endswith(".") and not re.search(r"\.[A-Za-z]\.$", text):  # "Tehran." but not "U.S."
        text = text[:-1]
    return text.strip()


def place_key(text: str) -> str:
    """The comparison key of a place name: ASCII, lower case, punctuation folded to spaces.

    ``"Sistan-Baluchistan"`` and ``"Sistan Baluchistan"`` share a key; so do ``"U.S."`` and ``"US"``.
    """
    while True:  # cleaning can uncover another article ("the. r" -> "the r" -> "r")
        key = anyascii(clean_place_text(text)).lower().replace("&", " and ")
        key = re.sub(r"[.']", "", key)
        key = re.sub(r"[^a-z0-9]+", " ", key).strip()
        if key == text:
            return key
        text = key
