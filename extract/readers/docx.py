"""DOCX reader: body paragraphs and tables of a Word document into the typed model.

python-docx opens the package, but text and table grids are read from the XML: python-docx repeats a
merged cell's object for every grid slot it covers, so spans are computed from w:gridSpan (columns)
and w:vMerge restart/continue (rows), with w:gridBefore honoured. Headers and footers are not read
(running page furniture); footnote and endnote bodies are added as lines at the end, while the
reference marks in the text are dropped (no "[1]" glued to numbers). Tables nested inside a table
cell are flattened into that cell's text. As in the HTML reader, a header/signature layout table
("CỘNG HÒA XÃ HỘI ..." / "Nơi nhận") becomes lines, left column first, so the metadata stage reads
"Số: ..." and "..., ngày ..." lines the way it does in a PDF.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from normalize.text import clean

from ..kinds import Detection, Stage, Status, WarningKind
from ..layout import is_layout_table
from ..model import Cell, Document, Line, Page, Table
from ..settings import Settings
from .errors import ReaderError
from .html import caption_from_lines
from .limits import TableTooLarge, check_grid, check_zip_parts

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# Wrappers whose children belong to the enclosing level (content controls, custom XML, smart tags).
_WRAPPERS = {_w("sdt"), _w("sdtContent"), _w("customXml"), _w("smartTag")}
_BREAKS = {_w("tab"), _w("ptab"), _w("br"), _w("cr")}
# Subtrees whose text is not part of the paragraph: duplicated fallbacks, text boxes (emitted apart),
# deleted text, field codes, and nested tables/paragraphs reached through drawings.
_SKIP = {f"{{{MC}}}Fallback", _w("txbxContent"), _w("del"), _w("instrText"), _w("delText")}


def _val(el: etree._Element | None, default: str = "") -> str:
    return default if el is None else el.get(_w("val"), default)


def _int_val(el: etree._Element | None, default: int) -> int:
    try:
        return max(int(_val(el, str(default))), 0)
    except ValueError:
        return default


def _children(el: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Direct children with `tag`, looking through content-control and custom-XML wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _is_hidden(run: etree._Element) -> bool:
    vanish = run.find(f"{_w('rPr')}/{_w('vanish')}")
    return vanish is not None and _val(vanish, "true") not in {"0", "false", "off"}


def paragraph_pieces(p: etree._Element) -> list[str]:
    """The paragraph's text split at line breaks (w:br, w:cr); tabs become spaces."""
    pieces: list[str] = [""]

    def visit(el: etree._Element) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP or (tag == _w("r") and _is_hidden(child)):
                continue
            if tag == _w("t"):
                pieces[-1] += child.text or ""
            elif tag in {_w("br"), _w("cr")}:
                pieces.append("")
            elif tag in _BREAKS:
                pieces[-1] += " "
            elif tag == _w("noBreakHyphen"):
                pieces[-1] += "-"
            elif tag not in {_w("pPr"), _w("rPr")}:
                visit(child)

    visit(p)
    return [clean(piece) for piece in pieces]


def paragraph_text(p: etree._Element) -> str:
    return clean(" ".join(paragraph_pieces(p)))


def _text_boxes(p: etree._Element) -> list[etree._Element]:
    """Text boxes anchored in a paragraph (the mc:Choice copy only, not the VML fallback)."""
    boxes = []
    for box in p.iter(_w("txbxContent")):
        between = []
        for ancestor in box.iterancestors():
            if ancestor is p:
                break
            between.append(ancestor.tag)
        if f"{{{MC}}}Fallback" not in between and _w("txbxContent") not in between:
            boxes.append(box)
    return boxes


# --------------------------------------------------------------------------------------------- tables


def cell_text(tc: etree._Element) -> str:
    """All text of a table cell on one line; nested tables flattened in reading order."""
    parts: list[str] = []
    for child in tc.iter(_w("p")):
        if any(a.tag == _w("txbxContent") for a in child.iterancestors()):
            continue
        parts.append(paragraph_text(child))
    return clean(" ".join(parts))


@dataclass
class _Grid:
    """Cells being placed on a slot grid; `above` maps a start column to the cell covering the last row."""

    cells: list[Cell] = field(default_factory=list)
    above: dict[int, Cell] = field(default_factory=dict)


def _place_row(grid: _Grid, r: int, tr: etree._Element) -> list[tuple[Cell, etree._Element]]:
    """Place one row's cells; a vMerge 'continue' cell extends the cell above instead of starting one."""
    tr_pr = tr.find(_w("trPr"))
    col = _int_val(tr_pr.find(_w("gridBefore")) if tr_pr is not None else None, 0)
    placed: list[tuple[Cell, etree._Element]] = []
    row_above: dict[int, Cell] = {}
    for tc in _children(tr, _w("tc")):
        tc_pr = tc.find(_w("tcPr"))
        span = max(_int_val(tc_pr.find(_w("gridSpan")) if tc_pr is not None else None, 1), 1)
        vmerge = tc_pr.find(_w("vMerge")) if tc_pr is not None else None
        hmerge = tc_pr.find(_w("hMerge")) if tc_pr is not None else None
        if hmerge is not None and _val(hmerge, "continue") == "continue" and placed:
            placed[-1][0].col_span += span  # legacy horizontal merge
        elif vmerge is not None and _val(vmerge, "continue") == "continue" and col in grid.above:
            cell = grid.above[col]
            cell.row_span = r - cell.row + 1
            row_above[col] = cell
        else:
            cell = Cell(row=r, col=col, text=cell_text(tc), col_span=span)
            grid.cells.append(cell)
            placed.append((cell, tc))
            row_above[col] = cell
        col += span
    grid.above = row_above
    return placed


