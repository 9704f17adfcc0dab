"""What the actor knowledge covers, and what the articles named that it could not code.

* :func:`dictionary_coverage`: counts of countries (with demonyms, capitals, seats), offices, people
  (and those in office on a day), groups, organisations and IGOs, titles: ``detente actors --coverage``.

What the articles named that it could not code is a query of the store
(:func:`detente.store.coverage.unresolved_mentions`, ``detente actors --unresolved``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from detente.actors.countries import CountryTable
from detente.actors.dictionary import ActorDictionary
from detente.actors.normalise import TitleTable

__all__ = ["coverage_lines", "dictionary_coverage"]


def dictionary_coverage(actor_files: Sequence[str | Path] = (), *, day: dt.date | None = None,
                        dictionary: ActorDictionary | None = None, countries: CountryTable | None = None,
                        titles: TitleTable | None = None) -> dict[str, int]:
    """Counts of what the bundled knowledge (plus ``actor_files``) knows, with offices held on ``day``."""
    dictionary = dictionary if dictionary is not None else ActorDictionary.load(actor_files)
    countries = countries if countries is not None else CountryTable.load()
    titles = titles if titles is not None else TitleTable.load()
    day = day or dt.date.today()
    entries = list(dictionary.entries.values())
    people = [e for e in entries if e.kind == "person"]
    roles = [(r, e) for e in people for r in e.roles if not r.office.startswith("the late ")]
    offices = {(r.country, titles.office_key(r.office)) for r, _ in roles}
    serving = {e.id for r, e in roles if r.held_on(day)}
    official_countries = {r.country for r, _ in roles if r.country in countries.names}
    groups = [e for e in entries if e.kind == "group"]
    out = dict(countries.coverage())
    out.update({
        "countries_with_officials": len(official_countries),
        "offices": len(offices),
        "terms": len(roles),
        "people": len(people),
        "people_in_office": len(serving),
        "groups": len(groups),
        "group_countries": len({e.country for e in groups if e.country}),
        "organisations": sum(e.kind == "organisation" for e in entries),
        "igos": sum(e.kind == "igo" for e in entries),
        "titles": len(titles.titles),
        "dictionary_files": len(dictionary.files),
    })
    return out


def coverage_lines(cov: dict[str, int], day: dt.date) -> list[str]:
    """The coverage as the lines ``detente actors --coverage`` prints."""
    return [
        f"countries   {cov['countries']} ({cov['with_demonym']} with demonyms, {cov['with_capital']} with "
        f"capitals, {cov['with_seat']} with seats of power; {cov['forms']} surface forms)",
        f"offices     {cov['offices']} offices in {cov['countries_with_officials']} countries and the IGOs, "
        f"{cov['terms']} dated terms",
        f"people      {cov['people']} ({cov['people_in_office']} in office on {day.isoformat()})",
        f"groups      {cov['groups']} armed groups and movements in {cov['group_countries']} countries",
        f"other       {cov['organisations']} organisations, {cov['igos']} IGO bodies, {cov['places']} "
        f"place forms, {cov['titles']} title forms",
        f"files       {cov['dictionary_files']} dictionary files",
    ]
