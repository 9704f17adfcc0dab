"""Generic and non-state actors: "police", "protesters", "gunmen", "teachers", "the government".

The resolver finds named actors; this module adds a :class:`~detente.model.Mention` for every
common noun that names a kind of actor (``data/generic_actors.yaml``) and is not already part of
a mention, with the noun's sector, and gives a country to it (and to the resolver's titled
mentions that have a sector but no country, "gunmen"), trying in order:

1. ``modifier``: a demonym or possessive inside the phrase ("Afghan police", "Iran's judiciary",
   "police in Kenya's capital" is not one of these);
2. ``place``: a place named in the same sentence ("protesters in Lagos" -> NGA);
3. ``focus``: the document's focus country (the code named most often in the article);
4. nothing: the mention keeps its text and sector and no country (``country_how`` "unknown").

``Mention.country_how`` records which step gave the country.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Token

from detente.datafiles import load_data_file
from detente.errors import DataFileError
from detente.model import SECTORS, Article, Mention
from detente.nlp import doc_text

_MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod", "det", "nummod", "quantmod"})


@dataclass(frozen=True)
class GenericTable:
    """Noun forms -> sector, group nouns, and sector-giving modifiers."""

    # last word -> [(words before, sector)], longest first
    forms: dict[str, list[tuple[tuple[str, ...], str]]]
    group_nouns: frozenset[str]
    modifiers: dict[str, str]
    # event type (lower case) -> sector of the domestic recipient when the text names none
    domestic_recipient: dict[str, str] = field(default_factory=dict)
    # event types (lower case) whose moved forces stand for the actor, and the sectors of a force
    force_types: frozenset[str] = frozenset()
    force_sectors: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path | None = None) -> GenericTable:
        text = None
        if path is None:
            res = resources.files("detente") / "data" / "generic_actors.yaml"
            path, text = Path(str(res)), res.read_text(encoding="utf-8")
        data = load_data_file(path, text)
        line = data.get("__line__")
        unknown = set(data) - {"version", "sectors", "group_nouns", "modifiers", "domestic_recipient",
                               "forces", "__line__"}
        if unknown:
            raise DataFileError(path, f"unknown section(s): {', '.join(sorted(unknown))}", line)
        forms: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for sector, words in _mapping(path, data.get("sectors"), "sectors", line).items():
            for w in words:
                parts = tuple(w.lower().split())
                forms.setdefault(parts[-1], []).append((parts[:-1], sector))
        for lst in forms.values():
            lst.sort(key=lambda x: -len(x[0]))
        mods = {w.lower(): s for s, words in _mapping(path, data.get("modifiers"), "modifiers", line).items()
                for w in words}
        groups = data.get("group_nouns") or []
        if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
            raise DataFileError(path, "'group_nouns' must be a list of words", line)
        domestic: dict[str, str] = {}
        raw_domestic = data.get("domestic_recipient")
        for sector, types in _mapping(path, raw_domestic, "domestic_recipient", line).items():
            for t in types:
                if t.lower() in domestic:
                    raise DataFileError(path, f"event type {t!r} is under two sectors in domestic_recipient; "
                                              "keep it under one", line)
                domestic[t.lower()] = sector
        forces = data.get("forces") or {}
        if not isinstance(forces, dict) or set(forces) - {"types", "sectors", "__line__"} or \
                not all(isinstance(forces.get(k, []), list) for k in ("types", "sectors")):
            raise DataFileError(path, "'forces' must map 'types' and 'sectors' to lists", line)
        bad = sorted(set(forces.get("sectors", [])) - set(SECTORS))
        if bad:
            raise DataFileError(path, f"unknown sector(s) in forces: {', '.join(map(str, bad))}", line)
        return cls(forms, frozenset(g.lower() for g in groups), mods, domestic,
                   frozenset(str(t).lower() for t in forces.get("types", [])),
                   frozenset(forces.get("sectors", [])))

    def sector_of(self, tok: Token) -> tuple[str, int] | None:
        """(sector, first token index of the form) for a noun token, else None."""
        for key in (tok.lower_, tok.lemma_.lower()):
            for before, sector in self.forms.get(key, ()):
                start = tok.i - len(before)
                if start < 0:
                    continue
                if all(tok.doc[start + k].lower_ == w for k, w in enumerate(before)):
                    return sector, start
        return None


def _mapping(path: Path, raw: Any, name: str, line: int | None) -> dict[str, list[str]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise DataFileError(path, f"'{name}' must map sectors to lists of words", line)
    out: dict[str, list[str]] = {}
    for sector, words in raw.items():
        if sector == "__line__":
            continue
        if sector not in SECTORS:
            known = ", ".join(sorted(SECTORS))
            raise DataFileError(path, f"unknown sector {sector!r} in {name} (known: {known})", line)
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise DataFileError(path, f"{name}/{sector} must be a list of words", line)
        out[sector] = words
    return out


@lru_cache(maxsize=1)
def bundled_table() -> GenericTable:
    return GenericTable.load()


def settle_countries(event: Any) -> None:
    """After the event's place is known: a generic participant whose country was only the
    document's focus (or unknown) takes the place's country instead ("police" in a story placed
    in Nairobi: KEN), as the order modifier, place, focus requires."""
    place = getattr(event, "place", None)
    code = getattr(place, "country_code", None) if place is not None else None
    if not code:  # a recipient that waited for the place and got none is no recipient
        event.recipient = [r for r in event.recipient if not _pending(r)]
        return
    for side, other in ((event.actor, event.recipient), (event.recipient, event.actor)):
        named = {r.code for r in other if r.country_how is None}
        for ref in side:
            how = ref.country_how or ""
            if code in named or not (how in ("focus", "unknown") or how.endswith((":focus", ":pending"))):
                continue  # never make a generic party the other side's own country by guess
            ref.code = code
            ref.country_how = "place" if ":" not in how else how.split(":")[0] + ":place"
    event.recipient = [r for r in event.recipient if not _pending(r)]


def _pending(ref: Any) -> bool:
    """A no-recipient placeholder still waiting for the event's place."""
    return ref.code is None and (ref.country_how or "").endswith(":pending")


