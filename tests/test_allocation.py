"""Allocation tables → target rows, checked cell by cell against the project's expected cells."""

from functools import cache
from pathlib import Path

import pytest

from extract.model import Cell, Document, DocumentMeta, Page, Table
from extract.readers import read_document
from extract.stages.allocation import extract_targets
from extract.stages.appendix import find_appendices
from extract.stages.meta import extract_meta
from extract.stages.normalize import normalize_targets

from .conftest import FIXTURES, SAMPLES, read_csv

TABLE_DOCS = sorted(p.stem for p in (FIXTURES / "targets").glob("*.csv"))


@cache  # several tests look at the same file's result; none changes it
def _extract(path: Path) -> Document:
    doc = read_document(str(path), path.name)
    for stage in (extract_meta, find_appendices, extract_targets, normalize_targets):
        doc = stage(doc)
    return doc


def _cells(doc: Document) -> list[tuple]:
    return sorted(
        (t.unit_name_raw, t.is_total, t.indicator_id, t.indicator_label_raw, t.unit_raw, t.value_raw, t.value)
        for t in doc.targets
    )


def _expected(stem: str) -> list[tuple]:
    return sorted(
        (r["unit_name"], r["row_kind"] == "total", r["indicator_id"], r["header_raw"], r["unit_raw"],
         r["value_raw"], float(r["value"]))
        for r in read_csv(FIXTURES / "targets" / f"{stem}.csv")
    )


@pytest.mark.parametrize(
    ("stem", "suffix"),
    [(stem, suffix) for stem in TABLE_DOCS for suffix in (".pdf", ".html") if (SAMPLES / f"{stem}{suffix}").exists()],
)
def test_every_cell_matches_expected(stem, suffix):
    assert _cells(_extract(SAMPLES / f"{stem}{suffix}")) == _expected(stem)


def test_every_plan_with_expected_cells_has_its_pdf():
    """The parametrization above takes the files that exist; each plan's PDF must be among them."""
    assert TABLE_DOCS and all((SAMPLES / f"{stem}.pdf").is_file() for stem in TABLE_DOCS)


@pytest.mark.parametrize("suffix", [".pdf", ".html"])
def test_binh_thuan_total_mismatch_is_reported_once_and_not_fixed(suffix):
    doc = _extract(SAMPLES / f"binh-thuan-3798-2022{suffix}")
    mismatches = [w for w in doc.warnings if w.kind == "total_mismatch"]
    assert len(mismatches) == 1
    assert "says 5" in mismatches[0].message and "sum to 4" in mismatches[0].message
    gals_total = [t for t in doc.targets if t.is_total and t.indicator_id == "savings_loan_groups_gals"]
    assert [t.value for t in gals_total] == [5.0]


@pytest.mark.parametrize("stem", ["lao-cai-355-2022", "gia-lai-1002-2024"])
def test_consistent_tables_raise_no_total_mismatch(stem):
    doc = _extract(SAMPLES / f"{stem}.pdf")
    assert not [w for w in doc.warnings if w.kind == "total_mismatch"]


def test_completion_time_row_is_a_timeframe_not_a_unit():
    doc = _extract(SAMPLES / "binh-thuan-3798-2022.pdf")
    assert not [t for t in doc.targets if "thời gian" in t.unit_name_raw.lower()]
    by_id = {t.indicator_id: t.timeframe for t in doc.targets if t.is_total}
    assert by_id["communication_groups"] == "2022-2024"
    assert by_id["policy_dialogues"] == "2023 và 2025"


def test_dash_and_blank_are_zero_but_kept_apart():
    doc = _extract(SAMPLES / "gia-lai-1002-2024.pdf")
    raws = {t.value_raw for t in doc.targets if t.value == 0}
    assert raws == {"-", ""}


