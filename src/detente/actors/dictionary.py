"""The actor dictionary: people, organisations, groups and IGOs with dated roles, read from YAML.

A file looks like this (``version`` is required; dates are ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``;
an open ``end`` means the role is still held)::

    version: 1
    actors:
      - id: qamar-javed-bajwa
        name: Qamar Javed Bajwa
        kind: person            # person | organisation | group | igo
        country: PAK            # ISO3 (or an IGO code for IGO staff)
        aliases: [Qamar Bajwa, General Bajwa]
        roles:
          - {office: Chief of Army Staff, country: PAK, sector: MIL, start: 2016-11-29, end: 2022-11-29}

A person who died in office may carry ``died: YYYY-MM-DD``: the office held that day stays attached
to the name afterwards ("the late Quds Force commander").

Bundled files live in ``detente/data/actors/`` (officials of every country by region in
``regions/``); users add theirs with ``--actors FILE``. A user file's entry with the same ``id``
extends the earlier one (aliases and roles are added); within the bundled files, and within one
file, an ``id`` is defined once. Every entry is validated on load; a bad entry raises
:class:`DataFileError` naming the file, the line, the reason and the fix. Checked:

- fields, kinds, country/IGO codes, sectors and dates (``start <= end``);
- duplicate ids (see above);
- one holder per office: the same ``office`` of the same ``country`` held by two people on the
  same day is an error, unless both roles say ``collective: true`` (Bosnia's presidency, San
  Marino's Captains Regent). A handover on one day (one ends, the other starts that day) is not an
  overlap, nor is an overlap that a month- or year-precise date leaves possible;
- the same alias (or name) on two entries whose roles overlap in time in one country is kept but
  reported in :attr:`ActorDictionary.warnings` (it may be legitimately ambiguous: two Al Thanis).

A clash between a user file and the bundled data is a warning, not an error: the user's file
is taken as the correction.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from detente.datafiles import SUPPORTED_VERSIONS, load_yaml_with_lines
from detente.dates.parse import ISO_VALUE, parse_iso_value
from detente.errors import DataFileError
from detente.model import SECTORS, ActorEntry, Role

KINDS = frozenset({"person", "organisation", "group", "igo", "country"})
_ENTRY_FIELDS = frozenset({"id", "name", "kind", "country", "code", "sector", "aliases", "roles", "died",
                           "__line__"})
_ROLE_FIELDS = frozenset({"office", "country", "sector", "start", "end", "collective", "__line__"})


def parse_data_date(value: Any, *, end: bool = False) -> dt.date | None:
    """``YYYY-MM-DD``/``YYYY-MM``/``YYYY`` -> date; a coarse end date stands for its last day."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    parsed = parse_iso_value(text)
    if parsed is None:
        raise ValueError(_date_error(value, text))
    return parsed.last_date if end else parsed.start_date


def _date_error(value: Any, text: str) -> str:
    """Why ``text`` (written ``value``) is no data-file date."""
    m = ISO_VALUE.fullmatch(text)
    if m is None:
        return f"date {value!r} is not YYYY-MM-DD, YYYY-MM or YYYY"
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month and not 1 <= int(month) <= 12:
        return f"date {value!r} has no month {month} (use 01-12)"
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError as exc:
        return f"date {value!r} is not a valid date ({exc})"
    return f"date {value!r} is not a valid date"


