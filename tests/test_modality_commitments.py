"""Statements of intent are coded as PLOVER codes them: the statement, never the act.

"said it would cooperate" is an AGREE, "vowed to crush" or "has the right to retaliate" a
THREATEN, "said he would not resign" a REJECT; the act itself stays flagged. A de-escalation
the actor announces ("said it would lift the curfew") is the decision, coded unflagged. Another
speaker's prediction ("Pakistan said India would attack") is no commitment of the actor's.
"""

from __future__ import annotations

from typing import Any

import pytest

from builders import happened
from detente.events.lexicon import Lexicon
from detente.events.modality import commitment_of


def _coded(pipeline: Any, text: str) -> set[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """(type, actor codes, recipient codes) of the events that happened (unflagged)."""
    return {(e.event, tuple(sorted(str(a.code) for a in e.actor)),
             tuple(sorted(str(r.code) for r in e.recipient)))
            for e in happened(pipeline, text)}


@pytest.mark.parametrize(("text", "want"), [
    ("Egypt said it would cooperate with Sudan on border security.", ("AGREE", ("EGY",), ("SDN",))),
    ("Chile pledged to withdraw its troops from Bolivia.", ("AGREE", ("CHL",), ("BOL",))),
    ("Ghana offered to help Burkina Faso with logistics.", ("AGREE", ("GHA",), ("BFA",))),
    ("Moscow said it would respond to Estonia.", ("THREATEN", ("RUS",), ("EST",))),
    ("Venezuela has the right to retaliate against Guyana.", ("THREATEN", ("VEN",), ("GUY",))),
    ("Sudan's army chief vowed to crush the Rapid Support Forces.", ("THREATEN", ("SDN",), ("SDN",))),
], ids=["said-would-cooperate", "pledged-to-withdraw", "offered-to-help", "would-respond",
        "right-to-retaliate", "vowed-to-crush"])
def test_commitment_is_coded_as_the_statement(pipeline: Any, text: str,
                                              want: tuple[str, tuple[str, ...], tuple[str, ...]]) -> None:
    got = _coded(pipeline, text)
    assert want in got, got


@pytest.mark.parametrize(("text", "act"), [
    ("Egypt said it would cooperate with Sudan on border security.", "COOPERATE"),
    ("Venezuela has the right to retaliate against Guyana.", "ASSAULT"),
    ("Sudan's army chief vowed to crush the Rapid Support Forces.", "COERCE"),
], ids=["cooperate", "retaliate", "crush"])
def test_promised_act_itself_stays_flagged(pipeline: Any, text: str, act: str) -> None:
    events = pipeline.process_text(text).events
    acts = [e for e in events if e.event == act]
    assert acts and all(e.negated or e.hypothetical for e in acts), [(e.event, e.modality) for e in events]


def test_refusal_of_a_concession_is_a_reject(pipeline: Any) -> None:
    got = _coded(pipeline, "Serbian President Aleksandar Vucic said he would not resign.")
    assert any(t == "REJECT" and a == ("SRB",) for t, a, _ in got), got
    assert not any(t == "CONCEDE" for t, _, _ in got), got


def test_announced_de_escalation_is_the_decision(pipeline: Any) -> None:
    got = _coded(pipeline, "Chad said on Monday it would release 300 prisoners.")
    assert any(t == "RETREAT" and a == ("TCD",) for t, a, _ in got), got
    assert not any(t == "AGREE" for t, _, _ in got), got


@pytest.mark.parametrize("text", [
    "Pakistan said India would attack its territory.",  # another speaker's prediction
    "Analysts expect Iran to attack Israel.",  # an expectation
    "Peru will host talks with Chile if Bolivia agrees.",  # a condition
], ids=["other-speaker", "expectation", "conditional"])
def test_no_commitment(pipeline: Any, text: str) -> None:
    got = _coded(pipeline, text)
    assert not any(t in ("THREATEN", "AGREE", "ASSAULT") for t, _, _ in got), got


def test_commitment_of_names_the_governor(pipeline: Any) -> None:
    cues = Lexicon.load().cues
    doc = pipeline.resources.nlp("Kenya vowed to withdraw its police from Haiti.")
    withdraw = next(t for t in doc if t.lemma_ == "withdraw")
    c = commitment_of(withdraw, cues)
    assert c is not None and c.kind == "promise" and c.governor is not None and c.governor.lemma_ == "vow"
    said = pipeline.resources.nlp("Iran said it would not attend the talks.")
    attend = next(t for t in said if t.lemma_ == "attend")
    r = commitment_of(attend, cues)
    assert r is not None and r.kind == "refusal" and r.speech