def test_merged_header_keeps_group_path():
    doc = _extract(SAMPLES / "lao-cai-355-2022.pdf")
    gals = next(t for t in doc.targets if t.indicator_id == "savings_loan_groups_gals")
    assert gals.group_path.endswith("Nâng cao quyền năng kinh tế và giải quyết vấn đề cấp thiết của PN&TE")
    assert gals.indicator_label_raw.startswith("Thí điểm Tổ TKVVTB")


def test_every_target_carries_provenance():
    doc = _extract(SAMPLES / "lao-cai-355-2022.pdf")
    assert {t.page for t in doc.targets} == {11}
    assert all(t.appendix == "Phụ lục 01" for t in doc.targets)
    assert all(t.value_raw or t.value == 0 for t in doc.targets)


def test_activity_tables_are_classified_and_give_no_targets():
    doc = _extract(SAMPLES / "lao-cai-355-2022.pdf")
    kinds = [t.kind for t in doc.tables]
    assert kinds == ["allocation", "activity"]
    activity = doc.tables[1]
    assert activity.pages == [12, 13, 14, 15, 16, 17, 18]  # one table over seven landscape pages
    assert activity.appendix == "Phụ lục 2"


def _table(rows: list[list[str]], page: int = 1) -> Table:
    """A ruled table as a PDF reader would give it: 100 pt columns, 20 pt rows from the page top."""
    cells = [
        Cell(r, c, text, page=page, bbox=(100.0 * c, 50 + 20.0 * r, 100.0 * (c + 1), 70 + 20.0 * r))
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    ]
    return Table(cells=cells, n_rows=len(rows), n_cols=len(rows[0]), page=page, pages=[page])


def _run_table(table: Table, province: str = "Lào Cai") -> Document:
    doc = Document("t.pdf", "t.pdf", format="html", tables=[table], meta=DocumentMeta(province=province))
    return extract_targets(find_appendices(doc))


def test_transposed_table_is_read_with_units_as_rows():
    table = _table([
        ["Nội dung", "Tổng", "Huyện Bắc Hà", "Huyện Si Ma Cai"],
        ["Thành lập và duy trì tổ truyền thông cộng đồng (tổ)", "10", "6", "4"],
        ["Thành lập CLB thủ lĩnh của sự thay đổi (CLB)", "3", "-", "3"],
    ])
    doc = _run_table(table)
    assert doc.tables[0].kind == "allocation"
    cells = {(t.unit_name_raw, t.indicator_label_raw[:12]): (t.value, t.row_index, t.col_index) for t in doc.targets}
    assert cells[("Huyện Bắc Hà", "Thành lập CL")] == (0.0, 2, 2)
    assert cells[("Huyện Si Ma Cai", "Thành lập và")] == (4.0, 1, 3)
    assert [t.is_total for t in doc.targets].count(True) == 2
    assert not doc.warnings


def test_transposed_table_totals_are_checked_per_indicator():
    table = _table([
        ["Nội dung", "Tổng", "Huyện Bắc Hà", "Huyện Si Ma Cai"],
        ["Thành lập và duy trì tổ truyền thông cộng đồng (tổ)", "11", "6", "4"],
        ["Thành lập CLB thủ lĩnh của sự thay đổi (CLB)", "3", "-", "3"],
    ])
    doc = _run_table(table)
    assert [w.kind for w in doc.warnings] == ["total_mismatch"]
    assert "says 11" in doc.warnings[0].message and "sum to 10" in doc.warnings[0].message


