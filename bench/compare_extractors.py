"""Allocation cells recovered by generic table extractors and by this pipeline, on the text-PDF samples.

    python bench/compare_extractors.py
    python bench/compare_extractors.py --extractors pipeline,pymupdf --samples samples --targets tests/fixtures/targets

Inputs: every text PDF in --samples that has expected cells in --targets/<stem>.csv (the project's copies of the
gold cells: appendix, row_order, unit_name, row_kind, indicator_id, header_raw, unit_raw, value_raw, value).

Extractors, each run over every page of each PDF (one untimed warm-up pass on the smallest PDF first):

- pdfplumber: `page.extract_tables()` with its default (ruling-line) settings;
- pymupdf: `page.find_tables()` then `table.extract()`;
- pipeline: this project's reader and stages (`extract.pipeline.process_document`), its targets
  (unit_name_raw, indicator_id, value_raw).

Scoring. The generic tools give grids of strings, not cells tied to an indicator, so their matching is generous:
a gold cell counts as recovered when its printed text (value_raw, '-' included) is one of the cells right of the
unit name in a row whose first text cells contain that unit name (compared with diacritics, case and spaces
folded away); each printed value counts once per row (multiset). Only non-blank gold cells are scored for them
(an empty cell has no text to find). The pipeline is held to the strict key (unit name, indicator id) -> value_raw,
and is scored on the same non-blank cells and on all cells (blank ones included).
Also shown: whether unit names keep their word spaces ("Huyện Si Ma Cai" vs "HuyệnSiMaCai"), how many of the
gold header labels come out as one cell, and how many header rows a user would still have to flatten.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import format_table, use_repo_code  # noqa: E402  (bench/ is a folder of scripts)

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
TARGETS = ROOT / "tests" / "fixtures" / "targets"
EXTRACTORS = ("pdfplumber", "pymupdf", "pipeline")
COLUMNS = ["extractor", "recovered / total", "%", "all cells incl. blank", "seconds", "pages/s", "notes"]

Grid = list[list[str]]


# ---------------------------------------------------------------------------------------------- text


def squash(text: str | None) -> str:
    """Whitespace (line breaks included) collapsed to single spaces; NFC."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def fold_key(text: str | None) -> str:
    """Lower case, no diacritics (đ -> d), letters and digits only: 'Huyện Si Ma Cai' -> 'huyensimacai'."""
    text = unicodedata.normalize("NFD", (text or "").lower()).replace("đ", "d")
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return re.sub(r"[\W_]+", "", text)


# --------------------------------------------------------------------------------------------- inputs


