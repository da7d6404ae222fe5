"""Header fields that fail their own shape are left empty with a warning, and the document is partial;
the real stamped scan of Quyết định 968 gives no garbled number."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extract.model import Document, DocumentMeta, Line, Page
from extract.pipeline import process_document
from extract.settings import OcrSettings, Settings
from extract.stages.header_check import check_header
from extract.stages.status import settle_status
from normalize.plausible import noise_share, symbol_shape_ok

REAL = Path(__file__).resolve().parent / "fixtures" / "real"


@pytest.mark.parametrize("symbol", ["355/KH-UBND", "1719/QĐ-TTg", "33/2022/NQ-HĐND", "16/KH-HLHPNVN-UBĐT", "52-KH/TU"])
def test_real_symbols_have_the_shape(symbol):
    assert symbol_shape_ok(symbol)


@pytest.mark.parametrize("symbol", ["36Ÿ/QĐĐ-UBND", "KH-UBND", "355/", "3798 KH UBND", "12/kh-ubnd"])
def test_noise_does_not(symbol):
    assert not symbol_shape_ok(symbol)


def test_a_smudged_run_in_a_long_title_is_caught():
    title = "ĐẾN .„TÍú 120 2€ ề ằ Ngày... Về việc công nhận tỉnh hoàn thành nhiệm vụ xây dựng nông thôn mới năm 2024"
    doc = check_header(_doc(title=title))
    assert doc.meta.title == "" and doc.status == "partial"


def test_noise_share_tells_a_smudge_from_a_title():
    assert noise_share("ĐẾN .„TÍú 120 2€ ề ằ Ngày...") > 0.4
    assert noise_share("Thực hiện Dự án 8 “Thực hiện bình đẳng giới” giai đoạn 2021-2025, CHỦ TỊCH UBND") == 0


def _doc(ocr: bool = False, confidence: float | None = None, **meta) -> Document:
    page = Page(1, lines=[Line("ỦY BAN NHÂN DÂN", 1)], ocr=ocr, ocr_confidence=confidence)
    return Document("x.pdf", "x.pdf", format="pdf", pages=[page], meta=DocumentMeta(**meta))


def test_a_garbled_number_title_and_date_are_left_empty_and_the_document_is_partial():
    doc = check_header(_doc(doc_number="36Ÿ/QĐĐ-UBND", title="ĐẾN .„TÍú 120 2€ ề ằ Ngày...",
                            issue_date="2924-11-01", issuer="Ủy ban nhân dân tỉnh Ninh Bình"))
    assert (doc.meta.doc_number, doc.meta.title, doc.meta.issue_date) == ("", "", "")
    assert doc.meta.issuer == "Ủy ban nhân dân tỉnh Ninh Bình"
    assert doc.status == "partial"
    messages = " ".join(w.message for w in doc.warnings)
    assert "36Ÿ/QĐĐ-UBND" in messages and "2924-11-01" in messages
    assert {w.kind for w in doc.warnings} == {"header_implausible"}


def test_a_good_header_is_kept_and_ok():
    doc = check_header(_doc(doc_number="968/QĐ-UBND", issue_date="2024-11-01", title="Phê chuẩn kết quả bầu",
                            issuer="Tỉnh Ninh Bình Ủy ban nhân dân", period_start=2021, period_end=2025))
    assert doc.meta.doc_number == "968/QĐ-UBND" and doc.status == "ok" and not doc.warnings


def test_an_ocr_issuer_out_of_order_is_left_empty():
    doc = check_header(_doc(ocr=True, confidence=92.0, issuer="Tinh ninh bình Ủy ban nhân dân"))
    assert doc.meta.issuer == "" and doc.status == "partial"


def test_a_horizon_year_is_not_a_one_year_period():
    doc = check_header(_doc(issue_date="2022-05-01", period_start=2045, period_end=2045))
    assert (doc.meta.period_start, doc.meta.period_end) == (None, 2045)
    undated = check_header(_doc(title="Phê duyệt Kế hoạch lập Chương trình phát triển đô thị đến năm 2045",
                                period_start=2045, period_end=2045))
    assert (undated.meta.period_start, undated.meta.period_end) == (None, 2045)
    one_year = check_header(_doc(title="Kế hoạch thực hiện năm 2024", period_start=2024, period_end=2024))
    assert (one_year.meta.period_start, one_year.status) == (2024, "ok")
    backwards = check_header(_doc(period_start=2025, period_end=2021))
    assert (backwards.meta.period_start, backwards.meta.period_end) == (None, None)


def test_a_low_confidence_ocr_header_is_not_trusted():
    settings = Settings(ocr=OcrSettings(min_confidence=80))
    doc = settle_status(_doc(ocr=True, confidence=55.0, doc_number="968/QĐ-UBND", title="Phê chuẩn"), settings)
    assert doc.meta.doc_number == "" and doc.status == "partial"
    assert [w.kind for w in doc.warnings] == ["header_low_confidence"]
    sure = settle_status(_doc(ocr=True, confidence=91.0, doc_number="968/QĐ-UBND"), settings)
    assert sure.meta.doc_number == "968/QĐ-UBND" and sure.status == "ok"
    assert (sure.header_source, sure.ocr_confidence) == ("ocr", 91.0)


def test_the_stamped_968_scan_gives_no_garbled_number(tmp_path):
    if not shutil.which("tesseract"):
        pytest.skip("Tesseract is not installed")
    scan = REAL / "ninhbinh_968.pdf"
    doc = process_document(scan, scan.name, Settings(use_cache=False))
    assert doc.status == "partial"
    assert doc.meta.doc_number in ("", "968/QĐ-UBND")
    assert "Ÿ" not in doc.meta.doc_number + doc.meta.issuer + doc.meta.title
    assert doc.header_source == "ocr" and doc.ocr_confidence is not None
    kinds = {w.kind for w in doc.warnings}
    assert kinds & {"header_implausible", "header_missing", "header_low_confidence"}
