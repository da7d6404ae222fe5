"""Twin samples give what their Unicode PDF gives: the TCVN3 text-layer PDF (samples/tools/make_tcvn3_twin.py)
and the Word file (samples/tools/make_docx_twin.py). Same documents fields, targets and references."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from extract import pipeline, run
from extract.model import Document
from extract.readers import read_document
from extract.stages.encoding import fix_legacy_encoding

from .conftest import FIXTURES, SAMPLES, read_csv

TWINS = {  # twin -> its Unicode PDF
    "gia-lai-1002-2024-tcvn3.pdf": "gia-lai-1002-2024.pdf",
    "lao-cai-355-2022.docx": "lao-cai-355-2022.pdf",
}


@pytest.fixture(scope="module", autouse=True)
def encoding_stage_first():
    """The pipeline with fix_legacy_encoding as its first stage. Once extract/pipeline.py lists it first
    in _stages() (issue 6), this fixture changes nothing."""
    stages = pipeline._stages
    with pytest.MonkeyPatch.context() as mp:
        if all(stage is not fix_legacy_encoding for _, stage in stages()):
            mp.setattr(pipeline, "_stages", lambda: [("read", fix_legacy_encoding), *stages()])
        yield


_DOCS: dict[str, Document] = {}


def processed(name: str) -> Document:
    if name not in _DOCS:
        _DOCS[name] = pipeline.process_document(SAMPLES / name, name)
    return _DOCS[name]


def _meta(doc: Document) -> tuple:
    m = doc.meta
    return m.doc_number, m.doc_type, m.issue_date, m.province, m.signer, m.issuer, m.period_start, m.period_end


def _targets(doc: Document) -> list[tuple]:
    return sorted((t.unit_name_raw, t.unit_name, t.unit_code, t.is_total, t.indicator_id, t.unit, t.value_raw, t.value)
                  for t in doc.targets)


def _refs(doc: Document) -> list[tuple]:
    return sorted((r.symbol, r.doc_type, r.issue_date, r.issuer) for r in doc.refs)


@pytest.mark.parametrize(("twin", "original"), sorted(TWINS.items()))
def test_same_documents_fields(twin: str, original: str) -> None:
    a, b = processed(original), processed(twin)
    assert b.status == "ok"
    assert _meta(b) == _meta(a)
    assert all(_meta(b)[:5])


@pytest.mark.parametrize(("twin", "original"), sorted(TWINS.items()))
def test_same_targets(twin: str, original: str) -> None:
    a, b = processed(original), processed(twin)
    assert _targets(b) == _targets(a)
    stem = original.removesuffix(".pdf")
    expected = sorted((r["unit_name"], r["indicator_id"], r["value_raw"], float(r["value"]))
                      for r in read_csv(FIXTURES / "targets" / f"{stem}.csv"))
    assert sorted((t.unit_name_raw, t.indicator_id, t.value_raw, t.value) for t in b.targets) == expected


@pytest.mark.parametrize(("twin", "original"), sorted(TWINS.items()))
def test_same_references(twin: str, original: str) -> None:
    a, b = processed(original), processed(twin)
    assert _refs(b) == _refs(a) and _refs(b)


# ------------------------------------------------------------------------------------------- TCVN3 twin

TCVN3_TWIN = SAMPLES / "gia-lai-1002-2024-tcvn3.pdf"


def test_tcvn3_twin_text_layer_is_tcvn3() -> None:
    with pymupdf.open(TCVN3_TWIN) as pdf:
        fonts = {f[3] for page in pdf for f in page.get_fonts()}
        text = pdf[0].get_text()
    assert {".VnTime", ".VnTimeH"} <= fonts
    assert "CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM" in text
    assert "KÕ HO¹CH" in text and "t-íng ChÝnh phñ" in text  # "ư" (0xAD) comes out as "-"
    raw = read_document(str(TCVN3_TWIN), TCVN3_TWIN.name)
    assert any("QuyÕt ®Þnh 1719/Q§-TTg" in line.text for line in raw.lines)
    assert raw.tables and any(c.text == "§ak §oa" for c in raw.tables[0].cells)  # words stay in their cells


def test_tcvn3_twin_lines_and_cells_match_the_unicode_pdf() -> None:
    a = read_document(str(SAMPLES / "gia-lai-1002-2024.pdf"), "a")
    b = fix_legacy_encoding(read_document(str(TCVN3_TWIN), "b"))
    assert [(ln.page, ln.block, ln.text) for ln in b.lines] == [(ln.page, ln.block, ln.text) for ln in a.lines]
    assert [t.text_grid() for t in b.tables] == [t.text_grid() for t in a.tables]
    assert [[(c.row, c.col, c.row_span, c.col_span) for c in t.cells] for t in b.tables] == [
        [(c.row, c.col, c.row_span, c.col_span) for c in t.cells] for t in a.tables
    ]


def test_tcvn3_twin_without_font_names_is_detected_from_its_text() -> None:
    doc = read_document(str(TCVN3_TWIN), TCVN3_TWIN.name)
    doc.font_names = []
    for _name, stage in pipeline._stages():
        doc = stage(doc)
    assert doc.encoding == "tcvn3"
    assert "no legacy font name" in next(w.message for w in doc.warnings if w.kind == "legacy_encoding")
    assert _targets(doc) == _targets(processed("gia-lai-1002-2024.pdf"))
    assert _meta(doc) == _meta(processed("gia-lai-1002-2024.pdf"))


def test_encoding_column_and_warning_in_the_output(tmp_path: Path) -> None:
    result = run([TCVN3_TWIN, SAMPLES / "lao-cai-355-2022.docx"], tmp_path / "out")
    docs = {row["source_file"]: row for row in read_csv(result.out_dir / "documents.csv")}
    assert docs[TCVN3_TWIN.name]["encoding"] == "tcvn3"
    assert docs["lao-cai-355-2022.docx"]["encoding"] == "unicode"
    assert docs[TCVN3_TWIN.name]["n_targets"] == "64"
    warnings = read_csv(result.out_dir / "warnings.csv")
    assert [(w["source_file"], w["stage"]) for w in warnings if w["kind"] == "legacy_encoding"] == [
        (TCVN3_TWIN.name, "read")
    ]


# -------------------------------------------------------------------------------------------- DOCX twin


def test_docx_twin_structure() -> None:
    doc = read_document(str(SAMPLES / "lao-cai-355-2022.docx"), "lao-cai-355-2022.docx")
    assert doc.format == "docx"
    allocation, activities = doc.tables
    assert (allocation.n_rows, allocation.n_cols, allocation.header_rows) == (13, 12, 3)
    spans = {c.text: (c.row, c.col, c.row_span, c.col_span) for c in allocation.cells if c.row == 0}
    assert spans == {"STT": (0, 0, 3, 1), "Huyện/thị/thành phố": (0, 1, 3, 1), "NỘI DUNG": (0, 2, 1, 10)}
    assert allocation.caption.startswith("PHỤ LỤC 01\n")
    # The activity table runs over seven PDF pages: one Word table, its header row written once.
    assert (activities.n_cols, activities.header_rows) == (4, 1)
    assert sum(c.text == "Nội dung hoạt động" for c in activities.cells) == 1
    texts = [line.text for line in doc.lines]
    assert texts[:6] == ["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI", "Số: 355/KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                         "Độc lập - Tự do - Hạnh phúc", "Lào Cai, ngày 24 tháng 10 năm 2022"]
    assert texts[-1].startswith("Lào Cai không thuộc địa bàn")  # the Word footnote, read last
    assert not any("an toàn1" in c.text for c in activities.cells)  # its mark is not glued to the text
