"""The pieces a sentence is cut into while resolving actors, and what a run of titles says.

A :class:`Seg` is a token span the scan recognised (a dictionary form, a country word, a title) or a
run of proper-noun tokens; a :class:`TitleInfo` is the country, sector and titles that the modifiers
of a head give. Shared by the scan (:mod:`detente.actors.scan`), the office-holder lookups
(:mod:`detente.actors.offices`) and the resolver (:mod:`detente.actors.resolve`).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from detente.actors.countries import CountryHit
from detente.actors.normalise import Title
from detente.model import ActorEntry

__all__ = ["NAME_JOINERS", "Seg", "TitleInfo", "char_span", "title_sector"]

NAME_JOINERS = frozenset({"-", "\u2013", "[", "]", "'", "\u2019"})


@dataclass
class Seg:
    start: int  # token index
    end: int  # exclusive
    kind: str  # dict | country | title | name
    how: str = ""
    entry: ActorEntry | None = None
    hit: CountryHit | None = None
    title: Title | None = None


@dataclass
class TitleInfo:
    country: CountryHit | None
    sector: str | None
    person: bool
    titles: tuple[Title, ...] = ()


def char_span(doc: Doc, start: int, end: int) -> tuple[int, int, str]:
    """The character offsets and text of tokens ``start:end``."""
    a = doc[start].idx
    b = doc[end - 1].idx + len(doc[end - 1].text)
    return a, b, doc[start:end].text


def title_sector(titles: list[Title]) -> str | None:
    """The sector a run of titles gives: a body's ("army official" -> MIL), else the last office's."""
    bodies = [t.sector for t in titles if t.sector and not t.person]
    if bodies:
        return bodies[-1]
    # an office outranks a rank: "Interior Minister Lt. Gen. X" is GOV, "President Capt. X" too
    office = next((t.sector for t in reversed(titles) if t.sector and not t.honorific and not t.prenominal),
                  None)
    return office or next((t.sector for t in reversed(titles) if t.sector and not t.honorific), None)
