"""Score a store (or a fresh ingest) against gold annotations: ``detente evaluate GOLD``.

The gold format and its matching rules are ``docs/gold-format.md`` (``detente-gold/1``); this
module implements them. In short, per document:

* documents match on the file name (``Path(documents.path).name``) and, for record files, the
  ``record_id``; gold documents absent from the store are listed and their events are misses;
  stored documents absent from the gold are not scored;
* a gold ``sentence`` is located in the article text (NFKC, curly quotes folded, whitespace
  collapsed; case-sensitive, then case-insensitive as a fallback) and an extracted event aligns
  when its sentence span overlaps that span (when the quote cannot be found, the fallback is the
  quote being a substring of the event's sentence);
* extracted events of one sentence with the same type and actor set are merged first (their
  recipients united); events aligned to an ``ignore`` sentence are dropped;
* candidates are aligned pairs whose type is the gold ``type`` or an ``alt_type``; pairs are taken
  greedily, best partial credit first (ties: gold order, then the event's position), which is
  close to the summed-credit optimum the format asks for and deterministic;
* required gold events are matched first; an extraction left over that matches or merely aligns
  with an ``optional`` gold event counts neither way (nor does the optional event);
* negated and hypothetical extractions are left out (the store's default) unless
  ``include_flagged``; negative violations (see the format) are reported and count as FPs.

Partial credit follows the format (type 1 / 0.5 for an alt type; Jaccard of code sets, the
better of straight and swapped for ``symmetric``, ``alt_recipient`` allowed; date 1 inside the
gold value or range at the same or finer precision, 0.5 compatible but coarser; place 1 on the
name, or on the country when the gold place is that country). Each component is reported both as
mean credit and as an exact accuracy: type (the primary type), actor and recipient (set
equality), date strict (full credit) and lenient (any compatibility), place (full credit).
Sectors are not scored (the format annotates them only sparsely).

Decisions where the format leaves room:

* P/R/F1 count required gold events and their matches only; matched optional events are
  reported apart (``optional_matched``) and field scores cover required pairs only.
* The confusion table pairs, after the type-matched assignment, the leftover gold events and
  extractions of the same sentence regardless of type (gold type x extracted type); what stays
  unpaired goes to the ``none`` column (misses) or row (false positives).
* Aliases: each form is located in its document's text and given the actor id of the mention
  overlapping it most (non-place mentions first); a form's id is its most frequent one.
  ``alias_recall`` is the share of forms (over all groups) mapped to their group's dominant id;
  ``groups_resolved`` the share of groups entirely on one id whose mentions code as ``code``
  (and ``sector``). A must-not-merge pair is a false merge when both forms map to one id.
* Triads come from :func:`detente.link.compute_triads` (``find_triads`` without writing) over
  the whole store and are compared, pooled over the gold documents, as (mediator, {A, B}) and as
  (mediator, {A, B}, kind).

One module per concept: :mod:`~detente.evaluate.gold` (reading the gold file),
:mod:`~detente.evaluate.text` (normalising and locating quotes), :mod:`~detente.evaluate.extracted`
(the store's events as the evaluator sees them), :mod:`~detente.evaluate.credit` (partial
credit), :mod:`~detente.evaluate.matching` (matching and event scores),
:mod:`~detente.evaluate.actors` (alias groups), :mod:`~detente.evaluate.triads`,
:mod:`~detente.evaluate.measures` (P/R/F1, Jaccard) and :mod:`~detente.evaluate.report` (the
report, :func:`evaluate` and its text form); :mod:`~detente.evaluate.linking` scores the
cross-document stages.
"""

from __future__ import annotations

from detente.evaluate.actors import _M, form_identity, score_aliases
from detente.evaluate.credit import credits, date_credit, mean_credit, party_credit, place_credit
from detente.evaluate.extracted import PredEvent, document_keys, merge_events, predicted_events
from detente.evaluate.gold import (
    FORMAT,
    AliasGroup,
    Gold,
    GoldDocument,
    GoldEvent,
    GoldTriad,
    Negative,
    doc_key,
    load_gold,
)
from detente.evaluate.matching import FIELDS, NONE, Aligner, Pair, greedy_match, score_events
from detente.evaluate.measures import jaccard, prf
from detente.evaluate.report import EvalReport, evaluate, evaluate_store, format_text
from detente.evaluate.text import DocText, normalise
from detente.evaluate.triads import score_triads, triad_scores

__all__ = [
    "FIELDS",
    "FORMAT",
    "NONE",
    "_M",
    "AliasGroup",
    "Aligner",
    "DocText",
    "EvalReport",
    "Gold",
    "GoldDocument",
    "GoldEvent",
    "GoldTriad",
    "Negative",
    "Pair",
    "PredEvent",
    "credits",
    "date_credit",
    "doc_key",
    "document_keys",
    "evaluate",
    "evaluate_store",
    "form_identity",
    "format_text",
    "greedy_match",
    "jaccard",
    "load_gold",
    "mean_credit",
    "merge_events",
    "normalise",
    "party_credit",
    "place_credit",
    "predicted_events",
    "prf",
    "score_aliases",
    "score_events",
    "score_triads",
    "triad_scores",
]
