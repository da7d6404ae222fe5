"""Table grids rebuilt from ruling lines and words: segments → regions → grid → cells → Table.

Plans exported from Word draw every cell border as a thin line, so a table's structure is fully
described by its ruling lines: the distinct x of the vertical rules and y of the horizontal rules
give the finest grid, and a missing border between two neighbouring slots means they are one
merged cell. Words are then dropped into the cell that holds their centre. The same chain serves
scanned pages, whose rules come from the page image instead of the PDF's drawings.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from normalize.text import clean

from .kinds import Detection
from .model import BBox, Cell, Table
from .settings import TableSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Segment:
    """An axis-parallel ruling line: horizontal when y0 == y1, vertical when x0 == x1."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return abs(self.y1 - self.y0) <= abs(self.x1 - self.x0)


@dataclass(frozen=True)
class Word:
    text: str
    bbox: BBox
    line_key: tuple[int, int] = (0, 0)  # (block, line) from the text layer, keeps reading order


def drawings_to_segments(drawings: list[dict], max_thickness: float = 3.0) -> list[Segment]:
    """PyMuPDF `page.get_drawings()` → axis-parallel segments (lines, and thin or outlined rectangles)."""
    segments: list[Segment] = []
    for path in drawings:
        for item in path.get("items", ()):
            op = item[0]
            if op == "l":
                p, q = item[1], item[2]
                if abs(p.y - q.y) < 1.0 or abs(p.x - q.x) < 1.0:
                    segments.append(_segment(p.x, p.y, q.x, q.y))
            elif op == "re":
                segments.extend(_rect_edges(item[1], max_thickness))
            elif op == "qu":
                segments.extend(_rect_edges(item[1].rect, max_thickness))
    return [s for s in segments if max(abs(s.x1 - s.x0), abs(s.y1 - s.y0)) > 1.0]


def _segment(x0: float, y0: float, x1: float, y1: float) -> Segment:
    if abs(y1 - y0) <= abs(x1 - x0):
        y = (y0 + y1) / 2
        return Segment(min(x0, x1), y, max(x0, x1), y)
    x = (x0 + x1) / 2
    return Segment(x, min(y0, y1), x, max(y0, y1))


def _rect_edges(rect, max_thickness: float) -> list[Segment]:
    x0, y0, x1, y1 = rect.x0, rect.y0, rect.x1, rect.y1
    if y1 - y0 <= max_thickness:  # a filled bar drawn as a rectangle = a horizontal rule
        return [_segment(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2)]
    if x1 - x0 <= max_thickness:
        return [_segment((x0 + x1) / 2, y0, (x0 + x1) / 2, y1)]
    return [
        Segment(x0, y0, x1, y0), Segment(x0, y1, x1, y1), Segment(x0, y0, x0, y1), Segment(x1, y0, x1, y1),
    ]


class _UnionFind:
    """Disjoint sets over 0..n-1 (segments that touch; grid slots with no rule between them)."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def segments_to_regions(segments: list[Segment], settings: TableSettings) -> list[list[Segment]]:
    """Group segments that touch each other: each group is one table's rules."""
    groups_of = _UnionFind(len(segments))
    tol = settings.join
    order = sorted(range(len(segments)), key=lambda i: segments[i].y0)
    for a_pos, a in enumerate(order):
        sa = segments[a]
        for b in order[a_pos + 1:]:
            sb = segments[b]
            if sb.y0 > sa.y1 + tol:
                break
            if sb.x0 <= sa.x1 + tol and sa.x0 <= sb.x1 + tol:
                groups_of.union(a, b)
    groups: dict[int, list[Segment]] = {}
    for i in range(len(segments)):
        groups.setdefault(groups_of.find(i), []).append(segments[i])
    return sorted(groups.values(), key=lambda g: (min(s.y0 for s in g), min(s.x0 for s in g)))


