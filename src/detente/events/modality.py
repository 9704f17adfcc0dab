"""What did not (or not yet) happen: negation, failure, hypotheticals, expectations, questions.

An event found under a negation, a denial or a failure ("failed to agree") is flagged
``negated``; one under a modal ("could facilitate", "will meet"), a condition ("if"), an
expectation or intention ("is expected to", "plans to"), a right ("the right to retaliate"), an
allegation ("accused Y of attacking"), or in a question is flagged ``hypothetical``.
:attr:`Modality.kind` names the first cue found: ``negated``, ``failed``, ``denied``,
``future``, ``modal``, ``conditional``, ``intent``, ``expected``, ``right``, ``alleged``,
``question`` or ``hypothetical`` (another governor). The cue words come from
``data/lexicon/cues.yaml`` (:class:`~detente.events.lexicon.Cues`).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from detente.events.lexicon import Cues

# dependency labels that join a noun or a complement to the word it belongs to (climbed through)
_NOMINAL = frozenset({"dobj", "pobj", "prep", "nsubj", "nsubjpass", "attr", "compound", "amod", "appos",
                      "pcomp", "agent", "dative", "npadvmod", "oprd", "poss", "nmod", "acomp"})
# clause links whose governor's modality carries over to the clause
_CONTROL = frozenset({"xcomp", "ccomp", "advcl", "conj", "acl", "relcl", "csubj"})


@dataclass(frozen=True)
class Modality:
    negated: bool = False
    hypothetical: bool = False
    kind: str | None = None  # see the module docstring; None when the event happened


def _governor_kind(lemma: str, cues: Cues) -> str:
    if lemma in cues.right_governors:
        return "right"
    if lemma in cues.intent_governors:
        return "intent"
    if lemma in cues.expectation_governors:
        return "expected"
    return "hypothetical"


def _negates(tok: Token, cues: Cues) -> bool:
    for c in tok.children:
        if c.dep_ == "neg":
            return True
        if c.lower_ in cues.negation and c.dep_ in ("advmod", "det", "preconj", "neg"):
            return True
        # "no longer"
        if c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children):
            return True
    return False


def finite_past(tok: Token) -> bool:
    """A finite verb of its own: "accused" (VBD, or a VBN the tagger chose, with no auxiliary)."""
    return tok.tag_ in ("VBD", "VBZ") or (tok.tag_ == "VBN" and not any(
        c.dep_ in ("aux", "auxpass") for c in tok.children))


def _hedges(tok: Token, cues: Cues) -> str | None:
    """The kind of hedge on ``tok`` itself: a modal, a condition, a hedging adverb; else None."""
    for c in tok.children:
        if c.dep_ in ("aux", "auxpass") and c.lower_ in cues.modals:
            return "future" if c.lower_ in cues.future_modals else "modal"
        if c.dep_ == "mark" and c.lower_ in cues.conditional:
            return "conditional"
        if c.dep_ == "advmod" and c.lower_ in cues.hypothetical_adverbs:
            return "modal"
    return None


def _clause_break(tok: Token, gov: Token) -> bool:
    """A semicolon stands between ``tok`` and ``gov``: two clauses the parser joined."""
    lo, hi = sorted((tok.i, gov.i))
    return any(t.text == ";" for t in tok.doc[lo + 1:hi])


def _has_subject(tok: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in tok.children)


def modality_of(trigger: Token, sent: Span, cues: Cues) -> Modality:
    """Flags for the event whose trigger is ``trigger`` (a verb or an event noun)."""
    neg_kind: str | None = "negated" if _negates(trigger, cues) else None
    hyp_kind = _hedges(trigger, cues)
    if trigger.pos_ in ("NOUN", "PROPN") and hyp_kind is None:
        hedged = {c.lower_ for c in trigger.children if c.dep_ in ("amod", "compound")}
        if hedged & cues.hypothetical_modifiers:
            hyp_kind = "hypothetical"
    if hyp_kind is None and sent.text.rstrip().rstrip("\"'\u201d\u2019)").endswith("?"):
        hyp_kind = "question"
    tok = trigger
    # climb from the trigger to the clauses that govern it
    for _ in range(12):
        if tok.dep_ == "ROOT" or tok.head is tok:
            break
        dep = tok.dep_
        gov = tok.head
        if dep == "prep" and tok.lower_ in cues.presupposing_preps:
            break  # "after the strike", "following the talks": background, not under the clause's modality
        if dep in _CONTROL and _clause_break(tok, gov):
            break  # "aircraft struck positions; the army claimed ...": a new clause, misparsed as below
        if dep == "conj" and finite_past(tok) and _hedges(gov, cues) is not None:
            break  # "said X should not ... and rejected the charge": a finite verb no modal governs
        if dep == "advcl" and tok.tag_ == "VBG" and gov.dep_ == "ccomp" and tok.i > gov.i and \
                any(c.dep_ == "punct" and c.i < tok.i for c in tok.head.children if c.i > gov.i) and \
                _hedges(gov, cues) is not None:
            break  # "said Moscow would respond, accusing Chisinau of ...": the speaker's participle
        if dep in _NOMINAL or dep in _CONTROL:
            lemma = gov.lemma_.lower()
            if dep in ("xcomp", "ccomp", "advcl", "acl", "pcomp", "pobj", "prep", "dobj", "acomp", "attr"):
                if lemma in cues.failure and dep in ("xcomp", "acomp", "acl", "prep", "pobj", "pcomp"):
                    neg_kind = neg_kind or "failed"
                participle = dep == "acl" and tok.tag_ in ("VBG", "VBN")  # "an order imposing tariffs"
                if lemma in cues.hypothetical_governors and dep in ("xcomp", "acomp", "ccomp", "acl") and \
                        not participle:
                    hyp_kind = hyp_kind or _governor_kind(lemma, cues)
                if lemma in cues.hypothetical_governors and dep == "prep" and gov.pos_ == "NOUN" and \
                        tok.lower_ in ("for", "of", "on"):  # "the deadline for Israel's withdrawal"
                    hyp_kind = hyp_kind or _governor_kind(lemma, cues)
                if dep == "prep" and tok.lower_ == "to" and any(c.dep_ == "advmod" and c.lower_ == "forward"
                                                                for c in gov.children):
                    hyp_kind = hyp_kind or "intent"  # "looked forward to meeting his counterpart"
                if lemma in cues.proposing_verbs and (dep == "dobj" or (  # "proposed joint exercises"
                        dep == "prep" and gov.pos_ == "VERB" and tok.lower_ in ("on", "for"))):  # "agreed on"
                    hyp_kind = hyp_kind or "intent"
                if lemma in cues.allegation and dep not in ("nsubj", "nsubjpass"):
                    hyp_kind = hyp_kind or "alleged"
                if lemma in cues.denial and dep not in ("nsubj", "nsubjpass"):
                    neg_kind = neg_kind or "denied"
            if dep in ("relcl", "acl") and gov.pos_ in ("NOUN", "PROPN", "PRON"):
                if lemma in cues.right_governors:  # "the right to retaliate"
                    hyp_kind = hyp_kind or "right"
                break  # a relative clause keeps its own modality
            if dep in ("advcl", "ccomp", "conj") and _has_subject(tok):
                break  # a finite clause with its own subject keeps its own modality
            if dep != "conj" and neg_kind is None and _negates(gov, cues) and \
                    gov.pos_ in ("VERB", "AUX", "ADJ"):
                neg_kind = "negated"
            hyp_kind = hyp_kind or _hedges(gov, cues)
            tok = gov
            continue
        break
    return Modality(negated=neg_kind is not None, hypothetical=hyp_kind is not None,
                    kind=neg_kind or hyp_kind)


@dataclass(frozen=True)
class Commitment:
    """What an actor says it will (or will not) do: PLOVER codes the statement, not the act.

    ``kind``: ``promise`` ("pledged to withdraw", "said it would cooperate"), ``refusal`` ("said it
    would not resign") or ``threat`` ("threatened to pull out"). ``governor``: the verb that
    carries it (the speech or commitment verb); ``speech``: found through a verb of saying, so its
    subject must be the event's actor ("Pakistan said India would attack" is no threat by India);
    ``quote``: a first-person future inside a quote ("We will respond"), whose speaker must act.
    """

    kind: str
    governor: Token | None
    speech: bool = False
    quote: bool = False


def _future(tok: Token, cues: Cues) -> bool:
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in cues.commitment_modals for c in tok.children)


def commitment_of(trigger: Token, cues: Cues) -> Commitment | None:
    """The commitment that makes the event under ``trigger`` a statement of intent, if any.

    Climbs from the trigger through objects and ``to``-clauses to a commitment or threat verb
    ("vowed to", "offered to", "threatened to"), or, when a future modal ("will", "would") stands
    on the way, to the verb of saying that reports it ("said it would cooperate"). A condition
    ("if"), an expectation or a question on the way is no commitment.
    """
    tok = trigger
    future = negated = joined = False
    for _ in range(8):
        if any(c.dep_ == "mark" and c.lower_ in cues.conditional for c in tok.children):
            return None
        if tok.pos_ in ("VERB", "AUX", "ADJ") and not joined:  # "did not cover X and that Y would ...":
            future = future or _future(tok, cues)  # the first conjunct's modals are its own
            negated = negated or _negates(tok, cues)
        joined = tok.dep_ == "conj" and tok.pos_ in ("VERB", "AUX") and future
        dep, gov = tok.dep_, tok.head
        if dep == "ROOT" or gov is tok:
            break
        lemma = gov.lemma_.lower()
        if dep in ("xcomp", "acl") and lemma in cues.threat_governors:
            return Commitment("threat", gov)
        if dep in ("xcomp", "acl") and lemma in cues.commitment_governors and not negated:
            return Commitment("promise", gov)
        if dep in ("ccomp", "conj") and lemma in (cues.speech | cues.commitment_speech) and future:
            return Commitment("refusal" if negated else "promise", gov, speech=True)
        if dep in ("acl", "relcl") and lemma in cues.right_governors:
            return Commitment("right", gov)  # "the right to retaliate": a threat when its act is force
        if dep == "xcomp" and lemma in ("authorize", "authorise"):
            return Commitment("right", gov)  # "authorised security forces to shoot to kill"
        if dep in ("xcomp", "ccomp", "advcl", "relcl", "acl", "csubj") and \
                lemma in cues.hypothetical_governors:
            return None  # "expected to", "plans to": not said to be done
        if dep in ("dobj", "pobj", "prep", "xcomp", "conj", "compound", "amod", "pcomp") or (
                dep == "nsubj" and lemma in cues.occurrence_verbs):  # "said the attacks would continue"
            tok = gov
            continue
        break
    if future and any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in cues.first_person
                      for c in tok.children):
        return Commitment("refusal" if negated else "promise", None, quote=True)
    return None
