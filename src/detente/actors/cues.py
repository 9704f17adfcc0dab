"""Context cues that decide what a name run or a country word is: no person, or a place.

A capitalised run is no person when it names a body, a document, a place, a ship, an exercise or an
operation (:meth:`Cues.not_a_person`), and is one after a country's possessive ("Rwanda's Olivier
Nduhungirehe", :meth:`Cues.possessed_person`); a country or capital is a place after "in"/"to"/...,
before a place noun ("the Doha agreement") or as a dateline ("KYIV (Reuters) -").
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from detente.actors.countries import CountryTable
from detente.actors.normalise import TitleTable, compact_key, normalise_name
from detente.actors.placenames import PlaceNames, known_place, place_country
from detente.actors.scan import initial
from detente.actors.segments import NAME_JOINERS, Seg, TitleInfo

__all__ = ["Cues", "dateline"]

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_PLACE_PREPOSITIONS = frozenset({"at"})  # not "to", "from", "of": "a call from Obama"
_LOCATIVES = frozenset({"in", "near", "outside", "around"})
_NAMING_WORDS = frozenset({"named", "called", "dubbed", "codenamed", "code-named", "titled", "known"})


def dateline(doc: Doc, start: int, end: int) -> bool:
    """A place in capitals opening a line before "(", ",", ":" or a dash: "KYIV (Reuters) -"."""
    if not doc[start:end].text.isupper() or not initial(doc, start, 0):
        return False
    return end < len(doc) and doc[end].text[:1] in ("(", ",", ":", "-", "\u2013", "\u2014")


class Cues:
    """The context tests, with the title table's word lists and the country table's place words."""

    def __init__(self, titles: TitleTable, countries: CountryTable,
                 places: PlaceNames | None = None) -> None:
        self.titles = titles
        self.countries = countries
        self.places = places  # the gazetteer's exact names; None: no such test

    def not_a_person(self, doc: Doc, seg: Seg, info: TitleInfo | None) -> bool:
        """A name run that names no person: a body ("National Security Committee"), a document ("Joint
        Statement"), a place ("the Black Sea", "Chikun LGA"), a ship ("USS X"), an exercise or an
        operation ("exercise Yudh Abhyas", "an operation named Iron Wall", "the Saba Saba
        commemorations"), or a bare title ("Sheikh")."""
        toks = [t for t in doc[seg.start:seg.end] if t.text not in NAME_JOINERS]
        if not toks:
            return True
        if all(compact_key(t.text) in self.titles.titles for t in toks):
            return True  # "Sheikh" left over from "Sheikh Abdullah bin Zayed"
        if normalise_name(doc[seg.start:seg.end].text) in self.titles.equipment:
            return True  # "Israel's Iron Dome", "Storm Shadow": weapons
        last = normalise_name(toks[-1].text)
        if last in self.titles.organisation_heads or last in self.titles.document_words or \
                last in self.titles.place_words:
            return True
        before = doc[seg.start - 1] if seg.start > 0 else None
        if before is not None and seg.start > 1 and before.lower_ == "of" and normalise_name(
                doc[seg.start - 2].text) in (self.titles.place_words | self.titles.landmarks):
            return True  # "the mountains of La Guajira"
        if before is not None and before.pos_ == "NOUN" and (
                normalise_name(before.text) in self.titles.organisation_heads
                or normalise_name(before.text) in self.titles.org_words or before.lower_ == "group"):
            return True  # "human rights group Plataforma Decide", "the charity Open Hands"
        if toks[0].text in self.titles.vessel_prefixes or (
                seg.start > 0 and doc[seg.start - 1].text in self.titles.vessel_prefixes):
            return True
        if seg.end < len(doc) and doc[seg.end].pos_ in ("NOUN", "PROPN"):
            nxt = doc[seg.end]
            if {normalise_name(nxt.text), normalise_name(nxt.lemma_)} & (
                    self.titles.event_names | self.titles.place_words | self.titles.document_words):
                return True  # "the Freedom Edge exercise", "Coyuca de Benítez municipality"
        if info is not None and info.person:
            return False
        # an event word shortly before, with no other verb between: "exercise Yudh Abhyas", "a joint
        # exercise between the two countries, Golden Dragon", "an operation in Jenin, named Iron Wall"
        if any(t.dep_ == "appos" and self.event_noun(t.head) for t in toks):
            return True  # "the exercise, Golden Dragon"
        if before is not None and before.lower_ in _NAMING_WORDS and self.event_noun(before.head):
            return True  # "an operation in Jenin, named Iron Wall"
        set_off = before is not None and before.text == ","
        person_label = any(t.ent_type_ == "PERSON" for t in toks)
        sent_start = doc[seg.start].sent.start
        close = True  # only punctuation and naming words between the event word and the name
        for k in range(seg.start - 1, max(sent_start, seg.start - 9) - 1, -1):
            tok = doc[k]
            if self.event_noun(tok):
                return close or set_off or not person_label  # "the exercise between the two, Golden Dragon"
            if tok.pos_ in ("VERB", "AUX") and tok.lower_ not in _NAMING_WORDS:
                return False
            close = close and (tok.is_punct or tok.lower_ in _NAMING_WORDS)
        return False

    def place_name(self, doc: Doc, seg: Seg) -> bool:
        """An untitled name run that is a place: after "in", "near", "outside" or "around" (and no
        possessive after it: "in Khan's view" is a person's), or a place the gazetteer knows ("Khan
        Younis", "Ayagoz–Tacheng")."""
        if seg.end < len(doc) and doc[seg.end].tag_ == "POS":
            return False
        k = seg.start - 1
        while k >= 0 and doc[k].lower_ == "the":
            k -= 1
        if k >= 0 and doc[k].lower_ in _LOCATIVES:
            return True
        return self.places is not None and known_place(self.places, doc[seg.start:seg.end].text)

    def personal_word(self, doc: Doc, seg: Seg) -> bool:
        """Does a lone capitalised word read as a person's name: no entity label but PERSON or GPE
        (spaCy often takes a surname for a place: "a call from Obama"; "English" is a LANGUAGE) and
        no preposition of place before it ("near Boni")?"""
        if any(t.ent_type_ not in ("", "PERSON", "GPE") for t in doc[seg.start:seg.end]):
            return False
        return not (seg.start > 0 and doc[seg.start - 1].lower_ in _LOCATIVES | _PLACE_PREPOSITIONS)

    def country_of_place(self, doc: Doc, start: int, end: int) -> str | None:
        """The country of a city or province that qualifies the titles ``start:end`` of a person:
        right before them ("Lagos state governor", "Texas Governor", "Sindh's chief minister") or
        after "of" ("the mayor of Kharkiv"). The place must be known exactly to the gazetteer, and
        before the titles also be tagged a place by spaCy ("Smith aide X" names no town)."""
        k = start - 1
        if k >= 0 and doc[k].tag_ == "POS":
            k -= 1
        j = k
        while j >= 0 and doc[j].text[:1].isupper() and doc[j].ent_type_ in _PLACE_LABELS and k - j < 3:
            j -= 1
        if self.places is None:
            return None
        if j < k:
            code = place_country(self.places, doc[j + 1:k + 1].text)
            if code is not None:
                return code
        if end + 1 < len(doc) and doc[end].lower_ == "of":
            k = end + 1 + (doc[end + 1].lower_ == "the")
            j = k
            while j < len(doc) and j - k < 3 and doc[j].text[:1].isupper() and doc[j].pos_ == "PROPN":
                j += 1
            if j > k:
                return place_country(self.places, doc[k:j].text)
        return None

    def event_noun(self, tok: Token) -> bool:
        return tok.pos_ in ("NOUN", "PROPN") and (normalise_name(tok.text) in self.titles.event_names
                                                 or normalise_name(tok.lemma_) in self.titles.event_names)

    def possessed_person(self, doc: Doc, seg: Seg, info: TitleInfo | None) -> bool:
        """"Rwanda's Olivier Nduhungirehe": two or three capitalised words after a country's possessive
        (or a body's: "the opposition's Jane Roe"), none of them a title, an organisation word or an
        organisation head, name a person of it."""
        if info is None or seg.start == 0 or doc[seg.start - 1].tag_ != "POS":
            return False
        if info.country is None:  # "the opposition's Jane Roe": a body with a sector, no office
            if not info.titles or info.sector is None or any(t.person for t in info.titles):
                return False
        elif info.titles:
            return False
        words = [t for t in doc[seg.start:seg.end] if t.is_alpha]
        if not 2 <= len(words) <= 3 or not all(t.text[:1].isupper() for t in words):
            return False
        if normalise_name(words[0].text) in self.titles.event_names:
            return False  # "Israel's Operation Rising Lion"
        return not any(self.titles.lookup(t.text) is not None or self.titles.is_organisation_head(t.text)
                       or normalise_name(t.text) in self.titles.org_words for t in words)

    def place_before(self, doc: Doc, start: int, kind: str) -> bool:
        k = start - 1
        sent_start = doc[start].sent.start
        while k >= sent_start and doc[k].pos_ == "DET":
            k -= 1
        return k >= sent_start and self.countries.is_place_word(doc[k].text, kind)

    def place_after(self, doc: Doc, end: int) -> bool:
        """Is the country/capital ending at ``end`` an attribute of a place noun?

        "the Doha agreement", "an Islamabad-based think tank", "the Pakistan-Iran border": a hyphen and
        another country or capital may come between.
        """
        sent_end = doc[end - 1].sent.end
        k = end
        if k + 1 < sent_end and doc[k].text in ("-", "\u2013") and \
                self.countries.lookup(doc[k + 1].text) is not None:
            k += 2
        if k < sent_end and doc[k].text in ("-", "\u2013"):
            k += 1
        return k < sent_end and self.countries.is_place_noun(doc[k].text)
