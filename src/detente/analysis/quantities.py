"""Numbers in text: the claim rules of ``data/analysis/claims.yaml`` (number words, units,
topics) and the quantities they find ("around 900 kilometres", "nine", "12%").
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from detente.datafiles import load_yaml
from detente.errors import DataFileError
from detente.link import DATA_DIR

CLAIMS_FILE = DATA_DIR / "claims.yaml"


@dataclass(frozen=True)
class Topic:
    name: str
    kind: str  # length | count | percent
    keywords: re.Pattern[str]
    subject: str  # countries | event | phrase
    share_verbs: re.Pattern[str] | None


@dataclass(frozen=True)
class ClaimRules:
    """The validated contents of ``data/analysis/claims.yaml``."""

    numbers: dict[str, int]
    multipliers: dict[str, int]
    approximate: tuple[str, ...]
    lower_bound: tuple[str, ...]
    upper_bound: tuple[str, ...]
    tolerance_exact: float
    tolerance_approx: float
    units: dict[str, float]  # surface form -> factor to the base unit (km)
    percent_forms: tuple[str, ...]
    not_counts: frozenset[str]
    topics: tuple[Topic, ...]
    distance_words: tuple[str, ...] = ()

    @functools.cached_property
    def quantity_re(self) -> re.Pattern[str]:
        return _quantity_pattern(self)

    @functools.cached_property
    def distance_re(self) -> re.Pattern[str] | None:
        """Words right after a length that make it a distance ("40 km from the border")."""
        if not self.distance_words:
            return None
        return re.compile(r"\s*(?:" + _alts(self.distance_words) + r")(?!\w)", re.IGNORECASE)


def _alts(words: Sequence[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def _str_list(path: Path, raw: dict[str, Any], key: str) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataFileError(path, f"'{key}' must be a list of non-empty strings")
    return [v.strip().lower() for v in value]


@functools.lru_cache(maxsize=8)
def load_claim_rules(path: Path = CLAIMS_FILE) -> ClaimRules:
    """Read and validate the claim rules (number words, units, topics)."""
    raw = load_yaml(Path(path))
    if not isinstance(raw, dict):
        raise DataFileError(path, "expected a mapping")
    numbers, multipliers = raw.get("numbers"), raw.get("multipliers")
    for key, table in (("numbers", numbers), ("multipliers", multipliers)):
        if not isinstance(table, dict) or not all(
                isinstance(k, str) and isinstance(v, int) and v >= 0 for k, v in table.items()):
            raise DataFileError(path, f"'{key}' must map words to whole numbers")
    assert isinstance(numbers, dict) and isinstance(multipliers, dict)
    tol = raw.get("tolerance") or {}
    try:
        t_exact, t_approx = float(tol["exact"]), float(tol["approximate"])
    except (KeyError, TypeError, ValueError):
        raise DataFileError(path, "'tolerance' needs numeric 'exact' and 'approximate'") from None
    if not (0 <= t_exact < 1 and 0 <= t_approx < 1):
        raise DataFileError(path, "tolerances are fractions between 0 and 1")
    units: dict[str, float] = {}
    for name, spec in (raw.get("units") or {}).items():
        if not isinstance(spec, dict) or not isinstance(spec.get("forms"), list):
            raise DataFileError(path, f"unit {name}: needs 'factor' and a 'forms' list")
        try:
            factor = float(spec["factor"])
        except (KeyError, TypeError, ValueError):
            raise DataFileError(path, f"unit {name}: 'factor' must be a number") from None
        for form in spec["forms"]:
            units[str(form).lower()] = factor
    topics = []
    for name, spec in (raw.get("topics") or {}).items():
        if not isinstance(spec, dict) or spec.get("kind") not in ("length", "count", "percent"):
            raise DataFileError(path, f"topic {name}: 'kind' must be length, count or percent")
        if spec.get("subject") not in ("countries", "event", "phrase"):
            raise DataFileError(path, f"topic {name}: 'subject' must be countries, event or phrase")
        words = _str_list(path, spec, "keywords")
        if not words:
            raise DataFileError(path, f"topic {name}: needs keywords")
        try:
            keywords = re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", re.IGNORECASE)
        except re.error as exc:
            raise DataFileError(path, f"topic {name}: bad keyword pattern: {exc}") from None
        verbs = _str_list(path, spec, "share_verbs")
        topics.append(Topic(str(name), spec["kind"], keywords, spec["subject"],
                            re.compile(r"(?<!\w)(?:" + _alts(verbs) + r")(?!\w)", re.IGNORECASE)
                            if verbs else None))
    return ClaimRules(
        numbers={k.lower(): v for k, v in numbers.items()},
        multipliers={k.lower(): v for k, v in multipliers.items()},
        approximate=tuple(_str_list(path, raw, "approximate")),
        lower_bound=tuple(_str_list(path, raw, "lower_bound")),
        upper_bound=tuple(_str_list(path, raw, "upper_bound")),
        tolerance_exact=t_exact, tolerance_approx=t_approx, units=units,
        percent_forms=tuple(_str_list(path, raw, "percent_forms")),
        not_counts=frozenset(_str_list(path, raw, "not_counts")), topics=tuple(topics),
        distance_words=tuple(_str_list(path, raw, "distance_words")))


def _quantity_pattern(rules: ClaimRules) -> re.Pattern[str]:
    words = [w for w in rules.numbers if w not in ("a", "an")]
    word = "(?:" + _alts(words + list(rules.multipliers)) + ")"
    wordnum = (r"(?:(?:an?)[\s-]+(?=" + _alts(list(rules.multipliers)) + r"))?" + word
               + r"(?:(?:[\s-]+|\s+and\s+)" + word + r")*")
    digits = (r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
    dignum = "(?:" + digits + r")(?:\s+(?:" + _alts(list(rules.multipliers)) + "))?"
    num = "(?:" + dignum + "|" + wordnum + ")"
    prefix = _alts([*rules.approximate, *rules.lower_bound, *rules.upper_bound])
    unit = _alts([*rules.units, *rules.percent_forms])
    return re.compile(
        r"(?<![\w.,])(?:(?P<prefix>" + prefix + r")\s+)?(?:(?P<between>between|from)\s+)?"
        r"(?P<n1>" + num + r")(?![\w])"
        r"(?:(?(between)\s*(?:-|–|—|to|and)\s*|\s*(?:-|–|—|to)\s*)(?P<n2>" + num + r")(?![\w]))?"
        r"(?:\s*-?\s*(?P<unit>" + unit + r")(?![\w]))?",
        re.IGNORECASE)


def _word_value(text: str, rules: ClaimRules) -> float | None:
    text = text.lower().replace(",", "")
    try:
        return float(text)
    except ValueError:
        pass
    parts = text.split()
    if len(parts) == 2 and parts[1] in rules.multipliers:
        try:
            return float(parts[0]) * rules.multipliers[parts[1]]
        except ValueError:
            pass
    total, current, seen = 0.0, 0.0, False
    for tok in re.split(r"[\s-]+", text):
        if tok == "and" or not tok:
            continue
        if tok in rules.multipliers:
            current = (current or 1.0) * rules.multipliers[tok]
            if rules.multipliers[tok] >= 1000:
                total, current = total + current, 0.0
            seen = True
        elif tok in rules.numbers:
            current += rules.numbers[tok]
            seen = True
        else:
            return None
    return total + current if seen else None


@dataclass(frozen=True)
class Quantity:
    """A number found in text: ``low``..``high`` in ``unit`` (km for lengths, % for shares)."""

    text: str
    start: int
    end: int
    low: float
    high: float
    approx: bool
    unit: str | None  # "km", "%" or None for a bare count

    @property
    def value(self) -> float:
        if math.isinf(self.high):
            return self.low
        return (self.low + self.high) / 2


def find_quantities(text: str, rules: ClaimRules | None = None) -> list[Quantity]:
    """Every number in ``text`` with its range, approximation and unit (lengths in km)."""
    rules = rules or load_claim_rules()
    out = []
    for m in rules.quantity_re.finditer(text):
        n1 = _word_value(m.group("n1"), rules)
        n2 = _word_value(m.group("n2"), rules) if m.group("n2") else None
        if n1 is None:
            continue
        low, high = (n1, n2) if n2 is not None and n2 >= n1 else (n1, n1)
        if n2 is not None and n2 < n1:  # "2015-16", "1,200-300": not a range we can read
            low = high = n1
        prefix = (m.group("prefix") or "").lower()
        approx = prefix in rules.approximate
        if prefix in rules.lower_bound:
            high = math.inf
        elif prefix in rules.upper_bound:
            low = 0.0
        unit_word = (m.group("unit") or "").lower()
        unit: str | None = None
        if unit_word in rules.units:
            factor = rules.units[unit_word]
            low, high = low * factor, high * factor
            unit = "km"
        elif unit_word in rules.percent_forms:
            unit = "%"
        out.append(Quantity(m.group(0), m.start(), m.end(), low, high, approx, unit))
    return out


def parse_quantity(text: str, rules: ClaimRules | None = None) -> Quantity | None:
    """The quantity a short phrase states ("909-kilometer", "around 900 kilometres", "nine")."""
    found = find_quantities(text.strip(), rules)
    return found[0] if found else None


def parse_number(text: str, rules: ClaimRules | None = None) -> float | None:
    """The number a short phrase states, in its base unit (km for lengths); None if there is none."""
    q = parse_quantity(text, rules)
    return q.value if q else None
