"""Tables without a full ruled grid, rebuilt from how the words line up (PDF text layer).

A table drawn with horizontal rules only, vertical rules only, shaded row bands or no lines at all
gives the grid builder (extract.tables) nothing to work with, and its numbers used to vanish without
a word. The idea is the one of Tabula/Nurminen and Camelot's "stream" mode, kept small:

1. words → visual lines (same baseline) → chunks (runs of words with no wide gap);
2. anchor lines hold two or more value chunks (numbers, dashes); anchors close to each other make a
   table body, and the x-extents of their chunks, merged, give the columns;
3. lines with no values (a wrapped label, a section title) join the anchor next to them when the gap is
   smaller than a line, else they are rows of their own;
4. above the body, lines of the same (small) size and no caption wording make the header: lines whose
   chunks are all bare tokens (units of measure, column numbers) are rows of their own, chunks that
   cover several columns are group cells, and each column's remaining text blocks stack top to bottom.

The result is an ordinary `Table`; `detection` says how it was found ("aligned_text", or
"partial_rules" when some rules were drawn). Ruled grids are found first and always win.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from normalize.header_words import is_section_label, is_unit_row
from normalize.numbers import is_dash, parse_number
from normalize.text import clean, fold

from ..kinds import Detection
from ..model import BBox, Cell, Table
from ..tables import Segment, Word, words_to_text

_CAPTION = re.compile(r"^\(?\s*(phụ lục|kèm theo|ban hành kèm|biểu|bảng)\b", re.IGNORECASE)
_TOKEN = re.compile(r"^\(?(\d{1,3}|[ivxlc]{1,6}|[a-z])[.)]?\)?$")
_PAGE_NUMBER = re.compile(r"^\d{1,4}$")
MAX_HEADER_LINES = 40  # a long label wraps over many lines; captions and gaps stop the header first


@dataclass
class Chunk:
    words: list[Word]

    @property
    def x0(self) -> float:
        return min(w.bbox[0] for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.bbox[2] for w in self.words)

    @property
    def text(self) -> str:
        return clean(" ".join(w.text for w in self.words))

    @property
    def is_value(self) -> bool:
        text = self.text
        return bool(text) and (is_dash(text) or parse_number(text) is not None)


@dataclass
class TextLine:
    words: list[Word]
    chunks: list[Chunk] = field(default_factory=list)

    @property
    def y0(self) -> float:
        return min(w.bbox[1] for w in self.words)

    @property
    def y1(self) -> float:
        return max(w.bbox[3] for w in self.words)

    @property
    def height(self) -> float:
        return statistics.median(w.bbox[3] - w.bbox[1] for w in self.words)

    @property
    def anchor(self) -> bool:
        """A line with two or more values that is not a column-number row ("1 2 3 4")."""
        return sum(1 for c in self.chunks if c.is_value) >= 2 and not _is_token_line(self)


def text_lines(words: list[Word]) -> list[TextLine]:
    """Words on one baseline (centres within a third of a word's height) make a line, split into chunks."""
    lines: list[TextLine] = []
    for word in sorted(words, key=lambda w: ((w.bbox[1] + w.bbox[3]) / 2, w.bbox[0])):
        cy = (word.bbox[1] + word.bbox[3]) / 2
        h = word.bbox[3] - word.bbox[1]
        if lines:
            last = lines[-1]
            if abs((last.y0 + last.y1) / 2 - cy) <= 0.3 * max(h, last.height):
                last.words.append(word)
                continue
        lines.append(TextLine([word]))
    for line in lines:
        line.chunks = _chunks(line.words)
    return lines


def _chunks(words: list[Word]) -> list[Chunk]:
    ordered = sorted(words, key=lambda w: w.bbox[0])
    out: list[Chunk] = []
    for w in ordered:
        gap_limit = 0.5 * (w.bbox[3] - w.bbox[1])
        if out and w.bbox[0] - out[-1].x1 <= gap_limit:
            out[-1].words.append(w)
        else:
            out.append(Chunk([w]))
    return out


def _gap(a: TextLine, b: TextLine) -> float:
    return b.y0 - a.y1


def _body_spans(lines: list[TextLine]) -> list[tuple[int, int]]:
    """(first, last) line index of each run of anchors close enough to be one table body."""
    anchors = [i for i, ln in enumerate(lines) if ln.anchor]
    spans: list[tuple[int, int]] = []
    for i in anchors:
        if spans:
            first, last = spans[-1]
            between = lines[last + 1:i]
            h = lines[i].height
            close = lines[i].y0 - lines[last].y1 <= 8 * h or all(  # rows of long wrapped labels
                ln.height <= 1.2 * h and _gap(a, ln) <= 3 * h for a, ln in zip(lines[last:i], between + [lines[i]]))
            if close and not any(_CAPTION.match(ln.chunks[0].text) for ln in between):
                spans[-1] = (first, i)
                continue
        spans.append((i, i))
    return spans


def _columns(lines: list[TextLine]) -> list[tuple[float, float]]:
    """Column extents: the union of the body chunks' x-extents, overlapping ones merged."""
    return _merge_spans([(c.x0, c.x1) for ln in lines for c in ln.chunks])


def _merge_spans(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    spans = sorted(spans)
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 <= merged[-1][1] + 1.0:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(a, b) for a, b in merged]


def _edges(columns: list[tuple[float, float]]) -> list[float]:
    inner = [(columns[i][1] + columns[i + 1][0]) / 2 for i in range(len(columns) - 1)]
    return [columns[0][0] - 2.0, *inner, columns[-1][1] + 2.0]


def _covered(edges: list[float], x0: float, x1: float) -> list[int]:
    """Columns a chunk really covers: overlap over a quarter of the chunk or of the column."""
    out = []
    for i in range(len(edges) - 1):
        overlap = min(x1, edges[i + 1]) - max(x0, edges[i])
        if overlap > 0 and (overlap >= 0.25 * (x1 - x0) or overlap >= 0.3 * (edges[i + 1] - edges[i])):
            out.append(i)
    if not out:  # a chunk in no column's range (in a gap, or past the edge): the nearest column
        centre = (x0 + x1) / 2
        out = [min(range(len(edges) - 1), key=lambda i: abs((edges[i] + edges[i + 1]) / 2 - centre))]
    return out


def _is_aligned(lines: list[TextLine], edges: list[float]) -> bool:
    """Anchor lines must put each chunk in a column of its own: prose with numbers does not."""
    anchors = [ln for ln in lines if ln.anchor]
    clashes = 0
    for ln in anchors:
        cols = [_covered(edges, c.x0, c.x1)[0] for c in ln.chunks]
        clashes += len(cols) != len(set(cols))
    return len(edges) - 1 >= 3 and clashes <= 0.2 * len(anchors)


def _body_rows(lines: list[TextLine]) -> list[list[TextLine]]:
    """Lines → rows: a line without values joins the row next to it when the gap is under half a line."""
    rows: list[list[TextLine]] = []
    for ln in lines:
        if rows:
            prev = rows[-1]
            tight = _gap(prev[-1], ln) < 0.5 * ln.height
            if tight and not (ln.anchor and any(x.anchor for x in prev)):
                prev.append(ln)
                continue
        rows.append([ln])
    return rows


def _header_lines(lines: list[TextLine], first: int, edges: list[float], height: float) -> list[TextLine]:
    """Lines just above the body that belong to the table: same size, no caption, within its width
    (give or take a column: a header label is wider than the numbers under it)."""
    x0, x1 = edges[0], edges[-1]
    slack = max(height, 2 * (x1 - x0) / (len(edges) - 1))
    out: list[TextLine] = []
    below = lines[first]
    for ln in reversed(lines[:first]):
        if len(out) >= MAX_HEADER_LINES or _gap(ln, below) > 3 * height or ln.height > 1.2 * height:
            break
        if _CAPTION.match(ln.chunks[0].text) or any(c.x1 - c.x0 > 0.6 * (x1 - x0) for c in ln.chunks):
            break
        if min(c.x0 for c in ln.chunks) < x0 - slack or max(c.x1 for c in ln.chunks) > x1 + slack:
            break
        out.append(ln)
        below = ln
    return list(reversed(out))


def _body_top(lines: list[TextLine], first: int) -> int:
    """The body starts above its first anchor when the lines there are the wrapped label of the first row
    or a section title ("I. Nội dung 1: ...", "Vùng I", maybe wrapped) standing before the first unit."""
    while first > 0:
        top = first - 1  # the block of tightly spaced lines just above
        while top > 0 and _gap(lines[top - 1], lines[top]) < 0.5 * lines[top].height:
            top -= 1
        block = lines[top:first]
        if any(_is_token_line(ln) for ln in block):
            break
        tight = _gap(block[-1], lines[first]) < 0.5 * lines[first].height
        row_like = _is_row_like(block[-1]) and _gap(block[-1], lines[first]) < 3 * lines[first].height
        if not (tight or row_like or (len(block) <= 4 and any(_is_section_line(ln) for ln in block))):
            break
        first = top
    return first


def _body_bottom(lines: list[TextLine], last: int) -> int:
    """The last row's label may wrap below its numbers (tightly spaced lines after the last anchor), and
    unit rows with a single value (the others blank) follow."""
    while last + 1 < len(lines) and not _is_token_line(lines[last + 1]):
        gap, height = _gap(lines[last], lines[last + 1]), lines[last + 1].height
        if not (gap < 0.5 * height or (_is_row_like(lines[last + 1]) and gap < 3 * height)):
            break
        last += 1
    return last


def _is_section_line(ln: TextLine) -> bool:
    """A section title inside the body: "I. Nội dung 1: ...", or "I" | "Vùng I" (number, then title)."""
    texts = [c.text for c in ln.chunks]
    if len(texts) == 2 and _TOKEN.match(fold(texts[0])):
        texts = texts[1:]
    return len(texts) == 1 and is_section_label(texts[0])


def _is_row_like(ln: TextLine) -> bool:
    """A unit row with a single value (the others blank): a name, then a number or dash."""
    return len(ln.chunks) >= 2 and not ln.chunks[0].is_value and any(c.is_value for c in ln.chunks[1:]) \
        and not _is_token_line(ln)


def _is_token_line(ln: TextLine) -> bool:
    """A row of bare tokens: units of measure under the labels, or column numbers."""
    texts = [c.text for c in ln.chunks]
    return len(texts) >= 2 and (_is_sequence(texts) or is_unit_row(texts))


def _is_sequence(texts: list[str]) -> bool:
    """Column numbers: tokens whose numbers run 1, 2, 3 ... ("(1) (2) (3)", "A B 1 2 3"); letters allowed."""
    if not all(_TOKEN.match(fold(t)) for t in texts):
        return False
    numbers = [int(d) for t in texts for d in re.findall(r"\d+", t)]
    return len(numbers) >= 2 and all(b == a + 1 for a, b in zip(numbers, numbers[1:]))


@dataclass
class _Builder:
    """Cells of one table being assembled: (row, first col, col span) → words."""

    edges: list[float]
    cells: dict[tuple[int, int, int], list[Word]] = field(default_factory=dict)
    row_y: list[tuple[float, float]] = field(default_factory=list)
    values: dict[tuple[int, int, int], list[str]] = field(default_factory=dict)  # value chunks per cell

    def new_row(self, lines: list[TextLine]) -> int:
        self.row_y.append((min(ln.y0 for ln in lines), max(ln.y1 for ln in lines)))
        return len(self.row_y) - 1

    def put(self, row: int, col: int, span: int, words: list[Word]) -> None:
        self.cells.setdefault((row, col, span), []).extend(words)
        chunk = Chunk(words)
        if chunk.is_value:
            self.values.setdefault((row, col, span), []).append(chunk.text)

    def text(self, key: tuple[int, int, int]) -> str:
        """The cell's text; two numbers that fell into one cell stay apart ("8 / 3", not 83): a column
        the alignment could not separate is reported as a value that is not a number, never summed."""
        values = self.values.get(key, [])
        return " / ".join(values) if len(values) >= 2 else words_to_text(self.cells[key])

    def table(self, page: int, detection: str, header_rows: int) -> Table:
        n_cols = len(self.edges) - 1
        cells = []
        for row, col, span in sorted(self.cells):
            y0, y1 = self.row_y[row]
            bbox: BBox = (self.edges[col], y0, self.edges[col + span], y1)
            cells.append(Cell(row=row, col=col, col_span=span, text=self.text((row, col, span)), bbox=bbox, page=page))
        covered = {(c.row, c.col + i) for c in cells for i in range(c.col_span)}
        for row, (y0, y1) in enumerate(self.row_y):  # empty slots get empty cells, as in a ruled grid
            cells += [Cell(row=row, col=col, bbox=(self.edges[col], y0, self.edges[col + 1], y1), page=page)
                      for col in range(n_cols) if (row, col) not in covered]
        cells.sort(key=lambda c: (c.row, c.col))
        return Table(cells=cells, n_rows=len(self.row_y), n_cols=n_cols, page=page, pages=[page],
                     header_rows=header_rows, detection=detection)


def _add_line(b: _Builder, row: int, ln: TextLine, spanning: bool) -> None:
    for c in ln.chunks:
        cols = _covered(b.edges, c.x0, c.x1)
        span = cols[-1] - cols[0] + 1 if spanning else 1
        b.put(row, cols[0] if spanning else max(cols, key=lambda i: _overlap(b.edges, i, c)), span, c.words)


def _overlap(edges: list[float], i: int, c: Chunk) -> float:
    return min(c.x1, edges[i + 1]) - max(c.x0, edges[i])


def _build_header(b: _Builder, lines: list[TextLine], height: float) -> int:
    """Header rows: spanning group lines on top, then each column's text blocks stacked, then token rows."""
    groups: list[TextLine] = []
    tokens: list[TextLine] = []
    per_col: dict[int, list[tuple[TextLine, Chunk]]] = {}
    for ln in lines:
        if _is_token_line(ln):
            tokens.append(ln)
            continue
        wide = [c for c in ln.chunks if len(_covered(b.edges, c.x0, c.x1)) >= 2]
        if wide:
            groups.append(TextLine([w for c in wide for w in c.words], wide))
        for c in ln.chunks:
            if c not in wide:
                col = max(_covered(b.edges, c.x0, c.x1), key=lambda i: _overlap(b.edges, i, c))
                per_col.setdefault(col, []).append((ln, c))
    for group in _merge_wrapped(groups, height):
        _add_line(b, b.new_row([group]), group, spanning=True)
    blocks = {col: _blocks(items, height) for col, items in per_col.items()}
    depth = max((len(v) for v in blocks.values()), default=0)
    rows = [b.new_row(lines) for _ in range(depth)]
    for col, col_blocks in blocks.items():
        for level, block in enumerate(col_blocks):  # aligned at the bottom: the last block is the leaf label
            b.put(rows[depth - len(col_blocks) + level], col, 1, block)
    for ln in tokens:
        _add_line(b, b.new_row([ln]), ln, spanning=False)
    return len(b.row_y)


def _merge_wrapped(groups: list[TextLine], height: float) -> list[TextLine]:
    """A group title wrapped over two lines is one group row."""
    out: list[TextLine] = []
    for g in groups:
        if out and _gap(out[-1], g) < 0.5 * height:
            out[-1] = TextLine(out[-1].words + g.words, out[-1].chunks + g.chunks)
        else:
            out.append(g)
    return out


def _blocks(items: list[tuple[TextLine, Chunk]], height: float) -> list[list[Word]]:
    """One column's header text, cut where the vertical gap says a new cell starts."""
    out: list[list[Word]] = []
    last: TextLine | None = None
    for ln, chunk in items:
        if last is not None and (last is ln or _gap(last, ln) < 0.5 * height):
            out[-1].extend(chunk.words)
        else:
            out.append(list(chunk.words))
        last = ln
    return out


def page_text_tables(
    words: list[Word], page: int, segments: list[Segment] | None = None, previous_edges: list[float] | None = None,
) -> list[Table]:
    """Tables found from word alignment on one page (words inside ruled tables already taken out)."""
    lines = [ln for ln in text_lines(words) if ln.chunks]
    tables: list[Table] = []
    floor = 0  # lines above belong to the previous table of the page
    for first, last in _body_spans(lines):
        first, last = max(_body_top(lines, first), floor), _body_bottom(lines, last)
        if first < floor:
            continue
        body = lines[first:last + 1]
        grid_lines = [ln for ln in body if not _is_section_line(ln)]  # a centred title would bend the columns
        edges = _edges(_columns(grid_lines))
        if not _is_aligned(body, edges):
            continue
        height = statistics.median(ln.height for ln in body)
        header = _header_lines(lines, first, edges, height)[-(first - floor) or len(lines):]
        floor = last + 1
        above = lines[:first - len(header)]
        continuation = previous_edges is not None and all(_PAGE_NUMBER.match(ln.chunks[0].text) for ln in above)
        if sum(1 for ln in body if ln.anchor) < 2 and not continuation and \
                not any(len(ln.chunks) >= 3 for ln in header):
            continue  # one line with numbers and no header of columns: prose, not a table
        if continuation and len(previous_edges or []) >= len(edges):
            edges = previous_edges or edges  # the table goes on from the page before: keep its columns
        elif header:
            edges = _edges(_merge_spans(_columns(grid_lines) + _extra_columns(header, _columns(grid_lines))))
            edges = _edges_from_numbers(header, edges)
        b = _Builder(edges)
        header_rows = _build_header(b, header, height) if header else 0
        for row_lines in _body_rows(body):
            row = b.new_row(row_lines)
            if len(row_lines) == 1 and len(row_lines[0].chunks) == 1 and _is_section_line(row_lines[0]):
                b.put(row, 0, len(edges) - 1, row_lines[0].words)  # a section title across the table
                continue
            for ln in row_lines:
                _add_line(b, row, ln, spanning=False)
        tables.append(b.table(page, _detection(segments, edges, b.row_y), header_rows))
    return tables


def _edges_from_numbers(header: list[TextLine], edges: list[float]) -> list[float]:
    """A column-number row ("(1) (2) (3)") names every column once: where it counts more columns than the
    body showed (blank columns on a short page), the columns are cut halfway between its numbers."""
    numbers = [ln for ln in header if len(ln.chunks) >= 2 and _is_sequence([c.text for c in ln.chunks])]
    if not numbers or len(numbers[-1].chunks) <= len(edges) - 1:
        return edges
    centres = [(c.x0 + c.x1) / 2 for c in numbers[-1].chunks]
    inner = [(a + b) / 2 for a, b in zip(centres, centres[1:])]
    return [min(edges[0], numbers[-1].chunks[0].x0 - 2.0), *inner, max(edges[-1], numbers[-1].chunks[-1].x1 + 2.0)]


def _extra_columns(header: list[TextLine], body: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Columns the body leaves empty on this page: a header chunk right or left of every body column (an
    empty "Ghi chú"); and where a header line (column titles, column numbers, units of measure) has more
    chunks than there are columns, the chunks standing over no body column, when they account exactly for
    the difference."""
    x0, x1 = body[0][0], body[-1][1]
    extra = [(c.x0, c.x1) for ln in header for c in ln.chunks if c.x0 > x1 or c.x1 < x0]
    n_cols = len(_merge_spans(body + extra))
    for ln in sorted(header, key=lambda ln: -len(ln.chunks)):
        in_gap = [(c.x0, c.x1) for c in ln.chunks
                  if x0 <= c.x0 and c.x1 <= x1 and not any(c.x0 <= b and a <= c.x1 for a, b in body)]
        if in_gap and len(ln.chunks) - n_cols == len(in_gap):
            return extra + in_gap
    return extra


def _detection(segments: list[Segment] | None, edges: list[float], row_y: list[tuple[float, float]]) -> Detection:
    if not segments or not row_y:
        return Detection.ALIGNED_TEXT
    x0, x1, y0, y1 = edges[0], edges[-1], row_y[0][0], row_y[-1][1]
    inside = [s for s in segments if s.x1 >= x0 - 5 and s.x0 <= x1 + 5 and s.y1 >= y0 - 20 and s.y0 <= y1 + 20]
    return Detection.PARTIAL_RULES if inside else Detection.ALIGNED_TEXT


def column_edges(table: Table) -> list[float] | None:
    """The column edges of a table found from word alignment (for its continuation on the next page)."""
    if table.detection not in {Detection.ALIGNED_TEXT, Detection.PARTIAL_RULES}:
        return None
    xs = sorted({round(c.bbox[0], 2) for c in table.cells if c.bbox and c.col_span == 1} |
                {round(c.bbox[2], 2) for c in table.cells if c.bbox and c.col_span == 1})
    return xs if len(xs) == table.n_cols + 1 else None
