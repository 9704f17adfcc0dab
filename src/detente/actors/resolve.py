"""Find the actors an article mentions: dictionary people and groups, countries, titled strangers.

One pass per sentence, in three steps:

1. **Scan** the tokens left to right for the longest form known to the dictionary (exact
   :func:`compact_key`), the country table, a unique :func:`phonetic_key` of a dictionary entry, or
   the title table, in that order of preference at equal length. spaCy's entity labels are not
   trusted for this (it tags "Bajwa" and "Pompeo" as places).
2. **Names**: runs of proper-noun tokens the scan left alone ("Shahram Irani", "Khan").
3. **Chains**: a country, titles and a head name glued together ("Iranian Naval Chief Rear Admiral
   Shahram Irani", "Pakistan's caretaker foreign minister") become one mention: the head decides who
   it is, the modifiers give country and sector. A surname resolves to the most recent earlier full
   mention with that surname in the article (never by phonetic matching); a capital right after
   "in"/"to"/"from"/... is a place, elsewhere it is the government.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from spacy.tokens import Doc, Token

from detente.actors.countries import CountryHit, CountryTable
from detente.actors.dictionary import ActorDictionary
from detente.actors.generic import add_generic, focus_country
from detente.actors.normalise import (
    Title,
    TitleTable,
    compact_key,
    is_acronym,
    normalise_name,
    phonetic_from_compact,
    slug,
)
from detente.model import ActorEntry, Article, Mention
from detente.nlp import doc_text

__all__ = ["ActorResolver", "CountryHit", "CountryTable", "GenericHook", "GenericPhrase", "TitleTable"]

MAX_SPAN = 10  # tokens in the longest form tried
_JOINERS = frozenset({"-", "\u2013", "[", "]", ".", "&", "/", "'", "\u2019"})
_NAME_JOINERS = frozenset({"-", "\u2013", "[", "]", "'", "\u2019"})
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})
_NOT_NAME_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
_NON_PERSON_LABELS = frozenset({"ORG", "GPE", "FAC", "LOC", "NORP", "EVENT", "LAW", "PRODUCT",
                                "WORK_OF_ART", "LANGUAGE"})
_GAP_POS = frozenset({"ADP", "DET", "PROPN", "ADJ", "NOUN", "PART"})
# a capitalised sentence-initial word tagged as one of these is a common word, not a first name
_COMMON_POS = frozenset({"VERB", "AUX", "ADV", "ADP", "SCONJ", "CCONJ", "DET", "PRON", "PART", "INTJ",
                         "NUM"})
_GERUND = re.compile(r"^[A-Z][a-z]{2,}ing$")
_BYLINE = re.compile(r"^\s*by\s+\S+(?:\s+\S+){0,5}\s*$", re.IGNORECASE)
# "Jane Doe, The Example Times, May 2, 2022 —": names, an outlet and a date, comma-separated
_DATED_BYLINE = re.compile(r"^[^.!?]{3,80},[^.!?]{0,40}\b(?:1[89]|20)\d\d\s*(?:[-\u2013\u2014]\s*)?$")
_DATELINE_AGENCY = re.compile(
    r"^\s*[A-Z][A-Z .'\u2019-]{2,}[^()\n]{0,40}\(([^()\n]{2,40})\)\s*[-\u2013\u2014:]")
_MIN_PHONETIC = 5
_NAMING_WORDS = frozenset({"named", "called", "dubbed", "codenamed", "code-named", "titled", "known"})
_MIN_SURNAME_PHONETIC = 7  # a bare surname matches a variant met earlier only if this long


@dataclass
class _Seg:
    start: int  # token index
    end: int  # exclusive
    kind: str  # dict | country | title | name
    how: str = ""
    entry: ActorEntry | None = None
    hit: CountryHit | None = None
    title: Title | None = None


@dataclass
class _Known:
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
class _State:
    day: dt.date | None
    doc_id: str
    known: list[_Known] = field(default_factory=list)
    lasts: set[str] = field(default_factory=set)
    last_place_end: int = -1  # token index just after the latest place mention
    people: frozenset[str] = frozenset()  # ids of dictionary people named in full anywhere in the article

    def remember(self, known: _Known) -> None:
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

    def by_office(self, office: str, code: str | None, titles: TitleTable) -> _Known | None:
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

    def by_surname(self, word: str) -> _Known | None:
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

    def by_words(self, words: list[str]) -> _Known | None:
        want = set(words)
        for known in reversed(self.known):
            if words[-1] in known.lasts and any(want <= form for form in known.forms):
                return known
        return None


@dataclass
class _TitleInfo:
    country: CountryHit | None
    sector: str | None
    person: bool
    titles: tuple[Title, ...] = ()


@dataclass(frozen=True)
class GenericPhrase:
    """A collective phrase with no name ("militants", "Pakistani police"), offered to a generic hook."""

    doc_id: str
    sentence_index: int
    char_start: int
    char_end: int
    text: str
    title: str  # the collective noun as the title table writes it ("militants", "police")
    sector: str | None
    code: str | None  # the country the phrase names, if any


GenericHook = Callable[[GenericPhrase], "Mention | None"]


class ActorResolver:
    """Resolves the actor mentions of a parsed article against a dictionary and the country table.

    ``generic``: an optional hook for collective actors (police, protesters, militants): it gets each
    such phrase and returns the mention to emit instead of the default one, or None to keep it.
    """

    def __init__(self, dictionary: ActorDictionary, countries: CountryTable,
                 titles: TitleTable | None = None, generic: GenericHook | None = None) -> None:
        self.dictionary = dictionary
        self.countries = countries
        self.titles = titles if titles is not None else TitleTable.load()
        self.generic = generic
        self._exact: dict[str, list[tuple[str, bool, bool]]] = defaultdict(list)
        self._phonetic: dict[str, set[str]] = defaultdict(set)
        self._surnames: dict[str, set[str]] = defaultdict(set)
        self._person_forms: dict[str, list[frozenset[str]]] = defaultdict(list)
        self._given: dict[str, set[str]] = defaultdict(set)  # a person's own name words (no patronyms)
        self._piece_cache: dict[str, str] = {}
        # phonetic keys of people's full names and surnames, for spellings one letter off
        self._person_keys: dict[str, set[str]] = defaultdict(set)
        self._surname_keys: dict[str, set[str]] = defaultdict(set)
        self._index()
        self._person_key_list = sorted(self._person_keys)
        self._surname_key_list = sorted(self._surname_keys)

    # -- index -------------------------------------------------------------------------------------
    def _index(self) -> None:
        for entry in self.dictionary.entries.values():
            for form in [entry.name, *entry.aliases]:
                key = compact_key(form)
                if not key:
                    continue
                self._exact[key].append((entry.id, is_acronym(form), form == entry.name))
                if len(key) >= _MIN_PHONETIC and not is_acronym(form):
                    self._phonetic[phonetic_from_compact(key)].add(entry.id)
                if entry.kind == "person":
                    _, rest = self.titles.strip_titles(form)
                    words = [compact_key(w) for w in normalise_name(rest).split()]
                    words = [w for w in words if w and w not in self.titles.particles]
                    if words:
                        self._person_forms[entry.id].append(frozenset(words))
                    last = self.titles.surname(form)
                    if last:
                        self._surnames[last].add(entry.id)
                    raw = normalise_name(rest).split()
                    for n, word in enumerate(raw):
                        if word not in self.titles.particles and not (
                                n > 0 and raw[n - 1] in self.titles.patronymics):
                            self._given[compact_key(word)].add(entry.id)
                    if words and len(words) >= 2:
                        self._person_keys[phonetic_from_compact("".join(words))].add(entry.id)
                    if last and len(last) >= _MIN_PHONETIC:
                        self._surname_keys[phonetic_from_compact(last)].add(entry.id)

    def _exact_entry(self, key: str, surface: str) -> ActorEntry | None:
        found = self._exact.get(key)
        if not found:
            return None
        acronym = is_acronym(surface)
        ids = {i for i, needs_caps, _ in found if acronym or not needs_caps}
        if len(ids) > 1:  # the same form for two entries: the one it is the canonical name of
            ids = {i for i, needs_caps, canonical in found if canonical and i in ids}
        return self.dictionary.get(next(iter(ids))) if len(ids) == 1 else None

    def _phonetic_entry(self, key: str) -> ActorEntry | None:
        if len(key) < _MIN_PHONETIC:
            return None
        ids = self._phonetic.get(phonetic_from_compact(key))
        return self.dictionary.get(next(iter(ids))) if ids and len(ids) == 1 else None

    def _piece(self, token: Token) -> str:
        if token.tag_ == "POS" or token.is_space:
            return ""
        text = token.text
        piece = self._piece_cache.get(text)
        if piece is None:
            piece = self._piece_cache[text] = compact_key(text)
        return piece

    # -- public ------------------------------------------------------------------------------------
    def find_mentions(self, doc: Doc, article: Article, sentence_offset_base: int = 0) -> list[Mention]:
        """Every actor mention in ``doc`` (the spaCy parse of ``article.text``), in text order."""
        day = article.published.start_date if article.published is not None else None
        state = _State(day=day, doc_id=article.doc_id)
        pieces = [self._piece(t) for t in doc]
        sent_of = [0] * len(doc)
        skipped = self._skipped_ranges(doc_text(doc))
        headlines = _headline_ranges(doc_text(doc), self.titles.particles)
        authors = _author_keys(article.author)
        segs: list[_Seg] = []
        for s_index, sent in enumerate(doc.sents):
            for k in range(sent.start, sent.end):
                sent_of[k] = s_index + sentence_offset_base
            found = self._honorifics_inside_names(doc, self._scan(doc, sent.start, sent.end, pieces))
            covered = [False] * (sent.end - sent.start)
            for seg in found:
                for k in range(seg.start, seg.end):
                    covered[k - sent.start] = True
            found.extend(self._name_runs(doc, sent.start, sent.end, covered))
            found = self._surname_aliases(doc, self._country_given_names(doc, found))
            found = [seg for seg in found if not self._credit(doc, seg, skipped, authors)
                     and not (seg.kind == "name" and (self._in_headline(doc, seg, headlines)
                                                      or self._not_a_name(doc, seg)))]
            segs.extend(sorted(found, key=lambda s: s.start))
        state.people = frozenset(seg.entry.id for seg in segs if seg.kind == "dict" and seg.entry is not None
                                 and seg.entry.kind == "person" and seg.how != "phonetic")
        # chains may cross a sentence boundary spaCy put inside a title ("Chief of Staff | General X")
        chains = self._chains(doc, segs)
        # generic actors ("police", "protesters") with a sector and a country: actors/generic.py
        return add_generic(doc, article, _focus_for_titled(self._emit(doc, chains, sent_of, state)))

    # -- step 0: text that names no actor -----------------------------------------------------------
    def _skipped_ranges(self, text: str) -> list[tuple[int, int]]:
        """Character ranges whose names are not actors: photo credits, bylines, "Recommended Articles".

        A credit runs from a credit lead ("Photo by") at the start of a line, after "(", "[" or a full
        stop, to the end of the line; a line of ``|``-separated fields ("Jane Doe | Iran | Nov 17,
        2020"), a short "By Jane Doe" line or a line of comma-separated names ending in a date ("Jane
        Doe, The Times, May 2, 2022 —") is a byline; a heading such as "Recommended Articles"
        ends the article (what follows lists other stories).
        """
        ranges: list[tuple[int, int]] = []
        pos = 0
        for line in text.splitlines(keepends=True):
            start, end = pos, pos + len(line.rstrip("\r\n"))
            pos += len(line)
            body = line.strip()
            if not body:
                continue
            if normalise_name(body) in self.titles.end_headings:
                ranges.append((start, len(text)))
                break
            if body.count("|") >= 2 or _BYLINE.match(body) or _DATED_BYLINE.match(body):
                ranges.append((start, end))
                continue
            agency = _DATELINE_AGENCY.match(line)
            if agency:  # "DAMASCUS, Dec. 9, 2024 (Levant Desk) —": the agency is no actor
                ranges.append((start + agency.start(1), start + agency.end(1)))
            lower = line[:end - start].lower()
            for lead in self.titles.credit_leads:
                at = lower.find(lead)
                while at >= 0:
                    before = lower[:at].rstrip(" \t")
                    if not before or before[-1] in "([." or before.endswith("\u2014"):
                        ranges.append((start + at, end))
                        break
                    at = lower.find(lead, at + 1)
        return ranges

    def _country_given_names(self, doc: Doc, segs: list[_Seg]) -> list[_Seg]:
        """A country name between a person's title and a surname is a first name: "Minister Israel Katz"."""
        segs = sorted(segs, key=lambda x: x.start)
        out: list[_Seg] = []
        k = 0
        while k < len(segs):
            seg = segs[k]
            nxt = segs[k + 1] if k + 1 < len(segs) else None
            prev = out[-1] if out else None
            if seg.kind == "country" and seg.hit is not None and seg.hit.kind == "country" \
                    and seg.end - seg.start == 1 and nxt is not None and nxt.kind == "name" \
                    and nxt.start == seg.end and prev is not None and prev.kind == "title" \
                    and prev.title is not None and prev.title.person and prev.end == seg.start \
                    and doc[seg.start].tag_ != "POS" and doc[seg.end - 1].whitespace_:
                out.append(_Seg(seg.start, nxt.end, "name", how="ner"))
                k += 2
                continue
            out.append(seg)
            k += 1
        return out

    def _honorifics_inside_names(self, doc: Doc, segs: list[_Seg]) -> list[_Seg]:
        """An honorific between two parts of a name is part of it: "Hassan Sheikh Mohamud"."""
        starts = {seg.start for seg in segs}
        out = []
        for seg in segs:
            title = seg.title
            if seg.kind == "title" and title is not None and title.honorific and seg.end - seg.start == 1 \
                    and seg.start > 0 and seg.end < len(doc) and seg.start - 1 not in starts:
                before, after = doc[seg.start - 1], doc[seg.end]
                if self._is_name_token(before) and self._is_name_token(after) and \
                        not self._common_initial(doc, seg.start - 1, doc[seg.start].sent.start):
                    continue
            out.append(seg)
        return out

    def _surname_aliases(self, doc: Doc, segs: list[_Seg]) -> list[_Seg]:
        """What ends an unknown name: a one-word group alias ("Therese Kayikwamba Wagner": a surname),
        a capitalised body ("National Intelligence Service": an organisation's name)."""
        by_start = {seg.start: seg for seg in segs}
        out: list[_Seg] = []
        dropped: set[int] = set()
        for seg in sorted(segs, key=lambda x: x.start):
            if seg.start in dropped:
                continue
            nxt = by_start.get(seg.end)
            if seg.kind == "name" and nxt is not None and (self._surname_alias(doc, seg, nxt)
                                                           or self._body_name_end(doc, nxt)):
                seg = _Seg(seg.start, nxt.end, "name", how=seg.how)
                dropped.add(nxt.start)
            out.append(seg)
        return out

    @staticmethod
    def _not_a_name(doc: Doc, seg: _Seg) -> bool:
        """A dateline's place in capitals ("KHAN YOUNIS, Gaza (AP) -") or a name with a figure in it
        ("Joint Sword-2024A", an exercise): no person."""
        span = doc[seg.start:seg.end]
        if any(any(c.isdigit() for c in t.text) for t in span):
            return True
        return span.text.isupper() and len(span.text) > 3 and ActorResolver._initial(doc, seg.start, 0) \
            and seg.end < len(doc) and doc[seg.end].text[:1] in (",", "(", ":", "-", "\u2013", "\u2014")

    @staticmethod
    def _surname_alias(doc: Doc, seg: _Seg, nxt: _Seg) -> bool:
        return nxt.kind == "dict" and nxt.entry is not None and nxt.entry.kind != "person" \
            and nxt.end - nxt.start == 1 and bool(doc[seg.end - 1].whitespace_) \
            and doc[nxt.start].pos_ == "PROPN"

    @staticmethod
    def _body_name_end(doc: Doc, nxt: _Seg) -> bool:
        """"National Intelligence Service": a capitalised body after capitalised words ends a name."""
        return nxt.kind == "title" and nxt.title is not None and not nxt.title.person \
            and all(t.text[:1].isupper() for t in doc[nxt.start:nxt.end] if t.is_alpha)

    @staticmethod
    def _in_headline(doc: Doc, seg: _Seg, headlines: list[tuple[int, int]]) -> bool:
        """Is ``seg`` an unknown name inside a title-case headline ("Deadly Clashes Erupt in Sudan")?"""
        a = doc[seg.start].idx
        return any(lo <= a < hi for lo, hi in headlines)

    def _credit(self, doc: Doc, seg: _Seg, skipped: list[tuple[int, int]], authors: frozenset[str]) -> bool:
        """Is ``seg`` part of a credit or byline (not an actor of the story)?"""
        a = doc[seg.start].idx
        if any(lo <= a < hi for lo, hi in skipped):
            return True
        if seg.kind != "name":
            return False
        # "REUTERS/Jonathan Ernst": a name glued to "AGENCY/" is a photographer
        if seg.start >= 2 and doc[seg.start - 1].text == "/" and not doc[seg.start - 2].whitespace_ \
                and doc[seg.start - 2].text.isupper():
            return True
        return bool(authors) and compact_key(doc[seg.start:seg.end].text) in authors

    # -- step 1: scan ------------------------------------------------------------------------------
    def _stops(self, token: Token) -> bool:
        if token.is_space:
            return "\n" in token.text
        return token.is_punct and token.text not in _JOINERS and token.tag_ != "POS"

    def _scan(self, doc: Doc, start: int, end: int, pieces: list[str]) -> list[_Seg]:
        segs: list[_Seg] = []
        i = start
        while i < end:
            tok = doc[i]
            if tok.is_space or (tok.is_punct and tok.text != "[") or (not pieces[i] and tok.text != "["):
                i += 1
                continue
            first = tok if tok.text != "[" or i + 1 >= end else doc[i + 1]
            capital = first.text[:1].isupper() or first.text[:1].isdigit()
            best: tuple[int, int, _Seg] | None = None
            key = ""
            for j in range(i, min(end, i + MAX_SPAN)):
                t = doc[j]
                if j > i and self._stops(t):
                    break
                if not pieces[j]:
                    continue
                key += pieces[j]
                known = key in self._exact or key in self.countries.forms or key in self.titles.titles
                surface = doc[i:j + 1].text if known else ""
                length = j - i + 1
                # a multi-word proper form ends on a capitalised or attached word: "Pakistan is" is
                # not "Pakistanis"
                proper = capital and (j == i or t.text[:1].isupper() or t.text[:1].isdigit()
                                      or not doc[j - 1].whitespace_)
                for prio, seg in self._candidates(key, surface, proper, i, j + 1):
                    if best is None or (length, prio) > (best[0], best[1]):
                        best = (length, prio, seg)
                    break  # the first candidate at a length has the highest priority
            if best is None:
                i += 1
                continue
            segs.append(best[2])
            i = best[2].end
        return segs

    def _candidates(self, key: str, surface: str, capital: bool, i: int,
                    end: int) -> list[tuple[int, _Seg]]:
        found: list[tuple[int, _Seg]] = []
        if capital:
            entry = self._exact_entry(key, surface)
            if entry is not None:
                how = "dictionary" if compact_key(entry.name) == key else "alias"
                found.append((4, _Seg(i, end, "dict", how=how, entry=entry)))
            hit = self.countries.get_key(key, is_acronym(surface))
            if hit is not None:
                found.append((3, _Seg(i, end, "country", how=hit.kind, hit=hit)))
            if entry is None:
                entry = self._phonetic_entry(key)
                if entry is not None:
                    found.append((2, _Seg(i, end, "dict", how="phonetic", entry=entry)))
        title = self.titles.get_surface(key, surface)
        if title is not None:
            found.append((1, _Seg(i, end, "title", how="title", title=title)))
        return found

    # -- step 2: unknown names ---------------------------------------------------------------------
    def _is_name_token(self, token: Token) -> bool:
        if not token.text[:1].isupper() or token.ent_type_ in _NOT_NAME_LABELS:
            return False
        return token.pos_ == "PROPN" or token.ent_type_ in _NAME_LABELS

    @staticmethod
    def _initial(doc: Doc, i: int, start: int) -> bool:
        """Does token ``i`` open its sentence (from ``start``) or a line, after quotes and brackets?"""
        k = i - 1
        while k >= start and (doc[k].is_punct or doc[k].is_quote) and "\n" not in doc[k].text:
            k -= 1
        return k < start or (doc[k].is_space and "\n" in doc[k].text)

    def _common_initial(self, doc: Doc, i: int, start: int) -> bool:
        """A capitalised common word opening a sentence or line: "Meanwhile Khan said".

        spaCy's tagger, which sees the whole sentence, often knows such a word is an adverb or a verb
        even when its entity recogniser puts it inside a PERSON; ``not_first_names`` covers the rest.
        """
        if not self._initial(doc, i, start):
            return False
        token = doc[i]
        return token.pos_ in _COMMON_POS or normalise_name(token.text) in self.titles.not_first_names

    def _name_runs(self, doc: Doc, start: int, end: int, covered: list[bool]) -> list[_Seg]:
        runs: list[_Seg] = []
        i = start
        while i < end:
            opening = doc[i].text == "[" and i + 1 < end and self._is_name_token(doc[i + 1])
            if covered[i - start] or not (opening or self._is_name_token(doc[i])) or \
                    self._common_initial(doc, i, start):
                i += 1
                continue
            j = i + 1
            while j < end and not covered[j - start]:
                t = doc[j]
                if self._is_name_token(t):
                    j += 1
                    continue
                inner = t.text in _NAME_JOINERS or normalise_name(t.text) in self.titles.particles
                nxt = j + 1 < end and not covered[j + 1 - start] and (
                    self._is_name_token(doc[j + 1]) or doc[j + 1].text in _NAME_JOINERS
                    or normalise_name(doc[j + 1].text) in self.titles.particles)  # "von der Leyen"
                if inner and (nxt or t.text == "]"):
                    j += 1
                    continue
                break
            while j > i + 1 and normalise_name(doc[j - 1].text) in self.titles.particles:
                j -= 1  # a run ends on a name, not on "von der"
            while j > i + 1 and doc[j - 1].text in _NAME_JOINERS and doc[j - 1].text != "]":
                j -= 1
            # "Furthering Khan's efforts": a sentence-initial gerund before a lone surname is a verb
            if j - i == 2 and _GERUND.match(doc[i].text) and self._initial(doc, i, start):
                i += 1
            runs.append(_Seg(i, j, "name", how="ner"))
            i = j
        return runs

    # -- step 3: chains ----------------------------------------------------------------------------
    def _is_glue(self, token: Token) -> bool:
        if token.is_space:
            return "\n" not in token.text
        if token.tag_ == "POS" or token.text in ("-", "[", "]", "'", "\u2019"):
            return True
        if normalise_name(token.text) in self.titles.glue:
            return True
        return token.pos_ == "ADJ" and token.text.islower()

    def _links(self, doc: Doc, chain: list[_Seg], seg: _Seg) -> bool:
        last = chain[-1]
        if last.kind == "name" or seg.kind == "country":
            return False
        if last.kind == "dict":
            assert last.entry is not None
            # "IRGC commander Qasem Soleimani": an organisation may qualify a following title
            if last.entry.kind == "person" or seg.kind != "title":
                return False
        gap = doc[last.end:seg.start]
        if last.kind == "title" and len(gap) >= 1 and gap[0].text == "." and \
                not doc[last.end - 1].whitespace_:
            gap = gap[1:]  # "Capt. Ibrahim Traore": the abbreviation's stop (spaCy may end a sentence)
        return len(gap) <= 3 and all(self._is_glue(t) for t in gap)

    def _chains(self, doc: Doc, segs: list[_Seg]) -> list[list[_Seg]]:
        chains: list[list[_Seg]] = []
        for seg in segs:
            if chains and self._links(doc, chains[-1], seg):
                chains[-1].append(seg)
            else:
                chains.append([seg])
        return chains

    # -- emission ----------------------------------------------------------------------------------
    def _emit(self, doc: Doc, chains: list[list[_Seg]], sent_of: list[int], state: _State) -> list[Mention]:
        emitted: list[list[Mention]] = [[] for _ in chains]
        consumed: set[int] = set()
        for c, chain in enumerate(chains):
            if c in consumed:
                continue
            # a surname met earlier in the article wins over a country or place of the same spelling
            if len(chain) == 1 and chain[0].kind == "country" and chain[0].end - chain[0].start == 1:
                tok = doc[chain[0].start]
                if tok.pos_ == "PROPN" and self._piece(tok) in state.lasts:
                    chain = [_Seg(chain[0].start, chain[0].end, "name", how="ner")]
            if self._after_landmark(doc, chain[0].start):
                continue  # "the shrine of Imam Reza", "the mosque of Sayyida Zainab": a building
            s_index = sent_of[chain[-1].start]
            head = chain[-1] if chain[-1].kind in ("dict", "name") else None
            mods = chain[:-1] if head is not None else chain
            info = self._title_info(mods, state.day)
            restore: tuple[int, list[Mention]] | None = None
            personal = head is not None and (head.kind == "name" or (
                head.entry is not None and head.entry.kind == "person"))
            if personal and (info is None or info.country is None):
                appo = self._apposition(doc, chains, c, consumed)
                if appo is not None:
                    found, absorbed = appo
                    # the head's own rank ("Rear Admiral") outranks the apposition's sector
                    info = _TitleInfo(country=found.country,
                                      sector=(info.sector if info else None) or found.sector, person=True,
                                      titles=(info.titles if info else ()) + found.titles)
                    restore = (absorbed, emitted[absorbed])
                    if absorbed < c:
                        emitted[absorbed] = []
                    else:
                        consumed.add(absorbed)
            if head is not None and head.kind == "dict":
                assert head.entry is not None
                emitted[c].extend(self._bodies(doc, mods, s_index, state))
                emitted[c].append(self._dict_mention(doc, head, head.entry, head.how, s_index, state,
                                                     info.sector if info else None,
                                                     info.titles if info else ()))
                continue
            if head is not None:
                mention = self._name_mention(doc, head, info, s_index, state)
                if mention is not None:
                    emitted[c].extend(self._bodies(doc, mods, s_index, state))
                    emitted[c].append(mention)
                    continue
                if restore is not None:  # not a person after all: the titled phrase stands alone
                    emitted[restore[0]] = restore[1]
                    consumed.discard(restore[0])
                organisation = self._organisation(doc, head, mods, s_index, state)
                if organisation is not None:
                    emitted[c].append(organisation)
                    continue
            else:
                described = self._description(doc, mods, s_index, state)
                if described is not None:
                    emitted[c].append(described)
                    continue
            emitted[c].extend(self._headless(doc, mods, s_index, state))
        return [m for group in emitted for m in group]

    def _bodies(self, doc: Doc, mods: list[_Seg], s_index: int, state: _State) -> list[Mention]:
        """The organisations that qualify a person ("IRGC commander X"): mentioned too, as themselves."""
        return [self._dict_mention(doc, seg, seg.entry, seg.how, s_index, state, None) for seg in mods
                if seg.kind == "dict" and seg.entry is not None and seg.entry.kind != "person"]

    def _after_landmark(self, doc: Doc, start: int) -> bool:
        """Does the chain at ``start`` follow "<landmark> of" ("the shrine of ...")?"""
        if start < 2 or doc[start - 1].lower_ != "of":
            return False
        return normalise_name(doc[start - 2].text) in self.titles.landmarks

    def _title_info(self, mods: list[_Seg], day: dt.date | None = None) -> _TitleInfo | None:
        """Country and sector given by the modifiers of a head (or of nothing)."""
        titles = [s.title for s in mods if s.kind == "title" and s.title is not None]
        country = next((s.hit for s in mods if s.kind == "country"), None)
        org = next((s.entry for s in mods if s.kind == "dict"), None)
        if not titles and country is None and org is None:
            return None
        sector = _title_sector(titles)
        person = any(t.person and not t.honorific for t in titles)
        org_code, org_sector = self._code_for(org, day, None) if org is not None else (None, None)
        if country is None and org is not None and (org.country or org_code):
            code = org.country or org_code
            assert code is not None
            country = CountryHit(code, self.countries.name_of(code) or code, "country")
            sector = sector or org.sector or org_sector
        if org is not None and org.kind in ("group", "igo") and org.sector in ("REB", "CRM", "IGO"):
            # "Houthi military spokesman", "European Commission President": the body's sector
            sector = org.sector
        return _TitleInfo(country=country, sector=sector, person=person, titles=tuple(titles))

    def _apposition(self, doc: Doc, chains: list[list[_Seg]], c: int,
                    consumed: set[int]) -> tuple[_TitleInfo, int] | None:
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
                info = self._title_info(prev)
                if prev[-1].kind in ("title", "country") and info is not None and info.person:
                    return info, p
        # "Shahram Irani, Iran's naval chief, said"
        if end < sent.end and doc[end].text == "," and c + 1 < len(chains):
            nxt = chains[c + 1]
            gap = doc[end + 1:nxt[0].start]
            if len(gap) <= 4 and all(t.pos_ in ("DET", "ADJ", "ADV") for t in gap) and \
                    nxt[-1].kind == "title" and c + 1 not in consumed:
                info = self._title_info(nxt)
                if info is not None and info.person:
                    if info.country is None:
                        info.country = self._country_of_body(doc, chains, c + 1)
                    return info, c + 1
        return None

    def _country_of_body(self, doc: Doc, chains: list[list[_Seg]], t: int) -> CountryHit | None:
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

    def _span(self, doc: Doc, start: int, end: int) -> tuple[int, int, str]:
        a = doc[start].idx
        b = doc[end - 1].idx + len(doc[end - 1].text)
        return a, b, doc[start:end].text

    def _code_for(self, entry: ActorEntry, day: dt.date | None,
                  hint: str | None) -> tuple[str | None, str | None]:
        if day is None and entry.roles:
            latest = max(entry.roles, key=lambda r: r.start or dt.date.min)
            return latest.country, latest.sector
        code, sector = entry.code_on(day)
        return code, sector or hint

    def _dict_mention(self, doc: Doc, seg: _Seg, entry: ActorEntry, how: str, s_index: int,
                      state: _State, hint: str | None, titles: Sequence[Title] = ()) -> Mention:
        a, b, text = self._span(doc, seg.start, seg.end)
        code, sector = self._code_for(entry, state.day, hint)
        if entry.kind == "person":
            forms = list(self._person_forms.get(entry.id, []))
            words = self._words(doc, seg)
            if words:
                forms.append(frozenset(words))
            lasts = frozenset(self._lasts(entry, text))
            # a dictionary form may carry its title: "FM Qureshi"
            titles = [*titles, *self.titles.strip_titles(text)[0]]
            offices = self._offices(entry, state.day, titles)
            attested = offices if state.day is not None else self._titled(titles)
            state.remember(_Known(entry.id, entry.name, forms, lasts, entry, code, sector, offices, attested))
        return Mention(doc_id=state.doc_id, sentence_index=s_index, char_start=a, char_end=b, text=text,
                       actor_id=entry.id, name=entry.name, code=code, sector=sector, kind=entry.kind,
                       is_place=False, how=how)

    def _lasts(self, entry: ActorEntry, surface: str) -> set[str]:
        """The surnames ``entry`` may be called by: from its name, its aliases and this mention."""
        lasts = {last for last in (self.titles.surname(f) for f in [entry.name, *entry.aliases, surface])
                 if last}
        return lasts

    def _offices(self, entry: ActorEntry, day: dt.date | None, titles: Sequence[Title]) -> frozenset[str]:
        """Office keys of a person: the role held on ``day`` (the latest if undated) and the titles given."""
        role = entry.role_on(day) if day is not None else (
            max(entry.roles, key=lambda r: r.start or dt.date.min) if entry.roles else None)
        offices = set(self._titled(titles))
        if role is not None:
            offices.add(self.titles.office_key(role.office))
        return frozenset(offices)

    def _titled(self, titles: Sequence[Title]) -> frozenset[str]:
        return frozenset(self.titles.office_key(t.form) for t in titles if t.person and not t.honorific)

    def _words(self, doc: Doc, seg: _Seg) -> list[str]:
        words = [self._piece(t) for t in doc[seg.start:seg.end]]
        return [w for w in words if w and w not in self.titles.particles]

    def _near(self, key: str, keys: list[str], table: dict[str, set[str]]) -> set[str]:
        """Ids under the phonetic keys one edit from ``key`` (two for long names): "Araghachi"."""
        key = phonetic_from_compact(key)
        if len(key) < 7:
            return set()
        limit = 1 if len(key) < 14 else 2
        found: set[str] = set()
        for other, _score, _n in process.extract(key, keys, scorer=Levenshtein.distance,
                                                 score_cutoff=limit, limit=8):
            if other[:1] == key[:1]:  # a first letter is rarely misspelt; "Salman" is not "Talman"
                found |= table[other]
        return found

    def _ids_of_country(self, ids: set[str], code: str) -> set[str]:
        """Those of ``ids`` who are of country ``code`` or ever held an office of it."""
        out = set()
        for actor_id in ids:
            entry = self.dictionary.get(actor_id)
            if entry is not None and (entry.country == code or any(r.country == code for r in entry.roles)):
                out.add(actor_id)
        return out

    def _given_candidates(self, word: str, info: _TitleInfo, state: _State) -> set[str]:
        """People called by their first name after a title that goes with it ("Prince Faisal").

        Only with a title of ``given_name_titles`` (prince, king, emir, sheikh, ...), only state
        officials in office on the day, and only of the country the phrase names, if it names one:
        "King Abdullah" is never Abdullah Ocalan.
        """
        if not any(self.titles.takes_given_name(t.form) for t in info.titles):
            return set()
        found: set[str] = set()
        for actor_id in self._given.get(word, set()):
            entry = self.dictionary.get(actor_id)
            if entry is None:
                continue
            roles = [r for r in entry.roles if state.day is None or r.held_on(state.day)]
            if info.country is not None:
                roles = [r for r in roles if r.country == info.country.code]
            if any(r.sector == "GOV" and not r.office.startswith("the late ") for r in roles):
                found.add(actor_id)
        return found

    def _active(self, ids: set[str], day: dt.date | None) -> set[str]:
        """Of several people a name may mean, those in office on ``day`` (all of them if none is).

        "Prince Faisal" in 2025 is the serving foreign minister Faisal bin Farhan, not Saud al-Faisal,
        who left office in 2015 and died that year.
        """
        if day is None or len(ids) < 2:
            return ids
        active = set()
        for actor_id in ids:
            entry = self.dictionary.get(actor_id)
            if entry is not None and any(r.held_on(day) and not r.office.startswith("the late ")
                                         for r in entry.roles):
                active.add(actor_id)
        return active or ids

    def _by_title(self, word: str, titles: Sequence[Title], day: dt.date | None) -> ActorEntry | None:
        """The one dictionary person called ``word`` who holds the office a title names.

        "King Salman" in 2019 is Salman bin Abdulaziz (King since 2015), never his son Mohammed bin
        Salman: a name after "bin" is a father's, and the son held no office called "king".
        """
        found = self._holding(set(self._given.get(word, ())), titles, day)
        return self.dictionary.get(found[0]) if len(found) == 1 else None

    def _holding(self, ids: set[str], titles: Sequence[Title], day: dt.date | None) -> list[str]:
        """Of ``ids``, those who hold on ``day`` every office the ``titles`` name (none when the
        titles name no office): "King Salman" is the king, not Bahrain's crown prince Salman."""
        offices = [t for t in titles if t.person and not t.honorific and not t.prenominal]
        if not offices:
            return []
        found: list[str] = []
        for actor_id in sorted(ids):
            entry = self.dictionary.get(actor_id)
            if entry is None:
                continue
            roles = [r for r in entry.roles if day is None or r.held_on(day)]
            held = frozenset(self.titles.office_key(r.office) for r in roles)
            if all(self.titles.office_matches(t.form, held) for t in offices):
                found.append(actor_id)
        return found

    def _name_mention(self, doc: Doc, seg: _Seg, info: _TitleInfo | None, s_index: int,
                      state: _State) -> Mention | None:
        words = self._words(doc, seg)
        if not words:
            return None
        a, b, text = self._span(doc, seg.start, seg.end)
        hint = info.sector if info else None
        known = state.by_surname(words[0]) if len(words) == 1 else state.by_words(words)
        entry: ActorEntry | None = None
        how = "surname"
        if known is None:
            ids: set[str] = set()
            if len(words) == 1:
                ids = {i for i in self._surnames.get(words[0], set())
                       if self.dictionary.get(i) is not None}
                if len(ids) > 1 and ids & state.people:  # "Khan, who ..." before "Imran Khan" later on
                    ids &= state.people
                if info is not None and info.person and not ids & state.people:
                    # "Prince Faisal", "President Erdogan": of those so called, the one in office
                    ids = self._active(ids | self._given_candidates(words[0], info, state), state.day)
                if info is not None and info.country is not None:
                    ids = self._ids_of_country(ids, info.country.code)  # "Jordan's King Abdullah"
            else:
                want = set(words)
                ids = {i for i in self._surnames.get(words[-1], set())
                       if any(want <= form for form in self._person_forms.get(i, []))}
                if not ids:
                    ids = self._active(self._near("".join(words), self._person_key_list, self._person_keys),
                                       state.day)
            if not ids and len(words) == 1 and info is not None and info.person:
                near = self._near(words[0], self._surname_key_list, self._surname_keys)
                ids = self._active(near, state.day)
            if len(ids) > 1 and info is not None and info.person:
                ids = set(self._holding(ids, info.titles, state.day)) or ids
            if len(ids) == 1:
                entry = self.dictionary.get(next(iter(ids)))
            elif not ids and len(words) == 1 and info is not None:
                entry = self._by_title(words[0], info.titles, state.day)
                how = "title"
        if known is not None and known.entry is not None:
            entry = known.entry
        if entry is not None:
            return self._dict_mention(doc, seg, entry, how, s_index, state, hint,
                                      info.titles if info else ())
        if known is not None:
            return Mention(doc_id=state.doc_id, sentence_index=s_index, char_start=a, char_end=b, text=text,
                           actor_id=known.actor_id, name=known.name, code=known.code, sector=known.sector,
                           kind="person", how="surname")
        if seg.end < len(doc) and normalise_name(doc[seg.end].text) in self.titles.landmarks:
            return None  # "Ben Gurion airport", "Tahrir Square": a place named after someone
        if self._not_a_person(doc, seg, info):
            return None
        labels = [t.ent_type_ for t in doc[seg.start:seg.end] if t.ent_type_]
        personish = "PERSON" in labels or not labels or \
            sum(lab in _NON_PERSON_LABELS for lab in labels) * 2 < len(labels)
        titled = info is not None and info.person and (len(words) >= 2 or "PERSON" in labels)
        if titled and not personish and len(words) >= 2 and info is not None and any(
                t.person and not t.prenominal and not t.honorific for t in info.titles) and not any(
                normalise_name(t.text) in self.titles.org_words for t in doc[seg.start:seg.end]):
            # "Assistant Secretary of State Molly Phee", "WHO official Rik Peeperkorn": an office
            # right before a two-word name makes it a person, whatever spaCy's label
            personish = True
        possessed = not titled and self._possessed_person(doc, seg, info)
        if not possessed and (not personish or not (titled or ("PERSON" in labels and len(words) >= 2))):
            return None
        name = " ".join(t.text for t in doc[seg.start:seg.end]
                        if t.text not in _NAME_JOINERS or t.text == "-")
        name = name.replace(" - ", "-")
        name = self.titles.strip_titles(name)[1] or name  # "Dr. X" is X
        code = info.country.code if titled and info and info.country else None
        sector = info.sector if titled and info else None
        if possessed:
            code = info.country.code if info and info.country else None  # "Rwanda's Olivier Nduhungirehe"
        if code is not None and sector is None:
            sector = "GOV"  # "Russia's representative", "the head of Iran's delegation": the state's
        actor_id = f"person:{_person_slug(name, self.titles.particles)}"
        lasts = frozenset({words[-1]}) if len(words) == 1 else frozenset(
            last for last in [self.titles.surname(text)] if last)
        offices = self._titled(info.titles if titled and info else ())
        state.remember(_Known(actor_id, name, [frozenset(words)], lasts, None, code, sector, offices,
                              offices))
        return Mention(doc_id=state.doc_id, sentence_index=s_index, char_start=a, char_end=b, text=text,
                       actor_id=actor_id, name=name, code=code, sector=sector, kind="person",
                       how="title" if titled else "ner")

    def _not_a_person(self, doc: Doc, seg: _Seg, info: _TitleInfo | None) -> bool:
        """A name run that names no person: a body ("National Security Committee"), a document ("Joint
        Statement"), a place ("the Black Sea", "Chikun LGA"), a ship ("USS X"), an exercise or an
        operation ("exercise Yudh Abhyas", "an operation named Iron Wall", "the Saba Saba
        commemorations"), or a bare title ("Sheikh")."""
        toks = [t for t in doc[seg.start:seg.end] if t.text not in _NAME_JOINERS]
        if not toks:
            return True
        if all(compact_key(t.text) in self.titles.titles for t in toks):
            return True  # "Sheikh" left over from "Sheikh Abdullah bin Zayed"
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
        if any(t.dep_ == "appos" and self._event_noun(t.head) for t in toks):
            return True  # "the exercise, Golden Dragon"
        if before is not None and before.lower_ in _NAMING_WORDS and self._event_noun(before.head):
            return True  # "an operation in Jenin, named Iron Wall"
        set_off = before is not None and before.text == ","
        person_label = any(t.ent_type_ == "PERSON" for t in toks)
        sent_start = doc[seg.start].sent.start
        close = True  # only punctuation and naming words between the event word and the name
        for k in range(seg.start - 1, max(sent_start, seg.start - 9) - 1, -1):
            tok = doc[k]
            if self._event_noun(tok):
                return close or set_off or not person_label  # "the exercise between the two, Golden Dragon"
            if tok.pos_ in ("VERB", "AUX") and tok.lower_ not in _NAMING_WORDS:
                return False
            close = close and (tok.is_punct or tok.lower_ in _NAMING_WORDS)
        return False

    def _event_noun(self, tok: Token) -> bool:
        return tok.pos_ in ("NOUN", "PROPN") and (normalise_name(tok.text) in self.titles.event_names
                                                 or normalise_name(tok.lemma_) in self.titles.event_names)

    @staticmethod
    def _dateline(doc: Doc, start: int, end: int) -> bool:
        """A place in capitals opening a line before "(", ",", ":" or a dash: "KYIV (Reuters) -"."""
        if not doc[start:end].text.isupper() or not ActorResolver._initial(doc, start, 0):
            return False
        return end < len(doc) and doc[end].text[:1] in ("(", ",", ":", "-", "\u2013", "\u2014")

    def _possessed_person(self, doc: Doc, seg: _Seg, info: _TitleInfo | None) -> bool:
        """"Rwanda's Olivier Nduhungirehe": two or three capitalised words after a country's possessive,
        none of them a title, an organisation word or an organisation head, name a person of it."""
        if info is None or info.country is None or info.titles or seg.start == 0 or \
                doc[seg.start - 1].tag_ != "POS":
            return False
        words = [t for t in doc[seg.start:seg.end] if t.is_alpha]
        if not 2 <= len(words) <= 3 or not all(t.text[:1].isupper() for t in words):
            return False
        if normalise_name(words[0].text) in self.titles.event_names:
            return False  # "Israel's Operation Rising Lion"
        return not any(self.titles.lookup(t.text) is not None or self.titles.is_organisation_head(t.text)
                       or normalise_name(t.text) in self.titles.org_words for t in words)

    def _place_before(self, doc: Doc, start: int, kind: str) -> bool:
        k = start - 1
        sent_start = doc[start].sent.start
        while k >= sent_start and doc[k].pos_ == "DET":
            k -= 1
        return k >= sent_start and self.countries.is_place_word(doc[k].text, kind)

    def _place_after(self, doc: Doc, end: int) -> bool:
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

    def _country_mention(self, doc: Doc, start: int, end: int, hit: CountryHit, s_index: int,
                         state: _State, sector: str | None, how: str, as_actor: bool = False) -> Mention:
        a, b, text = self._span(doc, start, end)
        place = not as_actor and (hit.kind == "place" or (hit.kind != "demonym" and (
            self._place_before(doc, start, hit.kind) or start == state.last_place_end
            or self._place_after(doc, end) or self._dateline(doc, start, end))))
        if place:
            state.last_place_end = end
            name = hit.place or hit.name
            return Mention(doc_id=state.doc_id, sentence_index=s_index, char_start=a, char_end=b, text=text,
                           actor_id=f"place:{slug(name)}", name=name, code=hit.code, sector=None,
                           kind=hit.kind, is_place=True, how=how)
        return Mention(doc_id=state.doc_id, sentence_index=s_index, char_start=a, char_end=b, text=text,
                       actor_id=f"country:{hit.code}", name=hit.name, code=hit.code,
                       sector=sector or hit.sector or "GOV", kind=hit.kind, is_place=False, how=how)

    def _description(self, doc: Doc, mods: list[_Seg], s_index: int, state: _State) -> Mention | None:
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
        while k >= 0 and normalise_name(doc[k].text) in self.titles.glue:
            k -= 1  # "the newly appointed Iranian ...", not "the slain general"
        if k >= 0 and doc[k].lower_ == "the":
            definite = True
        if not definite:
            return None
        code = country.code if country is not None else self._of_country(doc, last.end)
        known = state.by_office(title.form, code, self.titles)
        if known is None:
            return None
        state.known.append(known)  # the person described is now the latest one met
        a, b, text = self._span(doc, first.start, last.end)
        return Mention(doc_id=state.doc_id, sentence_index=s_index, char_start=a, char_end=b, text=text,
                       actor_id=known.actor_id, name=known.name, code=known.code, sector=known.sector,
                       kind="person", is_place=False, how="description")

    def _of_country(self, doc: Doc, end: int) -> str | None:
        """The country named right after a title: "the army chief of Pakistan" -> PAK."""
        k = end
        if k + 1 >= len(doc) or doc[k].lower_ != "of":
            return None
        k += 1
        if doc[k].lower_ == "the" and k + 1 < len(doc):
            k += 1
        for n in (3, 2, 1):
            if k + n <= len(doc):
                hit = self.countries.lookup(doc[k:k + n].text)
                if hit is not None and hit.kind in ("country", "capital"):
                    return hit.code
        return None

    def _organisation(self, doc: Doc, head: _Seg, mods: list[_Seg], s_index: int,
                      state: _State) -> Mention | None:
        """A country word and an organisation's name: "Saudi Aramco", "Iranian Red Crescent".

        The organisation is its own actor (``org:<slug>``) of that country, with the sector its name
        gives (``organisation_words`` in titles.yaml), not the country itself.
        """
        if len(mods) != 1 or mods[0].kind != "country" or mods[0].hit is None or \
                any(t.tag_ != "POS" for t in doc[mods[0].end:head.start]):
            return None  # "Saudi Aramco", "South Korea's National Intelligence Service"
        hit = mods[0].hit
        if hit.kind == "place" or doc[mods[0].end - 1].tag_ == "POS" or doc[head.start].tag_ == "POS":
            return None
        span = doc[mods[0].start:head.end]
        labels = {t.ent_type_ for t in doc[head.start:head.end] if t.ent_type_}
        sector = self.titles.org_sector(span.text)
        if labels & {"PERSON", "GPE", "LOC", "NORP"} and "ORG" not in labels:
            return None
        if "ORG" not in labels and sector is None:
            return None
        if any(t.like_num or any(c.isdigit() for c in t.text) for t in doc[head.start:head.end]) or \
                normalise_name(doc[head.start].text) in self.titles.event_names:
            return None  # "Thai F-16 jets", "India's Operation Brahma": equipment and operations
        if self._portfolio_or_pact(doc, head.end):
            return None
        if sector is None and not self.titles.is_organisation_head(doc[head.end - 1].text):
            last = doc[head.end - 1].lower_
            if last.endswith(self.titles.abstract_endings):
                return None  # "Indian Aggression", "Iranian Retaliation": a noun phrase, not a body
        a, b, text = self._span(doc, mods[0].start, head.end)
        name = " ".join(text.split())
        return Mention(doc_id=state.doc_id, sentence_index=s_index, char_start=a, char_end=b, text=text,
                       actor_id=f"org:{slug(name)}", name=name, code=hit.code, sector=sector,
                       kind="organisation", is_place=False, how="organisation")

    def _portfolio_or_pact(self, doc: Doc, end: int) -> bool:
        """Does the name ending at ``end`` qualify an office ("Australia's Pacific minister") or run
        on into a pact's name ("the India-U.S. Comprehensive Global and Strategic Partnership")?"""
        sent_end = doc[end - 1].sent.end
        if end >= sent_end:
            return False
        title = self.titles.lookup(doc[end].text)
        if title is not None and title.person and doc[end].is_lower:
            return True
        for tok in doc[end:min(end + 4, sent_end)]:
            if tok.text[:1].isupper() and normalise_name(tok.text) in self.titles.document_words:
                return True
            if not (tok.lower_ in ("and", "&") or tok.text[:1].isupper()):
                return False
        return False

    def _headless(self, doc: Doc, mods: list[_Seg], s_index: int, state: _State) -> list[Mention]:
        """Modifiers without a name: "Pakistani army", "Iranian state media", "Tehran", "militants"."""
        out: list[Mention] = []
        titles = [s for s in mods if s.kind == "title" and s.title is not None]
        sectored = [s for s in titles if s.title and not s.title.prenominal and not s.title.honorific]
        country = next((s for s in mods if s.kind == "country"), None)
        org = next((s for s in mods if s.kind == "dict"), None)
        if country is not None and country.hit is not None and org is not None and org.entry is not None \
                and country.end <= org.start and org.entry.country in (None, country.hit.code):
            # "Yemen's Houthi militants", "Lebanese Hezbollah": the group, located; one mention
            end = max([org.end, *(t.end for t in sectored)])
            org = _Seg(country.start, end, org.kind, how=org.how, entry=org.entry)
            country = None
        if country is not None and country.hit is not None:
            if sectored:
                sector = _title_sector([s.title for s in sectored if s.title is not None])
                mention = self._country_mention(doc, country.start, sectored[-1].end, country.hit, s_index,
                                                state, sector, "title", as_actor=True)
                body = sectored[-1].title
                if body is not None and not body.person:
                    mention = self._generic(mention, body.form, mention.code) or mention
                out.append(mention)
            else:
                out.append(self._country_mention(doc, country.start, country.end, country.hit, s_index, state,
                                                 None, country.how))
        if org is not None and org.entry is not None:
            hint = next((s.title.sector for s in reversed(sectored) if s.title and s.title.sector), None)
            out.append(self._dict_mention(doc, org, org.entry, org.how, s_index, state, hint))
        if country is None and org is None:
            standalone = [s for s in titles if s.title and s.title.standalone]
            if standalone:
                last = standalone[-1]
                assert last.title is not None
                a, b, text = self._span(doc, titles[0].start, last.end)
                mention = Mention(doc_id=state.doc_id, sentence_index=s_index, char_start=a, char_end=b,
                                  text=text, actor_id=None, name=last.title.form, code=None,
                                  sector=last.title.sector, kind="group", is_place=False, how="title")
                out.append(self._generic(mention, last.title.form, None) or mention)
        return out

    def _generic(self, mention: Mention, title: str, code: str | None) -> Mention | None:
        """The generic hook's mention for a collective phrase, if a hook is set and it has one."""
        if self.generic is None:
            return None
        return self.generic(GenericPhrase(mention.doc_id, mention.sentence_index, mention.char_start,
                                          mention.char_end, mention.text, title, mention.sector, code))


_HEADLINE_END = frozenset('.?!;:"\u201d\u2019)')


def _focus_for_titled(mentions: list[Mention]) -> list[Mention]:
    """Titled people the dictionary does not know and whose title names no country ("Interior
    Minister Jane Roe", "Army chief General X") are of the document's focus country, with
    ``country_how`` "focus"; their later surname mentions follow. People named with a country
    ("Kenyan President X") or known to the dictionary keep theirs."""
    strangers = {m.actor_id for m in mentions if m.kind == "person" and m.how == "title" and m.code is None
                 and m.sector and m.actor_id and m.actor_id.startswith("person:")}
    if not strangers:
        return mentions
    focus = focus_country(mentions)
    if focus is None:
        return mentions
    return [replace(m, code=focus, country_how="focus")
            if m.actor_id in strangers and m.code is None and not m.is_place else m for m in mentions]


def _headline_ranges(text: str, particles: frozenset[str]) -> list[tuple[int, int]]:
    """Character ranges of title-case lines: headlines and subheads, whose capitals name no one.

    A line of at least three words, not ending a sentence, with nearly every word of four letters
    or more capitalised ("Israel Launches Extended Offensive in Gaza"); a line with a comma and a
    figure is a byline or date line ("Jane Doe, The Times, May 2, 2022").
    """
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        start, body = pos, line.strip()
        pos += len(line)
        words = [w for w in re.findall(r"[^\W\d_][\w'\u2019-]*", body) if w.lower() not in particles]
        if len(words) < 3 or body[-1:] in _HEADLINE_END or (re.search(r"\d", body) and "," in body):
            continue
        long = [w for w in words if len(w) >= 4]
        if len(long) >= 3 and sum(w[:1].isupper() for w in long) >= 0.85 * len(long):
            out.append((start, start + len(line)))
    return out


_FINAL_YY = re.compile(r"(?:yy|iy|ii)$")


def _person_slug(name: str, particles: frozenset[str]) -> str:
    """The id of a person the dictionary does not know, the same for the usual spelling variants.

    Particles are glued to the next word and a final -yy/-iy/-ii is -y: "Badr al-Busaidi" and
    "Badr Albusaidi" are ``badr-albusaidi``, "Zelenskyy", "Zelenskiy" and "Zelensky" ``zelensky``.
    """
    words = normalise_name(name).split()
    out: list[str] = []
    glue = ""
    for word in words:
        if word in particles and word not in ("bin", "ibn", "bint"):
            glue += word
            continue
        out.append(_FINAL_YY.sub("y", glue + word))
        glue = ""
    if glue:
        out.append(glue)
    return "-".join(out) or slug(name)


def _title_sector(titles: list[Title]) -> str | None:
    """The sector a run of titles gives: a body's ("army official" -> MIL), else the last office's."""
    bodies = [t.sector for t in titles if t.sector and not t.person]
    if bodies:
        return bodies[-1]
    # an office outranks a rank: "Interior Minister Lt. Gen. X" is GOV, "President Capt. X" too
    office = next((t.sector for t in reversed(titles) if t.sector and not t.honorific and not t.prenominal),
                  None)
    return office or next((t.sector for t in reversed(titles) if t.sector and not t.honorific), None)


def _author_keys(author: str | None) -> frozenset[str]:
    """The :func:`compact_key` of each name in an article's author field ("A and B", "A, B")."""
    if not author:
        return frozenset()
    parts = re.split(r",|;|\band\b|&", author)
    return frozenset(k for k in (compact_key(p) for p in parts) if k)
