"""Command line: `python -m extract run PATH... [--out DIR] [--workers N] [--db STORE]`,
`python -m extract compare` and `python -m extract indicators`.

Exit codes: 0 every document was read (ok or partial), 1 some documents failed or the store could not
be updated, 2 bad usage (unknown option, no input files), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from normalize.indicators import list_indicators, unmapped_labels

from . import compare_cli
from .kinds import Status, TableKind, WarningKind
from .logs import configure_verbose
from .pipeline import RunResult, collect_inputs, run
from .review_cli import add_review_parser, corrections_summary, run_review
from .settings import OcrSettings, Settings, TableSettings

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

EXAMPLES = """examples:
  python -m extract run samples/                 # all plans in samples/ -> out/
  python -m extract run a.pdf b.html --out data/ --workers 4
  python -m extract indicators                   # the canonical indicator list and aliases
  python -m extract indicators --unmapped out/   # labels a run could not map, most frequent first
  python -m extract review out/ [--doc ID]       # offline HTML pages to check doubtful values
  python -m extract run batch2/ --db national.duckdb   # add a batch to a store shared across batches
  python -m extract compare out/ --report report/      # pivots, workbook and HTML report from the store
"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m extract",
        description="Turn Project 8 plan documents (PDF, HTML, DOCX) into tidy CSV and Parquet tables.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser(
        "run", help="extract documents and write the tables", epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _run_options(run)
    add_review_parser(sub)
    ind = sub.add_parser("indicators", help="list the canonical indicators, or a run's unmapped labels")
    ind.add_argument("--unmapped", metavar="OUT_DIR", help="list the labels of a run that did not map")
    compare_cli.add_parser(sub)
    return parser.parse_args(argv)


def _run_options(run: argparse.ArgumentParser) -> None:
    """The `run` options; every default comes from Settings, so it is written once (extract/settings.py)."""
    d, ocr, tables = Settings(), OcrSettings(), TableSettings()
    run.add_argument("paths", nargs="+", help="files or folders to read (folders: *.pdf, *.html, *.htm, *.docx)")
    run.add_argument("--out", default="out", help="output folder (default: ./out)")
    run.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                     help="documents processed in parallel (default: number of cores)")
    run.add_argument("--no-cache", action="store_true",
                     help="process every file again instead of reusing results of unchanged files (OUT/.cache)")
    run.add_argument("--max-pages", type=int, default=d.max_pages,
                     help=f"pages read per document (default: {d.max_pages})")
    run.add_argument("--timeout", type=float, default=d.seconds_per_document,
                     help=f"seconds per document before it is cut short and marked partial "
                          f"(default: {d.seconds_per_document:g})")
    run.add_argument("--password", default=d.password, help="password to try on encrypted PDFs")
    run.add_argument("--no-ocr", action="store_true", help="do not OCR scanned pages (they are reported instead)")
    run.add_argument("--ocr-dpi", type=int, default=ocr.dpi,
                     help=f"resolution scanned pages are read at (default: {ocr.dpi})")
    run.add_argument("--ocr-max-pixels", type=int, default=ocr.max_pixels,
                     help=f"pixels per OCR page; larger pages are rendered smaller (default: {ocr.max_pixels})")
    run.add_argument("--ocr-lang", default=ocr.lang, help=f"Tesseract language(s), e.g. vie+eng (default: {ocr.lang})")
    run.add_argument("--ocr-timeout", type=float, default=ocr.timeout_seconds,
                     help=f"seconds per Tesseract call (default: {ocr.timeout_seconds:g})")
    run.add_argument("--ocr-min-confidence", type=float, default=ocr.min_confidence,
                     help=f"OCR'd table cells below this confidence (0-100) are reported "
                          f"(default: {ocr.min_confidence:g})")
    run.add_argument("--tesseract", default=ocr.tesseract, help=f"the Tesseract program (default: {ocr.tesseract})")
    run.add_argument("--snap-tolerance", type=float, default=tables.snap,
                     help=f"points within which ruling lines count as one (default: {tables.snap:g})")
    run.add_argument("--join-tolerance", type=float, default=tables.join,
                     help=f"gap in points that still joins a ruling line (default: {tables.join:g})")
    run.add_argument("--border-cover", type=float, default=tables.border_cover,
                     help=f"share of a cell edge a rule must cover to be a border (default: {tables.border_cover:g})")
    run.add_argument("--only-project8", action="store_true",
                     help="write targets only for Project 8 of programme 1719 (other documents keep their "
                          "documents row, with a not_project8 warning)")
    run.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    run.add_argument("--db", help="DuckDB store the batch is added to (default: OUT/project8.duckdb)")
    run.add_argument("--verbose", action="store_true",
                     help="log each decision on tables, headers and references to stderr (runs one worker)")
    run.add_argument("--corrections", metavar="DIR", default=None,
                     help="user folder of corrections and aliases (default: corrections/ beside OUT; see README)")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.command == "indicators":
        return _indicators(args)
    if args.command == "review":
        return run_review(args)
    if args.command == "compare":
        return compare_cli.run_compare(args)
    return _run(args)