@functools.cache
def known_country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes, and XKX for Kosovo (which has none)."""
    import pycountry

    codes = {c.alpha_3 for c in pycountry.countries}
    # Kosovo has no ISO 3166-1 code yet; XKX is the code the EU, IMF and World Bank use
    codes.add("XKX")
    return frozenset(codes)


class DataFileWarning(UserWarning):
    """A data file entry that loads but is probably wrong or ambiguous (see :class:`DataIssue`)."""


@dataclass(frozen=True)
class DataIssue:
    """A problem found on load that does not stop it: where, what, and how to fix it."""

    path: str
    line: int | None
    problem: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.problem}"


@dataclass(frozen=True)
class _Span:
    """One role as read, with the certain part of its period (for the one-holder check)."""

    entry_id: str
    office: str
    country: str
    first: dt.date  # the first day the role is certainly held
    last: dt.date   # the last day the role is certainly held
    collective: bool
    path: str
    line: int | None
    bundled: bool
    period: str     # as written: "2016-08-04 to 2017-06", "from 2019"


@dataclass(frozen=True)
class Coverage:
    """What the dictionary knows: counts a user can read (``detente actors --coverage``)."""

    countries: int  # countries (ISO3) with at least one office covered
    igos: int       # IGO codes with at least one office covered
    offices: int    # distinct (country or IGO, office) pairs
    people: int
    terms: int      # dated roles of people (posthumous "the late ..." roles not counted)
    groups: int
    organisations: int
    igo_entries: int
    by_country: dict[str, int] = field(default_factory=dict)  # code -> number of terms

    def as_dict(self) -> dict[str, int]:
        return {"countries": self.countries, "igos": self.igos, "offices": self.offices,
                "people": self.people, "terms": self.terms, "groups": self.groups,
                "organisations": self.organisations, "igo_entries": self.igo_entries}


@dataclass
class ActorDictionary:
    """All known actors by id, with an index of their names and aliases (casefolded)."""

    entries: dict[str, ActorEntry] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    igo_codes: frozenset[str] = frozenset()
    warnings: list[DataIssue] = field(default_factory=list)
    _by_form: dict[str, list[str]] = field(default_factory=dict, repr=False)

    # -- loading -------------------------------------------------------------------------------
    @classmethod
    def load(cls, extra_files: Sequence[str | Path] = (), *, bundled: bool = True) -> ActorDictionary:
        """Bundled dictionary files, then the user's ``extra_files`` in order."""
        paths: list[tuple[Path, bool]] = []
        if bundled:
            paths.extend((p, True) for p in bundled_actor_files())
        paths.extend((Path(p), False) for p in extra_files)
        # IGO entries define codes (UNO, OIC, ...) that roles of other entries may use
        docs = [(p, is_bundled, load_yaml_with_lines(p)) for p, is_bundled in paths]
        igo_codes = set()
        for path, _, doc in docs:
            for item in _actor_items(path, doc):
                if item.get("kind") == "igo" and item.get("code"):
                    igo_codes.add(str(item["code"]))
        self = cls(igo_codes=frozenset(igo_codes))
        valid = known_country_codes() | self.igo_codes
        spans: list[_Span] = []
        defined: dict[str, tuple[str, int | None, bool]] = {}  # id -> (file, line, bundled)
        for path, is_bundled, doc in docs:
            for item in _actor_items(path, doc):
                entry, entry_spans = _entry_from_item(path, item, valid, is_bundled)
                self._check_id(entry, path, item.get("__line__"), is_bundled, defined)
                self._add(entry)
                spans.extend(entry_spans)
            self.files.append(str(path))
        self._check_one_holder(spans)
        self._index_forms()
        self._check_shared_forms()
        for issue in self.warnings:
            if not issue.path.startswith(_BUNDLED_PREFIX):
                warnings.warn(str(issue), DataFileWarning, stacklevel=2)
        return self

    def _check_id(self, entry: ActorEntry, path: Path, line: int | None, is_bundled: bool,
                  defined: dict[str, tuple[str, int | None, bool]]) -> None:
        before = defined.get(entry.id)
        if before is None:
            defined[entry.id] = (str(path), line, is_bundled)
            return
        where = f"{before[0]}:{before[1]}"
        if before[0] == str(path) or (is_bundled and before[2]):
            raise DataFileError(path, f"{entry.name}: id {entry.id!r} is already defined at {where}; "
                                "merge the two entries into one, or give this one its own id", line)
        # a user file extending an earlier file's entry: allowed (aliases and roles are added)

    def _add(self, entry: ActorEntry) -> None:
        old = self.entries.get(entry.id)
        if old is None:
            self.entries[entry.id] = entry
            return
        old.aliases.extend(a for a in entry.aliases if a not in old.aliases)
        old.roles.extend(r for r in entry.roles if r not in old.roles)

    def _check_one_holder(self, spans: list[_Span]) -> None:
        """The same office of the same country is held by one person at a time."""
        groups: dict[tuple[str, str], list[_Span]] = defaultdict(list)
        for span in spans:
            groups[(span.country, span.office.casefold())].append(span)
        for group in groups.values():
            if len(group) < 2:
                continue
            group.sort(key=lambda s: s.first)
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    if b.first >= a.last:
                        break  # sorted by first day: no later span overlaps a either
                    if a.entry_id == b.entry_id or (a.collective and b.collective):
                        continue
                    # blame the user's file if one is involved, else the role read last
                    later, earlier = max((a, b), key=_blame_order), min((a, b), key=_blame_order)
                    problem = (f"{later.entry_id}: {later.office!r} of {later.country} ({later.period}) "
                               f"overlaps the term of {earlier.entry_id} ({earlier.period}, "
                               f"{earlier.path}:{earlier.line}); fix the dates (a handover "
                               "on one day ends one term and starts the other that day), use month precision "
                               "where the day is not known, or mark both roles 'collective: true' when the "
                               "office has several holders")
                    if (a.bundled and b.bundled) or a.path == b.path:
                        raise DataFileError(later.path, problem, later.line)
                    self.warnings.append(DataIssue(later.path, later.line, problem))

    def _index_forms(self) -> None:
        index: dict[str, list[str]] = defaultdict(list)
        for entry in self.entries.values():
            for form in (entry.name, *entry.aliases):
                key = form.casefold()
                if entry.id not in index[key]:
                    index[key].append(entry.id)
        self._by_form = dict(index)

    def _check_shared_forms(self) -> None:
        """A name on two entries active in one country at one time is ambiguous: say so."""
        for form, ids in self._by_form.items():
            if len(ids) < 2:
                continue
            entries = [self.entries[i] for i in ids]
            for i, a in enumerate(entries):
                for b in entries[i + 1:]:
                    if _active_together(a, b):
                        path, _, line = b.source.rpartition(":")
                        self.warnings.append(DataIssue(
                            path, int(line) if line.isdigit() else None,
                            f"{b.id}: the name {form!r} also names {a.id} ({a.source}), active in the same "
                            "country at the same time; the resolver cannot tell them apart by name: give "
                            "each a fuller alias and drop the shared one, unless it is truly ambiguous"))

    # -- queries -------------------------------------------------------------------------------
    def get(self, actor_id: str) -> ActorEntry | None:
        return self.entries.get(actor_id)

    def named(self, form: str) -> list[ActorEntry]:
        """The entries called ``form`` (name or alias, any case): a dict lookup."""
        return [self.entries[i] for i in self._by_form.get(form.casefold(), ())]

    def holders(self, office: str, country: str, on: dt.date) -> list[ActorEntry]:
        """The entries holding ``office`` of ``country`` on ``on`` (a scan: for tools and tests)."""
        key = office.casefold()
        return [e for e in self.entries.values()
                if any(r.office.casefold() == key and r.country == country and r.held_on(on)
                       for r in e.roles)]

    def coverage(self) -> Coverage:
        """Counts of what the dictionary covers: countries, offices, people, terms, groups."""
        iso = known_country_codes()
        offices: set[tuple[str, str]] = set()
        by_country: dict[str, int] = defaultdict(int)
        terms = 0
        for entry in self.entries.values():
            if entry.kind != "person":
                continue
            for role in entry.roles:
                if role.office.startswith("the late "):
                    continue
                terms += 1
                offices.add((role.country, role.office))
                by_country[role.country] += 1
        kinds: dict[str, int] = defaultdict(int)
        for entry in self.entries.values():
            kinds[entry.kind] += 1
        return Coverage(
            countries=sum(1 for c in by_country if c in iso),
            igos=sum(1 for c in by_country if c in self.igo_codes),
            offices=len(offices), people=kinds["person"], terms=terms, groups=kinds["group"],
            organisations=kinds["organisation"], igo_entries=kinds["igo"],
            by_country=dict(sorted(by_country.items())))

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self.entries

    def __iter__(self) -> Iterator[ActorEntry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)


