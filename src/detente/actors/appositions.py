"""Appositions: a titled phrase set off by commas around a name gives the name its country and
sector ("Iran's ambassador to Islamabad, X, said"; "X, Iran's naval chief, said"; "X, a spokeswoman
for the interior ministry,"; "X, who heads the army,").
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

from detente.actors.countries import CountryHit
from detente.actors.segments import Seg, TitleInfo
from detente.model import ActorEntry

__all__ = ["apposition"]

TitleInfoOf = Callable[[list[Seg]], "TitleInfo | None"]

_HEADING_VERBS = frozenset({"heads", "leads", "chairs", "commands", "runs", "directs", "headed", "led",
                            "chaired", "commanded"})

_GROUP_NOUNS = frozenset({"group", "movement", "militia", "rebels", "insurgents", "militants", "outfit",
                          "organisation", "organization", "faction"})
_GAP_POS = frozenset({"ADP", "DET", "PROPN", "ADJ", "NOUN", "PART"})


def apposition(doc: Doc, chains: list[list[Seg]], c: int, consumed: set[int],
               title_info: TitleInfoOf) -> tuple[TitleInfo, int] | None:
    """A titled phrase before or after a name, set off by a comma."""
    start, end = chains[c][0].start, chains[c][-1].end
    sent = doc[start].sent
    # "Iran's ambassador to Islamabad, Syed Muhammad Ali Husseini"
    if start - 1 >= sent.start and doc[start - 1].text == ",":
        comma = start - 1
        for p in range(c - 1, -1, -1):
            prev = chains[p]
            gap = doc[prev[-1].end:comma]
            if len(gap) > 6 or any(t.is_punct or t.pos_ not in _GAP_POS for t in gap):
                break
            info = title_info(prev)
            if prev[-1].kind in ("title", "country") and info is not None and info.person:
                return info, p
    # "Shahram Irani, Iran's naval chief, said"
    if end < sent.end and doc[end].text == "," and c + 1 < len(chains):
        nxt = chains[c + 1]
        gap = doc[end + 1:nxt[0].start]
        if len(gap) <= 4 and all(t.pos_ in ("DET", "ADJ", "ADV") for t in gap) and \
                nxt[-1].kind == "title" and c + 1 not in consumed:
            info = title_info(nxt)
            if info is not None and info.person:
                if info.country is None:
                    info.country = _country_of_body(doc, chains, c + 1)
                if info.sector is None:  # "X, a spokeswoman for the interior ministry"
                    body = _body_after(doc, chains, c + 1, title_info)
                    if body is not None:
                        info.sector, info.country = body.sector, info.country or body.country
                return info, c + 1
        # "Sheikh X, the group's spokesman,": the armed group named last before, its country and sector
        if len(gap) == 3 and gap[0].lower_ == "the" and gap[1].lower_ in _GROUP_NOUNS and \
                gap[2].tag_ == "POS" and nxt[-1].kind == "title" and c + 1 not in consumed:
            info = title_info(nxt)
            group = _latest_group(chains[:c])
            if info is not None and info.person and info.country is None and group is not None:
                code, sector = group.country, group.sector
                if code is not None:
                    return TitleInfo(CountryHit(code, code, "country"), info.sector or sector, True,
                                     info.titles), c + 1
        # "X, who heads the army," / "X, who leads the Narc Kenya party,": the body's sector
        if len(gap) >= 2 and gap[0].lower_ == "who" and gap[1].lower_ in _HEADING_VERBS and \
                all(t.pos_ == "DET" for t in gap[2:]) and nxt[-1].kind in ("title", "dict") and \
                c + 1 not in consumed:
            info = title_info(nxt)
            if info is not None and info.sector is not None and not info.person:
                # the body stays an actor of its own: nothing absorbed (the name's own index)
                return TitleInfo(info.country, info.sector, True, info.titles), c
    return None

def _latest_group(chains: list[list[Seg]]) -> ActorEntry | None:
    """The armed group or movement of the dictionary named last in ``chains``."""
    for chain in reversed(chains):
        for seg in reversed(chain):
            if seg.kind == "dict" and seg.entry is not None and seg.entry.kind == "group":
                return seg.entry
    return None


def _body_after(doc: Doc, chains: list[list[Seg]], t: int, title_info: TitleInfoOf) -> TitleInfo | None:
    """What the body after "<title> of/for [the]" gives: "spokesman for the army" -> MIL."""
    end = chains[t][-1].end
    if t + 1 >= len(chains) or end >= len(doc) or doc[end].lower_ not in ("of", "for"):
        return None
    nxt = chains[t + 1]
    if nxt[0].start - end > 2 or any(tok.pos_ != "DET" for tok in doc[end + 1:nxt[0].start]) or \
            nxt[-1].kind not in ("title", "dict"):
        return None
    info = title_info(nxt)
    return info if info is not None and info.sector is not None else None

def _country_of_body(doc: Doc, chains: list[list[Seg]], t: int) -> CountryHit | None:
    """The country of the body a title heads: "head of the Islamabad-based X centre" -> PAK.

    The first country word within a few tokens after "<title> of", before any punctuation.
    """
    end = chains[t][-1].end
    if end >= len(doc) or doc[end].lower_ != "of":
        return None
    for nxt in chains[t + 1:]:
        start = nxt[0].start
        gap = doc[end + 1:start]
        if start - end > 4 or any(tok.is_punct and tok.text not in ("-", "\u2013") for tok in gap):
            return None
        seg = next((s for s in nxt if s.kind == "country"), None)
        if seg is not None and seg.hit is not None:
            return seg.hit
        end = nxt[-1].end
    return None
