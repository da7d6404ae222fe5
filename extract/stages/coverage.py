"""No silent misses: a plan that announces an allocation table must yield target rows from it.

A table the readers could not rebuild (a scan without OCR, a table drawn in a way no detector knows,
values written as words) used to leave a document `ok` with no targets, which reads as "this plan
allocates nothing". Here the document's own words are the evidence: an appendix caption or a body
sentence about allocating targets ("phân bổ chỉ tiêu ... (Phụ lục 01)"), or a table classified as an
allocation table that produced no row. Either way without target rows → warning `allocation_not_read`
with the page, and the document is `partial`.
"""

from __future__ import annotations

import logging
import re

from normalize.text import fold

from ..kinds import Stage, Status, TableKind, WarningKind
from ..model import Document

log = logging.getLogger(__name__)

# On folded text: "phân bổ chỉ tiêu" / "giao chỉ tiêu" / "chỉ tiêu phân bổ" near "phụ lục" (or as the caption).
_ALLOCATES = re.compile(r"\b(phan bo chi tieu|giao chi tieu|chi tieu phan bo|phan bo chi tiet chi tieu)\b")
_APPENDIX = re.compile(r"\bphu luc\b")


def check_allocation_read(doc: Document) -> Document:
    """Warn (and mark the document partial) where an announced or detected allocation table gave no rows."""
    read_tables = {t.table_index for t in doc.targets}
    for table in doc.tables:
        if table.kind == TableKind.ALLOCATION and table.index not in read_tables:
            _warn(doc, f"table {table.index} looks like an allocation table (units × numbers) but no target row "
                       "could be read from it", table.page or None)
    if doc.targets or any(w.kind == WarningKind.ALLOCATION_NOT_READ for w in doc.warnings):
        return doc
    page = _announcing_page(doc)
    if page is not None:
        _warn(doc, "the document announces an allocation of targets (an appendix caption or a sentence such as "
                   "'phân bổ chỉ tiêu ... Phụ lục') but no allocation table could be read", page or None)
    return doc


def _announcing_page(doc: Document) -> int | None:
    """Page (0 without pages) of the first line announcing an allocation appendix; None when none does."""
    lines = doc.lines
    for i, line in enumerate(lines):
        text = fold(line.text)
        if not _ALLOCATES.search(text):
            continue
        nearby = " ".join(fold(ln.text) for ln in lines[max(0, i - 2):i + 3])
        if _APPENDIX.search(nearby):
            return line.page
    for table in doc.tables:
        if _ALLOCATES.search(fold(table.caption)):
            return table.page
    return None


def _warn(doc: Document, message: str, page: int | None) -> None:
    log.debug("p.%s: %s", page, message)
    doc.warn(Stage.TABLES, WarningKind.ALLOCATION_NOT_READ, message, page)
    if doc.status == Status.OK:
        doc.status = Status.PARTIAL
