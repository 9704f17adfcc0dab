"""Date resolution: the date expressions of a news sentence as :class:`~detente.model.DateValue`
records, and the date of each event.

Everything is resolved against a *base* date, the article's own date
(:func:`article_reference_date`); nothing ever defaults to the base date itself. The words are
those of ``detente/data/dates.yaml``. The package, one concept a module:

* :mod:`~detente.dates.lexicon`: reading and validating ``dates.yaml`` (:class:`DateLexicon`);
* :mod:`~detente.dates.parse`: the small parsers every reader of dates shares (``YYYY[-MM[-DD]]``,
  a day that may not exist, the month names, the one call of ``dateparser``);
* :mod:`~detente.dates.rules`: the regular expressions compiled from it (:class:`DateRules`);
* :mod:`~detente.dates.resolvers`: one resolver per kind of expression, and the calendar
  arithmetic they share;
* :mod:`~detente.dates.expressions`: finding and resolving a text's expressions
  (:func:`find_dates`, :func:`parse_date_expression`; the choices made are in its docstring);
* :mod:`~detente.dates.event_dating`: an event's date from its own sentence
  (:func:`date_for_event`), the pipeline's first step;
* :mod:`~detente.dates.context`: an undated sentence's event dated from its context
  (:func:`context_date`), the second step;
* :mod:`~detente.dates.syntax`: what the dependency parse tells them (:func:`clause_tense`,
  :func:`parse_attachment`).
"""

from __future__ import annotations

from detente.dates.context import CONTEXT_HOWS, DatedEvent, context_date, coreferent_date
from detente.dates.event_dating import date_for_event, open_quote_day, paragraph_before, previous_date
from detente.dates.expressions import article_reference_date, find_dates, parse_date_expression
from detente.dates.lexicon import DateLexicon, load_date_lexicon
from detente.dates.rules import DateRules, default_date_rules, load_date_rules
from detente.dates.syntax import TENSES, Attachment, clause_tense, parse_attachment

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
