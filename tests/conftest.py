"""Shared fixtures: sample and real-file paths, the project's own expected values, and the expensive runs
(the samples, the scan's OCR, the real scans' OCR), each computed once per session."""

from __future__ import annotations

import copy
import csv
import shutil
import tempfile
from pathlib import Path

import pytest

from extract import run
from extract.readers.pdf import read_pdf

from .prefetch import Prefetch

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REAL = FIXTURES / "real"  # real published PDFs (tests/fixtures/real/SOURCES.md)
SCAN = SAMPLES / "gia-lai-1002-2024-scan.pdf"
REAL_SCANS = ("ninhbinh_968", "vietlexibot_QD1360-TTg_scanned")  # the real files that go through OCR


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:  # the CSVs start with a BOM (for Excel)
        return list(csv.DictReader(fh))


# The five plans with expected values; twins (scan, TCVN3, DOCX) have their own tests.
EXPECTED_DOCS = [row["doc"] for row in read_csv(FIXTURES / "documents.csv")]
TEXT_PDFS = sorted(SAMPLES / f"{stem}.pdf" for stem in EXPECTED_DOCS)
HTML_PAGES = sorted(p for p in SAMPLES.glob("*.html") if p.stem in EXPECTED_DOCS)


def real_pdf(name: str) -> Path:
    """A real PDF of tests/fixtures/real by its stem; a missing file is an error, never a skip."""
    path = REAL / f"{name}.pdf"
    assert path.is_file(), f"{path} is missing from the repository"
    return path


# --- Expensive inputs, started in the background as soon as the collected tests show they need them ---

PREFETCH = Prefetch()
_SCAN_OUT = Path(tempfile.mkdtemp(prefix="p8-tests-scan-"))


def _start_scan_run() -> None:
    PREFETCH.start("scan_run", run, [SCAN], _SCAN_OUT)


def _start_real_scan(name: str) -> None:
    PREFETCH.start(f"real:{name}", read_pdf, str(real_pdf(name)), f"{name}.pdf")


@pytest.hookimpl(trylast=True)  # after -k/-m deselection: only what the selected tests use
def pytest_collection_modifyitems(session, config, items) -> None:
    needed = {name for item in items for name in getattr(item, "fixturenames", ())}
    if "scan_run" in needed:
        _start_scan_run()
    if "real_read" in needed:
        for name in REAL_SCANS:
            _start_real_scan(name)


def pytest_sessionfinish(session, exitstatus) -> None:
    PREFETCH.close()
    shutil.rmtree(_SCAN_OUT, ignore_errors=True)


@pytest.fixture(scope="session")
def expected_documents() -> dict[str, dict[str, str]]:
    return {row["doc"]: row for row in read_csv(FIXTURES / "documents.csv")}


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    """One run of the library over the text PDFs and HTML pages of samples/ (the scan is tested apart)."""
    src = tmp_path_factory.mktemp("inputs")
    for path in TEXT_PDFS + HTML_PAGES:
        shutil.copy(path, src / path.name)
    out = tmp_path_factory.mktemp("out")
    result = run([src], out)
    return result


@pytest.fixture(scope="session")
def scan_run():
    """One run of the library (default settings, so OCR at 300 dpi) over the scanned sample alone; its
    result cache (OUT/.cache) is there for other runs over the same file."""
    _start_scan_run()
    return PREFETCH.result("scan_run", run, [SCAN], _SCAN_OUT)


@pytest.fixture(scope="session")
def real_read():
    """name -> a fresh copy of read_pdf's Document for tests/fixtures/real/<name>.pdf (scans read by OCR once)."""
    done: dict[str, object] = {}

    def read(name: str):
        if name not in done:
            if name in REAL_SCANS:
                _start_real_scan(name)
                done[name] = PREFETCH.result(f"real:{name}", read_pdf, str(real_pdf(name)), f"{name}.pdf")
            else:
                done[name] = read_pdf(str(real_pdf(name)), f"{name}.pdf")
        return copy.deepcopy(done[name])  # stages change the document they are given

    return read


def rows_by_stem(result, table: str) -> dict[str, list[dict[str, str]]]:
    """Rows of an output CSV grouped by the input file's name (stem.ext)."""
    out: dict[str, list[dict[str, str]]] = {}
    for row in read_csv(result.out_dir / f"{table}.csv"):
        out.setdefault(row["source_file"], []).append(row)
    return out
