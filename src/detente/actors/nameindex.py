"""Matching a form against the dictionary's names and aliases: exact, phonetic and one letter off.

:class:`NameIndex` is built once per resolver from an :class:`ActorDictionary` and the title table:
each entry's name and aliases by :func:`compact_key` and by :func:`phonetic_key`, and for people
their name words, surnames and own given names (no patronyms).
"""

from __future__ import annotations

from collections import defaultdict

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from detente.actors.dictionary import ActorDictionary
from detente.actors.normalise import (
    TitleTable,
    compact_key,
    is_acronym,
    normalise_name,
    phonetic_from_compact,
)
from detente.model import ActorEntry

__all__ = ["MIN_PHONETIC", "NameIndex"]

MIN_PHONETIC = 5


class NameIndex:
    """The dictionary's forms, by compact key and phonetic key, and its people's name words."""

    def __init__(self, dictionary: ActorDictionary, titles: TitleTable) -> None:
        self.dictionary = dictionary
        self.titles = titles
        self.exact: dict[str, list[tuple[str, bool, bool]]] = defaultdict(list)
        self.phonetic: dict[str, set[str]] = defaultdict(set)
        self.surnames: dict[str, set[str]] = defaultdict(set)
        self.person_forms: dict[str, list[frozenset[str]]] = defaultdict(list)
        self.given: dict[str, set[str]] = defaultdict(set)  # a person's own name words (no patronyms)
        # phonetic keys of people's full names and surnames, for spellings one letter off
        self.person_keys: dict[str, set[str]] = defaultdict(set)
        self.surname_keys: dict[str, set[str]] = defaultdict(set)
        self._index()
        self.person_key_list = sorted(self.person_keys)
        self.surname_key_list = sorted(self.surname_keys)

    def _index(self) -> None:
        for entry in self.dictionary.entries.values():
            for form in [entry.name, *entry.aliases]:
                key = compact_key(form)
                if not key:
                    continue
                self.exact[key].append((entry.id, is_acronym(form), form == entry.name))
                if len(key) >= MIN_PHONETIC and not is_acronym(form):
                    self.phonetic[phonetic_from_compact(key)].add(entry.id)
                if entry.kind == "person":
                    _, rest = self.titles.strip_titles(form)
                    words = [compact_key(w) for w in normalise_name(rest).split()]
                    words = [w for w in words if w and w not in self.titles.particles]
                    if words:
                        self.person_forms[entry.id].append(frozenset(words))
                    last = self.titles.surname(form)
                    if last:
                        self.surnames[last].add(entry.id)
                    first = self.titles.first_surname(form) if self.surname_first(entry) else None
                    if first:
                        self.surnames[first].add(entry.id)  # "Xi" is Xi Jinping
                    raw = normalise_name(rest).split()
                    for n, word in enumerate(raw):
                        if word not in self.titles.particles and not (
                                n > 0 and raw[n - 1] in self.titles.patronymics):
                            self.given[compact_key(word)].add(entry.id)
                    if words and len(words) >= 2:
                        self.person_keys[phonetic_from_compact("".join(words))].add(entry.id)
                    if last and len(last) >= MIN_PHONETIC:
                        self.surname_keys[phonetic_from_compact(last)].add(entry.id)

    def surname_first(self, entry: ActorEntry) -> bool:
        """Is ``entry`` a person of a country whose names put the surname first ("Kim Jong Un")?"""
        code = entry.country or next((r.country for r in entry.roles if r.country), None)
        return entry.kind == "person" and code in self.titles.surname_first

    def exact_entry(self, key: str, surface: str) -> ActorEntry | None:
        found = self.exact.get(key)
        if not found:
            return None
        acronym = is_acronym(surface)
        ids = {i for i, needs_caps, _ in found if acronym or not needs_caps}
        if len(ids) > 1:  # the same form for two entries: the one it is the canonical name of
            ids = {i for i, needs_caps, canonical in found if canonical and i in ids}
        return self.dictionary.get(next(iter(ids))) if len(ids) == 1 else None

    def phonetic_entry(self, key: str) -> ActorEntry | None:
        if len(key) < MIN_PHONETIC:
            return None
        ids = self.phonetic.get(phonetic_from_compact(key))
        return self.dictionary.get(next(iter(ids))) if ids and len(ids) == 1 else None

    def near(self, key: str, keys: list[str], table: dict[str, set[str]]) -> set[str]:
        """Ids under the phonetic keys one edit from ``key`` (two for long names): "Araghachi"."""
        key = phonetic_from_compact(key)
        if len(key) < 7:
            return set()
        limit = 1 if len(key) < 14 else 2
        found: set[str] = set()
        for other, _score, _n in process.extract(key, keys, scorer=Levenshtein.distance,
                                                 score_cutoff=limit, limit=8):
            if other[:1] == key[:1]:  # a first letter is rarely misspelt; "Salman" is not "Talman"
                found |= table[other]
        return found
