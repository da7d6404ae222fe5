"""The legal-basis reference stage (extract/stages/refs/).

Expected values live in tests/fixtures/refs/: one CSV per sample document (its 'Căn cứ' references), one per
real PDF of tests/fixtures/real (all sections; one test per pattern they show), sentence cases, issuer
canonicalisation and the cited-documents view. Property-based tests generate references in every printed shape
and check they parse back to their parts, and that arbitrary text never raises.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.model import Document, Line, Page
from extract.readers.html import read_html
from extract.readers.pdf import read_pdf
from extract.stages.refs import (
    SECTIONS,
    basis_paragraphs,
    extract_references,
    parse_reference_sentence,
)
from normalize.dates import PLAUSIBLE_YEARS, iso_date, parse_date
from normalize.doctypes import doc_types
from normalize.issuers import canonical_issuer
from output.cited import cited_documents

from .conftest import SAMPLES, read_csv, rows_by_stem

REF_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "refs"

# The sample documents and the province the meta stage gives them (set here so this stage is tested alone).
SAMPLE_PROVINCES = {
    "binh-thuan-3798-2022": "Bình Thuận",
    "lao-cai-355-2022": "Lào Cai",
    "tw-hoi-lhpn-96-2022": "",
    "gia-lai-1002-2024": "Gia Lai",
    "ubdt-hlhpn-16-2022": "",
}
SAMPLE_FILES = [
    SAMPLES / f"{stem}{ext}"
    for stem in SAMPLE_PROVINCES
    for ext in (".pdf", ".html")
    if (SAMPLES / f"{stem}{ext}").exists()
]
REAL_PROVINCES = {
    "vietlexibot_caobang_NQ33-2022-HDND": "Cao Bằng",
    "ninhbinh_807": "Ninh Bình",
    "ninhbinh_193": "Ninh Bình",
    "vietlexibot_bimson_KH3070-UBND": "Thanh Hóa",
    "ninhbinh_968": "Ninh Bình",
    "vietlexibot_QD1360-TTg_scanned": "",
}
CAN_CU_FIELDS = ["ref_order", "doc_type", "symbol", "issue_date", "issuer"]


def _read(path: Path, province: str) -> Document:
    doc = (read_html if path.suffix == ".html" else read_pdf)(str(path), path.name)
    doc.meta.province = province
    return doc


def _sample(stem: str, ext: str = ".pdf") -> Document:
    return extract_references(_read(SAMPLES / f"{stem}{ext}", SAMPLE_PROVINCES[stem]))


def _rows(refs, fields) -> list[dict[str, str]]:
    return [{f: "" if getattr(r, f) is None else str(getattr(r, f)) for f in fields} for r in refs]


def _doc(texts: list[str | tuple[str, int, int]], province: str = "", fmt: str = "pdf", **meta) -> Document:
    """A document from visual lines: plain strings (page 1, one block each) or (text, page, block)."""
    doc = Document(source_path="t.pdf", source_file="t.pdf", format=fmt)
    doc.meta.province = province
    for key, value in meta.items():
        setattr(doc.meta, key, value)
    for i, item in enumerate(texts):
        text, page, block = item if isinstance(item, tuple) else (item, 1, i)
        while len(doc.pages) < page:
            doc.pages.append(Page(number=len(doc.pages) + 1))
        doc.pages[page - 1].lines.append(Line(text, page, (0.0, 0.0, 1.0, 1.0), block))
    return doc


# --------------------------------------------------------------------------------------------------
# The samples: 'Căn cứ' references equal the expected values, PDF and HTML alike.


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample_can_cu_matches_expected(path):
    doc = extract_references(_read(path, SAMPLE_PROVINCES[path.stem]))
    got = _rows([r for r in doc.refs if r.section == "can_cu"], CAN_CU_FIELDS)
    assert got == read_csv(REF_FIXTURES / f"{path.stem}.csv")
    assert [r.ref_order for r in doc.refs] == list(range(1, len(doc.refs) + 1))
    assert not [w for w in doc.warnings if w.stage == "refs"]


def test_pipeline_refs_csv_matches_expected(sample_run):
    """Through the whole pipeline (meta sets the province): the refs.csv 'can_cu' rows equal the fixtures."""
    by_file = rows_by_stem(sample_run, "refs")
    for path in SAMPLE_FILES:
        rows = [r for r in by_file.get(path.name, []) if r["section"] == "can_cu"]
        got = [{f: r[f] for f in CAN_CU_FIELDS} for r in rows]
        assert got == read_csv(REF_FIXTURES / f"{path.stem}.csv"), path.name


def test_gia_lai_guideline_inside_a_title_is_not_a_second_can_cu():
    doc = _sample("gia-lai-1002-2024")
    assert [r.section for r in doc.refs if r.symbol == "04/HD-ĐCT"] == ["can_cu"]
    assert [r.symbol for r in doc.refs].count("04/HD-ĐCT") == 1


def test_reference_broken_over_a_page_is_on_the_page_where_it_starts():
    doc = _sample("gia-lai-1002-2024")
    ref = next(r for r in doc.refs if r.symbol == "556/KH-UBND")
    assert (ref.page, ref.issue_date, ref.issuer) == (1, "2024-03-12", "Ủy ban nhân dân tỉnh Gia Lai")
    assert ref.title.endswith("trên địa bàn tỉnh Gia Lai năm 2024")


def test_citations_in_the_body_come_once_as_body():
    doc = _sample("binh-thuan-3798-2022")
    body = {r.symbol: r for r in doc.refs if r.section == "body"}
    assert set(body) == {"612/QĐ-UBND", "861/QĐ-TTg", "15/2022/TT-BTC"}  # 1719/QĐ-TTg is already can_cu
    assert body["861/QĐ-TTg"].issuer == "Thủ tướng Chính phủ"
    assert [r.symbol for r in doc.refs].count("1719/QĐ-TTg") == 1
    assert "3798/KH-UBND" not in {r.symbol for r in doc.refs}  # the appendix caption cites the plan itself


@pytest.mark.skipif(not (SAMPLES / "lao-cai-355-2022.html").exists(), reason="no HTML sample")
def test_portal_lists_stay_apart():
    doc = _sample("lao-cai-355-2022", ".html")
    portal = [r for r in doc.refs if r.section == "portal"]
    own = [r for r in doc.refs if r.section != "portal"]
    assert portal and own and doc.refs == own + portal  # portal rows come last
    assert {"612/QĐ-UBDT", "15/2022/TT-BTC"} <= {r.symbol for r in portal}
    assert "15/2022/TT-BTC" not in {r.symbol for r in own if r.section == "can_cu"}
    assert len({r.symbol for r in portal}) == len(portal)
    assert "355/KH-UBND" not in {r.symbol for r in doc.refs}
    decoy = next(r for r in portal if r.symbol == "612/QĐ-UBDT")
    assert (decoy.year, decoy.issue_date, decoy.issuer) == (2021, "", "Bộ trưởng, Chủ nhiệm Ủy ban Dân tộc")


def test_basis_without_a_document_does_not_warn():
    doc = _sample("tw-hoi-lhpn-96-2022")
    paragraphs = basis_paragraphs(doc)
    assert [text[:22] for text, _, _ in paragraphs] == ["Căn cứ Quyết định số 1", "Căn cứ nhiệm vụ của Hộ"]
    assert not [w for w in doc.warnings if w.stage == "refs"]


# --------------------------------------------------------------------------------------------------
# Sentence cases and issuers (tests/fixtures/refs/sentences.csv, issuers.csv).

SENTENCE_ROWS = read_csv(REF_FIXTURES / "sentences.csv")
SENTENCE_CASES = sorted({r["case"] for r in SENTENCE_ROWS})
SENTENCE_FIELDS = ["doc_type", "number", "symbol", "year", "issue_date", "issuer"]


@pytest.mark.parametrize("case", SENTENCE_CASES)
def test_sentence_case(case):
    rows = [r for r in SENTENCE_ROWS if r["case"] == case]
    first = rows[0]
    refs = parse_reference_sentence(first["sentence"], first["province"], 3, first["section"])
    want = [{"section": r["out_section"], **{f: r[f] for f in SENTENCE_FIELDS}} for r in rows if r["symbol"]]
    assert _rows(refs, ["section", *SENTENCE_FIELDS]) == want
    assert all(r.page == 3 and r.raw and r.raw in first["sentence"] for r in refs)
    assert [r.ref_order for r in refs] == list(range(1, len(refs) + 1))


@pytest.mark.parametrize("row", read_csv(REF_FIXTURES / "issuers.csv"), ids=lambda r: r["issuer_raw"])
def test_canonical_issuer(row):
    assert canonical_issuer(row["issuer_raw"], row["province"]) == row["issuer"]


def test_symbol_raw_and_title_are_as_printed():
    (ref,) = parse_reference_sentence(
        "Căn cứ Kế hoạch số 96 /KH - ĐCT ngày 23/8/2022 của Đoàn chủ tịch TW Hội LHPN Việt Nam "
        "về chỉ đạo điểm;"
    )
    assert (ref.symbol_raw, ref.symbol, ref.number, ref.year) == ("96 /KH - ĐCT", "96/KH-ĐCT", "96", 2022)
    assert ref.issuer_raw == "Đoàn chủ tịch TW Hội LHPN Việt Nam"
    assert ref.title == "về chỉ đạo điểm"


def test_title_of_a_law_is_its_name_and_nested_laws_stay_in_it():
    refs = parse_reference_sentence(
        "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền "
        "địa phương ngày 22 tháng 11 năm 2019;"
    )
    assert len(refs) == 1 and refs[0].title == refs[0].symbol and refs[0].year == 2019


def test_no_string_input_gives_nothing():
    assert parse_reference_sentence("") == []
    assert parse_reference_sentence(None) == []  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------------
# Documents built from lines: preamble, operative part, joining, warnings, de-duplication.


def test_preamble_ends_at_the_operative_part():
    doc = extract_references(
        _doc(
            [
                "KẾ HOẠCH",
                "Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ;",
                "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:",
                "I. MỤC ĐÍCH, YÊU CẦU",
                "- Căn cứ Quyết định số 5/QĐ-UBND ngày 02/01/2022 của UBND tỉnh, các sở chủ động thực hiện.",
                "Căn cứ Kế hoạch số 7/KH-UBND ngày 03/01/2022 của UBND tỉnh, các huyện thực hiện.",
            ],
            province="Lào Cai",
        )
    )
    assert [(r.symbol, r.section) for r in doc.refs] == [
        ("1719/QĐ-TTg", "can_cu"),
        ("5/QĐ-UBND", "body"),
        ("7/KH-UBND", "body"),
    ]
    assert doc.refs[1].issuer == "Ủy ban nhân dân tỉnh Lào Cai"


def test_decision_preamble_with_proposal_and_quyet_dinh():
    doc = extract_references(
        _doc(
            [
                "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH",
                "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
                "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 208/TTr-SNV ngày 01/11/2024.",
                "QUYẾT ĐỊNH:",
                "Điều 1. Phê duyệt theo Quyết định số 1/QĐ-UBND ngày 02/01/2024 của UBND tỉnh.",
            ],
            province="Ninh Bình",
        )
    )
    assert [(r.symbol, r.section) for r in doc.refs] == [
        ("Luật Tổ chức chính quyền địa phương", "can_cu"),
        ("208/TTr-SNV", "proposal"),
        ("1/QĐ-UBND", "body"),
    ]
    assert doc.refs[1].issuer == "Giám đốc Sở Nội vụ"


def test_visual_lines_are_joined_with_hyphens_and_page_breaks():
    doc = extract_references(
        _doc(
            [
                ("KẾ HOẠCH", 1, 0),
                ("Căn cứ Kế hoạch số 43/KH-ĐCT, ngày 03 tháng 6 năm 2022 và Hướng dẫn 04/HD-", 1, 1),
                ("ĐCT, ngày 28 tháng 7 năm 2022 của Đoàn Chủ tịch Hội Liên hiệp Phụ nữ Việt", 1, 1),
                ("Nam về triển khai Dự án 8; Kế hoạch số 556/KH-UBND ngày 12 tháng 3 năm", 1, 1),
                ("2", 2, 0),  # the page number
                ("2024 của Ủy ban nhân dân tỉnh về thực hiện Chương trình.", 2, 1),
                ("Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:", 2, 2),
                ("I. MỤC ĐÍCH", 2, 3),
            ],
            province="Gia Lai",
        )
    )
    got = [(r.symbol, r.symbol_raw, r.page, r.issue_date, r.issuer, r.section) for r in doc.refs]
    dct = "Đoàn Chủ tịch Hội Liên hiệp Phụ nữ Việt Nam"
    assert got == [
        ("43/KH-ĐCT", "43/KH-ĐCT", 1, "2022-06-03", dct, "can_cu"),
        ("04/HD-ĐCT", "04/HD-ĐCT", 1, "2022-07-28", dct, "can_cu"),
        ("556/KH-UBND", "556/KH-UBND", 1, "2024-03-12", "Ủy ban nhân dân tỉnh Gia Lai", "can_cu"),
    ]


def test_one_block_per_line_documents_still_split_on_punctuation():
    """Cao Bằng's PDF gives every visual line its own block: only ';' and openers tell paragraphs apart."""
    lines = [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ ",
        "sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày ",
        "22 tháng 11 năm 2019; ",
        "Căn cứ Nghị định số 120/2016/NĐ-CP ngày 23 tháng 8 năm 2016 của Chính phủ quy định chi ",
        "tiết và hướng dẫn thi hành một số điều của Luật Phí và lệ phí; ",
        "QUYẾT NGHỊ: ",
    ]
    doc = extract_references(_doc(lines))
    assert [s for _, s, _ in basis_paragraphs(doc)] == ["can_cu", "can_cu"]
    amendment = (
        "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương"
    )
    assert [(r.symbol, r.section) for r in doc.refs] == [
        ("Luật Tổ chức chính quyền địa phương", "can_cu"),
        (amendment, "can_cu"),
        ("120/2016/NĐ-CP", "can_cu"),
        ("Luật Phí và lệ phí", "body"),  # cited inside the decree's title
    ]


