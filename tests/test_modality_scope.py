"""How far a modal, a governor or an allegation reaches: what it covers stays flagged, what the
parser only hangs below it (a clause after a semicolon, a past-tense verb conjoined to a modal
one, a participle describing a signed order) is reported as it happened."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(("text", "etype", "flagged"), [
    ("Nigerien aircraft struck militant positions near Tillaberi; the army claimed 30 fighters died.",
     "ASSAULT", False),
    ("Lula said Brazil and Argentina should stay close and rejected the proposal from Uruguay.",
     "REJECT", False),
    ("Trump signed an order imposing new tariffs on Canadian goods.", "SANCTION", False),
    ("Lawmakers in Lima voted to reject the decree on Monday.", "REJECT", False),
    ("Beijing rejected the charge that China supports Moscow's war effort.", "SUPPORT", True),
    ("Ecuador ordered its troops to attack the camps in Colombia.", "ASSAULT", True),
], ids=["semicolon", "past-conjunct-of-modal", "order-imposing", "voted-to", "charge-that", "ordered-to"])
def test_modality_scope(pipeline: Any, text: str, etype: str, flagged: bool) -> None:
    events = [e for e in pipeline.process_text(text).events if e.event == etype]
    assert events, [(e.event, e.modality) for e in pipeline.process_text(text).events]
    assert all((e.negated or e.hypothetical) is flagged for e in events), \
        [(e.trigger, e.modality) for e in events]
