"""Blocking in canonical-event clustering (issue 16, point 2): ``cluster_mentions`` looks a
mention up only among clusters whose members could fit it, and checks members that link alike
once. These tests hold it to the plain algorithm it replaced (every cluster filed under a shared
party and month or document, every member checked) on random reports and on one long
generated document, and check that the blocking never leaves out a pair that would merge."""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.link import dedup, load_mentions, load_plover_table
from detente.link.config import PloverTable
from detente.link.dedup import _Clusters, _index_keys, cluster_mentions, compatible
from detente.link.mentions import EventMention
from detente.model import DateValue
from detente.pipeline import Pipeline
from detente.store import Store

TABLE = load_plover_table()


def plain_clusters(mentions: Sequence[EventMention], table: PloverTable, *,
                   window_days: int = 1) -> list[list[EventMention]]:
    """The clustering before blocking: each mention against every member of every cluster filed
    under one of its keys; the most dated, then largest, fitting cluster, the first on ties."""
    by_type: dict[str, list[EventMention]] = defaultdict(list)
    for m in mentions:
        by_type[table.family(m.event)].append(m)
    clusters: list[list[EventMention]] = []
    for event in sorted(by_type):
        mine: list[list[EventMention]] = []
        index: dict[tuple[Any, ...], set[int]] = defaultdict(set)
        for m in sorted(by_type[event], key=lambda x: x.sort_key):
            candidates = sorted({i for key in _index_keys(m, window_days, lookup=True)
                                 for i in index.get(key, ())})
            best: int | None = None
            for i in candidates:
                pref = (any(x.date is not None for x in mine[i]), len(mine[i]))
                if all(compatible(m, o, table, window_days) for o in mine[i]) and (
                        best is None or pref > (any(x.date is not None for x in mine[best]),
                                                len(mine[best]))):
                    best = i
            if best is None:
                best = len(mine)
                mine.append([])
            mine[best].append(m)
            for key in _index_keys(m, window_days, lookup=False):
                index[key].add(best)
        clusters.extend(sorted(mine, key=lambda ms: min(x.sort_key for x in ms)))
    return clusters


def ids(clusters: list[list[EventMention]]) -> list[list[str]]:
    return [[m.event_id for m in c] for c in clusters]


# -- random reports: few values of each field, so that many pairs fit -------------------------
CODES = ["PAK", "IRN", "TUR", "officials", "country:PAK", "person:imran-khan"]
DATES = [None, DateValue("2024-03-03", "day"), DateValue("2024-03-04", "day"),
         DateValue("2024-03-06", "day"), DateValue("2024-03", "month"), DateValue("2024", "year"),
         DateValue("2024-03-02", "day", "2024-03-05")]
TEXTS = ["Pakistan and Iran agreed to reopen the Taftan crossing near the border on Monday",
         "Officials said Pakistan and Iran agreed to reopen the Taftan crossing near the border",
         "Turkey accused Iran of shelling villages in the Panjgur district overnight"]
PLACES = [(None, None), ("Taftan", "PAK"), ("Ankara", "TUR"), ("Panjgur", "PAK"), ("Zahedan", None)]
codes = st.lists(st.sampled_from(CODES), max_size=3, unique=True).map(tuple)


@st.composite
def mention(draw: st.DrawFn) -> EventMention:
    place, country = draw(st.sampled_from(PLACES))
    actors, recipients = draw(codes), draw(codes)
    text = draw(st.sampled_from(TEXTS))
    return EventMention(
        event_id=str(draw(st.integers(0, 10**9))), doc_id=draw(st.sampled_from(["d1", "d2", "d3"])),
        sentence_index=draw(st.integers(0, 3)), trigger_start=draw(st.integers(0, 3)), text=text,
        event=draw(st.sampled_from(["AGREE", "CONSULT", "ACCUSE", "PROTEST", "ASSAULT"])), mode=None,
        trigger=draw(st.sampled_from(["agreed", "accused", "shelling"])),
        date=draw(st.sampled_from(DATES)), place=place, goldstein=None, quad=None,
        negated=draw(st.booleans()), hypothetical=False, actors=actors, recipients=recipients,
        mediators=(), published=None, source=None,
        actor_ids=tuple(c for c in actors if ":" in c),
        recipient_ids=tuple(c for c in recipients if ":" in c),
        place_country=country)


@settings(max_examples=300, deadline=None)
@given(ms=st.lists(mention(), max_size=40, unique_by=lambda m: m.event_id),
       window=st.sampled_from([0, 1, 3]))
