"""Dyad series and turning points, the actor network, and disagreements between sources."""

from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import article, mention, processed
from detente.analysis import (
    actor_network,
    disagreements,
    dyad_series,
    export_network,
    extract_claims,
    find_quantities,
    parse_number,
    parse_quantity,
    turning_points,
)
from detente.errors import QueryError
from detente.link import canonical_events
from detente.store import Store
from fixtures_link import claims_store, dyad_store, triad_store

# -- dyad series -----------------------------------------------------------------------------------


def test_weekly_series_flags_the_week_after_the_strikes() -> None:
    b = dyad_store()
    s = dyad_series(b.store, "PAK", "IRN", by="week")
    assert s["bucket"].tolist() == ["2023-W49", "2023-W50", "2023-W51", "2023-W52", "2024-W01",
                                    "2024-W02", "2024-W03", "2024-W04", "2024-W05"]
    assert s["n_events"].tolist() == [1, 0, 0, 0, 0, 0, 3, 1, 2]  # the Jan 16 strike counted once
    w3 = s.set_index("bucket").loc["2024-W03"]
    assert (w3["quad1"], w3["quad2"], w3["quad3"], w3["quad4"]) == (0, 0, 0, 3)
    assert w3["goldstein_sum"] == -24.0
    assert w3["goldstein_mean"] == -8.0
    assert list(w3["event_dates"]) == ["2024-01-16", "2024-01-17", "2024-01-18"]
    assert s.loc[s["turning_point"], "bucket"].tolist() == ["2024-W04"]
    tps = turning_points(s)
    assert [(t.bucket, t.conflict_bucket, t.kind) for t in tps] == [("2024-W04", "2024-W03", "across")]
    assert (tps[0].goldstein_before, tps[0].goldstein_after) == (-8.0, 1.0)


def test_monthly_series_finds_the_turn_inside_the_month() -> None:
    b = dyad_store()
    s = dyad_series(b.store, "PAK", "IRN")
    assert s["bucket"].tolist() == ["2023-12", "2024-01"]
    assert s["n_events"].tolist() == [1, 6]
    jan = s.iloc[1]
    assert (jan["quad1"], jan["quad4"]) == (3, 3)
    assert jan["goldstein_sum"] == -18.0
    assert s["turning_point"].tolist() == [False, True]
    tps = turning_points(s)
    assert [(t.bucket, t.kind, t.goldstein_before, t.goldstein_after) for t in tps] == [
        ("2024-01", "within", -8.0, 2.0)]


def test_without_dedupe_a_twice_reported_strike_counts_twice() -> None:
    s = dyad_series(dyad_store().store, "PAK", "IRN", by="month", dedupe=False)
    assert s["n_events"].tolist() == [1, 7]


@pytest.mark.parametrize("direction, counts", [
    ("a->b", [1, 3]),  # PAK acting on IRN: Dec talks; recall, strike, call
    ("b->a", [0, 3]),  # IRN acting on PAK: strike, deal, visit
    ("both", [1, 6]),
])
def test_direction(direction: str, counts: list[int]) -> None:
    s = dyad_series(dyad_store().store, "PAK", "IRN", by="month", direction=direction)
    got = dict(zip(s["bucket"], s["n_events"], strict=True))
    assert [got.get("2023-12", 0), got.get("2024-01", 0)] == counts


def test_yearly_series_and_arrow() -> None:
    b = dyad_store()
    s = dyad_series(b.store, "IRN", "PAK", by="year")
    assert s["bucket"].tolist() == ["2023", "2024"]
    table = dyad_series(b.store, "IRN", "PAK", by="year", arrow=True)
    assert table.num_rows == 2  # type: ignore[union-attr]


@pytest.mark.parametrize("kwargs, message", [
    ({"by": "fortnight"}, "week, month, year"),
    ({"direction": "sideways"}, "a->b"),
    ({"a": "XYZ"}, "no actor 'XYZ'"),
    ({"b": "PAK"}, "two different actors"),
])
def test_bad_series_arguments(kwargs: dict[str, str], message: str) -> None:
    args = {"a": "PAK", "b": "IRN", **kwargs}
    a, b = args.pop("a"), args.pop("b")
    with pytest.raises(QueryError, match=message):
        dyad_series(dyad_store().store, a, b, **args)


def _series(rows: list[tuple[int, int, float, list[str], list[int], list[float]]]) -> pd.DataFrame:
    return pd.DataFrame([{"bucket": f"b{i}", "quad1": c, "quad2": 0, "quad3": 0, "quad4": f,
                          "goldstein_mean": g, "event_dates": d, "event_quads": q,
                          "event_goldstein": gs}
                         for i, (c, f, g, d, q, gs) in enumerate(rows)])


