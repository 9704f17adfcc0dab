"""The cross-article table (``data/analysis/linking.yaml``): which PLOVER types are symmetric,
the mediation word lists and the linking settings, read into a :class:`PloverTable`."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from detente.datafiles import load_data_file
from detente.errors import DataFileError

DATA_DIR = Path(__file__).parent.parent / "data" / "analysis"
LINKING_FILE = DATA_DIR / "linking.yaml"
PLOVER_FILE = LINKING_FILE  # the name it had when the file was data/analysis/plover.yaml


# -- the PLOVER table --------------------------------------------------------------------------
@dataclass(frozen=True)
class TypeInfo:
    quad: int
    goldstein: float
    symmetric: bool


@dataclass(frozen=True)
class PloverTable:
    types: dict[str, TypeInfo]
    engagement_types: frozenset[str]
    shuttle_types: frozenset[str]
    offer_words: tuple[str, ...]
    mediation_words: tuple[str, ...]
    appeal_words: tuple[str, ...] = ()
    both_sides_words: tuple[str, ...] = ()
    shared_words: int = 8
    families: tuple[tuple[str, ...], ...] = ()
    distinct_words: int = 2
    common_words: frozenset[str] = frozenset()

    def family(self, event: str) -> str:
        """The type family of ``event``: its family's first type, else the type itself."""
        event = event.upper()
        for fam in self.families:
            if event in fam:
                return fam[0]
        return event

    def quad(self, event: str, given: Any = None) -> int | None:
        if given is not None and given == given:
            return int(given)
        info = self.types.get(event)
        return info.quad if info else None

    def goldstein(self, event: str, given: Any = None) -> float | None:
        if given is not None and given == given:
            return float(given)
        info = self.types.get(event)
        return info.goldstein if info else None

    def symmetric(self, event: str) -> bool:
        info = self.types.get(event)
        return bool(info and info.symmetric)


def words_pattern(words: Iterable[str]) -> re.Pattern[str]:
    alts = sorted((re.escape(w.lower()) for w in words), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)


@functools.lru_cache(maxsize=8)
def load_plover_table(path: Path = LINKING_FILE) -> PloverTable:
    """Read and validate the cross-article table (``data/analysis/linking.yaml``): the mediation
    word lists and the linking settings. Quad classes, Goldstein scores and which types are
    symmetric are the ontology's (``data/ontology/plover.yaml``), the table the event stage codes
    with."""
    raw = load_data_file(Path(path))
    if "symmetric" in raw:
        raise DataFileError(path, "'symmetric' is a fact of the ontology now: list the types under "
                                  "'symmetric_types' in data/ontology/plover.yaml instead",
                            raw.get("__line__", 1))
    from detente.events.code import Coder
    from detente.ontology import load_ontology

    coder = Coder.load()
    symmetric = load_ontology().symmetric_types
    types: dict[str, TypeInfo] = {}
    for name in coder.table.types:
        _cameo, gold, quad = coder.lookup(name) or ("", 0.0, 0)
        types[name] = TypeInfo(int(quad), float(gold), name in symmetric)
    med = raw.get("mediation") or {}
    if not isinstance(med, dict):
        raise DataFileError(path, "'mediation' must be a mapping")
    lists: dict[str, list[str]] = {}
    for key in ("engagement_types", "shuttle_types", "offer_words", "mediation_words",
                "appeal_words", "both_sides_words"):
        value = med.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise DataFileError(path, f"mediation.{key} must be a list of non-empty strings")
        lists[key] = [v.strip() for v in value]
    linking = raw.get("linking") or {}
    if not isinstance(linking, dict):
        raise DataFileError(path, "'linking' must be a mapping")
    shared = linking.get("shared_words", 8)
    if isinstance(shared, bool) or not isinstance(shared, int) or shared < 3:
        raise DataFileError(path, "linking.shared_words must be a whole number of 3 or more")
    distinct = linking.get("distinct_words", 2)
    if isinstance(distinct, bool) or not isinstance(distinct, int) or distinct < 1:
        raise DataFileError(path, "linking.distinct_words must be a whole number of 1 or more")
    families: list[tuple[str, ...]] = []
    for fam in linking.get("families") or []:
        if not isinstance(fam, list) or len(fam) < 2:
            raise DataFileError(path, f"linking.families: {fam!r} is not a list of two or more types")
        fam_t = tuple(str(t).upper() for t in fam)
        bad = [t for t in fam_t if t not in coder.table.types]
        if bad:
            raise DataFileError(path, f"linking.families names unknown PLOVER types: {', '.join(bad)}")
        if any(t in f for f in families for t in fam_t):
            raise DataFileError(path, f"linking.families: a type is in two families ({fam!r})")
        families.append(fam_t)
    common = linking.get("common_words") or []
    if not isinstance(common, list) or not all(isinstance(w, str) for w in common):
        raise DataFileError(path, "linking.common_words must be a list of words")
    return PloverTable(types=types,
                       engagement_types=frozenset(t.upper() for t in lists["engagement_types"]),
                       shuttle_types=frozenset(t.upper() for t in lists["shuttle_types"]),
                       offer_words=tuple(lists["offer_words"]),
                       mediation_words=tuple(lists["mediation_words"]),
                       appeal_words=tuple(lists["appeal_words"]),
                       both_sides_words=tuple(lists["both_sides_words"]), shared_words=shared,
                       families=tuple(families), distinct_words=distinct,
                       common_words=frozenset(w.casefold() for w in common))

