"""Dated office-holder resolution: who holds an office on a day, and a person's code on it.

:func:`code_for` gives an entry's country and sector on a day (its latest role when undated);
:class:`Offices` answers the questions a titled name asks of the dictionary: the offices a person
holds or is given ("FM Qureshi"), who of several people so called was in office that day ("Prince
Faisal" in 2025), who holds the office a title names ("King Salman").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from detente.actors.nameindex import NameIndex
from detente.actors.normalise import Title, TitleTable
from detente.actors.segments import TitleInfo
from detente.model import ActorEntry

__all__ = ["Offices", "code_for"]

_RECENT = dt.timedelta(days=365)  # a bare surname may still name a person this long after office


def code_for(entry: ActorEntry, day: dt.date | None, hint: str | None) -> tuple[str | None, str | None]:
    """The country and sector of ``entry`` on ``day`` (its latest role's if undated; ``hint`` as sector
    when its role gives none)."""
    if day is None and entry.roles:
        latest = max(entry.roles, key=lambda r: r.start or dt.date.min)
        return latest.country, latest.sector
    code, sector = entry.code_on(day)
    return code, sector or hint


class Offices:
    """Office lookups over a dictionary's people, with the title table's office keys."""

    def __init__(self, index: NameIndex, titles: TitleTable) -> None:
        self.index = index
        self.dictionary = index.dictionary
        self.titles = titles

    def offices(self, entry: ActorEntry, day: dt.date | None, titles: Sequence[Title]) -> frozenset[str]:
        """Office keys of a person: the role held on ``day`` (the latest if undated) and the titles given."""
        role = entry.role_on(day) if day is not None else (
            max(entry.roles, key=lambda r: r.start or dt.date.min) if entry.roles else None)
        offices = set(self.titled(titles))
        if role is not None:
            offices.add(self.titles.office_key(role.office))
        return frozenset(offices)

    def titled(self, titles: Sequence[Title]) -> frozenset[str]:
        return frozenset(self.titles.office_key(t.form) for t in titles if t.person and not t.honorific)

    def ids_of_country(self, ids: set[str], code: str) -> set[str]:
        """Those of ``ids`` who are of country ``code`` or ever held an office of it."""
        out = set()
        for actor_id in ids:
            entry = self.dictionary.get(actor_id)
            if entry is not None and (entry.country == code or any(r.country == code for r in entry.roles)):
                out.add(actor_id)
        return out

    def given_candidates(self, word: str, info: TitleInfo, day: dt.date | None) -> set[str]:
        """People called by their first name after a title that goes with it ("Prince Faisal").

        Only with a title of ``given_name_titles`` (prince, king, emir, sheikh, ...), only state
        officials in office on the day, and only of the country the phrase names, if it names one:
        "King Abdullah" is never Abdullah Ocalan.
        """
        if not any(self.titles.takes_given_name(t.form) for t in info.titles):
            return set()
        found: set[str] = set()
        for actor_id in self.index.given.get(word, set()):
            entry = self.dictionary.get(actor_id)
            if entry is None:
                continue
            roles = [r for r in entry.roles if day is None or r.held_on(day)]
            if info.country is not None:
                roles = [r for r in roles if r.country == info.country.code]
            if any(r.sector == "GOV" and not r.office.startswith("the late ") for r in roles):
                found.add(actor_id)
        return found

    def active(self, ids: set[str], day: dt.date | None) -> set[str]:
        """Of several people a name may mean, those in office on ``day`` (all of them if none is).

        "Prince Faisal" in 2025 is the serving foreign minister Faisal bin Farhan, not Saud al-Faisal,
        who left office in 2015 and died that year.
        """
        if day is None or len(ids) < 2:
            return ids
        active = set()
        for actor_id in ids:
            entry = self.dictionary.get(actor_id)
            if entry is not None and any(r.held_on(day) and not r.office.startswith("the late ")
                                         for r in entry.roles):
                active.add(actor_id)
        return active or ids

    def current(self, ids: set[str], day: dt.date | None) -> set[str]:
        """Of the people a lone surname may mean, those holding a role on ``day`` (a death in office
        counts: "Soleimani" in 2020) or known without dated roles; all of them when undated.

        Unlike :meth:`active`, none is left when none holds office or left one within the year
        before: news names a person by a bare surname only after a full mention, or while the person
        is in the news ("a day after Oli stepped down"); "Boni" near a Malian town in 2023 is not
        Thomas Boni Yayi, president of Benin until 2016.
        """
        if day is None:
            return ids
        since = day - _RECENT
        out = set()
        for actor_id in ids:
            entry = self.dictionary.get(actor_id)
            if entry is not None and (not entry.roles or any(
                    r.held_on(day) or (r.end is not None and since <= r.end <= day) for r in entry.roles)):
                out.add(actor_id)
        return out

    def by_title(self, word: str, titles: Sequence[Title], day: dt.date | None) -> ActorEntry | None:
        """The one dictionary person called ``word`` who holds the office a title names.

        "King Salman" in 2019 is Salman bin Abdulaziz (King since 2015), never his son Mohammed bin
        Salman: a name after "bin" is a father's, and the son held no office called "king".
        """
        found = self.holding(set(self.index.given.get(word, ())), titles, day)
        return self.dictionary.get(found[0]) if len(found) == 1 else None

    def holding(self, ids: set[str], titles: Sequence[Title], day: dt.date | None) -> list[str]:
        """Of ``ids``, those who hold on ``day`` every office the ``titles`` name (none when the
        titles name no office): "King Salman" is the king, not Bahrain's crown prince Salman."""
        offices = [t for t in titles if t.person and not t.honorific and not t.prenominal]
        if not offices:
            return []
        found: list[str] = []
        for actor_id in sorted(ids):
            entry = self.dictionary.get(actor_id)
            if entry is None:
                continue
            roles = [r for r in entry.roles if day is None or r.held_on(day)]
            held = frozenset(self.titles.office_key(r.office) for r in roles)
            if all(self.titles.office_matches(t.form, held) for t in offices):
                found.append(actor_id)
        return found

