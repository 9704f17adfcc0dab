"""The words of ``data/dates.yaml`` (months, weekdays, relative phrases, the ``context`` settings),
read and validated into a :class:`DateLexicon`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from detente.datafiles import load_data_file
from detente.dates.syntax import TENSES
from detente.errors import DataFileError

_BUNDLED = "dates.yaml"


@dataclass(frozen=True)
class DateLexicon:
    """The words of ``dates.yaml``, validated."""

    months: Mapping[str, int]  # lower-case word -> 1..12
    full_months: frozenset[str]  # the full names (the only ones taken alone)
    ambiguous_lowercase: frozenset[str]
    weekdays: Mapping[str, int]  # lower-case word -> 0..6 (Monday = 0)
    numbers: Mapping[str, int]
    day_words: Mapping[str, int]  # phrase -> offset in days from the base
    deictic: Mapping[str, int]  # "last" -> -1
    anchored: Mapping[str, int]  # "the following" -> +1, relative to another date
    modifier_adjectives: tuple[str, ...]
    modifier_nouns: tuple[str, ...]
    seasons: Mapping[str, tuple[int, int]]
    future_allowance_days: int = 31
    min_year: int = 1900
    max_years_ahead: int = 1
    source: str = ""
    # dating undated events from their context (the ``context`` section)
    reporting_tenses: frozenset[str] = frozenset()
    narrative_tenses: frozenset[str] = frozenset()
    month_tenses: frozenset[str] = frozenset()
    window_days: int = 31
    day_window_days: int = -1
    reporting_precision: str = "month"
    reporting_story_days: int = -1
    background_markers: tuple[str, ...] = ()
    coreference_by_actor: frozenset[str] = frozenset()
    # event types whose undated narrative-past sentence continues the story's day (physical actions)
    narrative_types: frozenset[str] = frozenset()
    narrative_type_days: int = -1
    back_reference: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = ((), (), ())
    # a date right after one of these is a limit or a reference point, not the event's own date
    boundary_words: tuple[str, ...] = ()
    # words opening a clause of their own ("since the truce took effect on April 1, ...")
    subordinators: tuple[str, ...] = ()


def _without_lines(value: Any) -> Any:
    """``value`` without the ``__line__`` keys :func:`~detente.datafiles.load_data_file` adds."""
    if isinstance(value, dict):
        return {k: _without_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_without_lines(v) for v in value]
    return value


def _words(value: Any, path: str, what: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataFileError(path, f"{what}: expected a non-empty list of words, got {value!r}")
    return [" ".join(v.lower().split()) for v in value]


def _int_map(raw: Any, path: str, what: str, lo: int, hi: int) -> dict[str, int]:
    if not isinstance(raw, dict) or not raw:
        raise DataFileError(path, f"{what}: expected a mapping")
    out: dict[str, int] = {}
    for key, val in raw.items():
        if (not isinstance(key, str) or not isinstance(val, int) or isinstance(val, bool)
                or not lo <= val <= hi):
            raise DataFileError(path, f"{what}: bad entry {key!r}: {val!r} (an integer {lo}..{hi})")
        out[" ".join(key.lower().split())] = val
    return out


def _numbered_words(raw: Any, path: str, what: str, lo: int, hi: int) -> dict[str, int]:
    if not isinstance(raw, dict):
        raise DataFileError(path, f"{what}: expected a mapping from number to words")
    out: dict[str, int] = {}
    for key, val in raw.items():
        if not isinstance(key, int) or not lo <= key <= hi:
            raise DataFileError(path, f"{what}: bad key {key!r} (an integer {lo}..{hi})")
        for word in _words(val, path, f"{what} {key}"):
            if word in out and out[word] != key:
                raise DataFileError(path, f"{what}: {word!r} given for both {out[word]} and {key}")
            out[word] = key
    if set(out.values()) != set(range(lo, hi + 1)):
        raise DataFileError(path, f"{what}: every number {lo}..{hi} needs at least one word")
    return out


def load_date_lexicon(path: str | Path | None = None) -> DateLexicon:
    """Read and validate a dates data file (the bundled ``detente/data/dates.yaml`` by default).

    Raises :class:`DataFileError` naming the file and the problem (read by
    :func:`~detente.datafiles.load_data_file`: ``version: 1``, valid YAML, a mapping).
    """
    if path is None:
        ref = resources.files("detente") / "data" / _BUNDLED
        where = str(ref)
        raw = _without_lines(load_data_file(Path(where), ref.read_text(encoding="utf-8")))
    else:
        where = str(path)
        raw = _without_lines(load_data_file(Path(path)))
    for key in ("months", "weekdays", "numbers", "day_words", "deictic", "anchored", "seasons", "context"):
        if key not in raw:
            raise DataFileError(where, f"missing section {key!r}")

    months = _numbered_words(raw["months"], where, "months", 1, 12)
    full = frozenset(_words(v, where, "months")[0] for v in raw["months"].values())
    weekdays = _numbered_words(raw["weekdays"], where, "weekdays", 0, 6)
    seasons: dict[str, tuple[int, int]] = {}
    if not isinstance(raw["seasons"], dict):
        raise DataFileError(where, "seasons: expected a mapping")
    for name, span in raw["seasons"].items():
        if (not isinstance(name, str) or not isinstance(span, list) or len(span) != 2
                or not all(isinstance(m, int) and 1 <= m <= 12 for m in span)):
            raise DataFileError(where, f"seasons: bad entry {name!r}: {span!r} (two month numbers)")
        seasons[name.lower()] = (span[0], span[1])

    def int_setting(key: str, default: int, lo: int, hi: int) -> int:
        val = raw.get(key, default)
        if not isinstance(val, int) or isinstance(val, bool) or not lo <= val <= hi:
            raise DataFileError(where, f"{key}: expected an integer {lo}..{hi}, got {val!r}")
        return val

    context = raw["context"]
    if not isinstance(context, dict):
        raise DataFileError(where, "context: expected a mapping")
    tenses: dict[str, frozenset[str]] = {}
    for key in ("reporting_tenses", "narrative_tenses", "month_tenses"):
        words = context.get(key, [])
        if not isinstance(words, list) or not all(isinstance(w, str) and w in TENSES for w in words):
            raise DataFileError(where, f"context.{key}: expected a list of tenses from {sorted(TENSES)}, "
                                       f"got {words!r}")
        tenses[key] = frozenset(words)
    day_window = context.get("day_window_days", -1)
    if not isinstance(day_window, int) or isinstance(day_window, bool) or not -1 <= day_window <= 366:
        raise DataFileError(where, f"context.day_window_days: expected an integer -1..366, "
                                   f"got {day_window!r}")
    reporting_precision = context.get("reporting_precision", "month")
    if reporting_precision not in ("day", "month"):
        raise DataFileError(where, f"context.reporting_precision: expected day or month, "
                                   f"got {reporting_precision!r}")
    story_days = context.get("reporting_story_days", -1)
    if not isinstance(story_days, int) or isinstance(story_days, bool) or not -1 <= story_days <= 366:
        raise DataFileError(where, f"context.reporting_story_days: expected an integer -1..366, "
                                   f"got {story_days!r}")
    window = context.get("window_days", 31)
    if not isinstance(window, int) or isinstance(window, bool) or not 0 <= window <= 366:
        raise DataFileError(where, f"context.window_days: expected an integer 0..366, got {window!r}")
    by_actor = context.get("coreference_by_actor", [])
    if not isinstance(by_actor, list) or not all(isinstance(w, str) and w.strip() for w in by_actor):
        raise DataFileError(where, f"context.coreference_by_actor: expected a list of event types, "
                                   f"got {by_actor!r}")
    narrative_types = context.get("narrative_types", [])
    if not isinstance(narrative_types, list) or not all(isinstance(w, str) and w.strip()
                                                        for w in narrative_types):
        raise DataFileError(where, f"context.narrative_types: expected a list of event types, "
                                   f"got {narrative_types!r}")
    type_days = context.get("narrative_type_days", -1)
    if not isinstance(type_days, int) or isinstance(type_days, bool) or not -1 <= type_days <= 366:
        raise DataFileError(where, f"context.narrative_type_days: expected an integer -1..366, "
                                   f"got {type_days!r}")
    back = context.get("back_reference") or {}
    if not isinstance(back, dict) or set(back) - {"prepositions", "determiners", "nouns"}:
        raise DataFileError(where, "context.back_reference: expected a mapping with prepositions, "
                                   "determiners and nouns")
    back_words = tuple(tuple(_words(back[k], where, f"context.back_reference.{k}")) if back.get(k) else ()
                       for k in ("prepositions", "determiners", "nouns"))
    markers = context.get("background_markers", [])
    background = tuple(_words(markers, where, "context.background_markers")) if markers else ()

    return DateLexicon(
        months=months,
        full_months=full,
        ambiguous_lowercase=frozenset(_words(raw.get("ambiguous_lowercase", ["may"]), where,
                                             "ambiguous_lowercase")),
        weekdays=weekdays,
        numbers=_int_map(raw["numbers"], where, "numbers", 1, 1000),
        day_words=_int_map(raw["day_words"], where, "day_words", -31, 31),
        deictic=_int_map(raw["deictic"], where, "deictic", -10, 10),
        anchored=_int_map(raw["anchored"], where, "anchored", -10, 10),
        modifier_adjectives=tuple(_words(raw.get("modifier_adjectives", ["early"]), where,
                                         "modifier_adjectives")),
        modifier_nouns=tuple(_words(raw.get("modifier_nouns", ["end"]), where, "modifier_nouns")),
        seasons=seasons,
        future_allowance_days=int_setting("future_allowance_days", 31, 0, 366),
        min_year=int_setting("min_year", 1900, 1, 9999),
        max_years_ahead=int_setting("max_years_ahead", 1, 0, 100),
        source=where,
        reporting_tenses=tenses["reporting_tenses"],
        narrative_tenses=tenses["narrative_tenses"],
        month_tenses=tenses["month_tenses"],
        window_days=window,
        day_window_days=day_window,
        reporting_precision=reporting_precision,
        reporting_story_days=story_days,
        background_markers=background,
        coreference_by_actor=frozenset(w.strip().upper() for w in by_actor),
        narrative_types=frozenset(w.strip().upper() for w in narrative_types),
        narrative_type_days=type_days,
        boundary_words=tuple(_words(raw["boundary_words"], where, "boundary_words"))
        if raw.get("boundary_words") else (),
        subordinators=tuple(_words(raw["subordinators"], where, "subordinators"))
        if raw.get("subordinators") else (),
        back_reference=back_words,  # type: ignore[arg-type]
    )


@lru_cache(maxsize=1)
def default_date_lexicon() -> DateLexicon:
    """The bundled lexicon, loaded once (the object is immutable)."""
    return load_date_lexicon()