def test_thuc_hien_title_is_not_a_basis_but_the_paragraph_is():
    doc = extract_references(
        _doc(
            [
                ("KẾ HOẠCH", 1, 0),
                ("Triển khai thực hiện Chỉ thị số 20-CT/TU, ngày 10/10/2024", 1, 0),
                ("của Ban Thường vụ Tỉnh ủy về tăng cường công tác trồng cây xanh", 1, 0),
                ("Thực hiện Chỉ thị số 20-CT/TU, ngày 10/10/2024 của Ban Thường vụ Tỉnh", 1, 1),
                ("ủy về tăng cường công tác trồng cây xanh; Ủy ban nhân dân tỉnh ban hành Kế", 1, 1),
                ("hoạch như sau:", 1, 1),
                ("I. MỤC ĐÍCH, YÊU CẦU", 1, 2),
            ],
            province="Ninh Bình",
        )
    )
    assert [(r.ref_order, r.section, r.symbol, r.issuer) for r in doc.refs] == [
        (1, "can_cu", "20-CT/TU", "Ban Thường vụ Tỉnh ủy Ninh Bình")
    ]


def test_html_paragraphs_are_not_joined():
    doc = extract_references(
        _doc(
            [
                "Thực hiện bình đẳng giới và giải quyết những vấn đề cấp thiết",  # the title, in its own <p>
                "Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ",
                "Căn cứ Kế hoạch số 43/KH-ĐCT ngày 03/6/2022 của Đoàn Chủ tịch Trung ương Hội LHPN Việt Nam;",
                "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:",
            ],
            fmt="html",
        )
    )
    assert [(r.symbol, r.section, r.page) for r in doc.refs] == [
        ("1719/QĐ-TTg", "can_cu", 1),
        ("43/KH-ĐCT", "can_cu", 1),
    ]


