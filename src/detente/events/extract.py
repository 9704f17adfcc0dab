"""Event extraction over the dependency parse: who did what to whom, sentence by sentence.

For every token that the lexicon knows (a verb reading or an event noun), the extractor finds
the participants in the parse and the actor mentions found by the resolver:

* verbs: the subject (through conjunctions, ``xcomp`` control, participles, relative pronouns
  and the speaker of a quote for "I"/"we") is the actor; the recipient sits in the slots the
  lexicon entry names (direct object, a preposition); passives swap them ("was attacked by").
* nouns: the possessor or a modifying actor ("Iran's attack", "US drone attack"), the "by"
  agent or the subject of a light verb ("Pakistan conducted strikes") is the actor; the
  recipient comes from prepositions ("attack on", "visit to", "talks between X and Y").
* mediation: for third-party entries the subject (or a "China-brokered" modifier) is the
  mediator and "between Y and Z" gives actor Y and recipient Z.

Mentions flagged ``is_place`` are never actors; they stand for their country as recipient only
for entries marked ``place_ok`` (visits, attacks), with a lower confidence. See docs/events.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

from spacy.tokens import Doc, Span, Token

from detente.actors.generic import bundled_table
from detente.events.code import Coder
from detente.events.lexicon import Lexicon, Trigger
from detente.events.modality import Modality, commitment_of, modality_of
from detente.model import ActorRef, Article, Event, Mention
from detente.nlp import doc_text, line_is_boundary

_SUBJ = ("nsubj", "nsubjpass", "csubj")
_PLACE_PREPS = ("in", "on", "into", "inside", "at", "near", "against")
_ANY_PREP = ("in", "on", "into", "to", "at", "for", "from", "of", "with", "against", "out", "off", "down",
             "up")
# a city before an event noun names it ("the Doha agreement", "the Astana talks"); it is no actor
_NAMING_KINDS = frozenset({"capital", "seat", "city", "place"})
_THING_KINDS = frozenset({"country", "organisation", "igo", "group", "capital"})  # what "it" may stand for
# dependency labels inside a noun phrase (climbed to find the phrase's role in its clause)
_WITHIN_NP = frozenset({"compound", "amod", "poss", "flat", "appos", "conj", "nmod"})


@dataclass
class _Party:
    """A participant found in the parse: the mention, whether it is a place, how it was found."""

    mention: Mention
    place: bool = False
    speaker: bool = False
    demoted: bool = False  # a place mention used as an actor: no sector, no identifier
    dyad: int = 0  # a candidate for "both countries" (2) or "his counterpart" (1); see _resolve


@dataclass
class _Found:
    trigger: Trigger
    token: Token
    actor: list[_Party] = field(default_factory=list)
    recipient: list[_Party] = field(default_factory=list)
    mediator: list[_Party] = field(default_factory=list)
    mode: str | None = None
    confidence: float = 0.9
    passive: bool = False
    modality: Modality | None = None  # set for a statement of intent (see _commitments): it happened


class _Mentions:
    """Token index -> mention (actors and places kept apart), and the article's actors in order."""

    def __init__(self, doc: Doc, mentions: Sequence[Mention]) -> None:
        self.actor: dict[int, Mention] = {}
        self.place: dict[int, Mention] = {}
        self.sent_of: dict[int, int] = {}
        for si, sent in enumerate(doc.sents):
            for tok in sent:
                self.sent_of[tok.i] = si
        # (first token, sentence index, mention) of every mention with a code, in text order
        self.ordered: list[tuple[int, int, Mention]] = []
        self.article_counts: Counter[str] = Counter()
        self.example: dict[str, Mention] = {}  # code -> a mention naming it (a country one if any)
        self.mediators: set[str] = set()  # codes named as third parties so far ("mediated by X")
        for m in mentions:
            span = doc.char_span(m.char_start, m.char_end, alignment_mode="expand")
            if span is None:
                continue
            # "NEW DELHI, May 10 (Agency) —": a dateline names where the report was filed, no actor
            opens_line = m.char_start == 0 or line_is_boundary(doc, max(0, m.char_start - 1), m.char_start)
            dateline = m.text.isupper() and len(m.text) > 3 and opens_line
            target = self.place if m.is_place or dateline else self.actor
            for tok in span:
                target.setdefault(tok.i, m)
            if m.code and m.country_how is None:  # a generic actor's country is derived, not named
                self.ordered.append((span.start, self.sent_of.get(span.start, 0), m))
                self.article_counts[m.code] += 1
                known = self.example.get(m.code)
                if known is None or (m.kind == "country" and known.kind != "country"):
                    self.example[m.code] = m
        self.ordered.sort(key=lambda x: x[0])

    def ranked_codes(self, si: int) -> list[str]:
        """Codes most likely meant by "both countries" in sentence ``si``: those named in it and
        the two sentences before, then the article's most frequent ones."""
        near: Counter[str] = Counter(m.code for _, k, m in self.ordered if si - 2 <= k <= si and m.code)
        codes = [c for c in self.article_counts if near[c] or self.article_counts[c] >= 2]
        top = max(self.article_counts.values(), default=1)
        # nearby mentions count, but the article's main parties weigh in: a country named once
        # in passing ("while India reaffirmed ...") does not make "both nations" its pair
        # a third party named as such before ("talks mediated by the United States") is no side
        return sorted(codes, key=lambda c: (c in self.mediators,
                                            -(near[c] + 2 * self.article_counts[c] / top),
                                            -self.article_counts[c]))

    def at(self, tok: Token, allow_place: bool) -> _Party | None:
        m = self.actor.get(tok.i)
        if m is not None:
            return _Party(m)
        if allow_place:
            p = self.place.get(tok.i)
            if p is not None and p.code:
                return _Party(p, place=True)
        return None


def _as_modifier(p: _Party) -> _Party:
    """A country flagged as a place but modifying an event noun ("in a US strike") is the actor."""
    return _Party(p.mention, place=False, speaker=p.speaker, demoted=True) if p.place else p


def _key(p: _Party) -> tuple[str | None, str | None]:
    return (p.mention.code, p.mention.actor_id or p.mention.name)


def _unique(parties: Iterable[_Party]) -> list[_Party]:
    seen: set[tuple[str | None, str | None]] = set()
    out: list[_Party] = []
    for p in parties:
        k = _key(p)
        if k not in seen:
            seen.add(k)
            out.append(p)
    return out


def _resolve(parties: Sequence[_Party], exclude: Iterable[str | None] = ()) -> list[_Party]:
    """Dyad candidates ("both countries", "his counterpart") replaced by the codes they stand for:
    the best-ranked ones not named otherwise in the list and not in ``exclude`` (the other side)."""
    dyads = [p for p in parties if p.dyad]
    if not dyads:
        return list(parties)
    real = [p for p in parties if not p.dyad]
    taken = {p.mention.code for p in real} | set(exclude)
    want = max(p.dyad for p in dyads)
    picked: list[_Party] = []
    for p in dyads:
        if p.mention.code not in taken and len(picked) < want:
            taken.add(p.mention.code)
            picked.append(p)
    return real + picked


def _forms(tok: Token) -> set[str]:
    """The lemma of a verb and the base forms its surface may have: the lemmatiser now and then
    misses one ("staged" -> "stag"), and a light verb or a reading must still be found."""
    low = tok.lower_
    out = {tok.lemma_.lower(), low}
    for end, cut, add in (("ied", 3, "y"), ("ed", 2, ""), ("ed", 1, ""), ("ing", 3, ""), ("ing", 3, "e"),
                          ("es", 2, ""), ("s", 1, "")):
        if low.endswith(end) and len(low) - cut >= 3:
            out.add(low[:-cut] + add)
    return out


def _person_like(m: Mention, person_nouns: frozenset[str]) -> bool:
    words = m.text.lower().split()
    return m.kind == "person" or m.how == "title" or bool(words and words[-1] in person_nouns)


def _conjuncts(tok: Token) -> list[Token]:
    """``tok`` and the tokens conjoined to it ("Rouhani, Zarif and Bagheri")."""
    out = [tok]
    stack = [c for c in tok.children if c.dep_ == "conj" or _listed_appos(c)]
    while stack:
        c = stack.pop(0)
        out.append(c)
        stack.extend(x for x in c.children if x.dep_ == "conj" or _listed_appos(x))
    return out


def _left_phrase(tok: Token) -> list[Token]:
    """A modifier and its conjuncts with what stands left of them ("Saudi and Iranian", "Pakistan's
    army"), leaving out what hangs to the right ("(R) speaking with ...")."""
    out: list[Token] = []
    for t in [tok, *(c for c in tok.children if c.dep_ == "conj")]:
        out.extend(u for u in t.subtree if u.i <= t.i)
    return out


def _same_line(tok: Token, m: Mention) -> bool:
    lo, hi = min(tok.idx, m.char_start), max(tok.idx, m.char_end)
    return not line_is_boundary(tok.doc, lo, hi)


def _listed_appos(tok: Token) -> bool:
    """An apposition that is really a list item ("met Rouhani, Zarif and Bagheri")."""
    return tok.dep_ in ("appos", "nmod") and any(c.dep_ == "conj" for c in tok.children) and \
        any(c.dep_ == "cc" for c in tok.children)


