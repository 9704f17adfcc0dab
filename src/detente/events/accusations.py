"""Accusations made without a verb of accusing: a wrong that the speaker says another party has
done ("Kyiv said Russia had violated the ceasefire", "Seoul said Pyongyang was meddling in its
affairs", "Lebanon had not enforced the agreement, Israel said"), a verdict on another's act
("Beijing said the drills were provocative"), or a name for it ("Mali called the decision
outrageous", "described the visit as a provocation").

PLOVER (after CAMEO 11, "disapprove", and 112, "accuse") codes the statement as ACCUSE by the
speaker, the one blamed as recipient. The words are the cue lists ``wrongdoing_verbs`` (a leading
"not" asks for a negated verb: "not enforce", "not comply") and ``disapproval_words``
(``data/lexicon/cues.yaml``). A reported wrong that is future, modal or conditional ("X would
violate") is a prediction, not a charge, and is not coded.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from detente.events.clauses import split_negated
from detente.events.found import Found, Mentions, Party, resolve
from detente.events.lexicon import Lexicon, Trigger
from detente.events.modality import Modality
from detente.events.parties import Parties

SUBJECTS = ("nsubj", "nsubjpass")
CLAIM_VERBS = frozenset({"claim", "charge", "allege", "assert", "contend", "argue", "complain", "maintain",
                         "insist", "say", "state", "tell", "add", "declare", "note", "write", "tweet",
                         "post", "warn", "stress", "accuse"})
# what is said of a claim rejects it: "called the accusations baseless"
CLAIMS = frozenset({"accusation", "allegation", "claim", "charge", "report", "assertion", "suggestion",
                    "remark", "comment", "statement", "rumour", "rumor", "story", "speculation"})
NAMING_VERBS = frozenset({"call", "describe", "brand", "term", "label", "characterise", "characterize",
                          "dub", "deem", "consider"})


class Accusations:
    """Finds the accusations of a sentence that no accusing verb carries (see the module's text)."""

    def __init__(self, lexicon: Lexicon, parties: Parties) -> None:
        self.lexicon = lexicon
        self.parties = parties
        self.plain, self.negated = split_negated(lexicon.cues.wrongdoing_verbs)
        self.words = lexicon.cues.disapproval_words

    def find(self, sent: Span, sents: list[Span], si: int, index: Mentions) -> list[Found]:
        out: list[Found] = []
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX"):
                continue
            got = self._named(tok, sents, si, index) if tok.lemma_.lower() in NAMING_VERBS else \
                self._reported(tok, sents, si, index)
            if got is not None:
                out.append(got)
        return out

    # -- "X said Y had violated ...", "X said the drills were provocative" ----------------------
    def _reported(self, verb: Token, sents: list[Span], si: int, index: Mentions) -> Found | None:
        said = self._speech(verb)
        if said is None or self._hedged(verb):
            return None
        neg = any(c.dep_ == "neg" for c in verb.children)
        lemma = verb.lemma_.lower()
        if lemma == "be" or verb.pos_ == "AUX":  # "the drills were provocative"
            pred = [c for c in verb.children if c.dep_ in ("acomp", "attr")]
            behind = any(c.dep_ == "prep" and c.lower_ == "behind" for c in verb.children)
            if neg or not (behind or any(self._disapproving(c) for c in pred)):
                return None  # "the drills were provocative", "Washington was behind the protests"
        elif lemma not in (self.negated if neg else self.plain):
            return None
        actor = resolve(self.parties.subject(said, index, sents, si))
        if not actor:
            return None
        own = {p.mention.code for p in actor}
        subj = [c for c in verb.children if c.dep_ in SUBJECTS]
        if any(c.lemma_.lower() in CLAIMS for c in subj):
            return None  # "said the allegations were absurd": a denial, not a charge
        recips = [p for c in subj for p in self.parties.np(c, index, sents, si) if p.mention.code not in own]
        if not recips:  # "China's military activities were provocative": the owner of the act
            recips = [p for c in subj for p in self.parties.actors_in(c.subtree, index, si, False)
                      if p.mention.code not in own]
        if not recips and (lemma != "be" or not subj or subj[0].pos_ == "PRON"):
            return None  # a wrong of no one named: no charge against anyone
        return self._found(verb, actor, recips, si, index, "disapprove" if lemma == "be" else "allege")

    # -- "called the decision outrageous", "described the visit as a provocation" ---------------
    def _named(self, verb: Token, sents: list[Span], si: int, index: Mentions) -> Found | None:
        kids = list(verb.children)
        dobj = next((c for c in kids if c.dep_ == "dobj"), None)
        names = [c for c in kids if c.dep_ in ("oprd", "ccomp", "xcomp")]
        names += [g for c in kids if c.dep_ == "prep" and c.lower_ == "as"
                  for g in c.children if g.dep_ == "pobj"]
        if dobj is None or not any(self._disapproving(n) for n in names) or self._hedged(verb) or \
                dobj.lemma_.lower() in CLAIMS:
            return None  # "called the accusations baseless" rejects a charge (REJECT), accuses no one
        actor = resolve(self.parties.subject(verb, index, sents, si))
        if not actor:
            return None
        own = {p.mention.code for p in actor}
        recips = [p for p in self.parties.actors_in(dobj.subtree, index, si, False)
                  if p.mention.code not in own]
        return self._found(verb, actor, recips, si, index, "disapprove")

    def _found(self, verb: Token, actor: list[Party], recips: list[Party], si: int, index: Mentions,
               mode: str) -> Found:
        trig = Trigger(lemma=verb.lemma_.lower(), pos="verb", event="ACCUSE", mode=mode,
                       context=("diplomatic",), recipient=(), recipient_optional=True, dyad_ok=True,
                       source="wrongdoing_verbs")
        f = Found(trig, verb, actor=actor, recipient=resolve(recips), mode=mode, confidence=0.7,
                  modality=Modality())
        if not f.recipient:
            f.recipient = self.parties.dyad_fallback(verb, si, index, actor)
        return f

    def _disapproving(self, tok: Token) -> bool:
        words = {tok.lemma_.lower(), tok.lower_}
        words |= {f"{c.lower_} {tok.lower_}" for c in tok.children if c.dep_ in ("amod", "compound")}
        return bool(words & self.words) or any(c.dep_ == "conj" and self._disapproving(c)
                                               for c in tok.children)

    def _hedged(self, verb: Token) -> bool:
        """Future, modal or conditional: "Y would violate", "if Y breaches" predict no wrong done."""
        cues = self.lexicon.cues
        return any((c.dep_ == "aux" and c.tag_ == "MD") or (c.dep_ == "mark" and c.lower_ in cues.conditional)
                   for c in verb.children)

    def _speech(self, verb: Token) -> Token | None:
        """The verb of saying whose reported clause ``verb`` heads (or is joined to)."""
        tok = verb
        if tok.dep_ == "conj" and tok.head.dep_ == "ccomp":
            tok = tok.head
        if tok.dep_ != "ccomp" or tok.head is tok:
            return None
        gov = tok.head
        return gov if gov.lemma_.lower() in CLAIM_VERBS | self.lexicon.cues.speech else None
