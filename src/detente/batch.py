"""Run the pipeline over many input files into a store: resume, ``--force``, workers, progress.

Reading happens in the calling process; parsing and coding in the pipeline (in this process, or in
``workers`` processes that each load their own models); writing in this process, one transaction
per document, so a crash or a kill leaves no half document and the next run skips what is stored.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detente.errors import (
    BinaryInput,
    DetenteError,
    EmptyInput,
    InputError,
    NoArticle,
    NotEnglish,
    ReaderFailure,
    RecordError,
    ScannedPDF,
    TooLarge,
    UnreadablePath,
    UnsupportedType,
)
from detente.ingest import SUPPORTED_SUFFIXES, IngestOptions, read_paths
from detente.ingest.text import warnings_of
from detente.model import ActorEntry, Article, ProcessedArticle
from detente.pipeline import Pipeline, PipelineOptions
from detente.store import Store


@dataclass
class Failure:
    path: str
    message: str
    kind: str  # the exception class name
    reason: str = "failed in processing"  # why the input was not ingested, in words (see reason_of)
    where: str = ""  # the file, or file:line for a record; the path when empty

    def __str__(self) -> str:
        return self.message

    @classmethod
    def of(cls, error: InputError) -> Failure:
        """The failure for an input error, with its reason and where it is."""
        where = f"{error.path}:{error.line}" if isinstance(error, RecordError) else error.path
        return cls(error.path, str(error), type(error).__name__, reason_of(error), where)


# why an input was not ingested, most specific first (a record that is not English is both)
_REASONS: tuple[tuple[type[InputError], str], ...] = (
    (UnsupportedType, "unsupported file type"),
    (TooLarge, "too large"),
    (NotEnglish, "not English"),
    (EmptyInput, "empty"),
    (ScannedPDF, "scanned PDF without text"),
    (BinaryInput, "not text"),
    (NoArticle, "no article in the page"),
    (RecordError, "bad record"),
    (ReaderFailure, "reader error"),
    (UnreadablePath, "unreadable"),
)
MAX_NAMED = 10  # files named per reason in the summary; the rest are counted


def reason_of(error: InputError) -> str:
    """Why ``error`` kept its input out of the store, in a few words ("too large", "not English")."""
    return next((label for kind, label in _REASONS if isinstance(error, kind)), "unreadable")


@dataclass
class IngestReport:
    """What one ingest run did; ``ok`` is False when any input failed, or when the input held
    files and none was ingested (nor already stored).

    ``failures`` are inputs that could not be read or processed (each with its ``reason``);
    ``passed_over`` are files inside the folders given whose type detente does not read (a README,
    an image): named, but not failures; ``warnings`` name what was repaired while reading (bytes
    that were not UTF-8, lone surrogates).
    """

    documents: int = 0  # newly written
    skipped: int = 0  # already in the store (same content)
    events: int = 0
    mentions: int = 0
    canonical: int | None = None  # canonical events after linking (set by the caller that links)
    failures: list[Failure] = field(default_factory=list)
    passed_over: list[Failure] = field(default_factory=list)
    warnings: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures and not self.nothing_ingested

    @property
    def nothing_ingested(self) -> bool:
        """True when the input held files but none was ingested or already in the store."""
        return (self.documents == 0 and self.skipped == 0
                and bool(self.failures or self.passed_over))

    def pass_over(self, error: InputError) -> None:
        """Note a file a folder holds that detente does not read."""
        self.passed_over.append(Failure.of(error))

    def not_ingested(self) -> dict[str, list[str]]:
        """Every input not ingested, by reason: ``{reason: [file or file:line, ...]}`` in the order
        met (a file that failed in processing is under "failed in processing")."""
        out: dict[str, list[str]] = {}
        for f in [*self.failures, *self.passed_over]:
            out.setdefault(f.reason, []).append(f.where or f.path)
        return out

    def summary_line(self) -> str:
        line = (f"{self.documents} document(s) ingested, {self.skipped} already in the store, "
                f"{self.events} event(s)")
        if self.failures:
            line += f"; {len(self.failures)} input(s) failed"
        if self.passed_over:
            line += f"; {len(self.passed_over)} file(s) of other types passed over"
        if self.warnings:
            line += f"; {len(self.warnings)} warning(s)"
        return line

    def summary_lines(self) -> list[str]:
        """The summary line, then one line per reason inputs were not ingested, naming them."""
        lines = [self.summary_line()]
        by_reason = self.not_ingested()
        if by_reason:
            lines.append("not ingested, by reason:")
        for reason, names in by_reason.items():
            shown = ", ".join(names[:MAX_NAMED])
            more = f" and {len(names) - MAX_NAMED} more" if len(names) > MAX_NAMED else ""
            lines.append(f"  {reason}: {len(names)} ({shown}{more})")
        return lines

    def nothing_ingested_message(self) -> str:
        """Why nothing was ingested and what to do (meaningful when :attr:`nothing_ingested`)."""
        by_reason = self.not_ingested()
        total = sum(len(v) for v in by_reason.values())
        parts = ", ".join(f"{len(v)} {reason}" for reason, v in by_reason.items())
        advice = "fix or replace the inputs named above (each message says how)"
        if set(by_reason) == {"unsupported file type"}:
            suffixes = sorted({Path(p.split(":")[0]).suffix.lower() or "(no suffix)"
                               for v in by_reason.values() for p in v})
            advice = (f"detente reads {', '.join(sorted(SUPPORTED_SUFFIXES))}; these are "
                      f"{', '.join(suffixes)}: convert them (to .txt, say) or give the folder that "
                      "holds the articles")
        return f"nothing was ingested: none of the {total} input(s) could be read ({parts}); {advice}"


ProgressHook = Callable[[IngestReport], None]


def ingest(paths: Sequence[str | Path], store: Store, *, force: bool = False, workers: int = 1,
           options: PipelineOptions = PipelineOptions(),
           ingest_options: IngestOptions = IngestOptions(), pipeline: Pipeline | None = None,
           progress: bool | ProgressHook = False, link: bool = True) -> IngestReport:
    """Ingest files and folders into ``store``; bad inputs are reported, never fatal to the rest.

    With ``link`` (the default), canonical events and mediation triads are rebuilt over the whole
    store when anything new was written.
    """
    report = IngestReport()
    known = set() if force else store.known_documents()
    articles = admit(read_paths(paths, ingest_options, on_passed_over=report.pass_over), report, known)
    bar = progress_bar(progress)
    try:
        for result in _process(articles, workers, options, pipeline):
            record(store, report, result)
            tick(bar, progress, report)
    finally:
        if bar is not None:
            bar.close()
    return finish(store, report, link=link)


# -- the parts shared with detente.scale (Dask) ------------------------------------------------
def admit(items: Iterable[Article | InputError], report: IngestReport, known: AbstractSet[str],
          seen_now: set[str] | None = None) -> Iterator[Article]:
    """The articles still to process: read errors go to ``report.failures``; documents already
    stored (``known``) or already met in this run (``seen_now``) are counted as skipped."""
    seen = set() if seen_now is None else seen_now
    warned: set[tuple[str, str]] = set()
    for item in items:
        if isinstance(item, InputError):
            report.failures.append(Failure.of(item))
            continue
        where = f"{item.path}:{item.found['line']}" if "line" in item.found else item.path
        for warning in warnings_of(item.found):
            if (item.path, warning) not in warned:  # a file's decoding, once, not per record
                warned.add((item.path, warning))
                report.warnings.append(Failure(item.path, f"{where}: {warning}", "ReadWarning",
                                               "repaired on reading", where))
        if item.doc_id in known or item.doc_id in seen:
            report.skipped += 1
            continue
        seen.add(item.doc_id)
        yield item


def record(store: Store, report: IngestReport, result: Result) -> None:
    """Write one processed document (one transaction) or note its failure in ``report``."""
    if isinstance(result, Failure):
        report.failures.append(result)
        return
    processed, actors = result
    store.write(processed, actors)
    report.documents += 1
    report.events += len(processed.events)
    report.mentions += len(processed.mentions)


def finish(store: Store, report: IngestReport, *, link: bool = True) -> IngestReport:
    """Rebuild canonical events and mediation triads over the store when anything was written."""
    if link and report.documents:
        from detente.link_step import relink  # canonical events, triads and the query views

        report.canonical = relink(store).n_canonical
    return report


def tick(bar: Any, progress: bool | ProgressHook, report: IngestReport) -> None:
    if bar is not None:
        bar.update(1)
        bar.set_postfix(events=report.events, failed=len(report.failures))
    if callable(progress):
        progress(report)


def progress_bar(progress: bool | ProgressHook) -> Any:
    if progress is not True:
        return None
    from tqdm import tqdm

    return tqdm(desc="documents", unit="doc", file=sys.stderr, dynamic_ncols=True)


Result = tuple[ProcessedArticle, list[ActorEntry]] | Failure


def _process(articles: Iterable[Article], workers: int, options: PipelineOptions,
             pipeline: Pipeline | None) -> Iterator[Result]:
    if workers <= 1:
        pipe = pipeline or Pipeline.load(options)
        yield from _process_serial(pipe, articles)
        return
    ctx = mp.get_context("spawn")
    with ctx.Pool(workers, initializer=_worker_init, initargs=(options,)) as pool:
        yield from pool.imap(_worker_process, articles, chunksize=4)


def _process_serial(pipe: Pipeline, articles: Iterable[Article]) -> Iterator[Result]:
    """Batch through ``nlp.pipe``; an article that breaks a stage is retried alone and reported."""
    batch: list[Article] = []
    for art in articles:
        batch.append(art)
        if len(batch) >= pipe.options.batch_size:
            yield from run_batch(pipe, batch)
            batch = []
    if batch:
        yield from run_batch(pipe, batch)


def run_batch(pipe: Pipeline, batch: list[Article]) -> Iterator[Result]:
    try:
        done = list(pipe.process_many(batch))
    except Exception:  # one bad article: process one by one to find and isolate it
        for art in batch:
            yield _process_one(pipe, art)
        return
    for processed in done:
        yield processed, pipe.actors_seen(processed)


def _process_one(pipe: Pipeline, art: Article) -> Result:
    try:
        processed = pipe.process(art)
    except DetenteError as exc:
        return Failure(art.path, f"{art.path}: {exc}", type(exc).__name__)
    except Exception as exc:  # a bug in a stage must not lose the other files
        return Failure(art.path, f"{art.path}: internal error while processing ({type(exc).__name__}: "
                       f"{exc}); please report it with this file", type(exc).__name__)
    return processed, pipe.actors_seen(processed)


_WORKER_PIPELINE: list[Pipeline] = []  # one per worker process, set by the pool initializer


def _worker_init(options: PipelineOptions) -> None:
    _WORKER_PIPELINE.append(Pipeline.load(options))


def _worker_process(article: Article) -> Result:
    return _process_one(_WORKER_PIPELINE[0], article)
