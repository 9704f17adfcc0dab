"""Stored events as linkable mentions: :class:`EventMention` records read from the store."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from detente.link.config import PloverTable, load_plover_table
from detente.model import PRECISION_RANK, DateValue
from detente.store import Store
from detente.store.links import LinkStore


# -- event mentions as plain records -------------------------------------------------------------
@dataclass
class EventMention:
    """One stored event as the linker sees it."""

    event_id: str
    doc_id: str
    sentence_index: int
    trigger_start: int
    text: str
    event: str
    mode: str | None
    trigger: str
    date: DateValue | None
    place: str | None
    goldstein: float | None
    quad: int | None
    negated: bool
    hypothetical: bool
    actors: tuple[str, ...]
    recipients: tuple[str, ...]
    mediators: tuple[str, ...]
    published: str | None
    source: str | None
    actor_ids: tuple[str, ...] = ()
    recipient_ids: tuple[str, ...] = ()
    place_country: str | None = None

    @property
    def flagged(self) -> bool:
        return self.negated or self.hypothetical

    @property
    def sort_key(self) -> tuple[Any, ...]:
        d = self.date
        return (PRECISION_RANK.get(d.precision, 3) if d else 3, d.start_date if d else dt.date.max,
                self.published or "\uffff", self.doc_id, self.sentence_index, self.trigger_start)

    @property
    def order_key(self) -> tuple[Any, ...]:
        """Chronological order of reporting: event date, then document date and position."""
        return (self.date.start_date if self.date else dt.date.max, self.published or "\uffff",
                self.doc_id, self.sentence_index, self.trigger_start)


def cell(value: Any) -> Any:
    """A DataFrame cell's value, with NaN (pandas' missing value) as None."""
    if value is None:
        return None
    try:
        if value != value:
            return None
    except (TypeError, ValueError):
        return value
    return value


def codes_of(value: Any) -> tuple[str, ...]:
    """The distinct codes of a list cell, in order (None and NaN left out)."""
    if value is None:
        return ()
    out: list[str] = []
    for v in list(value):
        if v is not None and v == v and str(v) not in out:
            out.append(str(v))
    return tuple(out)


def mentions_from_frame(frame: pd.DataFrame, table: PloverTable) -> list[EventMention]:
    """Turn :meth:`LinkStore.event_frame` rows into :class:`EventMention` records."""
    out = []
    for row in frame.to_dict("records"):
        date = None
        if cell(row["date"]) is not None and cell(row["date_precision"]) in PRECISION_RANK:
            try:
                date = DateValue(str(row["date"]), row["date_precision"], cell(row["date_end"]),
                                 how="stored")
                _ = date.start_date, date.last_date
            except ValueError:
                date = None
        event = str(row["event"]).upper()
        out.append(EventMention(
            event_id=row["event_id"], doc_id=row["doc_id"], sentence_index=int(row["sentence_index"]),
            trigger_start=int(cell(row["trigger_start"]) or 0), text=str(cell(row["text"]) or ""),
            event=event, mode=cell(row["mode"]), trigger=str(cell(row["trigger"]) or ""), date=date,
            place=cell(row["place_name"]), goldstein=table.goldstein(event, cell(row["goldstein"])),
            quad=table.quad(event, cell(row["quad_code"])), negated=bool(row["negated"]),
            hypothetical=bool(row["hypothetical"]), actors=codes_of(row["actor_codes"]),
            recipients=codes_of(row["recipient_codes"]), mediators=codes_of(row["mediator_codes"]),
            published=published_day(row["published"]), source=cell(row["source"]),
            actor_ids=codes_of(row.get("actor_ids")), recipient_ids=codes_of(row.get("recipient_ids")),
            place_country=cell(row.get("place_country"))))
    return out


def published_day(value: Any) -> str | None:
    value = cell(value)
    if value is None:
        return None
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)



def load_mentions(store: Store, table: PloverTable | None = None) -> list[EventMention]:
    table = table or load_plover_table()
    return mentions_from_frame(LinkStore(store).event_frame(), table)

