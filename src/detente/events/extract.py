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

The orchestrator lives here (``EventExtractor``: each sentence's tokens to the readings, the
passes over what a sentence found, the filters and the output); the parts live in
events/clauses.py (parse helpers), events/found.py (what is found), events/parties.py (the
parties of a trigger), events/verbs.py and events/nouns.py (the readings).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from spacy.tokens import Doc, Span, Token

from detente.actors.generic import bundled_table
from detente.events.accusations import Accusations
from detente.events.clauses import (
    ANY_PREP,
    background,
    clause_argument,
    named_as_reason,
    recalled,
    same_line,
    told_before,
)
from detente.events.code import Coder
from detente.events.found import (
    Found,
    Mentions,
    Party,
    actor_ref,
    party_key,
    resolve,
    split_symmetric,
    unique,
)
from detente.events.lexicon import Lexicon, Trigger
from detente.events.modality import Modality, commitment_of, modality_of
from detente.events.nouns import NounReadings
from detente.events.parties import Parties
from detente.events.threats import ModalThreats
from detente.events.verbs import VerbReadings
from detente.model import Article, Event, Mention


class EventExtractor:
    """Finds events in a parsed article; see the module docstring."""

    def __init__(self, lexicon: Lexicon, coder: Coder) -> None:
        self.lexicon = lexicon
        self.coder = coder
        self.third_party_verbs = frozenset(
            lemma for lemma, readings in lexicon.verbs.items() if any(r.third_party for r in readings))
        self.parties = Parties(lexicon)
        self.verbs = VerbReadings(lexicon, self.parties)
        self.nouns = NounReadings(lexicon, coder, self.parties, self.third_party_verbs)
        self.threats = ModalThreats(lexicon, self.parties)
        self.accusations = Accusations(lexicon, self.parties)

    # -- public --------------------------------------------------------------------------------
    def extract(self, doc: Doc, article: Article, mentions: Sequence[Mention]) -> list[Event]:
        index = Mentions(doc, mentions)
        sents = list(doc.sents)
        events: list[Event] = []
        for si, sent in enumerate(sents):
            found: list[Found] = []
            responses: list[Found] = []  # "would respond": coded only as a threat (_commitments)
            for tok in sent:
                f = None
                if tok.dep_ == "amod" and tok.tag_ == "VBG":
                    continue  # "struck withdrawing fighters": a participle naming the fighters, no event
                if tok.pos_ == "ADJ" or tok.tag_ in ("JJ", "VBN"):
                    f = self.verbs.adjective(tok, sents, si, index)
                if f is not None:
                    pass
                elif tok.pos_ in ("VERB", "AUX") or (tok.tag_.startswith("VB") and tok.pos_ != "NOUN"):
                    f = self.verbs.verb(tok, sents, si, index)
                elif tok.pos_ in ("NOUN", "PROPN"):
                    f = self.nouns.noun(tok, sents, si, index)
                if f is not None:
                    found.append(f)
                elif tok.pos_ == "VERB" and self._response_word(tok):
                    responses.append(self._response(tok, sents, si, index))
            found = self._aid_arrivals(self._agreed_acts(self._protest_demands(found), sent), index)
            found.extend(self._commitments([*found, *responses], sent, sents, si, index))
            found.extend(self.threats.find(sent, sents, si, index))
            found.extend(self.accusations.find(sent, sents, si, index))
            index.mediators.update(p.mention.code for f in found for p in f.mediator if p.mention.code)
            kept = self._keep(found, index)
            told = {t for f in kept for t in told_before(f, events, self.lexicon)}
            events.extend(self._finish(f, sent, si, article) for f in kept if f.token.i not in told)
        return [e for e in events if e is not None]

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
                   for t in [subj, *self.parties.prep_objects(subj, ("of",))])

    def _protest_demands(self, found: list[Found]) -> list[Found]:
        """A demand made by protesters is their protest, not a second event: "marched through the
        capital demanding his resignation" is one PROTEST (the participle's REQUEST is dropped),
        and "thousands of demonstrators demanded his resignation" is coded PROTEST; a call
        addressed to someone ("protesters called on lawmakers to extend benefits") stays REQUEST."""
        protests = {f.token.i for f in found if f.trigger.event == "PROTEST"}
        out: list[Found] = []
        for f in found:
            tok = f.token
            festive = self.lexicon.cues.celebration_verbs
            if f.trigger.event == "PROTEST" and any(
                    c.dep_ in ("xcomp", "advcl") and c.lemma_.lower() in festive for c in tok.children):
                continue  # "crowds took to the streets to celebrate": a celebration, not a protest
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

    def _aid_arrivals(self, found: list[Found], index: Mentions) -> list[Found]:
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

    def _agreed_acts(self, found: list[Found], sent: Span) -> list[Found]:
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

    def _keep(self, found: list[Found], index: Mentions) -> list[Found]:
        out: list[Found] = []
        for f in found:
            # a headline glued to the next line by the parser: participants stay on the trigger's line
            lost = [p for p in (*f.actor, *f.mediator) if not same_line(f.token, p.mention)]
            for attr in ("actor", "recipient", "mediator"):
                setattr(f, attr, [p for p in getattr(f, attr) if same_line(f.token, p.mention)])
            if lost and not (f.mediator if f.trigger.third_party else f.actor):
                # the doer then is the name that opens the trigger's line ("Pakistan, wary ..., has offered")
                opener = self.parties.line_opener(f.token, index)
                if opener is not None:
                    setattr(f, "mediator" if f.trigger.third_party else "actor", [opener])
            f.actor = [p for p in unique(f.actor) if not p.place]
            act = {party_key(p) for p in f.actor}
            codes = {p.mention.code for p in f.actor if p.mention.code and p.mention.country_how is None}
            # a recipient whose country is only guessed (a generic actor coded by the place or the
            # focus country) that equals the actor's is no other side, unless its sector makes it one
            # ("Kenyan police detained protesters": police and civilians of one country)
            sectors = {p.mention.sector for p in f.actor}
            f.recipient = [p for p in unique(f.recipient) if party_key(p) not in act and not (
                (p.mention.country_how in ("place", "focus") or p.place) and p.mention.code in codes
                and (p.mention.sector is None or p.mention.sector in sectors))]
            med_keys = {party_key(p) for p in f.mediator}
            f.mediator = [p for p in unique(f.mediator) if not p.place and p.mention.code]
            # generic and unknown actors are kept with their text and sector (no country needed)
            f.actor = [p for p in f.actor if p.mention.code or p.mention.sector or p.mention.kind]
            f.recipient = [p for p in f.recipient if p.mention.code or p.mention.sector]
            if not f.actor and f.trigger.event in self.lexicon.civilian_actor_types and not self._flagged(f) \
                    and clause_argument(f.token):
                f.actor = self.parties.implied_civilians(f, index)  # "protests broke out in Lagos"
            if not f.actor and not f.recipient:
                continue  # no participant at all: "the talks", "an attack" named in passing
            if not f.actor and ((f.trigger.pos not in ("noun",) and not f.passive) or self._flagged(f)):
                continue  # "someone attacked Iran", "denied any attack on X": no doer to report
            summary = self.lexicon.cues.background_modifiers
            if f.trigger.pos == "noun" and any(c.dep_ == "amod" and c.lower_ in summary
                                               for c in f.token.children):
                continue  # "recent meetings between X and Y have focused on ...": a summary, no new event
            if f.trigger.pos == "verb" and any(c.dep_ == "dobj" and any(
                    a.dep_ == "amod" and a.lower_ in summary for a in c.children) for c in f.token.children):
                continue  # "thanked Oman for hosting earlier rounds of dialogue": the same summary
            if f.modality is None and recalled(f.token):
                continue  # "the reform that had set off riots", "which had joined the boycott": told before
            if f.trigger.pos == "noun" and named_as_reason(f.token):
                continue  # "in retaliation for weeks of attacks by X": the earlier happening, a reason
            if f.trigger.pos == "noun" and background(f.token, self.lexicon.cues.presupposing_preps) and \
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
            if f.mediator and (act & med_keys or {party_key(p) for p in f.recipient} & med_keys):
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
                 for p in self.parties.prep_objects(f.token, f.trigger.prep or ANY_PREP)}
        out = [f for f in out if not (f.trigger.pos == "noun" and f.token.i in taken)]
        # one event per type and dyad in a sentence: keep the most informative one; an event whose
        # parties are a part of another's of the same type ("signed" X -> ?, "memorandum" X -> Y;
        # "were killed" ? -> Y, "strike by X" X -> Y) is the same event
        def side(ps: list[Party]) -> frozenset[str]:
            return frozenset(map(str, (party_key(p) for p in ps)))

        # "the attack killed two children": a verb whose subject is an event of its type is that event
        tokens = {(f.token.i, f.trigger.event): f for f in out}
        out = [f for f in out if not (f.trigger.pos == "verb" and any(
            c.dep_ in ("nsubj", "nsubjpass") and (c.i, f.trigger.event) in tokens and c.i != f.token.i
            for c in f.token.children))]

        best: dict[tuple[str, frozenset[str], frozenset[str]], Found] = {}
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

    def _flagged(self, f: Found) -> bool:
        mod = self._modality(f)
        return mod.negated or mod.hypothetical

    def _modality(self, f: Found) -> Modality:
        return f.modality if f.modality is not None else modality_of(f.token, f.token.sent, self.lexicon.cues)

    # -- statements of intent ------------------------------------------------------------------
    def _response_word(self, tok: Token) -> bool:
        words = self.lexicon.cues.response_verbs
        lemma = tok.lemma_.lower()
        return lemma in words or any(c.dep_ in ("prt", "advmod") and f"{lemma} {c.lower_}" in words
                                     for c in tok.children)

    def _response(self, verb: Token, sents: list[Span], si: int, index: Mentions) -> Found:
        """"Moscow would respond": a THREATEN candidate, kept only when promised or vowed."""
        trig = Trigger(lemma=verb.lemma_.lower(), pos="verb", event="THREATEN", recipient=("to", "against"),
                       dyad_ok=True, source="response_verbs")
        f = Found(trig, verb, confidence=0.8)
        f.actor = resolve(self.parties.subject(verb, index, sents, si))
        f.recipient = resolve([p for pobj in self.parties.prep_objects(verb, ("to", "against"))
                                for p in self.parties.np(pobj, index, sents, si)],
                              [p.mention.code for p in f.actor])
        return f

    def _commitments(self, found: Sequence[Found], sent: Span, sents: list[Span], si: int,
                     index: Mentions) -> list[Found]:
        """Statements of intent coded as PLOVER codes them: an event promised by its actor ("said it
        would cooperate", "pledged to pull back", "offered to help") is an AGREE, one of force or
        punishment promised or vowed ("would take countermeasures", "vowed to continue the strikes",
        "has the right to retaliate") a THREATEN, a cooperative one refused ("said he would not
        resign") a REJECT. The event itself stays flagged; the statement is a new event with the
        same parties, unflagged. A de-escalation the actor announces ("said it would lift the
        sanctions", "would reopen its airspace") is the decision itself: it is coded unflagged as
        its own type (``announced_types``); so is a verbal act promised ("vowed to veto the bill",
        ``verbal_types``). The cue lists are in cues.yaml (commitment_*, *_types)."""
        cues = self.lexicon.cues
        out: list[Found] = []
        for f in found:
            if f.trigger.third_party or f.modality is not None:
                continue
            if not f.actor and f.trigger.pos == "noun":  # "the Houthis said attacks on Israel would continue"
                told = commitment_of(f.token, cues)
                if told is not None and told.speech and told.governor is not None and \
                        f.token.dep_ == "nsubj" and f.token.head.lemma_.lower() in cues.occurrence_verbs:
                    f.actor = resolve(self.parties.subject(told.governor, index, sents, si))
            if not f.actor:
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
            if c.kind == "promise" and etype in cues.verbal_types and not mod.negated:
                f.modality = Modality()  # "vowed to veto the bill": saying so is the rejection
                continue
            hostile = response or etype in cues.threat_types
            new = {"threat": "THREATEN", "right": "THREATEN" if hostile else None,
                   "refusal": "REJECT" if etype in cues.promise_types and not response else None,
                   "promise": "THREATEN" if hostile else
                   "AGREE" if etype in cues.promise_types else None}[c.kind]
            if new is None:
                continue
            if c.speech and c.governor is not None:
                speakers = self.parties.subject(c.governor, index, sents, si)
                said = {p.mention.code for p in speakers}
                subj = [k for k in c.governor.children if k.dep_ == "nsubj"]
                guessed = all(p.mention.country_how is not None for p in speakers) and (
                    bool(speakers) or any(k.lemma_.lower() in cues.person_nouns for k in subj))
                if not said & {p.mention.code for p in f.actor} and not guessed:
                    continue  # "Pakistan said India would attack": no threat by India (a spokesperson
                    # whose country is only guessed may speak for the actor: "a ministry spokesperson
                    # said Beijing would take countermeasures")
            if c.quote and not any(p.speaker for p in f.actor):
                continue
            if c.kind == "promise" and (c.speech or c.quote) and etype in cues.announced_types:
                f.modality = Modality()  # "Cuba said it would release 553 prisoners": the decision is the act
                continue
            trig = replace(f.trigger, event=new, mode=None, symmetric=new == "AGREE", needs_recipient=False,
                           recipient_optional=True, third_party=False)
            d = Found(trig, f.token, actor=list(f.actor), recipient=list(f.recipient),
                       confidence=f.confidence - 0.1, modality=Modality())
            split_symmetric(d)  # "Thailand and Cambodia pledged to pull back": one to the other
            if not d.recipient:
                d.recipient = self.parties.dyad_fallback(f.token, si, index, f.actor)
            out.append(d)
        return out

    def _no_recipient(self, f: Found, index: Mentions) -> list[Party]:
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
        return [Party(m)]

    def _domestic(self, f: Found, index: Mentions) -> list[Party]:
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
        return [Party(m)]

    def _finish(self, f: Found, sent: Span, si: int, article: Article) -> Event:
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
            actor=[actor_ref(p) for p in f.actor], recipient=[actor_ref(p) for p in f.recipient],
            mediator=[actor_ref(p) for p in f.mediator],
            trigger=text, trigger_start=tok.idx, trigger_end=trigger_end,
            mode=f.mode, context=list(f.trigger.context),
            confidence=round(max(0.05, min(1.0, f.confidence)), 2),
            negated=mod.negated, hypothetical=mod.hypothetical, modality=mod.kind,
        )
        self.coder.code(ev)
        return ev
