"""HTML reader: portal chrome kept apart, header lines, tables with spans, charsets, bad input."""

from __future__ import annotations

import codecs
import csv
import re
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.readers.errors import ReaderError
from extract.readers.html import ERROR_PAGE, caption_from_lines, grid_cells, read_html

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"

LAO_CAI = "lao-cai-355-2022"
BINH_THUAN = "binh-thuan-3798-2022"
HEADERS = {
    LAO_CAI: ("Số: 355/KH-UBND", "Lào Cai, ngày 24 tháng 10 năm 2022", "TỈNH LÀO CAI"),
    BINH_THUAN: ("Số: 3798/KH-UBND", "Bình Thuận, ngày 09 tháng 11 năm 2022", "TỈNH BÌNH THUẬN"),
}
# The plans' own "Căn cứ" references (gold refs), in order.
CAN_CU = {
    LAO_CAI: ["1719/QĐ-TTg", "39/2021/QĐ-TTg", "43/KH-ĐCT", "04/HD-ĐCT", "03/2022/NQ-HĐND", "284/KH-UBND"],
    BINH_THUAN: ["1719/QĐ-TTg", "43/KH-ĐCT", "04/HD-ĐCT"],
}
# Decoys listed by the portal. Some are also cited in the plan's body text (as in the PDF twin), never in
# its "Căn cứ" preamble: expected number of body lines mentioning each, checked against the PDF.
DECOYS_IN_BODY = {
    LAO_CAI: {"612/QĐ-UBDT": 1, "15/2022/TT-BTC": 1},
    BINH_THUAN: {"612/QĐ-UBDT": 0, "15/2022/TT-BTC": 1, "861/QĐ-TTg": 1},
}
PORTAL_LABELS = (
    "Văn bản liên quan",
    "Văn bản căn cứ",
    "Số hiệu:",
    "Loại văn bản:",
    "Ngày ban hành:",
    "ĐĂNG NHẬP",
)


@pytest.fixture(scope="module", params=[LAO_CAI, BINH_THUAN])
def sample(request: pytest.FixtureRequest):
    return request.param, read_html(str(SAMPLES / f"{request.param}.html"), f"{request.param}.html")


def _texts(lines) -> list[str]:
    return [line.text for line in lines]


def _write(tmp_path: Path, data: bytes, name: str = "page.html") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


# ------------------------------------------------------------------------------------------ samples


def test_sample_is_one_page_of_html_lines(sample) -> None:
    _, doc = sample
    assert doc.format == "html" and len(doc.pages) == 1 and doc.pages[0].number == 1
    assert all(line.page == 0 for line in doc.lines)
    assert len(doc.sha256) == 64 and not doc.warnings


def test_sample_header_lines_left_column_then_right(sample) -> None:
    name, doc = sample
    number, date, province = HEADERS[name]
    texts = _texts(doc.lines)
    assert texts[:6] == [
        "ỦY BAN NHÂN DÂN",
        province,
        number,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        date,
    ]


def test_sample_portal_lists_only_in_portal_lines(sample) -> None:
    name, doc = sample
    texts, portal = _texts(doc.lines), _texts(doc.portal_lines)
    for label in PORTAL_LABELS:
        assert any(label in t for t in portal), label
        assert not any(label in t for t in texts), label
    assert {"Hệ Thống Pháp Luật", "Văn bản pháp luật", "Đăng nhập"} <= set(portal)  # nav bar: a line per link
    items = [t for t in portal if re.match(r"^\d+ (Quyết định|Thông tư|Kế hoạch|Nghị quyết) ", t)]
    assert len(items) >= 8
    assert not set(items) & set(texts)
    assert not any(t.startswith("Kế hoạch 3320/KH-UBND") or "3320/KH-UBND" in t for t in texts)
    for symbol, in_body in DECOYS_IN_BODY[name].items():
        assert any(symbol in t for t in portal), symbol
        mentions = [t for t in texts if symbol in t]
        assert len(mentions) == in_body, symbol
        assert not any(t.startswith("Căn cứ") for t in mentions), symbol