def test_unparsed_basis_clause_warns_with_its_text():
    doc = extract_references(
        _doc(
            [
                "Căn cứ Quyết định số 1719 ngày 14/10/2021 của Thủ tướng Chính phủ;",
                "Căn cứ Quyết định số 39/2021/QĐ-TTg ngày 30/12/2021 của Thủ tướng Chính phủ;",
                "Căn cứ chức năng, nhiệm vụ của Hội Liên hiệp Phụ nữ được giao;",
                "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:",
            ]
        )
    )
    warnings = [w for w in doc.warnings if w.stage == "refs"]
    assert [(w.kind, w.page) for w in warnings] == [("ref_unparsed", 1)]
    assert "Quyết định số 1719 ngày 14/10/2021 của Thủ tướng Chính phủ" in warnings[0].message
    assert [r.symbol for r in doc.refs] == ["39/2021/QĐ-TTg"]


def test_document_cites_itself_is_left_out():
    lines = [
        "Số: 355/KH-UBND",
        "Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ;",
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:",
        "(Kèm theo Kế hoạch số 355/KH-UBND ngày 24/10/2022 của UBND tỉnh Lào Cai)",
    ]
    for meta in ({}, {"doc_number": "355/KH-UBND"}):
        doc = extract_references(_doc(lines, province="Lào Cai", **meta))
        assert [r.symbol for r in doc.refs] == ["1719/QĐ-TTg"]


