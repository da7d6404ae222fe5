"""Appendix stage: captions and appendix labels, tables joined over pages, and each table classified.

A plan's appendix table usually starts under a caption ("PHỤ LỤC 01", "PHÂN BỔ CHỈ TIÊU ...",
"(Kèm theo Kế hoạch số ...)") and may run over several landscape pages, with or without a
repeated header row. This stage turns the readers' per-page tables into whole tables and says
what each one is: an allocation table (units × indicators, numeric), an activity table (Phụ lục 02:
TT / Nội dung hoạt động / Chỉ tiêu / Thời gian) or other.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from normalize.numbers import is_dash, parse_number
from normalize.places import resolve_unit
from normalize.text import clean, fold

from ..kinds import Stage, TableKind, WarningKind
from ..model import Cell, Document, Table
from ..tables import table_bbox

log = logging.getLogger(__name__)

_APPENDIX = re.compile(r"^\s*PH[UỤ]\s*L[UỤ]C\s*(?P<num>[0-9IVXLC]+[a-z]?)?\b", re.IGNORECASE)
# A row or column label that names an administrative unit or the whole-table total.
_UNIT_PREFIX = re.compile(
    r"^(huyện|thị xã|thành phố|tp\.?|tx\.?|quận|xã|phường|thị trấn|cấp tỉnh|cấp huyện|cấp xã|tỉnh|"
    r"văn phòng|ban |hội |sở )", re.IGNORECASE,
)
_TOTAL = re.compile(r"^(chỉ tiêu|tổng|cộng|toàn tỉnh|tổng số|tổng cộng)", re.IGNORECASE)
_ACTIVITY_HEADER = re.compile(r"nội dung hoạt động|hoạt động|nhiệm vụ", re.IGNORECASE)
_COLUMN_NO = re.compile(r"^\s*\(\d{1,3}\)\s*$")
_TIME_HEADER = re.compile(r"thời gian|tiến độ", re.IGNORECASE)


def find_appendices(doc: Document) -> Document:
    """Attach captions and appendix labels, join continued tables, classify every table."""
    if doc.format == "pdf":
        _captions_from_page_lines(doc)
    for table in doc.tables:
        if not table.appendix:
            table.appendix = appendix_label(table.caption)
    doc.tables = join_continued_tables(doc.tables, doc)
    for i, table in enumerate(doc.tables):
        table.index = i
        table.kind = classify_table(table, doc.meta.province)
    return doc


def appendix_label(caption: str) -> str:
    """'PHỤ LỤC 01 ...' → 'Phụ lục 01'; 'PHỤ LỤC' alone → 'Phụ lục'; '' when the caption names none."""
    for line in caption.splitlines() or [caption]:
        m = _APPENDIX.match(clean(line))
        if m:
            return f"Phụ lục {m.group('num')}" if m.group("num") else "Phụ lục"
    return ""


def _captions_from_page_lines(doc: Document) -> None:
    """A table's caption is the running text between the previous table (or page top) and the table.

    The appendix label carries over pages: a table on a page after 'PHỤ LỤC 02' belongs to it until
    the next label.
    """
    by_page: dict[int, list[Table]] = {}
    for table in doc.tables:
        by_page.setdefault(table.page, []).append(table)
    current_label = ""
    for page in doc.pages:
        tables = sorted(by_page.get(page.number, []), key=lambda t: (table_bbox(t) or (0, 0, 0, 0))[1])
        top = 0.0
        for table in tables:
            box = table_bbox(table)
            y0 = box[1] if box else 0.0
            above = [ln for ln in page.lines if ln.bbox and top <= ln.bbox[1] and ln.bbox[3] <= y0 + 1]
            caption_lines = [ln.text for ln in above if not re.fullmatch(r"\d{1,4}", ln.text.strip())]
            table.caption = "\n".join(caption_lines[-8:])
            label = appendix_label(table.caption)
            current_label = label or current_label
            table.appendix = current_label
            top = box[3] if box else y0
        # A label after the page's last table (a new appendix starting at the bottom) still counts.
        for ln in page.lines:
            if ln.bbox and ln.bbox[1] >= top and _APPENDIX.match(ln.text):
                current_label = appendix_label(ln.text)


def _column_edges(table: Table) -> list[float]:
    boxes = [c.bbox for c in table.cells if c.bbox]
    return sorted({round(b[0]) for b in boxes} | {round(b[2]) for b in boxes})


def _same_columns(a: Table, b: Table, tol: float = 3.0) -> bool:
    if a.n_cols != b.n_cols:
        return False
    ea, eb = _column_edges(a), _column_edges(b)
    if not ea or not eb:  # HTML / DOCX: no geometry, judge by the column count alone
        return True
    return len(ea) == len(eb) and all(abs(x - y) <= tol for x, y in zip(ea, eb))


def _starts_page(table: Table, doc: Document) -> bool:
    """True when nothing but a page number stands above the table on its page."""
    if doc.format != "pdf":
        return False
    box = table_bbox(table)
    page = next((p for p in doc.pages if p.number == table.page), None)
    if box is None or page is None:
        return False
    above = [ln for ln in page.lines if ln.bbox and ln.bbox[3] <= box[1] + 1]
    return all(re.fullmatch(r"\d{1,4}", ln.text.strip()) for ln in above)


def _row_texts(table: Table, row: int) -> list[str]:
    return [fold(t) for t in table.text_grid()[row]]


def join_continued_tables(tables: list[Table], doc: Document) -> list[Table]:
    """Join a table continued at the top of the next page with the same columns into one table.

    A repeated header (the continuation's first rows equal the table's first rows) is dropped.
    """
    out: list[Table] = []
    for table in tables:
        prev = out[-1] if out else None
        continues = (
            prev is not None and prev.pages and table.page == prev.pages[-1] + 1 and _starts_page(table, doc)
        )
        if continues and _same_columns(prev, table):
            log.debug("p.%d: table continues the one on p.%d (same %d columns, nothing above it): joined",
                      table.page, prev.pages[-1], table.n_cols)
            out[-1] = _append_rows(prev, table)
            continue
        if continues and prev.n_cols != table.n_cols:
            doc.warn(
                Stage.TABLES, WarningKind.TABLE_SPLIT_MISMATCH,
                f"the table at the top of page {table.page} seems to continue the one on page {prev.pages[-1]} "
                f"but has {table.n_cols} columns instead of {prev.n_cols}; they were kept apart", table.page,
            )
        out.append(table)
    return out


def _append_rows(head: Table, tail: Table) -> Table:
    skip = 0
    while skip < min(tail.n_rows, head.n_rows) and _row_texts(tail, skip) == _row_texts(head, skip):
        skip += 1
    skip = max(skip, tail.header_rows)  # a header the reader recognised as repeated (text tables)
    if skip:
        log.debug("p.%d: first %d row(s) repeat the table's header: dropped", tail.page, skip)
    cells = list(head.cells)
    if _continues_previous_row(tail, skip):
        log.debug("p.%d: row %d has no number and no unit: the row cut by the page break, re-joined", tail.page, skip)
        _merge_into_last_row(cells, head.n_rows - 1, [c for c in tail.cells if c.row == skip])
        skip += 1
    offset = head.n_rows - skip
    moved = [replace(c, row=c.row + offset) for c in tail.cells if c.row >= skip]
    return Table(
        cells=cells + moved,
        n_rows=head.n_rows + tail.n_rows - skip,
        n_cols=head.n_cols,
        page=head.page,
        pages=head.pages + tail.pages,
        index=head.index,
        caption=head.caption,
        appendix=head.appendix,
        header_rows=head.header_rows,
        detection=head.detection,
    )


def _continues_previous_row(tail: Table, row: int) -> bool:
    """A row cut by the page break: no number in the first column, text (not values) in the others."""
    if row >= tail.n_rows:
        return False
    texts = tail.text_grid()[row]
    if texts[0].strip() or not any(t.strip() for t in texts[1:]):
        return False
    return not any(looks_like_unit(t) for t in texts[:3]) and not all(is_value(t) for t in texts[1:])


def _merge_into_last_row(cells: list[Cell], last_row: int, pieces: list[Cell]) -> None:
    """Append each piece's text to the cell of the last row in the same column."""
    by_col = {c.col: c for c in cells if c.row <= last_row < c.row + c.row_span}
    for piece in pieces:
        target = by_col.get(piece.col)
        if target is not None and piece.text:
            target.text = f"{target.text} {piece.text}".strip()


