"""`python -m extract compare [OUT or DB] --report DIR`: pivots (CSV + one workbook) and an HTML report
from the national store (or from a run's CSV files when it has no store)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from output.read_back import has_table, read_rows

EXAMPLES = """examples:
  python -m extract compare out/ --report report/            # out/project8.duckdb (or out/*.csv)
  python -m extract compare national.duckdb --report report/ --province "Hà Giang"
  python -m extract compare out/ --report report/ --docs-root ../samples   # warnings link to the files
"""


def add_parser(sub) -> None:
    cmp = sub.add_parser("compare", help="compare plans across provinces: pivots, a workbook and an HTML report",
                         epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    cmp.add_argument("source", nargs="?", default="out",
                     help="a run's output folder (its project8.duckdb, else its CSV files) or a .duckdb store "
                          "(default: ./out)")
    cmp.add_argument("--report", required=True, metavar="DIR", help="folder for the pivots, workbook and report")
    cmp.add_argument("--province", help="province whose units get their own chart (default: the one with most units)")
    cmp.add_argument("--docs-root", default="", help="folder or URL the documents' source_file paths are under, "
                                                     "for the report's links (default: relative to the report)")
    cmp.add_argument("--quiet", action="store_true", help="no summary")


def open_source(source: Path):
    """A read-only store, or an in-memory one built from a run's CSV files."""
    from output import store  # start-up: duckdb ~1.1 s to import, paid only by this command

    if source.is_file():
        return store.connect(source, read_only=True)
    if (source / store.DEFAULT_NAME).is_file():
        return store.connect(source / store.DEFAULT_NAME, read_only=True)
    if not has_table(source, "documents"):
        raise FileNotFoundError(f"no {store.DEFAULT_NAME} and no documents.csv in {source}")
    con = store.connect(":memory:")
    for table in ("documents", "targets", "refs", "warnings"):
        rows = read_rows(source, table)  # the text as extracted, not the CSV's formula escapes
        if rows:
            store.insert_rows(con, table, store.with_sequence(table, rows))
    store.recompute_derived(con)
    return con


def run_compare(args: argparse.Namespace) -> int:
    # start-up: pandas, plotly and openpyxl cost seconds to import; only this command pays for them.
    from output.pivots import build_pivots  # start-up: pandas ~3-6 s cold on this machine
    from output.report import write_report  # start-up: plotly ~1 s
    from output.store import StoreError  # start-up: duckdb ~1.1 s
    from output.workbook import write_pivot_csvs, write_workbook  # start-up: openpyxl ~1 s

    source = Path(args.source)
    if not source.exists():
        print(f"error: not found: {source}", file=sys.stderr)
        return 2
    try:
        con = open_source(source)
    except (FileNotFoundError, OSError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        pivots = build_pivots(con)
    finally:
        con.close()
    out = Path(args.report)
    out.mkdir(parents=True, exist_ok=True)
    csvs = write_pivot_csvs(pivots.tables, out)
    book = write_workbook(pivots.tables, out / "project8.xlsx")
    page = write_report(pivots, out / "report.html", args.province, args.docs_root)
    if not args.quiet:
        for name, count in pivots.summary.items():
            print(f"{name}: {count}", file=sys.stderr)
        print(f"written to: {out}/ ({len(csvs)} pivot CSVs, {book.name}, {page.name})", file=sys.stderr)
    return 0
