"""The parties of a trigger from the parse: the actors a noun phrase names (conjuncts, pronouns
and their antecedents, "both countries", the speaker of a quote), the subject of a verb, the
objects of its prepositions, and the parties implied when none is named (the state of a
passive arrest, the protesters of a protest noun, a place below, the opener of a line)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.tokens import Span, Token

from detente.events.clauses import (
    PLACE_PREPS,
    SUBJ,
    THING_KINDS,
    WITHIN_NP,
    conjuncts,
    left_phrase,
    person_like,
)
from detente.events.found import Found, Mentions, Party, unique
from detente.events.lexicon import Lexicon
from detente.events.modality import finite_past
from detente.model import Mention
from detente.nlp import doc_text


class Parties:
    """Finds the participants of triggers in the parse, with the lexicon's cues."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def np(self, tok: Token, index: Mentions, sents: list[Span], si: int, *, allow_place: bool = False,
            depth: int = 0) -> list[Party]:
        """The actors a noun phrase headed by ``tok`` refers to (conjuncts included)."""
        out: list[Party] = []
        for t in conjuncts(tok):
            out.extend(self._np_one(t, index, sents, si, allow_place, depth))
        return unique(out)

    def _np_one(self, tok: Token, index: Mentions, sents: list[Span], si: int, allow_place: bool,
                depth: int) -> list[Party]:
        cues = self.lexicon.cues
        p = index.at(tok, allow_place)
        group = self._dyad_phrase(tok) if p is None or p.mention.country_how is not None else 0
        if group:  # "both ministers": the article's two sides, not a generic "ministers"
            return self.dyad_parties(tok, si, index, group)
        if p is not None and p.mention.country_how is not None and depth < 3:
            named_by = ("of", "from") if tok.dep_ == "nsubj" else ("of",)
            for c in tok.children:  # "the foreign ministers of Egypt and Turkey": the named ones
                if c.dep_ == "prep" and c.lower_ in named_by:
                    named = [x for g in c.children if g.dep_ == "pobj"
                             for x in self.np(g, index, sents, si, depth=depth + 1)
                             if x.mention.country_how is None and x.mention.code]
                    if named:
                        return named
        if p is not None:
            # "Iranian and U.S. negotiators", "Russian and Ukrainian delegations": every side named in
            # a coordinated modifier, not only the one the mention covers
            listed = [x for c in tok.children if c.dep_ in ("amod", "compound", "nmod") and c.i < tok.i
                      and any(g.dep_ == "conj" for g in c.children)
                      for x in (index.at(t, False) for t in left_phrase(c)) if x is not None]
            return unique([*listed, p]) if listed else [p]
        low = tok.lower_
        if tok.pos_ == "PRON" or tok.tag_ in ("PRP", "PRP$", "WP", "WDT"):
            if low in cues.first_person:
                return self._speaker(tok, index, sents, si)
            if low in cues.relative_pronouns and tok.head.dep_ == "relcl":
                return self.np(tok.head.head, index, sents, si, depth=depth + 1) if depth < 3 else []
            if tok.tag_ == "PRP" and (low in cues.person_pronouns or low in cues.thing_pronouns):
                return self._antecedent(tok, index, si, person=low in cues.person_pronouns)
            if tok.tag_ == "PRP" and low in cues.plural_pronouns:  # "the Houthis said they would"
                return self._antecedent(tok, index, si, person=False, plural=True)
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
                got = [x for x in (index.at(t, allow_place) for t in left_phrase(c)) if x is not None]
                if got:
                    return unique(got)
                if c.dep_ == "poss" and self._dyad_phrase(c) == 2:  # "both countries' militaries"
                    return self.dyad_parties(c, si, index, 2)
        # "the role of Pakistan", "the leaders of both countries", "leaders including X"; a subject
        # "rescue teams from China", "troops from the CSTO" (as a subject only: "withdrew troops from X")
        owners = ("of", "including", "from") if tok.dep_ == "nsubj" else ("of", "including")
        for c in kids:
            if c.dep_ == "prep" and c.lower_ in owners:
                for pobj in (g for g in c.children if g.dep_ == "pobj"):
                    got = self.np(pobj, index, sents, si, allow_place=allow_place, depth=depth + 1)
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

    def dyad_parties(self, tok: Token, si: int, index: Mentions, kind: int) -> list[Party]:
        """Candidates for a dyad phrase, best first; :func:`resolve` picks among them."""
        lo = min(t.idx for t in tok.subtree if t.i <= tok.i)
        hi = tok.idx + len(tok.text)
        out: list[Party] = []
        for code in index.ranked_codes(si)[:5]:
            ex = index.example[code]
            name = ex.name if ex.kind == "country" else code
            m = Mention(doc_id=ex.doc_id, sentence_index=ex.sentence_index, char_start=lo, char_end=hi,
                        text=doc_text(tok.doc)[lo:hi], actor_id=None, name=name, code=code, sector=None,
                        kind="country", how="dyad")
            out.append(Party(m, dyad=kind))
        return out

    def dyad_fallback(self, tok: Token, si: int, index: Mentions, actors: Sequence[Party]) -> list[Party]:
        """The recipient when none is named: the other side of the main dyad if the actor is one
        side of it, else both sides ("Pakistan condemned the attack", "X welcomed the agreement")."""
        codes = {p.mention.code for p in actors}
        return [p for p in self.dyad_parties(tok, si, index, 2)[:2] if p.mention.code not in codes]

    def _antecedent(self, pron: Token, index: Mentions, si: int, person: bool,
                    plural: bool = False) -> list[Party]:
        """The actor a pronoun stands for: the nearest compatible one before it in the sentence
        (not the subject of its own clause), then, for persons, the two sentences before. "they"
        (``plural``) stands for a country, a group or a generic actor ("teachers said they ...")."""
        nouns = self.lexicon.cues.person_nouns

        def fits(m: Mention) -> bool:
            if m.is_place:
                return False
            if person:
                return person_like(m, nouns)
            if plural and m.kind == "generic":
                return True
            return m.kind in THING_KINDS and not person_like(m, nouns)

        blocked: set[int] = set()
        if pron.dep_ not in SUBJ:
            for c in pron.head.children:
                if c.dep_ in SUBJ:
                    blocked.update(t.i for t in c.subtree)
            if pron.head.dep_ == "prep":
                for c in pron.head.head.children:
                    if c.dep_ in SUBJ:
                        blocked.update(t.i for t in c.subtree)
        for first, k, m in reversed(index.ordered):
            if k == si and first < pron.i and first not in blocked and fits(m):
                return [Party(m)]
        if not person:
            return []
        for k in (si - 1, si - 2):
            here = [(first, m) for first, kk, m in index.ordered if kk == k and fits(m)]
            if not here:
                continue
            doc = pron.doc
            for first, m in here:  # the subject of that sentence first
                t = doc[first]
                while t.dep_ in WITHIN_NP and t.head is not t:
                    t = t.head
                if t.dep_ in SUBJ:
                    return [Party(m)]
            return [Party(here[0][1])]
        return []

    def actors_in(self, toks: Iterable[Token], index: Mentions, si: int, allow_place: bool) -> list[Party]:
        """Actors named anywhere among ``toks`` (a clause): mentions, then dyad phrases."""
        toks = list(toks)
        got = [p for p in (index.at(t, False) for t in toks)
               if p is not None and p.mention.code and p.mention.country_how is None]
        if not got:
            for t in toks:
                kind = self._dyad_phrase(t)
                if kind:
                    return self.dyad_parties(t, si, index, kind)
        if not got and allow_place:
            got = [p for p in (index.at(t, True) for t in toks)
                   if p is not None and p.mention.code and p.mention.country_how is None]
        return unique(got)

    def deep(self, tok: Token, index: Mentions, sents: list[Span], si: int,
              allow_place: bool) -> list[Party]:
        """Like :meth:`_np`, then for places: "hideouts in Iran's Sistan-Baluchistan province"."""
        got = self.np(tok, index, sents, si, allow_place=allow_place)
        if got or not allow_place:
            return got
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in PLACE_PREPS:
                for pobj in (g for g in c.children if g.dep_ == "pobj"):
                    got = self.np(pobj, index, sents, si, allow_place=True)
                    if got:
                        return got
        return []

    def _speaker(self, pron: Token, index: Mentions, sents: list[Span], si: int) -> list[Party]:
        """The speaker of the quote that holds a first-person pronoun ("X tweeted, 'I ...'")."""
        speech = self.lexicon.cues.speech
        # a speech verb that governs the pronoun's clause
        for anc in pron.ancestors:
            if anc.lemma_.lower() in speech:
                subj = [c for c in anc.children if c.dep_ in ("nsubj",) and not c.is_ancestor(pron)
                        and c.lower_ not in self.lexicon.cues.first_person]
                for s in subj:
                    got = self.np(s, index, sents, si)
                    if got:
                        return [Party(p.mention, speaker=True) for p in got]
        # a speech verb in this sentence before the quote, then in the two sentences before it
        for k in range(si, max(-1, si - 3), -1):
            toks = [t for t in sents[k] if t.i < pron.i] if k == si else list(sents[k])
            for t in reversed(toks):
                if t.lemma_.lower() in speech and t.pos_ in ("VERB", "AUX"):
                    for s in (c for c in t.children if c.dep_ == "nsubj"
                              and c.lower_ not in self.lexicon.cues.first_person):
                        got = self.np(s, index, sents, k)
                        if got:
                            return [Party(p.mention, speaker=True) for p in got]
        return []

    def subject(self, verb: Token, index: Mentions, sents: list[Span], si: int,
                 depth: int = 0, shared: bool = False) -> list[Party]:
        """The doer of ``verb``: its subject, a passive agent, or the controller of its clause.

        ``shared``: the subject a conjoined verb inherits ("X were shocked by Y and condemned Z"
        -> X), so a passive's subject counts and its agent does not.
        """
        if depth > 4:
            return []
        if shared:
            for c in verb.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    return self.np(c, index, sents, si)
        passive_verb = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or verb.tag_ == "VBN"
        for c in verb.children:  # "was attacked by X" (not "spoke by telephone")
            if c.dep_ == "agent" and not shared and passive_verb:
                for pobj in (g for g in c.children if g.dep_ == "pobj"):
                    return self.np(pobj, index, sents, si)
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        for c in subjects:  # "BEIJING, March 10 — Saudi Arabia and Iran agreed": the dateline is
            got = self.np(c, index, sents, si)  # parsed as a second subject; the one naming an actor counts
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
                return self.np(obj[0], index, sents, si)
            ons = self.prep_objects(head, ("on", "upon"))  # "called on Iran to release": Iran
            if ons and head.lemma_.lower() in self.lexicon.cues.hypothetical_governors:
                got = self.np(ons[0], index, sents, si)
                if got:
                    return got
            raised = [c for c in head.children if c.dep_ == "nsubjpass"]
            if raised:  # "X is expected to visit Y"
                return self.np(raised[0], index, sents, si)
            return self.subject(head, index, sents, si, depth + 1)
        if dep == "advcl" and verb.tag_ == "VBG" and verb.i < head.i and any(
                c.dep_ in SUBJ and c.i > verb.i for c in head.children):
            return []  # "Following X, allegedly targeting Y, Z responded": whose participle is unclear
        if dep == "conj" and finite_past(verb) and head.tag_ == "VB" and head.dep_ == "ccomp" and \
                any(c.dep_ == "aux" and c.tag_ == "MD" for c in head.children):
            # "officials said the swap would take place, and accused Moscow of ...": a finite verb
            # no modal governs joins the clause of saying, misparsed as joined to the reported one
            got = self.subject(head.head, index, sents, si, depth + 1, shared=True)
            if got:
                return got
        if dep in ("conj", "advcl"):
            got = self.subject(head, index, sents, si, depth + 1, shared=True)
            if not got and dep == "conj" and finite_past(verb) and head.dep_ == "ccomp" and \
                    head.head.lemma_.lower() in self.lexicon.cues.speech:
                # "X said the demonstration was peaceful and accused the police of ...": the reported
                # clause names no doer, so the finite verb joined to it is the speaker's
                got = self.subject(head.head, index, sents, si, depth + 1, shared=True)
            return got
        if dep == "acomp" and verb.pos_ == "ADJ":  # "it was ready to strike": the copula's subject
            return self.subject(head, index, sents, si, depth + 1)
        if dep == "pcomp" and head.dep_ == "prep":  # "responded by targeting ..."
            gov = head.head
            obj = [c for c in gov.children if c.dep_ == "dobj"]
            if head.lower_ in ("of", "for") and obj and gov.lemma_.lower() in self.lexicon.cues.allegation | \
                    {"accuse", "blame", "condemn", "criticize", "criticise", "praise", "thank", "commend"}:
                return self.np(obj[0], index, sents, si)  # "accused India of supporting X": India
            return self.subject(gov, index, sents, si, depth + 1)
        if dep == "acl" and verb.tag_ == "VBN":
            return []  # "children killed in the war": the noun is the patient; no doer named
        if dep in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN"):
            got = self.np(head, index, sents, si)
            if not got and head.dep_ == "dobj":  # "X conducted an operation targeting Y"
                got = self.subject(head.head, index, sents, si, depth + 1)
            return got
        return []

    def prep_objects(self, tok: Token, words: Sequence[str]) -> list[Token]:
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

    def implied_civilians(self, f: Found, index: Mentions) -> list[Party]:
        """Protesters implied by a protest noun with no one named: civilians (CVL) of the
        sentence's place, else of the document's focus country."""
        got = self.implied_state(f.token, index)
        for p in got:
            p.mention.sector, p.mention.kind = "CVL", "generic"
            p.mention.name = p.mention.text = "protesters"
        return got

    def implied_state(self, verb: Token, index: Mentions) -> list[Party]:
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
        return [Party(m)]

    @staticmethod
    def place_below(tok: Token, index: Mentions) -> list[Party]:
        """The first place named in a place phrase ("in Pakistan") inside ``tok``'s subtree."""
        for t in tok.subtree:
            p = index.place.get(t.i)
            if p is not None and p.code and t.head.dep_ == "prep" and t.head.lower_ in PLACE_PREPS:
                return [Party(p, place=True)]
        return []

    @staticmethod
    def line_opener(tok: Token, index: Mentions) -> Party | None:
        doc = tok.doc
        start = doc_text(doc).rfind("\n", 0, tok.idx) + 1
        first = next((t for t in doc if t.idx >= start and not t.is_space), None)
        if first is None or first.i >= tok.i or first.i not in index.actor:
            return None
        return Party(index.actor[first.i])