def read_expected(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def find_cases(samples: Path = SAMPLES, targets: Path = TARGETS) -> list[tuple[Path, list[dict[str, str]]]]:
    """(text PDF, its expected cells) for every sample PDF with a targets/<stem>.csv (scans left out)."""
    cases = []
    for pdf in sorted(samples.glob("*.pdf")):
        expected = targets / f"{pdf.stem}.csv"
        if not pdf.stem.endswith("-scan") and expected.exists():
            cases.append((pdf, read_expected(expected)))
    return cases


# ----------------------------------------------------------------------------------------- extractors


def pdfplumber_tables(path: Path) -> tuple[list[Grid], int]:
    import pdfplumber

    tables: list[Grid] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                tables.append([[c or "" for c in row] for row in table])
            page.close()  # frees the page's cached objects
        return tables, len(pdf.pages)


def pymupdf_tables(path: Path) -> tuple[list[Grid], int]:
    import pymupdf

    tables: list[Grid] = []
    with pymupdf.open(path) as pdf:
        for page in pdf:
            for table in page.find_tables().tables:
                tables.append([[c or "" for c in row] for row in table.extract()])
        return tables, pdf.page_count


GENERIC: dict[str, Callable[[Path], tuple[list[Grid], int]]] = {
    "pdfplumber": pdfplumber_tables,
    "pymupdf": pymupdf_tables,
}


def pipeline_document(path: Path):
    use_repo_code()
    from extract.pipeline import process_document

    return process_document(path, path.name)


# -------------------------------------------------------------------------------------------- scoring


@dataclass
class Score:
    """One extractor on one or more documents."""

    recovered: int = 0  # non-blank gold cells found
    total: int = 0  # non-blank gold cells
    recovered_all: int | None = None  # all gold cells, blanks included (pipeline only)
    total_all: int | None = None
    units_found: int = 0  # gold rows (unit or total) located
    units: int = 0
    units_multiword: int = 0  # located rows whose gold unit name has more than one word
    units_spaced: int = 0  # ... and whose unit text keeps the name's word spaces
    labels_one_cell: int = 0  # gold header labels that come out as one cell
    labels: int = 0
    header_rows: list[int] = field(default_factory=list)  # rows above the first data row, per allocation table
    tables: int = 0
    extra: int | None = None  # pipeline: targets with no gold cell
    pages: int = 0
    seconds: float = 0.0

    def add(self, other: Score) -> None:
        for name in ("recovered", "total", "units_found", "units", "units_multiword", "units_spaced",
                     "labels_one_cell", "labels", "tables", "pages", "seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("recovered_all", "total_all", "extra"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if theirs is not None:
                setattr(self, name, (mine or 0) + theirs)
        self.header_rows += other.header_rows


def _gold_rows(expected: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    for cell in expected:
        rows[cell["unit_name"]].append(cell)
    return rows


def _unit_cell(row: list[str], unit_key: str, first: int = 3) -> int | None:
    """Index of the cell holding the unit name among the row's first `first` non-empty cells."""
    seen = 0
    for i, cell in enumerate(row):
        if not squash(cell):
            continue
        if unit_key and unit_key in fold_key(cell):
            return i
        seen += 1
        if seen >= first:
            return None
    return None


def score_generic(tables: list[Grid], expected: list[dict[str, str]]) -> Score:
    """Generous matching of a generic extractor's grids against the expected cells (see the module notes)."""
    score = Score(tables=len(tables))
    matched_tables: dict[int, int] = {}  # table -> index of its first matched row
    for unit, cells in _gold_rows(expected).items():
        wanted = Counter(squash(c["value_raw"]) for c in cells if squash(c["value_raw"]))
        score.total += sum(wanted.values())
        score.units += 1
        key = fold_key(unit)
        best = (-1, None, None, None)  # (recovered, table, row, unit cell text)
        for t, table in enumerate(tables):
            for r, row in enumerate(table):
                idx = _unit_cell(row, key)
                if idx is None:
                    continue
                got = Counter(squash(c) for c in row[idx + 1:] if squash(c))
                hit = sum(min(n, got[v]) for v, n in wanted.items())
                if hit > best[0]:
                    best = (hit, t, r, row[idx])
        if best[1] is None:
            continue
        score.recovered += best[0]
        score.units_found += 1
        if " " in squash(unit):
            score.units_multiword += 1
            score.units_spaced += squash(unit) in squash(best[3])
        matched_tables[best[1]] = min(matched_tables.get(best[1], best[2]), best[2])
    labels = {fold_key(c["header_raw"]) for c in expected if c["header_raw"]}
    cells = {fold_key(c) for table in tables for row in table for c in row}
    score.labels = len(labels)
    score.labels_one_cell = len(labels & cells)
    score.header_rows = [matched_tables[t] for t in sorted(matched_tables)]
    return score


def score_pipeline(doc, expected: list[dict[str, str]]) -> Score:
    """Strict key (unit name, indicator id) -> value_raw, against the pipeline's targets."""
    got: dict[tuple[str, str], str] = {}
    spaced: dict[str, str] = {}
    for t in doc.targets:
        got.setdefault((fold_key(t.unit_name_raw), t.indicator_id), squash(t.value_raw))
        spaced.setdefault(fold_key(t.unit_name_raw), squash(t.unit_name_raw))
    score = Score(tables=sum(1 for t in doc.tables if t.kind == "allocation"), recovered_all=0, total_all=0)
    gold_keys = set()
    for cell in expected:
        key = (fold_key(cell["unit_name"]), cell["indicator_id"])
        gold_keys.add(key)
        ok = key in got and got[key] == squash(cell["value_raw"])
        score.total_all += 1
        score.recovered_all += ok
        if squash(cell["value_raw"]):
            score.total += 1
            score.recovered += ok
    for unit in _gold_rows(expected):
        score.units += 1
        if fold_key(unit) in spaced:
            score.units_found += 1
            if " " in squash(unit):
                score.units_multiword += 1
                score.units_spaced += squash(unit) in spaced[fold_key(unit)]
    labels = {fold_key(c["header_raw"]) for c in expected if c["header_raw"]}
    score.labels = len(labels)
    score.labels_one_cell = len(labels & {fold_key(t.indicator_label_raw) for t in doc.targets})
    score.header_rows = [0] * score.tables  # one flattened label per column (group path kept apart)
    score.extra = sum(1 for k in got if k not in gold_keys)
    return score


# ------------------------------------------------------------------------------------------------ run


def run_extractor(name: str, pdf: Path, expected: list[dict[str, str]]) -> Score:
    """Extract (timed) and score (not timed) one document."""
    start = time.perf_counter()
    if name == "pipeline":
        doc = pipeline_document(pdf)
        seconds = time.perf_counter() - start
        score = score_pipeline(doc, expected)
        score.pages = doc.n_pages
    else:
        tables, pages = GENERIC[name](pdf)
        seconds = time.perf_counter() - start
        score = score_generic(tables, expected)
        score.pages = pages
    score.seconds = seconds
    return score


def compare(
    cases: list[tuple[Path, list[dict[str, str]]]], extractors: tuple[str, ...] = EXTRACTORS, warm_up: bool = True
) -> dict[str, dict[str, Score]]:
    """{extractor: {document stem or 'all': Score}}."""
    results: dict[str, dict[str, Score]] = {}
    for name in extractors:
        if name not in EXTRACTORS:
            raise ValueError(f"unknown extractor {name!r}; choose from {', '.join(EXTRACTORS)}")
        if warm_up and cases:
            smallest = min(cases, key=lambda c: c[0].stat().st_size)
            run_extractor(name, *smallest)
        per_doc = {pdf.stem: run_extractor(name, pdf, expected) for pdf, expected in cases}
        total = Score()
        for score in per_doc.values():
            total.add(score)
        results[name] = {**per_doc, "all": total}
    return results


# ---------------------------------------------------------------------------------------------- print


def _notes(name: str, s: Score) -> str:
    lost = s.units_multiword - s.units_spaced
    spaces = (f"unit names keep spaces ({s.units_spaced}/{s.units_multiword} multi-word)" if not lost
              else f"unit names glued ({lost}/{s.units_multiword} multi-word lose spaces)")
    found = f"{s.units_found}/{s.units} rows found"
    rows = sorted(set(s.header_rows))
    header = ("one flattened label per column" if rows == [0] or not rows
              else f"{'/'.join(map(str, rows))} header rows to flatten (merged cells empty)")
    parts = [found, spaces, header, f"{s.labels_one_cell}/{s.labels} labels as one cell"]
    if name == "pipeline":
        parts.append(f"{s.extra} extra targets")
    else:
        parts.append(f"{s.tables} tables found, no indicator ids")
    return "; ".join(parts)


def summary_rows(results: dict[str, dict[str, Score]]) -> list[list[object]]:
    rows = []
    for name, scores in results.items():
        s = scores["all"]
        all_cells = f"{s.recovered_all}/{s.total_all}" if s.total_all is not None else "-"
        rows.append([name, f"{s.recovered}/{s.total}", 100 * s.recovered / s.total if s.total else None, all_cells,
                     s.seconds, s.pages / s.seconds if s.seconds else None, _notes(name, s)])
    return rows


def report(results: dict[str, dict[str, Score]], cases) -> str:
    lines = [f"{len(cases)} text PDFs with expected cells ({sum(len(e) for _, e in cases)} cells, "
             f"{sum(1 for _, e in cases for c in e if squash(c['value_raw']))} non-blank; "
             f"{sum(1 for _, e in cases for c in e if not squash(c['value_raw']))} blank, scored for the pipeline "
             "only), every page of each read:", ""]
    lines.append(format_table(COLUMNS, summary_rows(results)))
    docs = [pdf.stem for pdf, _ in cases]
    per_doc = [[stem, results[next(iter(results))][stem].pages]
               + [f"{results[n][stem].recovered}/{results[n][stem].total} in {results[n][stem].seconds:.2f} s"
                  for n in results] for stem in docs]
    lines += ["", "Per document (non-blank cells recovered, seconds):", "",
              format_table(["document", "pages"] + list(results), per_doc)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], prog="bench/compare_extractors.py")
    parser.add_argument("--extractors", default=",".join(EXTRACTORS), help="comma-separated, from: "
                        + ", ".join(EXTRACTORS))
    parser.add_argument("--samples", type=Path, default=SAMPLES, help="folder of sample PDFs (default samples/)")
    parser.add_argument("--targets", type=Path, default=TARGETS,
                        help="folder of expected cells, <stem>.csv (default tests/fixtures/targets/)")
    args = parser.parse_args(argv)
    use_repo_code()
    cases = find_cases(args.samples, args.targets)
    if not cases:
        print(f"no text PDF in {args.samples} has expected cells in {args.targets}", file=sys.stderr)
        return 2
    extractors = tuple(e.strip() for e in args.extractors.split(",") if e.strip())
    try:
        results = compare(cases, extractors)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report(results, cases))
    return 0


if __name__ == "__main__":
    sys.exit(main())
