"""Smoke test of the benchmark scripts in bench/: they run on a tiny input and print their tables.

Nothing here asserts a timing; the figures belong to the scripts' printed tables.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys

import pytest

from .conftest import ROOT, SAMPLES


def _load(name: str):
    """bench/<name>.py as a module (bench/ is a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def run_bench():
    return _load("run_bench")


@pytest.fixture(scope="module")
def compare_extractors():
    return _load("compare_extractors")


def _header_line(text: str, first_column: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.startswith(first_column))
    return [c.strip() for c in line.split("  ") if c.strip()]


def test_run_bench_prints_its_tables(run_bench, tmp_path, capsys):
    tiny = tmp_path / "samples"
    tiny.mkdir()
    for name in ("gia-lai-1002-2024.pdf", "lao-cai-355-2022.html"):
        shutil.copy(SAMPLES / name, tiny / name)
    code = run_bench.main(["--samples", str(tiny), "--copies", "1", "--long-pages", "0", "--scale", "", "--quick"])
    out = capsys.readouterr().out
    assert code == 0
    assert _header_line(out, "configuration") == run_bench.THROUGHPUT_COLUMNS
    assert _header_line(out, "stage") == run_bench.STAGE_COLUMNS
    rows = {line.split("  ")[0]: line for line in out.splitlines()}
    assert rows["pipeline w2 (PDF + HTML)"].rstrip().endswith("yes")  # workers 1 and 2 wrote the same CSV bytes
    for stage in ("read (pdf)", "read (html)", "appendix (find tables)", "allocation", "refs", "normalize",
                  "validate", "write (csv, parquet)", "total"):
        assert stage in rows


def test_format_table_aligns_numbers(run_bench):
    text = run_bench.format_table(["name", "n"], [["a", 1.5], ["bb", 1234.0], ["c", None]])
    assert text.splitlines() == ["name      n", "----  -----", "a      1.50", "bb    1,234", "c         -"]


def test_compare_extractors_pipeline_recovers_every_cell(compare_extractors, capsys):
    ce = compare_extractors
    cases = ce.find_cases()
    assert {"binh-thuan-3798-2022", "gia-lai-1002-2024", "lao-cai-355-2022"} <= {pdf.stem for pdf, _ in cases}
    pipeline = ce.compare(cases, ("pipeline",), warm_up=False)["pipeline"]["all"]
    assert pipeline.total == sum(1 for _, e in cases for c in e if c["value_raw"].strip())
    assert pipeline.recovered == pipeline.total
    assert pipeline.recovered_all == pipeline.total_all == sum(len(e) for _, e in cases)
    assert pipeline.extra == 0
    # The printed report, with a generic extractor on the smallest plan (PyMuPDF's find_tables, at a few
    # tenths of a second a page, is left to the script).
    small = [min(cases, key=lambda c: c[0].stat().st_size)]
    text = ce.report(ce.compare(small, ("pdfplumber", "pipeline"), warm_up=False), small)
    assert _header_line(text, "extractor") == ce.COLUMNS
    lines = text.splitlines()
    assert any(line.startswith("pdfplumber ") for line in lines) and any(line.startswith("pipeline ") for line in lines)


def test_generic_scoring_is_generous_on_values_but_tells_glued_names(compare_extractors):
    ce = compare_extractors
    expected = [
        {"unit_name": "Huyện Si Ma Cai", "header_raw": "Tập huấn (lớp)", "value_raw": v} for v in ("2", "2", "-", "")
    ]
    glued = [["STT", "Huyện", "Tập huấn\n(lớp)"], ["1", "HuyệnSiMaCai", "2", "-", "7"]]
    score = ce.score_generic([glued], expected)
    assert (score.recovered, score.total) == (2, 3)  # '2' counts once in the row, '-' once; blanks are not scored
    assert (score.units_found, score.units_multiword, score.units_spaced, score.labels_one_cell) == (1, 1, 0, 1)
    assert score.header_rows == [1]
