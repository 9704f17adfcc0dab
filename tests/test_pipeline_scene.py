"""The pipeline's calls into the date and place stages that need the article: a wire dateline's
city as the scene of a domestic action told with no place of its own."""

from __future__ import annotations

from pathlib import Path

import detente
from detente.store import Store


def test_a_wire_datelines_city_is_where_a_domestic_protest_was_broken_up(tmp_path: Path) -> None:
    text = ("KAMPALA, March 12, 2025 (Lake Wire) — Ugandan police fired tear gas at hundreds of "
            "protesting students on Tuesday, witnesses said.\n\nThe students were demanding lower "
            "fees.\n")
    (tmp_path / "kampala.txt").write_text(text, encoding="utf-8")
    with Store(":memory:") as store:
        report = detente.ingest_files([tmp_path], store, progress=False)
        assert report.documents == 1
        rows = store.events(include_flagged=True)
    places = {(r.event, r.place_name, r.place_country) for r in rows.itertuples()}
    assert any(place == "Kampala" and country == "UGA" for _, place, country in places), places