def test_turning_point_rules() -> None:
    spike = (0, 2, -10.0, ["2024-01-01", "2024-01-02"], [4, 4], [-10.0, -10.0])
    calm = (1, 0, 1.0, ["2024-01-20"], [1], [1.0])
    empty = (0, 0, math.nan, [], [], [])
    # two buckets later still counts; three does not
    assert [t.bucket for t in turning_points(_series([spike, empty, calm]))] == ["b2"]
    assert turning_points(_series([spike, empty, empty, calm])) == []
    # cooperation first, then conflict: no turning point
    assert turning_points(_series([calm, spike])) == []
    # same-day conflict and cooperation cannot be ordered: no turn inside the bucket
    same_day = (1, 1, -4.5, ["2024-01-05", "2024-01-05"], [4, 1], [-10.0, 1.0])
    assert turning_points(_series([same_day])) == []
    with pytest.raises(QueryError, match="missing column"):
        turning_points(pd.DataFrame({"bucket": ["x"]}))


# -- network ---------------------------------------------------------------------------------------
def test_network_weights_and_brokers(tmp_path: Path) -> None:
    g = actor_network(triad_store("shuttle").store)
    assert sorted(g.nodes) == ["AZE", "IRN", "PAK", "TUR"]
    irn_pak = g.edges["IRN", "PAK"]
    assert (irn_pak["events"], irn_pak["conflict"], irn_pak["cooperation"], irn_pak["goldstein_sum"],
            irn_pak["mediation"]) == (1, 1, 0, -10.0, 0)
    tur_irn = g.edges["TUR", "IRN"]
    assert (tur_irn["events"], tur_irn["cooperation"], tur_irn["mediation"], tur_irn["weight"]) == (
        1, 1, 1, 2.0)
    assert g.nodes["TUR"]["broker"] is True and g.nodes["TUR"]["mediations"] == 1
    assert g.nodes["IRN"]["broker"] is False
    assert g.nodes["TUR"]["degree"] == 3
    assert g.nodes["TUR"]["betweenness"] == pytest.approx(2 / 3)
    assert g.nodes["IRN"]["betweenness"] == 0.0

    export_network(g, tmp_path / "n.graphml", "graphml")
    back = nx.read_graphml(tmp_path / "n.graphml")
    assert sorted(back.nodes) == sorted(g.nodes)
    assert back.edges["IRN", "PAK"]["conflict"] == 1
    export_network(g, tmp_path / "n.json", "json")
    data = json.loads((tmp_path / "n.json").read_text())
    assert sorted(n["id"] for n in data["nodes"]) == sorted(g.nodes)
    assert len(data["edges"]) == g.number_of_edges() == 4
    with pytest.raises(QueryError, match="graphml or json"):
        export_network(g, tmp_path / "n.gexf", "gexf")


def test_network_can_add_actor_ids() -> None:
    b = triad_store("brokered")
    b.store.con.execute("UPDATE participants SET actor_id = 'xi-jinping' WHERE code = 'CHN'")
    g = actor_network(b.store, actor_ids=True)
    assert g.nodes["xi-jinping"]["kind"] == "actor"
    assert g.edges["xi-jinping", "CHN"]["member"] == 1
    assert g.nodes["CHN"]["broker"] is True


# -- numbers ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, value, unit, approx", [
    ("909-kilometer", 909.0, "km", False),
    ("959 km", 959.0, "km", False),
    ("around 900 kilometres", 900.0, "km", True),
    ("565 miles", 565 * 1.609344, "km", False),
    ("nine", 9.0, None, False),
    ("twenty-five", 25.0, None, False),
    ("a dozen", 12.0, None, False),
    ("one hundred and twenty", 120.0, None, False),
    ("1,200", 1200.0, None, False),
    ("3.5 million", 3_500_000.0, None, False),
    ("15-20 percent", 17.5, "%", False),
    ("between 15 and 20 per cent", 17.5, "%", False),
    ("about 10%", 10.0, "%", True),
])
def test_parse_quantity_table(text: str, value: float, unit: str | None, approx: bool) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert q.value == pytest.approx(value)
    assert (q.unit, q.approx) == (unit, approx)


def test_bounds_and_separate_numbers() -> None:
    q = parse_quantity("more than 40")
    assert q is not None and (q.low, q.high) == (40.0, math.inf)
    q = parse_quantity("up to 40")
    assert q is not None and (q.low, q.high) == (0.0, 40.0)
    assert [q.text for q in find_quantities("killing nine and injuring 20 people")] == ["nine", "20"]
    assert parse_number("no numbers here") is None


