"""The national store: plans once, copies compared, batches that add up, ids that do not move."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from extract import run
from extract.cli import main
from extract.ids import distinct_source_names
from normalize.issuers import issuing_body
from output import store
from output.plans import amendment_relation, symbol_variants

from .conftest import HTML_PAGES, ROOT, SAMPLES, TEXT_PDFS, read_csv

TABLES = ("documents", "targets", "refs", "warnings")
ALL_TABLES = TABLES + ("plans", "supersessions", "issuers", "cited_documents", "symbol_variants",
                       "source_disagreements")


def batch_tables(out: Path, keep=lambda doc: True) -> dict[str, list[dict[str, str]]]:
    """A run's CSV rows (optionally only some documents) as a batch for the store."""
    docs = {r["doc_id"] for r in read_csv(out / "documents.csv") if keep(r)}
    return {t: [r for r in read_csv(out / f"{t}.csv") if r["doc_id"] in docs] for t in TABLES}


def build(path: Path, *batches) -> Path:
    for tables in batches:
        store.update_store(path, tables)
    return path


def dump(path: Path) -> dict[str, list[tuple]]:
    con = store.connect(path, read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in ALL_TABLES}
    finally:
        con.close()


def query(path: Path, sql: str, params: list | None = None) -> list[dict]:
    con = store.connect(path, read_only=True)
    try:
        return store.fetch_rows(con, sql, params)
    finally:
        con.close()


@pytest.fixture(scope="session")
def sample_store(sample_run) -> Path:
    return sample_run.db


def test_each_plan_once_copies_grouped_and_agreeing(sample_run, sample_store):
    docs = read_csv(sample_run.out_dir / "documents.csv")
    plans = query(sample_store, "SELECT * FROM plans")
    assert len(plans) == len({d["plan_id"] for d in docs}) == len(TEXT_PDFS)
    copies = {p["plan_id"]: p["n_copies"] for p in plans}
    for html in HTML_PAGES:  # each portal page sits with its PDF
        [doc] = [d for d in docs if d["source_file"] == html.name]
        [pdf] = [d for d in docs if d["source_file"] == html.stem + ".pdf"]
        assert doc["plan_id"] == pdf["plan_id"] and copies[doc["plan_id"]] == 2
        assert query(sample_store, "SELECT best_doc_id FROM plans WHERE plan_id = ?", [doc["plan_id"]]) == [
            {"best_doc_id": pdf["doc_id"]}]  # text PDF before HTML
    assert query(sample_store, "SELECT count(*) AS n FROM source_disagreements") == [{"n": 0}]


def test_twins_join_their_plan(tmp_path):
    """The DOCX and TCVN3 copies (quick to read, unlike the scan) are grouped with their PDFs."""
    src = tmp_path / "in"
    src.mkdir()
    twins = ("lao-cai-355-2022.pdf", "lao-cai-355-2022.docx", "gia-lai-1002-2024.pdf", "gia-lai-1002-2024-tcvn3.pdf")
    for name in twins:
        shutil.copy(SAMPLES / name, src / name)
    result = run([src], tmp_path / "out")
    plans = query(result.db, "SELECT n_copies, best_doc_id FROM plans ORDER BY plan_id")
    assert [p["n_copies"] for p in plans] == [2, 2]
    best = {d.doc_id: d for d in result.documents}
    assert all(best[p["best_doc_id"]].format == "pdf" and best[p["best_doc_id"]].encoding == "unicode" for p in plans)
    assert query(result.db, "SELECT count(*) AS n FROM source_disagreements") == [{"n": 0}]


def test_one_changed_cell_is_one_disagreement_naming_both_values(sample_run, tmp_path):
    tables = batch_tables(sample_run.out_dir)
    html = HTML_PAGES[0].name
    cell = next(r for r in tables["targets"] if r["source_file"] == html and r["value"] not in ("", "0"))
    original = cell["value"]
    cell["value"] = cell["value_raw"] = str(int(float(original)) + 7)
    path = build(tmp_path / "s.duckdb", tables)
    [row] = query(path, "SELECT * FROM source_disagreements")
    assert row["value_best"] == float(original) and row["value_other"] == float(cell["value"])
    assert row["source_other"] == html and row["source_best"] == HTML_PAGES[0].stem + ".pdf"
    [finding] = query(path, "SELECT message FROM review WHERE kind = 'source_disagreement'")
    assert original in finding["message"] and cell["value"] in finding["message"]


def test_batches_add_up_to_one_run(sample_run, tmp_path):
    out = sample_run.out_dir
    first = batch_tables(out, lambda d: d["format"] == "pdf")
    second = batch_tables(out, lambda d: d["format"] != "pdf")
    both = batch_tables(out)
    assert first["documents"] and second["documents"]
    once = dump(build(tmp_path / "once.duckdb", both))
    assert dump(build(tmp_path / "twice.duckdb", both, both)) == once
    assert dump(build(tmp_path / "a_then_b.duckdb", first, second)) == once
    assert dump(build(tmp_path / "b_a_b.duckdb", second, first, second)) == once


