"""Name normalisation for actor matching, and the table of titles and offices.

Three keys, from strict to loose:

* :func:`normalise_name` folds case, diacritics, curly quotes, dots, hyphens and spacing:
  ``"Maj.-Gen. Asim Munir"`` -> ``"majgen asim munir"``.
* :func:`compact_key` is the same without spaces (so ``Amir-Abdollahian``, ``Amir Abdollahian`` and
  ``Amirabdollahian`` agree) and without possessive ``'s``; exact matching uses it.
* :func:`phonetic_key` also folds common transliteration variants (q/gh, doubled letters, ou/u,
  ee/i, e/i, o/u, -ullah/-ollah, Baloch/Baluch); it is a second-stage key, used only when it points
  to exactly one dictionary entry.

:class:`TitleTable` reads ``data/titles.yaml``: offices, ranks, honorifics and collective nouns
("army chief", "Rear Admiral", "Syed", "state media", "militants") with the sector they imply.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from anyascii import anyascii

from detente.datafiles import load_data_file
from detente.errors import DataFileError
from detente.model import SECTORS

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u2013": "-", "\u2014": "-"})
_POSSESSIVE = re.compile(r"'s\b")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_DOTS = re.compile(r"\.")


def fold(text: str) -> str:
    """NFKC, ASCII transliteration (diacritics dropped), lower case, straight quotes."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return anyascii(text).lower()


def normalise_name(text: str) -> str:
    """Case, diacritics, dots, apostrophes, hyphens, brackets and spacing folded; words kept apart."""
    text = _POSSESSIVE.sub("", fold(text))
    text = _DOTS.sub("", text).replace("'", "")
    return " ".join(_NOT_WORD.sub(" ", text).split())


def compact_key(text: str) -> str:
    """:func:`normalise_name` without spaces: the key of exact matching."""
    return normalise_name(text).replace(" ", "")


_PHONETIC_STEPS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(a), b)
    for a, b in (
        (r"[aeiou]llah", "ullah"),  # -allah/-ollah/-ullah
        (r"gh", "q"),
        (r"ph", "f"),
        (r"ou|oo", "u"),
        (r"ee|ey", "i"),
        (r"y", "i"),
        (r"e", "i"),
        (r"o", "u"),
        (r"(.)\1+", r"\1"),  # doubled letters: ss -> s, mm -> m
        (r"h$", ""),  # -ullah/-ulla, -shah/-sha
    )
)


def phonetic_key(name: str) -> str:
    """A loose key folding transliteration variants: ``Tehreek-e-Taliban`` == ``Tehrik-i-Taliban``."""
    return phonetic_from_compact(compact_key(name))


@lru_cache(maxsize=65536)
def phonetic_from_compact(key: str) -> str:
    """:func:`phonetic_key` of a string that is already a :func:`compact_key`."""
    for pattern, repl in _PHONETIC_STEPS:
        key = pattern.sub(repl, key)
    return key


def is_acronym(text: str) -> bool:
    """True for forms such as ``TTP``, ``U.S.``, ``COAS``: all letters upper case, at most 5 of them."""
    letters = [c for c in text if c.isalpha()]
    return 0 < len(letters) <= 5 and all(c.isupper() for c in letters)


def slug(text: str) -> str:
    return "-".join(normalise_name(text).split())


# -- titles ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Title:
    """One title or office form and what it says about the actor it is attached to.

    ``person``: it names a person's office ("foreign minister"), not a body ("army");
    ``prenominal``: meaningful only right before a name ("General", "Mr.");
    ``honorific``: says nothing about the sector ("Syed", "Dr.");
    ``standalone``: an actor even with no country ("militants").
    """

    form: str
    sector: str | None
    person: bool = False
    prenominal: bool = False
    honorific: bool = False
    standalone: bool = False
    acronym: bool = False


