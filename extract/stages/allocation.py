"""Allocation tables → tidy target rows, and the checks a person would make on them.

Chain: table → (turned so units are rows) → header rows / data rows → one label per leaf column
(with its group path) → one Target per (unit row, indicator column). "-", "–" and blank are 0 with
the printed text kept; text that is not a number gives an empty value and a warning. Totals that do
not add up are reported (kind total_mismatch), never corrected.
"""

from __future__ import annotations

import logging
import re

from normalize.header_words import is_numbering, is_rate
from normalize.numbers import is_dash, parse_number, parse_period
from normalize.text import clean, fold

from ..kinds import Stage, TableKind, WarningKind
from ..model import Cell, Document, Table, Target
from ..provenance import cell_warning, display_box
from .appendix import allocation_orientation, is_total_label, is_value, looks_like_unit, transpose
from .headers import read_header

log = logging.getLogger(__name__)

_STT = re.compile(r"^(stt|tt|số tt|số thứ tự)$", re.IGNORECASE)
_TIMEFRAME = re.compile(r"thời gian|thời hạn|tiến độ", re.IGNORECASE)


def extract_targets(doc: Document) -> Document:
    """Targets from every allocation table of the document, plus their validation warnings."""
    for table in doc.tables:
        if table.kind != TableKind.ALLOCATION:
            continue
        province = doc.meta.province
        oriented = transpose(table) if allocation_orientation(table, province) == "columns" else table
        period = parse_period(table.caption) or (doc.meta.period_start, doc.meta.period_end)
        first_warning = len(doc.warnings)
        targets = table_to_targets(oriented, doc, period)
        validate_totals(targets, doc)  # on the turned table, where columns are indicators
        check_duplicate_units(targets, doc)
        if oriented is not table:
            for t in targets:  # report positions in the table as printed
                t.row_index, t.col_index = t.col_index, t.row_index
            for w in doc.warnings[first_warning:]:  # and the cell warnings' keys with them
                w.row_index, w.col_index = w.col_index, w.row_index
        doc.targets.extend(targets)
    return doc


def table_to_targets(table: Table, doc: Document, period: tuple[int | None, int | None]) -> list[Target]:
    layout = read_header(table, doc.meta.province)
    labels = {col: (c.label, c.group_path) for col, c in layout.columns.items()}
    slots = table.grid()
    timeframes: dict[int, str] = {}
    targets: list[Target] = []
    ocr_pages = {p.number: p for p in doc.pages if p.ocr}
    for row in range(layout.header_rows, table.n_rows):
        label_cell = slots[row][layout.label_col]
        label = label_cell.text if label_cell else ""
        if not label and _STT.match(_text(slots[row][0])):
            continue
        values = {col: slots[row][col] for col in labels}
        if not label and is_numbering([_text(c) for c in values.values()]):
            continue  # a column-number row ("1 2 3 ...") repeated inside the body
        if not looks_like_unit(label, doc.meta.province) and _is_note_row(label, values):
            _note_row(table, row, label, values, timeframes)
            continue
        if not label and all(not _text(c) for c in values.values()):
            continue  # an empty spacer row
        if is_total_label(label):
            log.debug("p.%s: table %d row %d (%r) is the total row", table.page, table.index, row, label[:60])
        for col, cell in values.items():
            raw = _text(cell)
            value = 0.0 if (not raw or is_dash(raw)) else parse_number(raw)
            page = (cell.page if cell else None) or (label_cell.page if label_cell else None) or table.page
            ocr_page = ocr_pages.get(page)
            target = Target(
                page=page,
                appendix=table.appendix,
                table_index=table.index,
                row_index=row,
                col_index=col,
                unit_name_raw=label,
                is_total=is_total_label(label),
                indicator_label_raw=labels[col][0],
                unit_raw=layout.columns[col].unit_raw,
                group_path=labels[col][1],
                value_raw=raw,
                value=value,
                ocr=ocr_page is not None,
                ocr_confidence=_ocr_confidence(cell, ocr_page),
                box=display_box(doc, page, cell.bbox if cell else None),
                detection=table.detection,
            )
            targets.append(target)
            if raw and value is None:
                cell_warning(
                    doc, Stage.TABLES, WarningKind.VALUE_NOT_NUMBER,
                    f"cell '{raw}' ({label} / {labels[col][0][:60]}) is not a number; value left empty", target,
                )
    for t in targets:
        t.timeframe = timeframes.get(t.col_index, "")
        t.period_start, t.period_end = period
    return targets


def _note_row(table: Table, row: int, label: str, values: dict[int, Cell | None], timeframes: dict[int, str]) -> None:
    """A row that annotates the columns: a "Thời gian hoàn thành" row gives each column its timeframe."""
    if _TIMEFRAME.search(label):
        log.debug("p.%s: table %d row %d (%r) gives the columns' timeframe", table.page, table.index, row, label[:60])
        for col, cell in values.items():
            if cell is not None and cell.text:
                timeframes[col] = cell.text
    else:
        log.debug("p.%s: table %d row %d (%r) is a note (mostly text, not a unit): skipped",
                  table.page, table.index, row, label[:60])


def _ocr_confidence(cell: Cell | None, ocr_page) -> float | None:
    """The cell's own OCR confidence, else its page's; None for text-layer cells."""
    if ocr_page is None:
        return None
    if cell is not None and cell.ocr_confidence is not None:
        return cell.ocr_confidence
    return ocr_page.ocr_confidence


def _text(cell: Cell | None) -> str:
    return cell.text if cell else ""


def _is_note_row(label: str, values: dict[int, Cell | None]) -> bool:
    """A row that annotates the columns ("Thời gian hoàn thành": 2022-2024 ...) rather than a unit."""
    texts = [_text(c) for c in values.values() if _text(c)]
    if not texts:
        return bool(label)
    return sum(1 for t in texts if not is_value(t)) >= 0.5 * len(texts)


def validate_totals(targets: list[Target], doc: Document) -> None:
    """Each column's total row against the sum of its unit rows (warning total_mismatch)."""
    by_col: dict[int, list[Target]] = {}
    for t in targets:
        by_col.setdefault(t.col_index, []).append(t)
    for _col, cells in sorted(by_col.items()):
        totals = [t for t in cells if t.is_total]
        if is_rate(cells[0].indicator_label_raw, cells[0].unit_raw):
            continue  # a rate (15% of members) is the same share in every row, not a sum
        units = [t for t in cells if not t.is_total]
        if len(totals) != 1 or not units or any(t.value is None for t in cells):
            continue
        expected = totals[0].value
        found = sum(t.value for t in units)  # type: ignore[misc]
        if abs(found - expected) > 1e-9:
            cell_warning(
                doc, Stage.VALIDATE, WarningKind.TOTAL_MISMATCH,
                f"table {totals[0].table_index} column '{totals[0].indicator_label_raw[:80]}': "
                f"total row says {_fmt(expected)}, the units sum to {_fmt(found)}",
                totals[0],
            )


def check_duplicate_units(targets: list[Target], doc: Document) -> None:
    seen: dict[str, int] = {}
    first_col = min((t.col_index for t in targets), default=0)
    for t in targets:
        if t.is_total or t.col_index != first_col:
            continue
        key = fold(t.unit_name_raw)
        first_row = seen.setdefault(key, t.row_index)
        if first_row != t.row_index:
            cell_warning(
                doc, Stage.VALIDATE, WarningKind.DUPLICATE_UNIT_ROW,
                f"unit '{clean(t.unit_name_raw)}' appears in rows {first_row} and {t.row_index}", t,
            )


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)
