"""The mediation wording (``data/analysis/mediation.yaml``) as compiled rules: the kinds of
mediation, the placeholders a cue may use ({M}, {A}, {B}, {P}, {V}, {X}, {gap}) and
:func:`load_mediation_rules`; :mod:`detente.link.mediation` reads sentences with them."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from detente.datafiles import load_data_file
from detente.errors import DataFileError

MEDIATION_FILE = Path(__file__).parent.parent / "data" / "analysis" / "mediation.yaml"
KINDS = ("offer", "hosted", "brokered", "facilitated", "shuttle", "engagement")
# when one document tells one mediator and pair in several ways, the strongest kind names it
KIND_RANK = {"brokered": 0, "shuttle": 1, "facilitated": 2, "hosted": 3, "offer": 4,
             "engagement": 5}
_CUE_KINDS = (*KINDS, "mediated")
# kinds whose wording does not by itself make the speaker a third party ("held calls with
# Iranians to broker peace"): a mediator in conflict with a side needs both sides named
WEAK_KINDS = frozenset({"engagement", "offer"})
STRONG_KINDS = frozenset({"brokered", "facilitated", "hosted", "shuttle"})
_PLACEHOLDERS = {"M", "P", "A", "B", "V", "X", "gap"}

_ACT = r"\u27e6a\d+\u27e7"
_ANY = r"\u27e6[ap]\d+\u27e7"
_LIST = (rf"(?:the\s+)?{_ACT}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*|\s*/\s*)"
         rf"(?:the\s+)?{_ACT})*")
_MODIFIER = (r"\s*-\s*(?:aligned|backed|allied|funded|supported|sponsored|armed|linked|"
             r"affiliated|inspired)\b")
_TOKEN = re.compile(r"\u27e6([ap])(\d+)\u27e7")
# a mediator may carry a title in capitals before it ("Malaysian Prime Minister Anwar Ibrahim",
# "UN Secretary-General Guterres", "the Emir of Qatar")
_TITLE = r"(?:(?-i:[A-Z][\w.'\u2019-]*)\s+(?:of\s+)?){0,4}?"
_MLIST = (rf"(?:the\s+)?{_TITLE}{_ANY}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*|\s*/\s*)"
          rf"(?:the\s+)?{_TITLE}{_ANY})*")
_FILL = {
    "M": rf"(?P<M>{_MLIST})", "X": rf"(?P<X>{_LIST})",
    "A": rf"(?:the\s+)?(?P<A>{_ACT})", "B": rf"(?:the\s+)?(?P<B>{_ACT})",
    "P": rf"(?:the\s+)?(?P<P>{_ANY})", "V": rf"(?:the\s+)?(?P<V>{_ANY})",
    "gap": r"(?:[^.;:!?\u27e6\u27e7]{0,70}?)",
}


@dataclass(frozen=True)
class Cue:
    kind: str  # one of _CUE_KINDS
    pattern: re.Pattern[str]
    source: str


@dataclass(frozen=True)
class MediationRules:
    """The validated contents of ``mediation.yaml``."""

    cues: tuple[Cue, ...]
    announcements: tuple[Cue, ...]
    venue_cues: tuple[Cue, ...]
    agreement: re.Pattern[str]
    talks: re.Pattern[str]
    both_sides: re.Pattern[str]
    unreal_talks: re.Pattern[str] | None = None
    # talks named as already known ("co-organised the meeting"): their parties are the story's
    the_talks: re.Pattern[str] | None = None
    pressure_types: frozenset[str] = frozenset()
    belligerent_types: frozenset[str] = frozenset()
    belligerent_days: int = 0
    # wording with an agreement word that concludes nothing ("agreed to meet again", "accepted a
    # ceasefire proposal"): no deal told
    not_agreements: re.Pattern[str] | None = None
    version: int = 1

    def tells_agreement(self, text: str) -> bool:
        """Does ``text`` tell an agreement concluded (an agreement word outside the wording of
        ``not_agreements``)?"""
        spans = [(x.start(), x.end()) for x in self.not_agreements.finditer(text)] \
            if self.not_agreements else []
        return any(not any(s <= x.start() < e for s, e in spans)
                   for x in self.agreement.finditer(text))


def _words(words: Iterable[str]) -> re.Pattern[str]:
    alts = sorted((re.escape(w.lower()).replace(r"\ ", r"\s+") for w in words), key=len,
                  reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)


def _compile(path: Path, kind: str, source: str, where: str) -> Cue:
    names = set(re.findall(r"\{(\w+)\}", source))
    unknown = names - _PLACEHOLDERS
    if unknown:
        raise DataFileError(path, f"{where}: unknown placeholder(s) {', '.join(sorted(unknown))}; "
                                  f"use {', '.join(sorted(_PLACEHOLDERS))}")
    for name in names - {"gap"}:
        if source.count("{" + name + "}") > 1:
            raise DataFileError(path, f"{where}: {{{name}}} may appear once in a cue")
    text = source
    for name in names:
        text = text.replace("{" + name + "}", _FILL[name])
    try:
        return Cue(kind, re.compile(text, re.IGNORECASE), source)
    except re.error as exc:
        raise DataFileError(path, f"{where}: not a valid regular expression ({exc}): {source}") \
            from exc


def _str_list(path: Path, raw: Mapping[str, Any], key: str) -> list[str]:
    value = raw.get(key)
    if not isinstance(value, list) or not value or not all(
            isinstance(v, str) and v.strip() for v in value):
        raise DataFileError(path, f"'{key}' must be a non-empty list of strings")
    return [v.strip() for v in value]


def _days(path: Path, raw: Mapping[str, Any], key: str) -> int:
    value = raw.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DataFileError(path, f"'{key}' must be a whole number of days, 0 or more, not {value!r}")
    return value


@functools.lru_cache(maxsize=8)
def load_mediation_rules(path: Path = MEDIATION_FILE) -> MediationRules:
    """Read and validate the mediation wording (``data/analysis/mediation.yaml``)."""
    raw = load_data_file(Path(path))
    cues_raw = raw.get("cues")
    kinds = [k for k in cues_raw if k != "__line__"] if isinstance(cues_raw, dict) else []
    if not isinstance(cues_raw, dict) or not kinds:
        raise DataFileError(path, "'cues' must map kinds to lists of patterns")
    cues: list[Cue] = []
    for kind in kinds:
        if kind not in _CUE_KINDS:
            raise DataFileError(path, f"cues: unknown kind {kind!r}; use {', '.join(_CUE_KINDS)}")
        for i, p in enumerate(_str_list(path, cues_raw, kind)):
            if "{M}" not in p:
                raise DataFileError(path, f"cues.{kind}[{i}]: a cue must place the mediator {{M}}")
            cues.append(_compile(path, kind, p, f"cues.{kind}[{i}]"))
    announcements = [_compile(path, "brokered", p, f"announcements[{i}]")
                     for i, p in enumerate(_str_list(path, raw, "announcements"))]
    venues = []
    for i, p in enumerate(_str_list(path, raw, "venue_cues")):
        if "{V}" not in p:
            raise DataFileError(path, f"venue_cues[{i}]: a venue cue must place the venue {{V}}")
        venues.append(_compile(path, "hosted", p, f"venue_cues[{i}]"))
    return MediationRules(cues=tuple(cues), announcements=tuple(announcements),
                          venue_cues=tuple(venues),
                          agreement=_words(_str_list(path, raw, "agreement_words")),
                          talks=_words(_str_list(path, raw, "talks_words")),
                          both_sides=_words(_str_list(path, raw, "both_sides")),
                          unreal_talks=_words(_str_list(path, raw, "unreal_talks")),
                          the_talks=(_words(_str_list(path, raw, "the_talks"))
                                     if "the_talks" in raw else None),
                          pressure_types=frozenset(t.upper() for t in
                                                   _str_list(path, raw, "pressure_types")),
                          belligerent_types=frozenset(
                              t.upper() for t in (_str_list(path, raw, "belligerent_types")
                                                  if "belligerent_types" in raw else [])),
                          belligerent_days=_days(path, raw, "belligerent_days"),
                          not_agreements=(_words(_str_list(path, raw, "not_agreements"))
                                          if "not_agreements" in raw else None),
                          version=1)


