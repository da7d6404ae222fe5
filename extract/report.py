"""The end of a run in words and in JSON, and the exit code that goes with it.

One place decides what counts as success, so the summary, the JSON and the exit code never disagree:
a failed document, or a partial one because a tool it needed is missing (Tesseract), makes the run
exit 1; with --strict any partial document does too. Skipped files (other formats) are listed, never
counted as failures.
"""

from __future__ import annotations

import json

from .kinds import Status, TableKind, WarningKind
from .model import Document
from .pipeline import RunResult
from .review_cli import corrections_summary

EXIT_OK = 0
EXIT_SOME_FAILED = 1
INSTALL_TESSERACT = "sudo apt-get install tesseract-ocr tesseract-ocr-vie"
# Warning kinds that mean "a program this run needed is missing", not "the document is damaged".
MISSING_TOOL_KINDS = frozenset({WarningKind.OCR_UNAVAILABLE})


def _first_reason(doc: Document) -> str:
    return doc.warnings[0].message if doc.warnings else "unknown reason"


def missing_tool(doc: Document) -> bool:
    return doc.status == Status.PARTIAL and any(w.kind in MISSING_TOOL_KINDS for w in doc.warnings)


def exit_code(result: RunResult, strict: bool = False) -> int:
    for doc in result.documents:
        if doc.status == Status.FAILED or missing_tool(doc) or (strict and doc.status == Status.PARTIAL):
            return EXIT_SOME_FAILED
    return EXIT_SOME_FAILED if result.db_error else EXIT_OK


def _of(result: RunResult, status: str) -> list[Document]:
    return [d for d in result.documents if d.status == status]


def summary(result: RunResult) -> str:
    """The report a person reads (stdout)."""
    read = [d for d in result.documents if d.status != Status.SKIPPED]
    lines = [
        f"documents: {len(read)} ({result.count(Status.OK)} ok, {result.count(Status.PARTIAL)} partial, "
        f"{result.count(Status.FAILED)} failed; {result.from_cache} unchanged, taken from the cache)",
        f"tables: {result.n_tables} ({result.tables_of_kind(TableKind.ALLOCATION)} allocation, "
        f"{result.tables_of_kind(TableKind.ACTIVITY)} activity, {result.tables_of_kind(TableKind.OTHER)} other)",
        f"target rows: {result.n_targets}",
        f"references: {result.n_refs}",
        f"warnings: {result.n_warnings} (see warnings.csv)",
    ]
    if any(missing_tool(d) for d in result.documents):
        lines.append(f"  OCR: scanned pages were not read: Tesseract (or its Vietnamese data) is missing; "
                     f"install it with: {INSTALL_TESSERACT}")
    lines += corrections_summary(result.corrections)
    lines += [f"  failed: {d.source_file}: {_first_reason(d)}" for d in _of(result, Status.FAILED)]
    skipped = _of(result, Status.SKIPPED)
    if skipped:
        lines.append(f"skipped: {len(skipped)} file(s) of other kinds (listed in documents.csv, status skipped)")
        lines += [f"  skipped: {d.source_file}: {_first_reason(d).removeprefix('not read: ')}" for d in skipped]
    lines.append(f"written to: {result.out_dir}/ (documents, targets, refs, warnings, cited_documents: "
                 ".csv and .parquet; datapackage.json)")
    lines.append(f"store NOT updated: {result.db_error}" if result.db_error else f"store updated: {result.db}")
    return "\n".join(lines)


def summary_json(result: RunResult, strict: bool = False) -> str:
    """The same report for scripts (stdout, with --json): counts, the files concerned, the exit code."""

    def files(status: str) -> list[dict[str, str]]:
        return [{"source_file": d.source_file, "doc_id": d.doc_id, "reason": _first_reason(d)}
                for d in _of(result, status)]

    data = {
        "documents": sum(1 for d in result.documents if d.status != Status.SKIPPED),
        "status": {s.value: result.count(s) for s in Status},
        "from_cache": result.from_cache,
        "tables": {k.value: result.tables_of_kind(k) for k in TableKind},
        "target_rows": result.n_targets,
        "references": result.n_refs,
        "warnings": result.n_warnings,
        "failed": files(Status.FAILED),
        "partial": [dict(f, missing_tool=missing_tool(d)) for f, d in zip(files(Status.PARTIAL),
                                                                          _of(result, Status.PARTIAL))],
        "skipped": files(Status.SKIPPED),
        "out_dir": str(result.out_dir),
        "files": {name: str(path) for name, path in sorted(result.files.items())},
        "store": str(result.db) if result.db else "",
        "store_error": result.db_error,
        "exit_code": exit_code(result, strict),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