def _cluster(values: list[float], snap: float) -> list[float]:
    """Sorted distinct positions, values within `snap` of each other merged to their mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= snap:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(group) / len(group) for group in out]


def _covered(rules: list[tuple[float, float]], start: float, end: float, share: float) -> bool:
    """True when the intervals in `rules` cover at least `share` of [start, end]."""
    need = (end - start) * share
    total = 0.0
    for a, b in rules:
        lo, hi = max(a, start), min(b, end)
        if hi > lo:
            total += hi - lo
    return total >= need


@dataclass
class Grid:
    xs: list[float]
    ys: list[float]
    cells: list[Cell]


def region_to_grid(region: list[Segment], settings: TableSettings) -> Grid | None:
    """Rules of one table → the finest grid and its merged cells (text still empty)."""
    h_rules = [s for s in region if s.horizontal]
    v_rules = [s for s in region if not s.horizontal]
    if len(h_rules) < 2 or len(v_rules) < 2:
        return None
    ys = _cluster([s.y0 for s in h_rules], settings.snap)
    xs = _cluster([s.x0 for s in v_rules], settings.snap)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows < settings.min_rows - 1 or n_cols < settings.min_cols:
        return None

    def rules_at(rules: list[Segment], pos: float, vertical: bool) -> list[tuple[float, float]]:
        if vertical:
            return [(s.y0, s.y1) for s in rules if abs(s.x0 - pos) <= settings.snap]
        return [(s.x0, s.x1) for s in rules if abs(s.y0 - pos) <= settings.snap]

    v_at = [rules_at(v_rules, x, True) for x in xs]
    h_at = [rules_at(h_rules, y, False) for y in ys]

    # Union slots that have no rule between them.
    merged = _UnionFind(n_rows * n_cols)
    share = settings.border_cover
    for r in range(n_rows):
        for c in range(n_cols):
            here = r * n_cols + c
            if c + 1 < n_cols and not _covered(v_at[c + 1], ys[r], ys[r + 1], share):
                merged.union(here, here + 1)
            if r + 1 < n_rows and not _covered(h_at[r + 1], xs[c], xs[c + 1], share):
                merged.union(here, here + n_cols)

    spans: dict[int, list[int]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            root = merged.find(r * n_cols + c)
            box = spans.setdefault(root, [r, c, r, c])
            box[0], box[1] = min(box[0], r), min(box[1], c)
            box[2], box[3] = max(box[2], r), max(box[3], c)
    cells = [
        Cell(
            row=r0, col=c0, row_span=r1 - r0 + 1, col_span=c1 - c0 + 1,
            bbox=(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]),
        )
        for r0, c0, r1, c1 in sorted(spans.values())
    ]
    return Grid(xs, ys, cells)


def fill_cells(grid: Grid, words: list[Word]) -> list[Word]:
    """Put each word into the cell holding its centre; returns the words that fell outside the grid."""
    x_min, x_max, y_min, y_max = grid.xs[0], grid.xs[-1], grid.ys[0], grid.ys[-1]
    slot_owner: dict[tuple[int, int], Cell] = {}
    for cell in grid.cells:
        for r in range(cell.row, cell.row + cell.row_span):
            for c in range(cell.col, cell.col + cell.col_span):
                slot_owner[(r, c)] = cell
    contents: dict[int, list[Word]] = {}
    outside: list[Word] = []
    for word in words:
        cx = (word.bbox[0] + word.bbox[2]) / 2
        cy = (word.bbox[1] + word.bbox[3]) / 2
        if not (x_min <= cx <= x_max and y_min <= cy <= y_max):
            outside.append(word)
            continue
        r = _slot_index(grid.ys, cy)
        c = _slot_index(grid.xs, cx)
        owner = slot_owner[(r, c)]
        contents.setdefault(id(owner), []).append(word)
    for cell in grid.cells:
        cell.text = words_to_text(contents.get(id(cell), []))
    return outside


def _slot_index(edges: list[float], pos: float) -> int:
    for i in range(len(edges) - 1):
        if pos < edges[i + 1]:
            return i
    return len(edges) - 2


def words_to_text(words: list[Word]) -> str:
    """Words of one cell in reading order: by text-layer line, then left to right; lines joined by spaces."""
    if not words:
        return ""
    lines: dict[tuple[int, int], list[Word]] = {}
    for w in words:
        lines.setdefault(w.line_key, []).append(w)
    ordered = sorted(lines.values(), key=lambda ws: (min(w.bbox[1] for w in ws), min(w.bbox[0] for w in ws)))
    text = " ".join(" ".join(w.text for w in sorted(ws, key=lambda w: w.bbox[0])) for ws in ordered)
    return clean(text)


def page_tables(
    segments: list[Segment], words: list[Word], page: int, settings: TableSettings | None = None,
    detection: str = Detection.RULED,
) -> list[Table]:
    """All ruled tables of one page, with their cells' text."""
    settings = settings or TableSettings()
    tables: list[Table] = []
    for region in segments_to_regions(segments, settings):
        grid = region_to_grid(region, settings)
        if grid is None:
            log.debug("p.%d: %d ruling lines do not make a grid of %dx%d or more: not a table",
                      page, len(region), settings.min_rows, settings.min_cols)
            continue
        log.debug("p.%d: ruled table of %dx%d slots, %d cells (merged ones counted once)",
                  page, len(grid.ys) - 1, len(grid.xs) - 1, len(grid.cells))
        fill_cells(grid, words)
        for cell in grid.cells:
            cell.page = page
        tables.append(
            Table(
                cells=grid.cells, n_rows=len(grid.ys) - 1, n_cols=len(grid.xs) - 1, page=page, pages=[page],
                detection=detection,
            )
        )
    return tables


def table_bbox(table: Table) -> BBox | None:
    boxes = [c.bbox for c in table.cells if c.bbox]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