def test_sample_can_cu_paragraphs_in_lines(sample) -> None:
    name, doc = sample
    texts = _texts(doc.lines)
    first_section = texts.index("I. MỤC ĐÍCH, YÊU CẦU")
    preamble = " ".join(t for t in texts[:first_section] if t.startswith("Căn cứ"))
    positions = [preamble.find(symbol) for symbol in CAN_CU[name]]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)


def test_sample_layout_tables_are_lines_not_tables(sample) -> None:
    name, doc = sample
    signer = {LAO_CAI: "Giàng Thị Dung", BINH_THUAN: "Nguyễn Minh"}[name]
    texts = _texts(doc.lines)
    assert signer in texts and "Nơi nhận:" in texts
    assert texts.index("Nơi nhận:") < texts.index(signer)  # left column (recipients) first
    assert len(doc.tables) == 2 and [t.index for t in doc.tables] == [0, 1]
    assert not any("CỘNG HÒA" in c.text for t in doc.tables for c in t.cells)


def _expected_rows(name: str) -> tuple[int, dict[str, list[str]]]:
    with open(FIXTURES / "allocation_rows.csv", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["doc"] == name]
    return int(rows[0]["n_cols"]), {r["unit_name"]: r["values"].split() for r in rows}


def test_sample_allocation_table_reconstructs(sample) -> None:
    name, doc = sample
    n_cols, expected = _expected_rows(name)
    table = next(t for t in doc.tables if re.search(r"PHỤ LỤC 0?1\b", t.caption, re.IGNORECASE))
    assert table.caption.splitlines()[1].startswith("PHÂN BỐ CHỈ TIÊU")
    assert table.n_cols == n_cols and table.n_rows == 3 + 1 + (len(expected) - 1) + (name == BINH_THUAN)
    grid = table.text_grid()
    assert grid[0][:3] == ["STT", grid[0][1], "NỘI DUNG"]
    spans = {(c.row, c.col): (c.row_span, c.col_span) for c in table.cells}
    assert spans[(0, 0)] == (3, 1) and spans[(0, 1)] == (3, 1) and spans[(0, 2)] == (1, n_cols - 2)
    body = {row[1]: row[2:] for row in grid[3:]}
    for unit, values in expected.items():
        assert body[unit] == values, unit


def test_lao_cai_si_ma_cai_and_binh_thuan_total_row() -> None:
    lao = read_html(str(SAMPLES / f"{LAO_CAI}.html"), "x").tables[0].text_grid()
    assert next(r for r in lao if r[1] == "Huyện Si Ma Cai")[2:] == "29 9 6 2 4 14 6 2 2 5".split()
    binh = read_html(str(SAMPLES / f"{BINH_THUAN}.html"), "x").tables[0]
    assert binh.n_cols == 13
    assert binh.text_grid()[3][1:] == ["Chỉ tiêu cần đạt giai đoạn I", *"20 15 5 1 3 11 5 30 2 1 5".split()]


def test_lao_cai_footnote_anchor_dropped_and_body_kept() -> None:
    doc = read_html(str(SAMPLES / f"{LAO_CAI}.html"), "x")
    texts = _texts(doc.lines)
    assert texts[-1].startswith("[1] Lào Cai không thuộc địa bàn")
    assert not any("[1]" in t for t in texts[:-1])
    cells = [c.text for t in doc.tables for c in t.cells]
    assert "Đề xuất gói chính sách hỗ trợ phụ nữ DTTS sinh đẻ an toàn - Đối với" in " ".join(cells)
    assert not any("[1]" in c for c in cells)


def test_binh_thuan_appendix_02_caption_reaches_back_to_label() -> None:
    doc = read_html(str(SAMPLES / f"{BINH_THUAN}.html"), "x")
    caption = doc.tables[1].caption.splitlines()
    assert caption[0] == "Phụ lục 02" and len(caption) == 5


