"""Across articles: canonical events and mediation triads.

Several articles (or several sentences of one) often report the same happening. :func:`link_events`
groups event mentions into *canonical events*: the same PLOVER type (and so the same quad class),
overlapping actors and recipients (either direction for symmetric types such as CONSULT), compatible
dates (a day inside a month, or days at most ``window_days`` apart) and compatible places. Grouping
is complete-link: a mention joins a canonical event only when it is compatible with every mention
already in it, so a chain of "close enough" dates cannot merge two different strikes. Two more rules
tie reports together without breaking that: participants are compared by code (``PAK`` and
``PAK`` army are one party), but two reports naming different *people* on the same side (Pompeo and
Esper, each calling Bajwa) are different happenings; and an undated report joins a report in
another document only when the two sentences share a long run of words (the same quoted tweet).

:func:`find_triads` finds third parties between two others: explicit mediation (offers, brokered
agreements, facilitated talks, from events that carry a mediator or name mediation), and inferred
mediation (a third party engaging both sides of a live conflict, in one event naming both or in
contacts with each, or shuttling between them). A triad without a date of its own takes the date of
the conflict it relates to (``date_how`` ``conflict``) or its article's month (``article``). Triads
that no stored event states as third-party CONSULT are also written as *derived* canonical events.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, overload

import pandas as pd
import pyarrow as pa
import yaml

from detente.errors import DataFileError, QueryError, StoreError
from detente.link.mediation import KIND_RANK, DocumentContext, read_mediation, strongest
from detente.model import DateValue
from detente.store import Store, date_bound, frame_rows
from detente.store.links import CANONICAL_SCHEMA, LINK_SCHEMA, LinkStore

DATA_DIR = Path(__file__).parent.parent / "data" / "analysis"
PLOVER_FILE = DATA_DIR / "plover.yaml"
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
TRIAD_KINDS = ("offer", "hosted", "brokered", "facilitated", "engagement", "shuttle")


# -- the PLOVER table --------------------------------------------------------------------------
@dataclass(frozen=True)
class TypeInfo:
    quad: int
    goldstein: float
    symmetric: bool


@dataclass(frozen=True)
class PloverTable:
    types: dict[str, TypeInfo]
    engagement_types: frozenset[str]
    shuttle_types: frozenset[str]
    offer_words: tuple[str, ...]
    mediation_words: tuple[str, ...]
    appeal_words: tuple[str, ...] = ()
    both_sides_words: tuple[str, ...] = ()
    shared_words: int = 8
    families: tuple[tuple[str, ...], ...] = ()
    distinct_words: int = 2
    common_words: frozenset[str] = frozenset()

    def family(self, event: str) -> str:
        """The type family of ``event``: its family's first type, else the type itself."""
        event = event.upper()
        for fam in self.families:
            if event in fam:
                return fam[0]
        return event

    def quad(self, event: str, given: Any = None) -> int | None:
        if given is not None and given == given:
            return int(given)
        info = self.types.get(event)
        return info.quad if info else None

    def goldstein(self, event: str, given: Any = None) -> float | None:
        if given is not None and given == given:
            return float(given)
        info = self.types.get(event)
        return info.goldstein if info else None

    def symmetric(self, event: str) -> bool:
        info = self.types.get(event)
        return bool(info and info.symmetric)


def _words_pattern(words: Iterable[str]) -> re.Pattern[str]:
    alts = sorted((re.escape(w.lower()) for w in words), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)


