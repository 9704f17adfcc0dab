"""The events stage: lexicon (data/lexicon/*.yaml), extraction over the parse, modality, coding."""

from detente.events.code import Coder, load_table
from detente.events.extract import EventExtractor
from detente.events.lexicon import Cues, Lexicon, Trigger
from detente.events.modality import Modality, modality_of

__all__ = ["Coder", "Cues", "EventExtractor", "Lexicon", "Modality", "Trigger", "load_table", "modality_of"]
