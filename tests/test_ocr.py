"""OCR of scanned pages: which pages need it, pixels → rules → tables, the scan sample against its text twin,
and a run without Tesseract. The scan sample is OCR'd once per session (conftest.scan_run, in the background);
the real files are tests/fixtures/real."""

from __future__ import annotations

import shutil

import numpy as np
import pymupdf
import pytest

from extract.pipeline import process_document
from extract.readers import ocr
from extract.readers.pdf import read_pdf
from extract.tables import page_tables
from normalize.text import fold

from .conftest import FIXTURES, SAMPLES, read_csv, real_pdf

SCAN = SAMPLES / "gia-lai-1002-2024-scan.pdf"
TWIN = SAMPLES / "gia-lai-1002-2024.pdf"
INSTALL = "sudo apt-get install tesseract-ocr tesseract-ocr-vie"


def _tesseract_ready() -> bool:
    binary = ocr.find_tesseract()
    return bool(binary) and "vie" in ocr.tesseract_languages(binary)


needs_tesseract = pytest.mark.skipif(
    not _tesseract_ready(), reason=f"Tesseract with Vietnamese data is not installed ({INSTALL}; scripts/setup.sh)"
)


# --- Which pages need OCR ------------------------------------------------------------------------

VIETNAMESE = (
    "Căn cứ Quyết định số 1719/QĐ-TTg ngày 14 tháng 10 năm 2021 của Thủ tướng Chính phủ phê duyệt Chương trình "
    "mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi giai đoạn 2021-2030"
)
# What an OCR layer made without the Vietnamese model looks like: marks lost, letters swapped for symbols.
GARBAGE = (
    "UY BAN NHAN DAN CONG HOA xA HO! CHIJ NGHIA VIT NAM TINH NINH B!NH Dc 1p Tir do Hinh phüc S& QD-UBND "
    "Ninh BInh ngay thang nam QUYE T DINH Phé chuán két qua bàu chüc vu Chü tich Uy ban nhân dan huyn"
)


def test_text_layer_quality_tells_vietnamese_from_a_garbage_ocr_layer():
    assert ocr.text_layer_quality(VIETNAMESE) > 0.85
    assert ocr.text_layer_quality(GARBAGE) < 0.5
    assert ocr.text_layer_quality("Số: 1002/KH-UBND") is None  # too few words to judge


def test_text_pages_are_not_sent_to_ocr_and_scanned_pages_are():
    with pymupdf.open(TWIN) as pdf:
        assert not any(ocr.page_needs_ocr(page) for page in pdf)
    with pymupdf.open(SCAN) as pdf:
        assert all(ocr.page_needs_ocr(page) for page in pdf)


def test_scan_with_garbage_ocr_layer_is_reocrd():
    with pymupdf.open(real_pdf("ninhbinh_968")) as pdf:  # scan under a garbage OCR layer
        assert ocr.text_layer_quality(pdf[0].get_text()) < 0.6
        assert ocr.page_needs_ocr(pdf[0])


def test_scan_with_a_signature_stamp_as_text_is_ocrd():
    with pymupdf.open(real_pdf("vietlexibot_QD1360-TTg_scanned")) as pdf:  # page 1 has the stamp as text
        assert [ocr.page_needs_ocr(page) for page in pdf] == [True, True]


def test_published_text_pdf_is_not_sent_to_ocr():
    with pymupdf.open(real_pdf("ninhbinh_807")) as pdf:
        assert not any(ocr.page_needs_ocr(page) for page in pdf)


# --- Pixels --------------------------------------------------------------------------------------

