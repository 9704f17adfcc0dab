"""Threats said without a word of threatening: the speaker foretells what the other side will
suffer ("Israel will pay a heavy price", "the attack will not go unanswered", "any provocation
would be met with a tough response", "those responsible will face the consequences").

PLOVER (after CAMEO 13, "threaten") codes the statement as THREATEN by the speaker, the one who
will suffer as recipient. The clause needs a future or modal auxiliary ("will", "would") and a
verb of saying or warning above it whose subject is the speaker; the predicates are the cue list
``threat_predicates`` (``data/lexicon/cues.yaml``): "pay price", "face consequences", "meet
response" (read in the passive), "not go unanswered" (a leading "not" asks for a negation).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from detente.events.clauses import split_negated
from detente.events.found import Found, Mentions, resolve
from detente.events.lexicon import Lexicon, Trigger
from detente.events.modality import Modality
from detente.events.parties import Parties

SUBJECTS = ("nsubj", "nsubjpass")


class ModalThreats:
    """Finds the threats foretold in a sentence (see the module's text)."""

    def __init__(self, lexicon: Lexicon, parties: Parties) -> None:
        self.lexicon = lexicon
        self.parties = parties
        self.plain, self.negated = split_negated(lexicon.cues.threat_predicates)

    def find(self, sent: Span, sents: list[Span], si: int, index: Mentions) -> list[Found]:
        out: list[Found] = []
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX") or not self._modal(tok):
                continue
            neg = any(c.dep_ == "neg" or c.lower_ in self.lexicon.cues.negation
                      for c in tok.children if c.dep_ in ("neg", "advmod"))
            if not (self._phrases(tok) & (self.negated if neg else self.plain)):
                continue
            said = self._speech(tok)
            if said is None:
                continue
            actor = resolve(self.parties.subject(said, index, sents, si))
            if not actor:
                continue
            own = [p.mention.code for p in actor]
            recips = [p for c in tok.children if c.dep_ in SUBJECTS
                      for p in self.parties.np(c, index, sents, si)]
            if not recips:  # "any attack from Afghan territory will ...": the parties named in it
                recips = [p for c in tok.children if c.dep_ in SUBJECTS
                          for p in self.parties.actors_in(c.subtree, index, si, True)]
            recips = [p for p in resolve(recips, own) if p.mention.code not in own]
            if not recips:  # "will not tolerate any aggression from Afghanistan": the object names them
                recips = resolve([p for c in tok.children if c.dep_ in ("dobj", "prep", "xcomp")
                                  for p in self.parties.actors_in(c.subtree, index, si, True)
                                  if p.mention.code not in own], own)
            trig = Trigger(lemma=tok.lemma_.lower(), pos="verb", event="THREATEN", mode="warn",
                           context=("diplomatic",), recipient=(), recipient_optional=True,
                           dyad_ok=True, source="threat_predicates")
            f = Found(trig, tok, actor=actor, recipient=recips, mode="warn", confidence=0.75,
                      modality=Modality())
            if not f.recipient:
                f.recipient = self.parties.dyad_fallback(tok, si, index, actor)
            out.append(f)
        return out

    def _modal(self, verb: Token) -> bool:
        modals = self.lexicon.cues.commitment_modals | {"must", "could", "may", "might"}
        return any(c.dep_ in ("aux", "auxpass") and c.lower_ in modals for c in verb.children)

    @staticmethod
    def _phrases(verb: Token) -> set[str]:
        """The verb's lemma alone and with each of its object words: "pay price", "face
        consequences", "go unanswered", "meet response" ("would be met with a response")."""
        lemma = verb.lemma_.lower()
        out = {lemma}
        for c in verb.children:
            if c.dep_ in ("dobj", "acomp", "oprd", "attr"):
                out.add(f"{lemma} {c.lemma_.lower()}")
            elif c.dep_ in ("prep", "agent") and c.lower_ in ("with", "by"):
                out.update(f"{lemma} {g.lemma_.lower()}" for g in c.children if g.dep_ == "pobj")
        return out

    def _speech(self, verb: Token) -> Token | None:
        """The verb of saying or warning whose clause (or quote) the predicate is."""
        cues = self.lexicon.cues
        speech = cues.speech | cues.commitment_speech | {"warn", "threaten"}
        tok = verb
        for _ in range(4):
            if tok.dep_ not in ("ccomp", "conj", "parataxis", "advcl") or tok.head is tok:
                return None
            tok = tok.head
            if tok.lemma_.lower() in speech:
                return tok
        return None

