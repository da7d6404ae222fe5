"""HTML reader: a legal-portal page (or any HTML export of a plan) into the typed model.

Portal pages wrap the plan in chrome: banners, navigation, "Văn bản liên quan"/"Văn bản căn cứ" link
lists whose items are NOT the plan's own references, a metadata list ("Số hiệu", "Ngày ban hành", ...)
and footers. All of that goes to `doc.portal_lines` so later stages never mistake it for the plan.

How the plan's own content is found (no per-site rules):
1. An anchor: the first short element reading "Số: ...", the national motto, or "Căn cứ ...".
2. Climb from the anchor while the material each ancestor adds is not chrome (portal lists, the
   metadata list, nav/header/footer/banner/login/breadcrumb elements, link-dense blocks).
3. Without an anchor, descend from <body> into the child holding most of the non-link text.
Portal lists and metadata lists nested inside the content are still routed to portal_lines.

Lines: one per paragraph-like block (p, div text, headings, list items); a single <br> is a space, a
double <br> a paragraph break. Layout tables (the 2-column header "ỦY BAN NHÂN DÂN / Số: ..." |
"CỘNG HÒA ... / ..., ngày ...", the signature block) become lines, left column first, one per
<br>/<p> piece, like the PDF's text layer. Data tables become `Table`s (rowspan/colspan resolved on a
slot grid) and contribute no lines; their caption is the text just above them.
Footnote anchors are dropped from running text (they would glue "[1]" into numbers); footnote bodies
are kept as lines at the end.

An error page (nothing that reads as document content) raises ReaderError rather than returning an
empty Document, so the run reports the file as failed with a reason instead of "no targets found".
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from normalize.text import clean

from ..kinds import Detection, Stage, Status, WarningKind
from ..layout import is_layout_table
from ..model import Cell, Document, Line, Page, Table
from ..settings import Settings
from .errors import ReaderError
from .html_content import (
    DROPPED_TAGS,
    content_root,
    is_chrome,
    is_note_anchor,
    is_note_container,
    is_portal_section,
    tag_of,
    text_of,
    text_size,
)
from .html_decode import check_text, decode_html, parse_html, read_bytes
from .html_lines import join_wrapped_lines
from .limits import TableTooLarge, check_grid

ERROR_PAGE = "HTML page has no document content (error page?)"

_APPENDIX_LABEL = re.compile(r"^\s*ph[uụ]\s*l[uụ]c\b", re.IGNORECASE)

_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
    "address", "center", "section", "article", "main", "aside", "header", "footer", "nav", "form",
    "fieldset", "legend", "table", "tr", "td", "th", "tbody", "thead", "tfoot", "caption", "hr", "figure",
    "figcaption", "body", "html", "details", "summary", "menu", "dir", "frameset", "frame",
}
_BORDER_STYLE = re.compile(r"border(?:-(?:top|bottom|left|right))?\s*:\s*([^;\"]+)")

_RULE = re.compile(r"[-_=*~.·•]{3,}")
_UNIT_POWER = re.compile(r"(?:^|[\s/(])[kcdm]?m$")  # m², km², m³: the <sup> digit belongs to the unit


# ----------------------------------------------------------------------------------------- tables


def _span(value: str | None, limit: int) -> int:
    m = re.match(r"\s*(\d+)", value or "")
    if not m:
        return 1
    return min(int(m.group(1)), limit)


def _table_rows(table: etree._Element) -> tuple[list[etree._Element], int]:
    """The table's own rows (not nested tables'), thead first and tfoot last; and the header row count."""
    head: list[etree._Element] = []
    body: list[etree._Element] = []
    foot: list[etree._Element] = []
    for child in table:
        tag = tag_of(child)
        if tag == "tr":
            body.append(child)
        elif tag in {"thead", "tbody", "tfoot"}:
            rows = [r for r in child if tag_of(r) == "tr"]
            {"thead": head, "tbody": body, "tfoot": foot}[tag].extend(rows)
    n_head = len(head)
    if not n_head:  # leading rows made only of <th> are header rows too
        for row in body:
            cells = [c for c in row if tag_of(c) in {"td", "th"}]
            if not cells or any(tag_of(c) != "th" for c in cells):
                break
            n_head += 1
    return head + body + foot, n_head


def grid_cells(rows: list[list[tuple[str, int, int]]], max_cells: int = 200_000) -> tuple[list[Cell], int]:
    """Place (text, rowspan, colspan) cells on a slot grid, skipping slots taken by earlier rowspans.

    rowspan 0 means "to the end of the table" (HTML); spans are clipped to the table's rows. The slots
    claimed are counted as they are placed: TableTooLarge past `max_cells`, before memory is spent.
    """
    n_rows = len(rows)
    taken: list[set[int]] = [set() for _ in range(n_rows)]
    cells: list[Cell] = []
    claimed = 0
    for r, row in enumerate(rows):
        col = 0
        for text, row_span, col_span in row:
            while col in taken[r]:
                col += 1
            row_span = n_rows - r if row_span <= 0 else min(row_span, n_rows - r)
            col_span = max(col_span, 1)
            claimed += row_span * col_span
            check_grid(1, claimed, max_cells)
            cells.append(Cell(row=r, col=col, text=text, row_span=row_span, col_span=col_span))
            for rr in range(r, r + row_span):
                taken[rr].update(range(col, col + col_span))
            col += col_span
    n_cols = max((max(t) + 1 for t in taken if t), default=0)
    return cells, n_cols


def _has_borders(table: etree._Element) -> bool:
    m = re.match(r"\s*(\d+)", table.get("border", ""))
    if m and int(m.group(1)) > 0:
        return True
    for el in [table, *table.iter("td", "th", "tr")]:
        for value in _BORDER_STYLE.findall(el.get("style", "").lower()):
            visible = "none" not in value and "hidden" not in value
            if visible and re.search(r"solid|dotted|dashed|double|[1-9]", value):
                return True
    return False


# ----------------------------------------------------------------------------------------- walking


class _Buffer:
    """Inline text of one paragraph being collected; knows how to treat <br> and <sup> marks."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.brs = 0

    def add(self, text: str) -> None:
        self.parts.append(text)
        if text.strip():
            self.brs = 0

    def sup(self, text: str) -> None:
        """A bare superscript: kept after a unit (m², km²), dropped after anything else (a footnote mark)."""
        if _UNIT_POWER.search("".join(self.parts).rstrip()[-6:]):
            self.parts.append(text)

    def br(self) -> int:
        self.brs += 1
        self.parts.append(" ")
        return self.brs

    def take(self) -> str:
        text = clean("".join(self.parts))
        self.parts, self.brs = [], 0
        return text


