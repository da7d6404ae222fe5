"""Make a Word (.docx) twin of a text PDF plan, from what the project's own PDF reader gives.

    .venv/bin/python samples/tools/make_docx_twin.py samples/lao-cai-355-2022.pdf \
        samples/lao-cai-355-2022.docx

The PDF is read with extract.readers.pdf.read_pdf and written back the way such a plan is typed in Word
(python-docx, deterministic: fixed core properties, no timestamps):

- the header block above the title (issuer, "Số: ...", motto, "..., ngày ...") becomes a borderless
  2-column layout table, left column the issuer and number, right column the motto and the date;
  the signature block from "Nơi nhận:" on becomes one too (recipients left, signature right);
- the running lines become paragraphs: a visual line continues the paragraph above when that line runs
  (nearly) to the right margin and this one starts at the left margin, or both are centred title lines;
  so paragraphs broken by a page break are joined again. Page numbers (page furniture) are dropped;
- the ruled tables become Word tables ("Table Grid") with their merged cells (cell.merge); a table
  continued on the next pages (same columns, no text above it on the page) is one Word table: the
  header rows repeated on each page are written once and marked w:tblHeader, and a row split by a page
  break is joined again; an allocation table's leading label rows are marked w:tblHeader too;
- a footnote (text under the short rule at the foot of a page, its mark a small raised number in the
  text or in a cell) becomes a real Word footnote (word/footnotes.xml, a w:footnoteReference run);
- pages wider than high go in a landscape section; each "PHỤ LỤC" caption starts a new page.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import pymupdf
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from extract.model import Cell, Document, Line, Table  # noqa: E402
from extract.readers.pdf import read_pdf  # noqa: E402
from extract.tables import table_bbox  # noqa: E402
from normalize.text import clean, join_lines  # noqa: E402

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_APPENDIX = re.compile(r"^PHỤ LỤC\b", re.IGNORECASE)


@dataclass
class Footnote:
    number: str
    text: str
    page: int
    mark_bbox: tuple[float, float, float, float]
    mark_word: str  # the text-layer word the mark is glued to, e.g. "toàn1"
    placed: bool = False


@dataclass
class Para:
    lines: list[Line] = field(default_factory=list)
    page_break: bool = False

    @property
    def text(self) -> str:
        return join_lines([line.text for line in self.lines])


# ------------------------------------------------------------------------------------------ footnotes


def find_footnotes(path: str) -> tuple[list[Footnote], set[tuple[int, int]]]:
    """Footnotes of the PDF and the (page, rounded y) of their lines, to leave those lines out of the body."""
    notes: list[Footnote] = []
    skip: set[tuple[int, int]] = set()
    with pymupdf.open(path) as pdf:
        for page in pdf:
            rules = [d["rect"] for d in page.get_drawings()
                     if d["rect"].height < 1.5 and 80 < d["rect"].width < 260 and d["rect"].y0 > page.rect.height * 0.5]
            if not rules:
                continue
            rule_y = min(r.y0 for r in rules)
            data = page.get_text("dict")
            spans = [(s, line) for b in data["blocks"] if b.get("type", 0) == 0 for line in b["lines"]
                     for s in line["spans"]]
            sizes = sorted(s["size"] for s, _ in spans if s["text"].strip())
            body_size = sizes[len(sizes) // 2] if sizes else 12
            below = [(s, line) for s, line in spans if s["bbox"][1] > rule_y]
            if not below:
                continue
            text = clean(" ".join("".join(s["text"] for s in line["spans"]) for line in
                                  dict((id(line), line) for _, line in below).values()))
            match = re.match(r"^(\d+)\s+(.*)$", text)
            if not match:
                continue
            number = match.group(1)
            for _, line in below:
                skip.add((page.number + 1, round(line["bbox"][1])))
            marks = [s for s, _ in spans if s["text"].strip() == number and s["size"] < 0.75 * body_size
                     and s["bbox"][3] < rule_y]
            if not marks:
                continue
            mark = marks[0]
            mx, my = (mark["bbox"][0] + mark["bbox"][2]) / 2, (mark["bbox"][1] + mark["bbox"][3]) / 2
            word = next((w[4] for w in page.get_text("words") if w[0] <= mx <= w[2] and w[1] <= my <= w[3]), "")
            notes.append(Footnote(number, match.group(2), page.number + 1, tuple(mark["bbox"]), clean(word)))
    return notes, skip


def _split_at_mark(text: str, note: Footnote) -> tuple[str, str] | None:
    """The text before and after a footnote mark glued to a word ("an toàn1 - Đối" -> "an toàn", " - Đối")."""
    word = note.mark_word
    if not word.endswith(note.number):
        return None
    stem = word[: -len(note.number)]
    match = re.search(re.escape(stem) + re.escape(note.number) + r"(?!\d)", text)
    if not match:
        return None
    return text[: match.end() - len(note.number)], text[match.end():]


def _inside(bbox, box) -> bool:
    if not box:
        return False
    cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


# ------------------------------------------------------------------------------------------- the text


def _is_page_number(line: Line, page_height: float) -> bool:
    return bool(re.fullmatch(r"\d{1,3}", line.text)) and line.bbox is not None and line.bbox[1] < page_height * 0.08


def _margins(doc: Document, page: int) -> tuple[float, float]:
    """The text area (left, right) of pages shaped like this one: from their lines and tables."""
    size = (doc.pages[page - 1].width, doc.pages[page - 1].height)
    boxes = [ln.bbox for p in doc.pages if (p.width, p.height) == size for ln in p.lines
             if ln.bbox and not _is_page_number(ln, p.height)]
    boxes += [b for t in doc.tables if (doc.pages[t.page - 1].width, doc.pages[t.page - 1].height) == size
              for b in [table_bbox(t)] if b]
    if not boxes:
        return 0.0, size[0]
    return min(b[0] for b in boxes), max(b[2] for b in boxes)


def _centred(line: Line, width: float) -> bool:
    return line.bbox is not None and abs((line.bbox[0] + line.bbox[2]) / 2 - width / 2) < 20


def split_regions(doc: Document) -> tuple[list[Line], list[Line], list[Line], list[Line], list[Line]]:
    """(header lines, body lines before the signature, recipients, signature lines, lines after it)."""
    lines = doc.lines
    first = [ln for ln in lines if ln.page == 1]
    number = next((ln for ln in first if ln.text.startswith("Số:")), None)
    if number is None:
        raise SystemExit("no 'Số:' line on page 1: cannot find the header block")
    row_bottom = max(ln.bbox[3] for ln in first if ln.bbox and ln.bbox[1] <= number.bbox[3] - 2)
    header = [ln for ln in first if ln.bbox and ln.bbox[3] <= row_bottom + 1]
    rest = [ln for ln in lines if ln not in header]
    start = next((i for i, ln in enumerate(rest) if ln.text.startswith("Nơi nhận")), None)
    if start is None:
        return header, rest, [], [], []
    sign_page = rest[start].page
    end = next((i for i in range(start, len(rest)) if _APPENDIX.match(rest[i].text)), len(rest))
    block = [ln for ln in rest[start:end] if not _is_page_number(ln, doc.pages[ln.page - 1].height)]
    half = doc.pages[sign_page - 1].width * 0.45
    left = [ln for ln in block if ln.bbox and (ln.bbox[0] + ln.bbox[2]) / 2 < half]
    right = [ln for ln in block if ln not in left]
    return header, rest[:start], left, right, rest[end:]


def paragraphs(doc: Document, lines: list[Line], skip: set[tuple[int, int]]) -> list[Para]:
    out: list[Para] = []
    prev: Line | None = None
    for line in lines:
        page = doc.pages[line.page - 1]
        if _is_page_number(line, page.height) or (line.page, round(line.bbox[1])) in skip:
            continue
        if prev is not None and out and _continues(doc, prev, line):
            out[-1].lines.append(line)
        else:
            out.append(Para([line], page_break=prev is not None and line.page != prev.page))
        prev = line
    return out


def _continues(doc: Document, prev: Line, line: Line) -> bool:
    """Does `line` carry on the paragraph that `prev` ends (also over a page break)?"""
    if prev.bbox is None or line.bbox is None or _APPENDIX.match(line.text):
        return False
    left, right = _margins(doc, line.page)
    p_left, p_right = _margins(doc, prev.page)
    wide = prev.bbox[2] >= p_right - 0.12 * (p_right - p_left)
    if not wide:
        return False
    if line.bbox[0] <= left + 6:
        return True
    width = doc.pages[line.page - 1].width
    return _centred(prev, doc.pages[prev.page - 1].width) and _centred(line, width)


# ----------------------------------------------------------------------------------------------- tables


@dataclass
class Grid:
    cells: list[Cell]
    n_rows: int
    n_cols: int
    header_rows: int
    first: Table


def _row_texts(table: Table, row: int) -> list[str]:
    return [c.text for c in sorted((c for c in table.cells if c.row == row), key=lambda c: c.col)]


def merge_tables(doc: Document) -> list[Grid]:
    """The PDF's tables, each table continued on the following pages joined into one grid."""
    grids: list[Grid] = []
    for table in doc.tables:
        box = table_bbox(table)
        above = [ln for ln in doc.pages[table.page - 1].lines
                 if ln.bbox and box and ln.bbox[3] <= box[1] + 1
                 and not _is_page_number(ln, doc.pages[table.page - 1].height)]
        last = grids[-1] if grids else None
        if last and not above and table.n_cols == last.n_cols and table.page == _last_page(last) + 1:
            _append(last, table)
        else:
            cells = [Cell(c.row, c.col, c.text, c.row_span, c.col_span, c.bbox, c.page) for c in table.cells]
            grids.append(Grid(cells, table.n_rows, table.n_cols, _label_rows(table), table))
    return grids


