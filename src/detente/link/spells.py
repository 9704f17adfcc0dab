"""A third party's contacts with the two sides of a conflict, in time: the context the triad
rules read (:class:`Context`), contacts split into spells (:func:`contact_spells`), whether a
conflict event belongs to a spell's crisis (:func:`near_spell`), and whether the third party is
itself a belligerent (:func:`attacks_a_side`). Used by :mod:`detente.link.triads`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from detente.link.mediation import MediationRules
from detente.link.mentions import EventMention
from detente.model import PRECISION_RANK, DateValue

__all__ = ["Contact", "Context", "Span", "article_month", "attacks_a_side", "contact_spells",
           "near_spell"]


@dataclass
class Context:
    """What the triad rules need besides the mentions."""

    canon: dict[str, str]
    canon_dates: dict[str, DateValue]
    published: dict[str, str]
    conflicts: dict[frozenset[str], list[EventMention]]
    window: dt.timedelta

    def linked_date(self, m: EventMention) -> DateValue | None:
        return self.canon_dates.get(self.canon.get(m.event_id, ""))

    def when(self, m: EventMention, *, article: bool = True) -> DateValue | None:
        """The mention's own date, else its canonical event's, else its article's month."""
        d = m.date or self.linked_date(m)
        if d is None and article:
            d = article_month(self.published.get(m.doc_id) or m.published)
        return d

    def fallback(self, pair: frozenset[str], docs: Iterable[str]) -> tuple[DateValue | None, str | None]:
        """A date for an undated triad: its conflict's (in the same documents), else the article's."""
        docs = set(docs)
        dated = [d for f in self.conflicts.get(pair, []) if f.doc_id in docs
                 for d in [self.when(f, article=False)] if d is not None]
        if dated:
            return max(dated, key=lambda d: (d.start_date, -PRECISION_RANK[d.precision])), "conflict"
        months = sorted(d for d in (self.published.get(doc) for doc in docs) if d)
        if months:
            return article_month(months[0]), "article"
        return None, None


def article_month(published: str | None) -> DateValue | None:
    """An article's publication date with month precision (``how`` "article")."""
    if not published:
        return None
    parts = str(published)[:10].split("-")
    try:
        if len(parts) >= 2:
            return DateValue(f"{int(parts[0]):04d}-{int(parts[1]):02d}", "month", how="article")
        return DateValue(f"{int(parts[0]):04d}", "year", how="article")
    except ValueError:
        return None


@dataclass
class Contact:
    other: str
    mention: EventMention
    when: DateValue | None


def contact_spells(contacts: list[Contact], window: dt.timedelta) -> list[list[Contact]]:
    """Dated contacts split where they are more than ``window`` apart; undated ones per document."""
    dated = sorted((c for c in contacts if c.when is not None),
                   key=lambda c: (c.when.start_date, c.mention.order_key))  # type: ignore[union-attr]
    spells: list[list[Contact]] = []
    latest: dt.date | None = None  # the latest start date in the spell being filled
    for c in dated:
        assert c.when is not None
        if spells and latest is not None and c.when.start_date - latest <= window:
            spells[-1].append(c)
            latest = max(latest, c.when.start_date)
        else:
            spells.append([c])
            latest = c.when.start_date
    undated: dict[str, list[Contact]] = defaultdict(list)
    for c in contacts:
        if c.when is None:
            undated[c.mention.doc_id].append(c)
    spells += [sorted(cs, key=lambda c: c.mention.order_key) for _, cs in sorted(undated.items())]
    return spells


@dataclass(frozen=True)
class Span:
    """What :func:`_near` asks of a spell, found once: its documents and the range of its
    contacts' own dates (``real``), else of their article dates."""

    docs: frozenset[str]
    first: dt.date | None
    last: dt.date | None
    real: bool

    @classmethod
    def of(cls, spell: list[Contact], ctx: Context) -> Span:
        real = [d for d in (ctx.when(c.mention, article=False) for c in spell) if d is not None]
        dates = real or [c.when for c in spell if c.when is not None]
        return cls(frozenset(c.mention.doc_id for c in spell),
                   min(d.start_date for d in dates) if dates else None,
                   max(d.last_date for d in dates) if dates else None, bool(real))


def near_spell(f: EventMention, span: Span, ctx: Context, window: dt.timedelta | None = None) -> bool:
    """Is conflict ``f`` part of the crisis around the spell of ``span``?

    Dated close to the contacts' own dates (within ``window``, default the context's) when both
    have them; else reported in the same document; else dated close to the contacts' article
    months.
    """
    fd = ctx.when(f, article=False)
    if (fd is None or not span.real) and f.doc_id in span.docs:
        return True
    if fd is None or span.first is None or span.last is None:
        return False
    window = ctx.window if window is None else window
    return fd.last_date >= span.first - window and fd.start_date <= span.last + window


def attacks_a_side(med: str, pair: frozenset[str], span: Span, ctx: Context,
                    rules: MediationRules) -> bool:
    """Does ``med`` itself attack one of the sides (an event of ``rules.belligerent_types``)
    within ``rules.belligerent_days`` of the contacts of the spell (or in their documents)? A
    belligerent talking to its enemy and to a third is no mediator by engagement ("Putin and
    Trump held a call" during Russia's war on Ukraine)."""
    if not rules.belligerent_days or not rules.belligerent_types:
        return False
    wide = dt.timedelta(days=rules.belligerent_days)
    return any(f.event in rules.belligerent_types and med in f.actors and side in f.recipients
               and near_spell(f, span, ctx, wide)
               for side in pair for f in ctx.conflicts.get(frozenset((med, side)), []))
