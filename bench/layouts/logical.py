"""A plan's allocation table laid out as spanning cells, independent of the producer that draws it.

Units as rows (the samples' layout) or turned (indicators as rows, a "Tổng số" column, then one
column per unit). Header of 1-3 rows with merges, optional ĐVT row/column, column-number row, STT
column in several numberings, section rows, a "Ghi chú" column, total row top or bottom.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .spec import Plan

_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


@dataclass
class LCell:
    row: int
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1
    role: str = "body"  # header / body / section / total


@dataclass
class LTable:
    cells: list[LCell]
    n_rows: int
    n_cols: int
    header_rows: int  # rows repeated on a continuation page

    def rows(self) -> list[list[LCell]]:
        out: list[list[LCell]] = [[] for _ in range(self.n_rows)]
        for c in self.cells:
            out[c.row].append(c)
        return out


def _stt(style: str, i: int) -> str:
    return {"arabic": str(i + 1), "zero": f"{i + 1:02d}", "roman": _ROMAN[i % 15],
            "letter": "abcdefghijklmnop"[i % 16], "none": ""}[style]


def _colnum(style: str, n: int) -> list[str]:
    if style == "paren":
        return [f"({i + 1})" for i in range(n)]
    if style == "letters":
        return ["A", "B"] + [str(i + 1) for i in range(n - 2)]
    return [str(i + 1) for i in range(n)]


def build_table(plan: Plan, rng: random.Random) -> LTable:
    table = _turned(plan, rng) if plan.features["orientation"] == "turned" else _by_rows(plan, rng)
    _fill_empty(table)
    return table


def _fill_empty(table: LTable) -> None:
    """Every slot not covered by a cell gets an empty cell, as a word processor draws one."""
    covered = {(r, c) for x in table.cells for r in range(x.row, x.row + x.row_span)
               for c in range(x.col, x.col + x.col_span)}
    roles = {x.row: x.role for x in table.cells if x.col_span == 1}
    for r in range(table.n_rows):
        for c in range(table.n_cols):
            if (r, c) not in covered:
                table.cells.append(LCell(r, c, "", role=roles.get(r, "body")))
    table.cells.sort(key=lambda x: (x.row, x.col))


def _label(plan: Plan, i: int) -> str:
    ind = plan.indicators[i]
    return f"{ind.label} ({ind.unit})" if plan.features["dvt"] == "brackets" else ind.label


def _by_rows(plan: Plan, rng: random.Random) -> LTable:
    f = plan.features
    stt = f["stt"] != "none"
    lead = ["STT"] if stt else []
    lead.append(rng.choice(["Đơn vị", "Huyện, thành phố", "Đơn vị thực hiện", "Tên đơn vị"]) if f["era"] == "districts"
                else rng.choice(["Xã, phường", "Đơn vị"]))
    n_ind = len(plan.indicators)
    n_cols = len(lead) + n_ind + (1 if f["note_col"] == "yes" else 0)
    first = len(lead)
    cells: list[LCell] = []
    depth = int(f["header"])
    extra = 1 if f["dvt"] == "row" else 0
    head_rows = depth + extra
    for c, text in enumerate(lead):
        cells.append(LCell(0, c, text, row_span=head_rows, role="header"))
    if f["note_col"] == "yes":
        cells.append(LCell(0, n_cols - 1, "Ghi chú", row_span=head_rows, role="header"))
    row = 0
    if depth >= 3:
        cells.append(LCell(0, first, "Chỉ tiêu phân bổ giai đoạn 2022-2025", col_span=n_ind, role="header"))
        row = 1
    if depth >= 2:
        half = max(1, n_ind // 2)
        groups = [(0, half, "Nội dung 1"), (half, n_ind - half, "Nội dung 2")] if depth == 3 and n_ind > 1 \
            else [(0, n_ind, "Chỉ tiêu cần đạt")]
        for start, span, text in groups:
            if span:
                cells.append(LCell(row, first + start, text, col_span=span, role="header"))
        row += 1
    for i in range(n_ind):
        cells.append(LCell(row, first + i, _label(plan, i), role="header"))
    row += 1
    if extra:
        for i, ind in enumerate(plan.indicators):
            cells.append(LCell(row, first + i, ind.unit, role="header"))
        row += 1
    if f["colnum"] != "none":
        for c, text in enumerate(_colnum(f["colnum"], n_cols)):
            cells.append(LCell(row, c, f"({c + 1})" if f["colnum"] == "paren" else text, role="header"))
        row += 1
    header_rows = row
    total_label = rng.choice(["Tổng cộng", "Tổng số", "Toàn tỉnh", "Tổng"])
    body: list[tuple[str, list[str], str]] = []  # (label, values, role)
    if f["total"] == "top":
        body.append((total_label, plan.totals, "total"))
    section_at = dict(plan.sections)
    n_section = 0
    for u, (name, _) in enumerate(plan.units):
        if u in section_at:
            body.append((section_at[u], [], "section"))
        body.append((name, plan.values[u], "body"))
    if f["total"] == "bottom":
        body.append((total_label, plan.totals, "total"))
    unit_no = 0
    for label, values, role in body:
        if stt:
            if role == "section":
                number = _ROMAN[n_section]
                n_section += 1
            elif role == "total":
                number = ""
            else:
                number = _stt("arabic" if plan.sections and f["stt"] == "roman" else f["stt"], unit_no)
                unit_no += 1
            cells.append(LCell(row, 0, number, role=role))
        span = n_cols - first + 1 if role == "section" and plan.seed % 2 else 1
        cells.append(LCell(row, first - 1, label, col_span=span, role=role))
        for i, v in enumerate(values):
            cells.append(LCell(row, first + i, v, role=role))
        row += 1
    return LTable(cells, row, n_cols, header_rows)


def _turned(plan: Plan, rng: random.Random) -> LTable:
    """Indicators as rows: STT | Chỉ tiêu | [ĐVT] | Tổng số | unit 1 … unit n | [Ghi chú]."""
    f = plan.features
    stt = f["stt"] != "none"
    lead = (["STT"] if stt else []) + ["Nội dung chỉ tiêu"] + (["ĐVT"] if f["dvt"] == "column" else [])
    has_total = f["total"] != "none"
    n_units = len(plan.units)
    first_unit = len(lead) + (1 if has_total else 0)
    n_cols = first_unit + n_units + (1 if f["note_col"] == "yes" else 0)
    two_rows = f["header"] != "1"
    head = 2 if two_rows else 1
    cells: list[LCell] = [LCell(0, c, t, row_span=head, role="header") for c, t in enumerate(lead)]
    if has_total:
        cells.append(LCell(0, len(lead), rng.choice(["Tổng số", "Tổng cộng", "Toàn tỉnh"]), row_span=head,
                           role="header"))
    if f["note_col"] == "yes":
        cells.append(LCell(0, n_cols - 1, "Ghi chú", row_span=head, role="header"))
    if two_rows:
        cells.append(LCell(0, first_unit, "Phân bổ cho các đơn vị", col_span=n_units, role="header"))
    for u, (name, _) in enumerate(plan.units):
        cells.append(LCell(head - 1, first_unit + u, name, role="header"))
    row = head
    if f["colnum"] != "none":
        for c, text in enumerate(_colnum(f["colnum"], n_cols)):
            cells.append(LCell(row, c, f"({c + 1})" if f["colnum"] == "paren" else text, role="header"))
        row += 1
    header_rows = row
    n_ind = len(plan.indicators)
    sections = [(0, "Nội dung 1: Thành lập và duy trì các mô hình"),
                (max(1, n_ind // 2), "Nội dung 2: Nâng cao năng lực")] if f["sections"] == "yes" and n_ind > 1 else []
    at = dict(sections)
    n_section = 0
    label_col = len(lead) - (2 if f["dvt"] == "column" else 1)
    for i, ind in enumerate(plan.indicators):
        if i in at:
            number = _ROMAN[n_section]
            n_section += 1
            text = at[i] if stt else f"{number}. {at[i]}"
            if stt:
                cells.append(LCell(row, 0, number, role="section"))
            cells.append(LCell(row, label_col, text, role="section"))
            row += 1
        if stt:
            cells.append(LCell(row, 0, _stt("arabic" if sections and f["stt"] == "roman" else f["stt"], i)))
        cells.append(LCell(row, label_col, _label(plan, i)))
        if f["dvt"] == "column":
            cells.append(LCell(row, label_col + 1, ind.unit))
        if has_total:
            cells.append(LCell(row, len(lead), plan.totals[i]))
        for u in range(n_units):
            cells.append(LCell(row, first_unit + u, plan.values[u][i]))
        row += 1
    return LTable(cells, row, n_cols, header_rows)