def test_a_document_cited_in_the_title_and_the_basis_is_can_cu_once():
    doc = extract_references(
        _doc(
            [
                ("KẾ HOẠCH Triển khai Quyết định số 1719/QĐ-TTg ngày 14/10/2021", 1, 0),
                ("Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ;", 1, 1),
                ("Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:", 1, 2),
            ]
        )
    )
    assert _rows(doc.refs, ["ref_order", "section", "symbol", "issuer"]) == [
        {"ref_order": "1", "section": "can_cu", "symbol": "1719/QĐ-TTg", "issuer": "Thủ tướng Chính phủ"}
    ]


def test_portal_lines_are_portal_and_deduplicated():
    doc = _doc(["Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ;", "I. MỤC ĐÍCH"])
    doc.portal_lines = [
        Line("Văn bản căn cứ"),
        Line("1Quyết định 1719/QĐ-TTg năm 2021 phê duyệt Chương trình do Thủ tướng Chính phủ ban hành"),
        Line("2Thông tư 15/2022/TT-BTC quy định về quản lý kinh phí do Bộ trưởng Bộ Tài chính ban hành"),
        Line("3Thông tư 15/2022/TT-BTC quy định về quản lý kinh phí do Bộ trưởng Bộ Tài chính ban hành"),
    ]
    extract_references(doc)
    assert [(r.ref_order, r.section, r.symbol) for r in doc.refs] == [
        (1, "can_cu", "1719/QĐ-TTg"),
        (2, "portal", "1719/QĐ-TTg"),
        (3, "portal", "15/2022/TT-BTC"),
    ]
    assert doc.refs[2].issuer == "Bộ trưởng Bộ Tài chính"
    assert doc.refs[2].title == "quy định về quản lý kinh phí"


