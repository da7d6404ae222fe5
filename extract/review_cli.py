"""`python -m extract review OUT [--doc ID] [--template]`: offline HTML pages to check doubtful values,
and a corrections file pre-filled with the warned cells.

The values and warnings come from OUT's CSV files (what was published, corrections included); the
tables' cells (header, unit column) come from reading the source file again, whose path the run
stored in OUT/review/sources.json.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from output.atomic import atomic_write_bytes
from output.read_back import read_rows
from output.review_html import ReviewDocument, ShownCell, ShownPage, document_html, index_html, warning_anchor
from output.review_images import PdfPages, data_uri
from output.schema import Column
from output.sources import read_sources
from output.writers import to_csv_bytes

from .corrections import CorrectionReport
from .model import Document, Table
from .pipeline import default_corrections_dir, process_document
from .provenance import display_box
from .settings import Settings
from .user_folder import CELL_COLUMNS

Key = tuple[int, int, int]


def add_review_parser(sub) -> None:
    review = sub.add_parser("review", help="write offline HTML pages to check a run's values (OUT/review/)")
    review.add_argument("out", metavar="OUT", help="output folder of a run")
    review.add_argument("--doc", action="append", metavar="ID", help="only this doc_id (repeatable)")
    review.add_argument("--template", action="store_true",
                        help="also write CORRECTIONS/cells-review-<doc_id>.csv pre-filled with the warned cells")
    review.add_argument("--corrections", metavar="DIR", default=None,
                        help="user folder for --template (default: corrections/ beside OUT)")


def corrections_summary(report: CorrectionReport | None) -> list[str]:
    """Summary lines about the user folder; none when it did nothing."""
    if report is None or not (report.applied or report.stale or report.aliases or report.problems):
        return []
    lines = [f"corrections: {report.applied} applied, {report.stale} stale (see warnings.csv), "
             f"{report.aliases} user aliases (from {report.folder})"]
    lines += [f"  corrections: {p}" for p in report.problems]
    return lines


def run_review(args: argparse.Namespace) -> int:
    out = Path(args.out)
    documents = read_rows(out, "documents")
    if not documents:
        print(f"error: no documents.csv in {out} (run `python -m extract run ... --out {out}` first)", file=sys.stderr)
        return 2
    wanted = set(args.doc or [])
    unknown = wanted - {d["doc_id"] for d in documents}
    if unknown:
        print(f"error: unknown doc_id: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    chosen = [d for d in documents if not wanted or d["doc_id"] in wanted]
    written = write_review(out, chosen)
    print(f"review pages: {len(written)} documents, open {out / 'review' / 'index.html'}", file=sys.stderr)
    if args.template:
        folder = Path(args.corrections) if args.corrections else default_corrections_dir(out)
        for doc in chosen:
            print(write_template(out, doc, folder), file=sys.stderr)
    return 0


def write_review(out: Path, documents: list[dict[str, str]]) -> list[Path]:
    """OUT/review/<doc_id>.html for each document and OUT/review/index.html; returns the pages."""
    targets, warnings = read_rows(out, "targets"), read_rows(out, "warnings")
    sources = read_sources(out)
    pages, entries = [], []
    for row in documents:
        doc_id = row["doc_id"]
        review = ReviewDocument(doc_id, row["source_file"], row["format"],
                                warnings=[w for w in warnings if w["doc_id"] == doc_id],
                                targets=[t for t in targets if t["doc_id"] == doc_id])
        source = sources.get(doc_id, {})
        if source and Path(source["source_path"]).is_file():
            fill_tables(review, source["source_path"])
        else:
            review.warnings.insert(0, {"kind": "source_missing", "message": "the source file was not found "
                                       "(OUT/review/sources.json); values and warnings only"})
        path = out / "review" / f"{doc_id}.html"
        atomic_write_bytes(path, document_html(review).encode("utf-8"))
        pages.append(path)
        n_corrected = sum(1 for t in review.targets if t.get("value_source") == "corrected")
        entries.append((doc_id, row["source_file"], len(review.targets), len(review.warnings), n_corrected))
    atomic_write_bytes(out / "review" / "index.html", index_html(entries).encode("utf-8"))
    return pages


def _key(row: dict[str, str]) -> Key:
    return int(row["table_index"]), int(row["row_index"]), int(row["col_index"])


def _shown_cells(table: Table, targets: dict[Key, dict[str, str]], warned: set[Key]) -> list[ShownCell]:
    """The table's cells with the role the pipeline gave them, judged from where its targets are."""
    mine = [k for k in targets if k[0] == table.index]
    rows, cols = {k[1] for k in mine}, {k[2] for k in mine}
    shown = []
    for cell in table.cells:
        key = (table.index, cell.row, cell.col)
        target, status = targets.get(key), ""
        if target is not None:
            role = "total" if target["is_total"] == "true" else "value"
            status = ("corrected" if target.get("value_source") == "corrected" else "warned" if key in warned
                      else "not_number" if target["value_raw"] and not target["value"] else "ok")
            if role == "total" and status == "ok":
                status = "value ok"
        elif cell.row in rows and cell.col not in cols:
            role = "unit"
        elif cell.col in cols and cell.row not in rows:
            role = "header"
        else:
            role = "other"
        shown.append(ShownCell(table.index, cell.row, cell.col, cell.text, role, status, cell.page,
                               row_span=cell.row_span, col_span=cell.col_span))
    return shown