_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else "")
    if n < 1000:
        return f"{_ONES[n // 100]} hundred" + (f" and {_words(n % 100)}" if n % 100 else "")
    return f"{_words(n // 1000)} thousand" + (f" {_words(n % 1000)}" if n % 1000 else "")


_UNITS = {"": (1.0, None), " km": (1.0, "km"), "-kilometer": (1.0, "km"), " kilometres": (1.0, "km"),
          " miles": (1.609344, "km"), "-mile": (1.609344, "km"), " percent": (1.0, "%")}


@given(n=st.integers(min_value=0, max_value=999_999), as_words=st.booleans(),
       unit=st.sampled_from(sorted(_UNITS)), approx=st.booleans())
def test_number_parser_property(n: int, as_words: bool, unit: str, approx: bool) -> None:
    number = _words(n) if as_words else f"{n:,}"
    text = ("around " if approx else "") + number + unit
    q = parse_quantity(text)
    factor, expected_unit = _UNITS[unit]
    assert q is not None, text
    assert q.value == pytest.approx(n * factor), text
    assert (q.unit, q.approx) == (expected_unit, approx)
    assert q.text == text


@given(lo=st.integers(min_value=0, max_value=99), span=st.integers(min_value=1, max_value=50))
def test_ranges_property(lo: int, span: int) -> None:
    q = parse_quantity(f"{lo}-{lo + span} percent")
    assert q is not None and (q.low, q.high, q.unit) == (lo, lo + span, "%")


# -- disagreements ---------------------------------------------------------------------------------
def test_disagreements_between_sources() -> None:
    b = claims_store()
    d = disagreements(b.store)
    a, bb, c, dd = (b.docs[k].doc_id for k in "abcd")
    got = d[["topic", "value_a", "doc_a", "value_b", "doc_b", "kind"]].values.tolist()
    assert got == [
        ["border_length", "909-kilometer", a, "959 km", bb, "number"],
        ["killed", "9", a, "seven", bb, "number"],
        ["population_share", "15-20 percent", c, "about 10 percent", dd, "number"],
        ["ASSAULT", "2024-01-16", a, "2024-01-17", bb, "date"],
    ]
    cid = canonical_events(b.store, type="ASSAULT")["canonical_id"].iloc[0]
    assert d["subject"].tolist() == ["IRN-PAK", f"ASSAULT IRN->PAK 2024-01-16 [{cid}]", "shia muslims",
                                     f"ASSAULT IRN->PAK 2024-01-16 [{cid}]"]
    assert d.iloc[0]["sentence_a"] == "Iran and Pakistan share a 909-kilometer border"
    assert d.iloc[0]["sentence_b"] == "The border between the two countries runs for 959 km"
    assert (d.iloc[1]["number_a"], d.iloc[1]["number_b"]) == (9.0, 7.0)


def test_claims_are_extracted_and_saved() -> None:
    b = claims_store()
    claims = extract_claims(b.store, save=True)
    border = claims[claims["topic"] == "border_length"]
    assert sorted(border["value"].tolist()) == [900.0, 909.0, 959.0]
    assert border["approx"].tolist().count(True) == 1
    assert int(b.store.sql("SELECT count(*) AS n FROM claims")["n"].iloc[0]) == len(claims) == 7


def test_agreeing_sources_give_no_disagreement() -> None:
    b = claims_store()
    # make the second document agree on the length (565 miles is 909 km) and the date
    b.store.con.execute("UPDATE sentences SET text = 'The border runs for 565 miles' "
                        "WHERE doc_id = ? AND sentence_index = 0", [b.docs["b"].doc_id])
    b.store.con.execute("UPDATE events SET date = '2024-01-16' WHERE doc_id = ?", [b.docs["b"].doc_id])
    d = disagreements(b.store)
    assert sorted(d["topic"]) == ["killed", "population_share"]


def test_a_distance_from_the_border_is_not_its_length() -> None:
    """"40 km from the frontier" says where a village is, not how long the border is."""
    s = Store(":memory:")
    a = article("Iran and Pakistan share a 909 km border. Its guards patrol it daily",
                "2024-02-01", path="length.txt")
    b = article("Missiles hit a village 40 kilometres from the frontier. Another landed a few "
                "dozen kilometres inside Pakistan, near the border", "2024-02-03", path="far.txt")
    for art in (a, b):
        s.write(processed(art, [], [mention(art, "Pakistan", "PAK", "PAK", "Pakistan")]))
    claims = extract_claims(s)
    lengths = claims[claims["topic"] == "border_length"]["value_text"].tolist()
    assert lengths == ["909 km"]
    assert disagreements(s).empty