class EventExtractor:
    """Finds events in a parsed article; see the module docstring."""

    def __init__(self, lexicon: Lexicon, coder: Coder) -> None:
        self.lexicon = lexicon
        self.coder = coder
        self.third_party_verbs = frozenset(
            lemma for lemma, readings in lexicon.verbs.items() if any(r.third_party for r in readings))

    # -- public --------------------------------------------------------------------------------
    def extract(self, doc: Doc, article: Article, mentions: Sequence[Mention]) -> list[Event]:
        index = _Mentions(doc, mentions)
        sents = list(doc.sents)
        events: list[Event] = []
        for si, sent in enumerate(sents):
            found: list[_Found] = []
            responses: list[_Found] = []  # "would respond": coded only as a threat (_commitments)
            for tok in sent:
                f = None
                if tok.pos_ == "ADJ" or tok.tag_ in ("JJ", "VBN"):
                    f = self._adjective(tok, sents, si, index)
                if f is not None:
                    pass
                elif tok.pos_ in ("VERB", "AUX") or (tok.tag_.startswith("VB") and tok.pos_ != "NOUN"):
                    f = self._verb(tok, sents, si, index)
                elif tok.pos_ in ("NOUN", "PROPN"):
                    f = self._noun(tok, sents, si, index)
                if f is not None:
                    found.append(f)
                elif tok.pos_ == "VERB" and self._response_word(tok):
                    responses.append(self._response(tok, sents, si, index))
            found = self._aid_arrivals(self._agreed_acts(self._protest_demands(found), sent), index)
            found.extend(self._commitments([*found, *responses], sent, sents, si, index))
            index.mediators.update(p.mention.code for f in found for p in f.mediator if p.mention.code)
            events.extend(self._finish(f, sent, si, article) for f in self._keep(found, index))
        return [e for e in events if e is not None]

    # -- participants --------------------------------------------------------------------------
    def _np(self, tok: Token, index: _Mentions, sents: list[Span], si: int, *, allow_place: bool = False,
            depth: int = 0) -> list[_Party]:
        """The actors a noun phrase headed by ``tok`` refers to (conjuncts included)."""
        out: list[_Party] = []
        for t in _conjuncts(tok):
            out.extend(self._np_one(t, index, sents, si, allow_place, depth))
        return _unique(out)

    def _np_one(self, tok: Token, index: _Mentions, sents: list[Span], si: int, allow_place: bool,
                depth: int) -> list[_Party]:
        cues = self.lexicon.cues
        p = index.at(tok, allow_place)
        group = self._dyad_phrase(tok) if p is None or p.mention.country_how is not None else 0
        if group:  # "both ministers": the article's two sides, not a generic "ministers"
            return self._dyad_parties(tok, si, index, group)
        if p is not None and p.mention.country_how is not None and depth < 3:
            named_by = ("of", "from") if tok.dep_ == "nsubj" else ("of",)
            for c in tok.children:  # "the foreign ministers of Egypt and Turkey": the named ones
                if c.dep_ == "prep" and c.lower_ in named_by:
                    named = [x for g in c.children if g.dep_ == "pobj"
                             for x in self._np(g, index, sents, si, depth=depth + 1)
                             if x.mention.country_how is None and x.mention.code]
                    if named:
                        return named
        if p is not None:
            # "Iranian and U.S. negotiators", "Russian and Ukrainian delegations": every side named in
            # a coordinated modifier, not only the one the mention covers
            listed = [x for c in tok.children if c.dep_ in ("amod", "compound", "nmod") and c.i < tok.i
                      and any(g.dep_ == "conj" for g in c.children)
                      for x in (index.at(t, False) for t in _left_phrase(c)) if x is not None]
            return _unique([*listed, p]) if listed else [p]
        low = tok.lower_
        if tok.pos_ == "PRON" or tok.tag_ in ("PRP", "PRP$", "WP", "WDT"):
            if low in cues.first_person:
                return self._speaker(tok, index, sents, si)
            if low in cues.relative_pronouns and tok.head.dep_ == "relcl":
                return self._np(tok.head.head, index, sents, si, depth=depth + 1) if depth < 3 else []
            if tok.tag_ == "PRP" and (low in cues.person_pronouns or low in cues.thing_pronouns):
                return self._antecedent(tok, index, si, person=low in cues.person_pronouns)
            return []
        if depth > 2:
            return []
        kids = list(tok.children)
        # "the chief of army staff, Gen. Asim Munir": the apposition names the actor
        for c in kids:
            if c.dep_ == "appos":
                got = self._np_one(c, index, sents, si, allow_place, depth + 1)
                if got:
                    return got
        for c in kids:
            if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i < tok.i:
                got = [x for x in (index.at(t, allow_place) for t in _left_phrase(c)) if x is not None]
                if got:
                    return _unique(got)
                if c.dep_ == "poss" and self._dyad_phrase(c) == 2:  # "both countries' militaries"
                    return self._dyad_parties(c, si, index, 2)
        # "the role of Pakistan", "the leaders of both countries", "leaders including X"; a subject
        # "rescue teams from China", "troops from the CSTO" (as a subject only: "withdrew troops from X")
        owners = ("of", "including", "from") if tok.dep_ == "nsubj" else ("of", "including")
        for c in kids:
            if c.dep_ == "prep" and c.lower_ in owners:
                for pobj in (g for g in c.children if g.dep_ == "pobj"):
                    got = self._np(pobj, index, sents, si, allow_place=allow_place, depth=depth + 1)
                    if got:
                        return got
        # "Iran's ambassador to Islamabad, Syed Husseini": an apposition lower in the phrase
        stack = [c for c in kids if c.dep_ in ("prep", "appos")]
        while stack:  # down through prepositions only, never into a clause
            t = stack.pop(0)
            if t.dep_ == "appos":
                got = [x for x in (index.at(u, False) for u in t.subtree) if x is not None]
                if got:
                    return got[:1]
            stack.extend(c for c in t.children if c.dep_ in ("pobj", "appos"))
        return []

    # -- pronouns and the article's dyad ---------------------------------------------------------
    def _dyad_phrase(self, tok: Token) -> int:
        """2 when ``tok`` heads "both countries", "the two sides", "all sides", "both of them",
        "everyone concerned"; 1 for "his counterpart"; else 0."""
        cues = self.lexicon.cues
        low = tok.lower_
        kids = list(tok.children)
        if low in cues.dyad_nouns and any(c.lower_ in cues.dyad_determiners and c.dep_ in
                                          ("det", "nummod", "predet", "amod", "quantmod") for c in kids):
            return 2
        if low in cues.dyad_pronouns and tok.pos_ in ("PRON", "DET", "NOUN"):
            if low != "both":
                return 2
            # "both of them"
            if any(c.dep_ == "prep" and c.lower_ == "of" and
                   any(g.lower_ in ("them", "us") for g in c.children) for c in kids):
                return 2
        if low in cues.partner_nouns and any(c.dep_ == "poss" and c.tag_ == "PRP$" for c in kids) and \
                not any(c.dep_ in ("amod", "compound") for c in kids):
            return 1
        return 0

    def _dyad_parties(self, tok: Token, si: int, index: _Mentions, kind: int) -> list[_Party]:
        """Candidates for a dyad phrase, best first; :func:`_resolve` picks among them."""
        lo = min(t.idx for t in tok.subtree if t.i <= tok.i)
        hi = tok.idx + len(tok.text)
        out: list[_Party] = []
        for code in index.ranked_codes(si)[:5]:
            ex = index.example[code]
            name = ex.name if ex.kind == "country" else code
            m = Mention(doc_id=ex.doc_id, sentence_index=ex.sentence_index, char_start=lo, char_end=hi,
                        text=doc_text(tok.doc)[lo:hi], actor_id=None, name=name, code=code, sector=None,
                        kind="country", how="dyad")
            out.append(_Party(m, dyad=kind))
        return out

    def _dyad_fallback(self, tok: Token, si: int, index: _Mentions, actors: Sequence[_Party]) -> list[_Party]:
        """The recipient when none is named: the other side of the main dyad if the actor is one
        side of it, else both sides ("Pakistan condemned the attack", "X welcomed the agreement")."""
        codes = {p.mention.code for p in actors}
        return [p for p in self._dyad_parties(tok, si, index, 2)[:2] if p.mention.code not in codes]

    def _antecedent(self, pron: Token, index: _Mentions, si: int, person: bool) -> list[_Party]:
        """The actor a pronoun stands for: the nearest compatible one before it in the sentence
        (not the subject of its own clause), then, for persons, the two sentences before."""
        nouns = self.lexicon.cues.person_nouns

        def fits(m: Mention) -> bool:
            if m.is_place:
                return False
            if person:
                return _person_like(m, nouns)
            return m.kind in _THING_KINDS and not _person_like(m, nouns)

        blocked: set[int] = set()
        if pron.dep_ not in _SUBJ:
            for c in pron.head.children:
                if c.dep_ in _SUBJ:
                    blocked.update(t.i for t in c.subtree)
            if pron.head.dep_ == "prep":
                for c in pron.head.head.children:
                    if c.dep_ in _SUBJ:
                        blocked.update(t.i for t in c.subtree)
        for first, k, m in reversed(index.ordered):
            if k == si and first < pron.i and first not in blocked and fits(m):
                return [_Party(m)]
        if not person:
            return []
        for k in (si - 1, si - 2):
            here = [(first, m) for first, kk, m in index.ordered if kk == k and fits(m)]
            if not here:
                continue
            doc = pron.doc
            for first, m in here:  # the subject of that sentence first
                t = doc[first]
                while t.dep_ in _WITHIN_NP and t.head is not t:
                    t = t.head
                if t.dep_ in _SUBJ:
                    return [_Party(m)]
            return [_Party(here[0][1])]
        return []

    def _actors_in(self, toks: Iterable[Token], index: _Mentions, si: int, allow_place: bool) -> list[_Party]:
        """Actors named anywhere among ``toks`` (a clause): mentions, then dyad phrases."""
        toks = list(toks)
        got = [p for p in (index.at(t, False) for t in toks)
               if p is not None and p.mention.code and p.mention.country_how is None]
        if not got:
            for t in toks:
                kind = self._dyad_phrase(t)
                if kind:
                    return self._dyad_parties(t, si, index, kind)
        if not got and allow_place:
            got = [p for p in (index.at(t, True) for t in toks)
                   if p is not None and p.mention.code and p.mention.country_how is None]
        return _unique(got)

    def _deep(self, tok: Token, index: _Mentions, sents: list[Span], si: int,
              allow_place: bool) -> list[_Party]:
        """Like :meth:`_np`, then for places: "hideouts in Iran's Sistan-Baluchistan province"."""
        got = self._np(tok, index, sents, si, allow_place=allow_place)
        if got or not allow_place:
            return got
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in _PLACE_PREPS:
                for pobj in (g for g in c.children if g.dep_ == "pobj"):
                    got = self._np(pobj, index, sents, si, allow_place=True)
                    if got:
                        return got
        return []

    def _speaker(self, pron: Token, index: _Mentions, sents: list[Span], si: int) -> list[_Party]:
        """The speaker of the quote that holds a first-person pronoun ("X tweeted, 'I ...'")."""
        speech = self.lexicon.cues.speech
        # a speech verb that governs the pronoun's clause
        for anc in pron.ancestors:
            if anc.lemma_.lower() in speech:
                subj = [c for c in anc.children if c.dep_ in ("nsubj",) and not c.is_ancestor(pron)
                        and c.lower_ not in self.lexicon.cues.first_person]
                for s in subj:
                    got = self._np(s, index, sents, si)
                    if got:
                        return [_Party(p.mention, speaker=True) for p in got]
        # a speech verb in this sentence before the quote, then in the two sentences before it
        for k in range(si, max(-1, si - 3), -1):
            toks = [t for t in sents[k] if t.i < pron.i] if k == si else list(sents[k])
            for t in reversed(toks):
                if t.lemma_.lower() in speech and t.pos_ in ("VERB", "AUX"):
                    for s in (c for c in t.children if c.dep_ == "nsubj"
                              and c.lower_ not in self.lexicon.cues.first_person):
                        got = self._np(s, index, sents, k)
                        if got:
                            return [_Party(p.mention, speaker=True) for p in got]
        return []

    def _subject(self, verb: Token, index: _Mentions, sents: list[Span], si: int,
                 depth: int = 0, shared: bool = False) -> list[_Party]:
        """The doer of ``verb``: its subject, a passive agent, or the controller of its clause.

        ``shared``: the subject a conjoined verb inherits ("X were shocked by Y and condemned Z"
        -> X), so a passive's subject counts and its agent does not.
        """
        if depth > 4:
            return []
        if shared:
            for c in verb.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    return self._np(c, index, sents, si)
        passive_verb = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or verb.tag_ == "VBN"
        for c in verb.children:  # "was attacked by X" (not "spoke by telephone")
            if c.dep_ == "agent" and not shared and passive_verb:
                for pobj in (g for g in c.children if g.dep_ == "pobj"):
                    return self._np(pobj, index, sents, si)
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        for c in subjects:  # "BEIJING, March 10 — Saudi Arabia and Iran agreed": the dateline is
            got = self._np(c, index, sents, si)  # parsed as a second subject; the one naming an actor counts
            if got or c is subjects[-1]:
                return got
        if any(c.dep_ == "nsubjpass" for c in verb.children):
            return []  # a passive without an agent has no known doer
        head, dep = verb.head, verb.dep_
        if head is verb:
            return []
        if dep == "xcomp":
            obj = [c for c in head.children if c.dep_ in ("dobj", "dative")]
            # object control: "instructed Bajwa to visit Iran" (not "visited Tehran to mediate")
            if obj and head.lemma_.lower() in self.lexicon.cues.hypothetical_governors:
                return self._np(obj[0], index, sents, si)
            ons = self._prep_objects(head, ("on", "upon"))  # "called on Iran to release": Iran
            if ons and head.lemma_.lower() in self.lexicon.cues.hypothetical_governors:
                got = self._np(ons[0], index, sents, si)
                if got:
                    return got
            raised = [c for c in head.children if c.dep_ == "nsubjpass"]
            if raised:  # "X is expected to visit Y"
                return self._np(raised[0], index, sents, si)
            return self._subject(head, index, sents, si, depth + 1)
        if dep == "advcl" and verb.tag_ == "VBG" and verb.i < head.i and any(
                c.dep_ in _SUBJ and c.i > verb.i for c in head.children):
            return []  # "Following X, allegedly targeting Y, Z responded": whose participle is unclear
        if dep in ("conj", "advcl"):
            return self._subject(head, index, sents, si, depth + 1, shared=True)
        if dep == "pcomp" and head.dep_ == "prep":  # "responded by targeting ..."
            gov = head.head
            obj = [c for c in gov.children if c.dep_ == "dobj"]
            if head.lower_ in ("of", "for") and obj and gov.lemma_.lower() in self.lexicon.cues.allegation | \
                    {"accuse", "blame", "condemn", "criticize", "criticise", "praise", "thank", "commend"}:
                return self._np(obj[0], index, sents, si)  # "accused India of supporting X": India
            return self._subject(gov, index, sents, si, depth + 1)
        if dep == "acl" and verb.tag_ == "VBN":
            return []  # "children killed in the war": the noun is the patient; no doer named
        if dep in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN"):
            got = self._np(head, index, sents, si)
            if not got and head.dep_ == "dobj":  # "X conducted an operation targeting Y"
                got = self._subject(head.head, index, sents, si, depth + 1)
            return got
        return []

    def _prep_objects(self, tok: Token, words: Sequence[str]) -> list[Token]:
        out: list[Token] = []
        for c in tok.children:
            if c.dep_ in ("prep", "dative", "agent") and c.lower_ in words:
                pobjs = [g for g in c.children if g.dep_ == "pobj"]
                out.extend(pobjs)
                # "called on the chief of army staff, Gen. Asim Munir": the name hangs on the verb
                for g in pobjs:
                    out.extend(x for x in tok.children if x.dep_ in ("npadvmod", "appos")
                               and g.right_edge.i < x.i <= g.right_edge.i + 8)
        return out

    # -- verbs ---------------------------------------------------------------------------------
    def _conditions(self, verb: Token, index: _Mentions, reading: Trigger, sents: list[Span],
                    si: int) -> set[str]:
        have: set[str] = set()
        kids = list(verb.children)
        if any(c.dep_ == "xcomp" for c in kids):
            have.add("xcomp")
        for c in kids:  # "called on everyone concerned to pursue": the "to"-clause hangs lower
            if c.dep_ == "prep":
                for t in c.subtree:
                    if t.pos_ == "VERB" and any(a.dep_ == "aux" and a.tag_ == "TO" for a in t.children):
                        have.add("xcomp")
        if any(c.dep_ == "oprd" for c in kids):
            have.add("oprd")
        dobj = [c for c in kids if c.dep_ == "dobj"]
        if dobj:
            have.add("object")
            if any(p.mention.kind == "person" for p in self._np(dobj[0], index, sents, si)) or \
                    dobj[0].ent_type_ == "PERSON":
                have.add("person-object")
        if reading.prep:
            for pobj in self._prep_objects(verb, reading.prep):
                if any(p.mention.kind == "person" for p in self._np(pobj, index, sents, si)) or \
                        pobj.ent_type_ == "PERSON" or pobj.lemma_.lower() in self.lexicon.cues.person_nouns:
                    have.add("person-prep")
        return have

    def _verb(self, verb: Token, sents: list[Span], si: int, index: _Mentions) -> _Found | None:
        readings = self.lexicon.verb_readings(verb.lemma_)
        if not readings and verb.tag_ in ("VBD", "VBN", "VBG", "VBZ"):  # a lemma the lemmatiser missed
            readings = next((got for form in sorted(_forms(verb) - {verb.lemma_.lower()})
                             if (got := self.lexicon.verb_readings(form))), [])
        if not readings:
            return None
        kid_words = {c.lower_ for c in verb.children
                     if c.dep_ in ("prep", "prt", "advmod", "dative", "agent")}
        dobj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        for r in readings:
            if r.prep and not set(r.prep) <= kid_words:
                continue
            if r.objects and (dobj is None or (dobj.lemma_.lower() not in r.objects
                              and dobj.lower_ not in r.objects)):
                continue
            if r.pobjs and not any(p.lemma_.lower() in r.pobjs or p.lower_ in r.pobjs
                                   for p in self._prep_objects(verb, r.prep or _ANY_PREP)):
                continue
            if r.complement and not any(c.dep_ in ("xcomp", "ccomp") and c.lemma_.lower() in r.complement
                                        for c in verb.children):
                continue
            if r.requires or r.excludes:
                have = self._conditions(verb, index, r, sents, si)
                if not r.requires <= have or r.excludes & have:
                    continue
            elif r.prep == () and any(rr.prep and set(rr.prep) <= kid_words for rr in readings):
                continue  # "call on" readings take precedence over plain "call"
            return self._verb_reading(verb, r, sents, si, index, dobj)
        return None

    def _verb_reading(self, verb: Token, r: Trigger, sents: list[Span], si: int, index: _Mentions,
                      dobj: Token | None) -> _Found | None:
        if self._hazard_subject(verb):
            return None  # "an earthquake killed 30 people": a disaster, no one's act
        f = _Found(r, verb, mode=r.mode, confidence=0.9)
        subjects = self._subject(verb, index, sents, si)
        subjects.extend(self._coordinated_with_i(verb, index))
        passive = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if passive is None and verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.pos_ == "PROPN" and \
                not any(c.dep_ == "agent" for c in verb.children):
            passive = verb.head  # "Lissu, arrested at a rally on Wednesday, ...": a passive of the name
        if r.third_party:
            f.mediator = subjects
            pair: list[_Party] = []
            # "between Y and Z" on the verb, its object, or "rounds of talks between Y and Z"
            hosts = [verb, *([dobj] if dobj is not None else []),
                     *(self._prep_objects(dobj, ("of",)) if dobj is not None else [])]
            for t in hosts:
                for pobj in self._prep_objects(t, ("between",)):
                    pair = self._np(pobj, index, sents, si)
                    if pair:
                        break
                if pair:
                    break
            if not pair and dobj is not None:  # "brokered a deal with Y" -> subject and Y
                for pobj in self._prep_objects(dobj, ("with",)):
                    pair = self._np(pobj, index, sents, si)
            if not pair and dobj is not None and r.prep:  # "brought Y and Z together"
                got = self._np(dobj, index, sents, si)
                pair = got if len(got) > 1 else []
            if not pair and r.objects and dobj is not None:  # "hosted the talks": the article's two sides
                pair = self._dyad_parties(dobj, si, index, 2)
            pair = _resolve(pair, [p.mention.code for p in f.mediator])
            f.actor, f.recipient = pair[:1], pair[1:]
            return f
        f.actor = subjects or self._unknown_subject(verb, index, f)
        f.passive = passive is not None
        recips: list[_Party] = []
        for slot in r.recipient:
            if slot == "dobj":
                target = passive if passive is not None else dobj
                if target is not None:
                    recips = self._deep(target, index, sents, si, r.place_ok)
            elif slot == "dative":
                recips = [p for c in verb.children if c.dep_ == "dative"
                          for p in self._np(c, index, sents, si)]
            elif slot == "object-phrase":  # "stressed the need to open the Iran-Pakistan border"
                own = {p.mention.code for p in subjects}
                recips = [p for p in self._actors_in(dobj.subtree, index, si, r.place_ok)
                          if p.mention.code not in own] if dobj is not None else []
            elif slot == "xcomp":  # "threatened to destroy hideouts in Afghanistan"
                recips = [p for c in verb.children if c.dep_ == "xcomp"
                          for p in self._actors_in(c.subtree, index, si, r.place_ok)]
            else:
                hosts = [verb, *([dobj] if dobj is not None else [])]
                recips = [p for h in hosts for pobj in self._prep_objects(h, (slot,))
                          for p in self._np(pobj, index, sents, si, allow_place=r.place_ok)]
            if recips:
                break
        if not recips and r.place_ok:  # "targeted hideouts in Iran": the place's country
            for pobj in self._prep_objects(verb, _PLACE_PREPS):
                recips = self._np(pobj, index, sents, si, allow_place=True)
                if recips:
                    break
        if not recips and r.place_ok and r.recipient:  # "struck what it said were positions in Pakistan"
            below = [c for c in verb.children if c.dep_ == "ccomp"]
            # "fired missiles at targets in Iraq": the place below the target
            below += self._prep_objects(verb, ("at", "on", "against", "into"))
            for t in [*([dobj] if dobj is not None else []), *below]:
                recips = recips or self._place_below(t, index)
        sides = {p.mention.code for p in subjects if p.mention.code}
        if not recips and r.dyad_ok and subjects and passive is None and not (r.symmetric and len(sides) > 1):
            recips = self._dyad_fallback(verb, si, index, subjects)  # ("X and Y met": one meets the other)
            f.confidence -= 0.1
        if r.mode is None and dobj is not None:  # "fired missiles at": aerial
            f.mode = self.lexicon.mode_from_words(r.event, [t.lower_ for t in dobj.subtree])
        f.actor = _resolve(f.actor)
        recips = _resolve(recips, [p.mention.code for p in f.actor])
        f.recipient = recips
        forces = self._mobilized(r.event, passive if passive is not None else dobj, index, sents, si)
        if passive is not None and not any(c.dep_ == "agent" for c in verb.children) and not r.third_party:
            # "was killed in a US strike": the nominal event carries the doer (and wins in _keep);
            # "12 protesters were detained": the doer is unknown, except for arrests and sentences,
            # whose implied agent is the state (see docs/events.md, "Passive events")
            if r.event not in self.lexicon.state_agent_types:
                return None  # "four soldiers were killed": no doer; the nominal event, if any, carries it
            if forces:  # "Moroccan soldiers were deployed": the forces moved are the actor
                f.actor = forces
                f.recipient = [p for p in f.recipient if all(p.mention is not q.mention for q in forces)]
            else:
                f.actor = self._implied_state(verb, index)
            f.confidence -= 0.15
        elif forces and f.actor and all(p.mention.kind in ("country", "demonym") and not p.place
                                        and p.mention.sector in (None, "GOV") for p in f.actor):
            # "Uganda has deployed special forces to Juba": the state acts through the forces it moves
            codes = {p.mention.code for p in f.actor}
            if len(codes) == 1 and all(q.mention.code in codes or q.mention.country_how in ("place", "focus")
                                       for q in forces):
                sector = forces[0].mention.sector
                f.actor = [replace(p, mention=replace(p.mention, sector=sector)) for p in f.actor]
        self._split_symmetric(f)
        return f

    def _mobilized(self, event: str, target: Token | None, index: _Mentions, sents: list[Span],
                   si: int) -> list[_Party]:
        """The forces a mobilizing event moves ("deployed troops", "soldiers were sent"), when the
        type is one whose forces stand for its actor (``data/generic_actors.yaml``, passive_force)
        and every party of the phrase is a generic force of one sector; else none."""
        table = bundled_table()
        if target is None or event.lower() not in table.force_types:
            return []
        got = self._np(target, index, sents, si)
        if not got or any(p.place or p.mention.kind == "person" or p.mention.sector not in table.force_sectors
                          or (p.mention.actor_id or "country:").split(":")[0] != "country" for p in got) \
                or len({p.mention.sector for p in got}) != 1:
            return []
        return got

    def _hazard_subject(self, verb: Token) -> bool:
        """The subject of ``verb`` is a natural or accidental cause ("an earthquake killed 30",
        "floods that killed 200", "a landslide burying a village"), not a doer."""
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None and verb.dep_ == "relcl" and subj.lower_ in self.lexicon.cues.relative_pronouns:
            subj = verb.head  # "floods that killed": the noun the clause qualifies
        elif subj is None and verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            subj = verb.head  # "a cyclone killing dozens"
        if subj is None:
            return False
        hazards = self.lexicon.cues.hazard_nouns
        words = {subj.lemma_.lower(), subj.lower_}
        words |= {f"{c.lower_} {subj.lower_}" for c in subj.children if c.dep_ in ("compound", "amod")}
        return bool(words & hazards)

    def _cancelled(self, noun: Token) -> bool:
        """``noun`` is what a verb stops, forbids or calls off ("banned all demonstrations",
        "suspended the strike", "the rally was cut short", "a ban on protests"): the event is
        named, not reported as happening."""
        tok = noun
        while tok.dep_ == "conj" and tok.head is not tok:
            tok = tok.head
        words = self.lexicon.cues.cancelling_verbs
        if tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.lower_ in ("on", "to", "of"):
            gov = tok.head.head  # "a ban on protests", "an end to the blockade"
            return gov.pos_ == "NOUN" and gov.lemma_.lower() in words
        if tok.dep_ not in ("dobj", "nsubjpass"):
            return False
        verb = tok.head
        lemma = verb.lemma_.lower()
        return lemma in words or any(f"{lemma} {c.lower_}" in words for c in verb.children
                                     if c.dep_ in ("prt", "advmod", "acomp", "oprd"))

    def _protesters(self, verb: Token) -> bool:
        """The subject of ``verb`` (or of the clause its participle hangs on) is a crowd of
        protesters: "thousands of demonstrators demanded ...", "protesters gathered, demanding ..."."""
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is None and verb.dep_ in ("advcl", "xcomp", "conj"):
            subj = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
        elif subj is None and verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            subj = verb.head
        if subj is None:
            return False
        people = self.lexicon.cues.protester_nouns
        return any(t.lemma_.lower() in people or t.lower_ in people
                   for t in [subj, *self._prep_objects(subj, ("of",))])

    def _protest_demands(self, found: list[_Found]) -> list[_Found]:
        """A demand made by protesters is their protest, not a second event: "marched through the
        capital demanding his resignation" is one PROTEST (the participle's REQUEST is dropped),
        and "thousands of demonstrators demanded his resignation" is coded PROTEST; a call
        addressed to someone ("protesters called on lawmakers to extend benefits") stays REQUEST."""
        protests = {f.token.i for f in found if f.trigger.event == "PROTEST"}
        out: list[_Found] = []
        for f in found:
            tok = f.token
            if f.trigger.event == "REQUEST" and f.trigger.pos == "verb":
                participle = tok.tag_ == "VBG" and tok.dep_ in ("advcl", "acl", "xcomp", "conj")
                if participle and tok.head.i in protests:
                    continue  # the protest's demand
                addressed = any((c.dep_ == "prep" and c.lower_ in ("on", "upon")) or
                                c.dep_ in ("xcomp", "dative") for c in tok.children)
                if self._protesters(tok) and not addressed:  # "protesters called on MPs to ...": a request
                    f.trigger = replace(f.trigger, event="PROTEST", mode=None)
                    f.mode = None
            out.append(f)
        return out

    def _aid_arrivals(self, found: list[_Found], index: _Mentions) -> list[_Found]:
        """An arrival ("arrived in", "landed in": a visit) whose subject carries aid ("rescue teams
        from China arrived in Mandalay", "relief flights landed in Tonga") is AID to the place; one
        of troops ("troops from the CSTO arrived") is MOBILIZE."""
        carriers = self.lexicon.cues.aid_carriers
        motion = self.lexicon.cues.motion_verbs
        for f in found:
            tok = f.token
            if f.trigger.event != "CONSULT" or f.trigger.pos != "verb" or tok.lemma_.lower() not in motion:
                continue
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is None:
                continue
            phrase = [t.lower_ for t in subj.subtree if t.i <= subj.i]
            words = {*phrase, *(f"{a} {b}" for a, b in pairwise(phrase))}
            if words & carriers or subj.lemma_.lower() in carriers:
                f.trigger = replace(f.trigger, event="AID", mode=None)
                f.mode = None
            elif subj.pos_ == "NOUN" and subj.lemma_.lower() not in self.lexicon.cues.person_nouns and \
                    (own := index.at(subj, False)) is not None and own.mention.sector == "MIL":
                # "troops from the CSTO arrived in Almaty": a deployment, not a visit
                f.trigger = replace(f.trigger, event="MOBILIZE", mode=None)
                f.mode = None
        return found

    def _agreed_acts(self, found: list[_Found], sent: Span) -> list[_Found]:
        """"X agreed to cooperate with Y" is the cooperation, agreed (``agreed_types``): the act in
        the "to"-clause is coded unflagged, with the agreement's parties where it names none, and
        the AGREE of the governing verb is dropped. A negated or hypothetical agreement ("failed to
        agree to cooperate") or a negated act ("agreed not to ...") changes nothing."""
        kinds = self.lexicon.cues.agreed_types
        promising = self.lexicon.cues.commitment_governors | self.lexicon.cues.intent_governors
        by_token = {f.token.i: f for f in found}
        dropped: set[int] = set()
        for f in found:
            if f.trigger.event != "AGREE" or f.trigger.pos != "verb" or f.modality is not None or \
                    f.token.lemma_.lower() in promising:
                continue  # "pledged to deepen ties" is a promise (AGREE), not the ties deepened
            # the verbs of the "to"-clause only: "agreed to expand cooperation" stays an AGREE
            verbs = [t for c in f.token.children if c.dep_ == "xcomp" for t in (c, *c.conjuncts)]
            acts = [by_token[t.i] for t in verbs if t.i in by_token]
            acts = [g for g in acts if g.trigger.event.lower() in kinds
                    and not any(k.dep_ == "neg" for k in g.token.children)]
            if not acts:
                continue
            mod = modality_of(f.token, sent, self.lexicon.cues)
            if mod.negated or mod.hypothetical:
                continue
            for g in acts:
                g.modality = Modality()
                g.actor = g.actor or list(f.actor)
                g.recipient = g.recipient or list(f.recipient)
            dropped.add(id(f))
        return [f for f in found if id(f) not in dropped]

    def _implied_civilians(self, f: _Found, index: _Mentions) -> list[_Party]:
        """Protesters implied by a protest noun with no one named: civilians (CVL) of the
        sentence's place, else of the document's focus country."""
        got = self._implied_state(f.token, index)
        for p in got:
            p.mention.sector, p.mention.kind = "CVL", "generic"
            p.mention.name = p.mention.text = "protesters"
        return got

    def _implied_state(self, verb: Token, index: _Mentions) -> list[_Party]:
        """The state as the implied agent of a passive arrest: the sentence's place, else the
        document's focus country; the bare code, no sector."""
        si = index.sent_of.get(verb.i, 0)
        code = next((m.code for _, k, m in index.ordered if k == si and m.is_place and m.code), None)
        how = "implied:place"
        if code is None and index.article_counts:
            code, how = index.article_counts.most_common(1)[0][0], "implied:focus"
        if code is None:
            return []
        ex = index.example.get(code)
        m = Mention(doc_id="", sentence_index=si, char_start=verb.idx, char_end=verb.idx + len(verb.text),
                    text="", actor_id=None, name=ex.name if ex is not None and ex.kind == "country" else code,
                    code=code, sector=None, kind="country", how="no-recipient", country_how=how)
        return [_Party(m)]

    def _unknown_subject(self, verb: Token, index: _Mentions, f: _Found) -> list[_Party]:
        """A subject that names no known actor: a weapon or blast ("a bomb killed five") leaves the
        doer unknown (the event is kept); a noun phrase ("Boko Haram fighters", "a little-known
        group") becomes an actor of unknown country and sector, exported with its text."""
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is None or subj.pos_ not in ("NOUN", "PROPN") or subj.i in index.actor or \
                subj.i in index.place:
            return []
        weapons = self.lexicon.cues.weapon_nouns
        if subj.lemma_.lower() in weapons or subj.lower_ in weapons:
            f.passive = True  # no doer named, as in a passive
            return []
        if self.lexicon.noun_readings(subj.lemma_):
            return []  # "the talks focused on ...": an event noun is no actor
        doc = verb.doc
        lo = min(t.i for t in subj.subtree if t.i <= subj.i)
        while lo < subj.i and doc[lo].dep_ == "det":
            lo += 1
        text = doc_text(doc)[doc[lo].idx:subj.idx + len(subj.text)]
        m = Mention(doc_id="", sentence_index=index.sent_of.get(subj.i, 0), char_start=doc[lo].idx,
                    char_end=subj.idx + len(subj.text), text=text, actor_id=None, name=text, code=None,
                    sector=None, kind="unknown", how="unknown", country_how="unknown")
        f.confidence -= 0.15
        return [_Party(m)]

    @staticmethod
    def _place_below(tok: Token, index: _Mentions) -> list[_Party]:
        """The first place named in a place phrase ("in Pakistan") inside ``tok``'s subtree."""
        for t in tok.subtree:
            p = index.place.get(t.i)
            if p is not None and p.code and t.head.dep_ == "prep" and t.head.lower_ in _PLACE_PREPS:
                return [_Party(p, place=True)]
        return []

    def _coordinated_with_i(self, verb: Token, index: _Mentions) -> list[_Party]:
        """"Bajwa and I spoke": the parser often loses the name before "and I"; take it back."""
        doc = verb.doc
        for c in verb.children:
            if c.dep_ == "nsubj" and c.lower_ in self.lexicon.cues.first_person and c.i >= 2 \
                    and doc[c.i - 1].lower_ == "and" and doc[c.i - 2].i in index.actor \
                    and not any(x.dep_ == "conj" for x in c.children):
                return [_Party(index.actor[doc[c.i - 2].i])]
        return []

    @staticmethod
    def _split_symmetric(f: _Found) -> None:
        """"X and Y met": the first subject (or the quoting speaker) acts, the others receive."""
        if f.trigger.symmetric and not f.recipient and len(f.actor) > 1:
            speakers = [p for p in f.actor if p.speaker]
            first = speakers[0] if speakers else f.actor[0]
            f.recipient = [p for p in f.actor if p is not first]
            f.actor = [first]
            f.confidence -= 0.05

    # -- adjectives ----------------------------------------------------------------------------
    def _adjective(self, adj: Token, sents: list[Span], si: int, index: _Mentions) -> _Found | None:
        """"Beijing was willing to play a role", "Iran is open to any initiative": stated intent."""
        readings = self.lexicon.adjective_readings(adj.lower_) or self.lexicon.adjective_readings(adj.lemma_)
        if not readings:
            return None
        comp: Token | None = None
        lemma = ""
        for c in adj.children:
            if c.dep_ == "xcomp":
                comp, lemma = c, c.lemma_.lower()
                break
            if c.dep_ == "prep" and c.lower_ in ("to", "for"):
                pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                if pobj is not None:
                    comp, lemma = c, pobj.lemma_.lower()
                    break
        if comp is None:
            return None
        for r in readings:
            if r.objects and lemma not in r.objects:
                continue
            f = _Found(r, adj, mode=r.mode, confidence=0.8)
            passive = next((c for c in adj.children if c.dep_ in ("nsubjpass", "nsubj")), None)
            if passive is not None:  # "the IRGC is prepared to work"
                f.actor = self._np(passive, index, sents, si)
            elif adj.dep_ in ("acomp", "oprd", "xcomp", "ROOT", "conj"):
                f.actor = self._subject(adj.head if adj.dep_ != "ROOT" else adj, index, sents, si)
            f.actor = _resolve(f.actor)
            recips = self._actors_in(comp.subtree, index, si, r.place_ok)
            if not recips and r.dyad_ok and f.actor:
                recips = self._dyad_fallback(adj, si, index, f.actor)
                f.confidence -= 0.1
            f.recipient = _resolve(recips, [p.mention.code for p in f.actor])
            return f
        return None

    # -- nouns ---------------------------------------------------------------------------------
    def _noun(self, noun: Token, sents: list[Span], si: int, index: _Mentions) -> _Found | None:
        readings = self.lexicon.noun_readings(noun.lemma_) or self.lexicon.noun_readings(noun.lower_)
        if not readings or noun.i in index.actor or noun.ent_type_ in ("DATE", "TIME"):
            return None  # "in March" names a month, not a march
        if self._cancelled(noun):
            return None  # "banned all demonstrations": no demonstration reported
        words = [c.lower_ for c in noun.children if c.i < noun.i] + [noun.lower_]
        for r in readings:  # the first reading that applies (a conditioned one may not)
            if r.modifier and not r.modifier & set(words):
                continue
            f = self._noun_reading(noun, r, sents, si, index)
            if f is not None:
                return f
        return None

    def _brokered(self, tok: Token) -> bool:
        """``tok`` is written "China-brokered": followed by a hyphen and a third-party verb."""
        doc = tok.doc
        j = tok.i + 1
        return j + 1 < len(doc) and doc[j].text == "-" and doc[j + 1].lemma_.lower() in self.third_party_verbs

    def _light_verb(self, noun: Token) -> Token | None:
        """The verb that takes the noun as object ("held talks", "engaged in talks")."""
        light = self.lexicon.cues.light_verbs
        head = noun.head
        if noun.dep_ in ("dobj", "nsubjpass") and _forms(head) & light:
            return head
        if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.lemma_.lower() in light and \
                head.lower_ not in self.lexicon.cues.presupposing_preps:
            return head.head  # "engaged in talks", "embarked on a visit" (not "reached out after the strike")
        if noun.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("for", "on") and \
                head.head.lemma_.lower() in self.lexicon.cues.motion_verbs:
            return head.head  # "flew into Islamabad for talks with ..."
        if noun.dep_ == "conj":
            return self._light_verb(noun.head)
        if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN" and \
                head.head.dep_ in ("dobj", "nsubjpass") and head.head.head.lemma_.lower() in light:
            return head.head.head  # "launched two days of drills", "carried out a series of strikes"
        return None

    def _occurs(self, noun: Token) -> bool:
        """``noun`` is the subject of a verb that says it happened ("talks took place", "occurred")."""
        if noun.dep_ != "nsubj":
            return False
        head = noun.head
        occ = self.lexicon.cues.occurrence_verbs
        lemma = head.lemma_.lower()
        return lemma in occ or any(f"{lemma} {c.lower_}" in occ for c in head.children
                                   if c.dep_ in ("dobj", "prt"))

    def _noun_reading(self, noun: Token, r: Trigger, sents: list[Span], si: int,
                      index: _Mentions) -> _Found | None:
        f = _Found(r, noun, mode=r.mode, confidence=0.75)
        owner: list[_Party] = []
        pronoun_owner = False
        for c in noun.children:
            if c.dep_ == "poss":
                owner = self._np(c, index, sents, si)
                pronoun_owner = not owner and c.pos_ == "PRON"
            elif c.dep_ in ("compound", "amod", "nmod", "npadvmod") and c.i < noun.i and not owner:
                if c.lemma_.lower() in self.third_party_verbs or self._brokered(c):
                    continue
                owner = _unique(_as_modifier(x) for x in (index.at(t, True) for t in _left_phrase(c))
                                if x is not None and x.mention.kind not in _NAMING_KINDS
                                and (not x.place or x.mention.kind in ("country", "demonym")))
        agent: list[_Party] = []
        for pobj in self._prep_objects(noun, ("by",)):
            agent = self._np(pobj, index, sents, si)
        light = self._light_verb(noun)
        if pronoun_owner:  # "his visit": the subject of the clause
            gov = noun.head
            while gov.pos_ not in ("VERB", "AUX") and gov.head.i != gov.i:
                gov = gov.head
            owner = self._subject(gov, index, sents, si) if gov.pos_ in ("VERB", "AUX") else []
        # mediators: "China-brokered deal", "a deal brokered by China"
        for c in noun.children:
            if c.i < noun.i and self._brokered(c):
                f.mediator = _unique(x for x in (index.at(t, False) for t in c.subtree) if x is not None)
            elif c.lemma_.lower() in self.third_party_verbs:
                med = [x for x in (index.at(t, False) for t in c.subtree) if x is not None]
                for a in c.children:
                    if a.dep_ == "agent":
                        med = [p for g in a.children if g.dep_ == "pobj"
                               for p in self._np(g, index, sents, si)]
                f.mediator = _unique(med)
                if any(a.dep_ == "agent" for a in c.children):
                    agent = []
        if not owner and r.poss == "actor" and "of" not in r.recipient:  # "the visit of General Munir"
            owner = [p for pobj in self._prep_objects(noun, ("of",))
                     for p in self._np(pobj, index, sents, si)]
        for pobj in self._prep_objects(noun, ("between",)):  # "a deal between Y and Z brokered by X"
            for t in _conjuncts(pobj):
                for c in t.children:
                    if c.dep_ == "acl" and c.lemma_.lower() in self.third_party_verbs:
                        f.mediator = [p for a in c.children if a.dep_ == "agent" for g in a.children
                                      if g.dep_ == "pobj" for p in self._np(g, index, sents, si)]
        if "anchored" in r.requires and light is None and not f.mediator and not any(
                c.dep_ == "acl" and c.lemma_.lower() in self.lexicon.cues.light_verbs for c in noun.children):
            return None
        if r.poss == "recipient":
            f.recipient = owner
            f.actor = agent
        else:
            f.actor = agent or owner
        if not f.actor and light is not None:
            f.actor = self._subject(light, index, sents, si)
            f.confidence += 0.05
        between: list[_Party] = []
        recips: list[_Party] = list(f.recipient)
        hosts = [noun, *([light] if light is not None else []), *self._prep_objects(noun, ("of",))]
        if self._occurs(noun):  # "a conversation took place between X and Y"
            hosts.append(noun.head)
        for slot in r.recipient:
            if recips:
                break
            for h in hosts:
                for pobj in self._prep_objects(h, (slot,)):
                    got = self._np(pobj, index, sents, si, allow_place=r.place_ok and slot != "between")
                    if not got and r.place_ok and slot != "between":
                        got = self._deep(pobj, index, sents, si, True)
                    if slot == "between":
                        between = got
                    else:
                        recips = recips or got
        if r.event == "ASSAULT" and not recips:
            recips = self._patient(noun, index, sents, si)
        if not recips and r.place_ok:  # "an attack on what X called bases in Pakistan's Balochistan"
            for slot in r.recipient:
                for pobj in self._prep_objects(noun, (slot,)):
                    recips = recips or self._place_below(pobj, index)
        if not recips and light is not None and light.lemma_.lower() in self.lexicon.cues.motion_verbs:
            # "touched down in Islamabad for an official visit"
            recips = [p for pobj in self._prep_objects(light, ("to", "into", "in", "upon", "at"))
                      for p in self._np(pobj, index, sents, si, allow_place=True)]
        if between:
            between = _resolve(between, [p.mention.code for p in f.mediator])
            if r.third_party or f.mediator or not f.actor:
                if r.third_party and f.actor and not f.mediator:
                    f.mediator = f.actor
                f.actor, recips = between[:1], between[1:]
            else:
                recips = between
        if not f.actor and not recips and not between and r.symmetric and any(
                c.dep_ == "amod" and c.lower_ in self.lexicon.cues.dyad_modifiers for c in noun.children):
            # "a mutual understanding was reached": the article's two sides
            pair = _resolve(self._dyad_parties(noun, si, index, 2))
            f.actor, recips = pair[:1], pair[1:]
        f.actor = _resolve(f.actor)
        if not recips and r.dyad_ok and f.actor and not between:
            recips = self._dyad_fallback(noun, si, index, f.actor)
            f.confidence -= 0.1
        f.recipient = _resolve(recips, [p.mention.code for p in f.actor])
        self._split_symmetric(f)
        if r.third_party and not f.mediator:
            return None
        words = [t.lower_ for t in noun.subtree if t.i <= noun.i] + [t.lower_ for t in noun.children]
        f.mode = self.lexicon.mode_from_words(r.event, words) or f.mode
        if f.mediator and "third-party" in self.coder.table.types[r.event].modes:
            f.mode = "third-party"
        return f

    def _patient(self, noun: Token, index: _Mentions, sents: list[Span], si: int) -> list[_Party]:
        """The victim of an attack noun: "the attack that killed X", "X was killed in a strike"."""
        patient_verbs = self.lexicon.cues.patient_verbs
        for c in noun.children:
            if c.dep_ in ("relcl", "acl") and c.lemma_.lower() in patient_verbs:
                for o in c.children:
                    if o.dep_ == "dobj":
                        got = self._np(o, index, sents, si)
                        if got:
                            return got
        head = noun.head
        if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.lemma_.lower() in patient_verbs:
            verb = head.head
            for o in verb.children:
                if o.dep_ in ("nsubjpass", "dobj"):
                    got = self._np(o, index, sents, si)
                    if got:
                        return got
        return []

    # -- filtering and output ------------------------------------------------------------------
    @staticmethod
    def _line_opener(tok: Token, index: _Mentions) -> _Party | None:
        doc = tok.doc
        start = doc_text(doc).rfind("\n", 0, tok.idx) + 1
        first = next((t for t in doc if t.idx >= start and not t.is_space), None)
        if first is None or first.i >= tok.i or first.i not in index.actor:
            return None
        return _Party(index.actor[first.i])

    def _keep(self, found: list[_Found], index: _Mentions) -> list[_Found]:
        out: list[_Found] = []
        for f in found:
            # a headline glued to the next line by the parser: participants stay on the trigger's line
            lost = [p for p in (*f.actor, *f.mediator) if not _same_line(f.token, p.mention)]
            for attr in ("actor", "recipient", "mediator"):
                setattr(f, attr, [p for p in getattr(f, attr) if _same_line(f.token, p.mention)])
            if lost and not (f.mediator if f.trigger.third_party else f.actor):
                # the doer then is the name that opens the trigger's line ("Pakistan, wary ..., has offered")
                opener = self._line_opener(f.token, index)
                if opener is not None:
                    setattr(f, "mediator" if f.trigger.third_party else "actor", [opener])
            f.actor = [p for p in _unique(f.actor) if not p.place]
            act = {_key(p) for p in f.actor}
            codes = {p.mention.code for p in f.actor if p.mention.code and p.mention.country_how is None}
            # a recipient whose country is only guessed (a generic actor coded by the place or the
            # focus country) that equals the actor's is no other side, unless its sector makes it one
            # ("Kenyan police detained protesters": police and civilians of one country)
            sectors = {p.mention.sector for p in f.actor}
            f.recipient = [p for p in _unique(f.recipient) if _key(p) not in act and not (
                (p.mention.country_how in ("place", "focus") or p.place) and p.mention.code in codes
                and (p.mention.sector is None or p.mention.sector in sectors))]
            med_keys = {_key(p) for p in f.mediator}
            f.mediator = [p for p in _unique(f.mediator) if not p.place and p.mention.code]
            # generic and unknown actors are kept with their text and sector (no country needed)
            f.actor = [p for p in f.actor if p.mention.code or p.mention.sector or p.mention.kind]
            f.recipient = [p for p in f.recipient if p.mention.code or p.mention.sector]
            if not f.actor and f.trigger.event in self.lexicon.civilian_actor_types and not self._flagged(f) \
                    and _clause_argument(f.token):
                f.actor = self._implied_civilians(f, index)  # "protests broke out in Lagos"
            if not f.actor and not f.recipient:
                continue  # no participant at all: "the talks", "an attack" named in passing
            if not f.actor and ((f.trigger.pos not in ("noun",) and not f.passive) or self._flagged(f)):
                continue  # "someone attacked Iran", "denied any attack on X": no doer to report
            summary = self.lexicon.cues.background_modifiers
            if f.trigger.pos == "noun" and any(c.dep_ == "amod" and c.lower_ in summary
                                               for c in f.token.children):
                continue  # "recent meetings between X and Y have focused on ...": a summary, no new event
            if f.modality is None and _recalled(f.token):
                continue  # "the reform that had set off riots", "which had joined the boycott": told before
            if f.trigger.pos == "noun" and _background(f.token, self.lexicon.cues.presupposing_preps) and \
                    not (f.actor and f.recipient):
                continue  # "after the strike on X", "following Pakistan's strikes": a re-mention
            if not f.recipient and not f.trigger.needs_recipient:
                f.recipient = self._no_recipient(f, index)
            if not f.recipient and not f.trigger.needs_recipient and \
                    f.trigger.event.lower() in self.lexicon.cues.domestic_types:
                f.recipient = self._domestic(f, index)
            if not f.recipient and (f.trigger.needs_recipient or (not f.trigger.recipient_optional and
                                    self.lexicon.no_recipient.get(f.trigger.event, "drop") == "drop")):
                continue  # a two-sided event (talks, visits) with no other side named
            if f.mediator and (act & med_keys or {_key(p) for p in f.recipient} & med_keys):
                continue
            if f.trigger.third_party and not f.mediator:
                continue
            if any(p.place for p in f.recipient):
                f.confidence -= 0.15
            if not f.recipient:
                f.confidence -= 0.2
            if any(p.mention.code is None for p in [*f.actor, *f.recipient]):
                f.confidence -= 0.1
            out.append(f)
        # a noun that a verb reading took as its particle's object is part of that event ("went on
        # strike" is one PROTEST, not also an ASSAULT "strike")
        taken = {p.i for f in out if f.trigger.pos == "verb" and f.trigger.pobjs
                 for p in self._prep_objects(f.token, f.trigger.prep or _ANY_PREP)}
        out = [f for f in out if not (f.trigger.pos == "noun" and f.token.i in taken)]
        # one event per type and dyad in a sentence: keep the most informative one; an event whose
        # parties are a part of another's of the same type ("signed" X -> ?, "memorandum" X -> Y;
        # "were killed" ? -> Y, "strike by X" X -> Y) is the same event
        def side(ps: list[_Party]) -> frozenset[str]:
            return frozenset(map(str, (_key(p) for p in ps)))

        # "the attack killed two children": a verb whose subject is an event of its type is that event
        tokens = {(f.token.i, f.trigger.event): f for f in out}
        out = [f for f in out if not (f.trigger.pos == "verb" and any(
            c.dep_ in ("nsubj", "nsubjpass") and (c.i, f.trigger.event) in tokens and c.i != f.token.i
            for c in f.token.children))]

        best: dict[tuple[str, frozenset[str], frozenset[str]], _Found] = {}
        for f in out:
            k = (f.trigger.event, side(f.actor), side(f.recipient))
            cur = best.get(k)
            if cur is None or (len(f.mediator), f.confidence) > (len(cur.mediator), cur.confidence):
                best[k] = f
        for f in out:  # the kept event borrows a mode another reading found ("drone attack that killed")
            k = (f.trigger.event, side(f.actor), side(f.recipient))
            if best[k].mode is None and f.mode is not None:
                best[k].mode = f.mode
        keys = list(best)
        for k in keys:
            t, a, r = k
            if any(k2 != k and k2[0] == t and a <= k2[1] and r <= k2[2] and k2 in best for k2 in keys):
                small, big = best.pop(k), None
                for k2 in keys:
                    if k2 != k and k2[0] == t and a <= k2[1] and r <= k2[2] and k2 in best:
                        big = best[k2]
                        break
                if big is not None and big.mode is None:
                    big.mode = small.mode
        kept = set(map(id, best.values()))
        return [f for f in out if id(f) in kept]

    def _flagged(self, f: _Found) -> bool:
        mod = self._modality(f)
        return mod.negated or mod.hypothetical

    def _modality(self, f: _Found) -> Modality:
        return f.modality if f.modality is not None else modality_of(f.token, f.token.sent, self.lexicon.cues)

    # -- statements of intent ------------------------------------------------------------------
    def _response_word(self, tok: Token) -> bool:
        words = self.lexicon.cues.response_verbs
        lemma = tok.lemma_.lower()
        return lemma in words or any(c.dep_ in ("prt", "advmod") and f"{lemma} {c.lower_}" in words
                                     for c in tok.children)

    def _response(self, verb: Token, sents: list[Span], si: int, index: _Mentions) -> _Found:
        """"Moscow would respond": a THREATEN candidate, kept only when promised or vowed."""
        trig = Trigger(lemma=verb.lemma_.lower(), pos="verb", event="THREATEN", recipient=("to", "against"),
                       dyad_ok=True, source="response_verbs")
        f = _Found(trig, verb, confidence=0.8)
        f.actor = _resolve(self._subject(verb, index, sents, si))
        f.recipient = _resolve([p for pobj in self._prep_objects(verb, ("to", "against"))
                                for p in self._np(pobj, index, sents, si)], [p.mention.code for p in f.actor])
        return f

    def _commitments(self, found: Sequence[_Found], sent: Span, sents: list[Span], si: int,
                     index: _Mentions) -> list[_Found]:
        """Statements of intent coded as PLOVER codes them: an event promised by its actor ("said it
        would cooperate", "pledged to pull back", "offered to help") is an AGREE, one of force or
        punishment promised or vowed ("would take countermeasures", "vowed to continue the strikes",
        "has the right to retaliate") a THREATEN, a cooperative one refused ("said he would not
        resign") a REJECT. The event itself stays flagged; the statement is a new event with the
        same parties, unflagged. A de-escalation the actor announces ("said it would lift the
        sanctions", "would reopen its airspace") is the decision itself: it is coded unflagged as
        its own type (``announced_types``). The cue lists are in cues.yaml (commitment_*, *_types)."""
        cues = self.lexicon.cues
        out: list[_Found] = []
        for f in found:
            if f.trigger.third_party or f.modality is not None or not f.actor:
                continue
            response = f.trigger.source == "response_verbs"
            mod = modality_of(f.token, sent, cues)
            if mod.kind in ("expected", "conditional", "question", "alleged", "failed", "denied"):
                continue
            c = commitment_of(f.token, cues)
            if c is None or not (mod.negated or mod.hypothetical or (c.kind == "promise" and not c.speech)):
                continue
            if not (mod.negated or mod.hypothetical):  # "offered to help": the help is not given yet
                f.modality = Modality(hypothetical=True, kind="intent")
            etype = f.trigger.event.lower()
            hostile = response or etype in cues.threat_types
            new = {"threat": "THREATEN", "right": "THREATEN" if hostile else None,
                   "refusal": "REJECT" if etype in cues.promise_types and not response else None,
                   "promise": "THREATEN" if hostile else
                   "AGREE" if etype in cues.promise_types else None}[c.kind]
            if new is None:
                continue
            if c.speech and c.governor is not None:
                said = {p.mention.code for p in self._subject(c.governor, index, sents, si)}
                if not said & {p.mention.code for p in f.actor}:
                    continue  # "Pakistan said India would attack": no threat by India
            if c.quote and not any(p.speaker for p in f.actor):
                continue
            if c.kind == "promise" and (c.speech or c.quote) and etype in cues.announced_types:
                f.modality = Modality()  # "Cuba said it would release 553 prisoners": the decision is the act
                continue
            trig = replace(f.trigger, event=new, mode=None, symmetric=new == "AGREE", needs_recipient=False,
                           recipient_optional=True, third_party=False)
            d = _Found(trig, f.token, actor=list(f.actor), recipient=list(f.recipient),
                       confidence=f.confidence - 0.1, modality=Modality())
            self._split_symmetric(d)  # "Thailand and Cambodia pledged to pull back": one to the other
            if not d.recipient:
                d.recipient = self._dyad_fallback(f.token, si, index, f.actor)
            out.append(d)
        return out

    def _no_recipient(self, f: _Found, index: _Mentions) -> list[_Party]:
        """The recipient a type takes when the text names none (the lexicon's ``no_recipient``):
        the government of the place named in the sentence, that place's country, or the actor's
        own country; the document's focus country when the sentence has neither. See
        docs/events.md, "Recipients by type"."""
        rule = self.lexicon.no_recipient.get(f.trigger.event, "drop")
        if rule in ("drop", "keep"):
            return []
        si = index.sent_of.get(f.token.i, 0)
        code, how = None, ""
        if rule in ("place-government", "place"):
            code = next((m.code for _, k, m in index.ordered if k == si and m.is_place and m.code), None)
            how = "place"
        if code is None and rule == "actor-country":
            code = next((p.mention.code for p in f.actor if p.mention.code), None)
            how = "actor"
        if code is None:
            code = index.article_counts.most_common(1)[0][0] if index.article_counts else None
            how = "focus"
        named = {p.mention.code for p in f.actor if p.mention.country_how is None}
        if code is not None and code in named and rule != "place-government":
            return []  # no self-events: "Iran withdrew" is not a retreat from Iran
        if code is None:
            how = "pending"  # the event's place, once geocoded, gives the country (else none)
        ex = index.example.get(code) if code else None
        tok = f.token
        m = Mention(doc_id=ex.doc_id if ex else "", sentence_index=si, char_start=tok.idx,
                    char_end=tok.idx + len(tok.text), text="", actor_id=None,
                    name=(ex.name if ex is not None and ex.kind == "country" else code or ""), code=code,
                    sector="GOV" if rule == "place-government" else None, kind="country",
                    how="no-recipient", country_how=f"no-recipient:{how}")
        f.confidence -= 0.1
        return [_Party(m)]

    def _domestic(self, f: _Found, index: _Mentions) -> list[_Party]:
        """The recipient of a domestic event that names none: the actor's own country, when the
        actor is an office, a person or a generic actor of one country (not the state named as
        itself: "Iran withdrew" stays without one) and neither the sentence nor the one before
        names another country
        ("Prime Minister Oli resigned" -> NPL; "the court sentenced eleven militants" -> the
        court's country). See docs/events.md, "Recipients by type"."""
        codes = {p.mention.code for p in f.actor if p.mention.code}
        if len(codes) != 1 or any(p.mention.kind in ("country", "igo") or p.mention.sector == "IGO"
                                  or p.place or p.demoted for p in f.actor):
            return []
        code = next(iter(codes))
        si = index.sent_of.get(f.token.i, 0)
        if any(si - 1 <= k <= si and m.code and m.code != code for _, k, m in index.ordered):
            return []  # another country in the sentence or the one before: the other side is not known
        ex = index.example.get(code)
        tok = f.token
        m = Mention(doc_id=ex.doc_id if ex else "", sentence_index=si, char_start=tok.idx,
                    char_end=tok.idx + len(tok.text), text="", actor_id=None,
                    name=ex.name if ex is not None and ex.kind == "country" else code, code=code,
                    sector=bundled_table().domestic_recipient.get(f.trigger.event.lower()), kind="country",
                    how="no-recipient", country_how="no-recipient:actor")
        f.confidence -= 0.1
        return [_Party(m)]

    def _finish(self, f: _Found, sent: Span, si: int, article: Article) -> Event:
        mod = self._modality(f)
        tok = f.token
        trigger_end = tok.idx + len(tok.text)
        for c in tok.children:  # "called on", "reached out to": keep the particle in the trigger text
            if c.dep_ in ("prt",) and c.i == tok.i + 1:
                trigger_end = c.idx + len(c.text)
        text = article.text[tok.idx:trigger_end]
        ev = Event(
            doc_id=article.doc_id, sentence_index=si, sent_start=sent.start_char, sent_end=sent.end_char,
            text=sent.text, event=f.trigger.event,
            actor=[_ref(p) for p in f.actor], recipient=[_ref(p) for p in f.recipient],
            mediator=[_ref(p) for p in f.mediator],
            trigger=text, trigger_start=tok.idx, trigger_end=trigger_end,
            mode=f.mode, context=list(f.trigger.context),
            confidence=round(max(0.05, min(1.0, f.confidence)), 2),
            negated=mod.negated, hypothetical=mod.hypothetical, modality=mod.kind,
        )
        self.coder.code(ev)
        return ev


