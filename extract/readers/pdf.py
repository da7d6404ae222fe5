"""PDF reader: one PyMuPDF pass per page gives the lines, the words and the ruling lines.

PyMuPDF is used for everything (text, words and drawings in ~1 ms a page). Its own table finder
is not used: on LibreOffice exports it glues words together ("HuyệnSiMaCai"), and rebuilding the
grid from the page's drawings (extract.tables) is both faster and keeps the spaces.
Table text is kept out of the page's running lines, so later stages read prose only.
Scanned pages (an image with no usable text layer) are read by OCR instead, see extract/readers/ocr.py.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import replace

import pymupdf

from normalize.text import clean

from ..kinds import Stage, Status, WarningKind
from ..layout import is_layout_table
from ..model import Document, Line, Page
from ..settings import Settings, TableSettings
from ..tables import (
    Segment,
    Word,
    drawings_to_segments,
    page_tables,
    table_bbox,
)
from . import ocr, text_tables
from .errors import ReaderError
from .pdf_streams import oversized_page

log = logging.getLogger(__name__)


def open_pdf(path: str, password: str = "") -> pymupdf.Document:
    """Open a PDF or raise ReaderError with a reason a person understands."""
    try:
        pdf = pymupdf.open(path, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises several types for broken files
        raise ReaderError(f"not a readable PDF ({_short(exc)})") from exc
    if pdf.needs_pass and not pdf.authenticate(password):
        pdf.close()
        if password:
            raise ReaderError("the PDF is encrypted and the password given with --password does not open it")
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


def read_pdf(path: str, source_file: str, settings: Settings | None = None, deadline: float | None = None) -> Document:
    """Read every page's lines and ruled tables into a Document (scanned pages by OCR); `deadline` is the
    time.monotonic() value after which no more pages are read."""
    settings = settings or Settings()
    doc = Document(source_path=path, source_file=source_file, format="pdf")
    pymupdf.TOOLS.mupdf_warnings()  # forget earlier files' warnings
    pdf = open_pdf(path, settings.password)
    if pdf.is_repaired:
        doc.warn(Stage.READ, WarningKind.PDF_REPAIRED,
                 "the PDF's structure was damaged (e.g. a broken xref table) and was repaired")
    scans = _Scans(settings)
    try:
        n_pages = pdf.page_count
        if n_pages > settings.max_pages:
            doc.warn(Stage.READ, WarningKind.PAGE_LIMIT,
                     f"{n_pages} pages; only the first {settings.max_pages} were read")
            doc.status = Status.PARTIAL
        fonts: set[str] = set()  # base font names, e.g. ".VnTime" (a legacy-encoding hint)
        for index in range(min(n_pages, settings.max_pages)):
            if deadline is not None and time.monotonic() > deadline:
                doc.warn(Stage.READ, WarningKind.TIME_LIMIT,
                         f"time limit reached; pages {index + 1}-{n_pages} were not read")
                doc.status = Status.PARTIAL
                break
            try:
                oversize = oversized_page(pdf, pdf[index], settings.max_content_bytes)
                if oversize:
                    doc.pages.append(Page(number=index + 1))
                    doc.warn(Stage.READ, WarningKind.CONTENT_TOO_LARGE, oversize, index + 1)
                    doc.status = Status.PARTIAL
                    continue
                page = pdf[index]
                scan = scans.wanted(page)
                if not (scan and scans.read(page, doc, deadline)):
                    read_page(page, doc, settings.tables)
                    if not scan and not doc.pages[-1].lines and scans.wanted(page, empty_layer=True):
                        blank = doc.pages.pop()  # a scan drawn as an inline image: nothing in the text layer
                        if not scans.read(page, doc, deadline):
                            doc.pages.append(blank)
                fonts.update(font[3].split("+")[-1] for font in pdf.get_page_fonts(index))  # drop subset tags
            except Exception as exc:  # one broken page must not lose the others
                doc.pages.append(Page(number=index + 1))
                doc.warn(Stage.READ, WarningKind.PAGE_UNREADABLE, f"page could not be read: {_short(exc)}", index + 1)
                doc.status = Status.PARTIAL
        doc.font_names = sorted(fonts)
    finally:
        pdf.close()
    scans.report(doc)
    return doc


class _Scans:
    """OCR of a document's scanned pages: Tesseract looked up once, pages it could not read reported once."""

    def __init__(self, settings: Settings) -> None:
        self.options = settings.ocr
        self.tables = settings.tables
        self.binary: str | None = None
        self.unavailable = ""
        self.skipped: list[int] = []

    def wanted(self, page: pymupdf.Page, empty_layer: bool = False) -> bool:
        """Whether to OCR the page. Pages without an image XObject are taken as text pages (listing images
        costs 0.05 ms a page, the full check 1 ms) unless their text layer came out empty."""
        if not self.options.enabled or not (empty_layer or page.get_images()):
            return False
        return ocr.page_needs_ocr(page, self.options)

    def read(self, page: pymupdf.Page, doc: Document, deadline: float | None) -> bool:
        """OCR the page into doc; False when it has to be read from its text layer after all."""
        number = page.number + 1
        if self.binary is None and not self.unavailable:
            try:
                self.binary = ocr.check_tesseract(self.options)
            except ocr.OcrUnavailable as exc:
                self.unavailable = str(exc)
        if self.binary is None:
            self.skipped.append(number)
            return False
        settings = self.options
        if deadline is not None:  # a Tesseract call must not outlive the document's time limit
            left = max(1.0, deadline - time.monotonic())
            settings = replace(settings, timeout_seconds=min(settings.timeout_seconds, left))
        try:
            result = ocr.ocr_page(page, self.binary, settings, self.tables)
        except Exception as exc:  # Tesseract crashed or timed out: keep whatever text layer there is
            doc.warn(Stage.READ, WarningKind.OCR_FAILED, f"OCR of this scanned page failed ({_short(exc)}); "
                     "its text layer, if any, was read instead", number)
            doc.status = Status.PARTIAL
            return False
        doc.pages.append(result.page)
        for table in result.tables:
            table.index = len(doc.tables)
            doc.tables.append(table)
        for table, cell, conf in result.low_confidence:
            message = ocr.low_confidence_message(table, cell, conf, self.options.min_confidence)
            doc.warn(Stage.READ, WarningKind.OCR_LOW_CONFIDENCE, message, number)
        return True

    def report(self, doc: Document) -> None:
        if not self.skipped:
            return
        pages = _page_list(self.skipped)
        doc.warn(
            Stage.READ, WarningKind.OCR_UNAVAILABLE,
            f"{pages} {'is a scanned image' if len(self.skipped) == 1 else 'are scanned images'} without a usable "
            f"text layer and {'was' if len(self.skipped) == 1 else 'were'} not read: {self.unavailable}",
            self.skipped[0] if len(self.skipped) == 1 else None,
        )
        doc.status = Status.PARTIAL