def _grid_image() -> np.ndarray:
    """A 3-row x 3-column ruled table (3 px rules) whose first row merges columns 1-2, with text-like
    blobs in the cells, a lone underline and dust."""
    img = np.full((400, 700), 235, dtype=np.uint8)
    xs, ys = [50, 250, 450, 650], [50, 110, 170, 230]
    for y in ys:
        img[y - 1:y + 2, 50:651] = 20
    for i, x in enumerate(xs):
        top = 110 if i == 2 else 50  # no rule between columns 1 and 2 in the first row
        img[top:231, x - 1:x + 2] = 20
    img[125:155, 300:304] = 30  # a digit's stem: tall, but not a rule
    img[130:150, 100:180:6] = 30  # letters
    img[300:302, 100:400] = 20  # an underline outside the table
    rng = np.random.default_rng(1)
    img[rng.integers(0, 400, 300), rng.integers(0, 700, 300)] = 60  # dust
    return img


def test_ruling_lines_of_an_image_become_the_table_grid():
    img = _grid_image()
    rules = ocr.find_rulings(ocr.ink_mask(img), min_length=100, short_length=30)
    horizontal = sorted(r.pos for r in rules if r.horizontal)
    vertical = sorted(r.pos for r in rules if not r.horizontal)
    assert horizontal == pytest.approx([50, 110, 170, 230, 300.5])  # the table's rules and the underline
    assert vertical == pytest.approx([50, 250, 450, 650])  # not the digit's stem
    segments = ocr.rules_to_segments(rules, pymupdf.Matrix(0.5, 0, 0, 0.5, 0, 0))  # 144 dpi pixels → points
    [table] = page_tables(segments, [], page=1)
    assert (table.n_rows, table.n_cols) == (3, 3)
    spans = {(c.row, c.col): (c.row_span, c.col_span) for c in table.cells}
    assert spans[(0, 1)] == (1, 2) and spans[(1, 1)] == (1, 1)
    assert table.cells[0].bbox == pytest.approx((25, 25, 125, 55), abs=1)


def test_a_short_rule_counts_only_between_two_long_ones():
    img = np.full((200, 400), 235, dtype=np.uint8)
    img[50:53, 20:380] = 10
    img[90:93, 20:380] = 10
    img[51:92, 200:203] = 10  # 40 px: a border between two cells of one row
    img[120:160, 100:103] = 10  # 40 px alone: a letter's stem
    rules = ocr.find_rulings(ocr.ink_mask(img), min_length=150, short_length=30, touch=4)
    assert sorted((r.horizontal, round(r.pos)) for r in rules) == [(False, 201), (True, 51), (True, 91)]


def test_skew_is_measured_and_undone_while_rendering():
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    slope = np.tan(np.deg2rad(0.7))
    for y in range(80, 780, 14):  # text-line-like strokes, turned by 0.7°
        page.draw_line((60, y), (530, y + 470 * slope), width=2.5)
    angle = ocr.estimate_skew(ocr.render_gray(page, 100 / 72)[0])
    assert abs(abs(angle) - 0.7) <= 0.05
    straight, _ = ocr.render_gray(page, 100 / 72, angle)
    assert abs(ocr.estimate_skew(straight)) <= 0.03


def test_cell_pixels_tell_blank_dash_and_text_apart():
    zoom = 300 / 72
    mask = np.zeros((60, 600), dtype=bool)
    mask[28:32, 40:58] = True  # '-': 18 x 4 px, about 4.3 x 1 pt
    mask[15:50, 240:244] = True  # '1'
    mask[20:24, 236:244] = True
    mask[10, 400] = mask[40, 450] = mask[41, 451] = True  # dust only
    assert ocr.classify_cell(mask, (0, 0, 200, 60), zoom).kind == "dash"
    assert ocr.classify_cell(mask, (200, 0, 300, 60), zoom).kind == "text"
    assert ocr.classify_cell(mask, (380, 0, 600, 60), zoom).kind == "blank"


def test_misread_capital_i_in_place_names():
    assert ocr.fix_misread_capital_i("la Grai") == "Ia Grai"
    assert ocr.fix_misread_capital_i("la Pa") == "Ia Pa"
    assert ocr.fix_misread_capital_i("là Chủ tịch") == "là Chủ tịch"
    assert ocr.fix_misread_capital_i("la Grai tỉnh") == "la Grai tỉnh"


# --- Without Tesseract ---------------------------------------------------------------------------