def focus_country(mentions: Sequence[Mention]) -> str | None:
    """The code named most often in the article (countries, places, coded actors); ties: first named."""
    counts = Counter(m.code for m in mentions if m.code and len(m.code) == 3 and m.code.isalpha())
    if not counts:
        return None
    top = max(counts.values())
    return next(m.code for m in mentions if m.code and counts.get(m.code) == top)


def add_generic(doc: Doc, article: Article, mentions: list[Mention],
                table: GenericTable | None = None) -> list[Mention]:
    """``mentions`` plus the article's generic actors, all in text order (see the module docstring)."""
    table = table or bundled_table()
    text = doc_text(doc)
    covered: dict[int, Mention] = {}
    for m in mentions:
        span = doc.char_span(m.char_start, m.char_end, alignment_mode="expand")
        if span is not None:
            for t in span:
                covered.setdefault(t.i, m)
    sents = list(doc.sents)
    sent_of = {t.i: si for si, s in enumerate(sents) for t in s}
    places: dict[int, str] = {}  # sentence index -> first place code in it
    for m in mentions:
        if m.is_place and m.code:
            places.setdefault(m.sentence_index, m.code)
    focus = focus_country(mentions)
    out: list[Mention] = []
    for m in mentions:  # titled strangers with a sector and no country ("gunmen")
        if m.code is None and m.sector and not m.is_place and m.actor_id is None:
            guess, how = places.get(m.sentence_index), "place"
            if guess is None:
                guess, how = focus, "focus"
            words = m.text.lower().split()
            own = [s for before, s in table.forms.get(words[-1], ()) if not before] if words else []
            out.append(replace(m, code=guess, country_how=how if guess else "unknown",
                               sector=own[0] if own else m.sector))
        else:
            out.append(m)
    for tok in doc:
        if tok.i in covered or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        if tok.pos_ == "PROPN" and not tok.is_lower and tok.lower_ not in ("mps", "mp") \
                and not _capitalised_opener(tok):
            continue
        hit = table.sector_of(tok)
        if hit is None:
            continue
        sector, start = hit
        if tok.dep_ == "compound" and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.i > tok.i \
                and table.sector_of(tok.head) is None and tok.head.lower_ not in table.group_nouns:
            continue  # "police station", "army chief" (a title the resolver knows), "government policy"
        if any(covered.get(k) is not None for k in range(start, tok.i)):
            start = tok.i
        code: str | None = None
        how = "unknown"
        lo = start
        for c in tok.children:
            if c.i >= start or c.dep_ not in _MODIFIER_DEPS:
                continue
            for t in c.subtree:
                if t.i >= tok.i:
                    break
                mod = covered.get(t.i)
                if mod is not None and mod.code and not code:
                    code, how = mod.code, "modifier"
                    lo = min(lo, c.left_edge.i)
                low = t.lower_
                if tok.lower_ in table.group_nouns and low in table.modifiers:
                    sector = table.modifiers[low]
                    lo = min(lo, t.i)
                elif tok.lower_ in table.group_nouns and t.i == tok.i - 1:
                    sub = table.sector_of(t)
                    if sub is not None:
                        sector, lo = sub[0], min(lo, sub[1])
        named = {covered[t.i].code for c in tok.children if c.i < tok.i and c.dep_ in _MODIFIER_DEPS
                 for t in c.subtree if t.i < tok.i and t.i in covered and covered[t.i].code}
        if len(named) > 1:
            continue  # "Saudi and Iranian delegations": the countries themselves are the actors
        if any(covered[t.i].actor_id and covered[t.i].kind not in ("country", "demonym", "capital")
               for c in tok.children if c.i < tok.i and c.dep_ in _MODIFIER_DEPS
               for t in c.subtree if t.i < tok.i and t.i in covered):
            continue  # "TTP fighters", "Wagner mercenaries": the named group is the actor
        if any(covered.get(t.i) is not None and covered[t.i].kind == "person"
               for t in [*(c for c in tok.children if c.dep_ == "appos"),
                         *([tok.head] if tok.dep_ == "appos" else [])]):
            continue  # "Turkey's foreign minister, Hakan Fidan": the named person is the actor
        si = sent_of.get(tok.i, 0)
        if code is None and si in places:
            code, how = places[si], "place"
        if code is None and focus:
            code, how = focus, "focus"
        first = doc[lo]
        s_char, e_char = first.idx, tok.idx + len(tok.text)
        phrase = text[s_char:e_char]
        out.append(Mention(doc_id=article.doc_id, sentence_index=si, char_start=s_char, char_end=e_char,
                           text=phrase, actor_id=None, name=tok.lemma_.lower() if tok.lemma_ else tok.lower_,
                           code=code, sector=sector, kind="generic", how="generic", country_how=how))
    out.sort(key=lambda m: (m.char_start, m.how == "generic", -m.char_end))
    return _share_coordinated_sector(out, text)


