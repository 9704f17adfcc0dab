"""Countries, their short forms, demonyms, capitals and seats of power, and places that are never actors.

Every ISO 3166-1 country comes from pycountry (code, name, common and official names); the data file
``detente/data/countries.yaml`` adds what pycountry lacks (English usage, demonyms, capitals, seats,
codes beyond ISO such as Kosovo's XKX), and users may add files of the same shape::

    version: 1
    place_words: {capital: [in, to, ...], country: [in, at, ...]}
    extra_codes: [{code: XKX, name: Kosovo}]
    countries:
      - {code: PAK, names: [...], short: [...], demonyms: [Pakistani], people: [Pakistanis],
         capital: Islamabad, capitals: [...], seats: [{name: Rawalpindi, sector: MIL}]}
    places:
      - {name: Balochistan, country: PAK, feature: province, aliases: [Baluchistan]}

``name`` is needed only where pycountry has none or news English says it otherwise (Turkey, Russia).
A form the data gives to one country is never taken from pycountry for another ("Congo" is the DRC).

Every surface form must be unique over all files read (a later file may not silently re-point a form);
a duplicate, an unknown code or a malformed entry raises :class:`DataFileError` with file and line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from detente.actors.normalise import compact_key, is_acronym
from detente.datafiles import load_data_file
from detente.errors import DataFileError
from detente.model import SECTORS

HIT_KINDS = ("country", "demonym", "capital", "seat", "place")
_COUNTRY_FIELDS = frozenset({"code", "name", "names", "short", "demonyms", "people", "capital", "capitals",
                             "seats", "__line__"})
_PLACE_FIELDS = frozenset({"name", "country", "feature", "aliases", "sector", "__line__"})
_FEATURES = frozenset({"province", "city", "district", "region", "town", "village"})


@dataclass(frozen=True)
class CountryHit:
    """What a surface form means: ``Tehran`` -> ``CountryHit("IRN", "Iran", "capital", None)``.

    ``sector`` is set where the form itself implies one (``Rawalpindi`` -> MIL, ``Iranians`` -> CVL);
    ``place`` names the province or city for ``kind == "place"`` (and capitals/seats).
    """

    code: str
    name: str
    kind: str  # country | demonym | capital | seat | place
    sector: str | None = None
    place: str | None = None
    feature: str | None = None
    acronym: bool = False


@dataclass
class CountryTable:
    """Surface forms (by :func:`compact_key`) -> :class:`CountryHit`."""

    forms: dict[str, CountryHit] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # ISO3 -> canonical name
    place_words: dict[str, frozenset[str]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    max_words: int = 1
    extra_codes: dict[str, str] = field(default_factory=dict)  # codes beyond ISO 3166-1 -> name
    _origin: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, extra_files: Sequence[str | Path] = ()) -> CountryTable:
        """pycountry's countries with the bundled ``data/countries.yaml``, then ``extra_files``."""
        self = cls()
        self._read(bundled_countries_file())
        self._add_pycountry()
        for path in extra_files:
            self._read(Path(path))
        return self

    @classmethod
    def from_files(cls, files: Sequence[str | Path]) -> CountryTable:
        """Only the given files (no bundled data): for tests and custom setups."""
        self = cls()
        for path in files:
            self._read(Path(path))
        return self

    # -- queries -------------------------------------------------------------------------------
    def lookup(self, surface: str) -> CountryHit | None:
        """The country, demonym, capital, seat or place written ``surface``, else None.

        Forms written in capitals in the data (``US``, ``KSA``) match only capitals in the text.
        """
        return self.get_key(compact_key(surface), is_acronym(surface))

    def get_key(self, key: str, surface_is_acronym: bool) -> CountryHit | None:
        hit = self.forms.get(key)
        if hit is None or (hit.acronym and not surface_is_acronym):
            return None
        return hit

    def name_of(self, code: str) -> str | None:
        return self.names.get(code)

    def coverage(self) -> dict[str, int]:
        """How much the table knows: countries, and how many have demonyms, capitals, seats."""
        kinds: dict[str, set[str]] = {k: set() for k in HIT_KINDS}
        for hit in self.forms.values():
            kinds[hit.kind].add(hit.code)
        return {"countries": len(self.names), "with_demonym": len(kinds["demonym"]),
                "with_capital": len(kinds["capital"]), "with_seat": len(kinds["seat"]),
                "places": sum(1 for h in self.forms.values() if h.kind == "place"),
                "forms": len(self.forms)}

    def is_place_word(self, word: str, kind: str) -> bool:
        """Is ``word`` a preposition that makes a following ``kind`` (country/capital) a place?"""
        group = "country" if kind in ("country", "demonym") else "capital"
        return word.lower() in self.place_words.get(group, frozenset())

    def is_place_noun(self, word: str) -> bool:
        """Is ``word`` a noun that makes a preceding capital/country a place ("Doha agreement")?"""
        return word.lower() in self.place_words.get("following", frozenset())

    # -- loading -------------------------------------------------------------------------------
    def _read(self, path: Path) -> None:
        doc = load_data_file(path)
        self._read_extra_codes(path, doc.get("extra_codes") or [])
        codes = _iso3_codes() | set(self.extra_codes)
        words = doc.get("place_words") or {}
        if not isinstance(words, dict):
            raise DataFileError(path, "'place_words' must map 'capital'/'country'/'following' to lists of "
                                "words", 1)
        for group in ("capital", "country", "following"):
            value = words.get(group, [])
            if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
                raise DataFileError(path, f"'place_words.{group}' must be a list of words",
                                    words.get("__line__"))
            self.place_words[group] = self.place_words.get(group, frozenset()) | {w.lower() for w in value}
        countries = doc.get("countries") or []
        places = doc.get("places") or []
        if not isinstance(countries, list) or not isinstance(places, list):
            raise DataFileError(path, "'countries' and 'places' must be lists", doc.get("__line__"))
        for item in countries:
            self._add_country(path, item, codes)
        for item in places:
            self._add_place(path, item, codes | set(self.names))
        self.files.append(str(path))

    def _read_extra_codes(self, path: Path, items: Any) -> None:
        if not isinstance(items, list):
            raise DataFileError(path, "'extra_codes' must be a list of {code, name}", 1)
        for item in items:
            line = item.get("__line__") if isinstance(item, dict) else None
            if not isinstance(item, dict) or set(item) - {"code", "name", "__line__"}:
                raise DataFileError(path, f"each extra code must be a mapping {{code, name}}, got {item!r}",
                                    line)
            code = item.get("code")
            if not isinstance(code, str) or len(code) != 3 or not code.isupper() or code in _iso3_codes():
                raise DataFileError(path, f"extra code {code!r} must be three capitals and not an ISO 3166-1 "
                                    "code", line)
            self.extra_codes[code] = _text(path, item, "name", line)

    def _add_pycountry(self) -> None:
        """Every ISO country pycountry knows, with its names; forms the data gave elsewhere are skipped."""
        import pycountry

        for country in pycountry.countries:
            code = country.alpha_3
            name = self.names.setdefault(code, _pycountry_name(country))
            for form in dict.fromkeys([name, *_pycountry_forms(country)]):
                key = compact_key(form)
                old = self.forms.get(key)
                if not key or (old is not None and old.code != code):
                    continue
                if old is None:
                    self._form(Path("pycountry"), None, form, CountryHit(code, name, "country"))

    def _add_country(self, path: Path, item: Any, codes: set[str] | frozenset[str]) -> None:
        if not isinstance(item, dict):
            raise DataFileError(path, f"each country must be a mapping, got {item!r}")
        line = item.get("__line__")
        unknown = set(item) - _COUNTRY_FIELDS
        if unknown:
            raise DataFileError(path, f"unknown field(s) {', '.join(sorted(unknown))}", line)
        code = item.get("code")
        if not isinstance(code, str) or code not in codes:
            raise DataFileError(path, f"unknown or missing country code {code!r}; use ISO 3166-1 alpha-3",
                                line)
        name = _text(path, item, "name", line) if "name" in item else (
            self.names.get(code) or self.extra_codes.get(code) or _default_name(code))
        self.names[code] = name
        self._form(path, line, name, CountryHit(code, name, "country"))
        for form in _texts(path, item, "names", line) + _texts(path, item, "short", line):
            self._form(path, line, form, CountryHit(code, name, "country"))
        for form in _texts(path, item, "demonyms", line):
            self._form(path, line, form, CountryHit(code, name, "demonym"))
        for form in _texts(path, item, "people", line):
            self._form(path, line, form, CountryHit(code, name, "demonym", sector="CVL"))
        capital = item.get("capital")
        if capital is not None:
            capital = _text(path, item, "capital", line)
            self._form(path, line, capital, CountryHit(code, name, "capital", place=capital, feature="city"))
        for other in _texts(path, item, "capitals", line):
            self._form(path, line, other, CountryHit(code, name, "capital", place=other, feature="city"))
        seats = item.get("seats") or []
        if not isinstance(seats, list):
            raise DataFileError(path, "'seats' must be a list of {name, sector}", line)
        for seat in seats:
            if not isinstance(seat, dict):
                raise DataFileError(path, f"each seat must be a mapping {{name, sector}}, got {seat!r}", line)
            sline = seat.get("__line__", line)
            seat_name = _text(path, seat, "name", sline)
            sector = seat.get("sector", "GOV")
            if sector not in SECTORS:
                raise DataFileError(path, f"seat {seat_name!r}: unknown sector {sector!r}", sline)
            self._form(path, sline, seat_name,
                       CountryHit(code, name, "seat", sector=sector, place=seat_name))

    def _add_place(self, path: Path, item: Any, codes: set[str] | frozenset[str]) -> None:
        if not isinstance(item, dict):
            raise DataFileError(path, f"each place must be a mapping, got {item!r}")
        line = item.get("__line__")
        unknown = set(item) - _PLACE_FIELDS
        if unknown:
            raise DataFileError(path, f"unknown field(s) {', '.join(sorted(unknown))}", line)
        name = _text(path, item, "name", line)
        code = item.get("country")
        if not isinstance(code, str) or code not in codes:
            raise DataFileError(path, f"place {name!r}: unknown or missing country code {code!r}", line)
        feature = item.get("feature", "city")
        if feature not in _FEATURES:
            raise DataFileError(path, f"place {name!r}: unknown feature {feature!r}; use one of "
                                f"{', '.join(sorted(_FEATURES))}", line)
        sector = item.get("sector")
        if sector is not None and sector not in SECTORS:
            raise DataFileError(path, f"place {name!r}: unknown sector {sector!r}", line)
        country_name = self.names.get(code, code)
        hit = CountryHit(code, country_name, "place", sector=sector, place=name, feature=feature)
        for form in [name, *_texts(path, item, "aliases", line)]:
            self._form(path, line, form, hit)

    def _form(self, path: Path, line: int | None, form: str, hit: CountryHit) -> None:
        key = compact_key(form)
        if not key:
            raise DataFileError(path, f"form {form!r} has no letters", line)
        acronym = is_acronym(form) and len(key) <= 3
        hit = CountryHit(hit.code, hit.name, hit.kind, hit.sector, hit.place, hit.feature, acronym)
        old = self.forms.get(key)
        if old is not None and (old.code, old.kind) != (hit.code, hit.kind):
            raise DataFileError(path, f"form {form!r} is already defined ({self._origin[key]}) as "
                                f"{old.kind} of {old.code}", line)
        if old is not None and old.acronym and not acronym:
            hit = old  # "US" and "U.S." share a key; keep the capitals-only rule
        self.forms[key] = hit
        self._origin.setdefault(key, f"{path}:{line}")
        self.max_words = max(self.max_words, len(form.split()) + form.count("-") + form.count("."))


