"""The gold annotations: the ``detente-gold/1`` format (``docs/gold-format.md``) read and checked
into :class:`Gold`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detente.datafiles import load_yaml
from detente.errors import DataFileError
from detente.model import PRECISION_RANK, DateValue

FORMAT = "detente-gold/1"


@dataclass(frozen=True)
class GoldEvent:
    doc: str  # the document key: "file" or "file#record"
    id: str
    sentence: str
    type: str
    alt_types: tuple[str, ...] = ()
    actor: tuple[str, ...] = ()
    recipient: tuple[str, ...] = ()
    alt_recipient: tuple[str, ...] | None = None
    symmetric: bool = False
    date: DateValue | None = None
    place: str | None = None
    place_country: str | None = None
    optional: bool = False
    index: int = 0

    @property
    def types(self) -> frozenset[str]:
        return frozenset((self.type, *self.alt_types))


@dataclass(frozen=True)
class Negative:
    doc: str
    sentence: str
    types: frozenset[str]
    actor: frozenset[str] | None = None


@dataclass(frozen=True)
class AliasGroup:
    doc: str
    code: str
    sector: str | None
    forms: tuple[str, ...]


@dataclass(frozen=True)
class GoldTriad:
    mediator: str
    parties: frozenset[str]
    kind: str | None = None


@dataclass
class GoldDocument:
    key: str
    published: DateValue | None = None


@dataclass
class Gold:
    """A parsed gold file."""

    path: str
    documents: list[GoldDocument] = field(default_factory=list)
    events: list[GoldEvent] = field(default_factory=list)
    negatives: list[Negative] = field(default_factory=list)
    ignore: list[tuple[str, str]] = field(default_factory=list)  # (doc, sentence)
    alias_groups: list[AliasGroup] = field(default_factory=list)
    must_not_merge: list[tuple[str, str, str]] = field(default_factory=list)  # (doc, a, b)
    triads: list[GoldTriad] = field(default_factory=list)


def doc_key(file: str, record: str | None) -> str:
    return f"{Path(file).name}#{record}" if record else Path(file).name


def _date(value: Any, precision: Any, end: Any, where: str, path: Path) -> DateValue | None:
    if value is None:
        return None
    if precision not in PRECISION_RANK:
        raise DataFileError(path, f"{where}: date_precision must be day, month or year")
    dv = DateValue(str(value), precision, str(end) if end else None, how="gold")
    try:
        _ = dv.start_date, dv.last_date
    except ValueError as exc:
        raise DataFileError(path, f"{where}: bad date {value!r}: {exc}") from None
    return dv


def _codes(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value.upper(),)
    return tuple(str(v).upper() for v in value if v is not None)


def load_gold(path: Path) -> Gold:
    """Read and check a ``detente-gold/1`` file; raises DataFileError on anything malformed."""
    data = load_yaml(Path(path))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DataFileError(path, f"not a gold file: the top level needs `format: {FORMAT}`")
    docs = data.get("documents")
    if not isinstance(docs, list):
        raise DataFileError(path, "`documents` must be a list")
    gold = Gold(path=str(path))
    for d in docs:
        if not isinstance(d, dict) or not d.get("file"):
            raise DataFileError(path, f"every document needs `file`: {d!r:.80}")
        key = doc_key(str(d["file"]), d.get("record"))
        gold.documents.append(GoldDocument(key, _date(d.get("published"), d.get(
            "published_precision"), None, key, path)))
        for e in d.get("events") or []:
            where = f"{key} event {e.get('id')!r}"
            if not e.get("sentence") or not e.get("type"):
                raise DataFileError(path, f"{where}: `sentence` and `type` are required")
            alt_r = e.get("alt_recipient")
            gold.events.append(GoldEvent(
                doc=key, id=str(e.get("id") or f"{key}:{len(gold.events)}"),
                sentence=str(e["sentence"]), type=str(e["type"]).upper(),
                alt_types=_codes(e.get("alt_types")), actor=_codes(e.get("actor")),
                recipient=_codes(e.get("recipient")),
                alt_recipient=_codes(alt_r) if alt_r is not None else None,
                symmetric=bool(e.get("symmetric")),
                date=_date(e.get("date"), e.get("date_precision"), e.get("date_end"), where, path),
                place=e.get("place"), place_country=e.get("place_country"),
                optional=bool(e.get("optional")) or not e.get("actor"), index=len(gold.events)))
        for n in d.get("negatives") or []:
            gold.negatives.append(Negative(key, str(n["sentence"]), frozenset(_codes(n.get("types"))),
                                           frozenset(_codes(n["actor"])) if n.get("actor") else None))
        gold.ignore += [(key, str(i["sentence"])) for i in d.get("ignore") or []]
        for g in d.get("alias_groups") or []:
            gold.alias_groups.append(AliasGroup(key, str(g.get("code", "")).upper(), g.get("sector"),
                                                tuple(str(f) for f in g.get("forms") or [])))
        for pair in d.get("must_not_merge") or []:
            if not isinstance(pair, list) or len(pair) != 2:
                raise DataFileError(path, f"{key}: a must_not_merge entry is a pair of forms")
            gold.must_not_merge.append((key, str(pair[0]), str(pair[1])))
        for t in d.get("mediation") or []:
            parties = _codes(t.get("parties"))
            if len(parties) != 2 or not t.get("mediator"):
                raise DataFileError(path, f"{key}: a triad needs a mediator and two parties")
            gold.triads.append(GoldTriad(str(t["mediator"]).upper(), frozenset(parties), t.get("kind")))
    return gold
