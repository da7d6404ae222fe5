"""Header understanding for allocation tables (units as rows), judged from what the cells hold.

Tables from different producers put different rows between the indicator names and the data: a
unit-of-measure row ("ĐVT": tổ, cuộc, %), a column-number row ("(1) (2) (3)", "A B 1 2"), numbering
rows (a turned table's STT column). None of them is a label: taking the last header row as the label
made "(3)" or "%" the indicator, and matched real indicators by accident. So header rows are told
apart by content, not by one pattern:

- the body starts at the first row whose label names a unit (or the total) and whose other cells are
  values, unless that row is a numbering row or its label cell spans rows (a merged header title such
  as "Huyện, thành phố" names no unit even though it reads like one);
- a header row of bare units of measure gives each column its `unit_raw`; a numbering row is dropped;
- columns that never carry a target: "Ghi chú" / free text, numbering columns, section columns (a
  turned table's "I. Nội dung 1: ..." rows, whose text becomes the group of the columns after them);
- a column is a rate when its unit is % or its label says "Tỷ lệ": rates are not summed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from normalize.header_words import (
    NOTE_HEADER,
    NUMBERING,
    UOM_HEADER,
    is_numbering,
    is_rate,
    is_section_label,
    is_unit_row,
)
from normalize.text import clean, fold

from ..model import Cell, Table
from .appendix import is_value, looks_like_unit

log = logging.getLogger(__name__)

GROUP_SEPARATOR = " › "


@dataclass
class Column:
    """One indicator column: its printed label, the header groups above it, its printed unit."""

    label: str
    group_path: str = ""
    unit_raw: str = ""
    rate: bool = False


@dataclass
class HeaderLayout:
    header_rows: int
    label_col: int
    columns: dict[int, Column] = field(default_factory=dict)


def find_label_col(grid: list[list[str]], n_cols: int, province: str) -> int:
    label_col, best = 0, -1
    for col in range(min(3, n_cols - 1)):
        score = sum(1 for row in grid if looks_like_unit(row[col], province))
        if score > best:
            label_col, best = col, score
    return label_col


def _numbering_cols(grid: list[list[str]], n_cols: int) -> set[int]:
    """Columns holding only numbering tokens top to bottom: a column-number row of a turned table."""
    return {c for c in range(n_cols) if is_numbering([row[c] for row in grid]) and
            sum(1 for row in grid if clean(row[c])) >= 3}


def _is_body_row(texts: list[str], cell: Cell | None, row: int, label_col: int, province: str) -> bool:
    if cell is None or cell.row != row or cell.row_span > 1:
        return False  # a merged header title, or the lower part of one
    values = texts[label_col + 1:]
    if is_numbering(texts) or is_unit_row(values, cell.text):
        return False
    mostly_values = sum(1 for v in values if is_value(v)) >= 0.5 * len(values) if values else False
    return looks_like_unit(cell.text, province) and mostly_values


def read_header(table: Table, province: str = "") -> HeaderLayout:
    """Header rows, the unit-label column and the indicator columns of an allocation table."""
    grid = table.text_grid()
    slots = table.grid()
    label_col = find_label_col(grid, table.n_cols, province)
    numbering = _numbering_cols(grid, table.n_cols)
    kept = [[t for c, t in enumerate(row) if c not in numbering or c <= label_col] for row in grid]
    header_rows = next((r for r in range(table.header_rows, table.n_rows)
                        if _is_body_row(kept[r], slots[r][label_col], r, label_col, province)), table.n_rows)
    while header_rows > 0 and _is_section_row(grid[header_rows - 1]):
        header_rows -= 1  # "I | Vùng I" just above the first unit belongs to the body, not the header
    log.debug("p.%s: table %d: rows 0-%d are header (%d known to the reader), units named in column %d",
              table.page, table.index, header_rows - 1, table.header_rows, label_col)
    layout = HeaderLayout(header_rows=header_rows, label_col=label_col)
    label_rows = []
    units: dict[int, str] = {}
    for r in range(header_rows):
        values = kept[r][label_col + 1:]
        if is_numbering(values) or is_numbering(kept[r]):
            continue
        if is_unit_row(values, grid[r][label_col]) or is_unit_row(values, grid[r][0]):
            units.update({c: clean(t) for c, t in enumerate(grid[r]) if c > label_col and clean(t)})
            continue
        label_rows.append(r)
    sections: list[str] = []
    for col in range(label_col + 1, table.n_cols):
        texts = _header_texts(slots, label_rows, col)
        body = [grid[r][col] for r in range(header_rows, table.n_rows)]
        if col in numbering or _skipped_column(texts, body, sections):
            continue
        label = texts[-1] if texts else ""
        unit_raw = units.get(col, "")
        group = GROUP_SEPARATOR.join(texts[:-1] + sections[-1:])
        layout.columns[col] = Column(label, group, unit_raw, is_rate(label, unit_raw))
    return layout


def _is_section_row(texts: list[str]) -> bool:
    """A row holding only a section title (maybe after its roman or letter number)."""
    filled = [clean(t) for t in texts if clean(t)]
    if len(filled) == 2 and NUMBERING.match(fold(filled[0])):
        filled = filled[1:]
    return len(filled) == 1 and is_section_label(filled[0])


def _header_texts(slots: list[list[Cell | None]], rows: list[int], col: int) -> list[str]:
    seen: list[Cell] = []
    for r in rows:
        cell = slots[r][col]
        if cell is not None and cell.text and cell not in seen:
            seen.append(cell)
    return [c.text for c in seen]


def _skipped_column(texts: list[str], body: list[str], sections: list[str]) -> bool:
    """Columns that never carry targets; a section column's text is kept as the group of the next ones."""
    head = fold(clean(texts[-1])) if texts else ""
    filled = [t for t in body if clean(t)]
    if NOTE_HEADER.match(head) or UOM_HEADER.match(head):
        return True
    if filled and (is_numbering(filled + texts[-1:]) and not any(is_value(t) and not NUMBERING.match(
            fold(clean(t))) for t in filled)):
        return True  # a numbering column (a turned table's STT) or the column-number row turned
    if not filled and texts and is_section_label(texts[-1]):
        sections.append(clean(texts[-1]))
        return True
    if filled and not any(is_value(t) for t in filled):
        return True  # only free text (notes, responsible bodies): no number to read under an indicator
    return False