def _blame_order(span: _Span) -> tuple[bool, str, int]:
    return (not span.bundled, span.path, span.line or 0)


def _active_together(a: ActorEntry, b: ActorEntry) -> bool:
    for ra in a.roles:
        for rb in b.roles:
            if ra.country != rb.country:
                continue
            lo = max(ra.start or dt.date.min, rb.start or dt.date.min)
            hi = min(ra.end or dt.date.max, rb.end or dt.date.max)
            if lo <= hi:
                return True
    if not a.roles and not b.roles:
        return a.country is not None and a.country == b.country
    return False


_BUNDLED_FOLDER = resources.files("detente") / "data" / "actors"
_BUNDLED_PREFIX = str(_BUNDLED_FOLDER)


def bundled_actor_files() -> list[Path]:
    """The bundled files: ``data/actors/*.yaml`` and those in its sub-folders (``regions/``)."""
    root = Path(str(_BUNDLED_FOLDER))
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def _actor_items(path: Path, doc: Any) -> list[dict[str, Any]]:
    if not isinstance(doc, dict):
        raise DataFileError(path, "expected a mapping with 'version' and 'actors' at the top", 1)
    version = doc.get("version")
    if version not in SUPPORTED_VERSIONS:
        raise DataFileError(path, f"unsupported or missing 'version' ({version!r}); use 'version: 1'", 1)
    items = doc.get("actors")
    if not isinstance(items, list):
        raise DataFileError(path, "'actors' must be a list of entries",
                            _actors_line(path, None) or doc.get("__line__"))
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise DataFileError(path, f"each actor must be a mapping, got {item!r}",
                                _actors_line(path, index))
    return items


