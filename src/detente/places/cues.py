"""The cue words of ``data/places/cues.yaml`` and what they say about a name in its sentence.

:class:`Cues` holds the file (see it for the meaning of each list); the functions below weigh the
words around a place-like span: a locative or travel word before it ("in", "near", "travelled
to"), "from" against it, a "where" after it, a possessive or an adjective use ("Islamabad's
interest", "the Pakistan-Iran border"), a person's title before it ("President Aoun").
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from detente.datafiles import load_yaml_with_lines
from detente.places.files import Validator

CUES_FILE = "cues.yaml"

_POSSESSIVE_PENALTY = 0.5  # "near Baghdad's airport": the place, a little below a plain one


@dataclass(frozen=True)
class Cues:
    """The cue words of ``cues.yaml`` (see that file for their meaning)."""

    locative: dict[str, float]
    following: dict[str, float]
    possessed_places: frozenset[str]
    origin: dict[str, float]
    destination_word: str
    destination_weight: float
    destination_otherwise: float
    travel_window: int
    travel_verbs: frozenset[str]
    visit_verbs: frozenset[str]
    visit_weight: float
    skip: frozenset[str]
    max_skip: int
    specificity: dict[str, float]
    min_score: float
    require_cue: bool
    generic_words: frozenset[str]
    person_titles: frozenset[str]
    modifier_penalty: float
    missed_name_penalty: float
    # optional: the event types a report's dateline city is the scene of (:func:`dateline_scene`)
    dateline_scene_types: frozenset[str] = frozenset()
    dateline_scene_days: int = -1
    # optional: "from X" after one of these is where the event happened ("the retreat from Kherson")
    departure_verbs: frozenset[str] = frozenset()
    departure_weight: float = 0.0


_OPTIONAL = frozenset({"dateline_scene_types", "dateline_scene_days", "departure_verbs", "departure_weight"})


def parse_cues(path: Path, text: str) -> Cues:
    v = Validator(path, text)
    doc = load_yaml_with_lines(path, text)
    keys = {f.name for f in dataclasses.fields(Cues)} | {"target_verbs"}
    doc = v.mapping(doc, "cue file", 1, keys)
    missing = sorted(keys - _OPTIONAL - set(doc))
    if missing:
        raise v.fail(f"missing {missing[0]!r}", 1)

    def weights(key: str) -> dict[str, float]:
        value = doc[key]
        if not isinstance(value, dict):
            raise v.fail(f"{key!r} must be a mapping of word: weight", v.line_of(doc, key))
        out: dict[str, float] = {}
        for word, weight in value.items():
            if word == "__line__":
                continue
            if not isinstance(word, str) or isinstance(weight, bool) or not isinstance(weight, int | float):
                raise v.fail(f"bad weight {word!r}: {weight!r} in {key!r}", v.line_of(value, str(word)))
            out[word.lower()] = float(weight)
        return out

    def words(key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in v.string_list(doc, key))

    def num(key: str) -> float:
        return v.number(doc, key, -100.0, 100.0)

    return Cues(
        locative=weights("locative"), following=weights("following"),
        possessed_places=words("possessed_places"), origin=weights("origin"),
        destination_word=(v.text(doc, "destination_word", required=True) or "").lower(),
        destination_weight=num("destination_weight"), destination_otherwise=num("destination_otherwise"),
        travel_window=int(num("travel_window")), travel_verbs=words("travel_verbs"),
        visit_verbs=words("visit_verbs") | words("target_verbs"), visit_weight=num("visit_weight"),
        skip=words("skip"),
        max_skip=int(num("max_skip")), specificity=weights("specificity"), min_score=num("min_score"),
        require_cue=_flag(v, doc, "require_cue"), generic_words=words("generic_words"),
        person_titles=words("person_titles"), modifier_penalty=num("modifier_penalty"),
        missed_name_penalty=num("missed_name_penalty"),
        dateline_scene_types=frozenset(w.upper() for w in v.string_list(doc, "dateline_scene_types"))
        if "dateline_scene_types" in doc else frozenset(),
        dateline_scene_days=int(v.number(doc, "dateline_scene_days", -1, 366))
        if "dateline_scene_days" in doc else -1,
        departure_verbs=words("departure_verbs") if "departure_verbs" in doc else frozenset(),
        departure_weight=num("departure_weight") if "departure_weight" in doc else 0.0,
    )


def _flag(v: Validator, doc: dict[str, Any], key: str) -> bool:
    value = doc[key]
    if not isinstance(value, bool):
        raise v.fail(f"{key!r} must be true or false, got {value!r}", v.line_of(doc, key))
    return value


_TOKEN = re.compile(r"[\w\u2019']+|[^\w\s]")


# a capitalised adjective of nationality or region ("the Ukrainian city of", "the Syrian province of")
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:ian|ean|ese|ish|i|an)")


def _last_tokens(text: str, n: int) -> list[str]:
    """The last ``n`` tokens of ``text`` (all of them when it has fewer), tokenising only its
    tail: a window that doubles until it holds more than ``n`` tokens, the first of which may be
    cut and is dropped. The cost is that of the tail, not of the whole text before a place."""
    if n <= 0:
        return []
    size = 64 * (n + 1)
    while True:
        if size >= len(text):
            return _TOKEN.findall(text)[-n:]
        tokens = _TOKEN.findall(text, len(text) - size)
        if len(tokens) > n:
            return tokens[-n:]
        size *= 2


def _cue(text_before: str, cues: Cues) -> float:
    """The weight of the words before a place: locative, travel, origin or nothing."""
    tokens = _last_tokens(text_before, cues.max_skip + cues.travel_window + 2)
    i = len(tokens) - 1
    skipped = 0
    while i >= 0 and skipped <= cues.max_skip:
        token = tokens[i].lower().replace("\u2019", "'")
        if token.endswith("'s") and tokens[i][:1].isupper():
            # "in Papua New Guinea's Enga province": the whole possessive name
            i -= 1
            while i >= 0 and tokens[i][:1].isupper() and tokens[i].lower() not in cues.locative:
                i -= 1
            skipped += 1
            continue
        if token in cues.skip or _DEMONYM.fullmatch(tokens[i]):
            i -= 1
            skipped += 1
            continue
        if token in cues.locative:
            return cues.locative[token]
        if token in cues.origin:
            # "the retreat from Kherson", "withdrew from the town": where the departure happened
            window = {t.lower() for t in tokens[max(0, i - cues.travel_window):i]}
            if window & cues.departure_verbs:
                return cues.departure_weight
            return cues.origin[token]
        if token in cues.visit_verbs:
            return cues.visit_weight
        if token == cues.destination_word:
            window = {t.lower() for t in tokens[max(0, i - cues.travel_window):i]}
            return cues.destination_weight if window & cues.travel_verbs else cues.destination_otherwise
        return 0.0
    return 0.0


def _is_modifier(sentence: str, start: int, end: int) -> bool:
    """A name that qualifies the noun after it: "Islamabad's interest", "the Pakistan-Iran border"."""
    after = sentence[end:end + 2].replace("\u2019", "'")
    return after.startswith(("'s", "-")) or (start > 0 and sentence[start - 1] == "-")


_POSSESSED = re.compile(r"['\u2019]s\s+((?:[\w-]+\s*){1,4})")


def _possesses_place(sentence: str, end: int, cues: Cues) -> bool:
    """ "Baghdad's international airport", "Pakistan's Balochistan": the name owns a place (a
    name, or a place noun among the next few lower-case words)."""
    mt = _POSSESSED.match(sentence, end)
    if mt is None:
        return False
    words = mt.group(1).split()
    if words[0][:1].isupper():
        return True
    for word in words:
        if not word[:1].islower():
            return False
        if word.lower() in cues.possessed_places:
            return True
    return False


_FOLLOWING = re.compile(r"\s*,?\s*(\w+)")


def _following_cue(text_after: str, cues: Cues) -> float:
    """The weight of the word right after a place ("Riyadh, where he met ...")."""
    mt = _FOLLOWING.match(text_after)
    return cues.following.get(mt.group(1).lower(), 0.0) if mt else 0.0


_NEXT_WORD = re.compile(r"\s+([a-z][\w-]*)")


def place_cue(sentence: str, start: int, end: int, cues: Cues) -> float:
    """The cue of a place: the words before it, a following "where"; a name qualifying the noun
    after it counts only as a possessive after a locative word ("near Baghdad's airport"); a name
    used as an adjective before a place noun ("at a U.S. base in Qatar") counts less than a place
    named after it."""
    before = _cue(sentence[:start], cues)
    if _is_modifier(sentence, start, end):
        if before > 0 and _possesses_place(sentence, end, cues):
            return before - _POSSESSIVE_PENALTY
        return 0.0
    nxt = _NEXT_WORD.match(sentence, end)
    if before > 0 and nxt is not None and nxt.group(1) in cues.possessed_places \
            and nxt.group(1) not in cues.generic_words:
        before -= cues.modifier_penalty
    return max(before, _following_cue(sentence[end:], cues))


_TITLE_BEFORE = re.compile(r"([A-Za-z]+)\.?\s+(?:[A-Z][\w'-]*\s+)?$")


def after_title(sentence: str, start: int, cues: Cues) -> bool:
    """ "President Aoun", "Gen. Tripoli Smith": a name after a person's title is a person."""
    mt = _TITLE_BEFORE.search(sentence[max(0, start - 40):start])
    return mt is not None and mt.group(1).lower() in cues.person_titles
