"""Partial credit of an extracted event against a gold event: type, actors and recipients
(Jaccard), date and place.
"""

from __future__ import annotations

from detente.evaluate.extracted import PredEvent
from detente.evaluate.gold import GoldEvent
from detente.evaluate.measures import jaccard
from detente.evaluate.text import normalise
from detente.model import PRECISION_RANK, DateValue


def party_credit(g: GoldEvent, p: PredEvent) -> tuple[float | None, float]:
    """(actor credit or None when the gold names no actor, recipient credit)."""
    recips = [g.recipient] + ([g.alt_recipient] if g.alt_recipient is not None else [])
    best: tuple[float, float, float] = (-1.0, 0.0, 0.0)
    orders = [(p.actor, p.recipient)] + ([(p.recipient, p.actor)] if g.symmetric else [])
    for pa, pr in orders:
        for gr in recips:
            a = jaccard(g.actor, pa) if g.actor else 0.0
            r = jaccard(gr, pr)
            if a + r > best[0]:
                best = (a + r, a, r)
    return (best[1] if g.actor else None), best[2]


def date_credit(gold: DateValue | None, pred: DateValue | None) -> float | None:
    """1 inside the gold value/range at the same or a finer precision; 0.5 compatible but
    coarser; 0 otherwise; None when the gold has no date."""
    if gold is None:
        return None
    if pred is None:
        return 0.0
    try:
        inside = gold.start_date <= pred.start_date and pred.last_date <= gold.last_date
        if inside and PRECISION_RANK[pred.precision] <= PRECISION_RANK[gold.precision]:
            return 1.0
        return 0.5 if gold.compatible(pred) else 0.0
    except ValueError:
        return 0.0


def _country_names(code: str) -> set[str]:
    try:
        import pycountry
    except ImportError:  # pragma: no cover - a core dependency
        return set()
    c = pycountry.countries.get(alpha_3=code)
    if c is None:
        return set()
    return {normalise(getattr(c, a)).casefold() for a in ("name", "common_name", "official_name")
            if getattr(c, a, None)}


def place_credit(g: GoldEvent, p: PredEvent) -> float | None:
    if not g.place:
        return None
    if p.place and normalise(p.place).casefold() == normalise(g.place).casefold():
        return 1.0
    is_country = g.place_country and normalise(g.place).casefold() in _country_names(g.place_country)
    return 1.0 if is_country and p.place_country == g.place_country else 0.0


def credits(g: GoldEvent, p: PredEvent) -> dict[str, float | None]:
    actor, recipient = party_credit(g, p)
    return {"type": 1.0 if p.type == g.type else 0.5, "actor": actor, "recipient": recipient,
            "date": date_credit(g.date, p.date), "place": place_credit(g, p)}


def mean_credit(c: dict[str, float | None]) -> float:
    vals = [v for v in c.values() if v is not None]
    return sum(vals) / len(vals) if vals else 0.0
