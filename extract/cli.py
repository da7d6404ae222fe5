"""Command line: `python -m extract run PATH... [--out DIR] [--workers N] [--db STORE]`,
`python -m extract compare` and `python -m extract indicators`.

Exit codes: 0 every document was read (ok or partial), 1 some documents failed, or are partial because
a tool they needed is missing (or any partial one, with --strict), or the store could not be updated,
2 bad usage (checked before any work), 130 interrupted (Ctrl-C, SIGINT), 143 stopped by SIGTERM.
"""

from __future__ import annotations

import argparse
import os
import sys

from normalize.indicators import list_indicators, unmapped_labels

from . import compare_cli, interrupts
from .cli_checks import check_out, check_paths, check_run_folder, number, whole_number
from .logs import configure_verbose
from .pipeline import collect_inputs, run, skipped_files
from .report import EXIT_OK, EXIT_SOME_FAILED, exit_code, summary, summary_json
from .review_cli import add_review_parser, run_review
from .settings import OcrSettings, Settings, TableSettings

EXIT_USAGE = 2
EXIT_INTERRUPTED = interrupts.EXIT_SIGINT

__all__ = ["EXIT_OK", "EXIT_SOME_FAILED", "EXIT_USAGE", "EXIT_INTERRUPTED", "main", "parse_args", "summary"]

EXAMPLES = """examples:
  python -m extract run samples/                 # all plans in samples/ -> out/
  python -m extract run a.pdf b.html --out data/ --workers 4
  python -m extract run plans/ --json --quiet > summary.json   # the summary for a script
  python -m extract indicators                   # the canonical indicator list and aliases
  python -m extract indicators --unmapped out/   # labels a run could not map, most frequent first
  python -m extract review out/ [--doc ID]       # offline HTML pages to check doubtful values
  python -m extract run batch2/ --db national.duckdb   # add a batch to a store shared across batches
  python -m extract compare out/ --report report/      # pivots, workbook and HTML report from the store
"""


