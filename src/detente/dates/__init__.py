"""Date resolution: turn the date expressions of a news sentence into :class:`DateValue` records.

Everything is resolved against a *base* date, the article's own date (see
:func:`article_reference_date`). The rules are our own regular expressions, built from the
words in ``detente/data/dates.yaml``; ``dateparser`` is only a fallback for explicit forms we
do not cover, and its output is validated.

Choices made (each result carries ``how``):

* ``explicit``: a full date, month-year or year written out ("January 16, 2024", "December
  2018", "in 2019", "the 1990s", "summer 2019"): day / month / year precision as written.
* ``partial``: a day and month without a year ("Jan. 16", "Tuesday, Jan. 16"): the year is
  the one that puts the date latest on or before the base plus ``future_allowance_days``
  (31: a news article reports the past, but may announce something scheduled for the coming
  weeks). A weekday written with it picks, among the candidate years, one that agrees.
* ``background``: a month name alone ("In February, ..."): the most recent such month not
  after the base month, month precision.
* ``relative``: phrases relative to the base: "today"/"yesterday" (day); "this month",
  "earlier this month", "last month", "next month" (month); "this year", "early last year"
  (year); "March this year", "10 March this year"; weekdays ("on Monday": the most recent
  Monday on or before the base; "last Thursday": strictly before; "next Friday": strictly
  after); "two days ago", "three months ago".
  A *week* ("last week", "this week", "two weeks ago") has no precision of its own: it is
  returned with day precision as a range from its Monday (``value``) to its Sunday (``end``).
* ``range``: "Jan. 26-27", "26-27 January 2024", "Jan. 30 to Feb. 2", "January-March 2019",
  "2015-16", "between 2015 and 2018": ``value`` is the first day/month/year, ``end`` the last.
* phrases anchored on another date ("two days later", "the following year", "the next day")
  resolve against the previous date of the same sentence (or the ``anchor`` given to
  :func:`parse_date_expression`); without one they are unrecoverable.

Vague phrases ("recently", "in recent years", "the past decade") give ``None``; nothing ever
defaults to the base date itself.

Dating an event (the pipeline's order, first answer wins):

1. *Its sentence's own date* (:func:`date_for_event`). With several dates, the dependency parse
   decides where it is clear (:func:`parse_attachment`): a date attached to the trigger or to
   its verb wins, one attached to a verb of another clause loses ("arrived on Sunday for his
   first visit since taking command in November" is Sunday). "N days after <clause>" dates the
   clause's trigger N days before the date the clause hangs on ("recalled its envoy on
   Wednesday, a day after missiles hit": the hit is Tuesday). Anchored phrases with no earlier
   date in the sentence ("On the same day", "two days later") count from the date the story
   stood at (:func:`previous_date`: the previous event's date or a single day written later in
   the paragraph). A sentence that continues a quotation opened earlier in its paragraph counts
   the quotation's relative dates ("spoke today") from the day before the opening mark
   (:func:`open_quote_day`).
2. *The context* (:func:`context_date`), only for a sentence with no date of its own and no
   background marker ("historically", "for years": ``dates.yaml`` ``context``), by the tense of
   the trigger's finite clause (:func:`clause_tense`; reported speech backshifts "said that X had
   decided" to the past):

   * ``how="context"``, back-reference: "during the meeting", "after these talks" take the date
     the story stood at, whatever its precision and age;
   * ``how="coreference"``: an event of the same type between the same parties (for physical
     actions such as ASSAULT the same actors suffice) dated earlier by its own sentence: the
     strike mentioned again (:func:`coreferent_date`);
   * ``how="context"``, narrative: a simple-past sentence continues the story and takes the
     previous single day when it lies within ``day_window_days`` before the article's date (0: the
     previous event is of the report's day); with ``reporting_precision: month`` it takes the
     month of a previous day within ``window_days`` (31);
   * ``how="reporting-time"``: the simple past, the present, the present perfect, the future and
     modals ("condemned the attack", "has offered to mediate", "is ready to", "said it would
     reopen") report what was said or done at the time of writing: by news convention the
     report's day (``reporting_precision: day``; its month with ``month``, or when the base was
     only inferred from the text's latest date);
   * past perfect, non-finite clauses, and every event of an undated article (no base) get
     ``None``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import yaml

from detente.errors import DataFileError
from detente.model import DateValue

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = [
    "CONTEXT_HOWS",
    "TENSES",
    "Attachment",
    "DateLexicon",
    "DateRules",
    "DatedEvent",
    "article_reference_date",
    "clause_tense",
    "context_date",
    "coreferent_date",
    "date_for_event",
    "default_date_rules",
    "find_dates",
    "load_date_lexicon",
    "load_date_rules",
    "open_quote_day",
    "paragraph_before",
    "parse_attachment",
    "parse_date_expression",
    "previous_date",
]

SUPPORTED_VERSIONS = frozenset({1})
# the tenses :func:`clause_tense` tells apart (grammar, not domain data)
TENSES: frozenset[str] = frozenset(
    {"past", "past-perfect", "present", "present-perfect", "future", "modal", "none"})
_BUNDLED = "dates.yaml"


# --------------------------------------------------------------------------------------------
# the lexicon (data file) and the compiled rules
# --------------------------------------------------------------------------------------------


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
    window_days: int = 31
    day_window_days: int = -1
    reporting_precision: str = "month"
    reporting_story_days: int = -1
    background_markers: tuple[str, ...] = ()
    coreference_by_actor: frozenset[str] = frozenset()
    back_reference: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = ((), (), ())
    # a date right after one of these is a limit or a reference point, not the event's own date
    boundary_words: tuple[str, ...] = ()
    # words opening a clause of their own ("since the truce took effect on April 1, ...")
    subordinators: tuple[str, ...] = ()


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

    Raises :class:`DataFileError` naming the file and the problem.
    """
    if path is None:
        ref = resources.files("detente") / "data" / _BUNDLED
        where = str(ref)
        text = ref.read_text(encoding="utf-8")
    else:
        where = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise DataFileError(where, f"cannot read the file: {exc.strerror or exc}") from exc
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise DataFileError(where, f"not valid YAML: {exc}", None if line is None else line + 1) from exc
    if not isinstance(raw, dict):
        raise DataFileError(where, "expected a mapping at the top level")
    if raw.get("version") not in SUPPORTED_VERSIONS:
        raise DataFileError(where, f"unsupported version {raw.get('version')!r} (supported: 1)")
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
    for key in ("reporting_tenses", "narrative_tenses"):
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
        window_days=window,
        day_window_days=day_window,
        reporting_precision=reporting_precision,
        reporting_story_days=story_days,
        background_markers=background,
        coreference_by_actor=frozenset(w.strip().upper() for w in by_actor),
        boundary_words=tuple(_words(raw["boundary_words"], where, "boundary_words"))
        if raw.get("boundary_words") else (),
        subordinators=tuple(_words(raw["subordinators"], where, "subordinators"))
        if raw.get("subordinators") else (),
        back_reference=back_words,  # type: ignore[arg-type]
    )


