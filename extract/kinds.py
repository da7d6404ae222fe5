"""Named values that end up in the output: document status, stage names, warning kinds, table kinds.

They are `str` enums, so `Status.OK == "ok"` and the CSV holds the same text as before; naming them
once lets a reader find every place a kind is raised, and lets the cache and the CLI decide on a
kind without matching bare strings.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """How completely a document was read."""

    OK = "ok"  # every stage ran and found what the document claims
    PARTIAL = "partial"  # something it claims (a table, a header, a page) could not be read
    FAILED = "failed"  # the file could not be read at all
    SKIPPED = "skipped"  # a file of another kind in an input folder (.doc, .xls, ...), listed with the reason


class Stage(StrEnum):
    """Where a warning was raised; also the names of the pipeline's steps."""

    READ = "read"
    META = "meta"
    TABLES = "tables"
    REFS = "refs"
    NORMALIZE = "normalize"
    VALIDATE = "validate"
    CORRECTIONS = "corrections"  # the user folder, applied after the stages (extract/corrections.py)


class WarningKind(StrEnum):
    """Every kind of finding the pipeline reports (warnings.csv `kind`)."""

    # reading the file
    UNREADABLE = "unreadable"
    SKIPPED = "skipped"  # a file in an input folder that is not a document format this tool reads
    INTERNAL_ERROR = "internal_error"
    CRASHED = "crashed"
    NO_TEXT = "no_text"
    TIME_LIMIT = "time_limit"
    PAGE_LIMIT = "page_limit"
    PAGE_UNREADABLE = "page_unreadable"
    CONTENT_TOO_LARGE = "content_too_large"
    NOT_REGULAR = "not_regular_file"
    TOO_LARGE = "file_too_large"
    MEMORY_LIMIT = "memory_limit"
    TABLE_TOO_LARGE = "table_too_large"
    PDF_REPAIRED = "pdf_repaired"
    CHARSET = "charset"
    CONTENT = "content"
    LEGACY_ENCODING = "legacy_encoding"
    OCR_UNAVAILABLE = "ocr_unavailable"
    OCR_FAILED = "ocr_failed"
    OCR_LOW_CONFIDENCE = "ocr_low_confidence"
    STAGE_FAILED = "stage_failed"
    DUPLICATE_FILE = "duplicate_file"  # another input had the same bytes; it was read once
    # header block
    HEADER_MISSING = "header_missing"
    HEADER_FALLBACK = "header_fallback"
    NUMBER_BLANK = "number_blank"
    DATE_INCOMPLETE = "date_incomplete"
    SIGNER_MISSING = "signer_missing"
    HEADER_IMPLAUSIBLE = "header_implausible"  # a field failing its own shape, left empty
    HEADER_LOW_CONFIDENCE = "header_low_confidence"  # an OCR'd header below the confidence floor, left empty
    # tables and values
    TABLE_SPLIT_MISMATCH = "table_split_mismatch"
    VALUE_NOT_NUMBER = "value_not_number"
    DUPLICATE_UNIT_ROW = "duplicate_unit_row"
    TOTAL_MISMATCH = "total_mismatch"
    BODY_TABLE_MISMATCH = "body_table_mismatch"
    ALLOCATION_NOT_READ = "allocation_not_read"  # an announced or detected allocation table gave no target row
    # references
    REF_UNPARSED = "ref_unparsed"
    REF_ERROR = "ref_error"
    OCR_CORRECTED = "ocr_corrected"  # a near miss of a document type word taken as that type
    # programme and project
    NOT_PROJECT8 = "not_project8"  # with --only-project8: the document's targets were left out
    # normalization
    INDICATOR_UNMAPPED = "indicator_unmapped"
    UNIT_MISMATCH = "unit_mismatch"
    UNIT_UNRESOLVED = "unit_unresolved"
    # the user folder
    CORRECTION_STALE = "correction_stale"


# Results a re-run could improve without a code change (a limit, a crash, a tool installed later):
# the cache never stores a document that carries one of these.
TRANSIENT_KINDS = frozenset({
    WarningKind.TIME_LIMIT, WarningKind.CRASHED, WarningKind.INTERNAL_ERROR, WarningKind.UNREADABLE,
    WarningKind.NO_TEXT, WarningKind.OCR_UNAVAILABLE, WarningKind.OCR_FAILED, WarningKind.MEMORY_LIMIT,
})


# Findings that mean something the document claims (a page, a table, its header) was not read: a
# document carrying one is `partial`, whichever stage raised it (extract/stages/status.py).
UNREAD_KINDS = frozenset({
    WarningKind.NO_TEXT, WarningKind.TIME_LIMIT, WarningKind.PAGE_LIMIT, WarningKind.PAGE_UNREADABLE,
    WarningKind.CONTENT_TOO_LARGE, WarningKind.OCR_UNAVAILABLE, WarningKind.OCR_FAILED, WarningKind.STAGE_FAILED,
    WarningKind.HEADER_MISSING, WarningKind.HEADER_IMPLAUSIBLE, WarningKind.HEADER_LOW_CONFIDENCE,
})


class TableKind(StrEnum):
    """What a table holds, decided by the appendix stage (Table.kind)."""

    ALLOCATION = "allocation"  # units × indicators, numbers: becomes targets
    ACTIVITY = "activity"  # Phụ lục 02: activity / content / time columns
    OTHER = "other"


class Detection(StrEnum):
    """How a table was found (Table.detection, targets.csv `detection`)."""

    RULED = "ruled"  # a full grid of rules (extract/tables.py)
    PARTIAL_RULES = "partial_rules"  # some rules, columns from word alignment (extract/readers/text_tables.py)
    ALIGNED_TEXT = "aligned_text"  # no rules: word alignment only
    HTML = "html"
    DOCX = "docx"
    OCR = "ocr"  # a ruled grid on a scanned page, cells read by Tesseract
