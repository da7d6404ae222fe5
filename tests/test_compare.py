"""`compare`: pivots in a workbook that match the targets, and a report that draws in a real browser."""

from __future__ import annotations

from collections import defaultdict

import pytest
from openpyxl import load_workbook

from extract.cli import main

from .browser import load_page
from .conftest import read_csv


@pytest.fixture(scope="session")
def report_dir(sample_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    assert main(["compare", str(sample_run.out_dir), "--report", str(out), "--quiet"]) == 0
    return out


def _one_copy_totals(out_dir) -> dict[tuple[str, str], float]:
    """Province × indicator totals from targets.csv, one copy per plan (the first by doc_id)."""
    docs = read_csv(out_dir / "documents.csv")
    first: dict[str, str] = {}
    for d in sorted(docs, key=lambda d: d["doc_id"]):
        first.setdefault(d["plan_id"], d["doc_id"])
    chosen = set(first.values())
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for t in read_csv(out_dir / "targets.csv"):
        if t["doc_id"] in chosen and t["is_total"] == "false" and t["indicator_id"] and t["province"]:
            totals[(t["province"], t["indicator_id"])] += float(t["value"] or 0)
    return dict(totals)


def test_workbook_pivot_matches_the_targets(sample_run, report_dir):
    book = load_workbook(report_dir / "project8.xlsx")
    sheet = book["province_totals"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    found = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        for indicator, value in zip(header[2:], row[2:]):
            if value is not None:
                assert isinstance(value, int | float)
                found[(row[0], indicator)] = found.get((row[0], indicator), 0) + value
    assert found == pytest.approx(_one_copy_totals(sample_run.out_dir))
    for name in ("unit_values", "indicator_coverage", "per_unit_average", "province_2025_totals", "review"):
        assert name in book.sheetnames
    assert (report_dir / "province_totals.csv").is_file()


def test_sources_sheet_gives_file_and_page_of_every_figure(report_dir):
    sheet = load_workbook(report_dir / "project8.xlsx")["sources"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows and all(r["source_file"] for r in rows)
    assert all(r["page"] for r in rows if r["source_file"].endswith(".pdf"))


def test_pivots_from_csv_files_equal_those_from_the_store(sample_run, tmp_path, report_dir):
    csv_only = tmp_path / "run"
    csv_only.mkdir()
    for name in ("documents", "targets", "refs", "warnings"):
        (csv_only / f"{name}.csv").write_bytes((sample_run.out_dir / f"{name}.csv").read_bytes())
    assert main(["compare", str(csv_only), "--report", str(tmp_path / "r"), "--quiet"]) == 0
    for name in ("province_totals", "unit_values", "indicator_coverage", "review"):
        assert (tmp_path / "r" / f"{name}.csv").read_bytes() == (report_dir / f"{name}.csv").read_bytes()


def test_report_draws_every_chart_offline(report_dir, tmp_path):
    shot = tmp_path / "report.png"
    page = load_page(report_dir / "report.html", screenshot=shot)
    assert page.errors == []
    assert page.requests == []  # nothing fetched: scripts and data are inlined
    kinds = {c["id"].split("-")[0] for c in page.charts}
    assert {"ind", "units", "coverage"} <= kinds
    assert all(c["marks"] > 0 for c in page.charts), page.charts
    assert shot.stat().st_size > 10_000


def test_compare_usage(capsys, tmp_path):
    with pytest.raises(SystemExit):
        main(["compare", "--help"])
    assert "examples:" in capsys.readouterr().out
    assert main(["compare", str(tmp_path / "missing"), "--report", str(tmp_path / "r")]) == 2
