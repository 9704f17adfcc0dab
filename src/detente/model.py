"""Plain records passed between the pipeline stages.

One article flows one way: ``ingest`` makes an :class:`Article`; ``nlp`` parses it; ``actors``
adds :class:`Mention` records; ``events`` adds :class:`Event` records; ``dates`` and ``places``
fill each event's :class:`DateValue` and :class:`Place`; ``store`` writes the lot in one
transaction. Character offsets always index ``Article.text``.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from detente.ontology import load_ontology

Precision = Literal["day", "month", "year"]
PRECISION_RANK: dict[str, int] = {"day": 0, "month": 1, "year": 2}
"""Finest first: the one ranking of date precisions (``min`` by it picks the most precise)."""
Sector = str  # one of SECTORS (the ontology's list, data/ontology/plover.yaml)

SECTORS: frozenset[str] = load_ontology().sectors
"""The actor sectors, from ``data/ontology/plover.yaml`` (the one place they are listed)."""


@functools.lru_cache(maxsize=8192)
def _start_date(value: str) -> dt.date:
    """The first day of ``YYYY[-MM[-DD]]`` (linking compares dates of every pair of events: the
    same few values are parsed again and again)."""
    parts = [int(p) for p in value.split("-")]
    while len(parts) < 3:
        parts.append(1)
    return dt.date(parts[0], parts[1], parts[2])


@dataclass(frozen=True)
class DateValue:
    """A date with its precision: ``value`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.

    ``end`` is set for ranges ("Jan. 26-27"); ``how`` says how it was found ("explicit",
    "partial", "relative", "background", "range", "article").
    """

    value: str
    precision: Precision
    end: str | None = None
    how: str = "explicit"

    @property
    def start_date(self) -> dt.date:
        return _start_date(self.value)

    @property
    def last_date(self) -> dt.date:
        """The last day this value covers (end of the month or year for coarse precisions)."""
        if self.end:
            return DateValue(self.end, self.precision).last_date
        d = self.start_date
        if self.precision == "day":
            return d
        if self.precision == "month":
            nxt = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(d.year, 12, 31)

    def contains(self, other: DateValue) -> bool:
        return self.start_date <= other.start_date and other.last_date <= self.last_date

    def compatible(self, other: DateValue) -> bool:
        """True when one value lies inside the other (a day inside its month, say)."""
        return self.contains(other) or other.contains(self)

    @classmethod
    def of_day(cls, day: dt.date, how: str = "explicit") -> DateValue:
        return cls(day.isoformat(), "day", how=how)


@dataclass
class Article:
    """One news article as read from a file, before any NLP.

    ``found`` records how each metadata field was obtained, e.g.
    ``{"title": "first-line", "published": "caption-inferred"}``.
    """

    text: str
    path: str
    title: str | None = None
    published: DateValue | None = None
    url: str | None = None
    source: str | None = None
    author: str | None = None
    record_id: str | None = None
    found: dict[str, str] = field(default_factory=dict)
    doc_id: str = ""

    def __post_init__(self) -> None:
        if not self.doc_id:
            self.doc_id = document_id(self.text)


def normalise_for_id(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def document_id(text: str) -> str:
    """A stable id from the article's normalised content (whitespace, case and quotes folded)."""
    return hashlib.sha256(normalise_for_id(text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Role:
    """An office held over a period: PETRARCH's ``EGYMIL 770101-120812`` as a record."""

    office: str
    country: str
    sector: str
    start: dt.date | None = None
    end: dt.date | None = None

    def held_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass
class ActorEntry:
    """A dictionary entry: a person, organisation, group or country with its dated roles."""

    id: str
    name: str
    kind: str  # country | person | organisation | group | igo
    country: str | None = None
    sector: str | None = None
    aliases: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    # for groups whose nature changes (the Afghan Taliban: REB until 2021-08-15, GOV after)
    source: str = ""  # "file:line" it was read from

    def role_on(self, day: dt.date | None) -> Role | None:
        """The role held on ``day`` (the most specific, latest-starting one), else None."""
        if day is None:
            return None
        held = [r for r in self.roles if r.held_on(day)]
        if not held:
            return None
        return max(held, key=lambda r: r.start or dt.date.min)

    def code_on(self, day: dt.date | None) -> tuple[str | None, str | None]:
        """(country/IGO code, sector) on ``day``: the role held then, else the entry's own."""
        role = self.role_on(day)
        if role is not None:
            return role.country, role.sector
        if day is not None and self.roles and self.kind == "person":
            # a person known only through offices, none held that day: country without sector
            return self.country or self.roles[0].country, "CVL" if self.country else None
        return self.country, self.sector


@dataclass
class Mention:
    """A span of the article that refers to an actor (or a place that looks like one)."""

    doc_id: str
    sentence_index: int
    char_start: int
    char_end: int
    text: str
    actor_id: str | None  # None when the mention's identity is only a country + sector
    name: str  # canonical name ("Qamar Javed Bajwa", "Pakistan")
    code: str | None  # ISO3 or IGO code, on the article's date
    sector: str | None
    kind: str  # country | person | organisation | group | igo | capital | demonym
    is_place: bool = False  # "arrived in Tehran": a location, not an actor
    how: str = ""  # dictionary | alias | surname | title | capital | demonym | ner | generic
    # for generic actors, how the country was found: modifier | place | focus | unknown
    country_how: str | None = None


@dataclass
class ActorRef:
    """An event participant as exported: ``{code, sector, entity_text, name, identifier}``."""

    code: str | None
    sector: str | None
    entity_text: str
    name: str
    identifier: str | None
    char_start: int | None = None
    char_end: int | None = None
    country_how: str | None = None  # generic actors: modifier | place | focus | unknown | no-recipient rule

    def export(self) -> dict[str, Any]:
        return {"code": self.code, "sector": self.sector, "entity_text": self.entity_text,
                "name": self.name, "identifier": self.identifier, "country_how": self.country_how}


@dataclass
class Place:
    name: str
    country_code: str | None  # ISO3
    province: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    feature: str = "city"  # city | province | country | region
    char_start: int | None = None
    char_end: int | None = None

    def export(self) -> dict[str, Any]:
        return {"name": self.name, "country_code": self.country_code, "province": self.province,
                "lat": self.lat, "lon": self.lon, "geonameid": self.geonameid}


@dataclass
class Event:
    """One coded event with its evidence (the sentence) and its offsets into the article."""

    doc_id: str
    sentence_index: int
    sent_start: int  # sentence offsets in Article.text
    sent_end: int
    text: str  # the sentence
    event: str  # PLOVER type, upper case
    actor: list[ActorRef]
    recipient: list[ActorRef]
    trigger: str  # event_text
    trigger_start: int
    trigger_end: int
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    mediator: list[ActorRef] = field(default_factory=list)
    date: DateValue | None = None
    place: Place | None = None
    cameo: str | None = None
    goldstein: float | None = None
    quad_code: int | None = None
    confidence: float = 0.5
    # PLOVER auxiliary flags: what did not (yet) happen is flagged, not dropped silently
    negated: bool = False
    hypothetical: bool = False
    # what kind of not-(yet)-happened: negated | failed | denied | conditional | future | modal |
    # intent | expected | right | alleged | question | hypothetical (None: it happened)
    modality: str | None = None
    id: str = ""

    def make_id(self) -> str:
        key = f"{self.doc_id}:{self.sentence_index}:{self.trigger_start}:{self.event}:" + ",".join(
            f"{a.code}{a.identifier}" for a in self.actor) + "->" + ",".join(
            f"{r.code}{r.identifier}" for r in self.recipient)
        self.id = hashlib.sha256(key.encode()).hexdigest()[:16]
        return self.id


@dataclass
class Sentence:
    index: int
    char_start: int
    char_end: int
    text: str


@dataclass
class ProcessedArticle:
    """Everything the pipeline learnt from one article; written to the store as one unit."""

    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def to_dict(obj: Any) -> dict[str, Any]:
    return asdict(obj)