def _last_page(grid: Grid) -> int:
    return max(c.page for c in grid.cells)


def _label_rows(table: Table) -> int:
    """Leading rows without a number: the header of an allocation table (0 for other tables)."""
    for r in range(table.n_rows):
        if any(re.fullmatch(r"[\d.,]+", c.text) for c in table.cells if c.row == r and c.col > 1):
            return r
    return 0


def _append(grid: Grid, table: Table) -> None:
    first = grid.first
    repeated = 0
    while repeated < table.n_rows and repeated < first.n_rows and \
            _row_texts(table, repeated) == _row_texts(first, repeated):
        repeated += 1
    grid.header_rows = max(grid.header_rows, repeated)
    start = repeated
    rows = {r: sorted((c for c in table.cells if c.row == r), key=lambda c: c.col) for r in range(table.n_rows)}
    if start < table.n_rows:
        head = rows[start]
        texts = [c.text for c in head if c.text]
        if head and not head[0].text and texts and texts[0][:1].islower():
            # A row broken by the page break: its text carries on the last row of the previous page.
            last_row = grid.n_rows - 1
            owners = {c.col: c for c in grid.cells if c.row <= last_row < c.row + c.row_span}
            for cell in head:
                owner = next((o for col, o in owners.items() if col <= cell.col < col + o.col_span), None)
                if owner is not None and cell.text:
                    owner.text = clean(f"{owner.text} {cell.text}")
            start += 1
    offset = grid.n_rows - start
    for r in range(start, table.n_rows):
        for c in rows[r]:
            grid.cells.append(Cell(r + offset, c.col, c.text, c.row_span, c.col_span, c.bbox, c.page))
    grid.n_rows += table.n_rows - start


