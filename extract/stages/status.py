"""Honest statuses, shared by every stage: a document is `partial` whenever something it claims (a
page, a table, its header) was not read, whichever stage noticed.

Stages raise warnings; `settle_status` runs once after them and turns the warnings that mean "not
read" into the status, so no stage has to remember to do both. It also applies the one rule that
needs the run's settings: a header read by OCR below the confidence floor is not trusted.
"""

from __future__ import annotations

from ..kinds import UNREAD_KINDS, Stage, Status, WarningKind
from ..model import Document
from ..settings import Settings

# Header fields a low-confidence OCR reading leaves empty (province is resolved against the gazetteer,
# the signer from the signature block on a later page, so they stay).
_OCR_HEADER_FIELDS = ("doc_number", "issue_date", "place", "issuer", "title")


def mark_unread(doc: Document, stage: str, kind: str, message: str, page: int | None = None) -> None:
    """Record that something the document claims was not read: a warning, and the status partial."""
    doc.warn(stage, kind, message, page)
    if doc.status == Status.OK:
        doc.status = Status.PARTIAL


def settle_status(doc: Document, settings: Settings) -> Document:
    """After the stages: distrust a low-confidence OCR header, then derive partial from the warnings."""
    _distrust_ocr_header(doc, settings.ocr.min_confidence)
    if doc.status == Status.OK and any(w.kind in UNREAD_KINDS for w in doc.warnings):
        doc.status = Status.PARTIAL
    return doc


def _distrust_ocr_header(doc: Document, floor: float) -> None:
    page = doc.header_page
    if page is None or not page.ocr or page.ocr_confidence is None or page.ocr_confidence >= floor:
        return
    dropped = {name: getattr(doc.meta, name) for name in _OCR_HEADER_FIELDS if getattr(doc.meta, name)}
    if not dropped:
        return
    for name in dropped:
        setattr(doc.meta, name, "")
    read = "; ".join(f"{name} {value!r}" for name, value in dropped.items())
    mark_unread(doc, Stage.META, WarningKind.HEADER_LOW_CONFIDENCE,
                f"the header was read by OCR with confidence {page.ocr_confidence:g} (below {floor:g}); "
                f"left empty rather than trusted: {read}", page.number)