def test_chrome_separated_without_class_names(tmp_path: Path) -> None:
    """The heuristics do not need the portal's ids and classes."""
    raw = (SAMPLES / f"{LAO_CAI}.html").read_text(encoding="utf-8")
    bare = re.sub(r'\s(?:id|class)="[^"]*"', "", raw)
    doc = read_html(_write(tmp_path, bare.encode("utf-8")), "x")
    texts, portal = _texts(doc.lines), _texts(doc.portal_lines)
    assert texts[2] == "Số: 355/KH-UBND"
    assert not any(label in t for t in texts for label in PORTAL_LABELS)
    assert any("612/QĐ-UBDT năm 2021" in t for t in portal)
    assert len(doc.tables) == 2 and doc.tables[0].n_cols == 12


# --------------------------------------------------------------------------------------- fixtures


def test_odd_spans_fixture_reconstructs() -> None:
    doc = read_html(str(FIXTURES / "odd_spans.html"), "odd_spans.html")
    (table,) = doc.tables
    with open(FIXTURES / "odd_spans_cells.csv", encoding="utf-8", newline="") as fh:
        expected = [
            (int(r["row"]), int(r["col"]), int(r["row_span"]), int(r["col_span"]), r["text"])
            for r in csv.DictReader(fh)
        ]
    got = [(c.row, c.col, c.row_span, c.col_span, c.text) for c in table.cells]
    assert got == expected
    assert (table.n_rows, table.n_cols, table.header_rows) == (6, 5, 2)
    assert table.caption == "PHỤ LỤC 03\nBẢNG THỬ NGHIỆM"
    grid = table.grid()
    assert grid[4][2] is grid[2][2] and grid[3][4] is grid[2][4]  # the rowspans cover the slots below


def test_odd_spans_running_text_marks_and_breaks() -> None:
    doc = read_html(str(FIXTURES / "odd_spans.html"), "odd_spans.html")
    texts = _texts(doc.lines)
    # Footnote anchor and bare footnote <sup> dropped; the m² exponent kept.
    assert "Nội dung chính của năm 2023, diện tích 50 m2." in texts
    # A single <br> is a space, a double <br> a paragraph break within the same block.
    one, two = (
        next(line for line in doc.lines if line.text == t) for t in ("Dòng một vẫn dòng một", "Dòng hai")
    )
    assert one.block == two.block
    assert texts[-1] == "[1] Chú thích một."
    assert doc.portal_lines[0].text == "Bảng thử"  # the <title>


def test_other_portal_layout() -> None:
    doc = read_html(str(FIXTURES / "other_portal.html"), "other_portal.html")
    texts, portal = _texts(doc.lines), _texts(doc.portal_lines)
    assert texts[:6] == [
        "HỘI ĐỒNG NHÂN DÂN",
        "TỈNH X",
        "Số: 5/NQ-HĐND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "X, ngày 01 tháng 02 năm 2023",
    ]
    assert "Điều 1. Phân bổ chỉ tiêu" in texts and "Điều 2. Hiệu lực thi hành" in texts
    assert "Văn bản căn cứ của Nghị quyết này được nêu ở trên." in texts  # a plan paragraph, not a list
    assert {"Số hiệu: 5/NQ-HĐND", "Trang chủ", "Quyết định 999/QĐ-TTg năm 2021 của Thủ tướng"} <= set(portal)
    assert "© 2023 Cơ sở dữ liệu văn bản" in portal
    assert not doc.tables and not doc.warnings


def test_error_page_raises() -> None:
    with pytest.raises(ReaderError, match=re.escape(ERROR_PAGE)):
        read_html(str(FIXTURES / "error_404.html"), "error_404.html")


# ------------------------------------------------------------------------------------------- units