def settings_from_args(args: argparse.Namespace) -> Settings:
    """The one Settings object of a run; ValueError (in the options' own terms) when a value is out of range."""
    ocr = OcrSettings(
        enabled=not args.no_ocr, dpi=args.ocr_dpi, max_pixels=args.ocr_max_pixels, lang=args.ocr_lang,
        timeout_seconds=args.ocr_timeout, min_confidence=args.ocr_min_confidence, tesseract=args.tesseract,
    )
    tables = TableSettings(snap=args.snap_tolerance, join=args.join_tolerance, border_cover=args.border_cover)
    return Settings(
        workers=1 if args.verbose else args.workers, verbose=args.verbose,
        show_progress=not (args.quiet or args.verbose) and sys.stderr.isatty(), use_cache=not args.no_cache,
        max_pages=args.max_pages, seconds_per_document=args.timeout, password=args.password, ocr=ocr, tables=tables,
        only_project8=args.only_project8,
    )


def _run(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"error: not found: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    if not collect_inputs(args.paths):
        print("error: no PDF, HTML or DOCX files found in " + ", ".join(args.paths), file=sys.stderr)
        return EXIT_USAGE
    try:
        settings = settings_from_args(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if settings.verbose:
        configure_verbose()
    try:
        result = run(args.paths, args.out, settings, corrections=args.corrections, db=args.db)
    except KeyboardInterrupt:
        print("\ninterrupted: the previous output in " + args.out + " is untouched; documents already done are "
              "cached, so running the same command again resumes the batch", file=sys.stderr)
        return EXIT_INTERRUPTED
    if not args.quiet:
        print(summary(result), file=sys.stderr)
    return EXIT_OK if result.all_read and not result.db_error else EXIT_SOME_FAILED


def summary(result: RunResult) -> str:
    """The end-of-run report a person reads."""
    docs = result.documents
    lines = [
        f"documents: {len(docs)} ({result.count(Status.OK)} ok, {result.count(Status.PARTIAL)} partial, "
        f"{result.count(Status.FAILED)} failed; {result.from_cache} unchanged, taken from the cache)",
        f"tables: {result.n_tables} ({result.tables_of_kind(TableKind.ALLOCATION)} allocation, "
        f"{result.tables_of_kind(TableKind.ACTIVITY)} activity, {result.tables_of_kind(TableKind.OTHER)} other)",
        f"target rows: {result.n_targets}",
        f"references: {result.n_refs}",
        f"warnings: {result.n_warnings} (see warnings.csv)",
    ]
    if any(w.kind == WarningKind.OCR_UNAVAILABLE for d in docs for w in d.warnings):
        lines.append("  OCR: scanned pages were not read: Tesseract (or its Vietnamese data) is missing; "
                     "install it with: sudo apt-get install tesseract-ocr tesseract-ocr-vie")
    lines.extend(corrections_summary(result.corrections))
    for doc in docs:
        if doc.status == Status.FAILED:
            reason = doc.warnings[0].message if doc.warnings else "unknown reason"
            lines.append(f"  failed: {doc.source_file}: {reason}")
    lines.append(f"written to: {result.out_dir}/ (documents, targets, refs, warnings, cited_documents: "
                 ".csv and .parquet; datapackage.json)")
    lines.append(f"store NOT updated: {result.db_error}" if result.db_error else f"store updated: {result.db}")
    return "\n".join(lines)


def _indicators(args: argparse.Namespace) -> int:
    if args.unmapped:
        rows = unmapped_labels(args.unmapped)
        if not rows:
            print("every indicator label of that run was mapped")
        for label, count in rows:
            print(f"{count:5d}  {label}")
        return EXIT_OK
    for ind in list_indicators():
        print(f"{ind['indicator_id']}  [{ind['unit']}]  {ind['name_vi']}")
        for alias in ind.get("aliases", []):
            print(f"    alias: {alias}")
    return EXIT_OK