def _page_list(numbers: list[int]) -> str:
    """[1, 2, 3, 7] → 'pages 1-3, 7'."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    text = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans)
    return ("page " if len(numbers) == 1 else "pages ") + text


def read_page(page: pymupdf.Page, doc: Document, table_settings: TableSettings) -> None:
    """Append one page (its lines, and its tables to doc.tables) to the document."""
    number = page.number + 1
    # One text extraction serves both views (lines and words): it is the costliest call per page.
    textpage = page.get_textpage(flags=pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP)
    data = page.get_text("dict", textpage=textpage)
    upright = upright_matrix(data)
    rect = page.rect
    raw_words = page.get_text("words", sort=False, textpage=textpage)
    if _keep_soft_hyphens(data):
        raw_words = [(*w[:4], w[4].replace(SOFT_HYPHEN, "-"), *w[5:]) for w in raw_words]
    words = [_word(w, upright) for w in raw_words]
    segments = drawings_to_segments(page.get_drawings()) if words else []
    if upright is not None:
        segments = [_rotate_segment(s, upright) for s in segments]
    if segments:
        words = _split_words_at_rules(page, raw_words, words, segments, upright)
    tables = page_tables(segments, words, number, table_settings) if segments else []
    tables = [t for t in tables if not is_layout_table(t)]  # header/signature boxes stay running text
    tables += _aligned_tables(doc, words, segments, tables, number)
    boxes = [b for b in (table_bbox(t) for t in tables) if b]
    lines = _text_lines(data, number, upright, boxes)
    doc.pages.append(Page(number=number, width=rect.width, height=rect.height, rotation=page.rotation, lines=lines))
    # Cell boxes are in the upright space; this maps them back onto the page as displayed (provenance).
    doc.pages[-1].display_matrix = tuple((~upright if upright else pymupdf.Identity) * page.rotation_matrix)
    for table in tables:
        table.index = len(doc.tables)
        doc.tables.append(table)


def _aligned_tables(doc: Document, words: list[Word], segments, ruled: list, number: int) -> list:
    """Tables without a full grid, from the words left outside the ruled tables."""
    boxes = [b for b in (table_bbox(t) for t in ruled) if b]
    free = [w for w in words if not _inside(w.bbox, boxes)]
    prev = doc.tables[-1] if doc.tables else None
    edges = text_tables.column_edges(prev) if prev and prev.pages[-1:] == [number - 1] else None
    found = text_tables.page_text_tables(free, number, segments, edges)
    for t in found:
        log.debug("p.%d: a %d x %d table from word alignment (%s)%s", number, t.n_rows, t.n_cols, t.detection,
                  "; the columns of the page before" if edges else "")
    return found


SOFT_HYPHEN = "\u00ad"


def _keep_soft_hyphens(data: dict) -> bool:
    """In TCVN3 (.VnTime) fonts the byte 0xAD is the letter "ư", which some PDFs map to U+00AD, the soft
    hyphen that clean() deletes. On such pages it is kept as "-" (in the span texts of `data` too), and
    the legacy-encoding stage reads it back as "ư" from its context."""
    spans = [span for block in data.get("blocks", ()) for line in block.get("lines", ()) for span in line["spans"]]
    if not any(span["font"].split("+")[-1].startswith(".Vn") for span in spans):
        return False
    for span in spans:
        span["text"] = span["text"].replace(SOFT_HYPHEN, "-")
    return True


def upright_matrix(data: dict) -> pymupdf.Matrix | None:
    """The rotation that makes the page's text run left to right, or None when it already does.

    Coordinates come in the page's own (unrotated) space, where a table drawn sideways on a portrait
    page has vertical text whatever /Rotate says; turning by the dominant writing direction puts rows
    back in rows, whether the page was rotated with /Rotate or drawn rotated.
    """
    weight: dict[tuple[int, int], int] = {}
    for block in data.get("blocks", ()):
        for line in block.get("lines", ()):
            dx, dy = line.get("dir", (1.0, 0.0))
            key = (round(dx), round(dy))
            weight[key] = weight.get(key, 0) + sum(len(span["text"]) for span in line["spans"])
    if not weight:
        return None
    dx, dy = max(weight, key=weight.__getitem__)
    if (dx, dy) == (1, 0) or (dx, dy) == (0, 0):
        return None
    return pymupdf.Matrix(-math.degrees(math.atan2(dy, dx)))


def _word(w: tuple, derotate: pymupdf.Matrix | None) -> Word:
    x0, y0, x1, y1, text, block, line = w[0], w[1], w[2], w[3], w[4], w[5], w[6]
    if derotate is not None:
        r = pymupdf.Rect(x0, y0, x1, y1) * derotate
        x0, y0, x1, y1 = r.x0, r.y0, r.x1, r.y1
    return Word(text, (x0, y0, x1, y1), (block, line))


def _split_words_at_rules(page, raw_words, words: list[Word], segments: list[Segment], upright) -> list[Word]:
    """Words that run across a vertical rule, split there ("nữ01" → "nữ" | "01").

    Text in neighbouring cells on one baseline can come out of the PDF as one word; its characters
    (looked up only for such words) tell where the rule cuts it.
    """
    rules = [s for s in segments if not s.horizontal]
    out: list[Word] = []
    for raw, word in zip(raw_words, words):
        x0, y0, x1, y1 = word.bbox
        cy = (y0 + y1) / 2
        cuts = sorted(r.x0 for r in rules if x0 + 1 < r.x0 < x1 - 1 and r.y0 <= cy <= r.y1)
        if not cuts:
            out.append(word)
            continue
        chars = _chars(page, pymupdf.Rect(raw[:4]), upright)
        pieces: dict[int, list[tuple[str, pymupdf.Rect]]] = {}
        for char, box in chars:
            cx = (box.x0 + box.x1) / 2
            pieces.setdefault(sum(1 for c in cuts if cx > c), []).append((char, box))
        for _, part in sorted(pieces.items()):
            text = "".join(c for c, _ in part).strip()
            if text:
                box = pymupdf.Rect(part[0][1]) | part[-1][1]
                out.append(Word(text, (box.x0, box.y0, box.x1, box.y1), word.line_key))
    return out


def _chars(page, clip: pymupdf.Rect, upright) -> list[tuple[str, pymupdf.Rect]]:
    """The characters inside `clip` with their boxes in upright space."""
    found = []
    data = page.get_text("rawdict", clip=clip + (-0.5, -0.5, 0.5, 0.5))
    for block in data.get("blocks", ()):
        for line in block.get("lines", ()):
            for span in line["spans"]:
                for ch in span["chars"]:
                    box = pymupdf.Rect(ch["bbox"])
                    found.append((ch["c"], box * upright if upright is not None else box))
    return found


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


def _text_lines(data: dict, number: int, derotate, table_boxes) -> list[Line]:
    """The page's running text, one Line per visual line, table cells left out."""
    lines: list[Line] = []
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
