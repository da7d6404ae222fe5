"""Allocation tables → tidy target rows, and the checks a person would make on them.

Chain: table → (turned so units are rows) → header rows / data rows → one label per leaf column
(with its group path) → one Target per (unit row, indicator column). "-", "–" and blank are 0 with
the printed text kept; text that is not a number gives an empty value and a warning. Totals that do
not add up are reported (kind total_mismatch), never corrected.
"""

from __future__ import annotations

import re

from normalize.numbers import is_dash, parse_number, parse_period
from normalize.text import clean, fold

from .appendix import allocation_orientation, is_total_label, is_value, looks_like_unit, transpose
from .headers import is_numbering, is_rate, read_header
from .model import Cell, Document, Table, Target

_STT = re.compile(r"^(stt|tt|số tt|số thứ tự)$", re.IGNORECASE)
_TIMEFRAME = re.compile(r"thời gian|thời hạn|tiến độ", re.IGNORECASE)


def extract_targets(doc: Document) -> Document:
    """Targets from every allocation table of the document, plus their validation warnings."""
    for table in doc.tables:
        if table.kind != "allocation":
            continue
        province = doc.meta.province
        oriented = transpose(table) if allocation_orientation(table, province) == "columns" else table
        period = parse_period(table.caption) or (doc.meta.period_start, doc.meta.period_end)
        targets = table_to_targets(oriented, doc, period)
        validate_totals(targets, doc)  # on the turned table, where columns are indicators
        check_duplicate_units(targets, doc)
        if oriented is not table:
            for t in targets:  # report positions in the table as printed
                t.row_index, t.col_index = t.col_index, t.row_index
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
            if _TIMEFRAME.search(label):
                for col, cell in values.items():
                    if cell is not None and cell.text:
                        timeframes[col] = cell.text
            continue
        if not label and all(not _text(c) for c in values.values()):
            continue  # an empty spacer row
        for col, cell in values.items():
            raw = _text(cell)
            value = 0.0 if (not raw or is_dash(raw)) else parse_number(raw)
            if raw and value is None:
                doc.warn(
                    "tables", "value_not_number",
                    f"cell '{raw}' ({label} / {labels[col][0][:60]}) is not a number; value left empty",
                    cell.page if cell else None,
                )
            page = (cell.page if cell else None) or (label_cell.page if label_cell else None) or table.page
            ocr_page = ocr_pages.get(page)
            targets.append(
                Target(
                    page=page,
                    appendix=table.appendix,
                    table_index=table.index,
                    row_index=row,
                    col_index=col,
                    unit_name_raw=label,
                    is_total=is_total_label(label),
                    indicator_label_raw=labels[col][0],
                    unit_raw=layout.columns[col].unit_raw,
                    detection=table.detection,
                    group_path=labels[col][1],
                    value_raw=raw,
                    value=value,
                    ocr=ocr_page is not None,
                    ocr_confidence=_ocr_confidence(cell, ocr_page),
                )
            )
    for t in targets:
        t.timeframe = timeframes.get(t.col_index, "")
        t.period_start, t.period_end = period
    return targets


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
            doc.warn(
                "validate", "total_mismatch",
                f"table {totals[0].table_index} column '{totals[0].indicator_label_raw[:80]}': "
                f"total row says {_fmt(expected)}, the units sum to {_fmt(found)}",
                totals[0].page,
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
            doc.warn(
                "validate", "duplicate_unit_row",
                f"unit '{clean(t.unit_name_raw)}' appears in rows {first_row} and {t.row_index}", t.page,
            )


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)
