"""PDF reader: one PyMuPDF pass per page gives the lines, the words and the ruling lines.

PyMuPDF is used for everything (text, words and drawings in ~1 ms a page). Its own table finder
is not used: on LibreOffice exports it glues words together ("HuyệnSiMaCai"), and rebuilding the
grid from the page's drawings (extract.tables) is both faster and keeps the spaces.
Table text is kept out of the page's running lines, so later stages read prose only.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass

import pymupdf

from normalize.text import clean

from ..model import Document, Line, Page
from ..tables import Segment, TableSettings, Word, drawings_to_segments, page_tables, table_bbox
from .errors import ReaderError


@dataclass(frozen=True)
class PdfOptions:
    max_pages: int = 2000  # pages past this are not read; the document is marked partial
    password: str = ""
    deadline: float | None = None  # time.monotonic() after which no more pages are read
    # A page whose content streams would inflate past this is not read (a "zip bomb" or a broken file).
    max_content_bytes: int = 64 * 1024 * 1024
    table_settings: TableSettings = TableSettings()


def open_pdf(path: str, password: str = "") -> pymupdf.Document:
    """Open a PDF or raise ReaderError with a reason a person understands."""
    try:
        pdf = pymupdf.open(path, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises several types for broken files
        raise ReaderError(f"not a readable PDF ({_short(exc)})") from exc
    if pdf.needs_pass and not pdf.authenticate(password):
        pdf.close()
        raise ReaderError("the PDF is encrypted with a password; give it with --password or remove it")
    if pdf.page_count == 0:
        damaged = pdf.is_repaired
        pdf.close()
        raise ReaderError("the PDF is damaged or truncated: no page could be recovered" if damaged
                          else "the PDF has no pages")
    return pdf


def _short(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


def read_pdf(path: str, source_file: str, options: PdfOptions | None = None) -> Document:
    """Read every page's lines and ruled tables into a Document."""
    options = options or PdfOptions()
    doc = Document(source_path=path, source_file=source_file, format="pdf")
    pymupdf.TOOLS.mupdf_warnings()  # forget earlier files' warnings
    pdf = open_pdf(path, options.password)
    if pdf.is_repaired:
        doc.warn("read", "pdf_repaired", "the PDF's structure was damaged (e.g. a broken xref table) and was repaired")
    try:
        n_pages = pdf.page_count
        if n_pages > options.max_pages:
            doc.warn("read", "page_limit", f"{n_pages} pages; only the first {options.max_pages} were read")
            doc.status = "partial"
        fonts: set[str] = set()  # base font names, e.g. ".VnTime" (a legacy-encoding hint)
        for index in range(min(n_pages, options.max_pages)):
            if options.deadline is not None and time.monotonic() > options.deadline:
                doc.warn("read", "time_limit", f"time limit reached; pages {index + 1}-{n_pages} were not read")
                doc.status = "partial"
                break
            try:
                oversize = _oversized_content(pdf, pdf[index], options.max_content_bytes)
                if oversize:
                    doc.pages.append(Page(number=index + 1))
                    doc.warn("read", "content_too_large", oversize, index + 1)
                    doc.status = "partial"
                    continue
                read_page(pdf[index], doc, options)
                fonts.update(font[3].split("+")[-1] for font in pdf.get_page_fonts(index))  # drop subset tags
            except Exception as exc:  # one broken page must not lose the others
                doc.pages.append(Page(number=index + 1))
                doc.warn("read", "page_unreadable", f"page could not be read: {_short(exc)}", index + 1)
                doc.status = "partial"
        doc.font_names = sorted(fonts)
    finally:
        pdf.close()
    return doc


def _oversized_content(pdf: pymupdf.Document, page: pymupdf.Page, limit: int) -> str:
    """A reason when the page's content streams inflate past `limit` bytes, else ''.

    Inflating with a cap costs a few milliseconds a page and keeps a hostile stream from taking
    gigabytes of memory inside the text extractor.
    """
    total = 0
    for xref in page.get_contents():
        filters = pdf.xref_get_key(xref, "Filter")[1]
        raw = pdf.xref_stream_raw(xref) or b""
        if "FlateDecode" not in filters:
            total += len(raw)
        else:
            inflater = zlib.decompressobj()
            try:
                total += len(inflater.decompress(raw, limit + 1 - total))
            except zlib.error:
                continue  # let the extractor deal with (or report) a damaged stream
        if total > limit:
            return f"the page's content would inflate to more than {limit // (1024 * 1024)} MB; page skipped"
    return ""


def read_page(page: pymupdf.Page, doc: Document, options: PdfOptions) -> None:
    """Append one page (its lines, and its tables to doc.tables) to the document."""
    number = page.number + 1
    # Work in the unrotated page space; a /Rotate page is turned upright so rows stay rows.
    derotate = page.rotation_matrix if page.rotation else None
    rect = page.rect
    words = [_word(w, derotate) for w in page.get_text("words", sort=False)]
    segments = drawings_to_segments(page.get_drawings()) if words else []
    if derotate is not None:
        segments = [_rotate_segment(s, derotate) for s in segments]
    tables = page_tables(segments, words, number, options.table_settings) if segments else []
    boxes = [b for b in (table_bbox(t) for t in tables) if b]
    lines = _text_lines(page, number, derotate, boxes)
    doc.pages.append(Page(number=number, width=rect.width, height=rect.height, rotation=page.rotation, lines=lines))
    for table in tables:
        table.index = len(doc.tables)
        doc.tables.append(table)


def _word(w: tuple, derotate: pymupdf.Matrix | None) -> Word:
    x0, y0, x1, y1, text, block, line = w[0], w[1], w[2], w[3], w[4], w[5], w[6]
    if derotate is not None:
        r = pymupdf.Rect(x0, y0, x1, y1) * derotate
        x0, y0, x1, y1 = r.x0, r.y0, r.x1, r.y1
    return Word(text, (x0, y0, x1, y1), (block, line))


def _rotate_segment(s: Segment, m: pymupdf.Matrix) -> Segment:
    r = pymupdf.Rect(s.x0, s.y0, s.x1, s.y1) * m
    if abs(r.y1 - r.y0) <= abs(r.x1 - r.x0):
        y = (r.y0 + r.y1) / 2
        return Segment(r.x0, y, r.x1, y)
    x = (r.x0 + r.x1) / 2
    return Segment(x, r.y0, x, r.y1)


def _inside(bbox: tuple[float, float, float, float], boxes: list[tuple[float, float, float, float]]) -> bool:
    cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


def _text_lines(page: pymupdf.Page, number: int, derotate, table_boxes) -> list[Line]:
    """The page's running text, one Line per visual line, table cells left out."""
    lines: list[Line] = []
    data = page.get_text("dict", flags=pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP)
    for block in data["blocks"]:
        if block.get("type", 0) != 0:
            continue
        for raw_line in block["lines"]:
            text = clean("".join(span["text"] for span in raw_line["spans"]))
            if not text:
                continue
            box = pymupdf.Rect(raw_line["bbox"])
            if derotate is not None:
                box = box * derotate
            bbox = (box.x0, box.y0, box.x1, box.y1)
            if table_boxes and _inside(bbox, table_boxes):
                continue
            lines.append(Line(text=text, page=number, bbox=bbox, block=block["number"]))
    return lines
