"""Dating an event from its own sentence, the pipeline's first step.

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

The second step, the context, is :mod:`detente.dates.context`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from detente.dates.expressions import find_dates, parse_date_expression
from detente.dates.resolvers import ResolveContext, anchored_unit, count_of, validate
from detente.dates.rules import DateRules, default_date_rules
from detente.dates.syntax import Attachment
from detente.model import DateValue

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
_ATTACHMENT_WEIGHT: Mapping[int, float] = MappingProxyType({2: -6.0, 1: -3.0, -1: 4.0, -2: 4.0})
_FRONTED = re.compile(r"^\s*(?:(?:on|in|during|since|by|until|from|at|as\s+of|early|late)\s+)?(?:the\s+)?$",
                      re.IGNORECASE)


# a date naming another happening: "the October 7 attack", "the May 28 deadline", "Tuesday's meeting"
_ATTRIBUTIVE_BEFORE = re.compile(r"\b(?:the|a|an|its|their|his|her|this|that)\s+$", re.IGNORECASE)
_ATTRIBUTIVE_LEAD = re.compile(r"(?:the|a|an)\s", re.IGNORECASE)
_NOT_A_NOUN = (r"(?:and|or|but|to|in|at|on|of|for|by|with|from|as|when|while|after|before|since|until|"
               r"that|which|who|is|was|were|are|will|would|has|had|have|said|the|a|an|this|last|next|"
               r"morning|afternoon|evening|night|local|time)\b")
# the noun phrase after it: up to four lower-case words, none a function word, the later ones
# perhaps coordinated ("the Sept. 14 drone and missile attacks")
_NP_WORD = rf"(?!{_NOT_A_NOUN})[a-z][\w-]*"
_ATTRIBUTIVE_AFTER = re.compile(rf"\s+{_NP_WORD}(?:(?:\s+(?:and|or))?\s+{_NP_WORD}){{0,3}}")
_POSSESSIVE_AFTER = re.compile(rf"['’]s(?:\s+(?!{_NOT_A_NOUN})[\w.-]*\w){{1,4}}", re.IGNORECASE)


def attributive_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the noun phrase ends that a date at ``(start, end)`` premodifies ("the October 7
    attack", "the May 28 deadline", "Tuesday's U.S.-Russian meeting"), as ``(end, np_end)``;
    None when the date is not attributive. Such a date is the date of that noun's happening."""
    possessive = _POSSESSIVE_AFTER.match(text, end)
    if possessive is not None:
        return end, possessive.end()
    led = _ATTRIBUTIVE_LEAD.match(text, start) is not None
    if not led and not _ATTRIBUTIVE_BEFORE.search(text[max(0, start - 8):start]):
        return None
    after = _ATTRIBUTIVE_AFTER.match(text, end)
    if after is None:
        return None
    return end, after.end()


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
            n = count_of(ResolveContext(rules, base), mt.group("n"))
            sign = 1 if mt.group("dir").lower() == "after" else -1
            value = anchored_unit(ResolveContext(rules, base, named[1]), mt.group("unit").lower(), sign * n)
            return validate(value, ResolveContext(rules, base))
        tail = _CLAUSE_END.search(text, mt.end())
        if not mt.end() <= trigger_start < (tail.start() if tail else len(text)):
            continue
        before = [v for s, e, v in cands if e <= mt.start()]
        ref = before[-1] if before else anchor
        if ref is None:
            return None
        n = count_of(ResolveContext(rules, base), mt.group("n"))
        sign = -1 if mt.group("dir").lower() == "after" else 1
        value = anchored_unit(ResolveContext(rules, base, ref), mt.group("unit").lower(), sign * n)
        return validate(value, ResolveContext(rules, base))
    return None


# a wire dateline opening the sentence: capitalised words and a date, then a dash
_DATELINE_LEAD = re.compile(r"^\s*[A-Z][^\n—–]{0,100}?\d[^\n—–]{0,40}?(?:\s*[—–]|\s-{1,2}\s)\s*")
_CLAUSE_END = re.compile(r"[,;:.](?:\s|$)|\s(?:but|while|when)\s")


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

    # "warned of consequences over the October 7 attack": a date naming another happening is that
    # happening's, not the event's; it is the event's when the trigger is the noun it names
    named_by: dict[int, bool] = {}
    for s, e, _ in cands:
        span = attributive_span(sentence_text, s, e)
        if span is not None:
            named_by[s] = span[0] <= trigger_start < span[1]
    own_named = [c for c in cands if named_by.get(c[0])]
    if own_named:
        return own_named[0][2]
    # a date of a planned happening in another clause ("agreed that the envoys would meet on
    # Tuesday") is the plan's, not the event's
    usable = [c for c in cands if not limit(c[0]) and c[0] not in named_by
              and (attachment is None or attachment(c[0], c[1]) != -2) and (
        not in_other_clause(c[0]) or (attachment is not None and attachment(c[0], c[1]) == 2))]
    if not usable:
        own_clause = [c for c in cands if c[0] not in named_by and not in_other_clause(c[0])
                      and (attachment is None or attachment(c[0], c[1]) != -2)]
        return _since_range(sentence_text, own_clause, base)
    return min(usable, key=lambda c: (score(c), c[0]))[2]


_SINCE = re.compile(r"\b(?:ever\s+)?since\s+(?:the\s+)?(?:(?:end|start|beginning|middle)\s+of\s+)?$",
                    re.IGNORECASE)
_LENGTHS = {"day": 10, "month": 7, "year": 4}


def _since_range(text: str, cands: list[tuple[int, int, DateValue]],
                 base: DateValue | None) -> DateValue | None:
    """ "Police have arrested 1,100 people since June": an event with no date of its own but one
    after "since" in its clause runs from that date to the report's, at that date's precision."""
    if base is None:
        return None
    for start, _, value in cands:
        if not _SINCE.search(text[max(0, start - 40):start]):
            continue
        if _LENGTHS[base.precision] < _LENGTHS[value.precision]:
            return None
        end = base.value[:_LENGTHS[value.precision]]
        if end <= value.value:
            return None
        return DateValue(value.value, value.precision, end, how="range")
    return None


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