def looks_like_unit(text: str, province: str = "") -> bool:
    """A label naming an administrative unit or the table's total row.

    Unit names printed without "Huyện"/"Thị xã" ("Chư Pưh") are recognised through the gazetteer of
    the document's province.
    """
    text = clean(text)
    if not text or parse_number(text) is not None or is_dash(text) or "/" in text:
        return False  # "Huyện/thị/thành phố", "Tỉnh/thành" are column titles, never a unit's name
    if _UNIT_PREFIX.match(text) or _TOTAL.match(text):
        return True
    if province and len(text) <= 40:
        return resolve_unit(text, province).resolved
    return False


def is_total_label(text: str) -> bool:
    return bool(_TOTAL.match(clean(text)))


def is_value(text: str) -> bool:
    """A cell an allocation table would hold: a number, a dash, or blank."""
    text = text.strip()
    return not text or is_dash(text) or parse_number(text) is not None


def classify_table(table: Table, province: str = "") -> TableKind:
    """Allocation, activity or other (the reason is logged)."""
    grid = table.text_grid()
    header_text = " ".join(" ".join(row) for row in grid[:3])
    where = f"p.{table.page}: table {table.index} ({table.n_rows}x{table.n_cols})"
    if _ACTIVITY_HEADER.search(header_text) and _TIME_HEADER.search(header_text):
        log.debug("%s is an activity table: its header names activities and a time", where)
        return TableKind.ACTIVITY
    orientation = allocation_orientation(table, province)
    if orientation:
        log.debug("%s is an allocation table: units in its %s, numbers beside them", where, orientation)
        return TableKind.ALLOCATION
    log.debug("%s is other: no activity header, no column of units with numbers", where)
    return TableKind.OTHER


