"""Reading mediation from the stored sentences: who brokered, hosted, facilitated, carried
proposals, offered or engaged between which two parties.

The wording is data (``data/analysis/mediation.yaml``, compiled by
:mod:`detente.link.mediation_rules`): regular expressions written over a
sentence in which every resolved actor and place is replaced by a placeholder, so one cue
("brokered by {M}") serves every country and every spelling the actor stage resolves.
:func:`read_mediation` returns :class:`Reading` records; :mod:`detente.link` turns them into
triads with dates and merges them with the triads it infers from coded events.

Parties and mediators are kept apart by three rules:

* the parties are named in the sentence ("between {A} and {B}", "{A} and {B} agreed"), or
  named once and completed from the document's main pair, or not named at all ("the two
  sides", "both nations") and then are the document's main pair;
* the document's main pair never includes a document's mediator or host, so "the two nations"
  said by (or in the presence of) a mediator resolves to the parties, not to the mediators;
* a third party that is itself in conflict with one side (in the document's coded events)
  becomes a mediator for that side only when the sentence names both parties explicitly.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from detente.link.mediation_rules import (
    _ACT,
    _LIST,
    _MODIFIER,
    _TOKEN,
    KIND_RANK,
    KINDS,
    MEDIATION_FILE,
    STRONG_KINDS,
    WEAK_KINDS,
    Cue,
    MediationRules,
    load_mediation_rules,
)
from detente.store import frame_rows

__all__ = [
    "KINDS",
    "KIND_RANK",
    "MEDIATION_FILE",
    "STRONG_KINDS",
    "WEAK_KINDS",
    "Cue",
    "DocumentContext",
    "Masked",
    "MediationRules",
    "Reading",
    "Slot",
    "load_mediation_rules",
    "mask_sentence",
    "read_mediation",
    "strongest",
]


# -- sentences with their actors replaced ---------------------------------------------------------
@dataclass(frozen=True)
class Slot:
    code: str
    place: bool
    text: str


@dataclass
class Masked:
    doc_id: str
    sentence_index: int
    text: str
    masked: str
    slots: list[Slot]

    def codes(self, group: str | None) -> list[str]:
        if not group:
            return []
        out: list[str] = []
        for _, i in _TOKEN.findall(group):
            c = self.slots[int(i)].code
            if c not in out:
                out.append(c)
        return out

    def actor_codes(self) -> list[str]:
        """The actors the sentence names, less those only describing another ("the
        Iran-aligned group": the group is the actor)."""
        out: list[str] = []
        for i, s in enumerate(self.slots):
            if s.place or s.code in out or \
                    re.search(f"\u27e6a{i}\u27e7{_MODIFIER}", self.masked, re.IGNORECASE):
                continue
            out.append(s.code)
        return out


# ... and "the Palestinian group Hamas", "the Lebanese militia Hezbollah", "the United Nations
# special coordinator Tor Wennesland", "Pakistan's army chief Asim Munir": one actor
_JOIN = re.compile(r"(?:['\u2019]s)?(?:\s+[A-Z][\w.'\u2019-]*){0,4}\s*,?\s*|\s*,\s*|"
                   r"(?:['\u2019]s)?(?:\s+(?!(?:and|or|but|nor|with|to|of|in|on|at|by|for|from|"
                   r"than|as|said|says|told|tells|met|meets|called|urged|asked|the|a|an|its|his|"
                   r"her|their)\b)[a-z][\w-]*){1,3}(?:\s+[A-Z][\w.'\u2019-]*){0,3}\s+|"
                   r"\s+(?:militant\s+|armed\s+|rebel\s+|political\s+)?(?:group|movement|"
                   r"militia|faction|organi[sz]ation|alliance)\s+")


def mask_sentence(doc_id: str, sentence_index: int, text: str, start: int,
                  mentions: Iterable[tuple[int, int, str, bool, str | None]]) -> Masked:
    """The sentence with each resolved mention (``(start, end, code, is_place, kind)``, document
    offsets) replaced by ``⟦a<i>⟧`` (an actor) or ``⟦p<i>⟧`` (a place); a title and name of the
    same country ("Qatar's Prime Minister Mohammed bin Abdulrahman") become one actor."""
    spans: list[list[Any]] = []
    for s, e, code, is_place, kind in sorted(mentions, key=lambda m: (m[0], -m[1])):
        s, e = s - start, e - start
        if s < 0 or e > len(text) or (spans and s < spans[-1][1]):
            continue
        place = bool(is_place) or kind in ("seat",)
        if spans and spans[-1][2] == code and not place and not spans[-1][3] and \
                _JOIN.fullmatch(text[spans[-1][1]:s]) and "," not in text[spans[-1][1]:s]:
            spans[-1][1] = e
            continue
        spans.append([s, e, code, place])
    out: list[str] = []
    slots: list[Slot] = []
    pos = 0
    for s, e, code, place in spans:
        out.append(text[pos:s])
        out.append(f"\u27e6{'p' if place else 'a'}{len(slots)}\u27e7")
        slots.append(Slot(code, place, text[s:e]))
        pos = e
    out.append(text[pos:])
    return Masked(doc_id, sentence_index, text, "".join(out), slots)


# -- readings --------------------------------------------------------------------------------------
@dataclass
class Reading:
    """One sentence's statement that ``mediator`` acted between ``parties``."""

    doc_id: str
    sentence_index: int
    kind: str
    mediator: str
    parties: tuple[str, str]
    text: str
    explicit: bool  # both parties are named in the sentence
    cue: str = ""


@dataclass
class _Found:
    kind: str
    mediators: list[str]
    explicit: list[str] = field(default_factory=list)  # parties the cue itself places
    target: list[str] = field(default_factory=list)  # the side a shuttle goes to
    cue: str = ""
    venue: bool = False  # a place where talks were held, not a wording of hosting
    known_talks: bool = False  # the cue names talks already known ("co-organised the meeting")


_PAIR_RES = (
    # (not "between Russia and Belarus on one side and ...": those two are one side)
    re.compile(rf"\bbetween\s+(?:the\s+)?(?P<A>{_ACT})\s+and\s+(?:the\s+)?(?P<B>{_ACT})"
               rf"(?!\s*,?\s+on\s+(?:the\s+)?one\s+side)", re.IGNORECASE),
    re.compile(rf"(?P<A>{_ACT})\s*(?:-|\u2013|/)\s*(?P<B>{_ACT})", re.IGNORECASE),
    re.compile(rf"(?P<A>{_ACT})\s+and\s+(?:the\s+)?(?P<B>{_ACT})(?:\s+\w+){{0,2}}\s+(?:have\s+|had\s+|"
               rf"has\s+)?(?:agreed|signed|reached|accepted|held|met|meet|began|resumed|"
               rf"concluded|exchanged|announced|opened|agree|sign|will|would)\b", re.IGNORECASE),
    # the sentence's subject and the side it held talks with ("Ukraine said it was ready to
    # accept a ceasefire after talks with American officials", "Hamas released the hostage
    # after talks with U.S. envoys"); the subject is the first actor, after a dateline, and no
    # speaker ("Egypt said Israel held talks with Hamas": Israel's talks, not Egypt's)
    re.compile(rf"^(?:\s*\u27e6p\d+\u27e7)?[^\u27e6]*?(?P<A>{_ACT})(?:(?!\b(?:said|says|told|"
               rf"announced|added|confirmed|reported)\s+(?:on\s+\w+\s+)?(?:that\s+)?(?:the\s+)?"
               rf"\u27e6)[^.;:])*?\b(?:after|following|during|in|held|holds|holding|hold|had|began|"
               rf"resumed|concluded)\s+(?:[\w-]+\s+){{0,5}}?(?:talks|negotiations|meetings?|"
               rf"discussions|consultations)\s+with\s+(?:the\s+)?(?P<B>{_ACT})", re.IGNORECASE),
)


# "between Russia and Belarus on one side and the United States, Germany ... on the other": the
# first named of each side
_SIDES = re.compile(rf"\bbetween\s+(?P<A>{_LIST})\s*,?\s+on\s+(?:the\s+)?one\s+side\s*,?\s+and\s+"
                    rf"(?P<B>{_LIST})\s*,?\s+on\s+the\s+other\b", re.IGNORECASE)


def _between(m: Masked) -> list[tuple[str, str]]:
    """The pairs a sentence names with "between A and B" (or "between A on one side and B on
    the other")."""
    out = []
    for rx in (_PAIR_RES[0], _SIDES):
        for x in rx.finditer(m.masked):
            a, b = m.codes(x.group("A")), m.codes(x.group("B"))
            if a and b and a[0] != b[0]:
                out.append((a[0], b[0]))
    return out


def _sentence_pairs(m: Masked, *, same: bool = False, talks_with: bool = True
                    ) -> list[tuple[str, str]]:
    """The pairs a sentence names together ("between A and B", "A-B", "A and B agreed"); with
    ``same``, also pairs of one code (a government and a rebel group of its country); without
    ``talks_with``, not the subject and the side it held talks with (too weak a sign to make
    the document's main pair)."""
    out = []
    for x in _SIDES.finditer(m.masked):  # one side against the other, the first named of each
        a, b = m.codes(x.group("A")), m.codes(x.group("B"))
        if a and b and a[0] != b[0]:
            out.append((a[0], b[0]))
    for rx in _PAIR_RES if talks_with else _PAIR_RES[:-1]:
        for x in rx.finditer(m.masked):
            a, b = m.codes(x.group("A")), m.codes(x.group("B"))
            if a and b and (a[0] != b[0] or same) and not (rx is _PAIR_RES[1] and
                                                             _ONE_PERSON.match(m.masked, x.end())):
                out.append((a[0], b[0]))
    for rx in _TIES:  # one side's ties with two others: two pairs
        for x in rx.finditer(m.masked):
            ones, others = m.codes(x.group("A")), m.codes(x.group("B"))
            out += [(a, b) for a in ones for b in others if a != b and (a, b) not in out]
    return out


# "Israel signed agreements to normalise relations with the UAE and Bahrain", "the Emiratis and
# Bahrainis normalised ties with Israel": each of the listed sides with the one
_TIE_WORDS = (r"(?:relations|ties|agreements?|accords?|deals?|peace|treaty|treaties)")
_TIES = (
    re.compile(rf"(?P<A>{_ACT})\s+(?:[\w-]+\s+){{0,6}}?{_TIE_WORDS}\s+with\s+(?P<B>{_LIST})",
               re.IGNORECASE),
    re.compile(rf"(?P<A>{_LIST})\s+(?:[\w-]+\s+){{0,3}}?(?:normali[sz]ed|restored|established|"
               rf"resumed|signed)\s+(?:[\w-]+\s+){{0,2}}?{_TIE_WORDS}\s+with\s+(?:the\s+)?"
               rf"(?P<B>{_ACT})", re.IGNORECASE),
)


# "the last American-Israeli hostage": one person of two nationalities, not a pair of parties
_ONE_PERSON = re.compile(r"\s+(?:dual\s+)?(?:hostages?|citizens?|nationals?|journalists?|"
                         r"reporters?|captives?|prisoners?|detainees?|businessman|businesswoman|"
                         r"activists?|academics?|woman|women|man|men|soldiers?|teenagers?|"
                         r"students?|aid\s+workers?)\b", re.IGNORECASE)


# "the meeting of Rwanda's and Congo's presidents", "the talks between ...": talks that name
# their parties after them
_TALKS_OF = re.compile(r"\s+(?:of|between|with|among|on)\b", re.IGNORECASE)


# ("with Türkiye acting as a mediator" keeps its subject: "with" is not in the list)
_AFTER_PREPOSITION = re.compile(
    r"\b(?:in|of|from|to|against|on|at|for|between|about|over|into|toward|towards|across|"
    r"near|by|via|than|like|including)\s+(?:the\s+)?$", re.IGNORECASE)


# only a cue whose mediator is the subject of the words that follow ("{M}{gap} offered")
# is read as a subject; a compound ("after days of African Union-led talks"), a noun phrase
# ("a proposal put forward by Egyptian and Qatari mediators") or an appositive clause ("hosted
# by Trump, who helped broker") names the mediator whatever precedes it
_SUBJECT = "{M}{gap}"


def _find(m: Masked, rules: MediationRules) -> list[_Found]:
    found: list[_Found] = []
    for cue in rules.cues:
        for x in cue.pattern.finditer(m.masked):
            if cue.source.startswith(_SUBJECT) and \
                    _AFTER_PREPOSITION.search(m.masked[:x.start()]):
                continue
            groups = x.groupdict()
            meds = m.codes(groups.get("M"))
            kind = cue.kind
            if kind == "mediated":
                kind = "brokered" if rules.tells_agreement(m.text) else "facilitated"
            explicit = [c for g in ("A", "B") for c in m.codes(groups.get(g))]
            known = bool(rules.the_talks and rules.the_talks.search(x.group(0))
                         and not _TALKS_OF.match(m.masked, x.end()))
            found.append(_Found(kind, meds, explicit, m.codes(groups.get("P")), cue.source,
                                known_talks=known))
    if rules.tells_agreement(m.text):
        for cue in rules.announcements:
            for x in cue.pattern.finditer(m.masked):
                groups = x.groupdict()
                explicit = [c for g in ("A", "B") for c in m.codes(groups.get(g))]
                found.append(_Found("brokered", m.codes(groups.get("M")), explicit, [],
                                    cue.source))
    # talks only planned or proposed ("would reconsider planned meetings in Doha") have no host
    talks = [(t.start(), t.end()) for t in rules.talks.finditer(m.masked)
             if not (rules.unreal_talks and rules.unreal_talks.search(
                 m.masked[max(0, t.start() - 25):t.start()]))]
    if talks:
        worded = {c for f in found for c in f.mediators}
        for cue in rules.venue_cues:
            for x in cue.pattern.finditer(m.masked):
                # the talks are named next to the venue ("talks in Istanbul", "met in Doha")
                if any(x.start() - 60 <= e and s <= x.end() + 40 for s, e in talks):
                    venue = [c for c in m.codes(x.group("V")) if _hosts(m, x, c, worded)]
                    found.append(_Found("hosted", venue, [], [], cue.source, venue=True))
    return [f for f in found if f.mediators]


def _hosts(m: Masked, venue: re.Match[str], code: str, worded: set[str]) -> bool:
    """Does the venue's state host talks between others? Not when the sentence's wording names
    another mediator ("talks in Rome through Omani mediators", "African Union-led talks in South
    Africa"), nor when the state takes part itself and no pair of others is named ("Modi held
    talks with Zelensky in Kyiv", "a communiqué signed in Beijing by China's foreign minister")."""
    if code in worded:
        return True
    if worded:
        return False
    inside = {int(i) for _, i in _TOKEN.findall(venue.group(0))}
    takes_part = any(not s.place and s.code == code and i not in inside
                     for i, s in enumerate(m.slots))
    return not takes_part or any(code not in p for p in _sentence_pairs(m))


class DocumentContext:
    """What one document tells about its parties: its conflict pairs (from coded events), the
    pairs its sentences name together, and its mediators (filled in by :func:`read_mediation`)."""

    def __init__(self, conflicts: Iterable[frozenset[str]] = (),
                 pairs: Iterable[frozenset[str]] = ()) -> None:
        self.conflicts: Counter[frozenset[str]] = Counter(p for p in conflicts if len(p) == 2)
        self.named: Counter[frozenset[str]] = Counter(p for p in pairs if len(p) == 2)
        self.mediators: set[str] = set()
        self.codes: Counter[str] = Counter()  # how often each actor is named
        self.sentence_pairs: dict[int, list[tuple[str, str]]] = {}

    def pairs_in(self, sentence_index: int) -> list[tuple[str, str]]:
        """The pairs sentence ``sentence_index`` names together."""
        return self.sentence_pairs.get(sentence_index, [])

    def main_pair(self) -> frozenset[str] | None:
        """The pair the document is about: named together most (a pair with one of the
        document's mediators does not count as named), then fighting most."""
        score: Counter[frozenset[str]] = Counter()
        for p, n in self.named.items():
            if not p & self.mediators:
                score[p] += 2 * n
        for p, n in self.conflicts.items():
            score[p] += n
        if not score:  # no pair named or fighting: the two actors named most, if clear
            top = [(n, c) for c, n in self.codes.most_common() if c not in self.mediators][:3]
            if len(top) >= 2 and top[1][0] >= 2 and (len(top) == 2 or top[1][0] > top[2][0]):
                return frozenset((top[0][1], top[1][1]))
            return None

        def key(p: frozenset[str]) -> tuple[int, int, int]:
            counts = sorted(self.codes.get(c, 0) for c in p)
            return score[p], counts[0], sum(counts)

        ranked = sorted(score, key=lambda p: (tuple(-k for k in key(p)), sorted(p)))
        if len(ranked) > 1 and key(ranked[0]) == key(ranked[1]):
            return None
        return ranked[0]

    def fights(self, a: str, b: str) -> bool:
        return frozenset((a, b)) in self.conflicts


def _parties(m: Masked, f: _Found, med: str, ctx: DocumentContext, rules: MediationRules,
             strong: set[str], *, named_only: bool = False) -> tuple[tuple[str, str], bool] | None:
    """The two parties a finding is about, and whether the sentence names both (with
    ``named_only``, None unless it does)."""
    if len(f.explicit) == 2 and f.explicit[0] != f.explicit[1]:
        pair: list[str] | None = list(f.explicit)
        explicit = True
    else:
        if any(med in p for p in _between(m)):
            return None  # "talks between Iran and Saudi Arabia" in Tehran: a side, not a host
        if not f.explicit and any(a == b and med != a for a, b in _sentence_pairs(m, same=True)):
            return None  # "Congo's government and the M23 signed": parties of one country
        named = [p for p in _sentence_pairs(m) if med not in p]
        explicit = bool(named)
        pair = list(named[0]) if named else None
    if named_only and pair is None:
        return None
    main = ctx.main_pair()
    if pair is None:
        others = [c for c in f.target or m.actor_codes()
                  if c != med and c not in f.mediators and (c not in strong or c in f.target)]
        if f.venue and not others and not rules.both_sides.search(m.text):
            return None  # a place where something was said, not talks between the parties
        if rules.both_sides.search(m.text) or not others or \
                (f.known_talks and main is not None and not f.target):
            if main is None:
                return None
            pair = sorted(main)
        elif len(others) >= 2:
            if main is not None and main <= set(others):
                pair = sorted(main)
            elif len(others) == 2 and not f.target and f.kind in STRONG_KINDS:
                pair = others  # "Qatar facilitated a meeting of Rwanda's and Congo's presidents"
            else:
                # of the sentence's actors, the one pair that fights in the document's events
                # ("the US will stop bombing the Houthis after the Iran-aligned group agreed")
                fighting = {frozenset(p) for p in itertools.combinations(sorted(set(others)), 2)
                            if ctx.fights(*p)}
                if len(fighting) != 1:
                    return None
                pair = sorted(fighting.pop())
        else:
            if main is None or others[0] not in main:
                return None
            pair = sorted(main)
    a, b = sorted(pair)
    if med in (a, b) or a == b:
        return None
    if not explicit and f.kind in WEAK_KINDS and (ctx.fights(med, a) or ctx.fights(med, b)):
        return None  # a side seeking peace with the other is no mediator between them
    return (a, b), explicit


def read_mediation(sentences: pd.DataFrame, mentions: pd.DataFrame,
                   contexts: Mapping[str, DocumentContext] | None = None,
                   rules: MediationRules | None = None
                   ) -> tuple[list[Reading], dict[str, DocumentContext]]:
    """Every mediation a sentence tells.

    ``sentences``: ``doc_id, sentence_index, char_start, text``; ``mentions``: ``doc_id,
    sentence_index, char_start, char_end, code, is_place, kind`` (document offsets);
    ``contexts``: per document, its conflict pairs from coded events (a fresh context is made
    for a document without one). Returns the readings and each document's context, its
    mediators and named pairs filled in.
    """
    rules = rules or load_mediation_rules()
    by_sentence: dict[tuple[str, int], list[tuple[int, int, str, bool, str | None]]] = \
        defaultdict(list)
    for r in frame_rows(mentions):
        if r.code is None or r.code != r.code:
            continue
        by_sentence[(r.doc_id, int(r.sentence_index))].append(
            (int(r.char_start), int(r.char_end), str(r.code),
             bool(r.is_place) if r.is_place == r.is_place else False,
             None if r.kind is None or r.kind != r.kind else str(r.kind)))
    docs: dict[str, list[Masked]] = defaultdict(list)
    for s in frame_rows(sentences.sort_values(["doc_id", "sentence_index"])):
        where = (str(s.doc_id), int(s.sentence_index))
        docs[where[0]].append(mask_sentence(where[0], where[1], str(s.text), int(s.char_start),
                                            by_sentence.get(where, [])))
    out: list[Reading] = []
    contexts_out: dict[str, DocumentContext] = {}
    for doc_id, masked in docs.items():
        ctx = (contexts or {}).get(doc_id) or DocumentContext()
        found = [(m, f) for m in masked for f in _find(m, rules)]
        strong = {c for _, f in found if f.kind in STRONG_KINDS for c in f.mediators}
        named_pairs = [frozenset(p) for m in masked
                       for p in _sentence_pairs(m, talks_with=False)]
        doc_ctx = DocumentContext(ctx.conflicts.elements(), [*ctx.named.elements(), *named_pairs])
        doc_ctx.mediators = strong
        doc_ctx.codes = Counter(c for m in masked for c in (s.code for s in m.slots if not s.place))
        doc_ctx.sentence_pairs = {m.sentence_index: _sentence_pairs(m) for m in masked}
        contexts_out[doc_id] = doc_ctx
        seen: set[tuple[int, str, str, tuple[str, str]]] = set()
        resolved = []
        for m, f in found:  # first the findings that name their parties, then the others
            for med in f.mediators:
                got = _parties(m, f, med, doc_ctx, rules, strong - {med}, named_only=True)
                if got is not None:
                    resolved.append((m, f, med, got))
                    doc_ctx.named[frozenset(got[0])] += 1
                    if not f.explicit:  # a sentence naming several pairs: each of them
                        resolved += [(m, f, med, ((min(p), max(p)), True)) for p in
                                     _sentence_pairs(m) if set(p) != set(got[0])
                                     and not set(p) & (strong | set(f.mediators))]
        for m, f in found:
            for med in f.mediators:
                if any(x is m and y is f and z == med for x, y, z, _ in resolved):
                    continue
                got = _parties(m, f, med, doc_ctx, rules, strong - {med})
                if got is not None:
                    resolved.append((m, f, med, got))
        for m, f, med, (pair, explicit) in resolved:
            key = (m.sentence_index, f.kind, med, pair)
            if key in seen:
                continue
            seen.add(key)
            out.append(Reading(doc_id, m.sentence_index, f.kind, med, pair, m.text, explicit,
                               f.cue))
        # the document's mediators are those a reading confirms (a venue that is one side's own
        # capital is no host)
        doc_ctx.mediators = {r.mediator for r in out if r.doc_id == doc_id
                             and r.kind in STRONG_KINDS}
    return out, contexts_out


def strongest(kinds: Iterable[str]) -> str:
    """The kind that names a triad told in several ways."""
    return min(kinds, key=lambda k: KIND_RANK.get(k, len(KIND_RANK)))
