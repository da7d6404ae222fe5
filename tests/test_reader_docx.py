"""DOCX reader: paragraphs, merged-cell spans from the XML, layout tables, skipped furniture, bad input."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from extract.readers.docx import W, read_docx, table_to_model
from extract.readers.errors import ReaderError

ROOT = Path(__file__).resolve().parent.parent
INDICATORS = [
    "Thành lập tổ truyền thông (tổ)",
    "Củng cố tổ TKVVTB (tổ)",
    "Thí điểm GALS (tổ)",
    "Tổ nhóm sinh kế 4.0 (tổ/nhóm)",
    "Địa chỉ tin cậy",
    "Đối thoại chính sách",
]
BODY = [
    ["", "Chỉ tiêu cần đạt giai đoạn I", "20", "15", "5", "1", "3", "11"],
    ["1", "Huyện Si Ma Cai", "29", "9", "6", "2", "4", "14"],
    ["2", "Huyện Bắc Hà", "66", "22", "13", "4", "8", "-"],
]


def _header_table(d: docx.document.Document) -> None:
    """The usual 2-column header block: issuer + number left, motto + place/date right."""
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "ỦY BAN NHÂN DÂN"
    t.cell(0, 0).add_paragraph("TỈNH LÀO CAI")
    t.cell(1, 0).text = "Số: 355/KH-UBND"
    run = t.cell(0, 1).paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    run.add_break()
    run.add_text("Độc lập - Tự do - Hạnh phúc")
    t.cell(1, 1).text = "Lào Cai, ngày 24 tháng 10 năm 2022"


def _allocation_table(d: docx.document.Document) -> None:
    """STT/unit rowspan 3, 'NỘI DUNG' colspan 6, groups spanning 1/3/2, leaf headers, body rows."""
    t = d.add_table(rows=3 + len(BODY), cols=8)
    t.style = "Table Grid"
    t.cell(0, 0).merge(t.cell(2, 0)).text = "STT"
    t.cell(0, 1).merge(t.cell(2, 1)).text = "Huyện/thị/thành phố"
    t.cell(0, 2).merge(t.cell(0, 7)).text = "NỘI DUNG"
    t.cell(1, 2).text = "Truyền thông"
    t.cell(1, 3).merge(t.cell(1, 5)).text = "Quyền năng kinh tế"
    t.cell(1, 6).merge(t.cell(1, 7)).text = "Tiếng nói"
    for i, label in enumerate(INDICATORS):
        t.cell(2, 2 + i).text = label
    for r, row in enumerate(BODY):
        for c, value in enumerate(row):
            t.cell(3 + r, c).text = value
    # The first three rows repeat on every page (w:tblHeader), as the corpus writer marks them.
    for tr in t._tbl.tr_lst[:3]:
        tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


@pytest.fixture(scope="module")
def plan_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "ĐẦU TRANG KHÔNG ĐỌC"
    d.sections[0].footer.paragraphs[0].text = "Trang 1"
    _header_table(d)
    d.add_paragraph("KẾ HOẠCH")
    p = d.add_paragraph("Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021")
    ref = OxmlElement("w:r")  # a footnote reference mark: no text may come of it
    mark = OxmlElement("w:footnoteReference")
    mark.set(qn("w:id"), "1")
    ref.append(mark)
    p._p.append(ref)
    p.add_run(" của Thủ tướng Chính phủ;")
    br = d.add_paragraph("Dòng có")
    br.add_run().add_break()
    br.add_run("ngắt\tdòng")
    d.add_paragraph("")
    d.add_paragraph("PHỤ LỤC 01")
    d.add_paragraph("PHÂN BỔ CHỈ TIÊU THỰC HIỆN DỰ ÁN 8")
    d.add_paragraph("(Kèm theo Kế hoạch số 355/KH-UBND)")
    _allocation_table(d)
    d.add_paragraph("Sau bảng")
    outer = d.add_table(rows=1, cols=4)
    outer.cell(0, 0).text = "Ngoài"
    inner = outer.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "trong 1"
    inner.cell(0, 1).text = "trong 2"
    path = tmp_path_factory.mktemp("docx") / "plan.docx"
    d.save(str(path))
    return path


@pytest.fixture(scope="module")
def plan(plan_docx: Path):
    return read_docx(str(plan_docx), "plan.docx")


def test_paragraph_lines(plan) -> None:
    texts = [line.text for line in plan.lines]
    assert plan.format == "docx" and len(plan.pages) == 1 and plan.pages[0].number == 1
    assert all(line.page == 0 for line in plan.lines)
    assert "KẾ HOẠCH" in texts
    assert "Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ;" in texts
    assert "Dòng có ngắt dòng" in texts
    assert "" not in texts
    blocks = [line.block for line in plan.lines]
    assert blocks == sorted(blocks)


def test_header_and_footer_skipped(plan) -> None:
    texts = " ".join(line.text for line in plan.lines)
    assert "ĐẦU TRANG" not in texts and "Trang 1" not in texts


def test_header_layout_table_becomes_lines_left_column_first(plan) -> None:
    texts = [line.text for line in plan.lines]
    assert texts[:6] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH LÀO CAI",
        "Số: 355/KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lào Cai, ngày 24 tháng 10 năm 2022",
    ]
    assert not any("CỘNG HÒA" in c.text for t in plan.tables for c in t.cells)


def test_allocation_table_spans_from_xml(plan) -> None:
    table = plan.tables[0]
    assert table.index == 0 and table.header_rows == 3
    assert (
        table.caption == "PHỤ LỤC 01\nPHÂN BỔ CHỈ TIÊU THỰC HIỆN DỰ ÁN 8\n(Kèm theo Kế hoạch số 355/KH-UBND)"
    )
    assert (table.n_rows, table.n_cols) == (6, 8)
    spans = {c.text: (c.row, c.col, c.row_span, c.col_span) for c in table.cells if c.row < 3}
    assert spans == {
        "STT": (0, 0, 3, 1),
        "Huyện/thị/thành phố": (0, 1, 3, 1),
        "NỘI DUNG": (0, 2, 1, 6),
        "Truyền thông": (1, 2, 1, 1),
        "Quyền năng kinh tế": (1, 3, 1, 3),
        "Tiếng nói": (1, 6, 1, 2),
        **{label: (2, 2 + i, 1, 1) for i, label in enumerate(INDICATORS)},
    }
    assert len(table.cells) == 3 + 3 + 6 + 8 * len(BODY)  # merged cells appear once
    assert table.text_grid()[3:] == BODY


def test_nested_table_flattened_into_cell(plan) -> None:
    table = plan.tables[1]
    assert table.caption == "Sau bảng"
    assert [c.text for c in table.cells][:2] == ["Ngoài", "trong 1 trong 2"]
    assert len(plan.tables) == 2


def _tbl(rows_xml: str) -> etree._Element:
    return etree.fromstring(f'<w:tbl xmlns:w="{W}">{rows_xml}</w:tbl>')


def _tc(text: str = "", span: int = 1, vmerge: str | None = None) -> str:
    props = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + (
        "" if vmerge is None else ("<w:vMerge/>" if vmerge == "continue" else f'<w:vMerge w:val="{vmerge}"/>')
    )
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def test_odd_layout_vmerge_in_middle_column_grid_before_and_content_control() -> None:
    rows = (
        f"<w:tr>{_tc('A')}{_tc('B', vmerge='restart')}{_tc('C', span=2)}</w:tr>"
        f"<w:tr>{_tc('D')}{_tc(vmerge='continue')}{_tc('E')}{_tc('F')}</w:tr>"
        f'<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>{_tc(vmerge="continue")}'
        f"<w:sdt><w:sdtContent>{_tc('G', span=2)}</w:sdtContent></w:sdt></w:tr>"
        f"<w:tr>{_tc('H')}{_tc('I', vmerge='continue')}{_tc('J')}{_tc('K')}</w:tr>"
    )
    table, _ = table_to_model(_tbl(rows), 0, "")
    got = [(c.text, c.row, c.col, c.row_span, c.col_span) for c in table.cells]
    assert got == [
        ("A", 0, 0, 1, 1),
        ("B", 0, 1, 4, 1),
        ("C", 0, 2, 1, 2),
        ("D", 1, 0, 1, 1),
        ("E", 1, 2, 1, 1),
        ("F", 1, 3, 1, 1),
        ("G", 2, 2, 1, 2),
        ("H", 3, 0, 1, 1),
        ("J", 3, 2, 1, 1),
        ("K", 3, 3, 1, 1),
    ]
    assert (table.n_rows, table.n_cols) == (4, 4)


def test_vmerge_continue_without_restart_starts_a_cell() -> None:
    table, _ = table_to_model(_tbl(f"<w:tr>{_tc('x', vmerge='continue')}{_tc('y')}</w:tr>"), 0, "")
    assert [(c.text, c.row, c.col, c.row_span) for c in table.cells] == [("x", 0, 0, 1), ("y", 0, 1, 1)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "old binary Word"),
        (b"<html><body>not a docx</body></html>", "not a DOCX"),
        (b"PK\x03\x04garbage" + bytes(200), "not a readable DOCX"),
    ],
)
def test_unreadable_input_raises_reader_error(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.docx"
    path.write_bytes(data)
    with pytest.raises(ReaderError, match=message):
        read_docx(str(path), "bad.docx")


def test_zip_without_word_document_raises(tmp_path: Path) -> None:
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(ReaderError, match="not a readable DOCX"):
        read_docx(str(path), "other.docx")


def test_truncated_docx_raises(tmp_path: Path, plan_docx: Path) -> None:
    path = tmp_path / "cut.docx"
    path.write_bytes(plan_docx.read_bytes()[:3000])
    with pytest.raises(ReaderError):
        read_docx(str(path), "cut.docx")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_docx_of_sample_page(tmp_path: Path) -> None:
    """The Lào Cai portal page converted by LibreOffice still gives the 12-column allocation table."""
    sample = ROOT / "samples" / "lao-cai-355-2022.html"
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(tmp_path),
            str(sample),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    doc = read_docx(str(tmp_path / "lao-cai-355-2022.docx"), "lao-cai.docx")
    table = next(t for t in doc.tables if "PHỤ LỤC 01" in t.caption)
    assert table.n_cols == 12
    assert (
        next(r for r in table.text_grid() if r[1] == "Huyện Si Ma Cai")[2:] == "29 9 6 2 4 14 6 2 2 5".split()
    )


def _add_footnotes_part(src: Path, dst: Path) -> None:
    """Copy a .docx adding word/footnotes.xml (separator + one real note) the way Word stores it."""
    notes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Theo KH số '
        "43/KH-ĐCT.</w:t></w:r></w:p></w:footnote></w:footnotes>"
    )
    rel = (
        '<Relationship Id="rIdNotes" Target="footnotes.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"/>'
    )
    override = (
        '<Override PartName="/word/footnotes.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
    )
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", override.encode() + b"</Types>")
            zout.writestr(item, data)
        zout.writestr("word/footnotes.xml", notes.encode("utf-8"))


def test_footnote_bodies_are_last_lines(tmp_path: Path, plan_docx: Path) -> None:
    path = tmp_path / "notes.docx"
    _add_footnotes_part(plan_docx, path)
    doc = read_docx(str(path), "notes.docx")
    assert doc.lines[-1].text == "Theo KH số 43/KH-ĐCT."
    assert sum("43/KH-ĐCT" in line.text for line in doc.lines) == 1
