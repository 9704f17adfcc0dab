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

from detente.errors import DetenteError, InputError
from detente.ingest import IngestOptions, read_paths
from detente.model import ActorEntry, Article, ProcessedArticle
from detente.pipeline import Pipeline, PipelineOptions
from detente.store import Store


@dataclass
class Failure:
    path: str
    message: str
    kind: str  # the exception class name

    def __str__(self) -> str:
        return self.message


@dataclass
class IngestReport:
    """What one ingest run did; ``ok`` is False when any input failed."""

    documents: int = 0  # newly written
    skipped: int = 0  # already in the store (same content)
    events: int = 0
    mentions: int = 0
    canonical: int | None = None  # canonical events after linking (set by the caller that links)
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary_line(self) -> str:
        line = (f"{self.documents} document(s) ingested, {self.skipped} already in the store, "
                f"{self.events} event(s)")
        if self.failures:
            line += f"; {len(self.failures)} input(s) failed"
        return line


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
    articles = admit(read_paths(paths, ingest_options), report, known)
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
    for item in items:
        if isinstance(item, InputError):
            report.failures.append(Failure(item.path, str(item), type(item).__name__))
            continue
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
        from detente.link import find_triads, link_events

        report.canonical = link_events(store).n_canonical
        find_triads(store)
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
