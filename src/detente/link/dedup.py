"""Grouping mentions of one real happening into canonical events: when two reports fit
(:func:`compatible`), complete-link clustering (:func:`cluster_mentions`) and the canonical rows."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from detente.errors import QueryError
from detente.link.config import PloverTable
from detente.link.mentions import EventMention
from detente.model import PRECISION_RANK, DateValue
from detente.store import Store
from detente.store.links import LinkStore

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
    (:func:`shared_run`, ``linking.shared_words`` in ``linking.yaml``).
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


# -- blocking: which clusters a mention is checked against -------------------------------------
# A mention is checked only against the clusters filed under one of its keys (a shared party and
# month, or document: _index_keys); within those, only against the clusters holding a member
# whose sides could fit its own (_straight_tokens, _union_tokens), and one check stands for all
# the members that link alike (_link_key).
_ANY = "*"  # the side token of a mention with nobody resolved on that side: fits any side
_PLAIN_NO, _PLAIN_YES, _READS_TEXT = 0, 1, 2
_VERDICTS = 250_000  # memoised verdicts kept at most (about 20 MB)


def _link_key(m: EventMention) -> tuple[Any, ...]:
    """What :func:`compatible` reads of a mention besides its document, text and trigger: two
    mentions with the same key (and document) are compatible with the same mentions, except
    where texts are compared (:func:`_reads_text`)."""
    d = m.date
    return (m.event, m.negated, m.hypothetical, None if d is None else (d.value, d.precision, d.end),
            m.place, m.place_country, m.actors, m.recipients, m.actor_ids, m.recipient_ids)


def _reads_text(a: EventMention, b: EventMention) -> bool:
    """True when :func:`compatible` may compare the two texts or triggers: an undated report in
    another document, or dates that do not fit as they are (days apart, say)."""
    if a.date is None or b.date is None:
        return a.doc_id != b.doc_id
    return not dates_compatible(a.date, b.date, 0)


def _sides(m: EventMention, symmetric: bool = False) -> tuple[set[str], set[str]]:
    """A mention's resolved actor codes and recipient codes, its place's country added to the
    recipients when there are some and the type is not ``symmetric`` (as
    :func:`parties_compatible` adds it to recipients that differ)."""
    actors, recipients = set(_resolved(m.actors)), set(_resolved(m.recipients))
    if recipients and m.place_country and not symmetric:
        recipients.add(m.place_country)
    return actors, recipients


def _straight_tokens(m: EventMention) -> list[tuple[str, str]]:
    """The (actor, recipient) tokens a mention is filed under: its codes, or ``*`` for a side
    with nobody resolved (which fits any side)."""
    actors, recipients = _sides(m)
    return [(a, r) for a in (actors or {_ANY}) for r in (recipients or {_ANY})]


def _union_tokens(codes: set[str], *, lookup: bool) -> list[tuple[str, ...]]:
    """Tokens for the swapped reading of a symmetric type (:func:`parties_compatible`: the two
    reports' codes, sides ignored, one inside the other or sharing two). Filed: each pair of the
    codes, each code (``one``), and the code of a mention with one (``only``); looked up: by one
    code, ``one``; by more, their pairs and each code as ``only``."""
    pairs = [("pair", a, b) for a in sorted(codes) for b in sorted(codes) if a < b]
    if not lookup:
        return [*pairs, *(("one", c) for c in codes), *(("only", c) for c in codes if len(codes) == 1)]
    if len(codes) == 1:
        return [("one", c) for c in codes]
    return [*pairs, *(("only", c) for c in codes)]


class _Clusters:
    """Complete-link clustering of one type family's mentions, in the order given.

    The result is that of checking each mention against every member of every cluster filed
    under its keys (:func:`_index_keys`); only work that cannot change it is left out. Mentions
    with the same link key and document form a *group*: they have the same index keys and side
    tokens, and one verdict stands for them all where no text is read (memoised per pair of link
    keys, the memo emptied when it holds ``_VERDICTS`` pairs). Groups, not mentions, are filed:
    ``straight`` by index key, actor token and recipient token, ``union`` by index key and union
    token (for a family with a symmetric type); a group whose verdict is no is passed over with
    every cluster holding one of its members.
    """

    def __init__(self, table: PloverTable, window_days: int, swaps: bool = True) -> None:
        self.table, self.window = table, window_days
        self.clusters: list[list[EventMention]] = []
        self.members: list[dict[int, list[EventMention]]] = []  # per cluster, its members by group
        self.dated: list[bool] = []
        self.group_ids: dict[tuple[int, str], int] = {}  # (link key, document) -> group
        self.first: list[EventMention] = []  # per group: its first mention
        self.link_key: list[int] = []  # per group: its link key's number
        self.holding: list[set[int]] = []  # per group: the clusters holding one of its members
        # each group is filed once under each of its keys and tokens: lists, not sets
        self.straight: dict[tuple[Any, ...], dict[str, dict[str, list[int]]]] = {}
        self.union: dict[tuple[Any, ...], dict[tuple[str, ...], list[int]]] = {}
        self.swaps = swaps  # whether the family has a symmetric type (else no union tokens)
        self.keys: dict[tuple[Any, ...], int] = {}
        self.verdicts: dict[int, int] = {}

    def verdict(self, m: EventMention, mk: int, group: int) -> int:
        """compatible(m, o) for the group's mentions o, as _PLAIN_NO / _PLAIN_YES, or
        _READS_TEXT when it depends on their texts."""
        o = self.first[group]
        pair = (mk << 32 | self.link_key[group]) << 1 | (m.doc_id == o.doc_id)
        v = self.verdicts.get(pair)
        if v is None:
            if len(self.verdicts) >= _VERDICTS:  # a cache: emptying it changes no verdict
                self.verdicts.clear()
            v = _READS_TEXT if _reads_text(m, o) else int(compatible(m, o, self.table, self.window))
            self.verdicts[pair] = v
        return v

    def fits(self, m: EventMention, mk: int, i: int) -> bool:
        """``m`` is compatible with every member of cluster ``i``."""
        for group, members in self.members[i].items():
            v = self.verdict(m, mk, group)
            if v == _PLAIN_NO or (v == _READS_TEXT and not all(
                    compatible(m, o, self.table, self.window) for o in members)):
                return False
        return True
    def _visit(self, m: EventMention, mk: int, groups: list[int], found: set[int]) -> None:
        for group in groups:
            ids = self.holding[group]
            if not ids <= found and self.verdict(m, mk, group) != _PLAIN_NO:
                found |= ids

    def candidates(self, m: EventMention, mk: int) -> list[int]:
        """The clusters filed under ``m``'s keys that may fit it: a cluster left out holds a
        member that shares no side token with it (so that :func:`parties_compatible` fails
        both ways), or whose verdict is no."""
        symmetric = self.table.symmetric(m.event)
        actors, recipients = _sides(m, symmetric)
        # the straight reading: each side fits (one empty, or a shared code), and one is shared
        ways: list[tuple[set[str] | None, set[str] | None]] = [
            ({a}, None if not recipients else {*recipients, _ANY}) for a in actors]
        ways += [(None if not actors else {*actors, _ANY}, {r}) for r in recipients]
        found: set[int] = set()
        for key in _index_keys(m, self.window, lookup=True):
            by_actor = self.straight.get(key, {})
            for acts, recs in ways:
                for a in (by_actor.keys() & acts if acts is not None else by_actor):
                    by_rec = by_actor[a]
                    for r in (by_rec.keys() & recs if recs is not None else by_rec):
                        self._visit(m, mk, by_rec[r], found)
            if symmetric and (actors or recipients):
                by_token = self.union.get(key, {})
                for token in _union_tokens(actors | recipients, lookup=True):
                    self._visit(m, mk, by_token.get(token, []), found)
        return sorted(found)

    def add(self, m: EventMention) -> None:
        mk = self.keys.setdefault(_link_key(m), len(self.keys))
        best: int | None = None
        for i in self.candidates(m, mk):
            if self.fits(m, mk, i) and (best is None or (self.dated[i], len(self.clusters[i])) >
                                        (self.dated[best], len(self.clusters[best]))):
                best = i
        if best is None:
            best = len(self.clusters)
            self.clusters.append([])
            self.members.append({})
            self.dated.append(False)
        group = self.group_ids.get((mk, m.doc_id))
        if group is None:
            group = self._file(m, mk)
        self.clusters[best].append(m)
        self.members[best].setdefault(group, []).append(m)
        self.dated[best] = self.dated[best] or m.date is not None
        self.holding[group].add(best)

    def _file(self, m: EventMention, mk: int) -> int:
        """A new group, first met in ``m``, filed under its keys and tokens (its mentions'
        keys and tokens are all the same: they come from the link key and the document)."""
        group = self.group_ids[(mk, m.doc_id)] = len(self.first)
        self.first.append(m)
        self.link_key.append(mk)
        self.holding.append(set())
        straight = _straight_tokens(m)
        actors, recipients = _sides(m, symmetric=True)
        union = _union_tokens(actors | recipients, lookup=False)
        for key in _index_keys(m, self.window, lookup=False):
            by_actor = self.straight.setdefault(key, {})
            for a, r in straight:
                by_actor.setdefault(a, {}).setdefault(r, []).append(group)
            if self.swaps:
                by_token = self.union.setdefault(key, {})
                for token in union:
                    by_token.setdefault(token, []).append(group)
        return group


def cluster_mentions(mentions: Sequence[EventMention], table: PloverTable, *,
                     window_days: int = 1) -> list[list[EventMention]]:
    """Group mentions into canonical events (complete-link, most precise dates placed first).

    Candidate groups are looked up by shared party and month (:func:`_index_keys`) and sides
    that can fit (:func:`_sides`), and members that link alike are checked once
    (:class:`_Clusters`), so the work grows with the number of distinct reports per party and
    month, not with the size of the store or of one document.
    """
    if window_days < 0:
        raise QueryError(f"window_days must be 0 or more, not {window_days}")
    by_type: dict[str, list[EventMention]] = defaultdict(list)
    for m in mentions:
        by_type[table.family(m.event)].append(m)
    clusters: list[list[EventMention]] = []
    for event in sorted(by_type):
        mine = _Clusters(table, window_days, any(table.symmetric(m.event) for m in by_type[event]))
        for m in sorted(by_type[event], key=lambda x: x.sort_key):
            mine.add(m)
        clusters.extend(sorted(mine.clusters, key=lambda ms: min(x.sort_key for x in ms)))
    return clusters


def canonical_id(members: Sequence[EventMention]) -> str:
    key = "|".join(sorted(m.event_id for m in members))
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def canonical_date(members: Sequence[EventMention]) -> DateValue | None:
    dated = [m for m in members if m.date is not None]
    if not dated:
        return None
    best_rank = min(PRECISION_RANK[m.date.precision] for m in dated if m.date)
    docs: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    for m in dated:
        if m.date and PRECISION_RANK[m.date.precision] == best_rank:
            docs[(m.date.value, m.date.end)].add(m.doc_id)
    (value, end), _ = min(docs.items(), key=lambda kv: (-len(kv[1]), kv[0][0], kv[0][1] or ""))
    precision = ("day", "month", "year")[best_rank]
    return DateValue(value, precision, end)  # type: ignore[arg-type]


def _union(groups: Iterable[tuple[str, ...]]) -> list[str]:
    return sorted({c for g in groups for c in g})


def canonical_row(members: Sequence[EventMention], table: PloverTable) -> dict[str, Any]:
    first = min(members, key=lambda m: (m.published or "\uffff", m.doc_id, m.sentence_index,
                                        m.trigger_start))
    date = canonical_date(members)
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



def canonical_map(store: Store, mentions: Sequence[EventMention], table: PloverTable, *,
                  window_days: int = 1) -> dict[str, str]:
    """event_id -> canonical_id: the stored links when they cover every event, else computed."""
    ls = LinkStore(store)
    if ls.is_linked():
        links = ls.links()
        return dict(zip(links["event_id"], links["canonical_id"], strict=True))
    return build_canonical(mentions, table, window_days=window_days)[1]

