"""Within-document coreference: the people an article has met, for its short forms.

A surname ("Bajwa"), a subset of a full name ("Hossein Amir") or a definite description ("the
general", "Iran's foreign minister") refers back to the latest person met in the same article whose
surnames, name forms or offices fit. :class:`DocState` holds those people as :class:`Known` records;
:func:`description_mention` resolves a definite description against them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein
from spacy.tokens import Doc

from detente.actors.countries import CountryTable
from detente.actors.normalise import TitleTable, normalise_name, phonetic_from_compact
from detente.actors.segments import Seg, char_span
from detente.model import ActorEntry, Mention

__all__ = ["DocState", "Known", "description_mention", "of_country"]

_MIN_SURNAME_PHONETIC = 7  # a bare surname matches a variant met earlier only if this long


@dataclass
class Known:
    """A person met in the article, for surname and short-form resolution."""

    actor_id: str
    name: str
    forms: list[frozenset[str]]
    lasts: frozenset[str]
    entry: ActorEntry | None
    code: str | None
    sector: str | None
    offices: frozenset[str] = frozenset()  # office keys held that day or given as titles in the article
    # the offices known for sure: given as titles in the article, or held on the article's date
    attested: frozenset[str] = frozenset()


@dataclass
class DocState:
    day: dt.date | None
    doc_id: str
    known: list[Known] = field(default_factory=list)
    lasts: set[str] = field(default_factory=set)
    last_place_end: int = -1  # token index just after the latest place mention
    people: frozenset[str] = frozenset()  # ids of dictionary people named in full anywhere in the article
    # dictionary people with no role on the day whom the article titles with a present office: sector
    present: dict[str, str] = field(default_factory=dict)

    def remember(self, known: Known) -> None:
        # titles given at an earlier mention still hold: "Gen. Bajwa ... Bajwa ... the general"
        for earlier in self.known:
            if earlier.actor_id == known.actor_id:
                known.offices |= earlier.offices
                known.attested |= earlier.attested
        # "al-Busaidi" is also written "Albusaidi" and, after its particle is dropped, "Busaidi"
        known.lasts = known.lasts | {last[2:] for last in known.lasts
                                     if last[:2] in ("al", "el") and len(last) >= 7}
        self.known.append(known)
        self.lasts |= known.lasts

    def by_office(self, office: str, code: str | None, titles: TitleTable) -> Known | None:
        """The latest person met holding ``office`` in country ``code``.

        Without a country the office must be attested: written as the person's title in the article
        ("FM Qureshi ... the foreign minister") or held on the article's date (an undated article's
        guess of the latest role is not enough).
        """
        # the same office first ("the general": a General, before a Major General met later)
        wanted = titles.office_key(office)
        for exact in (True, False):
            for known in reversed(self.known):
                if code is not None and known.code != code:
                    continue
                held = known.offices if code is not None else known.attested
                if (wanted in held) if exact else titles.office_matches(office, held):
                    return known
        return None

    def by_surname(self, word: str) -> Known | None:
        for known in reversed(self.known):
            if word in known.lasts:
                return known
        # a spelling variant of a surname met in this article: "Zelensky ... Zelenskyy"
        if len(word) >= _MIN_SURNAME_PHONETIC:
            key = phonetic_from_compact(word)
            for known in reversed(self.known):
                if any(len(last) >= _MIN_SURNAME_PHONETIC and phonetic_from_compact(last) == key
                       for last in known.lasts):
                    return known
            # one letter off a long surname met in this article: "Araqchi ... Araghachi"
            for known in reversed(self.known):
                if len(key) >= 8 and any(
                        len(last) >= 8 and last[:1] == word[:1]
                        and Levenshtein.distance(phonetic_from_compact(last), key) <= 1
                        for last in known.lasts):
                    return known
        return None

    def by_words(self, words: list[str]) -> Known | None:
        want = set(words)
        for known in reversed(self.known):
            if words[-1] in known.lasts and any(want <= form for form in known.forms):
                return known
        return None


def description_mention(doc: Doc, mods: list[Seg], s_index: int, state: DocState, titles: TitleTable,
                countries: CountryTable) -> Mention | None:
    """A definite description of a person met earlier: "the Iranian minister", "the general".

    "the <country> <office>", "<country>'s <office>" or a bare office acronym ("COAS said") refers
    back to the latest person of the article from that country holding that office (or introduced
    with that title); None when there is none, or when the phrase is not a singular definite one.
    """
    last = mods[-1]
    title = last.title
    if last.kind != "title" or title is None or not title.person or title.honorific or title.standalone:
        return None
    if any(s.kind == "dict" for s in mods) or doc[last.end - 1].tag_ in ("NNS", "NNPS"):
        return None
    if last.end < len(doc) and doc[last.end].pos_ in ("NOUN", "PROPN") and not doc[last.end].is_punct:
        return None  # "the general staff", "the president's office" is fine (a possessive)
    first = mods[0]
    country = first.hit if first.kind == "country" else None
    if any(s.kind == "country" for s in mods[1:]):
        return None
    definite = title.acronym and len(mods) == 1
    if country is not None and first.end < len(doc) and doc[first.end].tag_ == "POS":
        definite = True  # "Iran's foreign minister"
    k = first.start - 1
    while k >= 0 and normalise_name(doc[k].text) in titles.glue:
        k -= 1  # "the newly appointed Iranian ...", not "the slain general"
    if k >= 0 and doc[k].lower_ == "the":
        definite = True
    if not definite:
        return None
    code = country.code if country is not None else of_country(doc, last.end, countries)
    known = state.by_office(title.form, code, titles)
    if known is None:
        return None
    state.known.append(known)  # the person described is now the latest one met
    a, b, text = char_span(doc, first.start, last.end)
    return Mention(doc_id=state.doc_id, sentence_index=s_index, char_start=a, char_end=b, text=text,
                   actor_id=known.actor_id, name=known.name, code=known.code, sector=known.sector,
                   kind="person", is_place=False, how="description")


def of_country(doc: Doc, end: int, countries: CountryTable) -> str | None:
    """The country named right after a title: "the army chief of Pakistan" -> PAK."""
    k = end
    if k + 1 >= len(doc) or doc[k].lower_ != "of":
        return None
    k += 1
    if doc[k].lower_ == "the" and k + 1 < len(doc):
        k += 1
    for n in (3, 2, 1):
        if k + n <= len(doc):
            hit = countries.lookup(doc[k:k + n].text)
            if hit is not None and hit.kind in ("country", "capital"):
                return hit.code
    return None