_BR, _TEXT, _SUP, _BLOCKEL = range(4)


class _Reader:
    """One walk over the page, sending each text block to the plan's lines, the portal or the notes."""

    def __init__(self, root: etree._Element, max_cells: int = 200_000) -> None:
        self.root = root
        self.max_cells = max_cells
        self.too_large: list[str] = []  # reasons for tables not built (over the grid limit)
        self.lines: list[Line] = []
        self.portal: list[Line] = []
        self.notes: list[Line] = []
        self.tables: list[Table] = []
        self.block = 0
        self.caption_from = 0  # first line index after the previous table

    # -- events

    def events(self, el: etree._Element, keep_notes: bool, spaced: bool = False) -> Iterator[tuple[int, Any]]:
        """Inline content flattened: text, <br>, bare <sup>, and block children to recurse into.

        `spaced` puts a space around inline elements: portal lists glue "1" and "Quyết định 612/..." by
        CSS only; the plan's own text must not be spaced (Word splits words over several runs).
        """
        if el.text:
            yield _TEXT, el.text
        for child in el:
            tag = tag_of(child)
            if tag == "br":
                yield _BR, None
            elif not tag or tag in DROPPED_TAGS or (not keep_notes and is_note_anchor(child)):
                pass
            elif tag in _BLOCK or child is self.root:
                yield _BLOCKEL, child
            elif tag == "sup" and not keep_notes and re.fullmatch(r"\s*[\[(]?\d{1,3}[\])]?\s*|\s*\*+\s*",
                                                                  child.text_content()):
                yield _SUP, child.text_content().strip()
            else:
                if spaced:
                    yield _TEXT, " "
                yield from self.events(child, keep_notes, spaced)
                if spaced:
                    yield _TEXT, " "
            if child.tail:
                yield _TEXT, child.tail

    def flat_text(self, el: etree._Element) -> str:
        """All text of an element on one line (table cells): <br>, <p>, nested tables become spaces."""
        buf = _Buffer()
        self._flatten(el, buf)
        return buf.take()

    def _flatten(self, el: etree._Element, buf: _Buffer) -> None:
        for kind, value in self.events(el, keep_notes=False):
            if kind == _TEXT:
                buf.add(value)
            elif kind == _SUP:
                buf.sup(value)
            elif kind == _BR:
                buf.br()
            else:
                buf.add(" ")
                self._flatten(value, buf)
                buf.add(" ")

    # -- sinks

    def emit(self, text: str, sink: str) -> None:
        if not text or _RULE.fullmatch(text):
            return
        line = Line(text=text, page=0, block=self.block)
        {"doc": self.lines, "portal": self.portal, "notes": self.notes}[sink].append(line)

    def new_block(self) -> None:
        self.block += 1

    # -- walking

    def walk(self, el: etree._Element, sink: str, split_br: bool = False) -> None:
        """Emit the element's inline runs as lines and recurse into its block children."""
        self.new_block()
        if sink == "portal" and _is_link_bar(el):
            for link in el.iter("a"):
                self.emit(text_of(link), sink)
            return
        buf = _Buffer()
        for kind, value in self.events(el, keep_notes=sink == "notes", spaced=sink == "portal"):
            if kind == _TEXT:
                buf.add(value)
            elif kind == _SUP:
                buf.sup(value)
            elif kind == _BR:
                if buf.br() >= 2 or split_br:
                    self.emit(buf.take(), sink)
            else:
                self.emit(buf.take(), sink)
                self.dispatch(value, sink, split_br)
                self.new_block()
        self.emit(buf.take(), sink)

    def dispatch(self, el: etree._Element, sink: str, split_br: bool = False) -> None:
        """Route a block element: content root, portal list, footnotes, table or plain block."""
        if el is self.root:
            sink = "doc"
        elif sink == "doc" and (is_portal_section(el) or is_chrome(el) and el.find(".//table") is None):
            sink = "portal"
        elif sink == "doc" and is_note_container(el):
            sink = "notes"
        if tag_of(el) == "table":
            self.table(el, sink)
        else:
            self.walk(el, sink, split_br)

    def table(self, el: etree._Element, sink: str) -> None:
        rows, n_head = _table_rows(el)
        spec = [[(self.flat_text(td), _span(td.get("rowspan"), 65534), _span(td.get("colspan"), 1000))
                 for td in row if tag_of(td) in {"td", "th"}] for row in rows]
        try:
            cells, n_cols = grid_cells(spec, self.max_cells)
            check_grid(len(rows), n_cols, self.max_cells)
        except TableTooLarge as exc:
            self.too_large.append(str(exc))
            return
        if sink != "doc" and self.root in el.iterdescendants():
            for td in (td for row in rows for td in row if tag_of(td) in {"td", "th"}):
                self.dispatch(td, sink)  # a page-wrapping table around the content
            return
        if sink != "doc":
            for row in rows:
                self.new_block()
                self.emit(clean(" ".join(self.flat_text(td) for td in row if tag_of(td) in {"td", "th"})), sink)
            return
        nested = next(el.iterdescendants("table"), None) is not None
        if is_layout_table(Table(cells, len(rows), n_cols), nested=nested, bordered=_has_borders(el)):
            self.layout_table(rows, cells)
        elif cells:
            self.tables.append(Table(cells=cells, n_rows=len(rows), n_cols=n_cols, index=len(self.tables),
                                     caption=self.caption(el), header_rows=n_head,
                                     detection=Detection.HTML))
        self.caption_from = len(self.lines)

    def layout_table(self, rows: list[etree._Element], cells: list[Cell]) -> None:
        """Header/signature blocks: column by column (left then right), each <br>/<p> piece a line."""
        by_slot = {}
        for row_el, row_cells in zip(rows, _group_rows(cells, len(rows)), strict=True):
            tds = [td for td in row_el if tag_of(td) in {"td", "th"}]
            for td, cell in zip(tds, row_cells, strict=False):
                by_slot[(cell.col, cell.row)] = td
        for key in sorted(by_slot):
            self.walk(by_slot[key], "doc", split_br=True)

    def caption(self, el: etree._Element) -> str:
        own = [clean(c.text_content()) for c in el if tag_of(c) == "caption"]
        above = caption_from_lines([ln.text for ln in self.lines[self.caption_from:]])
        return "\n".join([t for t in [above, *own] if t])


