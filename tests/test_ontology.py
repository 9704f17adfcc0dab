"""The ontology facts of data/ontology/plover.yaml: types, quad class names, sectors, symmetric types."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from detente import model
from detente.errors import DataFileError
from detente.events.code import load_table
from detente.link.config import load_plover_table
from detente.ontology import Ontology, load_ontology, read_ontology

BUNDLED = resources.files("detente") / "data" / "ontology" / "plover.yaml"

GOOD = """\
version: 1
quad_classes:
  - {from: 1, to: 5, quad: 1, name: Verbal cooperation}
  - {from: 6, to: 9, quad: 2, name: Material cooperation}
  - {from: 10, to: 14, quad: 3, name: Verbal conflict}
  - {from: 15, to: 20, quad: 4, name: Material conflict}
sectors: [GOV, MIL]
symmetric_types: [CONSULT]
types:
  CONSULT: {cameo: "040", goldstein: 1.0}
  ASSAULT: {cameo: "190", goldstein: -10.0}
"""


def _read(text: str) -> Ontology:
    return read_ontology(Path("plover.yaml"), text)


def test_the_bundled_ontology_names_the_four_quad_classes() -> None:
    assert dict(load_ontology().quad_names) == {1: "Verbal cooperation", 2: "Material cooperation",
                                                3: "Verbal conflict", 4: "Material conflict"}


def test_the_bundled_ontology_has_the_sectors_and_model_sectors_are_them() -> None:
    onto = load_ontology()
    assert {"GOV", "MIL", "REB", "CVL", "IGO", "CRM"} <= onto.sectors
    assert len(onto.sectors) == 22
    assert onto.sectors == model.SECTORS


def test_linking_treats_as_symmetric_exactly_the_ontologys_symmetric_types() -> None:
    table = load_plover_table()
    assert {t for t in table.types if table.symmetric(t)} == {"AGREE", "CONSULT", "COOPERATE"}
    assert load_ontology().symmetric_types == {"AGREE", "CONSULT", "COOPERATE"}


def test_a_linking_table_that_still_lists_symmetric_types_is_told_where_they_live(tmp_path: Path) -> None:
    bad = tmp_path / "linking.yaml"
    bad.write_text("version: 1\nsymmetric: [CONSULT]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="symmetric_types"):
        load_plover_table(bad)


def test_the_types_are_the_coding_tables_types_in_order() -> None:
    assert load_ontology().types == tuple(load_table().types)


def test_load_ontology_reads_the_file_once() -> None:
    assert load_ontology() is load_ontology()


def test_the_web_charts_label_the_quads_with_the_ontologys_names() -> None:
    from detente.web.figures import QUADS

    assert {q: label for q, (label, _colour) in QUADS.items()} == dict(load_ontology().quad_names)


def test_a_good_table_is_read() -> None:
    onto = _read(GOOD)
    assert onto.types == ("CONSULT", "ASSAULT")
    assert onto.sectors == {"GOV", "MIL"} and onto.symmetric_types == {"CONSULT"}
    assert onto.quad_names[4] == "Material conflict"
    with pytest.raises(TypeError):
        onto.quad_names[5] = "x"  # type: ignore[index]


@pytest.mark.parametrize(("old", "new", "message", "line"), [
    ("version: 1", "version: 2", "version", 1),
    ("symmetric_types: [CONSULT]", "symmetric_types: [CONSULT, EMBRACE]", "EMBRACE", 1),
    ("symmetric_types: [CONSULT]", "symmetric_types: []", "symmetric_types", 1),
    ("sectors: [GOV, MIL]", "sectors: [GOV, Mil]", "Mil", 1),
    ("sectors: [GOV, MIL]", "sectors: [GOV, GOV]", "more than once", 1),
    ("sectors: [GOV, MIL]\n", "", "sectors", 1),
    ("  - {from: 15, to: 20, quad: 4, name: Material conflict}\n", "", "4", 1),
    ("quad: 4, name: Material conflict", "quad: 5, name: Material conflict", "5", 6),
    ("quad: 4, name: Material conflict", "quad: 3, name: Material conflict", "twice", 6),
    ("quad: 4, name: Material conflict", "quad: 4", "needs a 'name'", 6),
    ("types:\n  CONSULT: {cameo: \"040\", goldstein: 1.0}\n  ASSAULT: {cameo: \"190\", goldstein: -10.0}\n",
     "types: {}\n", "no PLOVER type", 1),
])
def test_a_bad_table_is_refused_with_its_line(old: str, new: str, message: str, line: int) -> None:
    assert old in GOOD
    with pytest.raises(DataFileError) as err:
        _read(GOOD.replace(old, new))
    assert message in str(err.value)
    assert f"plover.yaml:{line}:" in str(err.value)


def test_the_bundled_file_is_what_load_ontology_reads() -> None:
    assert read_ontology(Path(str(BUNDLED))) == load_ontology()