def test_without_tesseract_the_scan_is_partial_with_one_plain_warning(monkeypatch, tmp_path):
    monkeypatch.setattr(ocr, "find_tesseract", lambda name="tesseract": None)
    doc = read_pdf(str(SCAN), SCAN.name)
    assert doc.status == "partial" and doc.n_pages == 11
    [warning] = [w for w in doc.warnings if w.kind == "ocr_unavailable"]
    assert "pages 1-11" in warning.message and INSTALL in warning.message
    assert "not installed" in warning.message
    # The whole pipeline: a documents row, never a crash.
    copy = tmp_path / SCAN.name
    shutil.copy(SCAN, copy)
    done = process_document(copy, copy.name)
    assert done.status == "partial"
    assert [w.kind for w in done.warnings].count("ocr_unavailable") == 1
    # Text PDFs do not need Tesseract and say nothing about it.
    assert not [w for w in read_pdf(str(TWIN), TWIN.name).warnings if w.kind.startswith("ocr")]


def test_a_scan_drawn_as_an_inline_image_is_found_too(monkeypatch, tmp_path):
    """Image XObjects are the fast check; a page image inlined in the content stream is caught because the
    text layer comes out empty."""
    with pymupdf.open(SCAN) as src:
        pix = src[10].get_pixmap(dpi=50, colorspace=pymupdf.csGRAY)
        width, height = src[10].rect.width, src[10].rect.height
    pdf = pymupdf.open()
    page = pdf.new_page(width=width, height=height)
    content = (f"q {width} 0 0 {height} 0 0 cm BI /W {pix.width} /H {pix.height} /CS /G /BPC 8 /F /AHx ID "
               f"{pix.samples.hex()}> EI Q").encode()
    xref = pdf.get_new_xref()
    pdf.update_object(xref, "<<>>")
    pdf.update_stream(xref, content)
    pdf.xref_set_key(page.xref, "Contents", f"{xref} 0 R")
    path = tmp_path / "inline.pdf"
    pdf.save(path)
    with pymupdf.open(path) as check:
        assert not check[0].get_images() and ocr.page_needs_ocr(check[0])
    monkeypatch.setattr(ocr, "find_tesseract", lambda name="tesseract": None)
    doc = read_pdf(str(path), path.name)
    assert [w.kind for w in doc.warnings] == ["ocr_unavailable"] and doc.n_pages == 1


def test_without_the_vietnamese_language_data_the_message_names_its_package(monkeypatch):
    monkeypatch.setattr(ocr, "find_tesseract", lambda name="tesseract": "/usr/bin/tesseract")
    monkeypatch.setattr(ocr, "tesseract_languages", lambda binary: frozenset({"eng", "osd"}))
    with pytest.raises(ocr.OcrUnavailable, match="tesseract-ocr-vie"):
        ocr.check_tesseract(ocr.OcrOptions())


def test_a_failing_ocr_run_falls_back_to_the_text_layer(monkeypatch):
    monkeypatch.setattr(ocr, "find_tesseract", lambda name="tesseract": "/usr/bin/tesseract")
    monkeypatch.setattr(ocr, "tesseract_languages", lambda binary: frozenset({"vie"}))

    def broken(*args, **kwargs):
        raise RuntimeError("Tesseract took longer than 120 s")

    monkeypatch.setattr(ocr, "ocr_page", broken)
    doc = read_pdf(str(SCAN), SCAN.name)
    assert doc.status == "partial" and doc.n_pages == 11
    assert sum(w.kind == "ocr_failed" for w in doc.warnings) == 11


def test_ocr_options_are_validated():
    with pytest.raises(ValueError):
        ocr.OcrOptions(dpi=20)
    with pytest.raises(ValueError):
        ocr.OcrOptions(timeout_seconds=0)


# --- The scan sample against its text twin (one OCR run) -----------------------------------------

