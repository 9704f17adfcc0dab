"""Verb-headed readings: a verb (or an adjective or participle) the lexicon knows, its actor
from the subject, its recipient from the slots the reading names, passives swapped, conditions
checked, and the doers supplied when the subject names no actor."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

from spacy.tokens import Span, Token

from detente.actors.generic import bundled_table
from detente.events.clauses import ANY_PREP, PLACE_PREPS, forms
from detente.events.found import Found, Mentions, Party, resolve, split_symmetric
from detente.events.lexicon import Lexicon, Trigger
from detente.events.parties import Parties
from detente.model import Mention
from detente.nlp import doc_text


class VerbReadings:
    """Finds the verb- and adjective-headed events of a sentence."""

    def __init__(self, lexicon: Lexicon, parties: Parties) -> None:
        self.lexicon = lexicon
        self.parties = parties

    def _conditions(self, verb: Token, index: Mentions, reading: Trigger, sents: list[Span],
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
        if "military-subject" in reading.requires | reading.excludes and self._forces(verb, index, sents, si):
            have.add("military-subject")  # "troops crossed into the DRC": forces moving
        if "aid-subject" in reading.requires | reading.excludes and self._carries_aid(verb):
            have.add("aid-subject")  # "rescue teams from Egypt reached Derna": aid arriving
        dobj = [c for c in kids if c.dep_ == "dobj"]
        if dobj:
            have.add("object")
        dobj = dobj or [c for c in kids if c.dep_ == "nsubjpass"]  # "Lissu was released": a person
        if dobj and (any(p.mention.kind == "person" for p in self.parties.np(dobj[0], index, sents, si))
                     or dobj[0].ent_type_ == "PERSON"):
            have.add("person-object")
        if reading.prep:
            for pobj in self.parties.prep_objects(verb, reading.prep):
                if any(p.mention.kind == "person" for p in self.parties.np(pobj, index, sents, si)) or \
                        pobj.ent_type_ == "PERSON" or pobj.lemma_.lower() in self.lexicon.cues.person_nouns:
                    have.add("person-prep")
        return have

    def _forces(self, verb: Token, index: Mentions, sents: list[Span], si: int) -> bool:
        """The subject of ``verb`` is armed forces (sector MIL or REB), not an officer ("General Munir
        arrived in Tehran" is a visit): "Ugandan troops crossed into the DRC", "the rebels left"."""
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.lemma_.lower() in self.lexicon.cues.person_nouns:
            return False
        got = self.parties.subject(verb, index, sents, si)
        return bool(got) and all(p.mention.sector in ("MIL", "REB") and p.mention.kind != "person"
                                 for p in got)

    def _carries_aid(self, verb: Token) -> bool:
        """The subject of ``verb`` carries aid ("rescue teams", "relief flights": ``aid_carriers``)."""
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is None:
            return False
        carriers = self.lexicon.cues.aid_carriers
        phrase = [t.lower_ for t in subj.subtree if t.i <= subj.i]
        words = {*phrase, *(f"{a} {b}" for a, b in pairwise(phrase))}
        return bool(words & carriers) or subj.lemma_.lower() in carriers

    def verb(self, verb: Token, sents: list[Span], si: int, index: Mentions) -> Found | None:
        readings = self.lexicon.verb_readings(verb.lemma_)
        if not readings and verb.tag_ in ("VBD", "VBN", "VBG", "VBZ"):  # a lemma the lemmatiser missed
            readings = next((got for form in sorted(forms(verb) - {verb.lemma_.lower()})
                             if (got := self.lexicon.verb_readings(form))), [])
        if not readings:
            return None
        kid_words = {c.lower_ for c in verb.children
                     if c.dep_ in ("prep", "prt", "advmod", "dative", "agent")}
        dobj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        # "200 prisoners were released", "the curfew was lifted": the passive subject is the object
        theme = dobj if dobj is not None else next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        themes = [] if theme is None else [theme, *_partitive(theme)]
        for r in readings:
            if r.prep and not set(r.prep) <= kid_words:
                continue
            if r.objects and not any(t.lemma_.lower() in r.objects or t.lower_ in r.objects for t in themes):
                continue
            if r.pobjs and not any(p.lemma_.lower() in r.pobjs or p.lower_ in r.pobjs
                                   for p in self.parties.prep_objects(verb, r.prep or ANY_PREP)):
                continue
            if r.complement and not any(c.lemma_.lower() in r.complement and _complement(c)
                                        for c in verb.children):
                continue
            if r.requires or r.excludes:
                have = self._conditions(verb, index, r, sents, si)
                if not r.requires <= have or r.excludes & have:
                    continue
            elif r.prep == () and any(rr.prep and not rr.pobjs and set(rr.prep) <= kid_words
                                      for rr in readings):
                continue  # "call on" readings take precedence over plain "call" (not a "return to <base>"
                # whose particle object failed: "returned the children to Ukraine" is a return)
            return self._verb_reading(verb, r, sents, si, index, dobj)
        return None

    def _verb_reading(self, verb: Token, r: Trigger, sents: list[Span], si: int, index: Mentions,
                      dobj: Token | None) -> Found | None:
        if self._hazard_subject(verb):
            return None  # "an earthquake killed 30 people": a disaster, no one's act
        if verb.lemma_.lower() in self.lexicon.cues.stative_passives and any(
                c.dep_ == "auxpass" and c.tag_ in ("VBZ", "VBP") for c in verb.children):
            return None  # "about 1,000 American troops are stationed in Niger": how things stand
        f = Found(r, verb, mode=r.mode, confidence=0.9)
        subjects = self.parties.subject(verb, index, sents, si)
        subjects.extend(self._coordinated_with_i(verb, index))
        passive = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if passive is None and verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.pos_ == "PROPN" and \
                not any(c.dep_ == "agent" for c in verb.children):
            passive = verb.head  # "Lissu, arrested at a rally on Wednesday, ...": a passive of the name
        if r.third_party:
            f.mediator = subjects
            pair: list[Party] = []
            # "between Y and Z" on the verb, its object, or "rounds of talks between Y and Z"
            hosts = [verb, *([dobj] if dobj is not None else []),
                     *(self.parties.prep_objects(dobj, ("of",)) if dobj is not None else [])]
            for t in hosts:
                for pobj in self.parties.prep_objects(t, ("between",)):
                    pair = self.parties.np(pobj, index, sents, si)
                    if pair:
                        break
                if pair:
                    break
            if not pair and dobj is not None:  # "brokered a deal with Y" -> subject and Y
                for pobj in self.parties.prep_objects(dobj, ("with",)):
                    pair = self.parties.np(pobj, index, sents, si)
            if not pair and dobj is not None and r.prep:  # "brought Y and Z together"
                got = self.parties.np(dobj, index, sents, si)
                pair = got if len(got) > 1 else []
            if not pair and r.objects and dobj is not None:  # "hosted the talks": the article's two sides
                pair = self.parties.dyad_parties(dobj, si, index, 2)
            pair = resolve(pair, [p.mention.code for p in f.mediator])
            f.actor, f.recipient = pair[:1], pair[1:]
            return f
        f.actor = subjects or self._unknown_subject(verb, index, f)
        f.passive = passive is not None
        recips: list[Party] = []
        for slot in r.recipient:
            if slot == "dobj":
                target = passive if passive is not None else dobj
                if target is not None:
                    recips = self.parties.deep(target, index, sents, si, r.place_ok)
            elif slot == "dative":
                recips = [p for c in verb.children if c.dep_ == "dative"
                          for p in self.parties.np(c, index, sents, si)]
            elif slot == "object-phrase":  # "stressed the need to open the Iran-Pakistan border"
                own = {p.mention.code for p in subjects}
                recips = [p for p in self.parties.actors_in(dobj.subtree, index, si, r.place_ok)
                          if p.mention.code not in own] if dobj is not None else []
            elif slot == "xcomp":  # "threatened to destroy hideouts in Afghanistan"
                recips = [p for c in verb.children if c.dep_ == "xcomp"
                          for p in self.parties.actors_in(c.subtree, index, si, r.place_ok)]
            else:
                hosts = [verb, *([dobj] if dobj is not None else [])]
                recips = [p for h in hosts for pobj in self.parties.prep_objects(h, (slot,))
                          for p in self.parties.np(pobj, index, sents, si, allow_place=r.place_ok)]
            if recips:
                break
        if not recips and r.place_ok:  # "targeted hideouts in Iran": the place's country
            for pobj in self.parties.prep_objects(verb, PLACE_PREPS):
                recips = self.parties.np(pobj, index, sents, si, allow_place=True)
                if recips:
                    break
        if not recips and r.place_ok and r.recipient:  # "struck what it said were positions in Pakistan"
            below = [c for c in verb.children if c.dep_ == "ccomp"]
            # "fired missiles at targets in Iraq": the place below the target
            below += self.parties.prep_objects(verb, ("at", "on", "against", "into"))
            for t in [*([dobj] if dobj is not None else []), *below]:
                recips = recips or self.parties.place_below(t, index)
        sides = {p.mention.code for p in subjects if p.mention.code}
        if not recips and r.dyad_ok and subjects and passive is None and not (r.symmetric and len(sides) > 1):
            # ("X and Y met": one meets the other)
            recips = self.parties.dyad_fallback(verb, si, index, subjects)
            f.confidence -= 0.1
        if r.mode is None and dobj is not None:  # "fired missiles at": aerial
            f.mode = self.lexicon.mode_from_words(r.event, [t.lower_ for t in dobj.subtree])
        if r.subject == "recipient":  # "Japan received vaccines from Australia": the giver acts
            if not recips and dobj is not None:  # "a shipment of vaccines from Australia"
                recips = [p for t in dobj.subtree if t.dep_ == "prep" and t.lower_ in r.recipient
                          for pobj in t.children if pobj.dep_ == "pobj"
                          for p in self.parties.np(pobj, index, sents, si)]
            f.actor, recips = recips, f.actor
        f.actor = resolve(f.actor)
        recips = resolve(recips, [p.mention.code for p in f.actor])
        f.recipient = recips
        forces = self._mobilized(r.event, passive if passive is not None else dobj, index, sents, si)
        if passive is not None and not any(c.dep_ == "agent" for c in verb.children) and not r.third_party:
            # "was killed in a US strike": the nominal event carries the doer (and wins in _keep);
            # "12 protesters were detained": the doer is unknown, except for arrests and sentences,
            # whose implied agent is the state (see docs/events.md, "Passive events")
            if r.event in self.lexicon.unknown_agent_types and not f.recipient:
                f.recipient = resolve([p for pobj in self.parties.prep_objects(verb, ("to", "into"))
                                       for p in self.parties.np(pobj, index, sents, si, allow_place=True)])
            if r.event in self.lexicon.unknown_agent_types and f.recipient:
                f.actor = []  # "doses were delivered to Gaza": the aid is the event, its giver unknown
                f.confidence -= 0.15
                split_symmetric(f)
                return f
            if r.event not in self.lexicon.state_agent_types:
                return None  # "four soldiers were killed": no doer; the nominal event, if any, carries it
            if forces:  # "Moroccan soldiers were deployed": the forces moved are the actor
                f.actor = forces
                f.recipient = [p for p in f.recipient if all(p.mention is not q.mention for q in forces)]
            else:
                f.actor = self.parties.implied_state(verb, index)
            f.confidence -= 0.15
        elif forces and f.actor and all(p.mention.kind in ("country", "demonym") and not p.place
                                        and p.mention.sector in (None, "GOV") for p in f.actor):
            # "Uganda has deployed special forces to Juba": the state acts through the forces it moves
            codes = {p.mention.code for p in f.actor}
            if len(codes) == 1 and all(q.mention.code in codes or q.mention.country_how in ("place", "focus")
                                       for q in forces):
                sector = forces[0].mention.sector
                f.actor = [replace(p, mention=replace(p.mention, sector=sector)) for p in f.actor]
        split_symmetric(f)
        return f

    def _mobilized(self, event: str, target: Token | None, index: Mentions, sents: list[Span],
                   si: int) -> list[Party]:
        """The forces a mobilizing event moves ("deployed troops", "soldiers were sent"), when the
        type is one whose forces stand for its actor (``data/generic_actors.yaml``, passive_force)
        and every party of the phrase is a generic force of one sector; else none."""
        table = bundled_table()
        if target is None or event.lower() not in table.force_types:
            return []
        got = self.parties.np(target, index, sents, si)
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

    def _unknown_subject(self, verb: Token, index: Mentions, f: Found) -> list[Party]:
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
        return [Party(m)]

    def _coordinated_with_i(self, verb: Token, index: Mentions) -> list[Party]:
        """"Bajwa and I spoke": the parser often loses the name before "and I"; take it back."""
        doc = verb.doc
        for c in verb.children:
            if c.dep_ == "nsubj" and c.lower_ in self.lexicon.cues.first_person and c.i >= 2 \
                    and doc[c.i - 1].lower_ == "and" and doc[c.i - 2].i in index.actor \
                    and not any(x.dep_ == "conj" for x in c.children):
                return [Party(index.actor[doc[c.i - 2].i])]
        return []

    # -- adjectives ----------------------------------------------------------------------------
    @staticmethod
    def _complement_of(adj: Token, preps: tuple[str, ...], xcomp: bool) -> tuple[Token | None, str]:
        """The complement of an adjective and its head lemma: "ready to work" (xcomp), "open to
        initiatives", "concerned about the arrests" (a prepositional object among ``preps``)."""
        for c in adj.children:
            if c.dep_ == "xcomp" and xcomp:
                return c, c.lemma_.lower()
            if c.dep_ in ("prep", "agent") and c.lower_ in preps:  # "alarmed by the decision": an agent
                pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                if pobj is not None:
                    return c, pobj.lemma_.lower()
        return None, ""

    def adjective(self, adj: Token, sents: list[Span], si: int, index: Mentions) -> Found | None:
        """"Beijing was willing to play a role", "Iran is open to any initiative": stated intent."""
        readings = self.lexicon.adjective_readings(adj.lower_) or self.lexicon.adjective_readings(adj.lemma_)
        if not readings:
            return None
        for r in readings:
            comp, lemma = self._complement_of(adj, r.prep or ("to", "for"), xcomp=not r.prep)
            if comp is None or (r.objects and lemma not in r.objects):
                continue
            f = Found(r, adj, mode=r.mode, confidence=0.8)
            passive = next((c for c in adj.children if c.dep_ in ("nsubjpass", "nsubj")), None)
            if passive is not None:  # "the IRGC is prepared to work"
                f.actor = self.parties.np(passive, index, sents, si)
            elif adj.dep_ in ("acomp", "oprd", "xcomp", "ROOT", "conj"):
                f.actor = self.parties.subject(adj.head if adj.dep_ != "ROOT" else adj, index, sents, si)
            f.actor = resolve(f.actor)
            recips = self.parties.actors_in(comp.subtree, index, si, r.place_ok)
            if not recips and r.dyad_ok and f.actor:
                recips = self.parties.dyad_fallback(adj, si, index, f.actor)
                f.confidence -= 0.1
            f.recipient = resolve(recips, [p.mention.code for p in f.actor])
            return f
        return None


def _complement(c: Token) -> bool:
    """A "to"-clause of the verb: "refused to meet", "gave the envoy 72 hours to leave" (advcl)."""
    return c.dep_ in ("xcomp", "ccomp") or (c.dep_ == "advcl" and any(a.tag_ == "TO" for a in c.children))


QUANTITIES = frozenset({"some", "all", "most", "half", "part", "many", "several", "much", "rest", "bulk",
                        "majority", "portion", "dozens", "hundreds", "thousands", "scores", "each", "none",
                        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"})


def _partitive(tok: Token) -> list[Token]:
    """"some of its countermeasures", "half of its troops": the noun the quantity is of."""
    if tok.lower_ not in QUANTITIES and tok.pos_ != "NUM":
        return []
    return [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
            if g.dep_ == "pobj"]
