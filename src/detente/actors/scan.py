"""Finding the candidate mentions of a parsed sentence: known forms, unknown names, chains.

:class:`Scanner` cuts a sentence into :class:`~detente.actors.segments.Seg` pieces: the longest form
known to the dictionary, the country table or the title table (:meth:`Scanner.scan`), runs of
proper-noun tokens left over (:meth:`Scanner.name_runs`), with the fix-ups between them (a country
name as a first name, an honorific inside a name, an alias ending a name); then glues countries,
titles and a head name into chains (:meth:`Scanner.chains`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokens import Doc, Token

from detente.actors.countries import CountryTable
from detente.actors.nameindex import NameIndex
from detente.actors.normalise import TitleTable, compact_key, is_acronym, normalise_name
from detente.actors.segments import NAME_JOINERS, Seg

__all__ = ["MAX_SPAN", "Scanner", "initial", "not_a_name"]

MAX_SPAN = 10  # tokens in the longest form tried
_JOINERS = frozenset({"-", "\u2013", "[", "]", ".", "&", "/", "'", "\u2019"})
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})
_NOT_NAME_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
# a capitalised sentence-initial word tagged as one of these is a common word, not a first name
_COMMON_POS = frozenset({"VERB", "AUX", "ADV", "ADP", "SCONJ", "CCONJ", "DET", "PRON", "PART", "INTJ",
                         "NUM"})
_GERUND = re.compile(r"^[A-Z][a-z]{2,}ing$")


def initial(doc: Doc, i: int, start: int) -> bool:
    """Does token ``i`` open its sentence (from ``start``) or a line, after quotes and brackets?"""
    k = i - 1
    while k >= start and (doc[k].is_punct or doc[k].is_quote) and "\n" not in doc[k].text:
        k -= 1
    return k < start or (doc[k].is_space and "\n" in doc[k].text)


def not_a_name(doc: Doc, seg: Seg) -> bool:
    """A dateline's place in capitals ("KHAN YOUNIS, Gaza (AP) -") or a name with a figure in it
    ("Joint Sword-2024A", an exercise): no person."""
    span = doc[seg.start:seg.end]
    if any(any(c.isdigit() for c in t.text) for t in span):
        return True
    return span.text.isupper() and len(span.text) > 3 and initial(doc, seg.start, 0) \
        and seg.end < len(doc) and doc[seg.end].text[:1] in (",", "(", ":", "-", "\u2013", "\u2014")


_NOT_SYLLABLES = frozenset({"era", "style", "run", "born", "made", "wide", "like", "type", "free", "owned",
                            "bound", "ally", "camp", "tied", "sized", "long", "year", "day", "term"})


def _syllable_after_hyphen(doc: Doc, j: int, end: int) -> bool:
    """Is ``doc[j]`` a hyphen glued between a capitalised word and a short lower-case syllable, the
    second half of an East Asian given name ("Hyung-bae", "Ching-te"), not "Biden-era" or
    "Smith-led"?"""
    if doc[j].text != "-" or j + 1 >= end or doc[j - 1].whitespace_ or doc[j].whitespace_:
        return False
    nxt = doc[j + 1].text
    return nxt.isalpha() and nxt.islower() and len(nxt) <= 5 and not nxt.endswith(("ed", "ing")) \
        and nxt not in _NOT_SYLLABLES and doc[j - 1].text[:1].isupper()


def _abbreviation(token: Token) -> bool:
    """"Capt", "Gen", "Lt", "Brig": a capitalised short word a stop may follow, not "police." ending a
    sentence before the next one's name."""
    return token.text[:1].isupper() and len(token.text) <= 5 and token.text.isalpha()


def _surname_alias(doc: Doc, seg: Seg, nxt: Seg) -> bool:
    return nxt.kind == "dict" and nxt.entry is not None and nxt.entry.kind != "person" \
        and nxt.end - nxt.start == 1 and bool(doc[seg.end - 1].whitespace_) \
        and doc[nxt.start].pos_ == "PROPN"


def _body_name_end(doc: Doc, nxt: Seg) -> bool:
    """"National Intelligence Service": a capitalised body after capitalised words ends a name."""
    return nxt.kind == "title" and nxt.title is not None and not nxt.title.person \
        and all(t.text[:1].isupper() for t in doc[nxt.start:nxt.end] if t.is_alpha)