def test_grid_cells_rowspan_in_middle_column_and_ragged_rows() -> None:
    cells, n_cols = grid_cells(
        [
            [("a", 1, 1), ("b", 3, 1), ("c", 1, 2)],
            [("d", 1, 1), ("e", 1, 1)],  # short row: "e" lands right of b's rowspan
            [("f", 1, 1), ("g", 1, 1), ("h", 1, 1), ("i", 9, 1)],  # rowspan past the end is clipped
        ]
    )
    assert [(c.text, c.row, c.col, c.row_span, c.col_span) for c in cells] == [
        ("a", 0, 0, 1, 1),
        ("b", 0, 1, 3, 1),
        ("c", 0, 2, 1, 2),
        ("d", 1, 0, 1, 1),
        ("e", 1, 2, 1, 1),
        ("f", 2, 0, 1, 1),
        ("g", 2, 2, 1, 1),
        ("h", 2, 3, 1, 1),
        ("i", 2, 4, 1, 1),
    ]
    assert n_cols == 5


def test_grid_cells_rowspan_zero_spans_to_end() -> None:
    cells, _ = grid_cells([[("a", 0, 1), ("b", 1, 1)], [("c", 1, 1)], [("d", 1, 1)]])
    assert [(c.text, c.row, c.col, c.row_span) for c in cells] == [
        ("a", 0, 0, 3),
        ("b", 0, 1, 1),
        ("c", 1, 1, 1),
        ("d", 2, 1, 1),
    ]


def test_caption_from_lines() -> None:
    assert (
        caption_from_lines(["x", "y", "PHỤ LỤC 1", "TIÊU ĐỀ", "(Kèm theo)", "dòng", "thêm"])
        == "PHỤ LỤC 1\nTIÊU ĐỀ\n(Kèm theo)\ndòng\nthêm"
    )
    assert caption_from_lines(["a", "b", "c", "d"]) == "b\nc\nd"
    assert caption_from_lines([]) == ""


def test_thead_rows_are_header_rows(tmp_path: Path) -> None:
    page = (
        "<html><body><p>Số: 1/KH</p><table border=1><thead><tr><th>A</th><th>B</th><th>C</th></tr></thead>"
        "<tbody><tr><td>1</td><td>2</td><td>3</td></tr></tbody></table></body></html>"
    )
    (table,) = read_html(_write(tmp_path, page.encode()), "x").tables
    assert table.header_rows == 1 and table.text_grid() == [["A", "B", "C"], ["1", "2", "3"]]


# ---------------------------------------------------------------------------------------- charsets