def test_a_newer_tool_version_replaces_the_file_rows(sample_run, tmp_path):
    """Same file (same SHA-256), another doc_id: the old rows go."""
    tables = batch_tables(sample_run.out_dir)
    path = build(tmp_path / "s.duckdb", tables)
    renamed = {t: [{**r, "doc_id": "renamed_" + r["doc_id"]} for r in rows] for t, rows in tables.items()}
    store.update_store(path, renamed)
    ids = {r["doc_id"] for r in query(path, "SELECT doc_id FROM documents")}
    assert ids == {r["doc_id"] for r in renamed["documents"]}


def test_a_store_from_before_a_new_column_takes_the_new_rows(sample_run, tmp_path):
    """A column added to an output table (targets.detection) is added to an older store, not an error."""
    path = tmp_path / "old.duckdb"
    store.connect(path).close()
    con = duckdb.connect(str(path))
    con.execute('ALTER TABLE targets DROP COLUMN "detection"')  # as the store was before the column
    con.close()
    tables = batch_tables(sample_run.out_dir)
    store.update_store(path, tables)
    rows = query(path, "SELECT detection FROM targets")
    assert len(rows) == len(tables["targets"]) and {r["detection"] for r in rows} >= {"ruled"}


_KILLER = """
import os, signal, sys
from output import store
import tests.test_store as t
def die(con):
    os.kill(os.getpid(), signal.SIGKILL)
store.recompute_derived = die
store.update_store(sys.argv[1], t.batch_tables(__import__("pathlib").Path(sys.argv[2])))
"""


def test_killed_mid_write_leaves_the_previous_store(sample_run, tmp_path):
    path = build(tmp_path / "s.duckdb", batch_tables(sample_run.out_dir, lambda d: d["format"] == "pdf"))
    before = dump(path)
    proc = subprocess.run([sys.executable, "-c", _KILLER, str(path), str(sample_run.out_dir)], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, timeout=120)
    assert proc.returncode == -9, proc.stderr.decode()
    assert dump(path) == before


def test_doc_id_is_the_same_alone_and_in_a_batch(sample_run, tmp_path):
    pdf = TEXT_PDFS[0]
    shutil.copy(pdf, tmp_path / pdf.name)
    alone = run([tmp_path / pdf.name], tmp_path / "out", db=tmp_path / "s.duckdb")
    [in_batch] = [d.doc_id for d in sample_run.documents if d.source_file == pdf.name]
    assert [d.doc_id for d in alone.documents] == [in_batch]


def test_identical_bytes_read_once_and_same_names_kept_apart(tmp_path):
    page = HTML_PAGES[0]
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(page, tmp_path / folder / page.name)
    result = run([tmp_path / "a", tmp_path / "b"], tmp_path / "out")
    [doc] = result.documents
    assert doc.source_file == f"a/{page.name}"
    assert [w.kind for w in doc.warnings if w.kind == "duplicate_file"] == ["duplicate_file"]
    assert f"b/{page.name}" in doc.warnings[-1].message


def test_same_relative_names_from_two_roots_get_their_folders(tmp_path):
    found = [(tmp_path / "x" / "p.pdf", "p.pdf"), (tmp_path / "y" / "p.pdf", "p.pdf"),
             (tmp_path / "y" / "q.pdf", "q.pdf")]
    assert [name for _, name in distinct_source_names(found)] == ["x/p.pdf", "y/p.pdf", "q.pdf"]


def test_province_total_counts_each_plan_once(sample_run, sample_store):
    """Summed over every copy, a plan's numbers count once per copy; the view counts the plan."""
    targets = read_csv(sample_run.out_dir / "targets.csv")
    docs = read_csv(sample_run.out_dir / "documents.csv")
    plan_of = {d["doc_id"]: d["plan_id"] for d in docs}
    multi = next(p for p in query(sample_store, "SELECT * FROM plans WHERE n_copies > 1 AND province <> ''"))
    units = [t for t in targets if plan_of[t["doc_id"]] == multi["plan_id"] and t["is_total"] == "false"
             and t["indicator_id"]]
    indicator = units[0]["indicator_id"]
    every_copy = sum(float(t["value"] or 0) for t in units if t["indicator_id"] == indicator)
    one_copy = sum(float(t["value"] or 0) for t in units
                   if t["indicator_id"] == indicator and t["doc_id"] == multi["best_doc_id"])
    [view] = query(sample_store, "SELECT total FROM province_indicator_totals WHERE province = ? AND indicator_id = ?",
                   [multi["province"], indicator])
    assert view["total"] == one_copy == every_copy / multi["n_copies"]


