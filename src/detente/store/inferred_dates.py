"""The SQL of dating undated documents (:mod:`detente.link.infer_dates` decides, this writes).

Reads: each document's publication date and ``found`` record, the sentence offsets of the events
of some documents, the events dated by inference. Writes (one transaction): clearing the dates
inferred before, the newly inferred event dates, and each document's ``found`` record.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from detente.model import DateValue
    from detente.store import Store


def document_dates(store: Store) -> list[dict[str, Any]]:
    """Every document's ``doc_id``, ``published`` (None when it gives no date) and raw ``found``."""
    rows = store.sql("SELECT doc_id, published, found FROM documents").to_dict("records")
    for r in rows:
        if r["published"] != r["published"]:  # NaN from pandas: no date
            r["published"] = None
    return [{str(k): v for k, v in r.items()} for r in rows]


def event_sentence_starts(store: Store, doc_ids: Iterable[str]) -> dict[str, int]:
    """The character offset of each event's sentence, for the events of ``doc_ids``."""
    ids = list(doc_ids)
    if not ids:
        return {}
    rows = store.sql("SELECT event_id, sent_start FROM events WHERE doc_id IN "
                     f"({', '.join('?' for _ in ids)})", ids)
    return {str(r["event_id"]): int(r["sent_start"]) for r in rows.to_dict("records")}


def events_dated_by(store: Store, how: str) -> set[str]:
    """The ids of the events whose ``date_how`` is ``how``."""
    return {str(e) for e in store.sql("SELECT event_id FROM events WHERE date_how = ?", [how])["event_id"]}


def write_inferred_dates(store: Store, how: str, event_dates: Mapping[str, DateValue],
                         found_by_doc: Mapping[str, Mapping[str, str]]) -> None:
    """In one transaction: clear every event date marked ``how``, write ``event_dates`` (each
    marked with its own ``how``), and replace the ``found`` record of each document in
    ``found_by_doc``."""
    with store.transaction() as con:
        # a re-run starts from scratch: dates inferred before are cleared first
        con.execute("UPDATE events SET date = NULL, date_precision = NULL, date_end = NULL, date_how = NULL, "
                    "date_first = NULL, date_last = NULL WHERE date_how = ?", [how])
        for event_id, value in event_dates.items():
            con.execute("UPDATE events SET date = ?, date_precision = ?, date_end = ?, date_how = ?, "
                        "date_first = ?, date_last = ? WHERE event_id = ?",
                        [value.value, value.precision, value.end, value.how, value.start_date,
                         value.last_date, event_id])
        for doc_id, found in found_by_doc.items():
            con.execute("UPDATE documents SET found = ? WHERE doc_id = ?", [json.dumps(dict(found)), doc_id])