def _alt(words: Iterable[str]) -> str:
    """A regex alternation, longest first, with flexible whitespace inside phrases."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in ordered)


_Resolver = Callable[["_Ctx", re.Match[str]], DateValue | None]


@dataclass(frozen=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    anchored: bool = False  # needs another date of the sentence


@dataclass(frozen=True)
class DateRules:
    """A lexicon with the regular expressions compiled from it (build with :func:`load_date_rules`)."""

    lexicon: DateLexicon
    rules: tuple[_Rule, ...] = field(default=())
    month_or_year: re.Pattern[str] = field(default=re.compile(r"(?!)"))
    offset_clause: re.Pattern[str] = field(default=re.compile(r"(?!)"))  # "a day after <clause>"
    back_reference: re.Pattern[str] = field(default=re.compile(r"(?!)"))  # "during the meeting"
    boundary: re.Pattern[str] = field(default=re.compile(r"(?!)"))  # "until" right before a date
    subordinate: re.Pattern[str] = field(default=re.compile(r"(?!)"))  # "since the truce took effect ..."


def load_date_rules(path: str | Path | None = None) -> DateRules:
    """Compile the rules of a dates data file (the bundled one by default)."""
    return _compile(load_date_lexicon(path))


@lru_cache(maxsize=1)
def default_date_rules() -> DateRules:
    """The rules of the bundled data file, loaded once (the object is immutable)."""
    return load_date_rules()


def _compile(lex: DateLexicon) -> DateRules:
    months = _alt(lex.months)
    full_months = _alt(lex.full_months)
    weekdays = _alt(lex.weekdays)
    deictic = _alt(lex.deictic)
    anchored = _alt(lex.anchored)
    numbers = _alt(lex.numbers)
    seasons = _alt(lex.seasons)
    mod = (rf"(?:(?:the\s+)?(?:(?:{_alt(lex.modifier_adjectives)})(?:\s+|-)"
           rf"|(?:{_alt(lex.modifier_nouns)})\s+of\s+))?")

    def mon(g: str) -> str:
        return rf"\b(?P<{g}>{months})\b\.?"

    def day(g: str) -> str:
        return rf"(?<![\d.,])(?P<{g}>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b(?![.,:]\d)"

    def year(g: str) -> str:
        return rf"(?<![\d.,$£€])(?P<{g}>\d{{4}})(?![\d%]|[.,:]\d)"

    def wd(g: str) -> str:
        return rf"\b(?P<{g}>{weekdays})\b\.?"

    dash = r"\s*(?:-|–|—|to|through|until|till)\s*"
    yrel = rf"(?:,?\s+(?:of\s+)?(?:(?P<yrel>{deictic})|(?P<yanc>{anchored}))\s+year\b)"
    tail = rf"(?:,?\s*{year('y')}|{yrel})?"
    specs: list[tuple[str, str, bool]] = [
        ("iso", r"(?<![\d.])(?P<y>\d{4})(?P<sep>[-/.])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)(?![\d])", False),
        ("numeric", r"(?<![\d./])(?P<a>[01]?\d)/(?P<b>[0-3]?\d)/(?P<y>\d{4})(?![\d])", False),
        ("md_range", rf"{mod}{mon('m')}\s*{day('d')}{dash}{day('d2')}{tail}", False),
        ("md_cross", rf"{mon('m')}\s*{day('d')}(?:,?\s*{year('y')})?{dash}{mon('m2')}\s*{day('d2')}"
                     rf"(?:,?\s*{year('y2')})?", False),
        ("dm_range", rf"{day('d')}{dash}{day('d2')}\s+(?:of\s+)?{mon('m')}{tail}", False),
        ("md", rf"(?:{wd('wd')},?\s+)?{mod}(?:the\s+)?{mon('m')}\s*{day('d')}{tail}", False),
        ("dm", rf"(?:{wd('wd')},?\s+)?(?:the\s+)?{day('d')}(?:\s+of)?\s+{mon('m')}{tail}", False),
        ("month_range", rf"{mod}{mon('m')}{dash}{mon('m2')},?\s+(?:of\s+)?{year('y')}", False),
        ("month_year", rf"{mod}(?:the\s+month\s+of\s+)?{mon('m')},?\s+(?:of\s+)?{year('y')}", False),
        ("month_yrel", rf"{mod}{mon('m')}{yrel}", False),
        ("month_deictic", rf"{mod}\b(?P<rel>{deictic})\s+{mon('m')}", False),
        ("month", rf"{mod}\b(?P<m>{full_months})\b(?![-'’]\w)", False),
        ("season_year", rf"{mod}(?:the\s+)?\b(?P<season>{seasons})(?:\s+of)?,?\s+{year('y')}", False),
        ("season_rel", rf"{mod}\b(?P<rel>{deictic})\s+(?P<season>{seasons})\b", False),
        ("year_between", rf"\bbetween\s+{year('y')}\s+and\s+{year('y2')}", False),
        ("year_range", rf"(?:\bfrom\s+)?{year('y')}{dash}(?P<y2>\d{{4}}|\d{{2}})(?![\d%]|[-/.]\d)", False),
        ("decade", rf"{mod}(?:the\s+)?(?<![\d.,$])(?P<dec>\d{{3}}0)['’]?s\b", False),
        ("year", rf"{mod}{year('y')}", False),
        ("unit_rel", rf"{mod}\b(?P<rel>{deictic})\s+(?P<unit>week|month|year)\b", False),
        ("unit_anchored", rf"{mod}\b(?P<anc>{anchored})\s+(?P<unit>day|week|month|year)\b", True),
        ("anchored_day", r"\bthe\s+(?:(?P<w>next|following|previous)\s+day|day\s+(?P<w2>before|after))\b",
         True),
        ("day_word", rf"\b(?P<w>{_alt(lex.day_words)})\b", False),
        ("ago", rf"\b(?P<n>\d{{1,2}}|{numbers})\s+(?P<unit>day|week|month|year|decade)s?\s+ago\b", False),
        ("later", rf"\b(?P<n>\d{{1,2}}|{numbers})\s+(?P<unit>day|week|month|year|decade)s?\s+"
                  rf"(?P<dir>later|earlier|before|after)(?=\s*(?:[,.;:)]|$))", True),
        ("weekday", rf"(?:\b(?P<rel>{deictic})\s+)?{wd('wd')}(?:\s+(?:morning|afternoon|evening|night))?",
         False),
    ]
    compiled = tuple(_Rule(kind, re.compile(rx, re.IGNORECASE), anch) for kind, rx, anch in specs)
    month_or_year = re.compile(rf"\b(?:{months})\b|(?<!\d)\d{{4}}(?!\d)", re.IGNORECASE)
    offset_clause = re.compile(rf"\b(?P<n>\d{{1,2}}|{numbers})\s+(?P<unit>day|week|month|year)s?\s+"
                               rf"(?P<dir>after|before)\s+(?=[^\W\d])", re.IGNORECASE)
    preps, dets, nouns = lex.back_reference
    back = re.compile(rf"\b(?:{_alt(preps)})\s+(?:{_alt(dets)})\s+(?:\w+\s+)?(?:{_alt(nouns)})\b",
                      re.IGNORECASE) if preps and dets and nouns else re.compile(r"(?!)")
    boundary = re.compile(
        rf"\b(?:{_alt(lex.boundary_words)})\s+(?:the\s+)?(?:(?:end|start|beginning)\s+of\s+)?$",
        re.IGNORECASE) if lex.boundary_words else re.compile(r"(?!)")
    # a subordinate clause: its opening word, then (before the next clause boundary) a finite verb
    subordinate = re.compile(
        rf"\b(?:{_alt(lex.subordinators)})\s+(?=[^,;.]*?\b(?:{_FINITE})\b)[^,;]*?(?=[,;]|\.(?:\s|$)|$)",
        re.IGNORECASE) if lex.subordinators else re.compile(r"(?!)")
    return DateRules(lexicon=lex, rules=compiled, month_or_year=month_or_year,
                     offset_clause=offset_clause, back_reference=back, boundary=boundary,
                     subordinate=subordinate)


# a finite verb, roughly (past forms and common irregulars): what tells a clause from a phrase
# ("after talks collapsed on May 2" is a clause, "after midnight on Monday" a phrase)
_FINITE = (r"\w+ed|began|begun|broke|took|came|was|were|is|are|had|has|went|fell|met|won|lost|held|made|"
           r"struck|hit|fled|left|ran|took|said|killed|seized|erupted|started|ended|signed|agreed|attacked")


# --------------------------------------------------------------------------------------------
# calendar helpers
# --------------------------------------------------------------------------------------------


def _make_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _add_months(y: int, m: int, delta: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + delta
    return idx // 12, idx % 12 + 1


def _month_value(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _base_day(base: DateValue | None) -> dt.date | None:
    return None if base is None else base.start_date


def _week(monday: dt.date) -> DateValue:
    return DateValue(monday.isoformat(), "day", end=(monday + dt.timedelta(days=6)).isoformat(),
                     how="relative")


@dataclass(frozen=True)
class _Ctx:
    rules: DateRules
    base: DateValue | None
    anchor: DateValue | None = None
    whole: bool = False  # the text is one expression (an entity), not a sentence

    @property
    def lex(self) -> DateLexicon:
        return self.rules.lexicon


def _year_ok(y: int, ctx: _Ctx) -> bool:
    hi = ctx.base.start_date.year + ctx.lex.max_years_ahead if ctx.base is not None else 2100
    return ctx.lex.min_year <= y <= hi


def _validate(value: DateValue | None, ctx: _Ctx) -> DateValue | None:
    if value is None:
        return None
    years = [int(value.value[:4])] + ([int(value.end[:4])] if value.end else [])
    if not all(_year_ok(y, ctx) for y in years):
        return None
    if value.end and value.end < value.value:
        return None
    return value


def _complete_day(m: int, d: int, ctx: _Ctx, weekday: int | None = None) -> dt.date | None:
    """The year for a day-month: the latest one on or before base + allowance (see module doc)."""
    base = _base_day(ctx.base)
    if base is None:
        return None
    limit = base + dt.timedelta(days=ctx.lex.future_allowance_days)
    cands = [c for y in (base.year + 1, base.year, base.year - 1, base.year - 2, base.year - 3, base.year - 4)
             if (c := _make_date(y, m, d)) is not None and c <= limit]
    if not cands:
        return None
    best = cands[0]
    if weekday is not None and best.weekday() != weekday:
        floor = limit - dt.timedelta(days=400)
        agree = [c for c in cands if c.weekday() == weekday and c >= floor]
        if agree:
            best = agree[0]
    return best


def _recent_month(m: int, base: dt.date, strict: bool = False) -> tuple[int, int]:
    """The most recent month ``m`` not after (or, strict, before) the base month."""
    if m < base.month or (m == base.month and not strict):
        return base.year, m
    return base.year - 1, m


def _next_month(m: int, base: dt.date) -> tuple[int, int]:
    return (base.year, m) if m > base.month else (base.year + 1, m)


# --------------------------------------------------------------------------------------------
# resolvers, one per rule kind
# --------------------------------------------------------------------------------------------


def _month(ctx: _Ctx, word: str) -> int:
    return ctx.lex.months[" ".join(word.lower().rstrip(".").split())]


def _count(ctx: _Ctx, word: str) -> int:
    w = word.lower()
    return int(w) if w.isdigit() else ctx.lex.numbers[" ".join(w.split())]


def _year_offset(ctx: _Ctx, mt: re.Match[str]) -> int | None:
    """The year named by a trailing "this year" / "the following year" group, else None."""
    base = _base_day(ctx.base)
    if mt.group("yrel"):
        if base is None:
            return None
        return base.year + ctx.lex.deictic[" ".join(mt.group("yrel").lower().split())]
    if mt.group("yanc"):
        if ctx.anchor is None:
            return None
        return ctx.anchor.start_date.year + ctx.lex.anchored[" ".join(mt.group("yanc").lower().split())]
    return None


def _has(mt: re.Match[str], g: str) -> bool:
    return g in mt.re.groupindex and mt.group(g) is not None


def _r_iso(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    d = _make_date(int(mt.group("y")), int(mt.group("m")), int(mt.group("d")))
    return DateValue.of_day(d) if d else None


def _r_numeric(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    a, b, y = int(mt.group("a")), int(mt.group("b")), int(mt.group("y"))
    d = _make_date(y, a, b) if a <= 12 else _make_date(y, b, a)  # US month/day first
    return DateValue.of_day(d) if d else None


def _day_date(ctx: _Ctx, mt: re.Match[str], mg: str, dg: str, yg: str | None) -> tuple[dt.date, str] | None:
    m, d = _month(ctx, mt.group(mg)), int(mt.group(dg))
    if yg and _has(mt, yg) and mt.group(yg):
        day = _make_date(int(mt.group(yg)), m, d)
        return (day, "explicit") if day else None
    if _has(mt, "yrel") and (mt.group("yrel") or mt.group("yanc")):
        y = _year_offset(ctx, mt)
        day = _make_date(y, m, d) if y is not None else None
        return (day, "relative") if day else None
    weekday = ctx.lex.weekdays[mt.group("wd").lower().rstrip(".")] if _has(mt, "wd") else None
    day = _complete_day(m, d, ctx, weekday)
    return (day, "partial") if day else None


def _r_md(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    got = _day_date(ctx, mt, "m", "d", "y")
    return DateValue.of_day(got[0], how=got[1]) if got else None


def _r_md_range(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    got = _day_date(ctx, mt, "m", "d", "y")
    if got is None:
        return None
    start = got[0]
    end = _make_date(start.year, start.month, int(mt.group("d2")))
    if end is None or end <= start:
        return None
    return DateValue(start.isoformat(), "day", end=end.isoformat(), how="range")


def _r_md_cross(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    m2, d2 = _month(ctx, mt.group("m2")), int(mt.group("d2"))
    if mt.group("y2") and not mt.group("y"):
        end = _make_date(int(mt.group("y2")), m2, d2)
        if end is None:
            return None
        m1, d1 = _month(ctx, mt.group("m")), int(mt.group("d"))
        start = _make_date(end.year - (m1 > m2), m1, d1)
    else:
        got = _day_date(ctx, mt, "m", "d", "y")
        if got is None:
            return None
        start = got[0]
        y2 = int(mt.group("y2")) if mt.group("y2") else start.year + (m2 < start.month)
        end = _make_date(y2, m2, d2)
    if start is None or end is None or end <= start:
        return None
    return DateValue(start.isoformat(), "day", end=end.isoformat(), how="range")


def _r_month_year(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    return DateValue(_month_value(int(mt.group("y")), _month(ctx, mt.group("m"))), "month")


def _r_month_range(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    y, m1, m2 = int(mt.group("y")), _month(ctx, mt.group("m")), _month(ctx, mt.group("m2"))
    if m2 <= m1:
        return None
    return DateValue(_month_value(y, m1), "month", end=_month_value(y, m2), how="range")


def _r_month_yrel(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    y = _year_offset(ctx, mt)
    return None if y is None else DateValue(_month_value(y, _month(ctx, mt.group("m"))), "month",
                                            how="relative")


def _r_month_deictic(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    base = _base_day(ctx.base)
    if base is None:
        return None
    off = ctx.lex.deictic[" ".join(mt.group("rel").lower().split())]
    m = _month(ctx, mt.group("m"))
    if off < 0:
        y, m = _recent_month(m, base, strict=True)
    elif off > 0:
        y, m = _next_month(m, base)
    else:
        y = base.year
    return DateValue(_month_value(y, m), "month", how="relative")


def _r_month(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    base = _base_day(ctx.base)
    if base is None:
        return None
    y, m = _recent_month(_month(ctx, mt.group("m")), base)
    return DateValue(_month_value(y, m), "month", how="background")


def _season(ctx: _Ctx, name: str, y: int, how: str) -> DateValue:
    first, last = ctx.lex.seasons[name.lower()]
    if last < first:  # crosses the new year: the year only
        return DateValue(f"{y:04d}", "year", how=how)
    return DateValue(_month_value(y, first), "month", end=_month_value(y, last), how=how)


def _r_season_year(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    return _season(ctx, mt.group("season"), int(mt.group("y")), "explicit")


def _r_season_rel(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    base = _base_day(ctx.base)
    if base is None:
        return None
    off = ctx.lex.deictic[" ".join(mt.group("rel").lower().split())]
    first, last = ctx.lex.seasons[mt.group("season").lower()]
    if last < first:
        return None
    if off == 0:
        y = base.year
    elif off < 0:
        y = base.year if last < base.month else base.year - 1
    else:
        y = base.year if first > base.month else base.year + 1
    return _season(ctx, mt.group("season"), y, "relative")


def _r_year_range(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    y1, raw2 = int(mt.group("y")), mt.group("y2")
    y2 = int(raw2) if len(raw2) == 4 else (y1 // 100) * 100 + int(raw2)
    if y2 <= y1 or y2 - y1 > 50:
        return None
    return DateValue(f"{y1:04d}", "year", end=f"{y2:04d}", how="range")


def _r_decade(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    y = int(mt.group("dec"))
    return DateValue(f"{y:04d}", "year", end=f"{y + 9:04d}", how="explicit")


def _r_year(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    return DateValue(mt.group("y"), "year")


def _unit_value(unit: str, day: dt.date, off: int) -> DateValue:
    """The week/month/year ``off`` units from the one containing ``day``."""
    if unit == "day":
        return DateValue.of_day(day + dt.timedelta(days=off), how="relative")
    if unit == "week":
        return _week(day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=off))
    if unit == "month":
        y, m = _add_months(day.year, day.month, off)
        return DateValue(_month_value(y, m), "month", how="relative")
    return DateValue(f"{day.year + off:04d}", "year", how="relative")


def _r_unit_rel(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    base = _base_day(ctx.base)
    if base is None:
        return None
    off = ctx.lex.deictic[" ".join(mt.group("rel").lower().split())]
    return _unit_value(mt.group("unit").lower(), base, off)


def _anchored_unit(ctx: _Ctx, unit: str, off: int) -> DateValue | None:
    anchor = ctx.anchor
    if anchor is None:
        return None
    precision_rank = {"day": 0, "month": 1, "year": 2}
    unit_rank = {"day": 0, "week": 0, "month": 1, "year": 2, "decade": 2}[unit]
    if precision_rank[anchor.precision] > unit_rank:
        return None  # "two days later" after "in 2019": unrecoverable
    if unit == "decade":
        unit, off = "year", off * 10
    return _unit_value(unit, anchor.start_date, off)


def _r_unit_anchored(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    off = ctx.lex.anchored[" ".join(mt.group("anc").lower().split())]
    return _anchored_unit(ctx, mt.group("unit").lower(), off)


def _r_anchored_day(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    word = (mt.group("w") or mt.group("w2")).lower()
    return _anchored_unit(ctx, "day", -1 if word in ("previous", "before") else 1)


def _r_day_word(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    base = _base_day(ctx.base)
    if base is None:
        return None
    offset = ctx.lex.day_words[" ".join(mt.group("w").lower().split())]
    return DateValue.of_day(base + dt.timedelta(days=offset), how="relative")


def _r_ago(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    base = _base_day(ctx.base)
    if base is None:
        return None
    n, unit = _count(ctx, mt.group("n")), mt.group("unit").lower()
    if unit == "decade":
        unit, n = "year", n * 10
    return _unit_value(unit, base, -n)


def _r_later(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    n = _count(ctx, mt.group("n"))
    sign = 1 if mt.group("dir").lower() in ("later", "after") else -1
    return _anchored_unit(ctx, mt.group("unit").lower(), sign * n)


def _r_weekday(ctx: _Ctx, mt: re.Match[str]) -> DateValue | None:
    base = _base_day(ctx.base)
    if base is None:
        return None
    target = ctx.lex.weekdays[mt.group("wd").lower().rstrip(".")]
    back = (base.weekday() - target) % 7
    off = ctx.lex.deictic[" ".join(mt.group("rel").lower().split())] if mt.group("rel") else 0
    if off < 0:
        day = base - dt.timedelta(days=back or 7)
    elif off > 0:
        day = base + dt.timedelta(days=(target - base.weekday()) % 7 or 7)
    else:
        day = base - dt.timedelta(days=back)
    return DateValue.of_day(day, how="relative")


_RESOLVERS: dict[str, _Resolver] = {
    "iso": _r_iso, "numeric": _r_numeric, "md_range": _r_md_range, "md_cross": _r_md_cross,
    "dm_range": _r_md_range, "md": _r_md, "dm": _r_md, "month_range": _r_month_range,
    "month_year": _r_month_year, "month_yrel": _r_month_yrel, "month_deictic": _r_month_deictic,
    "month": _r_month, "season_year": _r_season_year, "season_rel": _r_season_rel,
    "year_between": _r_year_range, "year_range": _r_year_range, "decade": _r_decade, "year": _r_year,
    "unit_rel": _r_unit_rel, "unit_anchored": _r_unit_anchored, "anchored_day": _r_anchored_day,
    "day_word": _r_day_word, "ago": _r_ago, "later": _r_later, "weekday": _r_weekday,
}

# words before a lone month name that make it a date ("in May", not "Theresa May")
_MONTH_LEAD = re.compile(
    r"(?:\b(?:in|on|since|during|until|till|by|of|from|between|and|to|through|before|after|early|late|"
    r"mid|last|this|next|around|about|throughout|or)[\s-]+|^\s*|[,;:(]\s*)$", re.IGNORECASE)


def _acceptable(kind: str, mt: re.Match[str], text: str, ctx: _Ctx) -> bool:
    """Rejects matches that are words rather than dates ("it may rain", "Theresa May")."""
    for g in ("m", "m2"):
        if g in mt.re.groupindex and mt.group(g):
            word = mt.group(g).rstrip(".")
            if word.islower() and word in ctx.lex.ambiguous_lowercase:
                return False
    if kind == "month":
        word = mt.group("m")
        if word.islower():
            return False
        alone = ctx.whole and not text[: mt.start()].strip()
        if not alone and not _MONTH_LEAD.search(text[: mt.start()]) and mt.start("m") == mt.start():
            return False
    return True


# --------------------------------------------------------------------------------------------
# scanning
# --------------------------------------------------------------------------------------------


@dataclass
class _Found:
    start: int
    end: int
    kind: str
    match: re.Match[str]
    anchored: bool
    value: DateValue | None = None


_QUOTE = re.compile(r"“[^”]*”|\"[^\"]*\"")


def _scan(text: str, ctx: _Ctx) -> list[tuple[int, int, DateValue]]:
    found: list[_Found] = []
    for rule in ctx.rules.rules:
        for mt in rule.pattern.finditer(text):
            if mt.end() == mt.start() or not _acceptable(rule.kind, mt, text, ctx):
                continue
            item = _Found(mt.start(), mt.end(), rule.kind, mt, rule.anchored)
            if not rule.anchored:
                # an expression that fails (February 30) still hides the shorter ones inside it
                item.value = _validate(_RESOLVERS[rule.kind](ctx, mt), ctx)
            found.append(item)
    order = {rule.kind: i for i, rule in enumerate(ctx.rules.rules)}
    chosen: list[_Found] = []
    for item in sorted(found, key=lambda f: (-(f.end - f.start), order[f.kind], f.start)):
        if all(item.end <= c.start or c.end <= item.start for c in chosen):
            chosen.append(item)
    chosen.sort(key=lambda f: f.start)

    quotes = [(q.start(), q.end()) for q in _QUOTE.finditer(text)]
    out: list[tuple[int, int, DateValue]] = []
    previous: DateValue | None = ctx.anchor
    previous_end = -1
    for item in chosen:
        if item.anchored:
            item.value = _validate(_RESOLVERS[item.kind](_Ctx(ctx.rules, ctx.base, previous, ctx.whole),
                                                         item.match), ctx)
        elif item.kind == "day_word" and previous is not None and previous.precision == "day" \
                and previous.how in ("explicit", "partial") and not previous.end:
            # "Pompeo tweeted Jan. 3: 'we spoke today'": a quoted "today" is the quote's day
            inside = next(((a, b) for a, b in quotes if a <= item.start < b), None)
            if inside is not None and previous_end <= inside[0]:
                shifted = previous.start_date + dt.timedelta(
                    days=ctx.lex.day_words[" ".join(item.match.group("w").lower().split())])
                item.value = DateValue.of_day(shifted, how="relative")
        if item.value is not None:
            out.append((item.start, item.end, item.value))
            previous, previous_end = item.value, item.end
    return out


def _dateparser_fallback(text: str, ctx: _Ctx) -> DateValue | None:
    """dateparser for explicit forms our rules miss; only when a month name or a year is present."""
    if not ctx.rules.month_or_year.search(text):
        return None
    import dateparser  # slow import, rarely needed

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first",
                                "RETURN_AS_TIMEZONE_AWARE": False}
    base = _base_day(ctx.base)
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    try:
        data = dateparser.date.DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    except (ValueError, TypeError, OverflowError):
        return None
    if data is None or data.date_obj is None:
        return None
    got = data.date_obj.date()
    has_year = re.search(r"(?<!\d)\d{4}(?!\d)", text) is not None
    if not has_year and base is None:
        return None
    how = "explicit" if has_year else "partial"
    period = data.period or "day"
    if period == "year":
        value = DateValue(f"{got.year:04d}", "year", how=how)
    elif period == "month":
        value = DateValue(_month_value(got.year, got.month), "month", how=how)
    else:
        value = DateValue.of_day(got, how=how)
    if not has_year and base is not None and not (
            base - dt.timedelta(days=400) <= got <= base + dt.timedelta(days=ctx.lex.future_allowance_days)):
        return None
    return _validate(value, ctx)


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------


def parse_date_expression(text: str, base: DateValue | None, *, anchor: DateValue | None = None,
                          rules: DateRules | None = None) -> DateValue | None:
    """Resolve one date expression (a spaCy DATE entity's text, say) against the base date.

    ``anchor`` is the date that phrases like "two days later" count from. Returns ``None`` when
    the text holds no recoverable date (never the base date by default).
    """
    ctx = _Ctx(rules or default_date_rules(), base, anchor, whole=True)
    found = _scan(text, ctx)
    if found:
        return max(found, key=lambda f: (f[1] - f[0], -f[0]))[2]
    return _dateparser_fallback(text, ctx)


def find_dates(sentence_text: str, base: DateValue | None, *, rules: DateRules | None = None,
               anchor: DateValue | None = None) -> list[tuple[int, int, DateValue]]:
    """Every date expression of a sentence: ``(start, end, value)`` with offsets into the text.

    Expressions that cannot be resolved (a partial date without a base, "two days later" with
    no earlier date in the sentence and no ``anchor``) are left out. ``anchor`` is the date an
    anchored phrase ("the same day", "two days later") counts from when no earlier date of the
    sentence precedes it: the previous event's date, say.
    """
    return _scan(sentence_text, _Ctx(rules or default_date_rules(), base, anchor))


def article_reference_date(published: DateValue | None, text: str, *,
                           rules: DateRules | None = None) -> DateValue | None:
    """The base date of an article: its own date, else the latest full date its text carries.

    A full date is a day with a written year ("Jan. 29, 2024"), so an undated article's photo
    caption or byline date serves; the result then has ``how="inferred"``. ``None`` when the
    text holds no full date.
    """
    if published is not None:
        return published
    full = [v for _, _, v in find_dates(text, None, rules=rules)
            if v.precision == "day" and v.how == "explicit" and not v.end]
    if not full:
        return None
    latest = max(full, key=lambda v: v.value)
    return DateValue(latest.value, "day", how="inferred")


# clause structure used by date_for_event
_RELATIVE_CLAUSE = re.compile(
    r",\s*(?:who|whom|whose|which|where)\b[^,;]*|\([^)]*\)"
    r"|(?<=[a-z] )(?:that|which|who)\s+(?:\w+\s+){0,2}?(?:had\s+|has\s+|have\s+)?"
    r"(?:began|broke\s+out|erupted|started|ended|took\s+effect|expired|was\s+\w+ed|were\s+\w+ed)\b[^,;]*",
    re.IGNORECASE)
_STRONG = re.compile(
    r";|,\s*[\"“]?\s*(?:and|but|while|whereas|although|though|because|as|after|before|when|since|until|"
    r"so|yet|which|who|whom|whose|where)\b|\s(?:while|whereas|although|because)\b", re.IGNORECASE)
_AND_CLAUSE = re.compile(r"\sand\s+(?=[A-Z])")
_WEAK = re.compile(r"[,:()—–\"“”]")
_PREP_BEFORE = re.compile(r"\b(?:on|in|during|since|by|until|from|at|as\s+of)\s+(?:the\s+)?$", re.IGNORECASE)
# how much the parse's attachment of a date (see Attachment) adds to its distance score
_ATTACHMENT_WEIGHT: Mapping[int, float] = MappingProxyType({2: -6.0, 1: -3.0, -1: 4.0})
_FRONTED = re.compile(r"^\s*(?:(?:on|in|during|since|by|until|from|at|as\s+of|early|late)\s+)?(?:the\s+)?$",
                      re.IGNORECASE)


_NAMED_GAP = 6  # "a day after the <date>": at most a determiner between the phrase and the date
_DETERMINER = re.compile(r"(?:(?:the|its|their|his|her|this|that)\s+)?", re.IGNORECASE)


def _offset_clause_date(text: str, trigger_start: int, cands: list[tuple[int, int, DateValue]],
                        anchor: DateValue | None, base: DateValue | None,
                        rules: DateRules) -> DateValue | None:
    """ "recalled its envoy on Wednesday, a day after missiles hit": the trigger of a clause
    opened by "N units after/before" is N units before/after the date the clause hangs on (the
    last date before the phrase, else ``anchor``)."""
    for mt in rules.offset_clause.finditer(text):
        # "visited New Delhi a day after the February 25 announcement": the event N units after the
        # date the phrase names, when the event comes before the phrase with no date of its own, or
        # after a phrase that opens the sentence ("A day after the March 3 vote, ... protested")
        named = next(((e, v) for s, e, v in cands if mt.end() <= s <= mt.end() + _NAMED_GAP
                      and _DETERMINER.fullmatch(text[mt.end():s])), None)
        if named is not None and (
                (trigger_start < mt.start() and not any(trigger_start <= s < mt.start() for s, _, _ in cands))
                or (not text[:mt.start()].strip() and trigger_start > named[0]
                    and sum(s >= mt.start() for s, _, _ in cands) == 1)):
            n = _count(_Ctx(rules, base), mt.group("n"))
            sign = 1 if mt.group("dir").lower() == "after" else -1
            value = _anchored_unit(_Ctx(rules, base, named[1]), mt.group("unit").lower(), sign * n)
            return _validate(value, _Ctx(rules, base))
        tail = _CLAUSE_END.search(text, mt.end())
        if not mt.end() <= trigger_start < (tail.start() if tail else len(text)):
            continue
        before = [v for s, e, v in cands if e <= mt.start()]
        ref = before[-1] if before else anchor
        if ref is None:
            return None
        n = _count(_Ctx(rules, base), mt.group("n"))
        sign = -1 if mt.group("dir").lower() == "after" else 1
        value = _anchored_unit(_Ctx(rules, base, ref), mt.group("unit").lower(), sign * n)
        return _validate(value, _Ctx(rules, base))
    return None


# a wire dateline opening the sentence: capitalised words and a date, then a dash
_DATELINE_LEAD = re.compile(r"^\s*[A-Z][^\n—–]{0,100}?\d[^\n—–]{0,40}?(?:\s*[—–]|\s-{1,2}\s)\s*")
_CLAUSE_END = re.compile(r"[,;:.](?:\s|$)|\s(?:but|while|when)\s")

Attachment = Callable[[int, int], int]
"""Where the parse attaches a stretch ``(start, end)`` of the sentence: 2 to the trigger or its own
verb, 1 to a verb whose clause holds the trigger, -1 to another verb, 0 unknown."""


def date_for_event(sentence_text: str, trigger_start: int, base: DateValue | None,
                   sentence_date_entities: list[tuple[int, int, str]] | None = None, *,
                   rules: DateRules | None = None, anchor: DateValue | None = None,
                   attachment: Attachment | None = None,
                   quote_day: DateValue | None = None) -> DateValue | None:
    """The date of the event whose trigger starts at ``trigger_start`` (an offset into the sentence).

    Candidates are the sentence's own date expressions plus any spaCy DATE entities given as
    ``(start, end, text)``. A date inside a relative clause or parenthesis that does not hold the
    trigger ("X, who visited in July, met Y") is not the trigger's. Among the rest the one
    closest to the trigger wins, counting clause boundaries between them first (a ";" or a
    ", and"/", while"... heavily, a new "and"-clause less, a bare comma little, a fronted
    "On Jan. 16," not at all), then the distance; a date right after "on"/"in" following the
    trigger is preferred. ``None`` when the sentence has no recoverable date: the article date
    is never a default.

    ``attachment`` (built from the dependency parse by :func:`parse_attachment`) overrides the
    text heuristics where the parse is clear: a date attached to the trigger or to its verb wins
    over one attached to a verb of another clause ("arrived on Sunday for his first visit since
    taking command in November"). ``anchor`` resolves anchored phrases with no earlier date in
    the sentence ("On the same day, ..."). ``quote_day`` is the day of a quotation the sentence
    continues (see :func:`open_quote_day`): relative dates before the quote closes ("spoke
    today") count from it rather than from the article's date.
    """
    the_rules = rules or default_date_rules()
    cands = find_dates(sentence_text, base, rules=the_rules, anchor=anchor)
    for start, end, text in sentence_date_entities or []:
        if any(start < e and s < end for s, e, _ in cands):
            continue
        value = parse_date_expression(text, base, anchor=anchor, rules=the_rules)
        if value is not None:
            cands.append((start, end, value))
    cands.sort(key=lambda c: c[0])
    # "BAGHDAD, Iraq, Oct. 7, 2024 — Police arrested ...": the dateline dates the report, not the event
    lead = _DATELINE_LEAD.match(sentence_text)
    if lead is not None and trigger_start >= lead.end():
        cands = [c for c in cands if c[0] >= lead.end()]
    if quote_day is not None:
        close = _quote_close(sentence_text)
        cands = [(s, e, _requote(sentence_text[s:e], v, quote_day, the_rules) if s < close else v)
                 for s, e, v in cands]
    shifted = _offset_clause_date(sentence_text, trigger_start, cands, anchor, base, the_rules)
    if shifted is not None:
        return shifted
    if not cands:
        return None
    enclosed = [(m.start(), m.end()) for m in _RELATIVE_CLAUSE.finditer(sentence_text)]

    def in_other_clause(start: int) -> bool:
        return any(a <= start < b and not a <= trigger_start < b for a, b in enclosed)

    def score(cand: tuple[int, int, DateValue]) -> float:
        start, end, _ = cand
        if end <= trigger_start:
            lo, hi = end, trigger_start
        else:
            lo, hi = trigger_start, start
        between = sentence_text[lo:hi]
        strong = len(_STRONG.findall(between))
        ands = len(_AND_CLAUSE.findall(between))
        weak = len(_WEAK.findall(between))
        fronted = end <= trigger_start and _FRONTED.match(sentence_text[:start]) is not None
        result = 0.0
        if fronted and between.lstrip().startswith(","):
            weak -= 1  # "On Jan. 16, Iran struck ...": the fronted date scopes over the clause
            result -= 1.5
        result += 10.0 * strong + 3.0 * ands + 1.0 * max(weak, 0) + (hi - lo) / 100.0
        lead = sentence_text[max(0, start - 12):start]
        if start >= trigger_start and strong == 0 and _PREP_BEFORE.search(lead):
            result -= 1.5
        if attachment is not None:
            result += _ATTACHMENT_WEIGHT.get(attachment(start, end), 0.0)
        return result

    subordinate = [(m.start(), m.end()) for m in the_rules.subordinate.finditer(sentence_text)]
    enclosed += [(a, b) for a, b in subordinate if not a <= trigger_start < b]

    def limit(start: int) -> bool:
        """ "a ceasefire until Sunday, May 18": a limit or reference point, not the event's day."""
        return the_rules.boundary.search(sentence_text[max(0, start - 40):start]) is not None

    usable = [c for c in cands if not limit(c[0]) and (
        not in_other_clause(c[0]) or (attachment is not None and attachment(c[0], c[1]) == 2))]
    if not usable:
        return None
    return min(usable, key=lambda c: (score(c), c[0]))[2]


# --------------------------------------------------------------------------------------------
# context: quotations, the parse, undated events
# --------------------------------------------------------------------------------------------

# the ``how`` of dates taken from an event's context rather than its own sentence
CONTEXT_HOWS: frozenset[str] = frozenset({"context", "coreference", "reporting-time"})
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_MAX_PARAGRAPH = 4000


def paragraph_before(text: str, start: int) -> str:
    """The text of the paragraph (blank-line separated) before offset ``start``."""
    lo = max(0, start - _MAX_PARAGRAPH)
    para = max((m.end() for m in _PARAGRAPH_BREAK.finditer(text, lo, start)), default=lo)
    return text[para:start]


def previous_date(event_at: int | None, event_date: DateValue | None, prefix: str, prefix_start: int,
                  base: DateValue | None, *, rules: DateRules | None = None) -> DateValue | None:
    """The date the story last stood at before a sentence: the later in the text of the previous
    event's date (its trigger at offset ``event_at``) and the last single day written in the
    paragraph before the sentence (``prefix``, starting at offset ``prefix_start``).

    "The meeting was reported on Jan. 29. During this meeting, ..." stands at Jan. 29 even when
    no event was coded in the first sentence.
    """
    days = [(prefix_start + s, v) for s, _, v in find_dates(prefix, base, rules=rules, anchor=event_date)
            if v.precision == "day" and not v.end]
    if days and (event_at is None or days[-1][0] > event_at):
        return days[-1][1]
    return event_date


_OPEN_QUOTES = "\u201c"
_CLOSE_QUOTES = "\u201d"


def _quote_close(text: str) -> int:
    """Where a quotation the text opens inside of closes: the first closing mark, or a new opening
    one (the old quotation ended unmarked); the text's length when neither comes."""
    for i, ch in enumerate(text):
        if ch in _OPEN_QUOTES or ch in _CLOSE_QUOTES or ch == '"':
            return i
    return len(text)


def _requote(text: str, value: DateValue, quote_day: DateValue, rules: DateRules) -> DateValue:
    """A relative date inside a quotation, counted from the day the words were said."""
    if value.how != "relative":
        return value
    again = parse_date_expression(text, quote_day, rules=rules)
    return again if again is not None else value


def open_quote_day(prefix: str, base: DateValue | None, *, rules: DateRules | None = None) -> \
        DateValue | None:
    """The day of a quotation still open at the end of ``prefix``, else None.

    ``prefix`` is the paragraph's text before a sentence. When a quotation opened there has not
    closed ("Pompeo tweeted Jan. 3, \u201cPakistan's army chief and I ... | ... spoke today"), the
    last single day written before the opening mark is the day the words were said.
    """
    opened: int | None = None
    straight: int | None = None
    for i, ch in enumerate(prefix):
        if ch in _OPEN_QUOTES:
            opened = i
        elif ch in _CLOSE_QUOTES:
            opened = None
        elif ch == '"':
            straight = None if straight is not None else i
    start = opened if opened is not None else straight
    if start is None:
        return None
    days = [v for _, _, v in find_dates(prefix[:start], base, rules=rules)
            if v.precision == "day" and not v.end]
    return days[-1] if days else None


_VERB_POS = frozenset({"VERB", "AUX"})
_AUX_DEPS = frozenset({"aux", "auxpass"})
_MODALS = frozenset({"can", "could", "may", "might", "must", "shall", "should", "would", "ought"})


def _is_verb(tok: Token) -> bool:
    return tok.pos_ in _VERB_POS and tok.dep_ not in _AUX_DEPS


def clause_tense(trigger: Token) -> str:
    """The tense of the finite clause that holds ``trigger`` (one of :data:`TENSES`).

    A noun or a non-finite verb ("the attack", "offered to mediate", "stepped in, offering
    help") takes the tense of the nearest finite verb above it: "has offered to mediate" is
    present-perfect, "had met" past-perfect, "will meet" future, "could meet" modal.
    """
    tok = trigger
    first_participle: Token | None = None
    for _ in range(64):
        if _is_verb(tok):
            auxes = [c for c in tok.children if c.dep_ in _AUX_DEPS]
            words = [a.lower_ for a in auxes]
            tags = [a.tag_ for a in auxes]
            if "will" in words or "shall" in words or "'ll" in words:
                return "future"
            if any(w in _MODALS for w in words) or any(t == "MD" for t in tags):
                return "modal"
            if any(a.lemma_ == "have" for a in auxes):
                first = next(a for a in auxes if a.lemma_ == "have")
                if first.tag_ != "VBD":
                    return "present-perfect"
                # reported speech shifts the past back: "told reporters that Islamabad had decided"
                said = tok.head
                backshift = tok.dep_ == "ccomp" and said is not tok and said.tag_ == "VBD" and not any(
                    c.dep_ in _AUX_DEPS and c.lemma_ == "have" for c in said.children)
                return "past" if backshift else "past-perfect"
            if tok.tag_ == "VBD" or "VBD" in tags:
                return "past"
            if tok.tag_ in ("VBZ", "VBP") or "VBZ" in tags or "VBP" in tags:
                return "present"
            if first_participle is None and tok.tag_ == "VBN" and not auxes:
                first_participle = tok
        if tok.head is tok:
            break
        tok = tok.head
    # no finite verb: a bare past participle is a finite past the parser missed ("Munir,
    # embarked on a visit" read as a reduced relative)
    return "past" if first_participle is not None else "none"


def _verbs_above(trigger: Token) -> list[Token]:
    """The verbs above the trigger (not the trigger itself), nearest first."""
    out: list[Token] = []
    tok = trigger
    for _ in range(64):
        if tok.head is tok:
            break
        tok = tok.head
        if _is_verb(tok):
            out.append(tok)
    return out


def parse_attachment(sent: Span, trigger: Token) -> Attachment:
    """An :data:`Attachment` for ``date_for_event`` built from the dependency parse of ``sent``.

    A stretch of the sentence is attached where the chain of heads from its root first meets the
    trigger or a verb: the trigger itself, or the verb of a noun trigger ("arrived ... for his
    visit"), gives 2; another verb whose clause holds the trigger ("announced on Jan. 5 that it
    will abide") 1; any other verb -1 ("since taking command in November").
    """
    above = _verbs_above(trigger)
    own = {trigger.i} | ({above[0].i} if above and not _is_verb(trigger) else set())
    higher = {t.i for t in above} - own
    offset = sent.start_char

    def attachment(start: int, end: int) -> int:
        toks = [t for t in sent if start <= t.idx - offset < end]
        if not toks:
            return 0
        inside = {t.i for t in toks}
        tok = next((t for t in toks if t.head.i not in inside), toks[0])
        for _ in range(64):
            if tok.head is tok:
                return 0
            tok = tok.head
            if tok.i in own:
                return 2
            if _is_verb(tok):
                return 1 if tok.i in higher else -1
        return 0

    return attachment


@dataclass(frozen=True)
class DatedEvent:
    """What :func:`coreferent_date` needs of an earlier event: type, participant codes, date."""

    event: str
    actors: frozenset[str | None]
    recipients: frozenset[str | None]
    date: DateValue | None


def coreferent_date(event: str, actors: Iterable[str | None], recipients: Iterable[str | None],
                    earlier: Iterable[DatedEvent], *, rules: DateRules | None = None) -> DateValue | None:
    """The date of the latest earlier mention of the same event, dated by its own sentence.

    The same event is the same type, actors and recipients; for the types of ``dates.yaml``'s
    ``context.coreference_by_actor`` ("the strike", "the operation") the same type and actors.
    """
    lex = (rules or default_date_rules()).lexicon
    acts, recs = frozenset(actors), frozenset(recipients)
    loose = event.upper() in lex.coreference_by_actor
    for e in reversed(list(earlier)):
        if e.date is None or e.date.how in CONTEXT_HOWS or e.event != event or e.actors != acts:
            continue
        if loose or e.recipients == recs:
            return e.date
    return None


def context_date(tense: str, sentence_text: str, base: DateValue | None, *,
                 previous: DateValue | None = None, coreferent: DateValue | None = None,
                 rules: DateRules | None = None) -> DateValue | None:
    """The date of an event whose sentence has no date of its own, from its context, or None.

    In order (the tenses are those of ``dates.yaml``'s ``context`` section):

    * a sentence with a background marker ("historically", "for years") gets nothing, nor one in
      a tense that is neither a reporting nor a narrative tense;
    * a sentence referring back to the event just told ("during the meeting": ``context.
      back_reference``) takes ``previous`` whatever its precision and age, ``how="context"``;
    * ``coreferent``: the single day of an earlier event of the same type between the same
      parties, dated by its own sentence (the strike mentioned again), ``how="coreference"``;
    * narrative tenses (the simple past): ``previous``, the event just before, when that is a
      single day within ``day_window_days`` before the base; with ``reporting_precision: month``,
      its month when within ``window_days``, ``how="context"``;
    * reporting tenses (the simple past, the present perfect: "has offered to mediate", the future
      and modals of an announced intention): the base's day (``reporting_precision: day``; the
      previous single day instead when within ``reporting_story_days`` before it), else its month
      (a base inferred from the text's latest date gives its month: that day is a guess), its
      year when the base has year precision, ``how="reporting-time"``;
    * anything else (past perfect, no finite verb, no base): None.
    """
    lex = (rules or default_date_rules()).lexicon
    low = " ".join(sentence_text.lower().split())
    if any(re.search(rf"\b{re.escape(m)}\b", low) for m in lex.background_markers):
        return None
    if tense not in lex.reporting_tenses and tense not in lex.narrative_tenses:
        return None
    if previous is not None and (rules or default_date_rules()).back_reference.search(sentence_text):
        return DateValue(previous.value, previous.precision, previous.end, how="context")
    if coreferent is not None and coreferent.precision == "day" and not coreferent.end:
        return DateValue(coreferent.value, "day", how="coreference")
    if base is None:
        return None
    if tense in lex.narrative_tenses and previous is not None and previous.precision == "day" \
            and not previous.end and base.precision == "day":
        gap = (base.start_date - previous.start_date).days
        if 0 <= gap <= lex.day_window_days:
            # the story's own day: a reaction told right after the event, days before the report
            return DateValue(previous.value, "day", how="context")
        if 0 <= gap <= lex.window_days and lex.reporting_precision != "day":
            # the story's month, not its day: an older day in a neighbouring sentence is a guess
            return DateValue(previous.value[:7], "month", how="context")
    if tense in lex.reporting_tenses:
        if base.precision == "year":
            return DateValue(base.value[:4], "year", how="reporting-time")
        if base.precision == "day" and lex.reporting_precision == "day" and base.how != "inferred":
            if previous is not None and previous.precision == "day" and not previous.end \
                    and 0 <= (base.start_date - previous.start_date).days <= lex.reporting_story_days:
                # the story's day: "Iraq condemned the strike" told right after "on Monday, ..."
                return DateValue(previous.value, "day", how="reporting-time")
            # news convention: an undated statement in a report is of the report's day
            return DateValue(base.value, "day", how="reporting-time")
        return DateValue(base.value[:7], "month", how="reporting-time")
    return None