def caption_from_lines(above: list[str]) -> str:
    """Caption of a table from the text lines since the previous table, nearest last.

    From the last 'PHỤ LỤC ...' label within 6 lines (a label, a title and one or two "(Kèm theo Kế
    hoạch số ...)" lines are common), else the last 3 lines; newline-joined for the appendix stage.
    """
    above = above[-6:]
    labels = [i for i, text in enumerate(above) if _APPENDIX_LABEL.match(text)]
    start = labels[-1] if labels else max(0, len(above) - 3)
    return "\n".join(above[start:])


def _is_link_bar(el: etree._Element) -> bool:
    """A navigation bar: several links and no other text, one portal line per link."""
    links = list(el.iter("a"))
    return len(links) >= 2 and text_size(el) == sum(text_size(a) for a in links) and not any(
        tag_of(d) in _BLOCK for d in el.iterdescendants())


def _group_rows(cells: list[Cell], n_rows: int) -> list[list[Cell]]:
    rows: list[list[Cell]] = [[] for _ in range(n_rows)]
    for cell in cells:
        rows[cell.row].append(cell)
    return rows


def _renumber_blocks(lines: list[Line]) -> None:
    """Blocks numbered 0, 1, 2, ... in the order the lines appear (footnotes were collected apart)."""
    mapping: dict[int, int] = {}
    for line in lines:
        line.block = mapping.setdefault(line.block, len(mapping))


