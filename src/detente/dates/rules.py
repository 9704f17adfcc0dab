"""The regular expressions compiled from a :class:`~detente.dates.lexicon.DateLexicon`, one rule per
kind of date expression (:class:`DateRules`), and the bundled rules loaded once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from detente.dates.lexicon import DateLexicon, default_date_lexicon, load_date_lexicon


def _alt(words: Iterable[str]) -> str:
    """A regex alternation, longest first, with flexible whitespace inside phrases."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in ordered)


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
    return _compile(default_date_lexicon())


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
        ("anchored_day", r"\bthe\s+(?:(?P<w>next|following|previous)\s+(?:day|night|evening)"
                         r"|(?:day|night|evening)\s+(?P<w2>before|after))\b", True),
        # "at the weekend", "last weekend": the Saturday and Sunday before the base
        ("weekend", r"\b(?:(?:at|over|during)\s+the|last|this\s+past|the\s+past)\s+weekend\b", False),
        # "over the past 48 hours", "in the last three days": from that many days before the base to it
        ("past_span", rf"\b(?:over|in|during|within|for)\s+the\s+(?:past|last|previous)\s+"
                      rf"(?P<n>\d{{1,3}}|{numbers})\s+(?P<unit>hour|day)s\b", False),
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