def _text(path: Path, item: dict[str, Any], key: str, line: int | None) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DataFileError(path, f"'{key}' must be a non-empty string, got {value!r}", line)
    return value.strip()


def _texts(path: Path, item: dict[str, Any], key: str, line: int | None) -> list[str]:
    value = item.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataFileError(path, f"'{key}' must be a list of non-empty strings", line)
    return [v.strip() for v in value]


def bundled_countries_file() -> Path:
    return Path(str(resources.files("detente") / "data" / "countries.yaml"))


def _iso3_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries)


def _plain(name: str | None) -> bool:
    """A name as news English writes it: not "Korea, Republic of" nor "Cocos (Keeling) Islands"."""
    return bool(name) and "," not in str(name) and "(" not in str(name)


def _pycountry_forms(country: Any) -> list[str]:
    forms = [getattr(country, a, None) for a in ("common_name", "name", "official_name")]
    return [str(f) for f in forms if f and _plain(f)]


def _pycountry_name(country: Any) -> str:
    forms = _pycountry_forms(country)
    return forms[0] if forms else str(country.name).split(",")[0].split("(")[0].strip()


def _default_name(code: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_3=code)
    return _pycountry_name(country) if country is not None else code


def country_codes(extra_files: Sequence[str | Path] = ()) -> frozenset[str]:
    """Every code the country table knows: ISO 3166-1 alpha-3 and the data's extra codes (XKX)."""
    table = CountryTable.load(extra_files)
    return frozenset(table.names)