@functools.lru_cache(maxsize=8)
def load_plover_table(path: Path = PLOVER_FILE) -> PloverTable:
    """Read and validate the cross-article table (``data/analysis/plover.yaml``): which types are
    symmetric, the mediation word lists and the linking settings; quad classes and Goldstein
    scores are those of the event coder's table."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(path, f"cannot read the PLOVER table: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("symmetric"), list):
        raise DataFileError(path, "expected a mapping with a 'symmetric' list of PLOVER types")
    # quad classes and fallback Goldstein scores come from the one coding table
    # (data/ontology/plover.yaml), the same the event stage codes with
    from detente.events.code import Coder

    coder = Coder.load()
    symmetric = {str(t).upper() for t in raw["symmetric"]}
    unknown = symmetric - set(coder.table.types)
    if unknown:
        raise DataFileError(path, f"'symmetric' names unknown PLOVER types: {', '.join(sorted(unknown))}")
    types: dict[str, TypeInfo] = {}
    for name in coder.table.types:
        _cameo, gold, quad = coder.lookup(name) or ("", 0.0, 0)
        types[name] = TypeInfo(int(quad), float(gold), name in symmetric)
    med = raw.get("mediation") or {}
    if not isinstance(med, dict):
        raise DataFileError(path, "'mediation' must be a mapping")
    lists: dict[str, list[str]] = {}
    for key in ("engagement_types", "shuttle_types", "offer_words", "mediation_words",
                "appeal_words", "both_sides_words"):
        value = med.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise DataFileError(path, f"mediation.{key} must be a list of non-empty strings")
        lists[key] = [v.strip() for v in value]
    linking = raw.get("linking") or {}
    if not isinstance(linking, dict):
        raise DataFileError(path, "'linking' must be a mapping")
    shared = linking.get("shared_words", 8)
    if isinstance(shared, bool) or not isinstance(shared, int) or shared < 3:
        raise DataFileError(path, "linking.shared_words must be a whole number of 3 or more")
    distinct = linking.get("distinct_words", 2)
    if isinstance(distinct, bool) or not isinstance(distinct, int) or distinct < 1:
        raise DataFileError(path, "linking.distinct_words must be a whole number of 1 or more")
    families: list[tuple[str, ...]] = []
    for fam in linking.get("families") or []:
        if not isinstance(fam, list) or len(fam) < 2:
            raise DataFileError(path, f"linking.families: {fam!r} is not a list of two or more types")
        fam_t = tuple(str(t).upper() for t in fam)
        bad = [t for t in fam_t if t not in coder.table.types]
        if bad:
            raise DataFileError(path, f"linking.families names unknown PLOVER types: {', '.join(bad)}")
        if any(t in f for f in families for t in fam_t):
            raise DataFileError(path, f"linking.families: a type is in two families ({fam!r})")
        families.append(fam_t)
    common = linking.get("common_words") or []
    if not isinstance(common, list) or not all(isinstance(w, str) for w in common):
        raise DataFileError(path, "linking.common_words must be a list of words")
    return PloverTable(types=types,
                       engagement_types=frozenset(t.upper() for t in lists["engagement_types"]),
                       shuttle_types=frozenset(t.upper() for t in lists["shuttle_types"]),
                       offer_words=tuple(lists["offer_words"]),
                       mediation_words=tuple(lists["mediation_words"]),
                       appeal_words=tuple(lists["appeal_words"]),
                       both_sides_words=tuple(lists["both_sides_words"]), shared_words=shared,
                       families=tuple(families), distinct_words=distinct,
                       common_words=frozenset(w.casefold() for w in common))


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
        return (_PRECISION_RANK.get(d.precision, 3) if d else 3, d.start_date if d else dt.date.max,
                self.published or "\uffff", self.doc_id, self.sentence_index, self.trigger_start)

    @property
    def order_key(self) -> tuple[Any, ...]:
        """Chronological order of reporting: event date, then document date and position."""
        return (self.date.start_date if self.date else dt.date.max, self.published or "\uffff",
                self.doc_id, self.sentence_index, self.trigger_start)


def _nn(value: Any) -> Any:
    if value is None:
        return None
    try:
        if value != value:
            return None
    except (TypeError, ValueError):
        return value
    return value


def _codes(value: Any) -> tuple[str, ...]:
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
        if _nn(row["date"]) is not None and _nn(row["date_precision"]) in _PRECISION_RANK:
            try:
                date = DateValue(str(row["date"]), row["date_precision"], _nn(row["date_end"]),
                                 how="stored")
                _ = date.start_date, date.last_date
            except ValueError:
                date = None
        event = str(row["event"]).upper()
        out.append(EventMention(
            event_id=row["event_id"], doc_id=row["doc_id"], sentence_index=int(row["sentence_index"]),
            trigger_start=int(_nn(row["trigger_start"]) or 0), text=str(_nn(row["text"]) or ""),
            event=event, mode=_nn(row["mode"]), trigger=str(_nn(row["trigger"]) or ""), date=date,
            place=_nn(row["place_name"]), goldstein=table.goldstein(event, _nn(row["goldstein"])),
            quad=table.quad(event, _nn(row["quad_code"])), negated=bool(row["negated"]),
            hypothetical=bool(row["hypothetical"]), actors=_codes(row["actor_codes"]),
            recipients=_codes(row["recipient_codes"]), mediators=_codes(row["mediator_codes"]),
            published=_published(row["published"]), source=_nn(row["source"]),
            actor_ids=_codes(row.get("actor_ids")), recipient_ids=_codes(row.get("recipient_ids")),
            place_country=_nn(row.get("place_country"))))
    return out


def _published(value: Any) -> str | None:
    value = _nn(value)
    if value is None:
        return None
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)


_COUNTRY_ID = re.compile(r"country:.*|[A-Z]{3}")


def _named(ids: Iterable[str]) -> set[str]:
    """The identifiers of named actors (people, groups), not bare countries (``country:PAK``)."""
    return {i for i in ids if i and not _COUNTRY_ID.fullmatch(i)}


_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text.replace("U.S.", "US").replace("U.K.", "UK"))]


def shared_run(a: str, b: str, n: int) -> bool:
    """True when the two texts share a run of at least ``n`` words (case and punctuation ignored)."""
    wa, wb = _words(a), _words(b)
    if len(wa) < n or len(wb) < n:
        return False
    grams = {tuple(wa[i:i + n]) for i in range(len(wa) - n + 1)}
    return any(tuple(wb[i:i + n]) in grams for i in range(len(wb) - n + 1))


# -- compatibility -------------------------------------------------------------------------------
def dates_compatible(a: DateValue, b: DateValue, window_days: int) -> bool:
    """Two day-precision dates (or day ranges) at most ``window_days`` apart, else containment."""
    if a.precision == "day" and b.precision == "day":
        first, second = (a, b) if a.start_date <= b.start_date else (b, a)
        gap = (second.start_date - first.last_date).days
        return gap <= window_days
    return a.compatible(b)


def _fits(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
    return not x or not y or bool(set(x) & set(y))


def _people_clash(x_act: Iterable[str], x_rec: Iterable[str], y_act: Iterable[str],
                  y_rec: Iterable[str]) -> bool:
    """Both reports name actors on one side and none of them is the same (Pompeo vs Esper)."""
    for x, y in ((_named(x_act), _named(y_act)), (_named(x_rec), _named(y_rec))):
        if x and y and not x & y:
            return True
    return False


# a resolved participant: a country or IGO code, or an identifier ("person:..."); anything else
# is the text of an actor nobody resolved ("officers"), which tells nothing about the side
_RESOLVED = re.compile(r"[A-Z]{3}|[a-z]+:\S+")


def _resolved(codes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c for c in codes if _RESOLVED.fullmatch(c))


def parties_compatible(a: EventMention, b: EventMention, symmetric: bool) -> bool:
    """Overlapping actors and recipients; for symmetric types the sides may be swapped.

    Codes are compared, so ``USA -> PAK`` and ``USA -> PAK`` (army) fit (an actor left
    unresolved, "officers", fits any code, but the other side must still agree); but when both reports
    name people (or groups) on a side, they must share one. The country an act took place in
    stands for its target when the recipients differ: an attack on "the US base in Qatar" is
    told with Qatar or with the United States as recipient.
    """
    ar, br = _resolved(a.recipients), _resolved(b.recipients)
    aa, ba = _resolved(a.actors), _resolved(b.actors)
    if not symmetric and ar and br and not set(ar) & set(br):
        ar = (*ar, *([a.place_country] if a.place_country else []))
        br = (*br, *([b.place_country] if b.place_country else []))
    a_act, a_rec, b_act, b_rec = set(aa), set(ar), set(ba), set(br)
    straight = not _people_clash(a.actor_ids, a.recipient_ids, b.actor_ids, b.recipient_ids)
    swapped = symmetric and not _people_clash(a.actor_ids, a.recipient_ids, b.recipient_ids,
                                              b.actor_ids)
    if not straight and not swapped:
        return False
    if straight and _fits(aa, ba) and _fits(ar, br) and (a_act & b_act or a_rec & b_rec):
        return True
    if not symmetric:
        return False
    ua, ub = a_act | a_rec, b_act | b_rec
    if not ua or not ub:
        return False
    return ua <= ub or ub <= ua or len(ua & ub) >= 2


def compatible(a: EventMention, b: EventMention, table: PloverTable, window_days: int) -> bool:
    """Could ``a`` and ``b`` report the same happening?

    An undated report fits a report in another document only when they quote the same words
    (:func:`shared_run`, ``linking.shared_words`` in ``plover.yaml``).
    """
    if table.family(a.event) != table.family(b.event) or a.negated != b.negated or \
            a.hypothetical != b.hypothetical:
        return False
    if a.date is None or b.date is None:
        if a.doc_id != b.doc_id and not shared_run(a.text, b.text, table.shared_words):
            return False
    elif not dates_compatible(a.date, b.date, 0) and (
            # reports dated to different days: the same happening only when close and told
            # with the same distinctive words (an outlet dating a strike a day later)
            not dates_compatible(a.date, b.date, window_days) or not _same_root(a.trigger, b.trigger)
            or len(distinctive_words(a, table) & distinctive_words(b, table)) < table.distinct_words):
        return False
    if not places_compatible(a, b):
        return False
    return parties_compatible(a, b, table.symmetric(a.event))


def _same_root(x: str, y: str) -> bool:
    """Triggers of one verb ("struck", "strike"; "announced", "announcement"): the same first
    three letters of their last word. Reports dated to different days must share one, so a
    delegation's arrival does not link to the next day's talks."""
    wx, wy = _WORD.findall(x.casefold()), _WORD.findall(y.casefold())
    return bool(wx and wy and wx[-1][:3] == wy[-1][:3])


def places_compatible(a: EventMention, b: EventMention) -> bool:
    """The same place name, or places in one country (Al Udeid and Doha), or either unknown."""
    if not a.place or not b.place or a.place.casefold() == b.place.casefold():
        return True
    return bool(a.place_country and a.place_country == b.place_country)


_DIGITS = re.compile(r"\d")


def distinctive_words(m: EventMention, table: PloverTable) -> set[str]:
    """The words of a report that can tell it from another of the same type and actors: not
    country names, numbers, common words or the trigger; crude plurals folded ("strikes" =
    "strike"). Place and operation names count: "Panjgur" in both reports is strong evidence."""
    trigger = {w.casefold() for w in _WORD.findall(m.trigger)}
    countries = _country_words()
    out = set()
    for w in _WORD.findall(m.text):
        low = w.casefold()
        if len(low) < 4 or _DIGITS.search(low) or low in table.common_words or low in trigger \
                or low in countries:
            continue
        out.add(low[:-1] if low.endswith("s") and len(low) > 4 else low)
    return out


@functools.lru_cache(maxsize=1)
def _country_words() -> frozenset[str]:
    """Words of country names and demonyms: the parties, compared as codes already (capitals
    and cities stay: they name where something happened)."""
    from detente.actors.countries import CountryTable

    table = CountryTable.load()
    return frozenset(w.casefold() for form, hit in table.forms.items()
                     if hit.kind in ("country", "demonym") for w in _WORD.findall(form))


def _months(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append((y, m))
        y, m = y + (m == 12), m % 12 + 1
    return out


def _index_keys(m: EventMention, window_days: int, *, lookup: bool) -> list[tuple[Any, ...]]:
    """Keys under which a compatible cluster must be filed: a shared party and a shared month.

    Undated mentions can match across documents (by quotation): every cluster is also filed
    under ``(code, "any")``, which only undated mentions (placed last) look up.
    """
    codes = {*m.actors, *m.recipients}
    keys: list[tuple[Any, ...]] = [(c, "doc", m.doc_id) for c in codes]
    if not lookup or m.date is None:
        keys += [(c, "any") for c in codes]
    if m.date is not None:
        pad = dt.timedelta(days=window_days if lookup else 0)
        keys += [(c, ym) for c in codes for ym in _months(m.date.start_date - pad, m.date.last_date + pad)]
    return keys


def cluster_mentions(mentions: Sequence[EventMention], table: PloverTable, *,
                     window_days: int = 1) -> list[list[EventMention]]:
    """Group mentions into canonical events (complete-link, most precise dates placed first).

    Candidate groups are looked up by shared party and month, so the work grows with the number
    of events per party and month, not with the size of the store.
    """
    if window_days < 0:
        raise QueryError(f"window_days must be 0 or more, not {window_days}")
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
                if all(compatible(m, other, table, window_days) for other in mine[i]) and (
                        best is None or _preference(mine[i]) > _preference(mine[best])):
                    best = i
            if best is None:
                best = len(mine)
                mine.append([])
            mine[best].append(m)
            for key in _index_keys(m, window_days, lookup=False):
                index[key].add(best)
        clusters.extend(sorted(mine, key=lambda ms: min(x.sort_key for x in ms)))
    return clusters


def _preference(cluster: Sequence[EventMention]) -> tuple[bool, int]:
    """Which of several fitting clusters a mention joins: a dated one first, then the largest."""
    return any(x.date is not None for x in cluster), len(cluster)


def canonical_id(members: Sequence[EventMention]) -> str:
    key = "|".join(sorted(m.event_id for m in members))
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _canonical_date(members: Sequence[EventMention]) -> DateValue | None:
    dated = [m for m in members if m.date is not None]
    if not dated:
        return None
    best_rank = min(_PRECISION_RANK[m.date.precision] for m in dated if m.date)
    docs: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    for m in dated:
        if m.date and _PRECISION_RANK[m.date.precision] == best_rank:
            docs[(m.date.value, m.date.end)].add(m.doc_id)
    (value, end), _ = min(docs.items(), key=lambda kv: (-len(kv[1]), kv[0][0], kv[0][1] or ""))
    precision = ("day", "month", "year")[best_rank]
    return DateValue(value, precision, end)  # type: ignore[arg-type]


def _union(groups: Iterable[tuple[str, ...]]) -> list[str]:
    return sorted({c for g in groups for c in g})


def canonical_row(members: Sequence[EventMention], table: PloverTable) -> dict[str, Any]:
    first = min(members, key=lambda m: (m.published or "\uffff", m.doc_id, m.sentence_index,
                                        m.trigger_start))
    date = _canonical_date(members)
    places = Counter(m.place for m in members if m.place)
    golds = [m.goldstein for m in members if m.goldstein is not None]
    quads = Counter(m.quad for m in members if m.quad is not None)
    modes = Counter(m.mode for m in members if m.mode)
    types = Counter(m.event for m in members)
    event = min(types, key=lambda t: (-types[t], t))
    return {
        "canonical_id": canonical_id(members), "event": event,
        "quad_code": quads.most_common(1)[0][0] if quads else table.quad(event),
        "date": date.value if date else None, "date_precision": date.precision if date else None,
        "date_first": date.start_date if date else None, "date_last": date.last_date if date else None,
        "actor_codes": _union(m.actors for m in members),
        "recipient_codes": _union(m.recipients for m in members),
        "mediator_codes": _union(m.mediators for m in members),
        "place_name": min(places, key=lambda p: (-places[p], p)) if places else None,
        "n_mentions": len(members), "n_documents": len({m.doc_id for m in members}),
        "doc_ids": sorted({m.doc_id for m in members}),
        "sources": sorted({m.source for m in members if m.source}),
        "goldstein": round(sum(golds) / len(golds), 3) if golds else table.goldstein(event),
        "negated": members[0].negated, "hypothetical": members[0].hypothetical,
        "first_text": first.text, "kind": "reported",
        "mode": min(modes, key=lambda x: (-modes[x], x)) if modes else None,
        "date_how": "reported" if date else None, "triad_kind": None, "evidence_ids": None,
    }


# -- public: canonical events ------------------------------------------------------------------
@dataclass
class LinkResult:
    """What :func:`link_events` built."""

    n_events: int
    n_canonical: int
    n_merged: int  # canonical events with more than one mention
    n_multi_document: int  # canonical events reported by two or more documents
    canonical: pd.DataFrame
    n_derived: int = 0  # third-party CONSULT events derived from mediation triads

    def __str__(self) -> str:
        return (f"{self.n_events} event mentions -> {self.n_canonical} canonical events "
                f"({self.n_merged} merged, {self.n_multi_document} reported by 2+ documents); "
                f"{self.n_derived} derived from mediation triads")


def load_mentions(store: Store, table: PloverTable | None = None) -> list[EventMention]:
    table = table or load_plover_table()
    return mentions_from_frame(LinkStore(store).event_frame(), table)


def build_canonical(mentions: Sequence[EventMention], table: PloverTable, *,
                    window_days: int = 1) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Canonical rows and an event_id -> canonical_id map, without touching the store."""
    rows, links = [], {}
    for members in cluster_mentions(mentions, table, window_days=window_days):
        row = canonical_row(members, table)
        rows.append(row)
        for m in members:
            links[m.event_id] = row["canonical_id"]
    return rows, links


