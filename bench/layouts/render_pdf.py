"""PDF producer (PyMuPDF, DejaVu Sans): the plan page, then the appendix table drawn in one of the
rule styles (full grid, horizontal rules only, vertical rules only, shaded rows, no lines), possibly
split over pages (with or without a repeated header), on portrait, landscape or /Rotate 90 pages."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pymupdf

from .logical import LCell, LTable, build_table
from .prose import prose
from .spec import Plan

FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SIZE = 7.5
LEADING = 9.5
PAD = 3.0
_font = pymupdf.Font(fontfile=FONT_FILE)


@lru_cache(maxsize=4096)
def _char_width(ch: str) -> float:
    return _font.text_length(ch, 1.0)


def _length(text: str, size: float) -> float:
    return sum(_char_width(ch) for ch in text) * size


_writers: dict[int, pymupdf.TextWriter] = {}


def _writer(page: pymupdf.Page) -> pymupdf.TextWriter:
    """One TextWriter per page (inserting text span by span re-embeds the font: 100× slower)."""
    key = id(page)
    if key not in _writers:
        _writers[key] = pymupdf.TextWriter(page.rect)
    return _writers[key]


def _flush(page: pymupdf.Page) -> None:
    writer = _writers.pop(id(page), None)
    if writer is not None:
        writer.write_text(page)


@dataclass
class _Geometry:
    xs: list[float]  # column edges
    heights: list[float]  # row heights


def render_pdf(plan: Plan, path: Path) -> None:
    rng = random.Random(plan.seed * 7 + 1)
    table = build_table(plan, rng)
    text = prose(plan)
    landscape = plan.features["page"] != "portrait"
    width, height = (842.0, 595.0) if landscape else (595.0, 842.0)
    out = pymupdf.open()
    page = out.new_page(width=595, height=842)
    _write_front(page, plan, text)
    _flush(page)
    appendix = pymupdf.open()
    geometry = _geometry(plan, table, width - 80)
    pages = _paginate(table, geometry, height, plan.features["split"])
    for number, rows in enumerate(pages):
        p = appendix.new_page(width=width, height=height)
        y = 40.0
        if number == 0:
            for line in text.caption:
                _centered(p, line, width / 2, y, 10)
                y += 14
            y += 6
        _draw_rows(p, plan, table, geometry, rows, 40.0, y)
        _flush(p)
    if plan.features["page"] == "rotate90":
        for i in range(len(appendix)):  # stored portrait, turned by /Rotate: viewers show it landscape
            target = out.new_page(width=595, height=842)
            target.show_pdf_page(target.rect, appendix, i, rotate=-90)
            target.set_rotation(90)
    else:
        out.insert_pdf(appendix)
    out.set_metadata({"producer": "bench.layouts", "creator": "bench.layouts"})
    out.subset_fonts()
    out.save(str(path), garbage=1, deflate=True, no_new_id=True)


def _write_front(page: pymupdf.Page, plan: Plan, text) -> None:
    for i, line in enumerate(text.left):
        _centered(page, plan.text(line), 150, 50 + 14 * i, 10)
    for i, line in enumerate(text.right):
        _centered(page, plan.text(line), 420, 50 + 14 * i, 10)
    y = 130.0
    for line in text.body:
        for piece in _wrap(line, 480, 11):
            _writer(page).append((60, y), piece, font=_font, fontsize=11)
            y += 15
        y += 4


def _centered(page: pymupdf.Page, line: str, cx: float, y: float, size: float) -> None:
    w = _length(line, size)
    _writer(page).append((cx - w / 2, y), line, font=_font, fontsize=size)


def _wrap(text: str, width: float, size: float = SIZE) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and _length(trial, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    return lines + ([current] if current else [])


def _geometry(plan: Plan, table: LTable, total: float) -> _Geometry:
    """Column widths: text columns wide, number columns narrow; row heights from the wrapped text."""
    turned = plan.features["orientation"] == "turned"
    wide = {c.col for c in table.cells if c.role != "header" and c.text and not _numeric(c.text)}
    weights = []
    for col in range(table.n_cols):
        header = next((c.text for c in table.cells if c.col == col and c.row == 0), "")
        if header == "STT":
            weights.append(0.6)
        elif header in {"ĐVT", "Ghi chú"}:
            weights.append(1.0)
        elif col in wide:
            weights.append(4.0 if turned else 2.2)
        else:
            weights.append(1.6)
    unit = total / sum(weights)
    widths = [w * unit for w in weights]
    for c in table.cells:  # a word never runs past its column (a word processor widens the column)
        if c.col_span == 1 and c.text:
            longest = max(_length(word, SIZE) for word in c.text.split()) + 2 * PAD + 2
            widths[c.col] = max(widths[c.col], longest)
    scale = total / sum(widths)
    if scale < 1:  # keep the table on the page: shrink the wide columns, never below their longest word
        floors = [max(_length(word, SIZE) for c in table.cells if c.col == col and c.col_span == 1
                      for word in c.text.split() or [""]) + 2 * PAD + 2 for col in range(table.n_cols)]
        extra = sum(w - f for w, f in zip(widths, floors))
        cut = sum(widths) - total
        widths = [f + (w - f) * max(0.0, 1 - cut / extra) if extra > 0 else w for w, f in zip(widths, floors)]
    xs = [40.0]
    for w in widths:
        xs.append(xs[-1] + w)
    heights = [LEADING + 2 * PAD] * table.n_rows
    for c in table.cells:
        if c.row_span == 1:
            lines = len(_wrap(c.text, xs[c.col + c.col_span] - xs[c.col] - 2 * PAD)) or 1
            heights[c.row] = max(heights[c.row], lines * LEADING + 2 * PAD)
    return _Geometry(xs, heights)


def _numeric(text: str) -> bool:
    return text.replace(".", "").replace(",", "").replace("%", "").strip().isdigit() or text in {"-", "–"}


def _paginate(table: LTable, geometry: _Geometry, page_height: float, split: str) -> list[list[int]]:
    """Rows of each page: split in the middle of the body when asked, and wherever the page is full."""
    head = list(range(table.header_rows))
    body = list(range(table.header_rows, table.n_rows))
    room = page_height - 140
    pages: list[list[int]] = [list(head)]
    used = sum(geometry.heights[r] for r in head)
    forced = table.header_rows + max(1, len(body) // 2) if split != "none" else -1
    for r in body:
        if used + geometry.heights[r] > room or r == forced:
            pages.append(list(head) if split == "repeat" else [])
            used = sum(geometry.heights[x] for x in pages[-1])
        pages[-1].append(r)
    return pages


def _draw_rows(page, plan: Plan, table: LTable, g: _Geometry, rows: list[int], x0: float, y0: float) -> None:
    tops: dict[int, float] = {}
    y = y0
    for r in rows:
        tops[r] = y
        y += g.heights[r]
    style = plan.features["rules"]
    shape = page.new_shape()
    for r in rows:  # shaded rows: header band and every other body row filled, no lines
        if style == "shaded" and (r < table.header_rows or r % 2 == 0):
            shape.draw_rect(pymupdf.Rect(g.xs[0], tops[r], g.xs[-1], tops[r] + g.heights[r]))
            shape.finish(fill=(0.85, 0.85, 0.85) if r < table.header_rows else (0.93, 0.93, 0.93), color=None)
    for c in table.cells:
        if c.row not in tops:
            continue
        last = max(r for r in range(c.row, c.row + c.row_span) if r in tops)
        rect = pymupdf.Rect(g.xs[c.col], tops[c.row], g.xs[c.col + c.col_span], tops[last] + g.heights[last])
        _rules(shape, rect, style)
        _cell_text(page, plan, c, rect)
    shape.commit()


def _rules(shape, rect: pymupdf.Rect, style: str) -> None:
    if style in {"grid", "horizontal"}:
        shape.draw_line(rect.tl, rect.tr)
        shape.draw_line(rect.bl, rect.br)
    if style in {"grid", "vertical"}:
        shape.draw_line(rect.tl, rect.bl)
        shape.draw_line(rect.tr, rect.br)
    if style in {"grid", "horizontal", "vertical"}:
        shape.finish(color=(0, 0, 0), width=0.5)


def _cell_text(page, plan: Plan, c: LCell, rect: pymupdf.Rect) -> None:
    lines = _wrap(c.text, rect.width - 2 * PAD)
    y = rect.y0 + (rect.height - len(lines) * LEADING) / 2 + LEADING - 2
    left = c.role in {"body", "section", "total"} and not _numeric(c.text) and c.col > 0
    for line in lines:
        w = _length(line, SIZE)
        x = rect.x0 + PAD if left else rect.x0 + (rect.width - w) / 2
        _writer(page).append((x, y), plan.text(line), font=_font, fontsize=SIZE)
        y += LEADING