# --------------------------------------------------------------------------------------------------
# The real PDFs of tests/fixtures/real; the scans are read by OCR once per session (conftest.real_read).

REAL_FIXTURES = sorted(REF_FIXTURES.glob("real-*.csv"))


def _real(real_read, name: str) -> Document:
    doc = real_read(name)
    doc.meta.province = REAL_PROVINCES[name]
    return extract_references(doc)


@pytest.mark.parametrize("fixture", REAL_FIXTURES, ids=lambda p: p.stem)
def test_real_pdf_references_match_expected(real_read, fixture):
    doc = _real(real_read, fixture.stem.removeprefix("real-"))
    fields = ["ref_order", "section", "page", "doc_type", "symbol", "issue_date", "issuer"]
    assert _rows(doc.refs, fields) == read_csv(fixture)


def test_can_cu_paragraphs_then_a_proposal_paragraph(real_read):
    paragraphs = basis_paragraphs(_real(real_read, "vietlexibot_caobang_NQ33-2022-HDND"))
    assert [s for _, s, _ in paragraphs] == ["can_cu"] * 8 + ["proposal"]
    assert all(text.startswith("Căn cứ") for text, s, _ in paragraphs if s == "can_cu")


def test_basis_list_running_over_a_page_break(real_read):
    doc = _real(real_read, "ninhbinh_807")
    can_cu = [r for r in doc.refs if r.section == "can_cu"]
    assert len(can_cu) == 15 and can_cu[-1].symbol == "16-NQ/TU" and can_cu[-1].page == 2
    assert [r.symbol for r in doc.refs if r.section == "proposal"] == ["333/TTr-UBND", "3581/SXD-PTĐT"]


@pytest.mark.parametrize("name", ["ninhbinh_193", "vietlexibot_bimson_KH3070-UBND"])
def test_thuc_hien_preamble_counts_as_basis(real_read, name):
    doc = _real(real_read, name)
    paragraphs = basis_paragraphs(doc)
    assert len(paragraphs) == 1 and paragraphs[0][0].startswith("Thực hiện")
    assert len([r for r in doc.refs if r.section == "can_cu"]) == 1


def test_scan_with_garbage_ocr_layer_gives_no_invented_basis(real_read):
    """Read through OCR the preamble comes out; from the garbage layer nothing is taken for a basis."""
    doc = _real(real_read, "ninhbinh_968")
    can_cu = [r.symbol for r in doc.refs if r.section == "can_cu" and r.number]
    proposals = [(r.symbol, r.issuer) for r in doc.refs if r.section == "proposal"]
    if any(page.ocr for page in doc.pages):
        assert can_cu == ["08/2016/NĐ-CP", "115/2021/NĐ-CP"]
        assert proposals == [
            ("208/TTr-SNV", "Giám đốc Sở Nội vụ"),
            ("23/TTr-HĐND", "Thường trực Hội đồng nhân dân huyện Yên Khánh"),
        ]
    else:
        assert not can_cu
    assert not [w for w in doc.warnings if w.kind == "ref_error"]


def test_signed_scan_gives_its_basis_or_says_it_could_not(real_read):
    """Without OCR the scan has no text; with OCR its "Căn cứ Luật Tổ chức Chính phủ ..." may come out
    garbled. Either way nothing is invented: a basis clause is parsed or reported as ref_unparsed."""
    doc = _real(real_read, "vietlexibot_QD1360-TTg_scanned")
    if not any(page.ocr for page in doc.pages):
        assert not doc.refs and not [w for w in doc.warnings if w.stage == "refs"]
        return
    parsed = [r for r in doc.refs if r.section == "can_cu"]
    unparsed = [w for w in doc.warnings if w.kind == "ref_unparsed"]
    assert parsed or unparsed
    assert all(r.symbol and (r.doc_type in ("Luật", "Nghị định", "Quyết định", "Nghị quyết")) for r in parsed)


# --------------------------------------------------------------------------------------------------
# The run-level view.


def test_cited_documents():
    rows = read_csv(REF_FIXTURES / "cited_input.csv")
    got = [{k: str(v) for k, v in row.items()} for row in cited_documents(rows)]
    assert got == read_csv(REF_FIXTURES / "cited_expected.csv")
    assert cited_documents(list(reversed(rows))) == cited_documents(rows)


def test_cited_documents_takes_reference_objects():
    refs = parse_reference_sentence("Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Chính phủ;")
    assert cited_documents(refs)[0]["symbol"] == "1719/QĐ-TTg"


# --------------------------------------------------------------------------------------------------
# Properties: generated references parse back to their parts; arbitrary text never raises.

