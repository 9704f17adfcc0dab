"""Dating an event whose sentence has no date of its own, the pipeline's second step (the first is
:mod:`detente.dates.event_dating`):

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
     previous event is of the report's day), or within ``narrative_type_days`` (1) for a physical
     action (``narrative_types``; only when the caller passes the event's type); with
     ``reporting_precision: month`` it takes the month of a previous day within ``window_days`` (31);
   * ``how="reporting-time"``: the simple past, the present, the present perfect, the future and
     modals ("condemned the attack", "has offered to mediate", "is ready to", "said it would
     reopen") report what was said or done at the time of writing: by news convention the
     report's day (``reporting_precision: day``; its month with ``month``, or when the base was
     only inferred from the text's latest date);
   * ``how="context"``, background: the tenses of ``context.month_tenses`` (the past perfect: "had
     warned the organisers", before the story at a time the text does not give) take the
     report's month;
   * non-finite clauses, and every event of an undated article (no base) get ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from detente.dates.rules import DateRules, default_date_rules
from detente.model import DateValue

# the ``how`` of dates taken from an event's context rather than its own sentence
CONTEXT_HOWS: frozenset[str] = frozenset({"context", "coreference", "reporting-time"})


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
                 rules: DateRules | None = None, event: str | None = None) -> DateValue | None:
    """The date of an event whose sentence has no date of its own, from its context, or None.

    In order (the tenses are those of ``dates.yaml``'s ``context`` section):

    * a sentence with a background marker ("historically", "for years") gets nothing, nor one in
      a tense that is neither a reporting nor a narrative tense;
    * a sentence referring back to the event just told ("during the meeting": ``context.
      back_reference``) takes ``previous`` whatever its precision and age, ``how="context"``;
    * ``coreferent``: the single day of an earlier event of the same type between the same
      parties, dated by its own sentence (the strike mentioned again), ``how="coreference"``;
    * narrative tenses (the simple past): ``previous``, the event just before, when that is a
      single day within ``day_window_days`` before the base, or, for an ``event`` of a type of
      ``context.narrative_types`` (physical actions: "the gunmen fired at the officers" told after
      "police raided a compound on Sunday"), within ``narrative_type_days``; with
      ``reporting_precision: month``, its month when within ``window_days``, ``how="context"``;
    * reporting tenses (the simple past, the present perfect: "has offered to mediate", the future
      and modals of an announced intention): the base's day (``reporting_precision: day``; the
      previous single day instead when within ``reporting_story_days`` before it), else its month
      (a base inferred from the text's latest date gives its month: that day is a guess), its
      year when the base has year precision, ``how="reporting-time"``;
    * ``context.month_tenses`` (the past perfect): ``coreferent``'s day, else the base's month
      (its year for a year base), ``how="context"``, after the background-marker check;
    * anything else (no finite verb, no base): None.
    """
    lex = (rules or default_date_rules()).lexicon
    low = " ".join(sentence_text.lower().split())
    if any(re.search(rf"\b{re.escape(m)}\b", low) for m in lex.background_markers):
        return None
    if tense in lex.month_tenses:
        # "had warned the organisers": before the story, at a time the text does not say; the
        # strike mentioned again keeps its day
        if coreferent is not None and coreferent.precision == "day" and not coreferent.end:
            return DateValue(coreferent.value, "day", how="coreference")
        if base is None:
            return None
        return DateValue(base.value[:4] if base.precision == "year" else base.value[:7],
                         "year" if base.precision == "year" else "month", how="context")
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
        physical = event is not None and event.upper() in lex.narrative_types
        if 0 <= gap <= lex.day_window_days or (physical and 0 <= gap <= lex.narrative_type_days):
            # the story's own day: an action told right after the event, days before the report
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
