"""The events stage: lexicon (data/lexicon/*.yaml), extraction over the parse, modality, coding.

The names below are imported on first use (PEP 562): ``detente.model`` reads its sectors from
``detente.events.ontology``, which must not pull in extraction (and with it ``detente.model``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from detente.events.code import Coder, load_table
    from detente.events.extract import EventExtractor
    from detente.events.lexicon import Cues, Lexicon, Trigger
    from detente.events.modality import Modality, modality_of

_HOME = {"Coder": "code", "load_table": "code", "EventExtractor": "extract", "Cues": "lexicon",
         "Lexicon": "lexicon", "Trigger": "lexicon", "Modality": "modality", "modality_of": "modality"}

__all__ = ["Coder", "Cues", "EventExtractor", "Lexicon", "Modality", "Trigger", "load_table", "modality_of"]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
