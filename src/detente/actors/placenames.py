"""Places that look like people: a capitalised run the gazetteer knows ("Khan Younis", "Ayagoz–Tacheng").

Names of people and of places overlap in their shape, and spaCy often labels a place it has not
seen a person. A run of two words or more that the gazetteer knows exactly (no fuzzy match), or two
places joined by a dash (a border crossing, a road), is a place, never a person the dictionary does
not know. One word alone is not tested: "Kim", "Jordan" and "Victoria" are places too.

The gazetteer is the pipeline's (:class:`detente.places.Gazetteer`, passed to
:class:`~detente.actors.resolve.ActorResolver` as ``places``); a resolver made without one skips
these tests.
"""

from __future__ import annotations

import re
from typing import Protocol

__all__ = ["PlaceNames", "known_place", "place_country"]

_DASH = re.compile(r"\s*[\u2013\u2014-]\s*")


class _Place(Protocol):
    @property
    def feature(self) -> str | None: ...
    @property
    def country_code(self) -> str | None: ...


class PlaceNames(Protocol):
    """What the actor stage asks of a gazetteer (:class:`detente.places.Gazetteer` is one); the
    pipeline passes its own, so the actor stage never loads places itself."""

    def is_place_name(self, text: str) -> bool: ...
    def lookup(self, text: str) -> _Place | None: ...


def known_place(places: PlaceNames, text: str) -> bool:
    """Is ``text`` (a capitalised run, as written) a place by the gazetteer's exact names?"""
    text = " ".join(text.split())
    parts = [p for p in _DASH.split(text) if p]
    if len(parts) == 2 and ("\u2013" in text or "\u2014" in text or " " not in text) and \
            all(p[:1].isupper() and places.is_place_name(p) for p in parts):
        return True  # "Ayagoz\u2013Tacheng", "Torkham-Jalalabad"
    return len(text.split()) >= 2 and places.is_place_name(text)


def place_country(places: PlaceNames, text: str) -> str | None:
    """The country code of the city or province ``text`` names exactly, else None."""
    text = " ".join(text.split())
    if not places.is_place_name(text):
        return None
    place = places.lookup(text)
    if place is None or place.feature not in ("city", "province") or not place.country_code:
        return None
    return place.country_code