def _actors_line(path: Path, index: int | None) -> int | None:
    """The line of the top-level ``actors`` key (``index`` None) or of its ``index``-th item.

    Used only to place an error: values that are not mappings carry no ``__line__``.
    """
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError):
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if key.value != "actors":
            continue
        if index is None:
            return int(key.start_mark.line) + 1
        if isinstance(value, yaml.SequenceNode) and index < len(value.value):
            return int(value.value[index].start_mark.line) + 1
    return None


def _entry_from_item(path: Path, item: dict[str, Any], valid_codes: frozenset[str],
                     bundled: bool = False) -> tuple[ActorEntry, list[_Span]]:
    line = item.get("__line__")

    def fail(problem: str, at: int | None = None) -> DataFileError:
        return DataFileError(path, problem, at or line)

    name = item.get("name")
    if not name or not isinstance(name, str):
        raise fail("entry has no 'name'")
    unknown = sorted(set(item) - _ENTRY_FIELDS)
    if unknown:
        raise fail(f"{name}: unknown field(s) {', '.join(map(repr, unknown))}; an entry may have "
                   f"{', '.join(sorted(_ENTRY_FIELDS - {'__line__'}))}")
    actor_id = str(item.get("id") or _slug(name))
    kind = item.get("kind", "person")
    if kind not in KINDS:
        raise fail(f"{name}: unknown kind {kind!r}; use one of {', '.join(sorted(KINDS))}")
    country = item.get("country") or item.get("code")
    if country is not None and country not in valid_codes:
        raise fail(f"{name}: unknown country code {country!r}; use an ISO 3166-1 alpha-3 code "
                   "(PAK, IRN, USA) or the code of an IGO entry")
    sector = item.get("sector")
    if sector is not None and sector not in SECTORS:
        raise fail(f"{name}: unknown sector {sector!r}; use one of {', '.join(sorted(SECTORS))}")
    aliases = item.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise fail(f"{name}: 'aliases' must be a list of non-empty strings, e.g. [Name One, Name Two]")
    roles: list[Role] = []
    spans: list[_Span] = []
    for raw in item.get("roles") or []:
        if not isinstance(raw, dict):
            raise fail(f"{name}: each role must be a mapping with office, country, sector, start, end")
        rline = raw.get("__line__", line)
        office = raw.get("office")
        if not office:
            raise fail(f"{name}: role has no 'office'; add e.g. 'office: Minister of Foreign Affairs'", rline)
        unknown = sorted(set(raw) - _ROLE_FIELDS)
        if unknown:
            raise fail(f"{name}: role {office!r} has unknown field(s) {', '.join(map(repr, unknown))}; "
                       f"a role may have {', '.join(sorted(_ROLE_FIELDS - {'__line__'}))}", rline)
        rcountry = raw.get("country", country)
        if rcountry not in valid_codes:
            raise fail(f"{name}: role {office!r} has unknown country code {rcountry!r}; use an ISO 3166-1 "
                       "alpha-3 code or the code of an IGO entry", rline)
        rsector = raw.get("sector", sector)
        if rsector not in SECTORS:
            raise fail(f"{name}: role {office!r} has unknown sector {rsector!r}; use one of "
                       f"{', '.join(sorted(SECTORS))}", rline)
        collective = raw.get("collective", False)
        if not isinstance(collective, bool):
            raise fail(f"{name}: role {office!r}: 'collective' must be true or false", rline)
        try:
            start = parse_data_date(raw.get("start"))
            end = parse_data_date(raw.get("end"), end=True)
            # the certain part of the period: a coarse start is certain from its last day,
            # a coarse end until its first day
            first = parse_data_date(raw.get("start"), end=True) or dt.date.min
            last = parse_data_date(raw.get("end")) or dt.date.max
        except ValueError as exc:
            raise fail(f"{name}: role {office!r}: {exc}", rline) from exc
        if start and end and end < start:
            raise fail(f"{name}: role {office!r} ends ({end}) before it starts ({start})", rline)
        roles.append(Role(office=str(office), country=str(rcountry), sector=str(rsector), start=start,
                          end=end))
        if kind == "person" and first < last:
            period = (f"{raw.get('start') or 'always'} to {raw['end']}" if raw.get("end")
                      else f"from {raw.get('start') or 'always'}, still held")
            spans.append(_Span(actor_id, str(office), str(rcountry), first, last, collective, str(path),
                               rline, bundled, period))
    roles.extend(_posthumous_roles(name, item, roles, fail))
    entry = ActorEntry(id=actor_id, name=name.strip(), kind=kind, country=country, sector=sector,
                       aliases=[a.strip() for a in aliases], roles=roles, source=f"{path}:{line}")
    return entry, spans


