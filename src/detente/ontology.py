"""The PLOVER ontology's facts that other stages share, read from ``data/ontology/plover.yaml``.

The same file holds the coding numbers (CAMEO codes, Goldstein scores: ``detente.events.code``);
this module reads what is not a number: the PLOVER types in the table's order, the name of each
quad class, the actor sectors (``detente.model.SECTORS``) and the symmetric types ("A meets B"
is "B meets A"). Each fact lives in that file only; :func:`load_ontology` validates it on load.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from detente.datafiles import load_data_file
from detente.errors import DataFileError

QUADS = (1, 2, 3, 4)
"""The quad classes every table names: verbal/material cooperation, verbal/material conflict."""


@dataclass(frozen=True)
class Ontology:
    """The PLOVER types, quad class names, actor sectors and symmetric types of the ontology."""

    types: tuple[str, ...]
    quad_names: Mapping[int, str]
    sectors: frozenset[str]
    symmetric_types: frozenset[str]


def _words(path: Path, data: dict[str, Any], key: str) -> list[str]:
    raw = data.get(key)
    if not isinstance(raw, list) or not raw or not all(isinstance(w, str) and w for w in raw):
        raise DataFileError(path, f"{key!r} must be a non-empty list of names", data.get("__line__"))
    if len(set(raw)) != len(raw):
        dup = sorted({w for w in raw if raw.count(w) > 1})
        raise DataFileError(path, f"{key!r} names {', '.join(dup)} more than once", data.get("__line__"))
    return raw


def read_ontology(path: Path, text: str | None = None) -> Ontology:
    """Read and validate the ontology facts of a mapping table (``text`` instead of the file)."""
    data = load_data_file(path, text)
    line = data.get("__line__")
    raw_types = data.get("types")
    if not isinstance(raw_types, dict):
        raise DataFileError(path, "'types' must map each PLOVER type to its codes", line)
    types = tuple(t for t in raw_types if t != "__line__")
    if not types:
        raise DataFileError(path, "'types' names no PLOVER type", line)
    names: dict[int, str] = {}
    for row in data.get("quad_classes") or []:
        rline = row.get("__line__") if isinstance(row, dict) else line
        quad = row.get("quad") if isinstance(row, dict) else None
        name = row.get("name") if isinstance(row, dict) else None
        if quad not in QUADS or isinstance(quad, bool):
            raise DataFileError(path, f"quad class {quad!r}: must be one of 1, 2, 3, 4", rline)
        if not isinstance(name, str) or not name.strip():
            raise DataFileError(path, f"quad class {quad}: needs a 'name'", rline)
        if quad in names:
            raise DataFileError(path, f"quad class {quad} is named twice", rline)
        names[quad] = name
    missing = [str(q) for q in QUADS if q not in names]
    if missing:
        raise DataFileError(path, f"quad class(es) {', '.join(missing)} have no name in 'quad_classes'", line)
    sectors = _words(path, data, "sectors")
    bad = sorted(s for s in sectors if not (s.isupper() and s.isalpha() and len(s) == 3))
    if bad:
        raise DataFileError(path, f"sector(s) {', '.join(bad)}: a sector is three upper-case letters", line)
    symmetric = _words(path, data, "symmetric_types")
    unknown = sorted(set(symmetric) - set(types))
    if unknown:
        raise DataFileError(path, f"unknown PLOVER type(s) in symmetric_types: {', '.join(unknown)}", line)
    return Ontology(types=types, quad_names=MappingProxyType(dict(sorted(names.items()))),
                    sectors=frozenset(sectors), symmetric_types=frozenset(symmetric))


@functools.cache
def load_ontology() -> Ontology:
    """The bundled ontology (``detente/data/ontology/plover.yaml``), read once per process."""
    res = resources.files("detente") / "data" / "ontology" / "plover.yaml"
    return read_ontology(Path(str(res)), res.read_text(encoding="utf-8"))