def test_cited_documents_count_plans(sample_run, sample_store):
    refs = [r for r in read_csv(sample_run.out_dir / "refs.csv") if r["section"] != "portal"]
    plan_of = {d["doc_id"]: d["plan_id"] for d in read_csv(sample_run.out_dir / "documents.csv")}
    for row in read_csv(sample_run.out_dir / "cited_documents.csv")[:5]:
        plans = {plan_of[r["doc_id"]] for r in refs if r["symbol"] == row["symbol"]}
        assert int(row["n_citing_documents"]) == len(plans)
        [stored] = query(sample_store, "SELECT n_citing_plans FROM cited_documents WHERE symbol = ?", [row["symbol"]])
        assert stored["n_citing_plans"] == len(plans)


def test_amending_plan_supersedes_the_earlier_one(sample_run, tmp_path):
    tables = batch_tables(sample_run.out_dir, lambda d: d["province"] != "")
    earlier = tables["documents"][0]
    year = int(earlier["issue_date"][:4]) + 1
    amending = {**earlier, "doc_id": "amending", "sha256": "f" * 64, "doc_number": "9" + earlier["doc_number"],
                "issue_date": f"{year}-01-15", "title": f"Sửa đổi, bổ sung Kế hoạch số {earlier['doc_number']}"}
    amending["plan_id"] = "amending-plan"
    tables["documents"].append(amending)
    path = build(tmp_path / "s.duckdb", tables)
    [plan] = query(path, "SELECT superseded_by, supersession FROM plans WHERE plan_id = ?", [earlier["plan_id"]])
    assert plan == {"superseded_by": "amending-plan", "supersession": "amends"}
    current = {p["plan_id"] for p in query(path, "SELECT plan_id FROM current_plans")}
    assert "amending-plan" in current and earlier["plan_id"] not in current


def test_amendment_words_and_issuer_names():
    assert amendment_relation("Kế hoạch thay thế Kế hoạch số 1/KH-UBND") == "replaces"
    assert amendment_relation("Triển khai Dự án 8") == ""
    assert issuing_body("Bộ trưởng Bộ Tài chính") == issuing_body("Bộ Tài chính") == "Bộ Tài chính"
    assert issuing_body("Bộ trưởng, Chủ nhiệm Ủy ban Dân tộc") == "Ủy ban Dân tộc"
    assert issuing_body("Đoàn Chủ tịch TW Hội LHPN Việt Nam") == "Đoàn Chủ tịch Hội Liên hiệp Phụ nữ Việt Nam"
    assert issuing_body("UBND tỉnh Lào Cai; Bộ trưởng Bộ Y tế") == "Ủy ban nhân dân tỉnh Lào Cai; Bộ Y tế"


def test_symbol_typos_are_flagged_not_merged(sample_store):
    cited = [{"symbol": "7/QĐ-UBND", "issue_date": "2021-01-02", "issuer": "Ủy ban Dân tộc", "n_citing_plans": 2},
             {"symbol": "7/QĐ-UBDT", "issue_date": "2021-01-02", "issuer": "Ủy ban Dân tộc", "n_citing_plans": 1},
             {"symbol": "7/QĐ-TTg", "issue_date": "2021-01-03", "issuer": "Ủy ban Dân tộc", "n_citing_plans": 1}]
    [flag] = symbol_variants(cited)
    assert (flag["symbol"], flag["likely_same_as"]) == ("7/QĐ-UBDT", "7/QĐ-UBND")
    for row in query(sample_store, "SELECT * FROM symbol_variants"):
        assert row["symbol"].split("/")[0] == row["likely_same_as"].split("/")[0]


def test_a_store_that_cannot_be_written_is_reported_not_a_traceback(tmp_path, capsys):
    page = HTML_PAGES[0]
    shutil.copy(page, tmp_path / page.name)
    bad = tmp_path / "not-a-store.duckdb"
    bad.write_text("this is not a DuckDB file", encoding="utf-8")
    code = main(["run", str(tmp_path / page.name), "--out", str(tmp_path / "out"), "--db", str(bad), "--workers", "1"])
    assert code == 1
    assert "store NOT updated" in capsys.readouterr().out  # the summary is on stdout
    assert (tmp_path / "out" / "documents.csv").is_file()


def test_runs_batch_by_batch_equal_one_run_over_all(tmp_path):
    """Through the pipeline: batch A twice, then batch B, gives the store of one run over A and B."""
    first, second, both = tmp_path / "a", tmp_path / "b", tmp_path / "ab"
    for folder, pages in ((first, HTML_PAGES[:1]), (second, HTML_PAGES[1:]), (both, HTML_PAGES)):
        folder.mkdir()
        for page in pages:
            shutil.copy(page, folder / page.name)
    shared = tmp_path / "national.duckdb"
    for folder in (first, first, second):
        run([folder], tmp_path / "out" / folder.name, db=shared)
    once = run([both], tmp_path / "out_once")
    assert dump(shared) == dump(once.db)