@dataclass
class TitleTable:
    """Titles by :func:`compact_key`, plus the words allowed between a country and its title."""

    titles: dict[str, Title] = field(default_factory=dict)
    glue: frozenset[str] = frozenset()
    particles: frozenset[str] = frozenset()
    not_first_names: frozenset[str] = frozenset()
    credit_leads: tuple[str, ...] = ()
    end_headings: frozenset[str] = frozenset()
    landmarks: frozenset[str] = frozenset()
    patronymics: frozenset[str] = frozenset()
    office_groups: dict[str, str] = field(default_factory=dict)  # normalised office -> its group's key
    org_words: dict[str, str] = field(default_factory=dict)  # normalised word(s) -> sector
    organisation_heads: frozenset[str] = frozenset()
    given_name_titles: frozenset[str] = frozenset()
    event_names: frozenset[str] = frozenset()
    document_words: frozenset[str] = frozenset()
    vessel_prefixes: frozenset[str] = frozenset()
    place_words: frozenset[str] = frozenset()
    surname_first: frozenset[str] = frozenset()  # countries whose names put the surname first ("Kim Jong Un")
    name_suffixes: frozenset[str] = frozenset()  # "Jr.", "III": after a surname, never one
    commodities: frozenset[str] = frozenset()  # "Russian LNG": a good, not an organisation
    equipment: frozenset[str] = frozenset()  # "Iron Dome", "HIMARS": weapons, not actors
    abstract_endings: tuple[str, ...] = ()
    files: list[str] = field(default_factory=list)
    max_words: int = 1

    @classmethod
    def load(cls, extra_files: Sequence[str | Path] = ()) -> TitleTable:
        """The bundled ``data/titles.yaml``, then ``extra_files`` (later forms override earlier)."""
        self = cls()
        bundled = Path(str(resources.files("detente") / "data" / "titles.yaml"))
        for path in [bundled, *(Path(p) for p in extra_files)]:
            self._read(path)
        return self

    def _read(self, path: Path) -> None:
        doc = load_data_file(path)
        lists: dict[str, list[str]] = {}
        for label in ("glue", "name_particles", "not_first_names", "credit_leads", "end_headings",
                      "landmarks", "patronymics", "organisation_heads", "abstract_endings",
                      "given_name_titles", "event_names", "document_words", "vessel_prefixes",
                      "place_words", "surname_first", "name_suffixes", "commodities", "equipment"):
            words = doc.get(label) or []
            if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
                raise DataFileError(path, f"'{label}' must be a list of words", _key_line(path, label))
            lists[label] = words
        self.glue = self.glue | {normalise_name(w) for w in lists["glue"]}
        self.particles = self.particles | {normalise_name(w) for w in lists["name_particles"]}
        self.not_first_names = self.not_first_names | {normalise_name(w) for w in lists["not_first_names"]}
        self.credit_leads = self.credit_leads + tuple(
            w.strip().lower() for w in lists["credit_leads"] if w.strip().lower() not in self.credit_leads)
        self.end_headings = self.end_headings | {normalise_name(w) for w in lists["end_headings"]}
        self.landmarks = self.landmarks | {normalise_name(w) for w in lists["landmarks"]}
        self.patronymics = self.patronymics | {normalise_name(w) for w in lists["patronymics"]}
        self.organisation_heads = self.organisation_heads | {
            normalise_name(w) for w in lists["organisation_heads"]}
        self.given_name_titles = self.given_name_titles | {compact_key(w) for w in lists["given_name_titles"]}
        self.event_names = self.event_names | {normalise_name(w) for w in lists["event_names"]}
        self.document_words = self.document_words | {normalise_name(w) for w in lists["document_words"]}
        self.vessel_prefixes = self.vessel_prefixes | {w.strip() for w in lists["vessel_prefixes"]}
        self.place_words = self.place_words | {normalise_name(w) for w in lists["place_words"]}
        self.surname_first = self.surname_first | {w.strip().upper() for w in lists["surname_first"]}
        self.name_suffixes = self.name_suffixes | {compact_key(w) for w in lists["name_suffixes"]}
        self.commodities = self.commodities | {normalise_name(w) for w in lists["commodities"]}
        self.equipment = self.equipment | {normalise_name(w) for w in lists["equipment"]}
        endings = [w.strip().lower() for w in lists["abstract_endings"]]
        self.abstract_endings = self.abstract_endings + tuple(
            w for w in endings if w not in self.abstract_endings)
        self._read_synonyms(path, doc.get("office_synonyms") or [])
        self._read_org_words(path, doc.get("organisation_words") or {})
        items = doc.get("titles")
        if not isinstance(items, list):
            raise DataFileError(path, "'titles' must be a list of entries", doc.get("__line__"))
        for item in items:
            self._add_item(path, item)
        self.files.append(str(path))

    def _read_synonyms(self, path: Path, groups: Any) -> None:
        line = _key_line(path, "office_synonyms")
        if not isinstance(groups, list):
            raise DataFileError(path, "'office_synonyms' must be a list of lists of office names", line)
        for group in groups:
            if not isinstance(group, list) or not group or \
                    not all(isinstance(w, str) and normalise_name(w) for w in group):
                raise DataFileError(path, f"each office_synonyms entry must be a list of office names, "
                                          f"got {group!r}", line)
            key = normalise_name(group[0])
            for form in group:
                self.office_groups[normalise_name(form)] = key

    def _read_org_words(self, path: Path, table: Any) -> None:
        line = _key_line(path, "organisation_words")
        if not isinstance(table, dict):
            raise DataFileError(path, "'organisation_words' must map a sector to a list of words", line)
        for sector, words in table.items():
            if sector == "__line__":
                continue
            if sector not in SECTORS:
                raise DataFileError(path, f"unknown sector {sector!r} in organisation_words; use one of "
                                          f"{', '.join(sorted(SECTORS))}", line)
            if not isinstance(words, list) or \
                    not all(isinstance(w, str) and normalise_name(w) for w in words):
                raise DataFileError(path, f"organisation_words {sector}: expected a list of words", line)
            for word in words:
                self.org_words[normalise_name(word)] = sector

    def office_key(self, office: str) -> str:
        """One key per office whatever it is called: "COAS" and "army chief" -> "chief of army staff"."""
        form = normalise_name(office)
        return self.office_groups.get(form, form)

    def office_matches(self, wanted: str, held: frozenset[str]) -> bool:
        """Does a description's office ("minister", "army chief") name one of the ``held`` office keys?

        Same office (synonyms folded), or the wanted office's words all inside a held one's ("minister"
        in "foreign minister"; "foreign minister" in "minister of foreign affairs").
        """
        key = self.office_key(wanted)
        if key in held:
            return True
        words = set(key.split())
        return bool(words) and any(words <= set(h.split()) for h in held)

    def takes_given_name(self, title: str) -> bool:
        """Is ``title`` one that goes with a first name ("Prince Faisal", "Sheikh Tamim")?"""
        return compact_key(title) in self.given_name_titles

    def is_organisation_head(self, word: str) -> bool:
        """Does ``word`` end an organisation's name ("Commission", "Movement") despite its ending?"""
        return normalise_name(word) in self.organisation_heads

    def is_patronymic(self, word: str) -> bool:
        return normalise_name(word) in self.patronymics

    def surname(self, name: str) -> str | None:
        """The :func:`compact_key` of a full name's surname, if it has one.

        Leading titles are stripped and particles skipped; a name of one word has none, nor has a name
        ending in a father's name ("Mohammed bin Salman": "Salman" is not his surname).
        """
        _, rest = self.strip_titles(name)
        words = normalise_name(rest).split()
        content = [i for i, w in enumerate(words) if w not in self.particles]
        while content and compact_key(words[content[-1]]) in self.name_suffixes:
            content.pop()  # "Joseph R. Biden Jr."
        if len(content) < 2:
            return None
        last = content[-1]
        if last > 0 and words[last - 1] in self.patronymics:
            return None
        return compact_key(words[last])

    def first_surname(self, name: str) -> str | None:
        """The :func:`compact_key` of the first word of a full name (the surname where names put it
        first: "Kim Jong Un", "Xi Jinping", "Moon Hyung-bae"), if it has two words or more."""
        _, rest = self.strip_titles(name)
        words = [w for w in normalise_name(rest).split() if w not in self.particles]
        return compact_key(words[0]) if len(words) >= 2 else None

    def org_sector(self, name: str) -> str | None:
        """The sector an organisation's name gives ("Pakistan International Airlines" -> BUS), else None."""
        words = normalise_name(name).split()
        for n in (3, 2, 1):
            for i in range(len(words) - n + 1):
                sector = self.org_words.get(" ".join(words[i:i + n]))
                if sector is not None:
                    return sector
        return None

    def _add_item(self, path: Path, item: Any) -> None:
        if not isinstance(item, dict):
            raise DataFileError(path, f"each title entry must be a mapping, got {item!r}")
        line = item.get("__line__")
        forms = item.get("forms")
        if not isinstance(forms, list) or not forms or \
                not all(isinstance(f, str) and f.strip() for f in forms):
            raise DataFileError(path, "title entry needs 'forms': a list of non-empty strings", line)
        sector = item.get("sector")
        if sector is not None and sector not in SECTORS:
            raise DataFileError(path, f"unknown sector {sector!r}; use one of {', '.join(sorted(SECTORS))}",
                                line)
        flags = {}
        for flag in ("person", "prenominal", "honorific", "standalone"):
            value = item.get(flag, False)
            if not isinstance(value, bool):
                raise DataFileError(path, f"'{flag}' must be true or false, got {value!r}", line)
            flags[flag] = value
        unknown = set(item) - {"forms", "sector", "person", "prenominal", "honorific", "standalone",
                               "__line__"}
        if unknown:
            raise DataFileError(path, f"unknown field(s) {', '.join(sorted(unknown))} in title entry", line)
        for form in forms:
            key = compact_key(form)
            if not key:
                raise DataFileError(path, f"title form {form!r} has no letters", line)
            self.titles[key] = Title(form=form.strip(), sector=sector, acronym=is_acronym(form), **flags)
            self.max_words = max(self.max_words, len(normalise_name(form).split()) + form.count("."))

    def lookup(self, surface: str) -> Title | None:
        """The title written ``surface`` ("Lt. Gen.", "army chief"), else None."""
        return self.get_key(compact_key(surface), is_acronym(surface))

    def get_key(self, key: str, surface_is_acronym: bool) -> Title | None:
        title = self.titles.get(key)
        if title is None or (title.acronym and not surface_is_acronym):
            return None
        return title

    def get_surface(self, key: str, surface: str) -> Title | None:
        """Like :meth:`get_key`; a capitals-only form must be written exactly ("FM", not "F.M.")."""
        title = self.get_key(key, is_acronym(surface))
        if title is not None and title.acronym and surface.strip() != title.form:
            return None
        return title

    def strip_titles(self, name: str) -> tuple[list[Title], str]:
        """Leading titles removed: ``"Lt. Gen. Asim Munir"`` -> ``([Lt. Gen.], "Asim Munir")``."""
        words = name.replace("[", " ").replace("]", " ").split()
        found: list[Title] = []
        i = 0
        while i < len(words):
            for n in range(min(len(words) - i - 1, self.max_words), 0, -1):
                surface = " ".join(words[i:i + n])
                title = self.lookup(surface)
                if title is not None:
                    found.append(title)
                    i += n
                    break
            else:
                break
        return found, " ".join(words[i:])


def _key_line(path: Path, key: str) -> int | None:
    """The line of the top-level ``key`` of a YAML file (to place an error), else None."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return next((n for n, line in enumerate(lines, 1) if line.startswith(f"{key}:")), None)
