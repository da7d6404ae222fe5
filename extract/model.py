"""The typed document model that every reader produces and every stage reads and enriches.

Readers turn a file into a `Document` (pages, lines, tables); stages fill in `meta`,
`targets`, `refs` and `warnings`. Nothing here knows about file formats or output files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BBox = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF points (top-left origin)


@dataclass
class Line:
    """One line of running text, in reading order. `page` is 1-based; 0 for formats without pages."""

    text: str
    page: int = 0
    bbox: BBox | None = None
    # Index of the paragraph/block the line belongs to, so stages can re-join broken sentences.
    block: int = 0


@dataclass
class Cell:
    """One (possibly merged) table cell; `row`/`col` is its top-left slot in the grid."""

    row: int
    col: int
    text: str = ""
    row_span: int = 1
    col_span: int = 1
    bbox: BBox | None = None
    page: int = 0
    ocr_confidence: float | None = None  # mean OCR word confidence 0-100; None when read from a text layer


@dataclass
class Table:
    """A table as a grid of cells. A table continued over pages is one Table with several `pages`."""

    cells: list[Cell]
    n_rows: int
    n_cols: int
    page: int = 0
    pages: list[int] = field(default_factory=list)
    index: int = 0  # position among the document's tables, 0-based
    caption: str = ""  # text just above the table (appendix label, title), for classification
    appendix: str = ""  # e.g. "Phụ lục 01"; empty when the table stands in the body
    kind: str = ""  # allocation / activity / other, set by the appendix stage
    # Number of leading rows the reader already knows are header rows (HTML <thead>, PDF repeated header).
    header_rows: int = 0
    # How the table was found: ruled / partial_rules / aligned_text / html / docx / ocr.
    detection: str = ""

    def grid(self) -> list[list[Cell | None]]:
        """Slot grid: every slot points at the cell covering it (merged cells repeat), or None."""
        slots: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, min(cell.row + cell.row_span, self.n_rows)):
                for c in range(cell.col, min(cell.col + cell.col_span, self.n_cols)):
                    slots[r][c] = cell
        return slots

    def text_grid(self) -> list[list[str]]:
        """The grid as plain strings; a merged cell's text appears only in its top-left slot."""
        out = [[""] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            if cell.row < self.n_rows and cell.col < self.n_cols:
                out[cell.row][cell.col] = cell.text
        return out


@dataclass
class Page:
    number: int  # 1-based
    width: float = 0.0
    height: float = 0.0
    rotation: int = 0
    lines: list[Line] = field(default_factory=list)
    ocr: bool = False  # text came from OCR rather than the file's own text layer
    ocr_confidence: float | None = None  # mean word confidence 0-100 where OCR was used
    # Maps the reader's cell boxes (upright, unrotated space) to the page as displayed; None = identity.
    display_matrix: tuple[float, float, float, float, float, float] | None = None


@dataclass
class CellBox:
    """Where a cell is printed: its box on the page as displayed (PDF points, top-left origin) and the
    page's displayed size and /Rotate, so a viewer can draw it over a rendering of the page."""

    cell_x0: float | None = None
    cell_y0: float | None = None
    cell_x1: float | None = None
    cell_y1: float | None = None
    page_width: float | None = None
    page_height: float | None = None
    page_rotation: int | None = None


@dataclass
class Warning:
    """A finding a person should look at. Warnings are data: they end up in warnings.csv."""

    stage: str
    kind: str
    message: str
    page: int | None = None
    # What the finding is about (e.g. the unmapped label), for code that must not re-parse `message`.
    # Not written to warnings.csv.
    subject: str = ""
    # The target the warning concerns (joins back to targets), and that cell's box; empty otherwise.
    table_index: int | None = None
    row_index: int | None = None
    col_index: int | None = None
    indicator_id: str = ""
    box: CellBox | None = None


@dataclass
class DocumentMeta:
    doc_number: str = ""
    doc_type: str = ""
    issue_date: str = ""  # ISO yyyy-mm-dd
    place: str = ""
    issuer: str = ""
    province: str = ""
    signer: str = ""
    title: str = ""
    period_start: int | None = None
    period_end: int | None = None
    # Where doc_number / issue_date were read: printed (the header's text), stamp (a number an e-office
    # system drew over the header's blank), caption (an appendix's "Kèm theo ..."); '' when not found.
    number_source: str = ""
    date_source: str = ""
    programme: str = ""  # the national target programme the document serves, e.g. "1719"
    project: str = ""  # its project within that programme, e.g. "8"
    programme_evidence: str = ""  # what decided programme/project: the references or title words, '; '-joined
    # The province after the July 2025 merger (Yên Bái -> Lào Cai); the same as `province` for a plan
    # issued since, whose province already is one of the 34.
    province_2025: str = ""


@dataclass
class Reference:
    """One cited document ("Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của ...")."""

    doc_type: str = ""
    number: str = ""
    year: int | None = None
    symbol: str = ""
    symbol_raw: str = ""
    issue_date: str = ""
    issuer: str = ""
    issuer_raw: str = ""
    title: str = ""
    section: str = "can_cu"  # can_cu / proposal / body / portal
    ref_order: int = 0
    page: int | None = None
    raw: str = ""
    ocr_corrected: str = ""  # the type word as printed when OCR damaged it ("Hướn dẫn" read as Hướng dẫn)
    within: str = ""  # for a reference named inside another reference's title (section body): that one's symbol


@dataclass
class Target:
    """One allocation-table data cell: a value for one (unit, indicator) of one document."""

    page: int | None
    appendix: str
    table_index: int
    row_index: int
    col_index: int
    unit_name_raw: str
    is_total: bool
    indicator_label_raw: str
    value_raw: str
    value: float | None
    unit_raw: str = ""
    timeframe: str = ""
    group_path: str = ""  # the header groups above the leaf label, joined by " › "
    period_start: int | None = None
    period_end: int | None = None
    # Filled by normalization:
    unit_name: str = ""
    unit_level: str = ""
    unit_code: str = ""
    province_code: str = ""
    province_2025: str = ""
    indicator_id: str = ""
    indicator_name: str = ""
    indicator_match: str = ""
    indicator_score: float | None = None
    unit: str = ""
    ocr: bool = False
    ocr_confidence: float | None = None
    # Provenance to the pixel, and corrections (extract/corrections.py):
    box: CellBox | None = None
    value_source: str = "extracted"  # extracted / corrected
    value_extracted: float | None = None  # the value as extracted, kept when a person corrected it
    corrected_by: str = ""
    correction_note: str = ""
    detection: str = ""  # how the cell's table was found (Table.detection)


@dataclass
class Document:
    source_path: str  # absolute or as given, for reading
    source_file: str  # relative to the input root, for output
    format: str = ""  # pdf / html / docx
    sha256: str = ""
    encoding: str = "unicode"  # unicode / tcvn3 / vni
    font_names: list[str] = field(default_factory=list)  # fonts the text layer uses (legacy-encoding hint)
    pages: list[Page] = field(default_factory=list)
    # Text outside the document's own content (a legal portal's lists and banners), kept apart.
    portal_lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    targets: list[Target] = field(default_factory=list)
    refs: list[Reference] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    status: str = "ok"  # ok / partial / failed
    doc_id: str = ""

    @property
    def lines(self) -> list[Line]:
        """All lines of the document's own text, in reading order."""
        return [line for page in self.pages for line in page.lines]

    @property
    def header_page(self) -> Page | None:
        """The page the header block is on (the first page with text)."""
        return next((page for page in self.pages if page.lines), self.pages[0] if self.pages else None)

    @property
    def header_source(self) -> str:
        """How the header was obtained: 'text' (the file's own text) or 'ocr'; '' when nothing was read."""
        page = self.header_page
        if page is None:
            return ""
        return "ocr" if page.ocr else "text"

    @property
    def ocr_confidence(self) -> float | None:
        """Mean OCR confidence (0-100) over the pages read by OCR; None when no page was."""
        confidences = [p.ocr_confidence for p in self.pages if p.ocr and p.ocr_confidence is not None]
        return round(sum(confidences) / len(confidences), 1) if confidences else None

    @property
    def n_pages(self) -> int:
        return len(self.pages)

    def drop_text(self) -> None:
        """Forget the page lines and table cells once the stages are done: the output needs only the
        counts, metadata and extracted rows, and a batch of thousands of documents must not hold every
        page's text in memory (nor ship it back from worker processes)."""
        for page in self.pages:
            page.lines = []
        self.portal_lines = []
        for table in self.tables:
            table.cells = []

    def warn(self, stage: str, kind: str, message: str, page: int | None = None, subject: str = "") -> None:
        """Record a finding; `stage` and `kind` are normally extract.kinds.Stage / WarningKind members."""
        self.warnings.append(Warning(stage, kind, message, page, subject))
