"""The events stage: golden sentences through the full pipeline, the lexicon and the coding table.

Golden cases live in tests/golden/events/*.yaml (one test id per case, like a conformance
table). Each produced event is compared on (type, actor codes, recipient codes) as a multiset,
then expected mediators, modes and flags are checked on the matching event.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from detente.errors import DataFileError
from detente.events.code import Coder, load_table
from detente.events.lexicon import Lexicon
from detente.model import Event

GOLDEN = Path(__file__).parent / "golden" / "events"


def _cases() -> list[Any]:
    out = []
    for path in sorted(GOLDEN.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            out.append(pytest.param(case, id=f"{path.stem}:{case['id']}"))
    return out


@pytest.fixture(scope="module")
def pipeline() -> Any:
    from detente.pipeline import Pipeline

    return Pipeline.load()


def _sig(event: str, actor: list[str | None], recipient: list[str | None]) -> tuple[str, tuple[str, ...],
                                                                                    tuple[str, ...]]:
    return event, tuple(sorted(str(a) for a in actor)), tuple(sorted(str(r) for r in recipient))


def _ev_sig(e: Event) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    return _sig(e.event, [a.code for a in e.actor], [r.code for r in e.recipient])


@pytest.mark.parametrize("case", _cases())
def test_golden(case: dict[str, Any], pipeline: Any) -> None:
    events = pipeline.process_text(case["text"], case.get("published")).events
    got = Counter(_ev_sig(e) for e in events)
    want = Counter(_sig(x["event"], x.get("actor", []), x.get("recipient", [])) for x in case["expected"])
    assert got == want, [(_ev_sig(e), e.trigger, e.negated, e.hypothetical) for e in events]
    for x in case["expected"]:
        sig = _sig(x["event"], x.get("actor", []), x.get("recipient", []))
        ev = next(e for e in events if _ev_sig(e) == sig)
        if "mediator" in x:
            assert sorted(str(m.code) for m in ev.mediator) == sorted(x["mediator"])
        if "mode" in x:
            assert ev.mode == x["mode"]
        assert ev.negated is bool(x.get("negated", False)), ev.trigger
        assert ev.hypothetical is bool(x.get("hypothetical", False)), ev.trigger
        assert ev.cameo is not None and ev.quad_code in (1, 2, 3, 4)
        assert 0.0 < ev.confidence <= 1.0
        assert case["text"][ev.trigger_start:ev.trigger_end] == ev.trigger
    for bad in case.get("forbidden", []):
        assert not any(e.event == bad["event"] for e in events)


def test_every_plover_type_is_coded_consistently() -> None:
    coder = Coder.load()
    table = load_table()
    assert len(table.types) == 16
    for name, row in table.types.items():
        for mode in [None, *row.modes]:
            found = coder.lookup(name, mode)
            assert found is not None
            cameo, goldstein, quad = found
            root = int(cameo[:2])
            assert quad == (1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4)
            assert -10.0 <= goldstein <= 10.0
    assert coder.lookup("ASSAULT", "aerial")[2] == 4  # type: ignore[index]
    assert coder.lookup("CONSULT", "visit")[:2] == ("042", 1.9)  # type: ignore[index]
    assert coder.lookup("NOT-A-TYPE") is None


def test_unknown_mode_falls_back_to_the_type_default() -> None:
    assert Coder.load().lookup("CONSULT", "no-such-mode") == ("040", 1.0, 1)


def test_bundled_lexicon_loads_and_links_to_the_table() -> None:
    lex = Lexicon.load()
    assert {r.event for r in lex.verb_readings("meet") if not r.objects} == {"CONSULT"}
    assert {r.event for r in lex.verb_readings("call")} >= {"REQUEST", "CONSULT"}
    assert lex.mode_from_words("ASSAULT", ["missile", "drone"]) == "drone"
    assert "not" in lex.cues.negation and "could" in lex.cues.modals


BAD_LEXICONS = [
    ("unknown-type", "version: 1\nverbs:\n  - {lemma: hug, event: EMBRACE}\n", 3, "unknown PLOVER type"),
    ("bad-mode", "version: 1\nverbs:\n  - {lemma: meet, event: CONSULT, mode: dance}\n", 3, "not a mode"),
    ("no-lemma", "version: 1\nnouns:\n  - {event: ASSAULT}\n", 3, "needs a 'lemma'"),
    ("unknown-field", "version: 1\nverbs:\n  - {lemma: meet, event: CONSULT, colour: red}\n", 3,
     "unknown field"),
    ("bad-condition", "version: 1\nverbs:\n  - {lemma: meet, event: CONSULT, requires: [moon]}\n", 3,
     "unknown condition"),
    ("yaml-boolean-prep", "version: 1\nverbs:\n  - {lemma: call, event: CONSULT, prep: on}\n", 3,
     "list of strings"),
    ("no-version", "verbs: []\n", 1, "version"),
    ("bad-cue", "version: 1\ncues:\n  sarcasm: [yeah]\n", 3, "unknown cue list"),
]


@pytest.mark.parametrize(("text", "line", "reason"), [b[1:] for b in BAD_LEXICONS],
                         ids=[b[0] for b in BAD_LEXICONS])
def test_bad_lexicon_entries_name_file_line_and_reason(tmp_path: Path, text: str, line: int,
                                                      reason: str) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        Lexicon.load([path])
    assert err.value.path == str(path)
    assert err.value.line == line
    assert reason in err.value.problem


def test_user_lexicon_entry_wins_and_is_used(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("version: 1\nverbs:\n  - {lemma: serenade, event: SUPPORT, recipient: [dobj]}\n",
                    encoding="utf-8")
    lex = Lexicon.load([path])
    assert [r.event for r in lex.verb_readings("serenade")] == ["SUPPORT"]
    assert lex.verb_readings("meet")  # bundled entries are still there


def test_bad_mapping_table_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "plover.yaml"
    path.write_text("version: 1\nquad_classes: []\ntypes:\n  ASSAULT: {cameo: 190, goldstein: -10}\n"
                    "  CONSULT: {cameo: '040', goldstein: 1}\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        Coder.load(path)
    assert "cameo" in err.value.problem


def test_event_needs_a_resolved_actor_and_no_self_events(pipeline: Any) -> None:
    events = pipeline.process_text("Someone attacked Iran. Iran met Iran.", "2024-01-01").events
    assert events == []