def allocation_orientation(table: Table, province: str = "") -> str:
    """'rows' when units are rows and numbers fill the rest, 'columns' when units are the columns, else ''."""
    grid = table.text_grid()
    if _units_in_rows(grid, province):
        return "rows"
    if _units_in_rows([list(col) for col in zip(*grid)], province):
        return "columns"
    return ""


def _units_in_rows(grid: list[list[str]], province: str) -> bool:
    """Some column holds unit names and the rows naming units are mostly numbers to their right."""
    if len(grid) < 2 or len(grid[0]) < 2:
        return False
    for col in range(min(3, len(grid[0]) - 1)):
        unit_rows = [row for row in grid if looks_like_unit(row[col], province)]
        if len(unit_rows) < 2:
            continue
        # Column numbers ("(4)") and blank cells say nothing either way: judged on the other cells.
        values = [cell for row in unit_rows for cell in row[col + 1:] if cell.strip() and not _COLUMN_NO.match(cell)]
        if values and sum(1 for v in values if is_value(v)) >= 0.5 * len(values):
            return True
    return False


def transpose(table: Table) -> Table:
    """The same table with rows and columns swapped (for tables whose units are the columns)."""
    cells = [replace(c, row=c.col, col=c.row, row_span=c.col_span, col_span=c.row_span) for c in table.cells]
    return Table(
        cells=cells, n_rows=table.n_cols, n_cols=table.n_rows, page=table.page, pages=table.pages,
        index=table.index, caption=table.caption, appendix=table.appendix, kind=table.kind,
        detection=table.detection,
    )
