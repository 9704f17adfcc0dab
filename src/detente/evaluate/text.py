"""Normalising text and locating gold quotes in an article (NFKC, quotes folded, whitespace
collapsed; case-sensitive, then case-insensitive).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def normalise(text: str) -> str:
    """NFKC, curly quotes folded to straight ones, whitespace runs collapsed (case kept)."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip()


def _normal_map(text: str) -> tuple[str, list[int]]:
    """:func:`normalise` (without the strip) with, for each output char, its index in ``text``."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        piece = unicodedata.normalize("NFKC", ch).translate(_QUOTES)
        for c in piece:
            if c.isspace():
                if out and out[-1] == " ":
                    continue
                c = " "
            out.append(c)
            where.append(i)
    return "".join(out), where


@dataclass
class DocText:
    """An article's text, normalised once, for locating quotes."""

    text: str

    def __post_init__(self) -> None:
        self.norm, self.where = _normal_map(self.text)
        self.lower = self.norm.casefold() if len(self.norm.casefold()) == len(self.norm) else None

    def find_all(self, quote: str) -> list[tuple[int, int]]:
        """Every span of ``text`` where ``quote`` occurs (case-insensitively if not otherwise)."""
        q = normalise(quote)
        if not q:
            return []
        spans = self._find(self.norm, q)
        if not spans and self.lower is not None:
            spans = self._find(self.lower, q.casefold())
        return spans

    def _find(self, hay: str, q: str) -> list[tuple[int, int]]:
        out, pos = [], hay.find(q)
        while pos >= 0:
            out.append((self.where[pos], self.where[pos + len(q) - 1] + 1))
            pos = hay.find(q, pos + 1)
        return out
