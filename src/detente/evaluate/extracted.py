"""The extracted events of a store, as the evaluator compares them with the gold: keyed by gold
document, flagged events left out unless asked, same-sentence duplicates merged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from detente.evaluate.gold import doc_key
from detente.model import PRECISION_RANK, DateValue
from detente.store import Store, reports


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
    frame = reports.document_sources(store)
    out = {}
    for doc_id, path, rid, text, pub, prec in frame.itertuples(index=False):
        rid = rid if isinstance(rid, str) and rid else None
        out[doc_id] = (doc_key(str(path), rid), str(text or ""), pub if isinstance(pub, str) else None,
                       prec if isinstance(prec, str) else None)
    return out


def nonempty(v: Any) -> str | None:
    """``v`` when it is a non-empty string, else None (a missing value read from the store)."""
    return v if isinstance(v, str) and v else None


def predicted_events(store: Store, keys: dict[str, Any], *, include_flagged: bool = False) -> \
        list[PredEvent]:
    frame = reports.events_with_codes(store)
    out = []
    for i, row in enumerate(frame.to_dict("records")):
        flagged = bool(row["negated"]) or bool(row["hypothetical"])
        if flagged and not include_flagged:
            continue
        date = None
        if nonempty(row["date"]) and row["date_precision"] in PRECISION_RANK:
            date = DateValue(row["date"], row["date_precision"], nonempty(row["date_end"]))
        out.append(PredEvent(
            doc=keys[row["doc_id"]][0] if row["doc_id"] in keys else row["doc_id"],
            event_id=row["event_id"], sentence_index=int(row["sentence_index"]),
            sent_start=int(row["sent_start"]), sent_end=int(row["sent_end"]), sentence=row["text"],
            type=str(row["event"]).upper(), actor=tuple(dict.fromkeys(row["actor"])),
            recipient=tuple(dict.fromkeys(row["recipient"])), date=date,
            place=nonempty(row["place_name"]), place_country=nonempty(row["place_country"]), flagged=flagged,
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
