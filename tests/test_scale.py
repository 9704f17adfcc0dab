"""Dask scale-out: the same events as the serial ingest, resume and failures on a local cluster.

The cluster runs in this process (``processes=False``, one single-threaded worker) so that the
test is quick and the worker's pipeline cache is the one the serial run uses.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")
import dask  # noqa: E402  (installed with distributed)

from detente.batch import ingest  # noqa: E402
from detente.errors import DetenteError  # noqa: E402
from detente.pipeline import Pipeline, PipelineOptions  # noqa: E402
from detente.scale import ingest_distributed, worker_pipeline  # noqa: E402
from detente.store import Store  # noqa: E402

TALKS = """Ankara hosts Pakistani and Afghan envoys

June 3, 2022

Turkey hosted talks between Pakistan and Afghanistan in Ankara on June 2. Turkish Foreign Minister
Mevlut Cavusoglu met the Pakistani foreign minister, and both sides agreed to reopen the border
crossing at Torkham.
"""

SANCTIONS = """Washington adds sanctions on Tehran

Nov 4, 2021

The United States imposed sanctions on Iranian officials on Nov. 3. Iran condemned the decision and
accused Washington of economic warfare.
"""


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return worker_pipeline(PipelineOptions())  # the same object the in-process worker will use


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                       dashboard_address=None)
    with distributed.Client(cluster, set_as_default=False) as c:
        yield c
    cluster.close()


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "talks.txt").write_text(TALKS)
    (d / "sanctions.txt").write_text(SANCTIONS)
    (d / "copy-of-talks.txt").write_text(TALKS.replace("\n\n", "\n\n\n"))  # same doc_id
    (d / "empty.txt").write_text("  \n")
    return d


def _events(store: Store) -> list[tuple[str, str, str]]:
    df = store.events()
    return sorted(zip(df["event_id"], df["event"], df["date"].fillna(""), strict=True))


@pytest.mark.parametrize("read_on", ["caller", "workers"])
def test_dask_gives_the_same_store_as_serial(folder: Path, pipeline: Pipeline,
                                             client: distributed.Client, read_on: str) -> None:
    with Store(":memory:") as serial_store:
        serial = ingest([folder], serial_store, pipeline=pipeline)
        expected = _events(serial_store)
        expected_docs = sorted(serial_store.docs()["title"])
    with Store(":memory:") as store:
        report = ingest_distributed([folder], store, client=client, batch_size=1,
                                    read_on=read_on)  # type: ignore[arg-type]
        got = _events(store)
        docs = sorted(store.docs()["title"])
    assert expected, "the serial run found no events: the texts no longer test anything"
    assert got == expected
    assert docs == expected_docs and len(docs) == 2
    assert (report.documents, report.skipped, report.events) == (serial.documents, serial.skipped,
                                                                 serial.events) == (2, 1, serial.events)
    assert report.canonical == serial.canonical and report.canonical is not None
    assert [f.path for f in report.failures] == [f.path for f in serial.failures]
    assert report.failures and report.failures[0].path.endswith("empty.txt")
    assert report.failures[0].kind == "EmptyInput"


def test_rerun_skips_stored_documents_and_force_redoes_them(folder: Path, pipeline: Pipeline,
                                                            client: distributed.Client) -> None:
    (folder / "empty.txt").unlink()
    db = folder.parent / "t.duckdb"
    with Store(db) as store:
        first = ingest_distributed([folder], store, client=client, read_on="workers")
        again = ingest_distributed([folder], store, client=client, read_on="workers")
        forced = ingest_distributed([folder], store, client=client, force=True)
        n_docs = len(store.docs())
    assert (first.documents, first.skipped) == (2, 1)
    assert (again.documents, again.skipped, again.canonical) == (0, 3, None)
    assert (forced.documents, forced.skipped) == (2, 1)
    assert n_docs == 2 and first.ok and again.ok and forced.ok


def test_a_task_that_dies_fails_its_inputs_only(folder: Path, pipeline: Pipeline,
                                                client: distributed.Client,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import detente.scale as scale

    real = scale.process_articles

    def flaky(articles: list, options: PipelineOptions) -> object:
        if any("sanctions" in a.path for a in articles):
            raise RuntimeError("worker lost")
        return real(articles, options)

    monkeypatch.setattr(scale, "process_articles", flaky)  # in-process worker: the patch reaches it
    with Store(":memory:") as store:
        report = ingest_distributed([folder], store, client=client, batch_size=1)
        titles = list(store.docs()["title"])
    assert titles == ["Ankara hosts Pakistani and Afghan envoys"]
    lost = [f for f in report.failures if f.kind == "RuntimeError"]
    assert len(lost) == 1 and lost[0].path.endswith("sanctions.txt") and "worker lost" in lost[0].message


def test_client_and_scheduler_together_are_refused(tmp_path: Path, client: distributed.Client) -> None:
    with Store(":memory:") as store, pytest.raises(DetenteError, match="not both"):
        ingest_distributed([tmp_path], store, client=client, scheduler="tcp://127.0.0.1:1")


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    with (Store(":memory:") as store, dask.config.set({"distributed.comm.timeouts.connect": "1s"}),
          pytest.raises(DetenteError, match="cannot reach the Dask scheduler")):
        ingest_distributed([tmp_path], store, scheduler="tcp://127.0.0.1:1")


def test_missing_dask_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with Store(":memory:") as store, pytest.raises(DetenteError, match=r"pip install 'detente\[dask\]'"):
        ingest_distributed([tmp_path], store, scheduler="local")


@pytest.mark.parametrize(("args", "scheduler", "local_workers"), [
    (["--dask", "local"], "local", 2),
    (["--dask", "local", "--workers", "3"], "local", 3),
    (["--dask", "tcp://10.0.0.5:8786"], "tcp://10.0.0.5:8786", 2),
    (["--no-progress", "--dask"], "local", 2),  # a bare --dask at the end means a local cluster
])
def test_cli_dask_option_reaches_ingest_distributed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    args: list[str], scheduler: str,
                                                    local_workers: int) -> None:
    from click.testing import CliRunner

    import detente.scale as scale
    from detente.batch import IngestReport
    from detente.cli import main

    calls: list[dict[str, object]] = []

    def fake(paths: list[Path], store: Store, **kwargs: object) -> IngestReport:
        calls.append({"paths": paths, **kwargs})
        return IngestReport(documents=1, events=2)

    monkeypatch.setattr(scale, "ingest_distributed", fake)
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--db", str(tmp_path / "t.duckdb"),
                                       *args])
    assert result.exit_code == 0, result.output
    assert len(calls) == 1 and calls[0]["paths"] == [tmp_path]
    assert (calls[0]["scheduler"], calls[0]["local_workers"]) == (scheduler, local_workers)
    assert "1 document(s) ingested" in result.output


def test_cli_refuses_workers_with_a_remote_scheduler(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from detente.cli import main

    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--db", str(tmp_path / "t.duckdb"),
                                       "--dask", "tcp://10.0.0.5:8786", "--workers", "4"])
    assert result.exit_code == 1 and "own workers" in result.output
