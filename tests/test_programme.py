"""Programme and project of a document (extract/stages/programme.py) and `--only-project8`."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from extract.cli import main
from extract.model import Document, Line, Page, Reference, Target
from extract.stages.programme import identify_programme, is_project8, keep_only_project8

from .conftest import SAMPLES, rows_by_stem

PROJECT8_NAME = "“Thực hiện bình đẳng giới và giải quyết những vấn đề cấp thiết đối với phụ nữ và trẻ em”"
LEGAL_AID = "“Tăng cường trợ giúp pháp lý cho người nghiện ma túy”"
DRUGS = "Chương trình mục tiêu quốc gia phòng, chống ma túy đến năm 2030"
MINORITIES = "Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào DTTS và miền núi"


def _doc(title: str, refs: list[tuple[str, str]] = (), body: list[str] = ()) -> Document:
    doc = Document("x.pdf", "x.pdf", format="pdf", pages=[Page(1, lines=[Line(t, 1) for t in body])])
    doc.meta.title = title
    doc.refs = [Reference(symbol=s, title=t, section="can_cu") for s, t in refs]
    return identify_programme(doc)


def test_every_sample_is_project8_of_1719(sample_run):
    rows = [r for rs in rows_by_stem(sample_run, "documents").values() for r in rs]
    assert rows and {(r["programme"], r["project"]) for r in rows} == {("1719", "8")}
    assert all(r["programme_evidence"] for r in rows)


def test_project8_of_1719_from_its_title():
    doc = _doc(f"Triển khai Dự án 8 {PROJECT8_NAME} thuộc {MINORITIES} năm 2024")
    assert (doc.meta.programme, doc.meta.project) == ("1719", "8") and is_project8(doc)
    assert "title: Dự án 8" in doc.meta.programme_evidence


def test_another_programmes_project_8_is_not_project8():
    doc = _doc(f"Triển khai Dự án 8 {LEGAL_AID} thuộc {DRUGS}",
               refs=[("1719/QĐ-TTg", f"phê duyệt {MINORITIES}")])  # cited as a basis, the title decides
    assert (doc.meta.programme, doc.meta.project) == ("phong-chong-ma-tuy", "8") and not is_project8(doc)


def test_a_1719_document_about_another_project_is_not_project8():
    doc = _doc(f"Thực hiện Tiểu dự án 1 thuộc Dự án 5 “Phát triển giáo dục nghề nghiệp” thuộc {MINORITIES}",
               refs=[("1719/QĐ-TTg", "phê duyệt Chương trình"),
                     ("43/KH-ĐCT", f"về triển khai Dự án 8 {PROJECT8_NAME}")])
    assert (doc.meta.programme, doc.meta.project) == ("1719", "5") and not is_project8(doc)


def test_project_from_the_cited_guidance_when_the_title_names_none():
    doc = _doc("Kế hoạch công tác phụ nữ năm 2024",
               refs=[("1719/QĐ-TTg", "phê duyệt Chương trình"), ("04/HD-ĐCT", f"hướng dẫn Dự án 8 {PROJECT8_NAME}")])
    assert (doc.meta.programme, doc.meta.project) == ("1719", "8")
    assert doc.meta.programme_evidence.startswith("ref 1719/QĐ-TTg")


def test_a_project_number_without_a_programme_is_not_enough():
    doc = _doc("Triển khai Dự án 8 năm 2024")
    assert (doc.meta.programme, doc.meta.project) == ("", "8") and not is_project8(doc)


def test_unrelated_document_has_no_programme():
    doc = _doc("Triển khai Chỉ thị về trồng cây xanh", body=["Căn cứ Luật Bảo vệ môi trường ngày 17/11/2020;"])
    assert (doc.meta.programme, doc.meta.project, doc.meta.programme_evidence) == ("", "", "")


def test_keep_only_project8_drops_targets_of_the_others_with_a_warning():
    target = Target(1, "", 0, 1, 1, "Huyện A", False, "Số tổ", "3", 3.0)
    mine = _doc(f"Triển khai Dự án 8 {PROJECT8_NAME} thuộc {MINORITIES}")
    other = _doc(f"Triển khai Dự án 8 {LEGAL_AID} thuộc {DRUGS}")
    mine.targets, other.targets = [target], [target]
    keep_only_project8([mine, other])
    assert (len(mine.targets), len(other.targets)) == (1, 0)
    assert [w.kind for w in other.warnings] == ["not_project8"] and not mine.warnings


def _lookalike(path: Path) -> Path:
    """The Lào Cai page turned into the drug-prevention programme's "Dự án 8" (same tables)."""
    text = (SAMPLES / "lao-cai-355-2022.html").read_text(encoding="utf-8")
    for old in ("VÙNG ĐỒNG BÀO DTTS VÀ MIỀN NÚI", "vùng đồng bào DTTS và miền núi",
                "vùng đồng bào dân tộc thiểu số và miền núi"):
        text = text.replace(old, "phòng, chống ma túy")
    text = text.replace(PROJECT8_NAME.upper(), LEGAL_AID.upper()).replace(PROJECT8_NAME, LEGAL_AID)
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_only_project8_keeps_documents_rows_and_writes_targets_only_for_project8(tmp_path):
    lookalike = _lookalike(tmp_path / "ma-tuy-du-an-8.html")
    out = tmp_path / "out"
    code = main(["run", str(SAMPLES / "lao-cai-355-2022.pdf"), str(lookalike), "--out", str(out), "--only-project8",
                 "--no-cache", "--workers", "1", "--quiet"])
    assert code == 0
    documents = {r["source_file"]: r for r in csv.DictReader(open(out / "documents.csv", encoding="utf-8-sig"))}
    targets = list(csv.DictReader(open(out / "targets.csv", encoding="utf-8-sig")))
    assert set(documents) == {"lao-cai-355-2022.pdf", "ma-tuy-du-an-8.html"}
    assert documents["ma-tuy-du-an-8.html"]["programme"] == "phong-chong-ma-tuy"
    assert {r["source_file"] for r in targets} == {"lao-cai-355-2022.pdf"}
    warnings = list(csv.DictReader(open(out / "warnings.csv", encoding="utf-8-sig")))
    assert [w["source_file"] for w in warnings if w["kind"] == "not_project8"] == ["ma-tuy-du-an-8.html"]


@pytest.mark.parametrize("flag", [[], ["--only-project8"]])
def test_without_the_flag_every_document_keeps_its_targets(tmp_path, flag):
    lookalike = _lookalike(tmp_path / "ma-tuy-du-an-8.html")
    out = tmp_path / "out"
    assert main(["run", str(lookalike), "--out", str(out), "--no-cache", "--workers", "1", "--quiet", *flag]) == 0
    targets = list(csv.DictReader(open(out / "targets.csv", encoding="utf-8-sig")))
    assert bool(targets) == (not flag)