def test_blocked_clustering_gives_the_plain_clusters(ms: list[EventMention], window: int) -> None:
    plain = ids(plain_clusters(ms, TABLE, window_days=window))
    assert ids(cluster_mentions(ms, TABLE, window_days=window)) == plain
    with mock.patch.object(dedup, "_VERDICTS", 3):  # the memo emptied often: the same clusters
        assert ids(cluster_mentions(ms, TABLE, window_days=window)) == plain


@settings(max_examples=1000, deadline=None)
@given(m=mention(), o=mention(), window=st.sampled_from([0, 1, 3]))
def test_blocking_never_leaves_out_a_pair_that_fits(m: EventMention, o: EventMention,
                                                     window: int) -> None:
    """Whenever a report fits a cluster's only member and shares one of its keys (as the plain
    algorithm looks clusters up), the blocked lookup visits that cluster."""
    shared = set(_index_keys(m, window, lookup=True)) & set(_index_keys(o, window, lookup=False))
    if TABLE.family(m.event) != TABLE.family(o.event) or not shared or \
            not compatible(m, o, TABLE, window):
        return
    clusters = _Clusters(TABLE, window)
    clusters.add(o)
    assert clusters.candidates(m, -1) == [0]  # -1: a key of its own


def test_the_pairs_the_blocking_must_find() -> None:
    """The readings that pass through different tokens: a shared actor, a shared recipient, an
    empty side, the place's country standing for the target, and a symmetric type's sides
    swapped or held in one report's codes."""
    def m(event: str, actors: tuple[str, ...], recipients: tuple[str, ...],
          country: str | None = None) -> EventMention:
        return EventMention(f"{event}{actors}{recipients}{country}", "d1", 0, 0, "text", event, None,
                            "t", DateValue("2024-03-03", "day"), None, None, None, False, False,
                            actors, recipients, (), None, None, place_country=country)

    pairs = [(m("ACCUSE", ("PAK",), ("IRN",)), m("ACCUSE", ("PAK",), ())),
             (m("ACCUSE", (), ("IRN",)), m("ACCUSE", ("TUR",), ("IRN",))),
             # the same unresolved actor ("officials"): the key they share
             (m("ASSAULT", ("officials",), ("USA",), "QAT"), m("ASSAULT", ("officials",), ("QAT",))),
             (m("CONSULT", ("PAK",), ("IRN",)), m("CONSULT", ("IRN",), ("PAK",))),
             (m("AGREE", ("PAK", "IRN"), ()), m("AGREE", ("PAK",), ("IRN", "TUR")))]
    for a, b in pairs:
        assert compatible(a, b, TABLE, 1)
        clusters = _Clusters(TABLE, 1)
        clusters.add(b)
        assert clusters.candidates(a, -1) == [0], (a.event, a.actors, a.recipients)


# -- one long generated document ----------------------------------------------------------------
def article_text(size: int) -> str:
    """The size benchmark's generated, event-dense news text (benchmarks/size.py)."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "size.py"
    spec = importlib.util.spec_from_file_location("size_benchmark", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.article_text(size))


def test_a_long_documents_canonical_events_are_unchanged(pipeline: Pipeline, tmp_path: Path) -> None:
    processed = pipeline.process_text(article_text(60_000), published="2024-03-03")
    with Store(tmp_path / "s.duckdb") as store:
        store.write(processed, pipeline.actors_seen(processed))
        ms = load_mentions(store, TABLE)
    assert len(ms) > 500
    blocked, plain = cluster_mentions(ms, TABLE), plain_clusters(ms, TABLE)
    assert ids(blocked) == ids(plain)
    assert any(len(c) > 10 for c in blocked)  # the same happening told many times: merged


@pytest.mark.parametrize("window", [0, 1])
def test_days_apart_are_checked_by_their_words(window: int) -> None:
    """Reports a day apart are compared member by member (their words decide), not by key."""
    def m(i: int, day: str, text: str) -> EventMention:
        return EventMention(str(i), "d1", i, 0, text, "ASSAULT", None, "struck",
                            DateValue(day, "day"), None, None, None, False, False, ("PAK",),
                            ("IRN",), (), None, None)

    ms = [m(1, "2024-03-03", "Pakistan struck militant hideouts in Panjgur district"),
          m(2, "2024-03-04", "Pakistan struck militant hideouts in Panjgur district again"),
          m(3, "2024-03-04", "Pakistan struck Iranian border posts near Saravan town")]
    assert ids(cluster_mentions(ms, TABLE, window_days=window)) == \
        ids(plain_clusters(ms, TABLE, window_days=window))
