"""Scale-out ingest on a Dask cluster: the same result as :func:`detente.batch.ingest`, more machines.

:func:`ingest_distributed` runs the pipeline on Dask workers (a local cluster it starts, or an
existing one) and keeps everything else where :func:`~detente.batch.ingest` has it:

* **Reading** happens in the caller by default (``read_on="caller"``): the caller walks the
  folders, reads each file, skips documents already stored and ships the articles' text to the
  workers in batches of ``batch_size``. Only the caller needs to see the input files. With
  ``read_on="workers"`` the caller only walks the folders and ships *file paths* (``batch_size``
  files a task); each worker reads its files itself, which suits a huge archive on a file system
  every worker mounts at the same path (NFS, a cluster scratch disk), and keeps the caller from
  reading every byte. The ids of the documents already stored are broadcast to the workers once.
* **Processing**: each worker process loads ONE :class:`~detente.pipeline.Pipeline` per
  :class:`~detente.pipeline.PipelineOptions` the first time a task needs it and reuses it for every
  later task (:func:`worker_pipeline`); an article that breaks a stage is reported on its own, as
  in :func:`detente.batch.run_batch`.
* **Writing** happens in the caller, one transaction per document, as results arrive
  (``as_completed``); DuckDB has one writer, and a crash leaves no half document, so the next run
  resumes where this one stopped. Only a bounded number of batches is in flight at a time, so the
  caller's memory does not grow with the archive.
* **Linking** (canonical events, mediation triads) is rebuilt at the end, as
  :func:`detente.batch.ingest` does, by :func:`detente.batch.finish`.

Workers need detente, its data and the spaCy model installed (the same version as the caller):
the tasks are detente functions pickled by reference. Dask itself is optional:
``pip install 'detente[dask]'``.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from detente.batch import (
    Failure,
    IngestReport,
    ProgressHook,
    Result,
    admit,
    finish,
    progress_bar,
    record,
    run_batch,
    tick,
)
from detente.errors import DetenteError, InputError
from detente.ingest import IngestOptions, TextResources, iter_input_files, read_file, read_paths
from detente.model import Article
from detente.pipeline import Pipeline, PipelineOptions
from detente.store import Store

if TYPE_CHECKING:
    import distributed

ReadOn = Literal["caller", "workers"]
LOCAL = "local"
INSTALL_HINT = "pip install 'detente[dask]'"


def ingest_distributed(paths: Sequence[str | Path], store: Store, *,
                       client: distributed.Client | None = None, scheduler: str | None = None,
                       options: PipelineOptions = PipelineOptions(),
                       ingest_options: IngestOptions = IngestOptions(), force: bool = False,
                       batch_size: int = 64, read_on: ReadOn = "caller",
                       max_in_flight: int | None = None, local_workers: int = 2,
                       progress: bool | ProgressHook = False, link: bool = True) -> IngestReport:
    """Ingest files and folders into ``store``, parsing and coding on Dask workers.

    ``client``: an open :class:`distributed.Client` (left open); else ``scheduler``: the address
    of a running scheduler (``tcp://host:8786``) to connect to and disconnect from after; else (or
    with ``scheduler="local"``) a :class:`distributed.LocalCluster` of ``local_workers``
    single-threaded worker processes is started and closed after. A script that starts one must
    guard its entry point with ``if __name__ == "__main__":`` (worker processes re-import the
    main module).

    ``batch_size`` is the number of articles a task processes (``read_on="caller"``) or of files
    it reads and processes (``read_on="workers"``); ``max_in_flight`` bounds the batches
    submitted and not yet written (default: twice the cluster's worker threads, at least 4).

    Skipping, ``force``, failures (one per bad input, never fatal to the rest), ``progress`` and
    ``link`` mean what they mean for :func:`detente.batch.ingest`, and the store ends up with the
    same documents and events. Raises :class:`~detente.errors.DetenteError` when Dask is not
    installed or the scheduler cannot be reached.
    """
    if batch_size < 1:
        raise DetenteError(f"batch_size must be at least 1, not {batch_size}")
    if read_on not in ("caller", "workers"):
        raise DetenteError(f"read_on must be 'caller' or 'workers', not {read_on!r}")
    if local_workers < 1:
        raise DetenteError(f"local_workers must be at least 1, not {local_workers}")
    if client is not None and scheduler is not None:
        raise DetenteError("give either a Dask client or a scheduler address, not both")
    report = IngestReport()
    known = set() if force else store.known_documents()
    bar = progress_bar(progress)
    try:
        with _connect(client, scheduler, local_workers) as dask_client:
            limit = max_in_flight or max(4, 2 * sum(dask_client.nthreads().values()))
            if read_on == "caller":
                batches = _chunks(admit(read_paths(paths, ingest_options, on_passed_over=report.pass_over),
                                        report, known), batch_size)
                tasks: Iterator[_Task] = (_article_task(batch, options) for batch in batches)
            else:
                files = _input_files(paths, report)
                # a one-item list: scatter() would spread a bare set item by item
                known_ref = dask_client.scatter([frozenset(known)], broadcast=True)[0]
                tasks = (_file_task(batch, options, ingest_options, known_ref)
                         for batch in _chunks(files, batch_size))
            written: set[str] = set()
            for outcome in _run(dask_client, tasks, limit):
                report.skipped += outcome.skipped
                for result in outcome.results:
                    if not isinstance(result, Failure):
                        doc_id = result[0].article.doc_id
                        if doc_id in written:  # the same text in two files read on two workers
                            report.skipped += 1
                            continue
                        written.add(doc_id)
                    record(store, report, result)
                    tick(bar, progress, report)
    finally:
        if bar is not None:
            bar.close()
    return finish(store, report, link=link)


# -- worker side ---------------------------------------------------------------------------------
@dataclass
class _Loaded:
    pipeline: Pipeline
    lock: threading.Lock  # a worker with several threads runs one batch at a time through spaCy


_LOAD_LOCK = threading.Lock()


@functools.lru_cache(maxsize=4)
def _load(options: PipelineOptions) -> _Loaded:
    return _Loaded(Pipeline.load(options), threading.Lock())


def worker_pipeline(options: PipelineOptions = PipelineOptions()) -> Pipeline:
    """This process's pipeline for ``options``: loaded on first use, then reused by every task."""
    return _loaded(options).pipeline


def _loaded(options: PipelineOptions) -> _Loaded:
    with _LOAD_LOCK:  # two threads of one worker must not load the models twice
        return _load(options)


@functools.lru_cache(maxsize=1)
def _text_resources() -> TextResources:
    return TextResources.default()


@dataclass
class _Outcome:
    """What one task sends back: results in input order and documents skipped on the worker."""

    results: list[Result]
    skipped: int = 0


def process_articles(articles: list[Article], options: PipelineOptions) -> _Outcome:
    """Task: run this worker's pipeline over articles read by the caller."""
    loaded = _loaded(options)
    with loaded.lock:
        return _Outcome(list(run_batch(loaded.pipeline, articles)))


def read_and_process(files: list[str], options: PipelineOptions, ingest_options: IngestOptions,
                     known: frozenset[str]) -> _Outcome:
    """Task: read files on the worker, skip documents in ``known``, process the rest."""
    local = IngestReport()
    resources = _text_resources()
    items = (item for f in files for item in read_file(Path(f), ingest_options, resources))
    articles = list(admit(items, local, known))
    results: list[Result] = list(local.failures)
    if articles:
        results.extend(process_articles(articles, options).results)
    return _Outcome(results, local.skipped)


# -- caller side ---------------------------------------------------------------------------------
@dataclass
class _Task:
    func: Any
    args: tuple[Any, ...]
    paths: list[str]  # what to blame if the whole task fails

    def failures(self, exc: BaseException) -> list[Result]:
        return [Failure(p, f"{p}: a Dask worker failed on this input's batch ({type(exc).__name__}: "
                           f"{exc})", type(exc).__name__) for p in dict.fromkeys(self.paths)]


def _article_task(batch: list[Article], options: PipelineOptions) -> _Task:
    return _Task(process_articles, (batch, options), [a.path for a in batch])


def _file_task(files: list[str], options: PipelineOptions, ingest_options: IngestOptions,
               known: Any) -> _Task:
    return _Task(read_and_process, (files, options, ingest_options, known), files)


def _input_files(paths: Sequence[str | Path], report: IngestReport) -> Iterator[str]:
    for item in iter_input_files(paths, report.pass_over):
        if isinstance(item, InputError):
            report.failures.append(Failure.of(item))
        else:
            yield str(item.resolve())


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _run(client: distributed.Client, tasks: Iterator[_Task], limit: int) -> Iterator[_Outcome]:
    """Submit tasks, at most ``limit`` pending, and yield their outcomes as they complete."""
    from distributed import as_completed

    pending: dict[Any, _Task] = {}
    done = as_completed(loop=client.loop)

    def submit_next() -> bool:
        task = next(tasks, None)
        if task is None:
            return False
        future = client.submit(task.func, *task.args, pure=False)
        pending[future] = task
        done.add(future)
        return True

    for _ in range(limit):
        if not submit_next():
            break
    for future in done:
        task = pending.pop(future)
        try:
            outcome: _Outcome = future.result()
        except Exception as exc:  # a lost worker, a pickling problem: blame this batch only
            outcome = _Outcome(task.failures(exc))
        future.release()
        submit_next()
        yield outcome


def _require_dask() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise DetenteError(f"scaling out needs Dask, which is not installed: {INSTALL_HINT}") from exc
    return distributed


@contextmanager
def _connect(client: distributed.Client | None, scheduler: str | None,
             local_workers: int) -> Iterator[distributed.Client]:
    """The client to use: the one given, one connected to ``scheduler``, or a new local cluster."""
    if client is not None:
        yield client
        return
    dist = _require_dask()
    if scheduler and scheduler != LOCAL:
        try:
            connected = dist.Client(scheduler, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise DetenteError(f"cannot reach the Dask scheduler at {scheduler}: {exc} (start one "
                               "with `dask scheduler`, or use --dask local)") from exc
        try:
            yield connected
        finally:
            connected.close()
        return
    cluster = dist.LocalCluster(n_workers=local_workers, threads_per_worker=1, processes=True,
                                dashboard_address=None, silence_logs=logging.ERROR)
    try:
        local = dist.Client(cluster, set_as_default=False)
        try:
            yield local
        finally:
            local.close()
    finally:
        cluster.close()