def fill_tables(review: ReviewDocument, source_path: str) -> None:
    """Read the source again (text kept) for its tables' cells; for a PDF, render the pages they are on."""
    doc = process_document(Path(source_path), review.source_file, Settings(keep_text=True))
    targets = {_key(t): t for t in review.targets}
    warned = {_key(w) for w in review.warnings if warning_anchor(w)}
    cells_of = {t.index: (t, _shown_cells(t, targets, warned)) for t in doc.tables}
    if doc.format != "pdf":
        review.tables = {index: cells for index, (_, cells) in cells_of.items()}
        return
    pdf = PdfPages(source_path)
    try:
        _fill_pages(review, doc, cells_of, pdf)
    finally:
        pdf.close()


def _fill_pages(review: ReviewDocument, doc: Document, cells_of, pdf: PdfPages) -> None:
    by_page: dict[int, list[ShownCell]] = {}
    for table, cells in cells_of.values():
        originals = {(c.row, c.col): c for c in table.cells}
        for shown in cells:
            box = display_box(doc, shown.page, originals[(shown.row, shown.col)].bbox)
            if box is not None and box.cell_x0 is not None:
                shown.box = (box.cell_x0, box.cell_y0, box.cell_x1, box.cell_y1)  # type: ignore[assignment]
                by_page.setdefault(shown.page, []).append(shown)
    for number in sorted(by_page):
        page = doc.pages[number - 1]
        review.pages.append(ShownPage(number, page.width, page.height, data_uri(pdf.page_png(number)),
                                      by_page[number]))
    for t in review.targets:
        if t.get("cell_x0") and t.get("page"):
            box = (float(t["cell_x0"]), float(t["cell_y0"]), float(t["cell_x1"]), float(t["cell_y1"]))
            anchor = f"cell-{t['table_index']}-{t['row_index']}-{t['col_index']}"
            review.crops[anchor] = data_uri(pdf.crop_png(int(t["page"]), box))


def write_template(out: Path, document: dict[str, str], folder: Path) -> str:
    """CORRECTIONS/cells-review-<doc_id>.csv with one row per warned cell, `value` left for a person to
    fill in (rows left empty are ignored by runs). An existing file is never overwritten."""
    doc_id = document["doc_id"]
    path = folder / f"cells-review-{doc_id}.csv"
    if path.exists():
        return f"template: {path} exists, left as it is"
    targets = {_key(t): t for t in read_rows(out, "targets") if t["doc_id"] == doc_id}
    rows = []
    for w in read_rows(out, "warnings"):
        target = targets.get(_key(w)) if w["doc_id"] == doc_id and warning_anchor(w) else None
        if target is None:
            continue
        rows.append({
            "doc_id": doc_id, "source_file": document["source_file"], "sha256": document["sha256"],
            "page": target["page"], "table_index": target["table_index"], "row_index": target["row_index"],
            "col_index": target["col_index"], "unit_name_raw": target["unit_name_raw"],
            "indicator_id": target["indicator_id"], "value_raw": target["value_raw"], "value": "",
            "corrected_by": "", "note": f"{w['kind']}: {w['message']}",
        })
    if not rows:
        return f"template: {doc_id} has no warned cells; nothing written"
    columns = tuple(Column(name, "string", "") for name in CELL_COLUMNS)
    atomic_write_bytes(path, to_csv_bytes(columns, rows))
    return f"template: {path} ({len(rows)} warned cells to check)"