# ------------------------------------------------------------------------------------------- entry


def read_html(path: str, source_file: str, settings: Settings | None = None) -> Document:
    """Read an HTML page into a Document: the plan's own text and tables, portal chrome kept apart."""
    settings = settings or Settings()
    raw = read_bytes(path, settings.max_content_bytes)
    text, _codec_used, note = decode_html(raw)
    tree = parse_html(check_text(text))
    doc = Document(source_path=path, source_file=source_file, format="html")
    doc.sha256 = hashlib.sha256(raw).hexdigest()
    if note:
        doc.warn(Stage.READ, WarningKind.CHARSET, note)
    body = tree.find(".//body")
    if body is None:
        body = tree
    try:
        root, anchored = content_root(body)
        reader = _Reader(root, settings.max_table_cells)
        title = tree.find(".//title")
        if title is not None:
            reader.emit(clean(title.text_content()), "portal")
        reader.dispatch(body, "doc" if root is body else "portal")
    except RecursionError as exc:
        raise ReaderError("HTML nested too deeply to read") from exc
    lines = join_wrapped_lines(reader.lines) + reader.notes  # a portal's hard-wrapped sentences made whole
    _renumber_blocks(lines)
    _renumber_blocks(reader.portal)
    if not reader.tables and (not lines or not anchored and sum(len(ln.text) for ln in lines) < 200):
        raise ReaderError(ERROR_PAGE)
    if not anchored:
        doc.warn(Stage.READ, WarningKind.CONTENT,
                 "no document header ('Số: ...', national motto) found; content guessed")
    doc.pages = [Page(number=1, lines=lines)]
    doc.portal_lines = reader.portal
    doc.tables = reader.tables
    for reason in reader.too_large:
        doc.warn(Stage.READ, WarningKind.TABLE_TOO_LARGE, reason)
        doc.status = Status.PARTIAL
    return doc
