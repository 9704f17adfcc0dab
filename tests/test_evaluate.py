"""detente.evaluate: matching and scoring on hand-built stores, the CLI, and a regression guard.

The unit tests build stores without spaCy (``builders``); the regression test parses ``examples/``
once (module-scoped) and compares with the figures recorded in ``eval/examples.scores.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from builders import article, event, mention, processed, ref
from detente.cli.evaluate import evaluate_cli
from detente.errors import DataFileError, QueryError
from detente.evaluate import (
    EvalReport,
    GoldTriad,
    date_credit,
    evaluate,
    format_text,
    jaccard,
    load_gold,
    normalise,
    triad_scores,
)
from detente.model import DateValue
from detente.store import Store

ROOT = Path(__file__).resolve().parents[1]
TEXT = ("Iran struck Pakistan on Tuesday. Pakistan recalled its envoy from Tehran. "
        "China urged calm between the two. Officials said talks may follow soon.")
IRN, PAK, CHN, USA = (ref("IRN", "Iran"), ref("PAK", "Pakistan"), ref("CHN", "China"),
                      ref("USA", "Washington"))


def gold_file(tmp_path: Path, events: list[dict[str, Any]], **extra: Any) -> Path:
    doc = {"file": "a.txt", "published": "2024-01-17", "published_precision": "day",
           "published_how": "date-line", "events": events, **extra}
    path = tmp_path / "gold.yaml"
    path.write_text(yaml.safe_dump({"format": "detente-gold/1", "corpus": "test", "documents": [doc]}))
    return path


def g(sentence: str, type_: str, actor: list[str], recipient: list[str], **kw: Any) -> dict[str, Any]:
    return {"id": f"{type_}-{sentence[:8]}", "sentence": sentence, "type": type_, "actor": actor,
            "recipient": recipient, "date": kw.pop("date", None),
            "date_precision": kw.pop("date_precision", None), **kw}


def store_with(events_of: Any, mentions_of: Any = None, text: str = TEXT,
               path: str = "corpus/a.txt") -> Store:
    art = article(text, published="2024-01-17", path=path)
    store = Store(":memory:")
    store.write(processed(art, events_of(art), mentions_of(art) if mentions_of else []))
    return store


THREE_GOLD = [g("Iran struck Pakistan", "ASSAULT", ["IRN"], ["PAK"]),
              g("recalled its envoy", "SANCTION", ["PAK"], ["IRN"]),
              g("China urged calm", "REQUEST", ["CHN"], ["PAK", "IRN"])]


def two_extracted(art: Any) -> list[Any]:
    return [event(art, "Iran struck Pakistan on Tuesday", "ASSAULT", [IRN], [PAK], "struck", None),
            event(art, "Pakistan recalled its envoy from Tehran", "CONSULT", [PAK], [IRN], "recalled",
                  None)]


def test_three_gold_two_extracted_one_right(tmp_path: Path) -> None:
    report = evaluate(gold_file(tmp_path, THREE_GOLD), store=store_with(two_extracted))
    ev = report.events
    assert (ev["tp"], ev["predicted"], ev["gold"]) == (1, 2, 3)
    assert ev["precision"] == pytest.approx(0.5)
    assert ev["recall"] == pytest.approx(1 / 3)
    assert ev["f1"] == pytest.approx(0.4)
    assert report.confusion == {"ASSAULT": {"ASSAULT": 1}, "SANCTION": {"CONSULT": 1},
                                "REQUEST": {"none": 1}}
    assert [m["type"] for m in report.misses] == ["SANCTION", "REQUEST"]
    assert [(p["type"], p["sentence"]) for p in report.false_positives] == [
        ("CONSULT", "Pakistan recalled its envoy from Tehran")]
    assert report.fields["actor"]["accuracy"] == 1.0
    assert report.by_type["ASSAULT"]["recall"] == 1.0
    assert report.by_type["CONSULT"]["precision"] == 0.0


def test_alt_type_matches_with_half_type_credit(tmp_path: Path) -> None:
    gold = [g("recalled its envoy", "SANCTION", ["PAK"], ["IRN"], alt_types=["CONSULT"])]
    report = evaluate(gold_file(tmp_path, gold), store=store_with(two_extracted))
    assert report.events["tp"] == 1
    assert report.events["predicted"] == 2  # the ASSAULT is a false positive here
    assert report.fields["type"]["accuracy"] == 0.0
    assert report.fields["type"]["credit"] == 0.5


def test_optional_gold_neither_misses_nor_false_positive(tmp_path: Path) -> None:
    gold = [g("Iran struck Pakistan", "ASSAULT", ["IRN"], ["PAK"]),
            g("recalled its envoy", "SANCTION", ["PAK"], ["IRN"], optional=True),
            g("China urged calm", "REQUEST", ["CHN"], ["PAK"], optional=True)]
    report = evaluate(gold_file(tmp_path, gold), store=store_with(two_extracted))
    ev = report.events
    # the CONSULT aligns with an optional event (of another type): not a false positive
    assert (ev["tp"], ev["predicted"], ev["gold"]) == (1, 1, 1)
    assert ev["f1"] == 1.0
    assert report.misses == [] and report.false_positives == []


def test_ignore_sentence_drops_extractions(tmp_path: Path) -> None:
    gold = [g("Iran struck Pakistan", "ASSAULT", ["IRN"], ["PAK"])]
    path = gold_file(tmp_path, gold, ignore=[{"sentence": "recalled its envoy", "reason": "test"}])
    report = evaluate(path, store=store_with(two_extracted))
    assert report.events["precision"] == 1.0
    assert report.false_positives == []


def test_same_type_same_actor_events_of_a_sentence_merge(tmp_path: Path) -> None:
    def events_of(art: Any) -> list[Any]:
        s = "China urged calm between the two"
        return [event(art, s, "REQUEST", [CHN], [PAK], "urged", None),
                event(art, s, "REQUEST", [CHN], [IRN], "urged", None)]

    gold = [g("China urged calm", "REQUEST", ["CHN"], ["PAK", "IRN"])]
    report = evaluate(gold_file(tmp_path, gold), store=store_with(events_of))
    assert (report.events["tp"], report.events["predicted"]) == (1, 1)
    assert report.fields["recipient"]["accuracy"] == 1.0


def test_symmetric_events_may_be_swapped_and_alt_recipient_counts(tmp_path: Path) -> None:
    def events_of(art: Any) -> list[Any]:
        return [event(art, "Officials said talks may follow soon", "CONSULT", [IRN], [PAK], "talks",
                      None),
                event(art, "Iran struck Pakistan on Tuesday", "ASSAULT", [PAK], [IRN], "struck", None)]

    gold = [g("talks may follow", "CONSULT", ["PAK"], ["IRN"], symmetric=True),
            g("Iran struck Pakistan", "ASSAULT", ["IRN"], ["PAK"], alt_recipient=["IRN"])]
    report = evaluate(gold_file(tmp_path, gold), store=store_with(events_of))
    assert report.events["tp"] == 2
    # symmetric swap: full credit; ASSAULT PAK->IRN is not symmetric: actor wrong, IRN = alt_recipient
    assert report.fields["actor"]["correct"] == 1
    assert report.fields["recipient"]["correct"] == 2


def test_greedy_takes_the_best_pair_first(tmp_path: Path) -> None:
    def events_of(art: Any) -> list[Any]:
        return [event(art, "Iran struck Pakistan on Tuesday", "ASSAULT", [IRN], [PAK], "struck",
                      "2024-01-16")]

    # two gold events quote the same sentence; the extraction fits the second one better
    gold = [g("Iran struck Pakistan", "ASSAULT", ["USA"], ["IRN"], date="2024-01-10",
              date_precision="day"),
            g("Iran struck Pakistan", "ASSAULT", ["IRN"], ["PAK"], date="2024-01-16",
              date_precision="day")]
    report = evaluate(gold_file(tmp_path, gold), store=store_with(events_of))
    assert report.events["tp"] == 1
    assert [m["actor"] for m in report.misses] == [["USA"]]
    assert report.fields["date_strict"]["accuracy"] == 1.0


@pytest.mark.parametrize(("gold", "pred", "credit"), [
    (("2024-01", "month", None), ("2024-01-16", "day", None), 1.0),
    (("2024-01-16", "day", None), ("2024-01-16", "day", None), 1.0),
    (("2024-01-16", "day", None), ("2024-01", "month", None), 0.5),
    (("2024-01-22", "day", "2024-01-28"), ("2024-01-25", "day", None), 1.0),
    (("2024-01-22", "day", "2024-01-28"), ("2024-02-01", "day", None), 0.0),
    (("2024-01-16", "day", None), ("2024-01-17", "day", None), 0.0),
    (("2016", "year", None), ("2016-05", "month", None), 1.0),
    (("2024-01-16", "day", None), None, 0.0),
    (None, ("2024-01-16", "day", None), None),
])
def test_date_credit(gold: tuple[str, str, str | None] | None, pred: tuple[str, str, str | None] | None,
                     credit: float | None) -> None:
    gd = DateValue(gold[0], gold[1], gold[2]) if gold else None  # type: ignore[arg-type]
    pd_ = DateValue(pred[0], pred[1], pred[2]) if pred else None  # type: ignore[arg-type]
    assert date_credit(gd, pd_) == credit


def test_dates_and_places_strict_and_lenient(tmp_path: Path) -> None:
    from detente.model import Place

    def events_of(art: Any) -> list[Any]:
        return [event(art, "Iran struck Pakistan on Tuesday", "ASSAULT", [IRN], [PAK], "struck",
                      "2024-01", place=Place("Panjgur", "PAK")),
                event(art, "Pakistan recalled its envoy from Tehran", "SANCTION", [PAK], [IRN],
                      "recalled", "2024-01-17", place=Place("Pakistan", "PAK", feature="country"))]

    gold = [g("Iran struck Pakistan", "ASSAULT", ["IRN"], ["PAK"], date="2024-01-16",
              date_precision="day", place="Panjgur"),
            g("recalled its envoy", "SANCTION", ["PAK"], ["IRN"], date="2024-01-17",
              date_precision="day", place="Islamabad")]
    report = evaluate(gold_file(tmp_path, gold), store=store_with(events_of))
    assert report.date_accuracy == (0.5, 1.0)
    assert report.fields["date_strict"]["credit"] == pytest.approx(0.75)
    assert (report.fields["place"]["correct"], report.fields["place"]["judged"]) == (1, 2)


def test_flagged_events_are_left_out_unless_asked(tmp_path: Path) -> None:
    def events_of(art: Any) -> list[Any]:
        return [event(art, "Iran struck Pakistan on Tuesday", "ASSAULT", [IRN], [PAK], "struck", None,
                      negated=True)]

    path = gold_file(tmp_path, [g("Iran struck Pakistan", "ASSAULT", ["IRN"], ["PAK"])])
    assert evaluate(path, store=store_with(events_of)).events["tp"] == 0
    assert evaluate(path, store=store_with(events_of), include_flagged=True).events["tp"] == 1


def test_negative_violation_is_reported_and_a_false_positive(tmp_path: Path) -> None:
    path = gold_file(tmp_path, [], negatives=[
        {"sentence": "Iran struck Pakistan", "reason": "negated", "types": ["ASSAULT"]}])
    report = evaluate(path, store=store_with(two_extracted))
    assert [v["type"] for v in report.negative_violations] == ["ASSAULT"]
    assert report.events["predicted"] == 2 and report.events["precision"] == 0.0


def test_documents_match_by_file_name_and_record_id(tmp_path: Path) -> None:
    art = article(TEXT, path="/data/feed.jsonl")
    art.record_id = "rec-1"
    store = Store(":memory:")
    store.write(processed(art, two_extracted(art)))
    gold = {"format": "detente-gold/1", "documents": [
        {"file": "feed.jsonl", "record": "rec-1", "published": "2024-01-20",
         "published_precision": "day", "published_how": "record", "events": THREE_GOLD},
        {"file": "feed.jsonl", "record": "rec-2", "published": "2024-01-20",
         "published_precision": "day", "published_how": "record",
         "events": [g("anything", "AGREE", ["PAK"], ["IRN"])]}]}
    path = tmp_path / "g.yaml"
    path.write_text(yaml.safe_dump(gold))
    report = evaluate(path, store=store)
    assert report.documents == 1
    assert report.missing_documents == ["feed.jsonl#rec-2"]
    assert (report.events["tp"], report.events["gold"]) == (1, 4)
    assert report.published == {"correct": 1, "judged": 1, "accuracy": 1.0}


def test_quotes_are_aligned_by_span_across_whitespace_and_curly_quotes(tmp_path: Path) -> None:
    text = "Iran’s  drones struck\nPakistan on Tuesday. Pakistan recalled its envoy."

    def events_of(art: Any) -> list[Any]:
        return [event(art, "Iran’s  drones struck\nPakistan on Tuesday", "ASSAULT", [IRN], [PAK],
                      "struck", None)]

    path = gold_file(tmp_path, [g("Iran's drones struck Pakistan", "ASSAULT", ["IRN"], ["PAK"])])
    report = evaluate(path, store=store_with(events_of, text=text))
    assert report.events["tp"] == 1 and report.unlocated == []


def test_aliases_recall_groups_and_false_merges(tmp_path: Path) -> None:
    text = "General Asim Munir met Raisi. Later Munir flew home. The Balochistan governor was there."

    def mentions_of(art: Any) -> list[Any]:
        return [mention(art, "Asim Munir", "asim-munir", "PAK", "Asim Munir", "MIL", "person"),
                mention(art, "Raisi", "ebrahim-raisi", "IRN", "Ebrahim Raisi", "GOV", "person"),
                mention(art, "Munir", "asim-munir", "PAK", "Asim Munir", "MIL", "person"),
                mention(art, "Balochistan", "asim-munir", "PAK", "Asim Munir", "MIL", "person")]

    # "Munir" first occurs inside "Asim Munir"; the builder puts the second mention there too
    path = gold_file(tmp_path, [], alias_groups=[
        {"code": "PAK", "forms": ["General Asim Munir", "Munir"]},
        {"code": "PAK", "forms": ["Raisi", "Asim Munir"]},
        {"code": "IRN", "forms": ["Raisi", "President Raisi"]}],
        must_not_merge=[["Munir", "Raisi"], ["Munir", "Balochistan"]])
    report = evaluate(path, store=store_with(lambda a: [], mentions_of, text=text))
    al = report.aliases
    # forms: 2 mapped + 1 of 2 (tie broken alphabetically: asim-munir) + 1 of 2 (President Raisi absent)
    assert (al["mapped"], al["forms"]) == (4, 6)
    assert al["recall"] == pytest.approx(4 / 6)
    assert al["groups_resolved"] == pytest.approx(1 / 3)
    assert al["false_merges"] == 1
    assert al["false_merge_pairs"][0]["b"] == "Balochistan"
    assert al["kept_apart"] == 0.5


def test_triad_scores_with_and_without_kind() -> None:
    gold = [GoldTriad("CHN", frozenset({"SAU", "IRN"}), "brokered"),
            GoldTriad("PAK", frozenset({"SAU", "IRN"}), "shuttle"),
            GoldTriad("TUR", frozenset({"PAK", "IRN"}), "engagement")]
    pred = {("CHN", frozenset({"IRN", "SAU"}), "brokered"), ("PAK", frozenset({"IRN", "SAU"}), "engagement"),
            ("USA", frozenset({"IRN", "PAK"}), "offer")}
    s = triad_scores(gold, pred)
    assert s["without_kind"]["precision"] == pytest.approx(2 / 3)
    assert s["without_kind"]["recall"] == pytest.approx(2 / 3)
    assert s["with_kind"]["tp"] == 1 and s["with_kind"]["f1"] == pytest.approx(1 / 3)
    assert s["missed"] == [{"mediator": "TUR", "parties": ["IRN", "PAK"]}]


@pytest.mark.parametrize(("a", "b", "value"), [
    (["PAK"], ["PAK"], 1.0), (["PAK", "IRN"], ["PAK"], 0.5), (["PAK"], ["IRN"], 0.0), ([], [], 1.0)])
def test_jaccard(a: list[str], b: list[str], value: float) -> None:
    assert jaccard(a, b) == value


def test_normalise_folds_quotes_and_space() -> None:
    assert normalise("Iran\u2019s \u00a0 \u201cstrike\u201d\n") == "Iran's \"strike\""


@pytest.mark.parametrize("content", [
    "format: other/1\ndocuments: []\n",
    "format: detente-gold/1\ndocuments: {}\n",
    "format: detente-gold/1\ndocuments:\n  - published: '2024'\n",
    "format: detente-gold/1\ndocuments:\n  - file: a.txt\n    events:\n      - sentence: x\n",
    "format: detente-gold/1\ndocuments:\n  - file: a.txt\n    events:\n      - {sentence: x, type: AGREE,"
    " actor: [PAK], date: '2024-13-01', date_precision: day}\n",
    "format: detente-gold/1\ndocuments:\n  - file: a.txt\n    mediation:\n      - {mediator: CHN,"
    " parties: [SAU]}\n",
    "format: [unclosed\n",
])
def test_bad_gold_files_raise_data_file_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    with pytest.raises(DataFileError):
        load_gold(path)


def test_evaluate_needs_a_store_or_paths(tmp_path: Path) -> None:
    with pytest.raises(QueryError):
        evaluate(gold_file(tmp_path, THREE_GOLD))


def test_cli_json_and_text(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    art = article(TEXT, published="2024-01-17", path="a.txt")
    with Store(db) as store:
        store.write(processed(art, two_extracted(art)))
    gold = gold_file(tmp_path, THREE_GOLD)
    runner = CliRunner()
    res = runner.invoke(evaluate_cli, [str(gold), "--db", str(db), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["headline"]["event_f1"] == pytest.approx(0.4)
    assert len(data["misses"]) == 2 and len(data["false_positives"]) == 1
    out = tmp_path / "report.txt"
    res = runner.invoke(evaluate_cli, [str(gold), "--db", str(db), "-o", str(out)])
    assert res.exit_code == 0
    text = out.read_text()
    assert "F1  40.0%" in text and "false positives (1)" in text
    res = runner.invoke(evaluate_cli, [str(gold), "--db", str(tmp_path / "none.duckdb")])
    assert res.exit_code == 1 and "Error:" in res.output


# -- regression: the full pipeline on examples/ ----------------------------------------------------
TOLERANCE = 0.02


@pytest.fixture(scope="module")
def examples_report() -> EvalReport:
    pytest.importorskip("detente.events.extract")
    return evaluate(ROOT / "eval" / "examples.gold.yaml", paths=[ROOT / "examples"])


def test_examples_scores_do_not_regress(examples_report: EvalReport) -> None:
    recorded = json.loads((ROOT / "eval" / "examples.scores.json").read_text())["headline"]
    now = examples_report.headline()
    dropped = {k: (round(now[k], 3), v) for k, v in recorded.items() if now[k] < v - TOLERANCE}
    assert not dropped, f"scores dropped below eval/examples.scores.json (now, recorded): {dropped}"


def test_examples_report_is_complete(examples_report: EvalReport) -> None:
    assert examples_report.documents == 8 and not examples_report.missing_documents
    assert examples_report.unlocated == []  # every gold quote is found in its article
    text = format_text(examples_report)
    assert "confusion" in text and "misses (" in text


def test_a_form_used_as_actor_and_as_place_counts_as_the_actor() -> None:
    from detente.evaluate import _M, DocText, form_identity

    text = DocText("Islamabad said it would respond. Envoys met in Islamabad. Talks in Islamabad ended.")
    spans = text.find_all("Islamabad")
    assert len(spans) == 3
    gov = _M(spans[0][0], spans[0][1], "country:PAK", "PAK", "GOV", False)
    places = [_M(s, e, "place:islamabad", "PAK", None, True) for s, e in spans[1:]]
    assert form_identity(text, [gov, *places], "Islamabad") == ("country:PAK", "PAK", "GOV")
    assert form_identity(text, places, "Islamabad") == ("place:islamabad", "PAK", None)


def test_triads_are_also_scored_per_document(tmp_path: Path) -> None:
    def three(art: Any) -> list[Any]:
        return [event(art, "Iran struck Pakistan on Tuesday", "ASSAULT", [IRN], [PAK], "struck", None,
                      goldstein=-10.0, quad=4),
                event(art, "China urged calm between the two", "REQUEST", [CHN], [PAK, IRN], "urged",
                      None)]
    mediation = [{"mediator": "CHN", "parties": ["IRN", "PAK"], "kind": "shuttle"},
                 {"mediator": "USA", "parties": ["IRN", "PAK"], "kind": "offer"}]
    report = evaluate(gold_file(tmp_path, THREE_GOLD, mediation=mediation), store=store_with(three))
    assert report.triads is not None
    per_doc = report.triads["by_document"]
    assert (per_doc["gold"], per_doc["found"], per_doc["matched"]) == (2, 1, 1)
    assert per_doc["kind_right"] == 0.0  # found as engagement, told as shuttle
    assert per_doc["missed"] == [{"doc": "a.txt", "mediator": "USA", "parties": ["IRN", "PAK"],
                                  "kind": "offer"}]
    assert "per document: P 100.0%  R  50.0%  (2 gold, 1 found)" in format_text(report)