def test_table_split_over_pages_with_repeated_header_is_joined():
    header = ["STT", "Đơn vị", "Thành lập CLB thủ lĩnh của sự thay đổi (CLB)"]
    first = _table([header, ["", "Tổng cộng", "5"], ["1", "Huyện Bắc Hà", "2"]], page=4)
    second = _table([header, ["2", "Huyện Si Ma Cai", "3"]], page=5)
    doc = Document("x.pdf", "x.pdf", format="pdf", pages=[Page(4), Page(5)], tables=[first, second],
                   meta=DocumentMeta(province="Lào Cai"))
    extract_targets(find_appendices(doc))
    assert len(doc.tables) == 1 and doc.tables[0].pages == [4, 5] and doc.tables[0].n_rows == 4
    assert [(t.unit_name_raw, t.value, t.page) for t in doc.targets] == [
        ("Tổng cộng", 5.0, 4), ("Huyện Bắc Hà", 2.0, 4), ("Huyện Si Ma Cai", 3.0, 5)]
    assert not [w for w in doc.warnings if w.kind == "total_mismatch"]


def test_table_continued_without_repeated_header_is_joined():
    first = _table([["STT", "Đơn vị", "Tổ truyền thông (tổ)"], ["1", "Huyện Bắc Hà", "2"]], page=7)
    second = _table([["2", "Huyện Si Ma Cai", "3"]], page=8)
    doc = Document("x.pdf", "x.pdf", format="pdf", pages=[Page(7), Page(8)], tables=[first, second],
                   meta=DocumentMeta(province="Lào Cai"))
    extract_targets(find_appendices(doc))
    assert [(t.unit_name_raw, t.page) for t in doc.targets] == [("Huyện Bắc Hà", 7), ("Huyện Si Ma Cai", 8)]


def test_text_that_is_not_a_number_is_empty_and_warned():
    table = _table([
        ["STT", "Đơn vị", "Đối thoại chính sách (cuộc)", "Thành lập CLB thủ lĩnh của sự thay đổi (CLB)"],
        ["1", "Huyện Bắc Hà", "Tùy tình hình", "2"],
        ["2", "Huyện Si Ma Cai", "1.200", "01"],
    ])
    doc = _run_table(table)
    values = {(t.unit_name_raw, t.col_index): (t.value, t.value_raw) for t in doc.targets}
    assert values == {
        ("Huyện Bắc Hà", 2): (None, "Tùy tình hình"), ("Huyện Bắc Hà", 3): (2.0, "2"),
        ("Huyện Si Ma Cai", 2): (1200.0, "1.200"), ("Huyện Si Ma Cai", 3): (1.0, "01"),
    }
    assert [w.kind for w in doc.warnings] == ["value_not_number"]


def test_document_with_only_an_activity_table_is_normal(tmp_path):
    """Pages 1 and 12-18 of the Lào Cai plan: the header and Phụ lục 2 only, no allocation table."""
    import pymupdf

    from extract.pipeline import process_document

    src = pymupdf.open(SAMPLES / "lao-cai-355-2022.pdf")
    out = pymupdf.open()
    out.insert_pdf(src, from_page=0, to_page=0)
    out.insert_pdf(src, from_page=11, to_page=17)
    out.save(tmp_path / "activities-only.pdf")
    doc = process_document(tmp_path / "activities-only.pdf", "activities-only.pdf")
    assert doc.status == "ok" and doc.meta.doc_number == "355/KH-UBND"
    assert [t.kind for t in doc.tables] == ["activity"] and doc.tables[0].pages == [2, 3, 4, 5, 6, 7, 8]
    assert doc.targets == []
    assert not [w for w in doc.warnings if w.stage in ("tables", "validate")]


def test_continuation_with_other_columns_is_kept_apart_and_warned():
    first = _table([["STT", "Đơn vị", "Tổ truyền thông (tổ)"], ["1", "Huyện Bắc Hà", "2"]], page=7)
    second = _table([["2", "Huyện Si Ma Cai", "3", "9"]], page=8)
    doc = Document("x.pdf", "x.pdf", format="pdf", pages=[Page(7), Page(8)], tables=[first, second],
                   meta=DocumentMeta(province="Lào Cai"))
    find_appendices(doc)
    assert len(doc.tables) == 2
    assert [(w.kind, w.page) for w in doc.warnings] == [("table_split_mismatch", 8)]
