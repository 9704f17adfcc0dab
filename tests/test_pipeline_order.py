"""The per-event stages take the events before each one as a prefix of the extractor's list (the
fast path); they must date and place events exactly as the full scan over every event does."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

import detente.pipeline as pipeline_module
from detente.pipeline import Pipeline

TEXT = (
    "Pakistani jets struck militant camps in Afghanistan's Khost province on March 2, the army said.\n\n"
    "Afghanistan condemned the strike and summoned Pakistan's ambassador in Kabul.\n\n"
    "Pakistan's foreign minister met the Afghan envoy in Islamabad on March 5.\n\n"
    "He accused Afghanistan of sheltering militants.\n\n"
    "Afghan forces fired at Pakistani border posts.\n\n"
    "Pakistan again struck the camps in Khost, officials said."
)


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.load()


def _summary(pipe: Pipeline) -> list[tuple[Any, ...]]:
    done = pipe.process_text(TEXT, "2024-03-09")
    return [(e.id, e.event, e.date, e.place, [p.code for p in e.actor], [p.code for p in e.recipient])
            for e in done.events]


def test_the_prefix_of_earlier_events_gives_what_the_full_scan_gives(
        pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _summary(pipeline)
    assert len(fast) >= 4
    # the text exercises the stages that read earlier events (dates from context, coreference)
    assert any(d is not None and d.how in ("context", "coreference") for _, _, d, *_ in fast)

    def out_of_order(keys: Iterable[Any]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        return [((1, 1), (0, 0))]  # as if the list were not in text order: the full scan is taken

    monkeypatch.setattr(pipeline_module, "pairwise", out_of_order)
    assert _summary(pipeline) == fast
