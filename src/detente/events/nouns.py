"""Noun-headed readings: an event noun the lexicon knows ("attack", "talks", "visit"), its actor
from a possessor, a modifier, a "by" agent or the subject of a light verb, its recipient from
prepositions, a mediator from "X-brokered" or a third-party verb; cancelled events dropped."""

from __future__ import annotations

from spacy.tokens import Span, Token

from detente.events.clauses import NAMING_KINDS, conjuncts, forms, left_phrase
from detente.events.code import Coder
from detente.events.found import Found, Mentions, Party, as_modifier, resolve, split_symmetric, unique
from detente.events.lexicon import Lexicon, Trigger
from detente.events.parties import Parties


class NounReadings:
    """Finds the noun-headed events of a sentence."""

    def __init__(self, lexicon: Lexicon, coder: Coder, parties: Parties,
                 third_party_verbs: frozenset[str]) -> None:
        self.lexicon = lexicon
        self.coder = coder
        self.parties = parties
        self.third_party_verbs = third_party_verbs

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

    def noun(self, noun: Token, sents: list[Span], si: int, index: Mentions) -> Found | None:
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
        if noun.dep_ in ("dobj", "nsubjpass") and forms(head) & light:
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
                      index: Mentions) -> Found | None:
        f = Found(r, noun, mode=r.mode, confidence=0.75)
        owner: list[Party] = []
        pronoun_owner = False
        for c in noun.children:
            if c.dep_ == "poss":
                owner = self.parties.np(c, index, sents, si)
                pronoun_owner = not owner and c.pos_ == "PRON"
            elif c.dep_ in ("compound", "amod", "nmod", "npadvmod") and c.i < noun.i and not owner:
                if c.lemma_.lower() in self.third_party_verbs or self._brokered(c):
                    continue
                owner = unique(as_modifier(x) for x in (index.at(t, True) for t in left_phrase(c))
                                if x is not None and x.mention.kind not in NAMING_KINDS
                                and (not x.place or x.mention.kind in ("country", "demonym")))
        agent: list[Party] = []
        for pobj in self.parties.prep_objects(noun, ("by",)):
            agent = self.parties.np(pobj, index, sents, si)
        light = self._light_verb(noun)
        if pronoun_owner:  # "his visit": the subject of the clause
            gov = noun.head
            while gov.pos_ not in ("VERB", "AUX") and gov.head.i != gov.i:
                gov = gov.head
            owner = self.parties.subject(gov, index, sents, si) if gov.pos_ in ("VERB", "AUX") else []
        # mediators: "China-brokered deal", "a deal brokered by China"
        for c in noun.children:
            if c.i < noun.i and self._brokered(c):
                f.mediator = unique(x for x in (index.at(t, False) for t in c.subtree) if x is not None)
            elif c.lemma_.lower() in self.third_party_verbs:
                med = [x for x in (index.at(t, False) for t in c.subtree) if x is not None]
                for a in c.children:
                    if a.dep_ == "agent":
                        med = [p for g in a.children if g.dep_ == "pobj"
                               for p in self.parties.np(g, index, sents, si)]
                f.mediator = unique(med)
                if any(a.dep_ == "agent" for a in c.children):
                    agent = []
        if not owner and r.poss == "actor" and "of" not in r.recipient:  # "the visit of General Munir"
            owner = [p for pobj in self.parties.prep_objects(noun, ("of",))
                     for p in self.parties.np(pobj, index, sents, si)]
        for pobj in self.parties.prep_objects(noun, ("between",)):  # "a deal between Y and Z brokered by X"
            for t in conjuncts(pobj):
                for c in t.children:
                    if c.dep_ == "acl" and c.lemma_.lower() in self.third_party_verbs:
                        f.mediator = [p for a in c.children if a.dep_ == "agent" for g in a.children
                                      if g.dep_ == "pobj" for p in self.parties.np(g, index, sents, si)]
        if "anchored" in r.requires and light is None and not f.mediator and not any(
                c.dep_ == "acl" and c.lemma_.lower() in self.lexicon.cues.light_verbs for c in noun.children):
            return None
        if r.poss == "recipient":
            f.recipient = owner
            f.actor = agent
        else:
            f.actor = agent or owner
        if not f.actor and light is not None:
            f.actor = self.parties.subject(light, index, sents, si)
            f.confidence += 0.05
        between: list[Party] = []
        recips: list[Party] = list(f.recipient)
        hosts = [noun, *([light] if light is not None else []), *self.parties.prep_objects(noun, ("of",))]
        if self._occurs(noun):  # "a conversation took place between X and Y"
            hosts.append(noun.head)
        for slot in r.recipient:
            if recips:
                break
            for h in hosts:
                for pobj in self.parties.prep_objects(h, (slot,)):
                    got = self.parties.np(pobj, index, sents, si,
                                          allow_place=r.place_ok and slot != "between")
                    if not got and r.place_ok and slot != "between":
                        got = self.parties.deep(pobj, index, sents, si, True)
                    if slot == "between":
                        between = got
                    else:
                        recips = recips or got
        if r.event == "ASSAULT" and not recips:
            recips = self._patient(noun, index, sents, si)
        if not recips and r.place_ok:  # "an attack on what X called bases in Pakistan's Balochistan"
            for slot in r.recipient:
                for pobj in self.parties.prep_objects(noun, (slot,)):
                    recips = recips or self.parties.place_below(pobj, index)
        if not recips and light is not None and light.lemma_.lower() in self.lexicon.cues.motion_verbs:
            # "touched down in Islamabad for an official visit"
            recips = [p for pobj in self.parties.prep_objects(light, ("to", "into", "in", "upon", "at"))
                      for p in self.parties.np(pobj, index, sents, si, allow_place=True)]
        if between:
            between = resolve(between, [p.mention.code for p in f.mediator])
            if r.third_party or f.mediator or not f.actor:
                if r.third_party and f.actor and not f.mediator:
                    f.mediator = f.actor
                f.actor, recips = between[:1], between[1:]
            else:
                recips = between
        if not f.actor and not recips and not between and r.symmetric and any(
                c.dep_ == "amod" and c.lower_ in self.lexicon.cues.dyad_modifiers for c in noun.children):
            # "a mutual understanding was reached": the article's two sides
            pair = resolve(self.parties.dyad_parties(noun, si, index, 2))
            f.actor, recips = pair[:1], pair[1:]
        f.actor = resolve(f.actor)
        if not recips and r.dyad_ok and f.actor and not between:
            recips = self.parties.dyad_fallback(noun, si, index, f.actor)
            f.confidence -= 0.1
        f.recipient = resolve(recips, [p.mention.code for p in f.actor])
        split_symmetric(f)
        if r.third_party and not f.mediator:
            return None
        words = [t.lower_ for t in noun.subtree if t.i <= noun.i] + [t.lower_ for t in noun.children]
        f.mode = self.lexicon.mode_from_words(r.event, words) or f.mode
        if f.mediator and "third-party" in self.coder.table.types[r.event].modes:
            f.mode = "third-party"
        return f

    def _patient(self, noun: Token, index: Mentions, sents: list[Span], si: int) -> list[Party]:
        """The victim of an attack noun: "the attack that killed X", "X was killed in a strike"."""
        patient_verbs = self.lexicon.cues.patient_verbs
        for c in noun.children:
            if c.dep_ in ("relcl", "acl") and c.lemma_.lower() in patient_verbs:
                for o in c.children:
                    if o.dep_ == "dobj":
                        got = self.parties.np(o, index, sents, si)
                        if got:
                            return got
        head = noun.head
        if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.lemma_.lower() in patient_verbs:
            verb = head.head
            for o in verb.children:
                if o.dep_ in ("nsubjpass", "dobj"):
                    got = self.parties.np(o, index, sents, si)
                    if got:
                        return got
        return []