def _capitalised_opener(tok: Token) -> bool:
    """A common noun capitalised only because it opens the sentence or follows a dateline
    ("Soldiers were deployed", "NAIROBI - Officers arrested"), which the tagger may read as a
    name; not one followed by a name ("Police Commissioner Kamau")."""
    openers = ("-", "\u2013", "\u2014", '"', "\u201c")
    first = tok.is_sent_start or (tok.i > 0 and tok.doc[tok.i - 1].text in openers)
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return bool(first) and tok.text[:1].isupper() and tok.text[1:].islower() and \
        (nxt is None or nxt.pos_ != "PROPN")


_COORDINATORS = frozenset({"and", ",", "or", ", and"})


def _share_coordinated_sector(mentions: list[Mention], text: str) -> list[Mention]:
    """A demonym coordinated with another country's sectored phrase takes that phrase's sector:
    "Tajik and Kyrgyz border forces" are two militaries, "Thai and Cambodian military commanders"
    two sets of commanders, not the Tajik or Thai state. Read right to left, so a list ("Tajik,
    Kyrgyz and Uzbek border guards") passes the sector along."""
    out = list(mentions)
    for i in range(len(out) - 1, -1, -1):
        d = out[i]
        if d.kind != "demonym" or d.how != "demonym" or d.sector not in (None, "GOV") or not d.code:
            continue
        nxt = next((m for m in out[i + 1:] if m.char_start >= d.char_end), None)
        if nxt is None or nxt.sentence_index != d.sentence_index or not nxt.code or nxt.code == d.code \
                or nxt.sector in (None, "GOV") or nxt.is_place \
                or (nxt.actor_id or "country:").split(":")[0] != "country" \
                or not (nxt.kind == "demonym" or nxt.country_how == "modifier"):
            continue
        if text[d.char_end:nxt.char_start].strip().lower() not in _COORDINATORS:
            continue
        out[i] = replace(d, sector=nxt.sector)
    return out
