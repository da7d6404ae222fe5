"""The PDF reader: lines, ruled tables, landscape and rotated pages, format sniffing."""

import pymupdf
import pytest

from extract.readers import ReaderError, read_document, sniff_format
from extract.readers.pdf import read_pdf

from .conftest import SAMPLES

LAO_CAI = SAMPLES / "lao-cai-355-2022.pdf"
SI_MA_CAI_ROW = ["1", "Huyện Si Ma Cai", "29", "9", "6", "2", "4", "14", "6", "2", "2", "5"]


@pytest.fixture(scope="module")
def lao_cai():
    return read_pdf(str(LAO_CAI), LAO_CAI.name)


def test_pages_lines_and_header(lao_cai):
    assert lao_cai.n_pages == 18
    first = [line.text for line in lao_cai.pages[0].lines[:6]]
    assert first[0] == "ỦY BAN NHÂN DÂN" and "Số: 355/KH-UBND" in first
    assert all(line.page == 1 and line.bbox for line in lao_cai.pages[0].lines)
    assert lao_cai.pages[10].width > lao_cai.pages[10].height  # the appendix is a landscape page


def test_table_cells_keep_word_spaces_and_stay_out_of_the_lines(lao_cai):
    table = lao_cai.tables[0]
    assert (table.page, table.n_rows, table.n_cols) == (11, 13, 12)
    assert table.text_grid()[4] == SI_MA_CAI_ROW
    assert not any("Huyện Si Ma Cai" in line.text for line in lao_cai.pages[10].lines)
    header = {(c.row, c.col): (c.row_span, c.col_span) for c in table.cells}
    assert header[(0, 0)] == (3, 1) and header[(0, 2)] == (1, 10)  # STT spans 3 rows, NỘI DUNG 10 columns


def _single_page(rotation: int, drawn: int | None, path):
    src = pymupdf.open(LAO_CAI)
    out = pymupdf.open()
    if drawn is None:
        out.insert_pdf(src, from_page=10, to_page=10)
    else:  # the content itself drawn sideways on a portrait page
        page = out.new_page(width=595, height=842)
        page.show_pdf_page(page.rect, src, 10, rotate=drawn)
    out[0].set_rotation(rotation)
    out.save(path)
    return path


@pytest.mark.parametrize("rotation,drawn", [(90, None), (180, None), (270, None), (0, 90), (0, -90), (90, 90)])
def test_rotated_pages_read_the_right_way_round(tmp_path, rotation, drawn):
    path = _single_page(rotation, drawn, tmp_path / "rotated.pdf")
    doc = read_pdf(str(path), "rotated.pdf")
    [table] = doc.tables
    assert (table.n_rows, table.n_cols) == (13, 12)
    assert table.text_grid()[4] == SI_MA_CAI_ROW
    assert doc.pages[0].lines[1].text == "PHỤ LỤC 01"


def test_font_names_are_recorded_without_subset_tags(lao_cai):
    assert "LiberationSerif" in lao_cai.font_names


def test_format_is_sniffed_from_content_not_the_extension(tmp_path):
    disguised = tmp_path / "plan.html"
    disguised.write_bytes(LAO_CAI.read_bytes())
    assert sniff_format(disguised) == "pdf"
    assert read_document(str(disguised), "plan.html").format == "pdf"
    text = tmp_path / "plan.pdf"
    text.write_text("hello")
    assert sniff_format(text) == ""
    with pytest.raises(ReaderError, match="not a PDF, HTML or DOCX"):
        read_document(str(text), "plan.pdf")


def test_encrypted_pdf_needs_its_password(tmp_path):
    locked = tmp_path / "locked.pdf"
    pymupdf.open(LAO_CAI).save(locked, encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="o", user_pw="u")
    with pytest.raises(ReaderError, match="password"):
        read_pdf(str(locked), "locked.pdf")
    from extract.settings import Settings

    assert read_pdf(str(locked), "locked.pdf", Settings(password="u")).n_pages == 18


def test_page_limit_reads_the_first_pages_and_says_so():
    from extract.settings import Settings

    doc = read_pdf(str(LAO_CAI), LAO_CAI.name, Settings(max_pages=3))
    assert doc.n_pages == 3 and doc.status == "partial"
    assert [w.kind for w in doc.warnings] == ["page_limit"]


def test_tcvn3_u_horn_mapped_to_a_soft_hyphen_survives(tmp_path):
    """0xAD is "ư" in TCVN3; a PDF mapping it to U+00AD (soft hyphen) must not lose the letter."""
    from extract.pipeline import Settings, process_document

    pdf = pymupdf.open()
    pdf.new_page().insert_text((72, 72), "Thñ t\u00adíng ChÝnh phñ", fontname="helv")
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
            b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <AD> <00AD> endbfchar "
            b"endcmap CMapName currentdict /CMap defineresource pop end end")
    for xref in range(1, pdf.xref_length()):
        if pdf.xref_get_key(xref, "Type")[1] == "/Font":
            pdf.xref_set_key(xref, "BaseFont", "/.VnTime")
            to_unicode = pdf.get_new_xref()
            pdf.update_object(to_unicode, "<<>>")
            pdf.update_stream(to_unicode, cmap)
            pdf.xref_set_key(xref, "ToUnicode", f"{to_unicode} 0 R")
    pdf.save(tmp_path / "vntime.pdf")
    assert "\u00ad" in pymupdf.open(tmp_path / "vntime.pdf")[0].get_text()  # the case this test is about
    doc = process_document(tmp_path / "vntime.pdf", "vntime.pdf", Settings(keep_text=True))
    assert doc.encoding == "tcvn3"
    assert [line.text for line in doc.lines] == ["Thủ tướng Chính phủ"]