# ---------------------------------------------------------------------------------------------- writing


class Writer:
    def __init__(self, notes: list[Footnote]) -> None:
        self.d = docx.Document()
        style = self.d.styles["Normal"]
        style.font.name = "Times New Roman"
        style.font.size = Pt(14)
        section = self.d.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)  # A4, as the PDF
        self.notes = notes
        self.landscape = False

    def section_for(self, landscape: bool) -> bool:
        """Start a landscape or portrait section when the orientation changes; True when one started."""
        if landscape == self.landscape:
            return False
        section = self.d.add_section(WD_SECTION.NEW_PAGE)
        width, height = section.page_width, section.page_height
        if landscape != (width > height):
            section.page_width, section.page_height = height, width
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        self.landscape = landscape
        return True

    def paragraph(self, text: str, page_break: bool = False, bboxes: list | None = None, page: int = 0) -> None:
        p = self.d.add_paragraph()
        if page_break:
            p.paragraph_format.page_break_before = True
        self._runs(p, text, bboxes or [], page)

    def _runs(self, p, text: str, bboxes: list, page: int) -> None:
        for note in self.notes:
            if note.placed or note.page != page or not any(_inside(note.mark_bbox, b) for b in bboxes):
                continue
            parts = _split_at_mark(text, note)
            if parts is None:
                continue
            before, after = parts
            p.add_run(before)
            ref = OxmlElement("w:r")
            rpr = OxmlElement("w:rPr")
            va = OxmlElement("w:vertAlign")
            va.set(qn("w:val"), "superscript")
            rpr.append(va)
            ref.append(rpr)
            mark = OxmlElement("w:footnoteReference")
            mark.set(qn("w:id"), note.number)
            ref.append(mark)
            p._p.append(ref)
            note.placed = True
            text = after
        if text:
            p.add_run(text)

    def layout_table(self, left: list[str], right: list[str]) -> None:
        t = self.d.add_table(rows=1, cols=2)
        for cell, texts in ((t.cell(0, 0), left), (t.cell(0, 1), right)):
            cell.text = texts[0] if texts else ""
            for text in texts[1:]:
                cell.add_paragraph(text)

    def grid(self, grid: Grid) -> None:
        t = self.d.add_table(rows=grid.n_rows, cols=grid.n_cols)
        t.style = "Table Grid"
        for c in sorted(grid.cells, key=lambda c: (c.row, c.col)):
            target = t.cell(c.row, c.col)
            if c.row_span > 1 or c.col_span > 1:
                target = target.merge(t.cell(c.row + c.row_span - 1, c.col + c.col_span - 1))
            p = target.paragraphs[0]
            self._runs(p, c.text, [c.bbox], c.page)
        for tr in t._tbl.tr_lst[: grid.header_rows]:
            tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))

    def save(self, path: Path) -> None:
        self.d.core_properties.title = path.stem
        self.d.core_properties.author = "samples/tools/make_docx_twin.py"
        self.d.core_properties.last_modified_by = ""
        self.d.core_properties.revision = 1
        fixed = datetime(2024, 1, 1)
        self.d.core_properties.created = fixed
        self.d.core_properties.modified = fixed
        buf = io.BytesIO()
        self.d.save(buf)
        placed = [n for n in self.notes if n.placed]
        _write_zip(buf.getvalue(), path, placed)