class Scanner:
    """Cuts sentences into segments with a dictionary index, the country table and the title table."""

    def __init__(self, index: NameIndex, countries: CountryTable, titles: TitleTable) -> None:
        self.index = index
        self.countries = countries
        self.titles = titles

    def country_given_names(self, doc: Doc, segs: list[Seg]) -> list[Seg]:
        """A country name between a person's title and a surname is a first name: "Minister Israel Katz"."""
        segs = sorted(segs, key=lambda x: x.start)
        out: list[Seg] = []
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
                out.append(Seg(seg.start, nxt.end, "name", how="ner"))
                k += 2
                continue
            out.append(seg)
            k += 1
        return out

    def honorifics_inside_names(self, doc: Doc, segs: list[Seg]) -> list[Seg]:
        """An honorific between two parts of a name is part of it: "Hassan Sheikh Mohamud"."""
        starts = {seg.start for seg in segs}
        out = []
        for seg in segs:
            title = seg.title
            if seg.kind == "title" and title is not None and title.honorific and seg.end - seg.start == 1 \
                    and seg.start > 0 and seg.end < len(doc) and seg.start - 1 not in starts:
                before, after = doc[seg.start - 1], doc[seg.end]
                if self.is_name_token(before) and self.is_name_token(after) and \
                        not self.common_initial(doc, seg.start - 1, doc[seg.start].sent.start):
                    continue
            out.append(seg)
        return out

    def surname_aliases(self, doc: Doc, segs: list[Seg]) -> list[Seg]:
        """What ends an unknown name: a one-word group alias ("Therese Kayikwamba Wagner": a surname),
        a capitalised body ("National Intelligence Service": an organisation's name)."""
        return _join_next(segs, lambda seg, nxt: _surname_alias(doc, seg, nxt) or _body_name_end(doc, nxt))

    def title_surnames(self, doc: Doc, segs: list[Seg]) -> list[Seg]:
        """A capitalised title word right after a name, with no name after it, is a surname: "James
        Elder said", "John Major wrote" (but "Putin Spokesman Dmitry Peskov" keeps its title)."""

        def joins(seg: Seg, nxt: Seg) -> bool:
            return bool(nxt.kind == "title" and nxt.title is not None and nxt.title.person
                        and nxt.end - nxt.start == 1 and doc[nxt.start].text.istitle()
                        and doc[nxt.start].tag_ == "NNP" and bool(doc[seg.end - 1].whitespace_)
                        and not (nxt.end < len(doc) and self.is_name_token(doc[nxt.end])))

        return _join_next(segs, joins)

    # -- the scan ---------------------------------------------------------------------------------
    def stops(self, token: Token) -> bool:
        if token.is_space:
            return "\n" in token.text
        return token.is_punct and token.text not in _JOINERS and token.tag_ != "POS"

    def scan(self, doc: Doc, start: int, end: int, pieces: list[str]) -> list[Seg]:
        segs: list[Seg] = []
        i = start
        while i < end:
            tok = doc[i]
            if tok.is_space or (tok.is_punct and tok.text != "[") or (not pieces[i] and tok.text != "["):
                i += 1
                continue
            first = tok if tok.text != "[" or i + 1 >= end else doc[i + 1]
            capital = first.text[:1].isupper() or first.text[:1].isdigit()
            best: tuple[int, int, Seg] | None = None
            key = ""
            for j in range(i, min(end, i + MAX_SPAN)):
                t = doc[j]
                if j > i and self.stops(t):
                    break
                if not pieces[j]:
                    continue
                key += pieces[j]
                known = key in self.index.exact or key in self.countries.forms or key in self.titles.titles
                surface = doc[i:j + 1].text if known else ""
                length = j - i + 1
                # a multi-word proper form ends on a capitalised or attached word: "Pakistan is" is
                # not "Pakistanis"
                proper = capital and (j == i or t.text[:1].isupper() or t.text[:1].isdigit()
                                      or not doc[j - 1].whitespace_)
                for prio, seg in self.candidates(key, surface, proper, i, j + 1):
                    if best is None or (length, prio) > (best[0], best[1]):
                        best = (length, prio, seg)
                    break  # the first candidate at a length has the highest priority
            if best is None:
                i += 1
                continue
            segs.append(best[2])
            i = best[2].end
        return segs

    def candidates(self, key: str, surface: str, capital: bool, i: int,
                    end: int) -> list[tuple[int, Seg]]:
        found: list[tuple[int, Seg]] = []
        if capital:
            entry = self.index.exact_entry(key, surface)
            if entry is not None:
                how = "dictionary" if compact_key(entry.name) == key else "alias"
                found.append((4, Seg(i, end, "dict", how=how, entry=entry)))
            hit = self.countries.get_key(key, is_acronym(surface))
            if hit is not None:
                found.append((3, Seg(i, end, "country", how=hit.kind, hit=hit)))
            if entry is None:
                entry = self.index.phonetic_entry(key)
                if entry is not None:
                    found.append((2, Seg(i, end, "dict", how="phonetic", entry=entry)))
        title = self.titles.get_surface(key, surface)
        if title is not None:
            found.append((1, Seg(i, end, "title", how="title", title=title)))
        return found

    # -- step 2: unknown names ---------------------------------------------------------------------
    def is_name_token(self, token: Token) -> bool:
        if not token.text[:1].isupper() or token.ent_type_ in _NOT_NAME_LABELS:
            return False
        return token.pos_ == "PROPN" or token.ent_type_ in _NAME_LABELS

    def common_initial(self, doc: Doc, i: int, start: int) -> bool:
        """A capitalised common word opening a sentence or line: "Meanwhile Khan said".

        spaCy's tagger, which sees the whole sentence, often knows such a word is an adverb or a verb
        even when its entity recogniser puts it inside a PERSON; ``not_first_names`` covers the rest.
        """
        if not initial(doc, i, start):
            return False
        token = doc[i]
        return token.pos_ in _COMMON_POS or normalise_name(token.text) in self.titles.not_first_names

    def name_runs(self, doc: Doc, start: int, end: int, covered: list[bool]) -> list[Seg]:
        runs: list[Seg] = []
        i = start
        while i < end:
            opening = doc[i].text == "[" and i + 1 < end and self.is_name_token(doc[i + 1])
            if covered[i - start] or not (opening or self.is_name_token(doc[i])) or \
                    self.common_initial(doc, i, start):
                i += 1
                continue
            j = i + 1
            while j < end and not covered[j - start]:
                t = doc[j]
                if self.is_name_token(t):
                    j += 1
                    continue
                if j > i + 1 and _syllable_after_hyphen(doc, j, end) and not covered[j + 1 - start]:
                    j += 2  # "Moon Hyung-bae", "Lai Ching-te": a given name of two syllables
                    continue
                inner = t.text in NAME_JOINERS or normalise_name(t.text) in self.titles.particles
                nxt = j + 1 < end and not covered[j + 1 - start] and (
                    self.is_name_token(doc[j + 1]) or doc[j + 1].text in NAME_JOINERS
                    or normalise_name(doc[j + 1].text) in self.titles.particles)  # "von der Leyen"
                if inner and (nxt or t.text == "]"):
                    j += 1
                    continue
                break
            while j > i + 1 and normalise_name(doc[j - 1].text) in self.titles.particles:
                j -= 1  # a run ends on a name, not on "von der"
            while j > i + 1 and doc[j - 1].text in NAME_JOINERS and doc[j - 1].text != "]":
                j -= 1
            # "Furthering Khan's efforts": a sentence-initial gerund before a lone surname is a verb
            if j - i == 2 and _GERUND.match(doc[i].text) and initial(doc, i, start):
                i += 1
            runs.append(Seg(i, j, "name", how="ner"))
            i = j
        return runs

    # -- step 3: chains ----------------------------------------------------------------------------
    def is_glue(self, token: Token) -> bool:
        if token.is_space:
            return "\n" not in token.text
        if token.tag_ == "POS" or token.text in ("-", "[", "]", "'", "\u2019"):
            return True
        if normalise_name(token.text) in self.titles.glue:
            return True
        return token.pos_ == "ADJ" and token.text.islower()

    def links(self, doc: Doc, chain: list[Seg], seg: Seg) -> bool:
        last = chain[-1]
        if last.kind == "name" or seg.kind == "country":
            return False
        if last.kind == "dict":
            assert last.entry is not None
            # "IRGC commander Qasem Soleimani": an organisation may qualify a following title, and
            # own a name by its possessive ("the ELN's Antonio García")
            if last.entry.kind == "person" or (seg.kind != "title" and not (
                    seg.kind == "name" and seg.start == last.end + 1 and doc[last.end].tag_ == "POS")):
                return False
        gap = doc[last.end:seg.start]
        if last.kind == "title" and len(gap) >= 1 and gap[0].text == "." and \
                not doc[last.end - 1].whitespace_ and _abbreviation(doc[last.end - 1]):
            gap = gap[1:]  # "Capt. Ibrahim Traore": the abbreviation's stop (spaCy may end a sentence)
        return len(gap) <= 3 and all(self.is_glue(t) for t in gap)

    def chains(self, doc: Doc, segs: list[Seg]) -> list[list[Seg]]:
        chains: list[list[Seg]] = []
        for seg in segs:
            if chains and self.links(doc, chains[-1], seg):
                chains[-1].append(seg)
            else:
                chains.append([seg])
        return chains


def _join_next(segs: list[Seg], joins: Callable[[Seg, Seg], bool]) -> list[Seg]:
    """A name segment and the segment right after it as one name wherever ``joins`` says so."""
    by_start = {seg.start: seg for seg in segs}
    out: list[Seg] = []
    dropped: set[int] = set()
    for seg in sorted(segs, key=lambda x: x.start):
        if seg.start in dropped:
            continue
        nxt = by_start.get(seg.end)
        if seg.kind == "name" and nxt is not None and joins(seg, nxt):
            seg = Seg(seg.start, nxt.end, "name", how=seg.how)
            dropped.add(nxt.start)
        out.append(seg)
    return out