def _posthumous_roles(name: str, item: dict[str, Any], roles: list[Role],
                      fail: Callable[..., DataFileError]) -> list[Role]:
    """``died: DATE``: the offices held at death stay attached to the name afterwards.

    Reports after a death speak of "the late Quds Force commander": the office held on the day of
    death continues as an open role ("the late ...") starting the next day.
    """
    if item.get("died") is None:
        return []
    try:
        died = parse_data_date(item.get("died"), end=True)
    except ValueError as exc:
        raise fail(f"{name}: 'died': {exc}") from exc
    assert died is not None
    extra: list[Role] = []
    for role in roles:
        if role.start is not None and role.start > died:
            raise fail(f"{name}: role {role.office!r} starts ({role.start}) after the person died ({died})")
        if role.held_on(died):
            extra.append(Role(office=f"the late {role.office}", country=role.country, sector=role.sector,
                              start=died + dt.timedelta(days=1), end=None))
    return extra


def _slug(name: str) -> str:
    """``Recep Tayyip Erdoğan`` -> ``recep-tayyip-erdogan`` (the id of an entry that gives none)."""
    plain = unicodedata.normalize("NFKD", name.lower().replace("ı", "i").replace("ø", "o").replace("ð", "d")
                                  .replace("þ", "th").replace("ł", "l").replace("đ", "d").replace("ß", "ss"))
    return re.sub(r"[^a-z0-9]+", "-", plain.encode("ascii", "ignore").decode()).strip("-")