TYPES = [
    ("Quyết định", "QĐ"), ("Nghị quyết", "NQ"), ("Kế hoạch", "KH"), ("Hướng dẫn", "HD"), ("Thông tư", "TT"),
    ("Nghị định", "NĐ"), ("Chỉ thị", "CT"), ("Thông báo", "TB"), ("Tờ trình", "TTr"), ("Chương trình", "CTr"),
    ("Đề án", "ĐA"), ("Kết luận", "KL"), ("Công văn", ""),
]
PARTY_TYPES = {"Nghị quyết", "Chỉ thị", "Kế hoạch", "Hướng dẫn", "Thông báo", "Quyết định", "Kết luận"}
ORGS = ["TTg", "UBND", "ĐCT", "HĐND", "BTC", "CP", "UBDT", "SNV", "BCA", "DTTG", "VX", "BLĐTBXH"]
PARTY_ORGS = ["TU", "TW", "HU", "ĐU", "BTGTW"]
PROVINCE = "Lào Cai"
ISSUERS = [
    ("Thủ tướng Chính phủ", "Thủ tướng Chính phủ"),
    ("Thủ tướng\nChính phủ", "Thủ tướng Chính phủ"),
    ("UBND tỉnh", "Ủy ban nhân dân tỉnh Lào Cai"),
    ("Hội đồng Nhân dân tỉnh Lào Cai", "Hội đồng nhân dân tỉnh Lào Cai"),
    ("Đoàn chủ tịch TW Hội LHPN Việt Nam", "Đoàn Chủ tịch Trung ương Hội Liên hiệp Phụ nữ Việt Nam"),
    ("Đoàn Chủ tịch Hội Liên hiệp Phụ nữ Việt Nam", "Đoàn Chủ tịch Hội Liên hiệp Phụ nữ Việt Nam"),
    ("Bộ Tài chính", "Bộ Tài chính"),
    ("Bộ trưởng Bộ Tài chính", "Bộ trưởng Bộ Tài chính"),
    ("Ban Thường vụ Tỉnh ủy", "Ban Thường vụ Tỉnh ủy Lào Cai"),
    ("Chính phủ", "Chính phủ"),
    ("Sở Lao động - Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội"),
    ("Ủy ban Dân tộc", "Ủy ban Dân tộc"),
]
TITLES = [
    "phê duyệt Chương trình mục tiêu quốc gia giai đoạn 2021 - 2030",
    "về triển khai Dự án 8 “Thực hiện bình đẳng giới và giải quyết những vấn đề cấp thiết”",
    "Quy định nguyên tắc, tiêu chí, định mức phân bổ vốn",
    "hướng dẫn thực hiện Dự án 8, giai đoạn I: từ năm 2021 đến năm 2025",
    "về việc giao dự toán thu, chi ngân sách nhà nước năm 2024",
    "",
]


def _symbol(draw, abbr: str, party: bool, orgs: list[str]) -> tuple[str, str, str, int | None]:
    """(printed, canonical, number, year in the symbol) in one of the printed shapes."""
    number = draw(st.integers(1, 9999))
    number = f"{number:02d}" if draw(st.booleans()) else str(number)
    slash = draw(st.sampled_from(["/", " /", "/ ", " / "]))
    dash = draw(st.sampled_from(["-", " -", "- ", " - "]))
    if party:
        org = draw(st.sampled_from(PARTY_ORGS))
        return f"{number}{dash}{abbr}{slash}{org}", f"{number}-{abbr}/{org}", number, None
    year = draw(st.none() | st.integers(1990, 2030)) if abbr else None
    segs = ([abbr] if abbr else []) + orgs
    printed = number + (f"{slash}{year}" if year else "") + slash + dash.join(segs)
    canonical = number + (f"/{year}" if year else "") + "/" + "-".join(segs)
    if dash == "-" and draw(st.booleans()):
        printed = printed.replace("-", "-\n", 1)  # a line break after the hyphen: "04/HD-⏎ĐCT"
    if "Đ" in printed and draw(st.booleans()):
        printed = printed.replace("Đ", "\u00d0")  # the Icelandic Eth some PDFs use
    return printed, canonical, number, year


def _date(draw, when: date | None) -> str:
    if when is None:
        return ""
    d, m = (f"{x:02d}" if draw(st.booleans()) else str(x) for x in (when.day, when.month))
    text = draw(st.sampled_from([f"ngày {d}/{m}/{when.year}", f"ngày {d} tháng {m} năm {when.year}"]))
    return draw(st.sampled_from([", ", " "])) + text