def link_events(store: Store, *, window_days: int = 1, shuttle_window_days: int = 14,
                plover: PloverTable | None = None) -> LinkResult:
    """(Re)build the canonical events of the whole store and write them (and the links) to it.

    Mediation triads that no stored event states as a third-party CONSULT (engagement, shuttle,
    offers read from sentences) are written too, as ``derived`` canonical events
    (:func:`derived_rows`), found with ``shuttle_window_days``.
    """
    table = plover or load_plover_table()
    mentions = load_mentions(store, table)
    # undated documents dated from linked reports (detente.link.infer_dates); linking and triads read
    # only the dates documents give themselves
    from detente.link.infer_dates import date_undated_documents, without_inferred_dates

    if date_undated_documents(store, mentions, table, window_days=window_days) or any(
            m.published is None for m in mentions):  # dates written or cleared: read them again
        mentions = without_inferred_dates(store, load_mentions(store, table))
    rows, links = build_canonical(mentions, table, window_days=window_days)
    triads = _all_triads(store, mentions, table, links, shuttle_window_days)
    derived = derived_rows(triads, mentions, table)
    LinkStore(store).replace_canonical(
        pa.Table.from_pylist(rows + derived, schema=CANONICAL_SCHEMA),
        pa.Table.from_pylist([{"event_id": e, "canonical_id": c} for e, c in links.items()],
                             schema=LINK_SCHEMA))
    frame = canonical_events(store, include_flagged=True)
    assert isinstance(frame, pd.DataFrame)
    return LinkResult(n_events=len(mentions), n_canonical=len(rows),
                      n_merged=sum(1 for r in rows if r["n_mentions"] > 1),
                      n_multi_document=sum(1 for r in rows if r["n_documents"] > 1), canonical=frame,
                      n_derived=len(derived))


