"""The tidy output tables: every column's name, type and meaning, in output order.

One source of truth for the CSV header, the Parquet types and datapackage.json.
Types are Frictionless Table Schema types: string, integer, number, boolean, date.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str


DOCUMENTS = (
    Column("doc_id", "string", "Stable id from this file alone: province, number, date and the first 8 hex digits "
                               "of its SHA-256 (the same in any batch)"),
    Column("source_file", "string", "Path of the input file relative to the input root"),
    Column("format", "string", "pdf / html / docx"),
    Column("pages", "integer", "Pages read (1 for formats without pages)"),
    Column("sha256", "string", "SHA-256 of the file's bytes"),
    Column("encoding", "string", "Text encoding of the source: unicode / tcvn3 / vni"),
    Column("doc_number", "string", "Canonical number and symbol, e.g. 355/KH-UBND"),
    Column("doc_type", "string", "Kế hoạch, Quyết định, ..."),
    Column("issue_date", "date", "Date of the document (the place-and-date line)"),
    Column("place", "string", "Place in the place-and-date line"),
    Column("issuer", "string", "Issuing body, e.g. Ủy ban nhân dân tỉnh Lào Cai"),
    Column("province", "string", "Province as printed by the issuer (canonical spelling; the province of the "
                                 "time of issue); empty for central bodies"),
    Column("signer", "string", "Name(s) under the signature block, in order, joined by '; '"),
    Column("title", "string", "The title (trích yếu) under the document type"),
    Column("period_start", "integer", "First year the plan covers"),
    Column("period_end", "integer", "Last year the plan covers"),
    Column("status", "string", "ok / partial (something the document claims was not read: a page, a table, "
                               "its header) / failed (unreadable) / skipped (a file of another kind)"),
    Column("header_source", "string", "How the header fields were read: text (the file's own text) / ocr"),
    Column("ocr_confidence", "number", "Mean OCR confidence 0-100 over the pages read by OCR; empty without OCR"),
    Column("n_tables", "integer", "Tables found"),
    Column("n_allocation_tables", "integer", "Tables classified as allocation tables"),
    Column("n_targets", "integer", "Target rows extracted"),
    Column("n_refs", "integer", "References extracted (all sections)"),
    Column("n_warnings", "integer", "Warnings raised for this document"),
    Column("plan_id", "string", "The plan this file is a copy of (same issuer, number and date; the content hash "
                                "when those are blank); empty for a file that could not be read"),
    Column("number_source", "string", "Where doc_number was read: printed / stamp (a number an e-office system "
                                      "drew over the header's blank) / caption (an appendix's 'Kèm theo ...')"),
    Column("date_source", "string", "Where issue_date was read: printed / stamp / caption"),
    Column("programme", "string", "National target programme the document serves, by its decision's number "
                                  "(1719 = socio-economic development of ethnic minority areas); empty if unknown"),
    Column("project", "string", "Project of that programme (8 = gender equality and urgent issues of women "
                                "and children); empty if unknown"),
    Column("programme_evidence", "string", "What decided programme and project: the cited references or "
                                           "title words, '; '-joined"),
    Column("province_2025", "string", "The province after the July 2025 merger (34 provinces); same as province "
                                      "for a plan issued since"),
)

_CELL_BOX = (
    Column("cell_x0", "number", "Left of the cell's box on the page as displayed (PDF points, top-left origin)"),
    Column("cell_y0", "number", "Top of the cell's box on the page as displayed (PDF points)"),
    Column("cell_x1", "number", "Right of the cell's box on the page as displayed (PDF points)"),
    Column("cell_y1", "number", "Bottom of the cell's box on the page as displayed (PDF points)"),
    Column("page_width", "number", "Width of the page as displayed (PDF points)"),
    Column("page_height", "number", "Height of the page as displayed (PDF points)"),
    Column("page_rotation", "integer", "The page's /Rotate (0, 90, 180, 270); the box already accounts for it"),
)

TARGETS = (
    Column("doc_id", "string", "The document (documents.doc_id)"),
    Column("source_file", "string", "Input file relative to the input root"),
    Column("page", "integer", "PDF page (1-based) of the cell; empty for HTML/DOCX"),
    Column("appendix", "string", "Appendix label, e.g. Phụ lục 01"),
    Column("table_index", "integer", "Table position in the document, 0-based"),
    Column("row_index", "integer", "Row of the cell in the table as printed, 0-based"),
    Column("col_index", "integer", "Column of the cell in the table as printed, 0-based"),
    Column("province", "string", "Province of the document"),
    Column("province_code", "string", "Official statistics code of the province"),
    Column("province_2025", "string", "Province the unit belongs to after the July 2025 reorganisation"),
    Column("unit_name_raw", "string", "Unit (row) name as printed"),
    Column("unit_name", "string", "Official unit name"),
    Column("unit_level", "string", "province / district (pre-2025 code) / commune (2025 code for a plan issued "
                                   "after 1 July 2025, else the pre-2025 code)"),
    Column("unit_code", "string", "Official statistics code of the unit, of the period the plan was issued in"),
    Column("is_total", "boolean", "True for the table's total row"),
    Column("indicator_label_raw", "string", "Leaf column header as printed"),
    Column("indicator_group", "string", "Header groups above the leaf label, joined by ' › '"),
    Column("indicator_id", "string", "Canonical indicator id; empty when the label could not be mapped"),
    Column("indicator_name", "string", "Canonical indicator name (Vietnamese)"),
    Column("indicator_match", "string", "How the label was mapped: exact / alias / fuzzy"),
    Column("indicator_score", "number", "Match confidence 0-100"),
    Column("unit_raw", "string", "Unit of measure printed in the header, e.g. tổ, cuộc, lớp"),
    Column("unit", "string", "Canonical unit of measure of the indicator"),
    Column("value", "number", "The number; '-' and blank are 0; empty when the cell is not a number"),
    Column("value_raw", "string", "The cell's text as printed"),
    Column("timeframe", "string", "Completion time printed for the column ('Thời gian hoàn thành' row)"),
    Column("period_start", "integer", "First year of the target period"),
    Column("period_end", "integer", "Last year of the target period"),
    Column("ocr", "boolean", "True when the cell was read by OCR"),
    Column("ocr_confidence", "number", "OCR confidence 0-100 of the cell's text (mean word confidence; 95 for a "
                                       "'-' judged from its shape, 99 for a cell without ink); empty without OCR"),
    # Provenance to the pixel and corrections (extract/provenance.py, extract/corrections.py):
    *_CELL_BOX,
    Column("value_source", "string", "extracted, or corrected (a person's correction from the corrections folder)"),
    Column("value_extracted", "number", "The value as extracted (differs from value when corrected)"),
    Column("corrected_by", "string", "Who corrected the value (corrections file)"),
    Column("correction_note", "string", "Why the value was corrected (corrections file)"),
    Column("detection", "string", "How the cell's table was found: ruled (full grid of rules), partial_rules "
                                  "(some rules), aligned_text (word alignment only), html, docx, ocr"),
)

REFS = (
    Column("doc_id", "string", "The citing document (documents.doc_id)"),
    Column("source_file", "string", "Input file relative to the input root"),
    Column("ref_order", "integer", "Order of the reference in the citing document, 1-based"),
    Column("section", "string", "can_cu (legal basis) / proposal / body / portal"),
    Column("doc_type", "string", "Type of the cited document: Quyết định, Nghị quyết, Kế hoạch, ..."),
    Column("number", "string", "Number part of the symbol"),
    Column("year", "integer", "Year from the symbol, else from the date"),
    Column("symbol", "string", "Canonical symbol, e.g. 1719/QĐ-TTg"),
    Column("symbol_raw", "string", "Symbol as printed"),
    Column("issue_date", "date", "Date of the cited document as printed"),
    Column("issuer", "string", "Canonical issuer of the cited document"),
    Column("issuer_raw", "string", "Issuer as printed"),
    Column("title", "string", "Trích yếu of the cited document"),
    Column("page", "integer", "PDF page where the reference starts"),
    Column("raw", "string", "The citing sentence as printed"),
    Column("within", "string", "For a document named inside another reference's title (section body): the "
                               "symbol of that reference"),
)

WARNINGS = (
    Column("doc_id", "string", "The document concerned"),
    Column("source_file", "string", "Input file relative to the input root"),
    Column("stage", "string", "Stage that raised it: read, meta, tables, refs, normalize, validate"),
    Column("kind", "string", "Machine-readable kind, e.g. total_mismatch, indicator_unmapped"),
    Column("message", "string", "What a person should know"),
    Column("page", "integer", "PDF page concerned, if any"),
    # The target the warning concerns (joins targets on doc_id + table/row/col), and its cell's box:
    Column("table_index", "integer", "Table of the cell concerned, if the warning concerns a cell"),
    Column("row_index", "integer", "Row of the cell concerned (as printed), if any"),
    Column("col_index", "integer", "Column of the cell concerned (as printed), if any"),
    Column("indicator_id", "string", "Indicator of the cell concerned, if any"),
    *_CELL_BOX,
    Column("warning_order", "integer", "Order of the warning within its document, 1-based (with doc_id, the key)"),
)

CITED_DOCUMENTS = (
    Column("symbol", "string", "Canonical symbol of the cited document"),
    Column("doc_type", "string", "Type of the cited document"),
    Column("issue_date", "date", "Date of the cited document"),
    Column("issuer", "string", "Canonical issuer"),
    Column("n_citing_documents", "integer", "How many plans of the run cite it (copies of one plan count once)"),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "documents": DOCUMENTS,
    "targets": TARGETS,
    "refs": REFS,
    "warnings": WARNINGS,
    "cited_documents": CITED_DOCUMENTS,
}

# Keys for datapackage.json: each row is found by these columns, and every row of targets, refs and
# warnings belongs to a documents row (a skipped or failed file has one too).
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id",),
    "targets": ("doc_id", "table_index", "row_index", "col_index"),
    "refs": ("doc_id", "ref_order"),
    "warnings": ("doc_id", "warning_order"),
    "cited_documents": ("symbol",),
}
_TO_DOCUMENTS = (("doc_id",), "documents", ("doc_id",))
FOREIGN_KEYS: dict[str, tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...]] = {
    "targets": (_TO_DOCUMENTS,),
    "refs": (_TO_DOCUMENTS,),
    "warnings": (_TO_DOCUMENTS,),
}
