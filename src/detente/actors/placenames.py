"""Places that look like people: a capitalised run the gazetteer knows ("Khan Younis", "Ayagoz–Tacheng").

Names of people and of places overlap in their shape, and spaCy often labels a place it has not
seen a person. A run of two words or more that the gazetteer knows exactly (no fuzzy match), or two
places joined by a dash (a border crossing, a road), is a place, never a person the dictionary does
not know. One word alone is not tested: "Kim", "Jordan" and "Victoria" are places too.

The gazetteer (:class:`detente.places.Gazetteer`, the bundled data without the user's files) is
loaded on the first question, from the same disk cache the pipeline uses.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from detente.places import Gazetteer

__all__ = ["known_place", "place_country"]

_DASH = re.compile(r"\s*[\u2013\u2014-]\s*")
_LOADED: list[Gazetteer] = []


def _gazetteer() -> Gazetteer:
    if not _LOADED:
        from detente.loadcache import cached
        from detente.places import Gazetteer

        _LOADED.append(cached("gazetteer", lambda: Gazetteer.load(()), ()))
    return _LOADED[0]


def known_place(text: str) -> bool:
    """Is ``text`` (a capitalised run, as written) a place by the gazetteer's exact names?"""
    text = " ".join(text.split())
    parts = [p for p in _DASH.split(text) if p]
    gazetteer = _gazetteer()
    if len(parts) == 2 and ("\u2013" in text or "\u2014" in text or " " not in text) and \
            all(p[:1].isupper() and gazetteer.is_place_name(p) for p in parts):
        return True  # "Ayagoz–Tacheng", "Torkham-Jalalabad"
    return len(text.split()) >= 2 and gazetteer.is_place_name(text)


def place_country(text: str) -> str | None:
    """The country code of the city or province ``text`` names exactly, else None."""
    gazetteer = _gazetteer()
    text = " ".join(text.split())
    if not gazetteer.is_place_name(text):
        return None
    place = gazetteer.lookup(text)
    if place is None or place.feature not in ("city", "province") or not place.country_code:
        return None
    return place.country_code
