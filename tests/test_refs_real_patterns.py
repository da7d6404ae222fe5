"""Reference patterns met in real published copies, one test each (issue 13)."""

from __future__ import annotations

from extract.stages.refs import extract_references, parse_reference_sentence

from .test_refs import _doc


def test_symbol_with_an_ampersand_keeps_its_date_and_issuer():
    (ref,) = parse_reference_sentence("Thực hiện Công văn số 739/BNV-CTTN&BĐG ngày 20/02/2024 của Bộ Nội vụ về việc "
                                      "triển khai công tác bình đẳng giới;")
    assert (ref.symbol, ref.issue_date, ref.issuer) == ("739/BNV-CTTN&BĐG", "2024-02-20", "Bộ Nội vụ")


def test_law_named_in_lower_case_is_a_reference_with_the_usual_symbol():
    lower = parse_reference_sentence("Căn cứ Luật tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;")
    usual = parse_reference_sentence("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;")
    assert [(r.symbol, r.issue_date, r.section) for r in lower] == [(r.symbol, r.issue_date, r.section) for r in usual]
    assert lower[0].symbol == "Luật Tổ chức chính quyền địa phương"


def test_law_word_in_lower_case_without_a_date_is_no_reference():
    assert parse_reference_sentence("Căn cứ Luật tổ chức và các quy định hiện hành;") == []


def test_reference_named_in_a_title_after_a_comma_is_body_with_the_outer_one_named():
    refs = parse_reference_sentence("Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ phê "
                                    "duyệt Chương trình, Nghị định số 27/2022/NĐ-CP và Thông tư số 01/2022/TT-UBDT;")
    assert [(r.symbol, r.section, r.within) for r in refs] == [
        ("1719/QĐ-TTg", "can_cu", ""), ("27/2022/NĐ-CP", "body", "1719/QĐ-TTg"),
        ("01/2022/TT-UBDT", "body", "1719/QĐ-TTg"),
    ]


def test_sibling_with_its_own_date_after_a_title_stays_can_cu():
    refs = parse_reference_sentence("Căn cứ Kế hoạch số 43/KH-ĐCT ngày 03/6/2022 của Đoàn Chủ tịch về triển khai "
                                    "Dự án 8, Hướng dẫn số 04/HD-ĐCT ngày 28/7/2022 của Đoàn Chủ tịch;")
    assert [(r.symbol, r.section) for r in refs] == [("43/KH-ĐCT", "can_cu"), ("04/HD-ĐCT", "can_cu")]


def test_ocr_damaged_type_word_is_that_type_with_a_note():
    doc = _doc(["KẾ HOẠCH", "Căn cứ Hướn dẫn số 04/HD-ĐCT ngày 28/7/2022 của Đoàn Chủ tịch;",
                "Căn cứ Quyế định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ;",
                "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:"])
    extract_references(doc)
    assert [(r.doc_type, r.symbol, r.section) for r in doc.refs] == [
        ("Hướng dẫn", "04/HD-ĐCT", "can_cu"), ("Quyết định", "1719/QĐ-TTg", "can_cu")]
    notes = [w for w in doc.warnings if w.kind == "ocr_corrected"]
    assert [w.subject for w in notes] == ["04/HD-ĐCT", "1719/QĐ-TTg"] and "'Hướn dẫn'" in notes[0].message


def test_a_type_word_far_from_any_known_one_is_not_corrected():
    (ref,) = parse_reference_sentence("Căn cứ Biên lai số 04/HD-ĐCT ngày 28/7/2022;")
    assert ref.ocr_corrected == ""


def test_semicolon_read_as_colon_does_not_end_the_preamble():
    doc = _doc(["QUYẾT ĐỊNH", "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015:",
                "Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ;",
                "Căn cứ Kế hoạch số 43/KH-ĐCT ngày 03/6/2022 của Đoàn Chủ tịch;",
                "QUYẾT ĐỊNH:", "Điều 1. Ban hành kèm theo Quyết định số 99/QĐ-UBND ngày 01/01/2023."])
    extract_references(doc)
    assert [(r.symbol, r.section) for r in doc.refs] == [
        ("Luật Tổ chức chính quyền địa phương", "can_cu"), ("1719/QĐ-TTg", "can_cu"), ("43/KH-ĐCT", "can_cu"),
        ("99/QĐ-UBND", "body")]


def test_basis_announcing_the_body_still_ends_the_preamble():
    doc = _doc(["KẾ HOẠCH", "Thực hiện Chỉ thị số 20-CT/TU ngày 10/10/2024 của Ban Thường vụ Tỉnh ủy; Ủy ban nhân dân "
                "tỉnh ban hành Kế hoạch như sau:", "1. Mục đích: quán triệt Quyết định số 5/QĐ-UBND ngày 01/01/2024."],
               fmt="html")
    extract_references(doc)
    assert [(r.symbol, r.section) for r in doc.refs] == [("20-CT/TU", "can_cu"), ("5/QĐ-UBND", "body")]


def test_an_ocr_speck_between_basis_paragraphs_does_not_end_the_preamble():
    doc = _doc(["QUYẾT ĐỊNH", "Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;", "/Ã “",
                "Căn cứ Quyết định số 18/2022/QĐ-TTg ngày 02 tháng 8 năm 2022 của Thủ tướng Chính phủ;",
                "QUYẾT ĐỊNH:", "Điều 1. Công nhận ..."], fmt="html")
    extract_references(doc)
    assert [(r.symbol, r.section) for r in doc.refs] == [("Luật Tổ chức Chính phủ", "can_cu"),
                                                         ("18/2022/QĐ-TTg", "can_cu")]
