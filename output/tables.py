"""Documents → the rows of the output tables, in a stable order."""

from __future__ import annotations

from dataclasses import asdict

from extract.kinds import TableKind
from extract.model import Document
from output.cited import cited_documents

from . import plans  # as a module: output.plans imports extract.kinds, whose package imports this module


def document_row(doc: Document) -> dict[str, object]:
    meta = doc.meta
    row: dict[str, object] = {
        "doc_id": doc.doc_id,
        "source_file": doc.source_file,
        "format": doc.format,
        "pages": doc.n_pages if doc.format == "pdf" else (1 if doc.pages else 0),
        "sha256": doc.sha256,
        "encoding": doc.encoding,
        **asdict(meta),
        "status": doc.status,
        "header_source": doc.header_source,
        "ocr_confidence": doc.ocr_confidence,
        "n_tables": len(doc.tables),
        "n_allocation_tables": sum(1 for t in doc.tables if t.kind == TableKind.ALLOCATION),
        "n_targets": len(doc.targets),
        "n_refs": len(doc.refs),
        "n_warnings": len(doc.warnings),
    }
    row["plan_id"] = plans.plan_id(row)
    return row


def target_rows(doc: Document) -> list[dict[str, object]]:
    rows = []
    for t in sorted(doc.targets, key=lambda t: (t.table_index, t.row_index, t.col_index)):
        row = asdict(t)
        row["indicator_group"] = row.pop("group_path")
        row.update(row.pop("box") or {})  # the cell box's columns
        row.update(doc_id=doc.doc_id, source_file=doc.source_file, province=doc.meta.province)
        if doc.format != "pdf":
            row["page"] = None
        rows.append(row)
    return rows


def ref_rows(doc: Document) -> list[dict[str, object]]:
    rows = []
    for r in sorted(doc.refs, key=lambda r: r.ref_order):
        row = asdict(r)
        row.update(doc_id=doc.doc_id, source_file=doc.source_file)
        if doc.format != "pdf":
            row["page"] = None
        rows.append(row)
    return rows


def warning_rows(doc: Document) -> list[dict[str, object]]:
    rows = []
    for n, w in enumerate(doc.warnings, start=1):
        row = {"doc_id": doc.doc_id, "warning_order": n, "source_file": doc.source_file, **asdict(w),
               "page": w.page or None}
        row.update(stage=str(w.stage), kind=str(w.kind))
        del row["subject"]  # for code, not for warnings.csv
        row.update(row.pop("box") or {})  # the cell box's columns
        rows.append(row)
    return rows


def document_tables(docs: list[Document]) -> dict[str, list[dict[str, object]]]:
    """All output tables of a run, rows ordered by input file, then position in the document."""
    ordered = sorted(docs, key=lambda d: d.source_file)
    documents = [document_row(d) for d in ordered]
    plan_of = {row["doc_id"]: row["plan_id"] or row["doc_id"] for row in documents}
    refs = [r for d in ordered for r in ref_rows(d)]
    return {
        "documents": documents,
        "targets": [r for d in ordered for r in target_rows(d)],
        "refs": refs,
        "warnings": [r for d in ordered for r in warning_rows(d)],
        "cited_documents": cited_documents([{**r, "doc_id": plan_of.get(r["doc_id"], r["doc_id"])} for r in refs]),
    }