@st.composite
def references(draw):
    doc_type, abbr = draw(st.sampled_from(TYPES))
    party = doc_type in PARTY_TYPES and draw(st.booleans())
    orgs = draw(st.lists(st.sampled_from(ORGS), min_size=1, max_size=2, unique=True))
    printed, symbol, number, year = _symbol(draw, abbr, party, orgs)
    when = draw(st.none() | st.dates(date(1990, 1, 1), date(2030, 12, 31)))
    issuer = draw(st.none() | st.sampled_from(ISSUERS))
    title = draw(st.sampled_from(TITLES))
    opener = draw(st.sampled_from(["Căn cứ", "Thực hiện", "Theo"]))
    so = draw(st.sampled_from(["số ", "Số ", "", "số: "]))
    text = f"{opener} {doc_type} {so}{printed}{_date(draw, when)}"
    text += f" của {issuer[0]}" if issuer else ""
    text += f" {title};" if title else ";"
    expected = {
        "section": "proposal" if (opener, doc_type) == ("Theo", "Tờ trình") else "can_cu",
        "doc_type": doc_type,
        "number": number,
        "symbol": symbol,
        "year": year or (when.year if when else None),
        "issue_date": when.isoformat() if when else "",
        "issuer": issuer[1] if issuer else "",
    }
    return text, expected


def _with_line_breaks(draw, text: str) -> str:
    """Some spaces become line breaks (as in a PDF's visual lines)."""
    parts = text.split(" ")
    return "".join(p + (draw(st.sampled_from([" ", " ", "\n", " \n"])) if i < len(parts) - 1 else "")
                   for i, p in enumerate(parts))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_generated_reference_parses_back(data):
    text, want = data.draw(references())
    if data.draw(st.booleans()):
        text = _with_line_breaks(data.draw, text)
    if data.draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    refs = parse_reference_sentence(text, PROVINCE)
    assert len(refs) == 1, (text, refs)
    got = {f: getattr(refs[0], f) for f in want}
    assert got == want, text


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_references_sharing_an_issuer(data):
    """'A ngày .. và B ngày .. của X' gives both X; 'A .. của X .. và B ngày ..' gives B the X before it."""
    org = data.draw(st.sampled_from(["ĐCT", "UBND", "TTg"]))
    (t1, a1), (t2, a2) = data.draw(st.lists(st.sampled_from(TYPES[:-1]), min_size=2, max_size=2))
    n1, n2 = data.draw(st.integers(1, 999)), data.draw(st.integers(1000, 1999))
    issuer, canonical = data.draw(st.sampled_from(ISSUERS))
    first, second = f"{t1} số {n1}/{a1}-{org} ngày 03/6/2022", f"{t2} số {n2}/{a2}-{org} ngày 28/7/2022"
    title = data.draw(st.sampled_from([t for t in TITLES if t]))
    forward = f"Căn cứ {first} và {second} của {issuer} {title};"
    backward = f"Căn cứ {first} của {issuer} {title} và {second} {title};"
    for text in (forward, backward):
        refs = parse_reference_sentence(text, PROVINCE)
        assert [(r.symbol, r.issuer) for r in refs] == [
            (f"{n1}/{a1}-{org}", canonical),
            (f"{n2}/{a2}-{org}", canonical),
        ], text


TOKENS = [
    "Căn cứ", "Thực hiện", "Theo đề nghị của", "Xét", "Quyết định", "Luật", "Bộ luật", "Nghị quyết", "số",
    "số:",
    "1719", "04", "2021", "/", "-", " - ", "QĐ", "QÐ", "TTg", "ĐCT", "HD", "NQ", "TU", "ngày", "14",
    "tháng", "năm",
    "10/2021", "của", "do", "ban hành", "tại", "Tờ trình", "Ủy ban nhân dân", "UBND", "tỉnh", "và",
    "sửa đổi,",
    "bổ sung", "một số điều của", ";", ",", ".", ":", "(", ")", "“", "”", "\n", "I.", "QUYẾT ĐỊNH:",
    "như sau:",
    "\u00ad", "\u0301", "Ð", "dự thảo", "37",
]
vietnamese_noise = st.lists(st.sampled_from(TOKENS), max_size=60).map(
    lambda toks: "".join(t if i % 3 else " " + t for i, t in enumerate(toks))
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.text(max_size=300), vietnamese_noise),
    st.sampled_from(SECTIONS),
    st.sampled_from(["", "Gia Lai"]),
)
def test_arbitrary_text_never_raises(text, section, province):
    refs = parse_reference_sentence(text, province, None, section)
    for ref in refs:
        assert ref.section in SECTIONS and ref.symbol
        assert ref.issue_date == "" or date.fromisoformat(ref.issue_date)
        assert ref.year is None or 1900 <= ref.year <= 2099


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.one_of(st.text(max_size=80), vietnamese_noise), st.integers(1, 3), st.integers(0, 4)),
        max_size=25,
    ),
    st.lists(vietnamese_noise, max_size=4),
)
def test_arbitrary_documents_never_raise(lines, portal):
    doc = _doc(sorted(lines, key=lambda t: t[1]), province="Gia Lai")
    doc.portal_lines = [Line(t) for t in portal]
    extract_references(doc)
    assert [r.ref_order for r in doc.refs] == list(range(1, len(doc.refs) + 1))
    assert not [w for w in doc.warnings if w.kind == "ref_error"]
    keys = [(r.section == "portal", re.sub(r"\s", "", r.symbol).upper()) for r in doc.refs]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    "text",
    [
        "số " + "1/" * 20000,
        "Căn cứ " + "Luật Luật " * 5000,
        "Căn cứ Quyết định số 1/QĐ-TTg của " + "Ủy ban " * 20000,
        "Theo đề nghị của " + "Giám đốc Sở tại Tờ trình số 1/TTr-SNV; " * 2000,
        "Căn cứ " + "Quyết định số 1/QĐ-TTg và " * 3000,
        "1" * 50000 + "/QĐ-" + "A" * 50000,
    ],
    ids=["slashes", "laws", "long-issuer", "proposals", "many-refs", "long-runs"],
)
def test_pathological_text_parses(text):
    """Inputs that make backtracking regexes explode; a regression here hangs (no timing is asserted)."""
    assert isinstance(parse_reference_sentence(text, "Gia Lai"), list)


