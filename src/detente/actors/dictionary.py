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

Bundled files live in ``detente/data/actors/``; users add theirs with ``--actors FILE``. A later
file's entry with the same ``id`` extends the earlier one (aliases and roles are added). Every
entry is validated on load; a bad entry raises :class:`DataFileError` naming the file, the line
and the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from detente.datafiles import load_yaml_with_lines
from detente.errors import DataFileError
from detente.model import SECTORS, ActorEntry, Role

KINDS = frozenset({"person", "organisation", "group", "igo", "country"})
SUPPORTED_VERSIONS = frozenset({1})
_ENTRY_FIELDS = frozenset({"id", "name", "kind", "country", "code", "sector", "aliases", "roles", "died",
                           "__line__"})
_ROLE_FIELDS = frozenset({"office", "country", "sector", "start", "end", "__line__"})
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def parse_data_date(value: Any, *, end: bool = False) -> dt.date | None:
    """``YYYY-MM-DD``/``YYYY-MM``/``YYYY`` -> date; a coarse end date stands for its last day."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    m = _DATE.match(str(value).strip())
    if not m:
        raise ValueError(f"date {value!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if month and not 1 <= int(month) <= 12:
        raise ValueError(f"date {value!r} has no month {month} (use 01-12)")
    if day:
        try:
            return dt.date(year, int(month), int(day))
        except ValueError as exc:
            raise ValueError(f"date {value!r} is not a valid date ({exc})") from exc
    if month:
        if not end:
            return dt.date(year, int(month), 1)
        nxt = dt.date(year + (int(month) == 12), int(month) % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)


def _known_codes() -> frozenset[str]:
    import pycountry

    codes = {c.alpha_3 for c in pycountry.countries}
    return frozenset(codes)


@dataclass
class ActorDictionary:
    """All known actors by id (the resolver builds its own alias index from them)."""

    entries: dict[str, ActorEntry] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    igo_codes: frozenset[str] = frozenset()

    # -- loading -------------------------------------------------------------------------------
    @classmethod
    def load(cls, extra_files: Sequence[str | Path] = (), *, bundled: bool = True) -> ActorDictionary:
        """Bundled dictionary files, then the user's ``extra_files`` in order."""
        paths: list[Path] = []
        if bundled:
            paths.extend(bundled_actor_files())
        paths.extend(Path(p) for p in extra_files)
        # IGO entries define codes (UNO, OIC, ...) that roles of other entries may use
        docs = [(p, load_yaml_with_lines(p)) for p in paths]
        igo_codes = set()
        for path, doc in docs:
            for item in _actor_items(path, doc):
                if item.get("kind") == "igo" and item.get("code"):
                    igo_codes.add(str(item["code"]))
        self = cls(igo_codes=frozenset(igo_codes))
        valid = _known_codes() | self.igo_codes
        for path, doc in docs:
            for item in _actor_items(path, doc):
                self._add(_entry_from_item(path, item, valid))
            self.files.append(str(path))
        return self

    def _add(self, entry: ActorEntry) -> None:
        old = self.entries.get(entry.id)
        if old is None:
            self.entries[entry.id] = entry
            return
        old.aliases.extend(a for a in entry.aliases if a not in old.aliases)
        old.roles.extend(entry.roles)

    # -- queries -------------------------------------------------------------------------------
    def get(self, actor_id: str) -> ActorEntry | None:
        return self.entries.get(actor_id)

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self.entries

    def __iter__(self) -> Iterable[ActorEntry]:  # type: ignore[override]
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)


def bundled_actor_files() -> list[Path]:
    folder = resources.files("detente") / "data" / "actors"
    return sorted(Path(str(p)) for p in folder.iterdir() if str(p).endswith((".yaml", ".yml")))


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
            return key.start_mark.line + 1
        if isinstance(value, yaml.SequenceNode) and index < len(value.value):
            return value.value[index].start_mark.line + 1
    return None


def _entry_from_item(path: Path, item: dict[str, Any], valid_codes: frozenset[str]) -> ActorEntry:
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
        raise fail(f"{name}: 'aliases' must be a list of non-empty strings")
    roles: list[Role] = []
    for raw in item.get("roles") or []:
        if not isinstance(raw, dict):
            raise fail(f"{name}: each role must be a mapping with office, country, sector, start, end")
        rline = raw.get("__line__", line)
        office = raw.get("office")
        if not office:
            raise fail(f"{name}: role has no 'office'", rline)
        unknown = sorted(set(raw) - _ROLE_FIELDS)
        if unknown:
            raise fail(f"{name}: role {office!r} has unknown field(s) {', '.join(map(repr, unknown))}; "
                       f"a role may have {', '.join(sorted(_ROLE_FIELDS - {'__line__'}))}", rline)
        rcountry = raw.get("country", country)
        if rcountry not in valid_codes:
            raise fail(f"{name}: role {office!r} has unknown country code {rcountry!r}", rline)
        rsector = raw.get("sector", sector)
        if rsector not in SECTORS:
            raise fail(f"{name}: role {office!r} has unknown sector {rsector!r}", rline)
        try:
            start = parse_data_date(raw.get("start"))
            end = parse_data_date(raw.get("end"), end=True)
        except ValueError as exc:
            raise fail(f"{name}: role {office!r}: {exc}", rline) from exc
        if start and end and end < start:
            raise fail(f"{name}: role {office!r} ends ({end}) before it starts ({start})", rline)
        roles.append(Role(office=str(office), country=str(rcountry), sector=str(rsector), start=start,
                          end=end))
    roles.extend(_posthumous_roles(name, item, roles, fail))
    return ActorEntry(id=actor_id, name=name.strip(), kind=kind, country=country, sector=sector,
                      aliases=[a.strip() for a in aliases], roles=roles, source=f"{path}:{line}")


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
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
