"""Coding: PLOVER type (+ mode) -> CAMEO code, Goldstein score and quad class.

All numbers come from one table, ``detente/data/ontology/plover.yaml`` (documented in
docs/events.md). The quad class is derived from the CAMEO root code with the table's ranges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from detente.datafiles import load_data_file
from detente.errors import DataFileError
from detente.model import Event


@dataclass(frozen=True)
class Code:
    cameo: str
    goldstein: float


@dataclass(frozen=True)
class TypeRow:
    name: str
    default: Code
    modes: dict[str, Code] = field(default_factory=dict)
    description: str = ""


@dataclass(frozen=True)
class Table:
    types: dict[str, TypeRow]
    quads: tuple[tuple[int, int, int], ...]  # (from root, to root, quad)

    def quad_for(self, cameo: str) -> int | None:
        root = int(cameo[:2])
        for lo, hi, quad in self.quads:
            if lo <= root <= hi:
                return quad
        return None


def _code(path: Path, raw: Any, where: str, line: int | None) -> Code:
    if not isinstance(raw, dict):
        raise DataFileError(path, f"{where}: expected a mapping with cameo and goldstein", line)
    line = raw.get("__line__", line)
    cameo, gold = raw.get("cameo"), raw.get("goldstein")
    if not isinstance(cameo, str) or not cameo.isdigit() or not 3 <= len(cameo) <= 4:
        raise DataFileError(path, f"{where}: 'cameo' must be a quoted 3- or 4-digit code, got {cameo!r}",
                            line)
    if not isinstance(gold, int | float) or isinstance(gold, bool) or not -10.0 <= gold <= 10.0:
        raise DataFileError(path, f"{where}: 'goldstein' must be a number in [-10, 10], got {gold!r}", line)
    return Code(cameo, float(gold))


def load_table(path: Path | None = None) -> Table:
    """Read and validate the PLOVER mapping table (the bundled one unless ``path`` is given)."""
    if path is None:
        res = resources.files("detente") / "data" / "ontology" / "plover.yaml"
        path, text = Path(str(res)), res.read_text(encoding="utf-8")
    else:
        text = None
    data = load_data_file(path, text)
    quads: list[tuple[int, int, int]] = []
    for row in data.get("quad_classes") or []:
        try:
            quads.append((int(row["from"]), int(row["to"]), int(row["quad"])))
        except (KeyError, TypeError, ValueError) as exc:
            raise DataFileError(path, "a quad_classes row needs integer from, to and quad",
                                row.get("__line__") if isinstance(row, dict) else None) from exc
    raw_types = data.get("types")
    if not isinstance(raw_types, dict) or len(raw_types) <= 1:
        raise DataFileError(path, "'types' must map PLOVER types to codes", data.get("__line__"))
    types: dict[str, TypeRow] = {}
    for name, raw in raw_types.items():
        if name == "__line__":
            continue
        if not isinstance(raw, dict) or not name.isupper():
            raise DataFileError(path, f"type {name!r}: must be upper case and map to cameo/goldstein",
                                raw_types.get("__line__"))
        line = raw.get("__line__")
        modes: dict[str, Code] = {}
        for mode, mraw in (raw.get("modes") or {}).items():
            if mode == "__line__":
                continue
            modes[mode] = _code(path, mraw, f"{name}/{mode}", line)
        types[name] = TypeRow(name, _code(path, raw, name, line), modes, str(raw.get("description", "")))
    table = Table(types, tuple(quads))
    for row in types.values():
        for c in (row.default, *row.modes.values()):
            if table.quad_for(c.cameo) is None:
                raise DataFileError(path, f"{row.name}: CAMEO {c.cameo} falls in no quad class range")
    return table


@dataclass(frozen=True)
class Coder:
    """Fills ``cameo``, ``goldstein`` and ``quad_code`` of events from the mapping table."""

    table: Table

    @classmethod
    def load(cls, path: Path | None = None) -> Coder:
        return cls(load_table(path))

    def lookup(self, event: str, mode: str | None = None) -> tuple[str, float, int] | None:
        """(CAMEO code, Goldstein score, quad class) for a type and mode; None for an unknown type."""
        row = self.table.types.get(event)
        if row is None:
            return None
        code = row.modes.get(mode, row.default) if mode else row.default
        quad = self.table.quad_for(code.cameo)
        assert quad is not None  # checked on load
        return code.cameo, code.goldstein, quad

    def code(self, event: Event) -> None:
        found = self.lookup(event.event, event.mode)
        if found is None:
            event.cameo = event.goldstein = event.quad_code = None
            return
        event.cameo, event.goldstein, event.quad_code = found
