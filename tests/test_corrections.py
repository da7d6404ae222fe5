"""The user folder: cell corrections that last (and go stale when the document changes), user aliases,
abbreviations and forced units applied after the cache, so changing them re-reads no document."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pymupdf
import pytest

from extract import run
from extract.cli import summary
from extract.user_folder import CELL_COLUMNS

from .conftest import SAMPLES, read_csv

BINH_THUAN = SAMPLES / "binh-thuan-3798-2022.pdf"
BINH_THUAN_HTML = SAMPLES / "binh-thuan-3798-2022.html"
STRANGE_LABEL = "Chỉ số KO thử (tổ)"  # generated: no indicator looks like it
GALS_LABEL = "Thí điểm tổ TKVVTB áp dụng phương pháp học tập và hành động giới (tổ)"


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def gals_key(out: Path) -> tuple[str, str, str, str]:
    """The key of the cell the total_mismatch warning points at (the GALS column's total)."""
    warning = next(w for w in read_csv(out / "warnings.csv") if w["kind"] == "total_mismatch")
    return warning["doc_id"], warning["table_index"], warning["row_index"], warning["col_index"]


def target_at(out: Path, key: tuple[str, str, str, str]) -> dict[str, str]:
    return next(t for t in read_csv(out / "targets.csv")
                if (t["doc_id"], t["table_index"], t["row_index"], t["col_index"]) == key)


def correction_row(target: dict[str, str], sha256: str, value: str, **changes: str) -> dict[str, str]:
    row = {c: target.get(c, "") for c in CELL_COLUMNS}
    row.update(sha256=sha256, value=value, corrected_by="analyst A", note="checked against the signed copy")
    row.update(changes)
    return row


@pytest.fixture()
def pdf_run(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(BINH_THUAN, src / BINH_THUAN.name)
    out = tmp_path / "out"
    first = run([src], out)
    return src, out, first, gals_key(out)


def test_a_correction_is_applied_kept_apart_and_undone_without_its_file(pdf_run, tmp_path):
    src, out, first, key = pdf_run
    target = target_at(out, key)
    assert (target["value"], target["value_source"]) == ("5", "extracted")
    sha = first.documents[0].sha256
    cells = tmp_path / "corrections" / "cells.csv"  # the default folder: corrections/ beside OUT
    write_csv(cells, CELL_COLUMNS, [correction_row(target, sha, "4")])

    second = run([src], out)
    corrected = target_at(out, key)
    assert (corrected["value"], corrected["value_extracted"], corrected["value_source"]) == ("4", "5", "corrected")
    assert corrected["corrected_by"] == "analyst A" and corrected["correction_note"]
    assert second.from_cache == 1 and second.corrections.applied == 1
    assert "1 applied, 0 stale" in summary(second)
    others = [t for t in read_csv(out / "targets.csv") if t is not corrected and t["value_source"] == "corrected"]
    assert len(others) == 1  # only that cell
    # The corrected total now adds up, so its total_mismatch is gone; the warnings say nothing else new.
    assert not [w for w in read_csv(out / "warnings.csv") if w["kind"] == "total_mismatch"]

    cells.unlink()
    run([src], out)
    restored = target_at(out, key)
    assert (restored["value"], restored["value_source"], restored["corrected_by"]) == ("5", "extracted", "")


def test_a_correction_that_breaks_a_sum_is_reported(pdf_run, tmp_path):
    src, out, first, key = pdf_run
    unit = next(t for t in read_csv(out / "targets.csv")
                if t["unit_name_raw"] == "Tánh Linh" and t["indicator_id"] == "communication_groups")
    write_csv(tmp_path / "corrections" / "cells.csv", CELL_COLUMNS,
              [correction_row(unit, first.documents[0].sha256, str(int(unit["value"]) + 1))])
    run([src], out)
    messages = [w["message"] for w in read_csv(out / "warnings.csv") if w["kind"] == "total_mismatch"]
    assert len(messages) == 2 and sum("values as corrected" in m for m in messages) == 2


def test_a_correction_for_another_printed_text_is_stale(pdf_run, tmp_path):
    src, out, first, key = pdf_run
    target = target_at(out, key)
    write_csv(tmp_path / "corrections" / "cells.csv", CELL_COLUMNS,
              [correction_row(target, first.documents[0].sha256, "4", value_raw="6")])
    result = run([src], out)
    assert target_at(out, key)["value"] == "5"
    stale = [w for w in read_csv(out / "warnings.csv") if w["kind"] == "correction_stale"]
    assert len(stale) == 1 and "'5'" in stale[0]["message"]
    assert (stale[0]["table_index"], stale[0]["row_index"], stale[0]["col_index"]) == (
        target["table_index"], target["row_index"], target["col_index"])
    assert result.corrections.stale == 1 and result.corrections.applied == 0


def test_a_changed_document_makes_its_correction_stale(pdf_run, tmp_path):
    src, out, first, key = pdf_run
    target = target_at(out, key)
    write_csv(tmp_path / "corrections" / "cells.csv", CELL_COLUMNS,
              [correction_row(target, first.documents[0].sha256, "4")])
    pdf = pymupdf.open(BINH_THUAN)  # a new version of the file: same name, other bytes
    pdf.set_metadata({"title": "revised copy"})
    pdf.save(src / BINH_THUAN.name)
    result = run([src], out)
    key = (result.documents[0].doc_id, *key[1:])  # a doc_id names the file's bytes: the new version has its own
    assert target_at(out, key)["value"] == "5" and target_at(out, key)["value_source"] == "extracted"
    stale = [w for w in read_csv(out / "warnings.csv") if w["kind"] == "correction_stale"]
    assert len(stale) == 1 and "document changed" in stale[0]["message"]
    assert result.corrections.stale == 1


def test_a_correction_by_unit_and_indicator(pdf_run, tmp_path):
    src, out, first, key = pdf_run
    target = next(t for t in read_csv(out / "targets.csv")
                  if t["unit_name_raw"] == "Tánh Linh" and t["indicator_id"] == "savings_loan_groups_gals")
    row = correction_row(target, first.documents[0].sha256, "3", table_index="", row_index="", col_index="")
    write_csv(tmp_path / "corrections" / "cells.csv", CELL_COLUMNS, [row])
    run([src], out)
    after = next(t for t in read_csv(out / "targets.csv") if t["value_source"] == "corrected")
    assert (after["row_index"], after["col_index"], after["value"]) == (target["row_index"], target["col_index"], "3")


def make_html_variant(folder: Path) -> None:
    """The Bình Thuận legal-portal page with one column label and one unit row renamed."""
    text = BINH_THUAN_HTML.read_text(encoding="utf-8")
    assert text.count(GALS_LABEL) == 1 and text.count('<p align="left">Tánh Linh</p>') == 1
    text = text.replace(GALS_LABEL, STRANGE_LABEL).replace('<p align="left">Tánh Linh</p>',
                                                          '<p align="left">Tánh Lin</p>')
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "variant.html").write_text(text, encoding="utf-8")


def test_user_vocabulary_maps_again_without_reading_any_document(tmp_path):
    src, out, user = tmp_path / "in", tmp_path / "out", tmp_path / "mine"
    make_html_variant(src)
    shutil.copy(BINH_THUAN, src / BINH_THUAN.name)
    run([src], out, corrections=user)
    rows = [t for t in read_csv(out / "targets.csv") if t["indicator_label_raw"] == STRANGE_LABEL]
    assert rows and not any(t["indicator_id"] for t in rows)
    kinds = {w["kind"] for w in read_csv(out / "warnings.csv")}
    assert {"indicator_unmapped", "unit_unresolved"} <= kinds

    write_csv(user / "abbreviations.csv", ("abbr", "expansion", "context"), [
        {"abbr": "KO", "expansion": "kiểm định", "context": ""}])
    write_csv(user / "aliases.csv", ("alias", "indicator_id", "added_by", "note"), [
        {"alias": "Chỉ số kiểm định thử", "indicator_id": "savings_loan_groups_gals", "added_by": "A", "note": ""}])
    write_csv(user / "units.csv", ("province", "unit_name_raw", "unit_name"), [
        {"province": "Bình Thuận", "unit_name_raw": "Tánh Lin", "unit_name": "Tánh Linh"}])
    result = run([src], out, corrections=user)
    assert result.from_cache == 2 and "2 unchanged, taken from the cache" in summary(result)
    rows = [t for t in read_csv(out / "targets.csv") if t["indicator_label_raw"] == STRANGE_LABEL]
    assert {t["indicator_id"] for t in rows} == {"savings_loan_groups_gals"}
    lin = next(t for t in read_csv(out / "targets.csv") if t["unit_name_raw"] == "Tánh Lin")
    assert lin["unit_code"] and lin["unit_name"].endswith("Tánh Linh")
    kinds = {w["kind"] for w in read_csv(out / "warnings.csv")}
    assert not {"indicator_unmapped", "unit_unresolved"} & kinds
    # The variant's total_mismatch now knows the column's indicator, like the PDF's.
    mismatches = [w for w in read_csv(out / "warnings.csv") if w["kind"] == "total_mismatch"]
    assert len(mismatches) == 2 and {w["indicator_id"] for w in mismatches} == {"savings_loan_groups_gals"}


def test_an_alias_for_an_unknown_indicator_is_refused_and_reported(tmp_path):
    src, user = tmp_path / "in", tmp_path / "mine"
    make_html_variant(src)
    write_csv(user / "aliases.csv", ("alias", "indicator_id"), [{"alias": "Chỉ số KO thử", "indicator_id": "nope"}])
    result = run([src], tmp_path / "out", corrections=user)
    assert result.corrections.aliases == 0
    assert any("nope" in p for p in result.corrections.problems)
    assert "refused" in summary(result)
