"""Turning values read back from DuckDB/pandas into plain Python for JSON and the export records."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any


def plain(value: Any) -> Any:
    """NaN/NaT/NA -> None, numpy scalars and arrays -> Python, dates -> ISO strings, recursively."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if hasattr(value, "tolist") and not isinstance(value, str):
        return plain(value.tolist())
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    try:
        if value != value:  # pandas NA / NaT
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):
        return value.item()
    return value
