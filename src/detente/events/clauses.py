"""Clause and token helpers over the spaCy parse that event extraction shares: the dependency
labels and prepositions it looks for, the base forms of a verb, conjuncts and left-hand phrases,
and the tests for background phrases, recalled past events and clause arguments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from spacy.tokens import Token

from detente.model import Event, Mention
from detente.nlp import line_is_boundary

if TYPE_CHECKING:
    from detente.events.found import Found
    from detente.events.lexicon import Lexicon

SUBJ = ("nsubj", "nsubjpass", "csubj")
# determiners that point back to a happening told before ("signed the pact", "this agreement")
ANAPHORIC = frozenset({"the", "this", "that", "these", "those"})
PLACE_PREPS = ("in", "on", "into", "inside", "at", "near", "against")
ANY_PREP = ("in", "on", "into", "to", "at", "for", "from", "of", "with", "against", "out", "off", "down",
             "up")
# a city before an event noun names it ("the Doha agreement", "the Astana talks"); it is no actor
NAMING_KINDS = frozenset({"capital", "seat", "city", "place"})
THING_KINDS = frozenset({"country", "organisation", "igo", "group", "capital"})  # what "it" may stand for
# dependency labels inside a noun phrase (climbed to find the phrase's role in its clause)
WITHIN_NP = frozenset({"compound", "amod", "poss", "flat", "appos", "conj", "nmod"})


def forms(tok: Token) -> set[str]:
    """The lemma of a verb and the base forms its surface may have: the lemmatiser now and then
    misses one ("staged" -> "stag"), and a light verb or a reading must still be found."""
    low = tok.lower_
    out = {tok.lemma_.lower(), low}
    for end, cut, add in (("ied", 3, "y"), ("ed", 2, ""), ("ed", 1, ""), ("ing", 3, ""), ("ing", 3, "e"),
                          ("es", 2, ""), ("s", 1, "")):
        if low.endswith(end) and len(low) - cut >= 3:
            out.add(low[:-cut] + add)
    return out


def person_like(m: Mention, person_nouns: frozenset[str]) -> bool:
    words = m.text.lower().split()
    return m.kind == "person" or m.how == "title" or bool(words and words[-1] in person_nouns)


def conjuncts(tok: Token) -> list[Token]:
    """``tok`` and the tokens conjoined to it ("Rouhani, Zarif and Bagheri")."""
    out = [tok]
    stack = [c for c in tok.children if c.dep_ == "conj" or listed_appos(c)]
    while stack:
        c = stack.pop(0)
        out.append(c)
        stack.extend(x for x in c.children if x.dep_ == "conj" or listed_appos(x))
    return out


def left_phrase(tok: Token) -> list[Token]:
    """A modifier and its conjuncts with what stands left of them ("Saudi and Iranian", "Pakistan's
    army"), leaving out what hangs to the right ("(R) speaking with ...")."""
    out: list[Token] = []
    for t in [tok, *(c for c in tok.children if c.dep_ == "conj")]:
        out.extend(u for u in t.subtree if u.i <= t.i)
    return out


def same_line(tok: Token, m: Mention) -> bool:
    lo, hi = min(tok.idx, m.char_start), max(tok.idx, m.char_end)
    return not line_is_boundary(tok.doc, lo, hi)


def listed_appos(tok: Token) -> bool:
    """An apposition that is really a list item ("met Rouhani, Zarif and Bagheri")."""
    return tok.dep_ in ("appos", "nmod") and any(c.dep_ == "conj" for c in tok.children) and \
        any(c.dep_ == "cc" for c in tok.children)


def background(tok: Token, preps: frozenset[str]) -> bool:
    """``tok`` (an event noun) sits in a background phrase: "after the strike", "amid clashes",
    "since the protests began" ("after days of fighting" reports the fighting: kept)."""
    while tok.dep_ in ("conj", "compound") and tok.head is not tok:
        tok = tok.head
    if tok.dep_ == "nsubj" and tok.head.dep_ == "advcl":  # "since the protests began"
        return any(c.dep_ == "mark" and c.lower_ in preps for c in tok.head.children)
    return tok.dep_ == "pobj" and tok.head.lower_ in preps


# "in retaliation for X", "in response to X": X is the earlier happening, named as a reason
REASON_NOUNS = frozenset({"retaliation", "response", "revenge", "reprisal", "answer", "retribution"})
SPANS = frozenset({"weeks", "days", "months", "years", "hours", "series", "wave", "spate", "string",
                   "rounds"})


def named_as_reason(tok: Token) -> bool:
    """``tok`` (an event noun) is the reason of a retaliation: "struck Houthi targets in
    retaliation for weeks of attacks on shipping", "in response to the killing of 26 tourists"."""
    while tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lower_ in SPANS:
        tok = tok.head.head
    if tok.dep_ != "pobj" or tok.head.lower_ not in ("for", "to"):
        return False
    host = tok.head.head  # "retaliation for", or the verb both phrases hang on ("struck ... in
    # retaliation for ...", as the parser often attaches them)
    return host.lemma_.lower() in REASON_NOUNS or any(
        c.dep_ == "prep" and c.lower_ == "in" and any(g.lemma_.lower() in REASON_NOUNS for g in c.children)
        for c in host.children if c.i < tok.i)


def recalled(tok: Token) -> bool:
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


def clause_argument(tok: Token) -> bool:
    """``tok`` is a subject or object of its clause ("protests broke out", "staged a strike"), not
    a background phrase ("detained during the protests", "resigned in the face of protests")."""
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    return tok.dep_ in ("nsubj", "nsubjpass", "dobj", "ROOT", "attr", "appos")


def told_before(f: Found, earlier: Sequence[Event], lexicon: Lexicon) -> list[int]:
    """A verb whose object is a definite event noun of its own type that an earlier sentence of
    the article has coded with a shared party ("Saudi Arabia and Pakistan signed a defence pact.
    ... The crown prince and Sharif signed the pact at al-Yamamah Palace") retells that event:
    the token indices of the verb and the noun (both readings are the one happening), else none."""
    if f.trigger.pos != "verb" or f.modality is not None or \
            f.token.lemma_.lower() not in lexicon.cues.light_verbs:
        return []  # "repelled the attack" is a new act, "signed the pact" tells the signing again
    obj = next((c for c in f.token.children if c.dep_ == "dobj"), None)
    if obj is None or not any(c.dep_ == "det" and c.lower_ in ANAPHORIC for c in obj.children):
        return []
    if not any(r.event == f.trigger.event for r in lexicon.noun_readings(obj.lemma_)):
        return []
    codes = {p.mention.code for p in (*f.actor, *f.recipient) if p.mention.code}
    if not any(e.event == f.trigger.event and not (e.negated or e.hypothetical) and
               codes & {r.code for r in (*e.actor, *e.recipient) if r.code} for e in earlier):
        return []
    return [f.token.i, obj.i]


def split_negated(phrases: Sequence[str] | frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Cue phrases in two sets, their "not" left out: those said plainly ("will pay a price") and
    those said with a negation ("not go unanswered")."""
    plain: set[str] = set()
    negated: set[str] = set()
    for phrase in phrases:
        words = phrase.split()
        (negated if words[0] == "not" else plain).add(" ".join(w for w in words if w != "not"))
    return frozenset(plain), frozenset(negated)