_CANONICAL_FILTERS = frozenset({"actor", "type", "since", "until", "min_documents", "include_flagged",
                                "arrow", "kind"})
CANONICAL_KINDS = ("reported", "derived")


@overload
def canonical_events(store: Store, *, arrow: Literal[False] = ..., **filters: Any) -> pd.DataFrame: ...
@overload
def canonical_events(store: Store, *, arrow: Literal[True], **filters: Any) -> pa.Table: ...
@overload
def canonical_events(store: Store, *, arrow: bool, **filters: Any) -> pd.DataFrame | pa.Table: ...
def canonical_events(store: Store, **filters: Any) -> pd.DataFrame | pa.Table:
    """Canonical events, built first if the store has none (or events were added since).

    Filters: ``actor`` (a code, in any role), ``type`` (PLOVER types, comma-separated or a list),
    ``since``/``until`` (``YYYY[-MM[-DD]]``), ``min_documents``, ``include_flagged`` (negated and
    hypothetical events, default False), ``kind`` (``reported``: groups of stored reports;
    ``derived``: third-party CONSULT events inferred from mediation triads; default both),
    ``arrow`` (return a pyarrow Table).
    """
    unknown = set(filters) - _CANONICAL_FILTERS
    if unknown:
        raise QueryError(f"unknown filter(s) {', '.join(sorted(unknown))}; use "
                         f"{', '.join(sorted(_CANONICAL_FILTERS))}")
    ls = LinkStore(store)
    if not ls.is_linked():
        if store.read_only:
            raise StoreError(f"the store {store.path} has no canonical events yet; open it for "
                             "writing and run link_events (`detente link`)")
        if ls.store.sql("SELECT count(*) AS n FROM events")["n"].iloc[0] > 0:
            link_events(store)
    where: list[str] = []
    params: list[Any] = []
    if filters.get("actor"):
        where.append("(list_contains(list_transform(c.actor_codes, lambda x: upper(x)), upper(?)) OR "
                     "list_contains(list_transform(c.recipient_codes, lambda x: upper(x)), upper(?)) OR "
                     "list_contains(list_transform(c.mediator_codes, lambda x: upper(x)), upper(?)))")
        params += [filters["actor"]] * 3
    if filters.get("type"):
        raw = filters["type"]
        types = [t.strip().upper() for part in ([raw] if isinstance(raw, str) else list(raw))
                 for t in str(part).split(",") if t.strip()]
        where.append(f"c.event IN ({', '.join('?' for _ in types)})")
        params += types
    if filters.get("since"):
        where.append("c.date_last >= ?")
        params.append(date_bound(filters["since"]))
    if filters.get("until"):
        where.append("c.date_first <= ?")
        params.append(date_bound(filters["until"], last=True))
    if filters.get("min_documents") is not None:
        try:
            n = int(filters["min_documents"])
        except (TypeError, ValueError):
            raise QueryError(f"min_documents must be a whole number, not "
                             f"{filters['min_documents']!r}") from None
        where.append("c.n_documents >= ?")
        params.append(n)
    if filters.get("kind"):
        if filters["kind"] not in CANONICAL_KINDS:
            raise QueryError(f"bad kind {filters['kind']!r}: use {' or '.join(CANONICAL_KINDS)}")
        where.append("coalesce(c.kind, 'reported') = ?")
        params.append(filters["kind"])
    if not filters.get("include_flagged", False):
        where.append("NOT c.negated AND NOT c.hypothetical")
    return ls.canonical(where, params, arrow=bool(filters.get("arrow", False)))