class _Parser(argparse.ArgumentParser):
    """argparse with its messages in the options' terms ("PATH", not the internal `paths`)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        message = message.replace("argument ", "").replace("the following arguments are required", "missing")
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"error: {message} (see {self.prog} --help)\n")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = _Parser(
        prog="python -m extract",
        description="Turn Project 8 plan documents (PDF, HTML, DOCX) into tidy CSV and Parquet tables.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
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
    run.add_argument("paths", nargs="+", metavar="PATH",
                     help="files or folders to read (folders: *.pdf, *.html, *.htm, *.docx; other files are listed "
                          "as skipped)")
    run.add_argument("--out", default="out", metavar="DIR", help="output folder (default: ./out)")
    run.add_argument("--workers", type=whole_number, default=os.cpu_count() or 1,
                     help="documents processed in parallel (default: number of cores)")
    run.add_argument("--no-cache", action="store_true",
                     help="process every file again instead of reusing results of unchanged files (OUT/.cache)")
    run.add_argument("--max-pages", type=whole_number, default=d.max_pages,
                     help=f"pages read per document (default: {d.max_pages})")
    run.add_argument("--timeout", type=number, default=d.seconds_per_document,
                     help=f"seconds per document before it is cut short and marked partial "
                          f"(default: {d.seconds_per_document:g})")
    run.add_argument("--password", default=d.password, help="password to try on encrypted PDFs")
    run.add_argument("--no-ocr", action="store_true", help="do not OCR scanned pages (they are reported instead)")
    run.add_argument("--ocr-dpi", type=whole_number, default=ocr.dpi,
                     help=f"resolution scanned pages are read at (default: {ocr.dpi})")
    run.add_argument("--ocr-max-pixels", type=whole_number, default=ocr.max_pixels,
                     help=f"pixels per OCR page; larger pages are rendered smaller (default: {ocr.max_pixels})")
    run.add_argument("--ocr-lang", default=ocr.lang, help=f"Tesseract language(s), e.g. vie+eng (default: {ocr.lang})")
    run.add_argument("--ocr-timeout", type=number, default=ocr.timeout_seconds,
                     help=f"seconds per Tesseract call (default: {ocr.timeout_seconds:g})")
    run.add_argument("--ocr-min-confidence", type=number, default=ocr.min_confidence,
                     help=f"OCR'd table cells below this confidence (0-100) are reported, a header page "
                          f"below it is left empty (default: {ocr.min_confidence:g})")
    run.add_argument("--tesseract", default=ocr.tesseract, help=f"the Tesseract program (default: {ocr.tesseract})")
    run.add_argument("--snap-tolerance", type=number, default=tables.snap,
                     help=f"points within which ruling lines count as one (default: {tables.snap:g})")
    run.add_argument("--join-tolerance", type=number, default=tables.join,
                     help=f"gap in points that still joins a ruling line (default: {tables.join:g})")
    run.add_argument("--border-cover", type=number, default=tables.border_cover,
                     help=f"share of a cell edge a rule must cover to be a border (default: {tables.border_cover:g})")
    run.add_argument("--max-file-size", type=int, default=d.max_input_bytes // 2**20, metavar="MB",
                     help=f"larger input files are refused (default: {d.max_input_bytes // 2**20})")
    run.add_argument("--max-table-cells", type=int, default=d.max_table_cells,
                     help=f"larger table grids (rows x columns) are not built (default: {d.max_table_cells})")
    run.add_argument("--max-memory", type=int, default=d.max_memory_bytes // 2**20, metavar="MB",
                     help=f"memory for reading one document, 0 = no limit (default: {d.max_memory_bytes // 2**20})")
    run.add_argument("--csv-raw", action="store_true",
                     help="write CSV cells as they are (by default cells starting with = + - @ get a leading ')")
    run.add_argument("--only-project8", action="store_true",
                     help="write targets only for Project 8 of programme 1719 (other documents keep their "
                          "documents row, with a not_project8 warning)")
    run.add_argument("--db", help="DuckDB store the batch is added to (default: OUT/project8.duckdb)")
    run.add_argument("--csv-bom", action=argparse.BooleanOptionalAction, default=d.csv_bom,
                     help="start each CSV with a UTF-8 byte order mark, so Excel shows Vietnamese correctly "
                          "(default: on; --no-csv-bom for tools that dislike it)")
    run.add_argument("--strict", action="store_true",
                     help="exit 1 when any document is partial, not only when one failed")
    run.add_argument("--json", action="store_true", help="print the summary as JSON on stdout (for scripts)")
    run.add_argument("--quiet", action="store_true", help="no progress and no text summary")
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
    tty = sys.stderr.isatty()
    talk = not (args.quiet or args.verbose)
    return Settings(
        workers=1 if args.verbose else args.workers, verbose=args.verbose, show_progress=talk and tty,
        progress_lines=talk and not tty, use_cache=not args.no_cache, max_pages=args.max_pages,
        seconds_per_document=args.timeout, password=args.password, csv_bom=args.csv_bom, strict=args.strict,
        only_project8=args.only_project8, ocr=ocr, tables=tables,
        max_input_bytes=args.max_file_size * 2**20, max_table_cells=args.max_table_cells,
        max_memory_bytes=args.max_memory * 2**20, csv_formula_safe=not args.csv_raw,
    )


def _usage_problem(args: argparse.Namespace) -> str:
    """Everything that can be checked before any work, as a message ("" when all is well)."""
    problem = check_paths(args.paths) or check_out(args.out)
    if problem:
        return problem
    if not collect_inputs(args.paths):
        skipped = skipped_files(args.paths)
        found = f" (only {len(skipped)} file(s) of other kinds, e.g. {skipped[0].source_file})" if skipped else ""
        return "no PDF, HTML or DOCX files found in " + ", ".join(args.paths) + found
    return ""


def _run(args: argparse.Namespace) -> int:
    try:
        problem = _usage_problem(args)
        settings = settings_from_args(args)
    except ValueError as exc:
        problem = str(exc)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if settings.verbose:
        configure_verbose()
    try:
        result = run(args.paths, args.out, settings, corrections=args.corrections, db=args.db)
    except (interrupts.Interrupted, KeyboardInterrupt) as stop:
        return _interrupted(stop, args.out)
    if args.json:
        print(summary_json(result, settings.strict))
    elif not args.quiet:
        print(summary(result))
    return exit_code(result, settings.strict)


def _interrupted(stop: BaseException, out: str) -> int:
    """One line, no traceback; the exit code says which signal."""
    code = stop.exit_code if isinstance(stop, interrupts.Interrupted) else EXIT_INTERRUPTED
    signal_name = "SIGTERM" if code == interrupts.EXIT_SIGTERM else "Ctrl-C"
    if getattr(stop, "output_written", False) or getattr(stop, "output_replaced", False):
        said = f"the new output was already complete in {out}"
    else:
        said = f"the previous output in {out} is untouched"
    print(f"\ninterrupted ({signal_name}): {said}; documents already done are cached, so running the same "
          "command again resumes the batch", file=sys.stderr)
    return code


def _indicators(args: argparse.Namespace) -> int:
    if args.unmapped:
        problem = check_run_folder(args.unmapped)
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return EXIT_USAGE
        rows = unmapped_labels(args.unmapped)
        if not rows:
            print("every indicator label of that run was mapped")
        for label, count in rows:
            print(f"{count:5d}  {label}")
        return EXIT_OK
    for ind in list_indicators():
        print(f"{ind['indicator_id']}  [{ind['unit']}, {ind['measure']}]  {ind['content_area']}")
        print(f"    {ind['name_vi']}")
        for alias in ind.get("aliases", []):
            print(f"    alias: {alias}")
    return EXIT_OK


def console_main() -> None:
    """The `project8-extract` script: the signal handlers of `python -m extract` (installed once this
    module is loaded; `python -m extract` installs them before any import)."""
    interrupts.install()
    try:
        code = main()
    except interrupts.Interrupted as stop:
        code = _interrupted(stop, "the --out folder")
    sys.exit(code)