@pytest.fixture(scope="module")
def scan_and_twin(scan_run, tmp_path_factory):
    """The scan as the session's one OCR run gave it (run() with default settings calls process_document
    on it), and its text twin processed here."""
    if not _tesseract_ready():
        pytest.skip(f"Tesseract with Vietnamese data is not installed ({INSTALL}; scripts/setup.sh)")
    [scan] = [doc for doc in scan_run.documents if doc.source_file == SCAN.name]
    folder = tmp_path_factory.mktemp("twin")
    shutil.copy(TWIN, folder / TWIN.name)
    return scan, process_document(folder / TWIN.name, TWIN.name)


@needs_tesseract
def test_scan_metadata_equals_the_text_twin(scan_and_twin):
    scan, twin = scan_and_twin
    assert scan.status == "ok"
    for field in ("doc_number", "issue_date", "signer", "province", "doc_type", "period_start", "period_end"):
        assert getattr(scan.meta, field) == getattr(twin.meta, field), field
    assert scan.meta.doc_number == "1002/KH-UBND" and scan.meta.signer == "Nguyễn Thị Thanh Lịch"


@needs_tesseract
def test_scan_references_equal_the_text_twin(scan_and_twin):
    scan, twin = scan_and_twin

    def basis(doc):
        return [(r.symbol, r.issue_date, r.doc_type) for r in doc.refs if r.section == "can_cu"]

    assert len(basis(twin)) == 10
    assert basis(scan) == basis(twin)


@needs_tesseract
def test_scan_allocation_cells_match_the_expected_values(scan_and_twin):
    scan, _ = scan_and_twin
    rows = read_csv(FIXTURES / "targets" / "gia-lai-1002-2024.csv")
    expected = {
        ("__total__" if r["row_kind"] == "total" else fold(r["unit_name"]), r["indicator_id"]): float(r["value"])
        for r in rows
    }
    got = {
        ("__total__" if t.is_total else fold(t.unit_name_raw), t.indicator_id): t.value for t in scan.targets
    }
    assert len(expected) == 64
    right = sum(1 for key, value in expected.items() if got.get(key) == value)
    assert right >= 63, {k: (got.get(k), v) for k, v in expected.items() if got.get(k) != v}
    assert len(scan.targets) == 64


@needs_tesseract
def test_scan_pages_are_marked_as_ocr_with_confidences(scan_and_twin):
    scan, _ = scan_and_twin
    assert all(page.ocr and 50 <= page.ocr_confidence <= 100 for page in scan.pages)
    [table] = scan.tables
    assert all(0 <= cell.ocr_confidence <= 100 for cell in table.cells)
    assert all(line.bbox and line.page for line in scan.lines)
    for warning in scan.warnings:
        if warning.kind == "ocr_low_confidence":  # each names the cell, its text and the confidence
            assert warning.page and "read as '" in warning.message and "%" in warning.message


@needs_tesseract
def test_cells_below_the_confidence_threshold_are_reported():
    """The allocation table's first rows (total, text, '-' and a blank cell) with a threshold no reading
    reaches: every read cell is reported. Cropped to those rows: the whole page takes twice as long."""
    options = ocr.OcrOptions(min_confidence=99.5)
    with pymupdf.open(SCAN) as src, pymupdf.open() as pdf:
        clip = pymupdf.Rect(0, 195, src[10].rect.width, 300)  # points: the 'Chỉ tiêu' row to the third unit
        page = pdf.new_page(width=clip.width, height=clip.height)
        page.show_pdf_page(page.rect, src, 10, clip=clip)
        result = ocr.ocr_page(page, ocr.check_tesseract(options), options)
    [table] = result.tables
    reported = {(cell.row, cell.col) for _, cell, _ in result.low_confidence}
    blank = {(c.row, c.col) for c in table.cells if not c.text}
    assert blank and reported and not reported & blank  # a cell without ink is a sure blank
    assert any(cell.text == "-" for _, cell, _ in result.low_confidence)  # a dash judged from pixels counts too
    _, cell, conf = result.low_confidence[0]
    message = ocr.low_confidence_message(table, cell, conf, options.min_confidence)
    assert f"read as '{cell.text}'" in message and f"{conf:.0f}%" in message
