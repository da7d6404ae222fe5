"""Numbers and dates stamped over the header's blanks (e-office signing), read by position.

Real published copies (tests/fixtures/real) print "Số:      /KH-UBND" and "ngày      tháng 11 năm 2024" and
carry the number and the day as separate text objects drawn over those blanks; one test per pattern, and a
plan generated here with PyMuPDF (stamps in another font and colour) for the pattern without the noise of a
real file.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from extract.model import Document, Line, Page
from extract.readers import read_document
from extract.stages.meta import extract_meta

REAL = Path(__file__).resolve().parent / "fixtures" / "real"
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation")]
FONTS = {"print": ["DejaVuSerif.ttf", "LiberationSerif-Regular.ttf"],
         "stamp": ["DejaVuSans.ttf", "LiberationSans-Regular.ttf"]}


def _meta(path: Path) -> Document:
    return extract_meta(read_document(str(path), path.name))


def _kinds(doc: Document) -> set[str]:
    return {str(w.kind) for w in doc.warnings}


def test_stamped_number_and_day_over_blanks_in_a_text_layer():
    doc = _meta(REAL / "ninhbinh_193.pdf")  # "193" and "01" drawn over "Số: /KH-UBND" and "ngày tháng 11"
    m = doc.meta
    assert (m.doc_number, m.issue_date, m.place) == ("193/KH-UBND", "2024-11-01", "Ninh Bình")
    assert (m.number_source, m.date_source) == ("stamp", "stamp")
    assert not _kinds(doc) & {"number_blank", "date_incomplete", "header_missing"}


def test_stamped_day_and_month_in_one_text_object():
    doc = _meta(REAL / "ninhbinh_807.pdf")  # "04             11" over "ngày  tháng  năm 2024"
    assert (doc.meta.doc_number, doc.meta.issue_date) == ("807/QĐ-UBND", "2024-11-04")
    assert doc.meta.doc_type == "Quyết định" and doc.meta.signer == "Nguyễn Cao Sơn"


def test_stamped_number_with_a_trailing_dot_and_signature_title_beside_the_recipients():
    doc = _meta(REAL / "vietlexibot_bimson_KH3070-UBND.pdf")  # "3070." and "09   9"
    assert (doc.meta.doc_number, doc.meta.issue_date) == ("3070/KH-UBND", "2024-09-09")
    # "- Thường trực Thị ủy (b/c); CHỦ TỊCH": the title shares a text line with the "Nơi nhận" list
    assert doc.meta.signer == "Trịnh Tuấn Thành"


def test_printed_header_says_printed():
    doc = _meta(REAL / "vietlexibot_caobang_NQ33-2022-HDND.pdf")
    assert (doc.meta.doc_number, doc.meta.number_source, doc.meta.date_source) == ("33/2022/NQ-HĐND", "printed",
                                                                                    "printed")


def _font(kind: str) -> str:
    for name in FONTS[kind]:
        for folder in FONT_DIRS:
            if (folder / name).exists():
                return str(folder / name)
    pytest.skip("no TrueType font with Vietnamese glyphs (DejaVu or Liberation) to draw the test PDF")


def _eoffice_plan(path: Path, stamps: list[tuple[str, str]]) -> Path:
    """A plan signed in an e-office system: blanks in the header, then `stamps` drawn over them.

    Each stamp is (text, where) with `where` one of "number", "date" (over the blanks) or "margin".
    """
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    serif, sans = _font("print"), _font("stamp")
    put = lambda xy, text, size=13: page.insert_text(xy, text, fontsize=size, fontname="serif", fontfile=serif)  # noqa: E731
    put((80, 60), "ỦY BAN NHÂN DÂN")
    put((90, 76), "TỈNH LÀO CAI")
    put((300, 60), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    put((330, 76), "Độc lập - Tự do - Hạnh phúc")
    number_line, date_line = "Số:            /KH-UBND", "Lào Cai, ngày        tháng        năm 2024"
    put((80, 104), number_line)
    put((290, 104), date_line)
    put((270, 150), "KẾ HOẠCH")
    put((90, 168), "Thực hiện Dự án 8 năm 2024 trên địa bàn tỉnh")
    put((90, 200), "Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ;")
    put((90, 232), "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:")
    put((380, 600), "KT. CHỦ TỊCH")
    put((380, 616), "PHÓ CHỦ TỊCH")
    put((380, 700), "Nguyễn Văn An")
    metrics = pymupdf.Font(fontfile=serif)
    blank_x = {"number": 80 + metrics.text_length("Số:  ", 13),
               "date": 290 + metrics.text_length("Lào Cai, ngày ", 13),
               "margin": 40}
    for text, where in stamps:  # another font and colour, written after the page's text (as signing does)
        page.insert_text((blank_x[where], 103), text, fontsize=12, fontname="stamp", fontfile=sans, color=(1, 0, 0))
    pdf.save(path)
    return path


def test_generated_eoffice_plan_gets_number_and_date_from_its_stamps(tmp_path):
    doc = _meta(_eoffice_plan(tmp_path / "eoffice.pdf", [("57", "number"), ("12           03", "date")]))
    m = doc.meta
    assert (m.doc_number, m.issue_date, m.number_source, m.date_source) == ("57/KH-UBND", "2024-03-12", "stamp",
                                                                            "stamp")
    assert m.signer == "Nguyễn Văn An" and not _kinds(doc) & {"number_blank", "date_incomplete"}


def test_blank_and_unstamped_header_still_warns(tmp_path):
    doc = _meta(_eoffice_plan(tmp_path / "unsigned.pdf", []))
    assert (doc.meta.doc_number, doc.meta.issue_date, doc.meta.number_source) == ("", "", "")
    assert {"number_blank", "date_incomplete"} <= _kinds(doc)
    assert doc.meta.place == "Lào Cai"


def test_a_stamp_beside_the_blanks_fills_nothing(tmp_path):
    doc = _meta(_eoffice_plan(tmp_path / "margin.pdf", [("57", "margin")]))
    assert doc.meta.doc_number == "" and "number_blank" in _kinds(doc)


def test_stamps_that_do_not_match_the_blanks_one_for_one_fill_nothing(tmp_path):
    doc = _meta(_eoffice_plan(tmp_path / "short.pdf", [("57", "number"), ("12", "date")]))  # day and month blank
    assert doc.meta.doc_number == "57/KH-UBND" and doc.meta.issue_date == ""
    assert "date_incomplete" in _kinds(doc)


@pytest.mark.parametrize("lines", [
    ["ỦY BAN NHÂN DÂN", "TỈNH BẠC LIÊU", "Số: 71/KH-UBND Bạc Liêu, ngày 12 tháng 3 năm 2022", "KẾ HOẠCH", "Về ..."],
    ["ỦY BAN NHÂN DÂN", "TỈNH BẠC LIÊU", "Số:", "71/KH-UBND", "Bạc Liêu, ngày 12 tháng 3 năm 2022", "KẾ HOẠCH"],
], ids=["number-and-date-on-one-line", "number-under-its-label"])
def test_portal_header_layouts(lines):
    doc = Document("x.html", "x.html", format="html", pages=[Page(1, lines=[Line(t) for t in lines])])
    m = extract_meta(doc).meta
    assert (m.doc_number, m.issue_date, m.place, m.province) == ("71/KH-UBND", "2022-03-12", "Bạc Liêu", "Bạc Liêu")
    assert m.doc_type == "Kế hoạch" and m.number_source == "printed"
