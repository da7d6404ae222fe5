"""What reads OUT after a run (the store, review/sources.json, `review`, `compare`) finds the tables
through the generation links (OUT/targets.csv -> current/targets.csv), and reads the text as extracted,
not the CSV's formula escapes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from extract import pipeline
from extract.cli import main
from extract.compare_cli import open_source
from extract.settings import Settings
from extract.user_folder import load_user_folder
from output import store
from output.cells import formula_safe, unescape
from output.read_back import read_rows
from output.sources import read_sources
from output.writers import write_tables

from .conftest import FIXTURES, read_csv

PLAN = FIXTURES / "hostile" / "plan.html"
FAST = Settings(workers=1, use_cache=False)


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> Path:
    """Two runs into one OUT (so the live set is a second generation), the store kept elsewhere."""
    root = tmp_path_factory.mktemp("gens")
    src = root / "in"
    src.mkdir()
    shutil.copy(PLAN, src / "plan.html")
    out = root / "out"
    pipeline.run([src], out, FAST, db=root / "national.duckdb")
    (src / "second.html").write_text(PLAN.read_text(encoding="utf-8").replace("12/KH-UBND", "13/KH-UBND"),
                                     encoding="utf-8")
    result = pipeline.run([src], out, FAST, db=root / "national.duckdb")
    assert not result.db_error
    return root


def test_the_tables_are_links_into_the_live_generation(two_runs):
    out = two_runs / "out"
    for name in ("documents.csv", "targets.parquet", "datapackage.json"):
        assert (out / name).is_symlink() and (out / name).resolve().parent.name.startswith(".gen-")
    assert len(list(out.glob(".gen-*"))) == 1  # the first generation was removed after the switch


def test_sources_and_store_hold_the_documents_of_the_live_set(two_runs):
    out = two_runs / "out"
    ids = {r["doc_id"] for r in read_csv(out / "documents.csv")}
    assert len(ids) == 2
    assert set(read_sources(out)) == ids
    con = store.connect(two_runs / "national.duckdb", read_only=True)
    try:
        assert {r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall()} == ids
    finally:
        con.close()


def test_compare_without_a_store_reads_the_linked_tables(two_runs):
    out = two_runs / "out"
    assert not (out / store.DEFAULT_NAME).exists()
    con = open_source(out)
    try:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    finally:
        con.close()


def test_review_writes_pages_from_the_linked_tables(two_runs):
    out = two_runs / "out"
    assert main(["review", str(out)]) == 0
    for row in read_csv(out / "documents.csv"):
        assert (out / "review" / f"{row['doc_id']}.html").is_file()


def test_tables_read_back_without_the_formula_escapes(tmp_path):
    row = {"doc_id": "d", "unit_name_raw": "=SUM(A1)", "value_raw": "- 5", "value": 5.0, "row_index": 3,
           "is_total": False, "indicator_label_raw": "-"}
    write_tables(tmp_path, {"targets": [row]})
    written = read_csv(tmp_path / "targets.csv")[0]
    assert (written["unit_name_raw"], written["value_raw"]) == ("'=SUM(A1)", "'- 5")
    expected = {"unit_name_raw": "=SUM(A1)", "value_raw": "- 5", "value": "5", "row_index": "3",
                "is_total": "false", "indicator_label_raw": "-", "page": ""}
    from_parquet = read_rows(tmp_path, "targets")[0]
    assert {k: from_parquet[k] for k in expected} == expected
    (tmp_path / "targets.parquet").unlink()  # an output with CSV files only
    from_csv = read_rows(tmp_path, "targets")[0]
    assert {k: from_csv[k] for k in expected} == expected


@pytest.mark.parametrize("text", ["=1+1", "- 5", "+x", "@a", "-", "-5", "'quoted", "plain", ""])
def test_unescape_undoes_formula_safe(text):
    assert unescape(formula_safe(text)) == text


def test_a_correction_copied_from_an_escaped_template_matches_the_printed_text(tmp_path):
    (tmp_path / "cells.csv").write_text(
        "sha256,table_index,row_index,col_index,unit_name_raw,value_raw,value\n"
        "ab,0,1,2,'- Xã A,'- 5,7\n", encoding="utf-8")
    (cell,) = load_user_folder(tmp_path).cells
    assert (cell.unit_name_raw, cell.value_raw) == ("- Xã A", "- 5")


def test_sources_keep_a_path_that_is_not_utf8(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    name = os.path.join(os.fsencode(src), b"k\xffh.html")
    shutil.copy(PLAN, name)
    pipeline.run([src], tmp_path / "out", FAST, db=tmp_path / "national.duckdb")
    (entry,) = read_sources(tmp_path / "out").values()
    assert os.fsencode(entry["source_path"]) == name and entry["source_file"] == "k\\xffh.html"


def test_clashing_names_that_are_not_utf8_are_written_escaped(tmp_path):
    for root in ("a", "b"):
        (tmp_path / root).mkdir()
        Path(os.fsdecode(os.path.join(os.fsencode(tmp_path / root), b"k\xff.html"))).write_text(root, encoding="utf-8")
    names = [name for _, name in pipeline.collect_inputs([tmp_path / "a", tmp_path / "b"])]
    assert names == ["a/k\\xff.html", "b/k\\xff.html"]
