"""Shared fixtures: sample paths, the project's own expected values, and one pipeline run over the samples."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:  # the CSVs start with a BOM (for Excel)
        return list(csv.DictReader(fh))


# The five plans with expected values; twins (scan, TCVN3, DOCX) have their own tests.
EXPECTED_DOCS = [row["doc"] for row in read_csv(FIXTURES / "documents.csv")]
TEXT_PDFS = sorted(SAMPLES / f"{stem}.pdf" for stem in EXPECTED_DOCS)
HTML_PAGES = sorted(p for p in SAMPLES.glob("*.html") if p.stem in EXPECTED_DOCS)


@pytest.fixture(scope="session")
def expected_documents() -> dict[str, dict[str, str]]:
    return {row["doc"]: row for row in read_csv(FIXTURES / "documents.csv")}


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    """One run of the library over the text PDFs and HTML pages of samples/ (the scan is tested apart)."""
    from extract import run

    src = tmp_path_factory.mktemp("inputs")
    for path in TEXT_PDFS + HTML_PAGES:
        shutil.copy(path, src / path.name)
    out = tmp_path_factory.mktemp("out")
    result = run([src], out)
    return result


def rows_by_stem(result, table: str) -> dict[str, list[dict[str, str]]]:
    """Rows of an output CSV grouped by the input file's name (stem.ext)."""
    out: dict[str, list[dict[str, str]]] = {}
    for row in read_csv(result.out_dir / f"{table}.csv"):
        out.setdefault(row["source_file"], []).append(row)
    return out
