"""The extracted events of a store, as the evaluator compares them with the gold: keyed by gold
document, flagged events left out unless asked, same-sentence duplicates merged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from detente.evaluate.gold import doc_key
from detente.model import PRECISION_RANK, DateValue
from detente.store import Store


@dataclass
class PredEvent:
    doc: str
    event_id: str
    sentence_index: int
    sent_start: int
    sent_end: int
    sentence: str
    type: str
    actor: tuple[str, ...]
    recipient: tuple[str, ...]
    date: DateValue | None
    place: str | None
    place_country: str | None
    flagged: bool = False
    order: int = 0


def document_keys(store: Store) -> dict[str, tuple[str, str, str | None, str | None]]:
    """doc_id -> (gold key, text, published, published_precision)."""
    frame = store.sql("SELECT doc_id, path, record_id, text, published, published_precision "
                      "FROM documents")
    out = {}
    for doc_id, path, rid, text, pub, prec in frame.itertuples(index=False):
        rid = rid if isinstance(rid, str) and rid else None
        out[doc_id] = (doc_key(str(path), rid), str(text or ""), pub if isinstance(pub, str) else None,
                       prec if isinstance(prec, str) else None)
    return out


def _s(v: Any) -> str | None:
    return v if isinstance(v, str) and v else None


def predicted_events(store: Store, keys: dict[str, Any], *, include_flagged: bool = False) -> \
        list[PredEvent]:
    frame = store.sql("""
        WITH part AS (SELECT event_id, role, list(code ORDER BY position) AS codes
                      FROM participants WHERE code IS NOT NULL GROUP BY event_id, role)
        SELECT e.event_id, e.doc_id, e.sentence_index, e.sent_start, e.sent_end, e.text, e.event,
               e.date, e.date_precision, e.date_end, e.place_name, e.place_country, e.negated,
               e.hypothetical, coalesce(a.codes, []) AS actor, coalesce(r.codes, []) AS recipient
        FROM events e
        LEFT JOIN part a ON a.event_id = e.event_id AND a.role = 'actor'
        LEFT JOIN part r ON r.event_id = e.event_id AND r.role = 'recipient'
        ORDER BY e.doc_id, e.sentence_index, e.trigger_start, e.event_id""")
    out = []
    for i, row in enumerate(frame.to_dict("records")):
        flagged = bool(row["negated"]) or bool(row["hypothetical"])
        if flagged and not include_flagged:
            continue
        date = None
        if _s(row["date"]) and row["date_precision"] in PRECISION_RANK:
            date = DateValue(row["date"], row["date_precision"], _s(row["date_end"]))
        out.append(PredEvent(
            doc=keys[row["doc_id"]][0] if row["doc_id"] in keys else row["doc_id"],
            event_id=row["event_id"], sentence_index=int(row["sentence_index"]),
            sent_start=int(row["sent_start"]), sent_end=int(row["sent_end"]), sentence=row["text"],
            type=str(row["event"]).upper(), actor=tuple(dict.fromkeys(row["actor"])),
            recipient=tuple(dict.fromkeys(row["recipient"])), date=date,
            place=_s(row["place_name"]), place_country=_s(row["place_country"]), flagged=flagged,
            order=i))
    return out


def merge_events(preds: Sequence[PredEvent]) -> list[PredEvent]:
    """One event per (document, sentence, type, actor set): recipients united (format rule 4)."""
    out: dict[tuple[str, int, str, frozenset[str]], PredEvent] = {}
    for p in preds:
        key = (p.doc, p.sentence_index, p.type, frozenset(p.actor))
        if key in out:
            first = out[key]
            first.recipient = tuple(dict.fromkeys([*first.recipient, *p.recipient]))
        else:
            out[key] = PredEvent(**{**p.__dict__})
    return list(out.values())
