"""What the dependency parse tells the dating of an event: the tense of the trigger's clause
(:func:`clause_tense`) and where a stretch of the sentence is attached (:func:`parse_attachment`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


# the tenses :func:`clause_tense` tells apart (grammar, not domain data)
TENSES: frozenset[str] = frozenset(
    {"past", "past-perfect", "present", "present-perfect", "future", "modal", "none"})


Attachment = Callable[[int, int], int]
"""Where the parse attaches a stretch ``(start, end)`` of the sentence: 2 to the trigger or its own
verb, 1 to a verb whose clause holds the trigger, -1 to another verb, -2 to another verb of a
future or modal clause (a plan: "agreed that the envoys would meet on Tuesday"), 0 unknown."""


_VERB_POS = frozenset({"VERB", "AUX"})
_NOUN_POS = frozenset({"NOUN", "PROPN"})
_AUX_DEPS = frozenset({"aux", "auxpass"})
_MODALS = frozenset({"can", "could", "may", "might", "must", "shall", "should", "would", "ought"})


def _is_verb(tok: Token) -> bool:
    return tok.pos_ in _VERB_POS and tok.dep_ not in _AUX_DEPS


def clause_tense(trigger: Token) -> str:
    """The tense of the finite clause that holds ``trigger`` (one of :data:`TENSES`).

    A noun or a non-finite verb ("the attack", "offered to mediate", "stepped in, offering
    help") takes the tense of the nearest finite verb above it: "has offered to mediate" is
    present-perfect, "had met" past-perfect, "will meet" future, "could meet" modal.
    """
    tok = trigger
    first_participle: Token | None = None
    for _ in range(64):
        if _is_verb(tok):
            auxes = [c for c in tok.children if c.dep_ in _AUX_DEPS]
            words = [a.lower_ for a in auxes]
            tags = [a.tag_ for a in auxes]
            if "will" in words or "shall" in words or "'ll" in words:
                return "future"
            if any(w in _MODALS for w in words) or any(t == "MD" for t in tags):
                return "modal"
            if any(a.lemma_ == "have" for a in auxes):
                first = next(a for a in auxes if a.lemma_ == "have")
                if first.tag_ != "VBD":
                    return "present-perfect"
                # reported speech shifts the past back: "told reporters that Islamabad had decided"
                said = tok.head
                backshift = tok.dep_ == "ccomp" and said is not tok and said.tag_ == "VBD" and not any(
                    c.dep_ in _AUX_DEPS and c.lemma_ == "have" for c in said.children)
                return "past" if backshift else "past-perfect"
            if tok.tag_ == "VBD" or "VBD" in tags:
                return "past"
            if tok.tag_ in ("VBZ", "VBP") or "VBZ" in tags or "VBP" in tags:
                return "present"
            if first_participle is None and tok.tag_ == "VBN" and not auxes:
                first_participle = tok
        if tok.head is tok:
            break
        tok = tok.head
    # no finite verb: a bare past participle is a finite past the parser missed ("Munir,
    # embarked on a visit" read as a reduced relative)
    return "past" if first_participle is not None else "none"


def _plans(verb: Token) -> bool:
    """Whether ``verb`` heads a future or modal clause ("would meet", "will reopen")."""
    return any(c.dep_ in _AUX_DEPS and (c.lower_ in ("will", "shall", "'ll") or c.lower_ in _MODALS
                                         or c.tag_ == "MD") for c in verb.children)


def _complement_of(verb: Token, own: set[int]) -> bool:
    """Whether ``verb`` is an infinitive complement of the event's own verb ("ordered the schools
    to stay closed on Wednesday")."""
    tok = verb
    for _ in range(8):
        if tok.dep_ != "xcomp" or tok.head is tok:
            return False
        tok = tok.head
        if tok.i in own:
            return True
    return False


def _verbs_above(trigger: Token) -> list[Token]:
    """The verbs above the trigger (not the trigger itself), nearest first."""
    out: list[Token] = []
    tok = trigger
    for _ in range(64):
        if tok.head is tok:
            break
        tok = tok.head
        if _is_verb(tok):
            out.append(tok)
    return out


def parse_attachment(sent: Span, trigger: Token) -> Attachment:
    """An :data:`Attachment` for ``date_for_event`` built from the dependency parse of ``sent``.

    A stretch of the sentence is attached where the chain of heads from its root first meets the
    trigger or a verb: the trigger itself, or the verb of a noun trigger ("arrived ... for his
    visit"), gives 2 (1 when the chain passes through the object of a preposition on the way:
    "sentenced them for an attack in 2019"); another verb whose clause holds the trigger
    ("announced on Jan. 5 that it will abide"), or an infinitive complement of the event's verb
    ("ordered the schools to stay closed on Wednesday"), 1; a verb of a future or modal clause
    ("agreed that the envoys would meet on Tuesday") or a gerund after a preposition ("since
    taking command in November", "thanked them for hosting talks in 2021") -2; any other verb -1.
    """
    above = _verbs_above(trigger)
    own = {trigger.i} | ({above[0].i} if above and not _is_verb(trigger) else set())
    higher = {t.i for t in above} - own
    offset = sent.start_char

    def attachment(start: int, end: int) -> int:
        toks = [t for t in sent if start <= t.idx - offset < end]
        if not toks:
            return 0
        inside = {t.i for t in toks}
        tok = next((t for t in toks if t.head.i not in inside), toks[0])
        via_noun = False
        for _ in range(64):
            if tok.head is tok:
                return 0
            tok = tok.head
            if tok.i in own:
                # through a noun of its own ("sentenced them for an attack in 2019"): that noun's
                return 1 if via_noun else 2
            if tok.pos_ in _NOUN_POS and tok.dep_ == "pobj":
                via_noun = True
            if _is_verb(tok):
                if tok.i in higher or _complement_of(tok, own):
                    return 1
                # a plan ("would meet on Tuesday") or a gerund after a preposition ("thanked them
                # for hosting talks in 2021"): that verb's time, not the event's
                return -2 if _plans(tok) or tok.dep_ == "pcomp" else -1
        return 0

    return attachment