def _write_zip(data: bytes, path: Path, notes: list[Footnote]) -> None:
    """Save the package with a footnotes part added, entries in a fixed order with fixed dates."""
    notes_xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
        "</w:footnote>"
        + "".join(
            f'<w:footnote w:id="{n.number}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {escape(n.text)}</w:t></w:r></w:p></w:footnote>'
            for n in notes
        )
        + "</w:footnotes>"
    )
    rel = ('<Relationship Id="rIdFootnotes" Target="footnotes.xml" '
           'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"/>')
    override = ('<Override PartName="/word/footnotes.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>')
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if notes and item.filename == "word/_rels/document.xml.rels":
                body = body.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            elif notes and item.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", override.encode() + b"</Types>")
            info = zipfile.ZipInfo(item.filename, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, body)
        if notes:
            info = zipfile.ZipInfo("word/footnotes.xml", date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, notes_xml.encode("utf-8"))


def make_twin(src: Path, dst: Path) -> None:
    doc = read_pdf(str(src), src.name)
    notes, skip = find_footnotes(str(src))
    header, body, recipients, signature, after = split_regions(doc)
    w = Writer(notes)
    half = doc.pages[0].width * 0.45
    w.layout_table([ln.text for ln in header if (ln.bbox[0] + ln.bbox[2]) / 2 < half],
                   [ln.text for ln in header if (ln.bbox[0] + ln.bbox[2]) / 2 >= half])
    grids = merge_tables(doc)
    pending = list(grids)

    def tables_before(page: int, y: float | None) -> None:
        while pending and (pending[0].first.page < page or (
                pending[0].first.page == page and y is not None and table_bbox(pending[0].first)[1] < y)):
            grid = pending.pop(0)
            w.section_for(doc.pages[grid.first.page - 1].width > doc.pages[grid.first.page - 1].height)
            w.grid(grid)

    def write(paras: list[Para]) -> None:
        for para in paras:
            first = para.lines[0]
            tables_before(first.page, first.bbox[1])
            page = doc.pages[first.page - 1]
            new_section = w.section_for(page.width > page.height)  # a new section starts a new page
            w.paragraph(para.text, page_break=bool(_APPENDIX.match(para.text)) and not new_section,
                        bboxes=[ln.bbox for ln in para.lines], page=first.page)

    write(paragraphs(doc, body, skip))
    if recipients or signature:
        w.layout_table([ln.text for ln in recipients], [ln.text for ln in signature])
    write(paragraphs(doc, after, skip))
    tables_before(10**6, None)
    w.save(dst)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path)
    parser.add_argument("dst", type=Path)
    args = parser.parse_args(argv)
    make_twin(args.src, args.dst)
    print(f"written: {args.dst}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