# --------------------------------------------------------------------------------------------------
# One vocabulary per kind of domain knowledge: types, dates and issuers shared with the header stage.


@pytest.mark.parametrize("row", [t for t in doc_types() if t.numbered], ids=lambda t: t.word)
def test_every_numbered_type_word_types_its_reference(row):
    (ref,) = parse_reference_sentence(f"Căn cứ {row.word} số 12/2022/XY-UBND ngày 03/4/2022 của UBND tỉnh;")
    assert ref.doc_type == row.doc_type  # "Văn bản" says nothing: '' (the symbol has no type part either)


def test_type_abbreviation_in_the_symbol_types_a_bare_number():
    for row in doc_types():
        if row.abbreviation:
            (ref,) = parse_reference_sentence(f"Căn cứ số 7/{row.abbreviation}-UBND ngày 03/4/2022;")
            assert ref.doc_type == row.doc_type, row.abbreviation


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)), st.booleans())
def test_reference_date_is_the_shared_parser_date(day, in_words):
    printed = f"ngày {day.day} tháng {day.month} năm {day.year}" if in_words else f"ngày {day:%d/%m/%Y}"
    (ref,) = parse_reference_sentence(f"Căn cứ Kế hoạch số 43/KH-ĐCT {printed} của Đoàn Chủ tịch;")
    assert ref.issue_date == parse_date(printed) == day.isoformat()


def test_implausible_year_is_empty_for_a_reference_only():
    (ref,) = parse_reference_sentence("Căn cứ Kế hoạch số 43/KH-ĐCT ngày 03/4/2199 của Đoàn Chủ tịch;")
    assert ref.issue_date == "" and ref.year is None
    assert parse_date("ngày 03/4/2199") == "2199-04-03"
    assert iso_date(3, 4, 2199, years=PLAUSIBLE_YEARS) == ""
    assert iso_date(31, 2, 2022) == ""


def test_one_issuer_canonicaliser_two_readings():
    assert canonical_issuer("UBND tỉnh", "Lào Cai") == "Ủy ban nhân dân tỉnh Lào Cai"
    assert canonical_issuer("BAN CHỈ ĐẠO") == "BAN CHỈ ĐẠO"  # running text keeps what it does not know
    assert canonical_issuer("BAN CHỈ ĐẠO", header_line=True) == "Ban chỉ đạo"
    assert canonical_issuer("HỘI LIÊN HIỆP PHỤ NỮ VIỆT NAM", header_line=True) == "Hội Liên hiệp Phụ nữ Việt Nam"
    assert canonical_issuer("BỘ TÀI CHÍNH", header_line=True) == canonical_issuer("Bộ tài chính") == "Bộ Tài chính"


def test_decisions_are_logged_with_their_page(caplog):
    doc = _doc([
        "KẾ HOẠCH",
        "Căn cứ Thông tư số 15/2022/TT-BTC ngày 04/3/2022 của Bộ Tài chính sửa đổi Thông tư số 85/2019/TT-BTC;",
        "Căn cứ Biên bản ngày 07/6/2024 của Đoàn Kiểm tra;",
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:",
    ], province="Lào Cai")
    with caplog.at_level(logging.DEBUG, logger="extract.stages.refs"):
        extract_references(doc)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "page 1: can_cu paragraph" in text
    assert "85/2019/TT-BTC is named inside another reference's title: body" in text
    assert "page 1: clause left unparsed" in text
    assert "preamble ends" in text
