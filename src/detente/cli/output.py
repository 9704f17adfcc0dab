"""Write query results as a text table, JSON lines, CSV or Parquet (the shared ``--format``)."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from detente.errors import QueryError
from detente.values import plain

if TYPE_CHECKING:  # imported where a frame is written, so that the CLI starts without pandas
    import pandas as pd

FORMATS = ("table", "jsonl", "csv", "parquet")


def _cell(value: Any, width: int) -> str:
    value = plain(value)
    if value is None:
        text = ""
    elif isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    elif isinstance(value, float):
        text = f"{value:g}"
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(df: pd.DataFrame, *, max_width: int = 60) -> str:
    """A plain aligned text table (no colours, stable for tests)."""
    if df.empty:
        return "(no rows)\n"
    cols = list(df.columns)
    rows = [[_cell(v, max_width) for v in rec] for rec in df.itertuples(index=False, name=None)]
    widths = [max(len(str(c)), *(len(r[i]) for r in rows)) for i, c in enumerate(cols)]
    out = io.StringIO()
    out.write("  ".join(str(c).ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for r in rows:
        out.write("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() + "\n")
    return out.getvalue()


def write_output(data: pd.DataFrame | Sequence[dict[str, Any]], fmt: str, out: str | Path | None,
                 stream: TextIO, *, table: pd.DataFrame | None = None) -> None:
    """Write ``data`` in ``fmt`` to file ``out`` (or ``stream``).

    ``data`` is a DataFrame or a list of records (nested records are kept nested in JSON lines and
    flattened to JSON strings in CSV and Parquet). ``table`` overrides what the text table shows.
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    import pandas as pd

    df = data if isinstance(data, pd.DataFrame) else _records_frame(data)
    if fmt == "parquet":
        if out is None:
            raise QueryError("Parquet is binary: give a file with -o FILE.parquet")
        flat = df.copy()
        for col in flat.columns:
            if flat[col].map(lambda v: isinstance(v, dict | list)).any():
                flat[col] = flat[col].map(lambda v: json.dumps(plain(v), ensure_ascii=False))
        flat.to_parquet(out, index=False)
        return
    if fmt == "jsonl":
        records = data if not isinstance(data, pd.DataFrame) else data.to_dict("records")
        text = "".join(json.dumps(plain(r), ensure_ascii=False) + "\n" for r in records)
    elif fmt == "csv":
        flat = df.copy()
        for col in flat.columns:
            if flat[col].map(lambda v: isinstance(v, dict | list) or hasattr(v, "tolist")).any():
                flat[col] = flat[col].map(lambda v: json.dumps(plain(v), ensure_ascii=False))
        text = flat.to_csv(index=False)
    else:
        text = format_table(table if table is not None else df)
    if out is None:
        stream.write(text)
    else:
        Path(out).write_text(text, encoding="utf-8")


def _records_frame(records: Sequence[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(list(records)) if records else pd.DataFrame()


def flatten_event(record: dict[str, Any]) -> dict[str, Any]:
    """The CSV/Parquet column mapping of one exported event (see ``docs/schema.md``)."""

    def codes(refs: list[dict[str, Any]]) -> str:
        return ";".join(f"{r['code'] or ''}{'-' + r['sector'] if r.get('sector') else ''}" for r in refs)

    loc = record.get("event_loc") or {}
    info = record["text_info"]
    return {
        "id": record["id"], "date": record["date"], "date_precision": record["date_precision"],
        "event": record["event"], "mode": record["mode"], "context": ";".join(record["context"]),
        "actor_codes": codes(record["actor"]), "actor_names": ";".join(a["name"] for a in record["actor"]),
        "actor_ids": ";".join(a["identifier"] or "" for a in record["actor"]),
        "recipient_codes": codes(record["recipient"]),
        "recipient_names": ";".join(a["name"] for a in record["recipient"]),
        "recipient_ids": ";".join(a["identifier"] or "" for a in record["recipient"]),
        "mediator_codes": codes(record["mediator"]),
        "mediator_names": ";".join(a["name"] for a in record["mediator"]),
        "loc_name": loc.get("name"), "loc_country": loc.get("country_code"),
        "loc_province": loc.get("province"), "loc_lat": loc.get("lat"), "loc_lon": loc.get("lon"),
        "loc_geonameid": loc.get("geonameid"),
        "event_text": record["event_text"], "text": record["text"], "quad_code": record["quad_code"],
        "cameo": record["cameo"], "goldstein": record["goldstein"], "confidence": record["confidence"],
        "doc_id": info["doc_id"], "path": info["path"], "title": info["title"],
        "published": info["published"], "sentence_index": info["sentence_index"],
        "char_start": info["char_start"], "char_end": info["char_end"],
    }