def canonical_map(store: Store, mentions: Sequence[EventMention], table: PloverTable, *,
                  window_days: int = 1) -> dict[str, str]:
    """event_id -> canonical_id: the stored links when they cover every event, else computed."""
    ls = LinkStore(store)
    if ls.is_linked():
        links = ls.links()
        return dict(zip(links["event_id"], links["canonical_id"], strict=True))
    return build_canonical(mentions, table, window_days=window_days)[1]


def canonical_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A compact, readable view of :func:`canonical_events` for a text table.

    One row per canonical event: date, type, kind, mode, ``who`` (``USA -> PAK``, with
    ``via CHN`` for mediators), the number of reports and documents, and the first report's text.
    """
    rows = []
    for r in frame.to_dict("records"):
        who = f"{', '.join(_codes(r.get('actor_codes'))) or '?'} -> " \
              f"{', '.join(_codes(r.get('recipient_codes'))) or '?'}"
        meds = _codes(r.get("mediator_codes"))
        if meds:
            who += f" via {', '.join(meds)}"
        flags = [f for f in ("negated", "hypothetical") if bool(_nn(r.get(f)))]
        rows.append({"date": _nn(r.get("date")) or "", "event": r.get("event"),
                     "kind": _nn(r.get("kind")) or "reported",
                     "mode": _nn(r.get("mode")) or _nn(r.get("triad_kind")) or "",
                     "who": who, "reports": _nn(r.get("n_mentions")),
                     "docs": _nn(r.get("n_documents")), "flags": ", ".join(flags),
                     "text": _nn(r.get("first_text")) or ""})
    return pd.DataFrame(rows, columns=["date", "event", "kind", "mode", "who", "reports", "docs",
                                       "flags", "text"])


# -- mediation triads ----------------------------------------------------------------------------
TRIAD_COLUMNS = ["triad_id", "mediator", "party_a", "party_b", "date", "date_precision", "kind",
                 "evidence", "event_ids", "date_how", "basis", "doc_ids"]


@dataclass
class _Context:
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
            return max(dated, key=lambda d: (d.start_date, -_PRECISION_RANK[d.precision])), "conflict"
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


def _triad(kind: str, mediator: str, pair: tuple[str, str], date: DateValue | None,
           date_how: str | None, evidence: list[str], event_ids: list[str], *, basis: str,
           docs: Iterable[str], own: Iterable[str] = ()) -> dict[str, Any]:
    a, b = sorted(pair)
    key = f"{kind}|{mediator}|{a}|{b}|" + ",".join(sorted(event_ids)) + "|" + "|".join(evidence)
    return {"triad_id": hashlib.sha256(key.encode()).hexdigest()[:16], "mediator": mediator,
            "party_a": a, "party_b": b, "date": date.value if date else None,
            "date_precision": date.precision if date else None, "kind": kind,
            "evidence": evidence, "event_ids": event_ids, "date_how": date_how if date else None,
            "basis": basis, "_docs": sorted(set(docs)), "_own": list(own)}


def _dedupe(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _explicit_triads(mentions: Sequence[EventMention], table: PloverTable,
                     ctx: _Context) -> list[dict[str, Any]]:
    offer = _words_pattern(table.offer_words)
    mediation = _words_pattern(table.mediation_words)
    groups: dict[tuple[str, str, tuple[str, str], str], list[EventMention]] = defaultdict(list)
    for m in mentions:
        if m.negated:
            continue
        said = f"{m.trigger} {m.text}"
        pairs: list[tuple[str, str, str]] = []  # (mediator, a, b)
        if m.mediators:
            parties = _dedupe([*m.actors, *m.recipients])
            if m.actors and m.recipients:
                raw = [(a, b) for a in m.actors for b in m.recipients]
            else:
                raw = [(a, b) for i, a in enumerate(parties) for b in parties[i + 1:]]
            pairs = [(med, a, b) for med in m.mediators for a, b in raw
                     if a != b and med not in (a, b)]
        elif m.actors and len(set(m.recipients) - set(m.actors)) >= 2 and mediation.search(said):
            recips = [r for r in m.recipients if r not in m.actors]
            pairs = [(med, a, b) for med in m.actors for i, a in enumerate(recips)
                     for b in recips[i + 1:]]
        if not pairs:
            continue
        if m.event == "AGREE" and not m.hypothetical:
            kind = "brokered"
        elif m.hypothetical or offer.search(said):
            kind = "offer"
        else:
            kind = "facilitated"
        for med, a, b in pairs:
            pair = (min(a, b), max(a, b))
            groups[(kind, med, pair, ctx.canon.get(m.event_id, m.event_id))].append(m)
    out = []
    for (kind, med, pair, _), ms in groups.items():
        ms = sorted(ms, key=lambda x: x.order_key)
        date, how = _canonical_date(ms), "event"
        if date is None:
            date, how = ctx.linked_date(ms[0]), "linked"
        if date is None:
            date, how = ctx.fallback(frozenset(pair), (x.doc_id for x in ms))  # type: ignore[assignment]
        ids = _dedupe(x.event_id for x in ms)
        out.append(_triad(kind, med, pair, date, how, _dedupe(x.text for x in ms), ids,
                          basis="event", docs=(x.doc_id for x in ms), own=ids))
    return out


@dataclass
class _Contact:
    other: str
    mention: EventMention
    when: DateValue | None


def _spells(contacts: list[_Contact], window: dt.timedelta) -> list[list[_Contact]]:
    """Dated contacts split where they are more than ``window`` apart; undated ones per document."""
    dated = sorted((c for c in contacts if c.when is not None),
                   key=lambda c: (c.when.start_date, c.mention.order_key))  # type: ignore[union-attr]
    spells: list[list[_Contact]] = []
    for c in dated:
        assert c.when is not None
        if spells and c.when.start_date - max(x.when.start_date for x in spells[-1]
                                              if x.when is not None) <= window:
            spells[-1].append(c)
        else:
            spells.append([c])
    undated: dict[str, list[_Contact]] = defaultdict(list)
    for c in contacts:
        if c.when is None:
            undated[c.mention.doc_id].append(c)
    spells += [sorted(cs, key=lambda c: c.mention.order_key) for _, cs in sorted(undated.items())]
    return spells


def _near(f: EventMention, spell: list[_Contact], ctx: _Context) -> bool:
    """Is conflict ``f`` part of the crisis around ``spell``?

    Dated close to the contacts' own dates when both have them; else reported in the same
    document; else dated close to the contacts' article months.
    """
    fd = ctx.when(f, article=False)
    real = [d for d in (ctx.when(c.mention, article=False) for c in spell) if d is not None]
    if (fd is None or not real) and f.doc_id in {c.mention.doc_id for c in spell}:
        return True
    dates = real or [c.when for c in spell if c.when is not None]
    if fd is None or not dates:
        return False
    start = min(d.start_date for d in dates) - ctx.window
    end = max(d.last_date for d in dates) + ctx.window
    return fd.last_date >= start and fd.start_date <= end


def _inferred_triads(mentions: Sequence[EventMention], table: PloverTable,
                     ctx: _Context) -> list[dict[str, Any]]:
    from detente.link.mediation import load_mediation_rules

    live = [m for m in mentions if not m.flagged]
    # sentences where an actor puts pressure on someone: its contacts there are no engagement
    pressure = load_mediation_rules().pressure_types
    pressing = {(a, m.doc_id, m.sentence_index) for m in live if m.event in pressure
                for a in m.actors}
    # contacts[M] = M's contacts with others (M acting, or either side of a symmetric type);
    # one event M -> [A, B] gives two contacts at once, so it engages both sides by itself
    contacts: dict[str, list[_Contact]] = defaultdict(list)
    for m in live:
        if m.event not in table.engagement_types:
            continue
        when = ctx.when(m)
        for med in (a for a in m.actors if (a, m.doc_id, m.sentence_index) not in pressing):
            contacts[med].extend(_Contact(o, m, when) for o in m.recipients if o != med)
        if table.symmetric(m.event):
            for med in m.recipients:
                contacts[med].extend(_Contact(o, m, when) for o in m.actors if o != med)
    out: list[dict[str, Any]] = []
    for pair, fights in sorted(ctx.conflicts.items(), key=lambda kv: sorted(kv[0])):
        a, b = sorted(pair)
        fights = sorted(fights, key=lambda x: x.order_key)
        for med in sorted(contacts):
            if med in pair:
                continue
            mine = [c for c in contacts[med] if c.other in pair]
            for spell in _spells(mine, ctx.window):
                if {c.other for c in spell} != set(pair):
                    continue
                near = [f for f in fights if _near(f, spell, ctx)]
                if not near:
                    continue
                only_a = {c.mention.event_id for c in spell if c.other == a and
                          c.mention.event in table.shuttle_types and b not in c.mention.recipients
                          and b not in c.mention.actors}
                only_b = {c.mention.event_id for c in spell if c.other == b and
                          c.mention.event in table.shuttle_types and a not in c.mention.recipients
                          and a not in c.mention.actors}
                kind = "shuttle" if only_a and only_b and only_a.isdisjoint(only_b) else "engagement"
                own = [c.mention for c in spell]
                dated = [c.mention for c in spell if c.mention.date is not None]
                date, how = (_canonical_date(dated), "event") if dated else (None, None)
                if date is None:
                    linked = [d for d in (ctx.linked_date(x) for x in own) if d is not None]
                    date, how = (min(linked, key=lambda d: d.start_date), "linked") if linked \
                        else ctx.fallback(pair, (x.doc_id for x in own))
                ids = _dedupe(x.event_id for x in own)
                texts = _dedupe([x.text for x in own] + [f.text for f in near])
                out.append(_triad(kind, med, (a, b), date, how, texts,
                                  ids + _dedupe(f.event_id for f in near if f.event_id not in ids),
                                  basis="event", docs=(x.doc_id for x in own), own=ids))
    return out


def _reading_triads(ls: LinkStore, mentions: Sequence[EventMention], ctx: _Context
                    ) -> tuple[list[dict[str, Any]], dict[str, DocumentContext]]:
    """Triads read from the sentences' mediation wording (:mod:`detente.link.mediation`), dated by
    the events of their sentence, else by their conflict or article."""
    contexts: dict[str, DocumentContext] = {}
    conflicts: dict[str, list[frozenset[str]]] = defaultdict(list)
    for pair, fights in ctx.conflicts.items():
        for f in fights:
            conflicts[f.doc_id].append(pair)
    for doc, pairs in conflicts.items():
        contexts[doc] = DocumentContext(pairs)
    readings, contexts = read_mediation(ls.sentences(), ls.sentence_mentions(), contexts)
    in_sentence: dict[tuple[str, int], list[EventMention]] = defaultdict(list)
    for m in mentions:
        if not m.negated:
            in_sentence[(m.doc_id, m.sentence_index)].append(m)
    out = []
    for r in readings:
        own = in_sentence.get((r.doc_id, r.sentence_index), [])
        dated = [m for m in own if m.date is not None]
        date, how = (_canonical_date(dated), "event") if dated else \
            ctx.fallback(frozenset(r.parties), [r.doc_id])
        ids = _dedupe(m.event_id for m in own)
        out.append(_triad(r.kind, r.mediator, r.parties, date, how, [r.text], ids,
                          basis="sentence", docs=[r.doc_id], own=ids))
        out[-1]["_explicit"] = r.explicit
    return out, contexts


def _plausible(row: dict[str, Any], contexts: dict[str, DocumentContext],
               by_id: dict[str, EventMention]) -> bool:
    """An event-based triad keeps parties and mediators apart: no party is a mediator or host
    of its document, and a third party fighting one side is no mediator between them, unless
    the sentence names both parties together."""
    med, a, b = row["mediator"], row["party_a"], row["party_b"]
    texts = [by_id[e] for e in row["_own"] if e in by_id]
    for doc in row["_docs"]:
        c = contexts.get(doc)
        if c is None:
            continue
        named = any({a, b} == set(p) for m in texts if m.doc_id == doc
                    for p in c.pairs_in(m.sentence_index))
        if named:
            continue
        if a in c.mediators - {med} or b in c.mediators - {med} or c.fights(med, a) or \
                c.fights(med, b):
            return False
    return True


def _merge(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One triad per kind, mediator, pair and date among the reports of one document; inferred
    triads whose contacts are all explicit mediation events already are dropped."""
    explicit: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for r in rows:
        if r["kind"] in ("offer", "brokered", "facilitated") and r["basis"] == "event":
            explicit[(r["mediator"], r["party_a"], r["party_b"])].update(r["_own"])
    kept: list[dict[str, Any]] = []
    for r in rows:
        if r["kind"] in ("engagement", "shuttle") and r["_own"] and set(r["_own"]) <= explicit.get(
                (r["mediator"], r["party_a"], r["party_b"]), set()):
            continue
        same = next((k for k in kept if (k["kind"], k["mediator"], k["party_a"], k["party_b"],
                                         k["date"], k["date_precision"]) ==
                     (r["kind"], r["mediator"], r["party_a"], r["party_b"], r["date"],
                      r["date_precision"]) and set(k["_docs"]) & set(r["_docs"])), None)
        if same is None:
            kept.append(dict(r))
            continue
        same["evidence"] = _dedupe([*same["evidence"], *r["evidence"]])
        same["event_ids"] = _dedupe([*same["event_ids"], *r["event_ids"]])
        same["_own"] = _dedupe([*same["_own"], *r["_own"]])
        same["_docs"] = sorted({*same["_docs"], *r["_docs"]})
        if r["basis"] == "event":
            same["basis"] = "event"
    return kept


