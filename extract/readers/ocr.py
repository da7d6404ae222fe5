"""OCR for PDF pages without a usable text layer: render → deskew → ruling lines → tables and lines.

A page is read by OCR when an image covers most of it and its text layer is missing, a few words only
(a signature stamp) or garbage (an OCR layer made without Vietnamese, see `text_layer_quality`).

The page is rendered at low resolution to measure its skew (projection profile of the dark pixels),
then rendered again, turned straight, at `OcrSettings.dpi`: PyMuPDF turns the page while rendering, so
no image library is needed (numpy does the rest in ~0.3 s a page; OpenCV would not change the results).
Coordinates are PDF points of the straightened page, i.e. the page turned about its centre by the
skew: within a few points of the scan's own positions.

Tables come from the image's ruling lines (long dark runs, `find_rulings`) fed to the same
`extract.tables.page_tables` chain as text pages. Whole-page OCR reads ruled tables badly (rules
become letters, lone digits and dashes are dropped as noise), so each cell is judged from its pixels
first: no ink is a blank, one short flat bar is '-', anything else is cropped to its ink, cleaned to
black on white and read by Tesseract, all cells of a page in one call (a list file). A one-line cell
read with low confidence, or not as a number in a column of numbers, gets a second opinion from
three other renderings (grey, and both scaled to a 36 px line) and the most confident reading wins;
cells still below `min_confidence` are reported. The rest of the page (tables painted white) is read
by one whole-page Tesseract run.

Tesseract is called as a program (`tesseract ... tsv`), not through PyMuPDF's OCR (which OCRs the page
as rendered, with no way to straighten it or to send it cell crops, and needs TESSDATA_PREFIX), nor
through pytesseract (one more dependency and the same program underneath).
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import time
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pymupdf

from normalize.text import clean

from ..kinds import Detection
from ..model import Cell, Page, Table
from ..settings import OcrSettings, TableSettings
from ..tables import Segment, Word, page_tables, table_bbox
from .scan_pixels import (
    CellInk,
    Rule,
    binary_crop,
    classify_cell,
    despeckle,
    erase_rules,
    estimate_skew,
    find_rulings,
    gray_crop,
    ink_mask,
    pixel_bbox,
    render_gray,
    resize,
    rules_to_segments,
    to_box,
)
from .tesseract import TsvWord, parse_tsv, run_tesseract, tsv_to_lines

log = logging.getLogger(__name__)

INSTALL_COMMAND = "sudo apt-get install tesseract-ocr tesseract-ocr-vie"

OcrOptions = OcrSettings  # the name tests and older callers use; the settings live in extract/settings.py

# Names tests and the PDF reader take from this module (the pixel and Tesseract helpers live next door).
__all__ = [
    "CellInk", "INSTALL_COMMAND", "OcrOptions", "OcrResult", "OcrSettings", "OcrStats", "OcrUnavailable", "Rule",
    "Segment", "TsvWord", "check_tesseract", "classify_cell", "estimate_skew", "find_rulings", "find_tesseract",
    "fix_misread_capital_i", "image_cover", "ink_mask", "low_confidence_message", "ocr_page", "page_needs_ocr",
    "parse_tsv", "render_gray", "rules_to_segments", "run_tesseract", "tesseract_languages", "text_layer_quality",
    "tsv_to_lines",
]


class OcrUnavailable(RuntimeError):
    """Tesseract (or its language data) is missing; the message says how to install it."""


@dataclass
class OcrStats:
    """Timings of one page, for the performance figures."""

    seconds_total: float = 0.0
    seconds_tesseract: float = 0.0
    tesseract_calls: int = 0
    skew_degrees: float = 0.0
    cells_read: int = 0


# ---------------------------------------------------------------------------------------------
# Is the text layer usable?

_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # grave, acute, tilde, hook, dot below
_SHAPE_MARKS = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn
_SYLLABLE = re.compile(
    r"^(ngh|ng|gh|gi|kh|ch|nh|ph|th|tr|qu|[bcdđghklmnprstvx])?([aăâeêioôơuưy]{1,3})(ch|nh|ng|[cmnptiyou])?$"
)
_LETTERS = re.compile(r"[^\W\d_]+")


def _syllable(token: str) -> tuple[bool, bool]:
    """(is a well-formed Vietnamese syllable, carries a Vietnamese diacritic)."""
    decomposed = unicodedata.normalize("NFD", token.lower())
    tones = sum(1 for ch in decomposed if ch in _TONE_MARKS)
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    marked = tones > 0 or "đ" in base or any(ch in _SHAPE_MARKS for ch in decomposed)
    return tones <= 1 and bool(_SYLLABLE.match(base)), marked


def text_layer_quality(text: str) -> float | None:
    """How much `text` looks like Vietnamese, 0-1; None for fewer than 20 words (too little to judge).

    The smaller of: the share of words that are well-formed Vietnamese syllables, and the share of
    words carrying a Vietnamese diacritic scaled so that 60% counts as full. Real plans score 0.88 and
    more (about 80% of their syllables carry a mark); an OCR layer made without the Vietnamese model
    ("CONG HOA xA HO! CHIJ NGHIA") scores about 0.3.
    """
    tokens = _LETTERS.findall(unicodedata.normalize("NFC", text))
    if len(tokens) < 20:
        return None
    checks = [_syllable(t) for t in tokens]
    valid = sum(1 for ok, _ in checks if ok) / len(tokens)
    marked = sum(1 for _, m in checks if m) / len(tokens)
    return min(valid, min(1.0, marked / 0.6))


def image_cover(page: pymupdf.Page) -> float:
    """Share of the page covered by its largest image (0-1)."""
    area = abs(page.rect)
    if not area:
        return 0.0
    best = 0.0
    for info in page.get_image_info():
        box = pymupdf.Rect(info["bbox"]) & page.rect
        best = max(best, abs(box) / area)
    return best


# A page-size image under fewer letters than this is a scan with a stamp or a header in its text layer
# (a digital-signature box, a page number), not a page whose text can be taken from the layer.
MIN_LAYER_LETTERS = 200


def page_needs_ocr(page: pymupdf.Page, options: OcrSettings | None = None) -> bool:
    """True for a scanned page: mostly one image, and a text layer that is missing, tiny or not Vietnamese."""
    options = options or OcrSettings()
    if image_cover(page) < options.min_image_cover:
        return False
    text = page.get_text("text")
    if sum(len(t) for t in _LETTERS.findall(text)) < MIN_LAYER_LETTERS:
        return True
    quality = text_layer_quality(text)
    return quality is not None and quality < options.min_text_quality


# ---------------------------------------------------------------------------------------------
# Tesseract

def find_tesseract(name: str = "tesseract") -> str | None:
    """Path of the Tesseract program, or None when it is not installed."""
    return shutil.which(name)


@lru_cache(maxsize=8)
def tesseract_languages(binary: str) -> frozenset[str]:
    try:
        out = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in (out.stdout + out.stderr).splitlines()[1:] if line.strip())


def check_tesseract(options: OcrSettings) -> str:
    """The Tesseract program to call; OcrUnavailable (with the install command) when it or the language is missing."""
    binary = find_tesseract(options.tesseract)
    if not binary:
        raise OcrUnavailable(f"Tesseract OCR is not installed; install it with: {INSTALL_COMMAND}")
    have = tesseract_languages(binary)
    missing = [lang for lang in options.lang.split("+") if lang not in have]
    if missing:
        packages = " ".join(f"tesseract-ocr-{lang}" for lang in missing)
        raise OcrUnavailable(
            f"Tesseract has no '{'+'.join(missing)}' language data; install it with: sudo apt-get install {packages}"
        )
    return binary



# In serif faces a capital I reads as "l": a cell "la Grai" whose other words are all capitalised is a
# place name ("Ia Grai", "Ia Pa", "Ia H'Drai": Central Highlands names start with the syllable "Ia").
def fix_misread_capital_i(text: str) -> str:
    """'la Grai' → 'Ia Grai'; only a leading "la" followed by capitalised words only."""
    words = text.split(" ")
    if len(words) > 1 and words[0] == "la" and all(w[:1].isupper() for w in words[1:]):
        return "I" + text[1:]
    return text


@dataclass
class OcrResult:
    """One page read by OCR: the Page, its tables (cells carry `ocr_confidence`), the cells to check."""

    page: Page
    tables: list[Table]
    low_confidence: list[tuple[Table, Cell, float]]  # cells read with less than OcrSettings.min_confidence
    stats: OcrStats


def _zoom(page: pymupdf.Page, options: OcrSettings) -> float:
    zoom = options.dpi / 72
    pixels = abs(page.rect) * zoom * zoom
    if pixels > options.max_pixels:
        zoom *= (options.max_pixels / pixels) ** 0.5
    return zoom



_VALUE = re.compile(r"[-–]|\d[\d.,]*%?")


@dataclass
class _Reading:
    """One way of reading a cell: its text, mean word confidence and words (bbox in page points)."""

    text: str
    conf: float
    words: list[tuple[str, tuple[float, float, float, float], tuple[int, int], float]]


@dataclass
class _TextCell:
    """A table cell with ink to read, and its readings so far."""

    serial: int
    table: int
    col: int
    clip: tuple[int, int, int, int]  # the cell inside its rules, page pixels
    ink: tuple[int, int, int, int]  # the ink's box, page pixels
    single_line: bool
    readings: list[_Reading] = field(default_factory=list)


class _Tesseract:
    """Batches of crops → readings, keeping the timings."""

    def __init__(self, binary: str, options: OcrSettings, stats: OcrStats, to_points: pymupdf.Matrix) -> None:
        self.binary, self.options, self.stats, self.to_points = binary, options, stats, to_points

    def words(self, images: list[np.ndarray], psm: int) -> list[TsvWord]:
        started = time.perf_counter()
        found = run_tesseract(self.binary, images, self.options, psm)
        self.stats.seconds_tesseract += time.perf_counter() - started
        self.stats.tesseract_calls += 1
        return found

    def read(self, jobs: list[tuple[_TextCell, np.ndarray, tuple[int, int], float]], psm: int) -> None:
        """OCR each (cell, crop, page pixel of the crop's origin, crop scale) and add a reading to its cell."""
        if not jobs:
            return
        by_image: dict[int, list[TsvWord]] = {}
        for w in self.words([crop for _, crop, _, _ in jobs], psm):
            by_image.setdefault(w.image, []).append(w)
        for i, (cell, _, (ox, oy), scale) in enumerate(jobs):
            found = sorted(by_image.get(i, []), key=lambda w: (w.block, w.par, w.line, w.left))
            words = [
                (
                    w.text,
                    pixel_bbox(ox + w.left / scale, oy + w.top / scale, ox + (w.left + w.width) / scale,
                                oy + (w.top + w.height) / scale, self.to_points),
                    (cell.serial, w.block * 10_000 + w.par * 1000 + w.line),
                    w.conf,
                )
                for w in found
            ]
            text = clean(" ".join(w.text for w in found))
            conf = sum(w.conf for w in found) / len(found) if found else 0.0
            cell.readings.append(_Reading(text, conf, words))


def _second_opinion_jobs(cell: _TextCell, image: np.ndarray, text_ink: np.ndarray, zoom: float):
    """Other renderings of a doubtful one-line cell: the grey pixels, and both scaled to 36 px high ink
    (Tesseract misreads a lone digit at some sizes and not at others; one of these usually reads it)."""
    pad, margin = round(2 * zoom), round(5 * zoom)
    x0, y0 = max(cell.clip[0], cell.ink[0] - pad) - margin, max(cell.clip[1], cell.ink[1] - pad) - margin
    gray = gray_crop(image, cell.clip, cell.ink, pad, margin)
    black, _ = binary_crop(text_ink, cell.clip, cell.ink, pad, margin)
    scale = min(3.0, max(0.33, 36 / max(1, cell.ink[3] - cell.ink[1])))
    return [
        (cell, gray, (x0, y0), 1.0),
        (cell, resize(black, scale), (x0, y0), scale),
        (cell, resize(gray, scale), (x0, y0), scale),
    ]


def _value_columns(cells: list[_TextCell], dashes: dict[tuple[int, int], int]) -> set[tuple[int, int]]:
    """(table, column) pairs whose read cells are mostly numbers or dashes."""
    votes: dict[tuple[int, int], list[int]] = {}
    for cell in cells:
        best = max(cell.readings, key=lambda r: r.conf, default=None)
        tally = votes.setdefault((cell.table, cell.col), [0, 0])
        tally[0] += bool(best and _VALUE.fullmatch(best.text))
        tally[1] += 1
    for key, n in dashes.items():
        tally = votes.setdefault(key, [0, 0])
        tally[0] += n
        tally[1] += n
    return {key for key, (values, total) in votes.items() if total and values >= 0.6 * total}


def _choose(cell: _TextCell, value_column: bool) -> _Reading:
    """The most confident reading; in a column of numbers, the most confident one that is a number."""
    pool = cell.readings
    if value_column:
        pool = [r for r in pool if _VALUE.fullmatch(r.text)] or pool
    return max(pool, key=lambda r: r.conf)


@dataclass
class _ScanImage:
    """One scanned page rendered straight: its rules, and the ink left once the rules are erased."""

    number: int
    zoom: float
    to_points: pymupdf.Matrix
    to_pixels: pymupdf.Matrix
    segments: list[Segment]
    clean_mask: np.ndarray
    clean_image: np.ndarray  # greyscale, rules painted white
    text_ink: np.ndarray  # clean_mask without specks


def _render(page: pymupdf.Page, options: OcrSettings, stats: OcrStats) -> _ScanImage:
    zoom = _zoom(page, options)
    angle = estimate_skew(render_gray(page, min(zoom, 100 / 72))[0], options.max_skew_degrees)
    stats.skew_degrees = angle
    image, to_points = render_gray(page, zoom, angle)
    mask = ink_mask(image)
    rules = find_rulings(
        mask, min_length=round(30 * zoom), short_length=round(8 * zoom), max_gap=max(2, round(zoom)),
        max_thickness=max(4, round(3 * zoom)), touch=max(3, round(1.5 * zoom)),
    )
    segments = rules_to_segments(rules, to_points)
    clean_mask, clean_image = mask.copy(), image.copy()
    erase_rules(clean_mask, rules, False)
    erase_rules(clean_image, rules, 255)
    log.debug("p.%d: skew %.2f degrees, %d ruling lines", page.number + 1, angle, len(rules))
    return _ScanImage(page.number + 1, zoom, to_points, ~to_points, segments, clean_mask, clean_image,
                      despeckle(clean_mask))


@dataclass
class _CellWords:
    """The words found in a page's table cells, with their confidence and the cells still to read."""

    words: list[Word] = field(default_factory=list)
    confidence: dict[Word, float] = field(default_factory=dict)
    to_read: list[_TextCell] = field(default_factory=list)
    dashes: dict[tuple[int, int], int] = field(default_factory=dict)
    slot: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # cell serial → (table, row, col)


def _judge_cells(structure: list[Table], scan: _ScanImage) -> _CellWords:
    """Blank and '-' cells judged from their pixels; the others queued for Tesseract."""
    found_words = _CellWords()
    serial = 0
    for t_index, table in enumerate(structure):
        for cell in table.cells:
            serial += 1
            found_words.slot[serial] = (t_index, cell.row, cell.col)
            box = to_box(cell.bbox, scan.to_pixels, 1.2, scan.clean_mask.shape)
            found = classify_cell(scan.clean_mask, box, scan.zoom)
            if found.kind == "dash":
                word = Word("-", pixel_bbox(*found.box, scan.to_points), (serial, 0))
                found_words.words.append(word)
                found_words.confidence[word] = 95.0  # a flat bar alone in its cell
                key = (t_index, cell.col)
                found_words.dashes[key] = found_words.dashes.get(key, 0) + 1
            elif found.kind == "text":
                one_line = (found.box[3] - found.box[1]) / scan.zoom <= 16
                found_words.to_read.append(_TextCell(serial, t_index, cell.col, box, found.box, one_line))
    return found_words


def _read_cells(cells: _CellWords, scan: _ScanImage, tess: _Tesseract, options: OcrSettings) -> None:
    """OCR the queued cells from clean black-and-white crops; a second opinion on doubtful one-line cells
    (low confidence, or not a number in a column of numbers); the best reading's words join `cells`."""
    pad, margin = round(2 * scan.zoom), round(5 * scan.zoom)
    for one_line, psm in ((True, 7), (False, 6)):
        jobs = []
        for cell in cells.to_read:
            if cell.single_line == one_line:
                crop, origin = binary_crop(scan.text_ink, cell.clip, cell.ink, pad, margin)
                jobs.append((cell, crop, origin, 1.0))
        tess.read(jobs, psm)
        tess.stats.cells_read += len(jobs)
    value_columns = _value_columns(cells.to_read, cells.dashes)
    doubtful = [
        c for c in cells.to_read
        if c.single_line and (
            c.readings[0].conf < options.min_confidence
            or ((c.table, c.col) in value_columns and not _VALUE.fullmatch(c.readings[0].text))
        )
    ]
    jobs = [job for c in doubtful for job in _second_opinion_jobs(c, scan.clean_image, scan.text_ink, scan.zoom)]
    tess.read(jobs, 7)
    for cell in cells.to_read:
        reading = _choose(cell, (cell.table, cell.col) in value_columns)
        for text, bbox, key, conf in reading.words:
            word = Word(text, bbox, key)
            cells.words.append(word)
            cells.confidence[word] = conf


def _rate_cells(tables: list[Table], cells: _CellWords, options: OcrSettings) -> list[tuple[Table, Cell, float]]:
    """Each cell's mean word confidence (a cell without ink counts 99); the cells below the threshold."""
    by_slot: dict[tuple[int, int, int], list[float]] = {}
    for word, conf in cells.confidence.items():
        by_slot.setdefault(cells.slot[word.line_key[0]], []).append(conf)
    low_confidence: list[tuple[Table, Cell, float]] = []
    for t_index, table in enumerate(tables):  # the same rules give the same tables and cells again
        for cell in table.cells:
            inside = by_slot.get((t_index, cell.row, cell.col), [])
            cell.text = fix_misread_capital_i(cell.text)
            conf = sum(inside) / len(inside) if inside else None
            cell.ocr_confidence = 99.0 if conf is None else round(conf, 1)
            if conf is not None and conf < options.min_confidence:
                low_confidence.append((table, cell, conf))
    return low_confidence


def ocr_page(
    page: pymupdf.Page, binary: str, options: OcrSettings, settings: TableSettings | None = None
) -> OcrResult:
    """Read one scanned page: straighten it, find its ruled tables, OCR their cells and the rest of the page."""
    started = time.perf_counter()
    stats = OcrStats()
    settings = settings or TableSettings()
    scan = _render(page, options, stats)
    number = scan.number
    structure = page_tables(scan.segments, [], number, settings) if scan.segments else []
    tess = _Tesseract(binary, options, stats, scan.to_points)
    cells = _judge_cells(structure, scan)
    _read_cells(cells, scan, tess, options)
    tables = page_tables(scan.segments, cells.words, number, settings, Detection.OCR) if structure else []
    low_confidence = _rate_cells(tables, cells, options)

    # The page's running text: one Tesseract run over the page with its tables painted white.
    page_image = scan.clean_image
    for b in (table_bbox(t) for t in tables):
        if b:
            x0, y0, x1, y1 = to_box(b, scan.to_pixels, -2.0, page_image.shape)
            page_image[y0:y1, x0:x1] = 255
    page_words = tess.words([page_image], 3)
    lines = tsv_to_lines(page_words, scan.to_points, number)

    confs = [w.conf for w in page_words if w.conf >= 0] + [cells.confidence[w] for w in cells.words if w.text != "-"]
    rect = page.rect
    result_page = Page(
        number=number, width=rect.width, height=rect.height, rotation=page.rotation, lines=lines, ocr=True,
        ocr_confidence=round(sum(confs) / len(confs), 1) if confs else None,
    )
    stats.seconds_total = time.perf_counter() - started
    return OcrResult(result_page, tables, low_confidence, stats)


def low_confidence_message(table: Table, cell: Cell, conf: float, threshold: float) -> str:
    """The text of an ocr_low_confidence warning: which cell, what was read, how sure."""
    return (
        f"table {table.index + 1}, row {cell.row + 1}, column {cell.col + 1} read as '{cell.text}' with OCR "
        f"confidence {conf:.0f}% (below {threshold:g}%); check it against the scan"
    )