def _background(tok: Token, preps: frozenset[str]) -> bool:
    """``tok`` (an event noun) sits in a background phrase: "after the strike", "amid clashes",
    "since the protests began" ("after days of fighting" reports the fighting: kept)."""
    while tok.dep_ in ("conj", "compound") and tok.head is not tok:
        tok = tok.head
    if tok.dep_ == "nsubj" and tok.head.dep_ == "advcl":  # "since the protests began"
        return any(c.dep_ == "mark" and c.lower_ in preps for c in tok.head.children)
    return tok.dep_ == "pobj" and tok.head.lower_ in preps


def _recalled(tok: Token) -> bool:
    """``tok`` sits in a relative clause in the past perfect ("the reform that had set off deadly
    riots", "Egypt, which had joined the boycott"): a past event recalled as background, not
    reported. Climbs from an event noun to the verb of its clause."""
    for _ in range(4):
        if tok.pos_ in ("VERB", "AUX") or tok.dep_ in ("ROOT", "relcl") or tok.head is tok:
            break
        if tok.dep_ not in ("dobj", "nsubj", "nsubjpass", "pobj", "prep", "conj", "compound", "amod"):
            return False
        tok = tok.head
    return tok.dep_ == "relcl" and tok.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in tok.children)


def _clause_argument(tok: Token) -> bool:
    """``tok`` is a subject or object of its clause ("protests broke out", "staged a strike"), not
    a background phrase ("detained during the protests", "resigned in the face of protests")."""
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    return tok.dep_ in ("nsubj", "nsubjpass", "dobj", "ROOT", "attr", "appos")


def _ref(p: _Party) -> ActorRef:
    m = p.mention
    plain = p.place or p.demoted
    return ActorRef(code=m.code, sector=None if plain else m.sector, entity_text=m.text, name=m.name,
                    identifier=None if plain else m.actor_id,
                    char_start=None if m.how == "no-recipient" else m.char_start,
                    char_end=None if m.how == "no-recipient" else m.char_end, country_how=m.country_how)