def _one_kind(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One triad per mediator, pair and happening: rows of one document (or sharing evidence)
    with compatible dates become the row of the strongest kind; then the same triad told by
    several documents, dated compatibly, becomes one row with every report's evidence."""
    def when(r: dict[str, Any]) -> DateValue | None:
        return DateValue(r["date"], r["date_precision"]) if r["date"] else None

    def fits(x: dict[str, Any], y: dict[str, Any]) -> bool:
        dx, dy = when(x), when(y)
        return dx is None or dy is None or dx.compatible(dy)

    def join(into: dict[str, Any], r: dict[str, Any]) -> None:
        if strongest([into["kind"], r["kind"]]) != into["kind"]:
            into["kind"] = r["kind"]
        if r["date"] and (not into["date"] or (fits(into, r) and _PRECISION_RANK[
                r["date_precision"]] < _PRECISION_RANK[into["date_precision"]])):
            into["date"], into["date_precision"], into["date_how"] = \
                r["date"], r["date_precision"], r["date_how"]
        into["evidence"] = _dedupe([*into["evidence"], *r["evidence"]])
        into["event_ids"] = _dedupe([*into["event_ids"], *r["event_ids"]])
        into["_own"] = _dedupe([*into["_own"], *r["_own"]])
        into["_docs"] = sorted({*into["_docs"], *r["_docs"]})
        if r["basis"] == "event":
            into["basis"] = "event"

    ordered = sorted(rows, key=lambda r: (KIND_RANK.get(r["kind"], 9), r["basis"] != "event"))
    kept: list[dict[str, Any]] = []
    for r in ordered:  # within documents: the strongest kind
        same = next((k for k in kept if (k["mediator"], k["party_a"], k["party_b"]) ==
                     (r["mediator"], r["party_a"], r["party_b"]) and set(k["_docs"]) & set(r["_docs"])
                     and (fits(k, r) or k["basis"] == "sentence" or r["basis"] == "sentence")),
                    None)
        if same is None:
            kept.append(dict(r))
        else:
            join(same, r)
    merged: list[dict[str, Any]] = []
    for r in kept:  # across documents: the same kind
        same = next((k for k in merged if (k["kind"], k["mediator"], k["party_a"], k["party_b"]) ==
                     (r["kind"], r["mediator"], r["party_a"], r["party_b"]) and fits(k, r)), None)
        if same is None:
            merged.append(r)
        else:
            join(same, r)
    for r in merged:
        key = f"{r['kind']}|{r['mediator']}|{r['party_a']}|{r['party_b']}|" + \
            ",".join(sorted(r["event_ids"])) + "|" + "|".join(r["evidence"])
        r["triad_id"] = hashlib.sha256(key.encode()).hexdigest()[:16]
    return merged


def _all_triads(store: Store, mentions: Sequence[EventMention], table: PloverTable,
                canon: dict[str, str], shuttle_window_days: int) -> list[dict[str, Any]]:
    """Every triad, with the private ``_docs``/``_own`` keys :func:`derived_rows` uses."""
    if shuttle_window_days < 0:
        raise QueryError(f"shuttle_window_days must be 0 or more, not {shuttle_window_days}")
    ls = LinkStore(store)
    members: dict[str, list[EventMention]] = defaultdict(list)
    for m in mentions:
        members[canon.get(m.event_id, m.event_id)].append(m)
    canon_dates = {cid: d for cid, ms in members.items() for d in [_canonical_date(ms)] if d}
    docs = ls.documents()
    published = {str(r.doc_id): p for r in frame_rows(docs)
                 for p in [_published(r.published)] if p}
    conflicts: dict[frozenset[str], list[EventMention]] = defaultdict(list)
    for m in mentions:
        if not m.flagged and m.quad in (3, 4):
            for a in m.actors:
                for b in m.recipients:
                    if a != b:
                        conflicts[frozenset((a, b))].append(m)
    ctx = _Context(canon, canon_dates, published, conflicts, dt.timedelta(days=shuttle_window_days))
    read, contexts = _reading_triads(ls, mentions, ctx)
    by_id = {m.event_id: m for m in mentions}
    # where a document's wording names a mediator, its reading of the parties and the kind wins
    # over the event coder's guesses for that mediator; and a side of the pairs the wording
    # names is no mediator of the coder's ("Israel signed accords with the UAE and Bahrain")
    read_by = {(r["mediator"], d) for r in read for d in r["_docs"]}
    read_sides = {(p, d) for r in read for d in r["_docs"] for p in (r["party_a"], r["party_b"])}
    rows = [r for r in _explicit_triads(mentions, table, ctx) + _inferred_triads(mentions, table, ctx)
            if _plausible(r, contexts, by_id)
            and not all((r["mediator"], d) in read_by or (r["mediator"], d) in read_sides
                        for d in r["_docs"])]
    rows = _one_kind(_merge(rows + read))
    rows.sort(key=lambda r: (r["date"] or "\uffff", r["mediator"], r["party_a"], r["party_b"],
                             TRIAD_KINDS.index(r["kind"]), r["triad_id"]))
    return rows


def derived_rows(triads: Sequence[dict[str, Any]], mentions: Sequence[EventMention],
                 table: PloverTable) -> list[dict[str, Any]]:
    """Canonical rows (kind ``derived``) for triads that no event states as mediation.

    Each is a CONSULT with mode ``third-party``: party_a as actor, party_b as recipient, the
    mediator as mediator; offers are hypothetical, as PLOVER has them.
    """
    by_id = {m.event_id: m for m in mentions}
    sources = {m.doc_id: m.source for m in mentions if m.source}
    out = []
    for t in _merge_same_triads(triads):
        if any(t["mediator"] in by_id[e].mediators for e in t["event_ids"] if e in by_id):
            continue
        date = DateValue(t["date"], t["date_precision"]) if t["date"] else None
        docs = sorted(set(t.get("_docs") or []) | {by_id[e].doc_id for e in t["event_ids"]
                                                     if e in by_id})
        out.append({
            "canonical_id": hashlib.sha256(f"derived|{t['triad_id']}".encode()).hexdigest()[:16],
            "event": "CONSULT", "quad_code": table.quad("CONSULT"), "date": t["date"],
            "date_precision": t["date_precision"], "date_first": date.start_date if date else None,
            "date_last": date.last_date if date else None, "actor_codes": [t["party_a"]],
            "recipient_codes": [t["party_b"]], "mediator_codes": [t["mediator"]],
            "place_name": None, "n_mentions": len(t["evidence"]), "n_documents": len(docs),
            "doc_ids": docs, "sources": sorted({sources[d] for d in docs if d in sources}),
            "goldstein": table.goldstein("CONSULT"), "negated": False,
            "hypothetical": t["kind"] == "offer", "first_text": t["evidence"][0] if t["evidence"]
            else None, "kind": "derived", "mode": "third-party", "date_how": t["date_how"],
            "triad_kind": t["kind"], "evidence_ids": list(t["event_ids"])})
    return out


def compute_triads(store: Store, *, shuttle_window_days: int = 14,
                   plover: PloverTable | None = None) -> list[dict[str, Any]]:
    """Every mediation triad in the store, without writing anything."""
    if shuttle_window_days < 0:
        raise QueryError(f"shuttle_window_days must be 0 or more, not {shuttle_window_days}")
    table = plover or load_plover_table()
    from detente.link.infer_dates import without_inferred_dates

    mentions = without_inferred_dates(store, load_mentions(store, table))
    canon = canonical_map(store, mentions, table)
    rows = _merge_same_triads(_all_triads(store, mentions, table, canon, shuttle_window_days))
    docs = {m.event_id: m.doc_id for m in mentions}
    return [{**{k: v for k, v in r.items() if not k.startswith("_")},
             "doc_ids": sorted({*r.get("_docs", []), *(docs[e] for e in r.get("_own", r["event_ids"])
                                                       if e in docs)})}
            for r in rows]


def _merge_same_triads(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per triad id: the same triad told in several articles (say, a syndicated story)
    keeps the first row, with every piece of evidence and every event id."""
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        first = merged.get(row["triad_id"])
        if first is None:
            merged[row["triad_id"]] = dict(row)
            continue
        first["evidence"] = _dedupe([*first["evidence"], *row["evidence"]])
        first["event_ids"] = _dedupe([*first["event_ids"], *row["event_ids"]])
        if "_docs" in first or "_docs" in row:
            first["_docs"] = _dedupe([*(first.get("_docs") or []), *(row.get("_docs") or [])])
    return list(merged.values())


@overload
def find_triads(store: Store, *, shuttle_window_days: int = ..., arrow: Literal[False] = ...,
                plover: PloverTable | None = ...) -> pd.DataFrame: ...
@overload
def find_triads(store: Store, *, shuttle_window_days: int = ..., arrow: Literal[True],
                plover: PloverTable | None = ...) -> pa.Table: ...
@overload
def find_triads(store: Store, *, shuttle_window_days: int = ..., arrow: bool,
                plover: PloverTable | None = ...) -> pd.DataFrame | pa.Table: ...
def find_triads(store: Store, *, shuttle_window_days: int = 14, arrow: bool = False,
                plover: PloverTable | None = None) -> pd.DataFrame | pa.Table:
    """Mediation triads (mediator, party_a, party_b, date, kind, evidence, event_ids, date_how,
    basis).

    Kinds: ``offer``, ``brokered``, ``facilitated`` (explicit: from events with a mediator, or
    naming mediation with two recipients), ``engagement`` (the mediator contacts both sides of a
    conflict within ``shuttle_window_days`` of it, or in the same article: one event naming both
    sides is enough), ``shuttle`` (separate talks with each side). ``basis`` is ``event`` or
    ``sentence`` (a third party offering mediation, or appealing to both sides, in a sentence
    with no coded event, read against the main conflict of its document). ``date_how``: ``event``
    (the events' own date), ``linked`` (their canonical event's), ``conflict`` (the date of the
    conflict between the parties reported in the same article) or ``article`` (the article's
    month). The triads are also saved in the store's ``triads`` table when it is writable.
    """
    rows = compute_triads(store, shuttle_window_days=shuttle_window_days, plover=plover)
    if not store.read_only:
        LinkStore(store).replace_triads(rows)
        from detente.analysis import precompute_views  # what the queries read, built once

        precompute_views(store, rows, shuttle_window_days=shuttle_window_days)
    frame = pd.DataFrame(rows, columns=TRIAD_COLUMNS)
    if arrow:
        return pa.Table.from_pandas(frame, preserve_index=False)
    return frame