VI_PAGE = (
    "<html><head>{meta}</head><body><p>Số: 7/KH-UBND</p><p>Căn cứ Quyết định số 1719/QĐ-TTg của Thủ "
    "tướng Chính phủ về phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi, "
    "đạt được mục tiêu bình đẳng giới cho phụ nữ và trẻ em ở tỉnh Lào Cai.</p></body></html>"
)
CAN_CU_LINE = (
    "Căn cứ Quyết định số 1719/QĐ-TTg của Thủ tướng Chính phủ về phát triển kinh tế - xã hội vùng đồng "
    "bào dân tộc thiểu số và miền núi, đạt được mục tiêu bình đẳng giới cho phụ nữ và trẻ em ở tỉnh Lào "
    "Cai."
)


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Encode as Windows does for Vietnamese: precomposed base letters (â, ơ) + combining tone marks."""
    out = []
    for ch in text:
        nfd = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONES))
        out.append(base + "".join(c for c in nfd if c in _TONES))
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize(
    ("meta", "encoding", "warned"),
    [
        ('<meta charset="windows-1258">', "cp1258", False),
        ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">', "cp1258", False),
        ("", "cp1258", True),  # undeclared and not UTF-8: the Vietnamese code page
        ('<meta charset="iso-8859-1">', "cp1258", True),  # a wrong Latin-1 label on Vietnamese bytes
        ('<meta charset="windows-1252">', "utf-8", True),  # declared legacy but the bytes are UTF-8
        ('<meta charset="utf-8">', "utf-8", False),
        ("", "utf-8", False),
    ],
)
def test_charsets(tmp_path: Path, meta: str, encoding: str, warned: bool) -> None:
    page = VI_PAGE.format(meta=meta)
    data = to_cp1258(page) if encoding == "cp1258" else page.encode(encoding)
    doc = read_html(_write(tmp_path, data), "x")
    assert _texts(doc.lines) == ["Số: 7/KH-UBND", CAN_CU_LINE]
    assert bool(doc.warnings) == warned


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16"])
def test_bom(tmp_path: Path, codec: str) -> None:
    data = VI_PAGE.format(meta='<meta charset="utf-8">').encode(codec)
    assert data[:3] == codecs.BOM_UTF8 or data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    assert _texts(read_html(_write(tmp_path, data), "x").lines)[1] == CAN_CU_LINE


# --------------------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"  \n\t", "empty file"),
        (b"%PDF-1.7\n\x00\x01\x02binary\x00stream", "not an HTML document"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)), "not an HTML document"),
        (b"just some words, no markup at all", "not an HTML document"),
        (b"<html><body></body></html>", "no document content"),
        (b"<html><body><div><span></span></div>", "no document content"),
    ],
)
def test_unreadable_input_raises_reader_error(tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(ReaderError, match=message):
        read_html(_write(tmp_path, data), "x")


def test_missing_file_raises_reader_error(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="cannot open"):
        read_html(str(tmp_path / "absent.html"), "x")


def test_malformed_html_still_reads(tmp_path: Path) -> None:
    page = b"<p>S\xe1\xbb\x91: 9/KH<table border=1><tr><td rowspan=x colspan=-2>a<td rowspan=99>b"
    page += b"<tr><td>c</table"
    doc = read_html(_write(tmp_path, page), "x")
    assert _texts(doc.lines) == ["Số: 9/KH"]
    assert [(c.text, c.row, c.col, c.row_span, c.col_span) for c in doc.tables[0].cells] == [
        ("a", 0, 0, 1, 1),
        ("b", 0, 1, 2, 1),
        ("c", 1, 0, 1, 1),
    ]


def _read_bytes_or_reader_error(data: bytes) -> None:
    with tempfile.NamedTemporaryFile(suffix=".html", delete=False) as fh:
        fh.write(data)
    try:
        read_html(fh.name, "fuzz.html")
    except ReaderError:
        pass
    finally:
        Path(fh.name).unlink()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_fuzz_arbitrary_bytes_only_reader_error(data: bytes) -> None:
    _read_bytes_or_reader_error(data)


_TAGS = st.sampled_from(
    ["p", "div", "table", "tr", "td", "th", "br", "sup", "a", "ul", "li", "b", "thead", "span"]
)
_ATTRS = st.sampled_from(
    [
        "",
        ' rowspan="2"',
        ' colspan="3"',
        ' rowspan="0"',
        ' colspan="x"',
        ' href="#_ftn1"',
        ' class="footer"',
        ' border="1"',
        ' style="mso-element:footnote"',
    ]
)
_WORDS = st.sampled_from(
    [
        "Số: 1/KH",
        "Căn cứ",
        "Văn bản liên quan",
        "Số hiệu:",
        "12",
        "m",
        "PHỤ LỤC 1",
        "ĐĂNG NHẬP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Nơi nhận:",
        "",
        "&nbsp;",
        "<",
        ">",
        "&",
    ]
)
_SOUP = st.lists(
    st.one_of(
        st.builds(lambda t, a: f"<{t}{a}>", _TAGS, _ATTRS), st.builds(lambda t: f"</{t}>", _TAGS), _WORDS
    ),
    max_size=80,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_SOUP, st.sampled_from(["utf-8", "cp1258", "utf-16"]))
def test_fuzz_tag_soup_only_reader_error(soup: str, codec: str) -> None:
    page = f"<html><body>{soup}</body></html>"
    _read_bytes_or_reader_error(to_cp1258(page) if codec == "cp1258" else page.encode(codec))