def _header_rows(rows: list[etree._Element]) -> int:
    """Leading rows marked w:tblHeader (repeated on every page): the table's known header."""
    n = 0
    for tr in rows:
        flag = tr.find(f"{_w('trPr')}/{_w('tblHeader')}")
        if flag is None or _val(flag, "true") in {"0", "false", "off"}:
            break
        n += 1
    return n


def table_to_model(
    tbl: etree._Element, index: int, caption: str
) -> tuple[Table, list[tuple[Cell, etree._Element]]]:
    """A w:tbl as a Table (slots from gridSpan/vMerge) and its cells paired with their w:tc elements."""
    rows = list(_children(tbl, _w("tr")))
    grid = _Grid()
    placed: list[tuple[Cell, etree._Element]] = []
    for r, tr in enumerate(rows):
        placed.extend(_place_row(grid, r, tr))
    n_cols = max((c.col + c.col_span for c in grid.cells), default=0)
    table = Table(cells=grid.cells, n_rows=len(rows), n_cols=n_cols, index=index, caption=caption,
                  header_rows=_header_rows(rows), detection=Detection.DOCX)
    return table, placed


# -------------------------------------------------------------------------------------------- reading


class _Reader:
    def __init__(self, max_cells: int = 200_000) -> None:
        self.max_cells = max_cells
        self.too_large: list[str] = []  # reasons for tables not built (over the grid limit)
        self.lines: list[Line] = []
        self.tables: list[Table] = []
        self.block = 0
        self.caption_from = 0

    def emit(self, texts: list[str]) -> None:
        for text in texts:
            if text:
                self.lines.append(Line(text=text, page=0, block=self.block))
        self.block += 1

    def body(self, el: etree._Element, split: bool = False) -> None:
        """Paragraphs and tables of a body-like element (body, cell, text box), in order."""
        for child in el:
            if child.tag == _w("p"):
                self.paragraph(child, split)
            elif child.tag == _w("tbl"):
                self.table(child)
            elif child.tag in _WRAPPERS:
                self.body(child, split)

    def paragraph(self, p: etree._Element, split: bool = False) -> None:
        pieces = paragraph_pieces(p)
        self.emit(pieces if split else [clean(" ".join(pieces))])
        for box in _text_boxes(p):
            self.body(box)

    def table(self, tbl: etree._Element) -> None:
        caption = caption_from_lines([ln.text for ln in self.lines[self.caption_from:]])
        table, placed = table_to_model(tbl, len(self.tables), caption)
        try:
            check_grid(table.n_rows, table.n_cols, self.max_cells)
        except TableTooLarge as exc:
            self.too_large.append(str(exc))
            return
        if is_layout_table(table):
            for _cell, tc in sorted(placed, key=lambda pair: (pair[0].col, pair[0].row)):
                self.body(tc, split=True)
        elif table.cells:
            self.tables.append(table)
        self.caption_from = len(self.lines)


def _notes(package_parts: list[Any], name: str) -> list[str]:
    """Footnote or endnote bodies (separators skipped), one text per note."""
    for part in package_parts:
        if str(part.partname) == f"/word/{name}.xml":
            root = etree.fromstring(part.blob)
            tag = "footnote" if name == "footnotes" else "endnote"
            notes = []
            for note in root.iter(_w(tag)):
                if note.get(_w("type"), "normal") == "normal":
                    notes.append(clean(" ".join(paragraph_text(p) for p in note.iter(_w("p")))))
            return [n for n in notes if n]
    return []


def _open(path: str, max_part_bytes: int) -> tuple[bytes, Any]:
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise ReaderError(f"cannot open the file ({exc.strerror or exc})") from exc
    if not raw:
        raise ReaderError("empty file")
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReaderError("an old binary Word file (.doc), not a DOCX; save it as .docx or PDF first")
    if not raw.startswith(b"PK"):
        raise ReaderError("not a DOCX file (not a ZIP archive)")
    check_zip_parts(path, max_part_bytes)
    import docx  # start-up: python-docx takes ~130 ms to import; only runs with .docx files pay it

    try:
        return raw, docx.Document(path)
    except Exception as exc:  # python-docx raises PackageNotFoundError, KeyError, ValueError, BadZipFile...
        message = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise ReaderError(f"not a readable DOCX file ({message})") from exc


def read_docx(path: str, source_file: str, settings: Settings | None = None) -> Document:
    """Read a .docx into a Document: one page of paragraph lines, tables with merged cells resolved."""
    settings = settings or Settings()
    raw, wdoc = _open(path, settings.max_content_bytes)
    doc = Document(source_path=path, source_file=source_file, format="docx")
    doc.sha256 = hashlib.sha256(raw).hexdigest()
    reader = _Reader(settings.max_table_cells)
    body = wdoc.element.find(_w("body"))
    if body is None:
        raise ReaderError("not a readable DOCX file (word/document.xml has no w:body)")
    try:
        reader.body(body)
        parts = list(wdoc.part.package.iter_parts())
        for text in _notes(parts, "footnotes") + _notes(parts, "endnotes"):
            reader.emit([text])
    except (etree.XMLSyntaxError, ValueError, KeyError) as exc:
        raise ReaderError(f"not a readable DOCX file ({exc})") from exc
    doc.pages = [Page(number=1, lines=reader.lines)]
    doc.tables = reader.tables
    for reason in reader.too_large:
        doc.warn(Stage.READ, WarningKind.TABLE_TOO_LARGE, reason)
        doc.status = Status.PARTIAL
    return doc
