"""OCR for PDF pages without a usable text layer: render → deskew → ruling lines → tables and lines.

A page is read by OCR when an image covers most of it and its text layer is missing, a few words only
(a signature stamp) or garbage (an OCR layer made without Vietnamese, see `text_layer_quality`).

The page is rendered at low resolution to measure its skew (projection profile of the dark pixels),
then rendered again, turned straight, at `OcrOptions.dpi`: PyMuPDF turns the page while rendering, so
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

import os
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pymupdf

from normalize.text import clean

from ..model import Cell, Line, Page, Table
from ..tables import Segment, TableSettings, Word, page_tables, table_bbox

INSTALL_COMMAND = "sudo apt-get install tesseract-ocr tesseract-ocr-vie"


@dataclass(frozen=True)
class OcrOptions:
    """How scanned pages are read."""

    enabled: bool = True
    dpi: int = 300  # render resolution for OCR; Tesseract reads 10-14 pt text best at 300 dpi
    lang: str = "vie"  # Tesseract language(s), e.g. "vie+eng"
    max_pixels: int = 30_000_000  # a page bigger than this at `dpi` is rendered at a lower resolution
    timeout_seconds: float = 120.0  # per Tesseract call
    tesseract: str = "tesseract"  # the program's name or path
    max_skew_degrees: float = 3.0  # skew searched in [-max, +max]
    min_confidence: float = 80.0  # table cells read with less are reported (warning ocr_low_confidence)
    min_text_quality: float = 0.6  # a text layer scoring less (see text_layer_quality) is read again by OCR
    min_image_cover: float = 0.5  # share of the page an image must cover for the page to count as a scan

    def __post_init__(self) -> None:
        if not 72 <= self.dpi <= 1200:
            raise ValueError(f"OcrOptions.dpi must be between 72 and 1200, not {self.dpi}")
        if self.max_pixels < 1_000_000:
            raise ValueError("OcrOptions.max_pixels must be at least 1000000")
        if self.timeout_seconds <= 0:
            raise ValueError("OcrOptions.timeout_seconds must be positive")


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


def page_needs_ocr(page: pymupdf.Page, options: OcrOptions | None = None) -> bool:
    """True for a scanned page: mostly one image, and a text layer that is missing, tiny or not Vietnamese."""
    options = options or OcrOptions()
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


def check_tesseract(options: OcrOptions) -> str:
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


@dataclass(frozen=True)
class TsvWord:
    image: int  # 0-based index of the image in the batch
    block: int
    par: int
    line: int
    left: int
    top: int
    width: int
    height: int
    conf: float
    text: str


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # One thread per Tesseract: documents already run in parallel (--workers), and OpenMP threads
    # make a single page only ~10% faster while competing with the other workers.
    env.setdefault("OMP_THREAD_LIMIT", "1")
    return env


def run_tesseract(
    binary: str, images: list[np.ndarray], options: OcrOptions, psm: int, extra: tuple[str, ...] = ()
) -> list[TsvWord]:
    """Words (TSV) of one or more greyscale images, in one Tesseract process (a list file for several)."""
    if not images:
        return []
    with tempfile.TemporaryDirectory(prefix="p8ocr-") as tmp:
        paths = []
        for i, image in enumerate(images):
            path = Path(tmp) / f"{i:05d}.pgm"
            _write_pgm(path, image)
            paths.append(str(path))
        if len(paths) == 1:
            source = paths[0]
        else:
            source = str(Path(tmp) / "images.txt")
            Path(source).write_text("\n".join(paths) + "\n", encoding="utf-8")
        cmd = [binary, source, "stdout", "-l", options.lang, "--psm", str(psm), *extra, "tsv"]
        try:
            done = subprocess.run(
                cmd, capture_output=True, timeout=options.timeout_seconds, env=_env(), check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"Tesseract took longer than {options.timeout_seconds:g} s") from exc
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise RuntimeError(f"Tesseract failed: {message[-1] if message else done.returncode}")
    return parse_tsv(done.stdout.decode("utf-8", "replace"))


def _write_pgm(path: Path, image: np.ndarray) -> None:
    image = np.ascontiguousarray(image, dtype=np.uint8)
    with open(path, "wb") as fh:
        fh.write(f"P5\n{image.shape[1]} {image.shape[0]}\n255\n".encode("ascii"))
        fh.write(image.tobytes())


def parse_tsv(tsv: str) -> list[TsvWord]:
    """Tesseract's TSV → the word rows (level 5) with text."""
    words: list[TsvWord] = []
    for row in tsv.splitlines()[1:]:
        parts = row.split("\t")
        if len(parts) < 12 or parts[0] != "5":
            continue
        text = clean(parts[11])
        if not text:
            continue
        words.append(
            TsvWord(
                int(parts[1]) - 1, int(parts[2]), int(parts[3]), int(parts[4]),
                int(parts[6]), int(parts[7]), int(parts[8]), int(parts[9]), float(parts[10]), text,
            )
        )
    return words


# ---------------------------------------------------------------------------------------------
# Pixels: rendering, skew, ink, ruling lines

def render_gray(page: pymupdf.Page, zoom: float, angle: float = 0.0) -> tuple[np.ndarray, pymupdf.Matrix]:
    """The page as a greyscale array, turned by `angle` degrees about its centre, and the matrix mapping
    the array's pixels to points of the turned page (which, for angle 0, are the page's own points)."""
    rect = page.rect
    cx, cy = (rect.x0 + rect.x1) / 2, (rect.y0 + rect.y1) / 2
    matrix = pymupdf.Matrix(1, 0, 0, 1, -cx, -cy)
    if angle:
        matrix = matrix * pymupdf.Matrix(angle)
    matrix = matrix * pymupdf.Matrix(1, 0, 0, 1, cx, cy) * pymupdf.Matrix(zoom, zoom)
    pix = page.get_pixmap(matrix=matrix, colorspace=pymupdf.csGRAY, alpha=False)
    image = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)[:, : pix.width]
    to_points = pymupdf.Matrix(1 / zoom, 0, 0, 1 / zoom, pix.x / zoom, pix.y / zoom)
    return image.copy(), to_points


def otsu_threshold(image: np.ndarray) -> int:
    """Grey level that best splits the image into ink and paper (Otsu)."""
    hist = np.bincount(image.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    if not total:
        return 128
    p = hist / total
    w = np.cumsum(p)
    mu = np.cumsum(p * np.arange(256))
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mu[-1] * w - mu) ** 2 / (w * (1.0 - w))
    between = np.nan_to_num(between[:255], nan=0.0, posinf=0.0)
    return int(np.argmax(between))


def ink_mask(image: np.ndarray) -> np.ndarray:
    """Dark pixels (True) of a greyscale page, split from the paper by Otsu's threshold kept in [90, 200]."""
    return image <= min(200, max(90, otsu_threshold(image)))


def estimate_skew(image: np.ndarray, max_degrees: float = 3.0, samples: int = 150_000) -> float:
    """The angle (degrees) to turn the page by to straighten it: text lines and rules give the sharpest
    row profile when straight. Searched in 0.1° steps, then 0.01°; deterministic."""
    ys, xs = np.nonzero(ink_mask(image))
    if len(ys) < 500:
        return 0.0
    step = max(1, len(ys) // samples)
    ys, xs = ys[::step].astype(np.float64), xs[::step].astype(np.float64)

    def sharpness(deg: float) -> float:
        rad = np.deg2rad(deg)
        proj = ys * np.cos(rad) + xs * np.sin(rad)
        hist = np.bincount((proj - proj.min()).astype(np.int64))
        return float(np.dot(hist, hist.astype(np.float64)))

    coarse = np.arange(-max_degrees, max_degrees + 1e-9, 0.1)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.1, best + 0.1 + 1e-9, 0.01)
    best = max(fine, key=sharpness)
    return float(round(best, 2))


@dataclass(frozen=True)
class Rule:
    """A ruling line found in an image, in pixels: `pos` is its centre row (horizontal) or column."""

    horizontal: bool
    pos: float
    start: int
    end: int  # exclusive
    first: int  # first and last pixel row (column) of its thickness
    last: int


def _long_runs(mask: np.ndarray, min_length: int, max_gap: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row-wise dark runs at least `min_length` long, gaps up to `max_gap` bridged: (rows, starts, ends)."""
    h, w = mask.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    diff = np.diff(padded, axis=1)
    rows, starts = np.nonzero(diff == 1)
    _, ends = np.nonzero(diff == -1)
    if not len(starts):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    new = np.ones(len(starts), dtype=bool)
    new[1:] = (rows[1:] != rows[:-1]) | (starts[1:] - ends[:-1] > max_gap)
    first = np.flatnonzero(new)
    last = np.r_[first[1:] - 1, len(starts) - 1]
    rows, starts, ends = rows[first], starts[first], ends[last]
    keep = ends - starts >= min_length
    return rows[keep], starts[keep], ends[keep]


def _rules_one_way(mask: np.ndarray, horizontal: bool, min_length: int, max_gap: int, max_thickness: int) -> list[Rule]:
    grid = mask if horizontal else mask.T
    # A rule that steps by a pixel (a trace of skew) stays one run once each row also sees its neighbours.
    thick = grid.copy()
    thick[1:] |= grid[:-1]
    thick[:-1] |= grid[1:]
    rows, starts, ends = _long_runs(thick, min_length, max_gap)
    groups: list[list[int]] = []  # [first_row, last_row, start, end]
    open_groups: list[list[int]] = []
    for row, a, b in zip(rows.tolist(), starts.tolist(), ends.tolist()):
        open_groups = [g for g in open_groups if g[1] >= row - 1]
        for g in open_groups:
            overlap = min(b, g[3]) - max(a, g[2])
            if overlap > 0.5 * min(b - a, g[3] - g[2]):
                g[1] = row
                g[2], g[3] = min(g[2], a), max(g[3], b)
                break
        else:
            g = [row, row, a, b]
            groups.append(g)
            open_groups.append(g)
    rules = []
    for first, last, a, b in groups:
        # The thickening added a row each side; a taller band is a filled area (a bar, a photo), not a rule.
        first, last = first + 1, last - 1
        if last < first:
            first = last = (first + last) // 2
        if last - first + 1 > max_thickness:
            continue
        rules.append(Rule(horizontal, (first + last) / 2, a, b, first, last))
    return rules


def find_rulings(
    mask: np.ndarray, min_length: int, short_length: int | None = None, max_gap: int = 4, max_thickness: int = 12,
    touch: int = 6,
) -> list[Rule]:
    """Horizontal and vertical ruling lines of a binary image (True = ink), in pixels.

    Rules at least `min_length` long are kept. Shorter ones (down to `short_length`, e.g. the border
    between two cells of a single header row) are kept only when both their ends meet a long rule
    across them (within `touch` pixels), which text strokes practically never do.
    """
    short_length = min(short_length or min_length, min_length)
    found = _rules_one_way(mask, True, short_length, max_gap, max_thickness) + _rules_one_way(
        mask, False, short_length, max_gap, max_thickness
    )
    long_rules = [r for r in found if r.end - r.start >= min_length]

    def meets(rule: Rule, at: int) -> bool:
        return any(
            other.horizontal != rule.horizontal
            and other.first - touch <= at <= other.last + touch
            and other.start - touch <= rule.pos <= other.end + touch
            for other in long_rules
        )

    return long_rules + [
        r for r in found if r.end - r.start < min_length and meets(r, r.start) and meets(r, r.end - 1)
    ]


def rules_to_segments(rules: list[Rule], to_points: pymupdf.Matrix) -> list[Segment]:
    """Pixel rules → extract.tables.Segment in page points (`to_points` maps pixels to points)."""
    segments = []
    for rule in rules:
        if rule.horizontal:
            p, q = pymupdf.Point(rule.start, rule.pos) * to_points, pymupdf.Point(rule.end, rule.pos) * to_points
        else:
            p, q = pymupdf.Point(rule.pos, rule.start) * to_points, pymupdf.Point(rule.pos, rule.end) * to_points
        segments.append(Segment(min(p.x, q.x), min(p.y, q.y), max(p.x, q.x), max(p.y, q.y)))
    return segments


def erase_rules(image: np.ndarray, rules: list[Rule], value: int | bool, margin: int = 2) -> None:
    """Paint the rules' bands (grown by `margin`) with `value`, in place: white in a grey image, False in an
    ink mask, so that cells and text hold letters only and Tesseract does not read rules as letters."""
    for rule in rules:
        lo, hi = max(0, rule.first - margin), rule.last + margin + 1
        if rule.horizontal:
            image[lo:hi, max(0, rule.start):rule.end] = value
        else:
            image[max(0, rule.start):rule.end, lo:hi] = value


def despeckle(mask: np.ndarray) -> np.ndarray:
    """Binary opening with a 2x2 square: specks smaller than 2x2 pixels go, strokes stay."""
    if mask.shape[0] < 2 or mask.shape[1] < 2:
        return np.zeros_like(mask)
    core = mask[:-1, :-1] & mask[1:, :-1] & mask[:-1, 1:] & mask[1:, 1:]
    out = np.zeros_like(mask)
    out[:-1, :-1] |= core
    out[1:, :-1] |= core
    out[:-1, 1:] |= core
    out[1:, 1:] |= core
    return out


def _box_count(mask: np.ndarray, radius: int) -> np.ndarray:
    """Number of ink pixels in the (2r+1)² square around each pixel."""
    padded = np.pad(mask.astype(np.int32), radius)
    sums = np.zeros((padded.shape[0] + 1, padded.shape[1] + 1), dtype=np.int32)
    sums[1:, 1:] = padded.cumsum(0).cumsum(1)
    k = 2 * radius + 1
    return sums[k:, k:] - sums[:-k, k:] - sums[k:, :-k] + sums[:-k, :-k]


def without_specks(mask: np.ndarray, zoom: float) -> np.ndarray:
    """Ink with isolated dots removed: pixels with few ink neighbours within ~1 pt (noise, dust)."""
    radius = max(1, round(0.6 * zoom))
    need = (radius + 1) ** 2 + 1  # more than a dot of about half the window's side
    return mask & (_box_count(mask, radius) >= need)


# ---------------------------------------------------------------------------------------------
# One page

@dataclass
class CellInk:
    """What a table cell holds, judged from its pixels: 'blank', 'dash' or 'text' (with its ink box)."""

    kind: str
    box: tuple[int, int, int, int] = (0, 0, 0, 0)  # x0, y0, x1, y1 in page pixels (exclusive ends)


def classify_cell(mask: np.ndarray, box: tuple[int, int, int, int], zoom: float) -> CellInk:
    """Blank, '-' or text, from the ink inside `box` (pixels, inset from the cell's rules; rules erased).

    Decided from pixels rather than by Tesseract, which drops a lone '-' as noise and reads an
    empty crop's speckles as letters. A '-' is one short flat bar: at most 2.2 pt high, 1.5-12 pt long.
    """
    x0, y0, x1, y1 = box
    if x1 - x0 < 2 or y1 - y0 < 2:
        return CellInk("blank")
    crop = without_specks(mask[y0:y1, x0:x1], zoom)
    ink = int(crop.sum())
    if ink < max(4, int((0.5 * zoom) ** 2)):
        return CellInk("blank")
    rows = np.flatnonzero(crop.any(axis=1))
    cols = np.flatnonzero(crop.any(axis=0))
    ink_box = (x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1, y0 + int(rows[-1]) + 1)
    width, height = (ink_box[2] - ink_box[0]) / zoom, (ink_box[3] - ink_box[1]) / zoom
    fill = ink / max(1, (ink_box[2] - ink_box[0]) * (ink_box[3] - ink_box[1]))
    if height <= 2.2 and 1.5 <= width <= 12.0 and fill >= 0.5:
        return CellInk("dash", ink_box)
    return CellInk("text", ink_box)


def _binary_crop(mask: np.ndarray, clip: tuple[int, int, int, int], box: tuple[int, int, int, int], pad: int,
                 margin: int) -> tuple[np.ndarray, tuple[int, int]]:
    """Black-on-white image of the ink in `box` (grown by `pad`, kept inside `clip`) with a white margin;
    and the page pixel that the image's (0, 0) stands for."""
    x0, y0 = max(clip[0], box[0] - pad), max(clip[1], box[1] - pad)
    x1, y1 = min(clip[2], box[2] + pad), min(clip[3], box[3] + pad)
    ink = mask[y0:y1, x0:x1]
    out = np.full((ink.shape[0] + 2 * margin, ink.shape[1] + 2 * margin), 255, dtype=np.uint8)
    out[margin:margin + ink.shape[0], margin:margin + ink.shape[1]][ink] = 0
    return out, (x0 - margin, y0 - margin)


def _gray_crop(image: np.ndarray, clip: tuple[int, int, int, int], box: tuple[int, int, int, int], pad: int,
               margin: int) -> np.ndarray:
    x0, y0 = max(clip[0], box[0] - pad), max(clip[1], box[1] - pad)
    x1, y1 = min(clip[2], box[2] + pad), min(clip[3], box[3] + pad)
    part = image[y0:y1, x0:x1]
    out = np.full((part.shape[0] + 2 * margin, part.shape[1] + 2 * margin), 255, dtype=np.uint8)
    out[margin:margin + part.shape[0], margin:margin + part.shape[1]] = part
    return out


def resize(image: np.ndarray, scale: float) -> np.ndarray:
    """Bilinear resize of a greyscale image by `scale`."""
    h, w = image.shape
    nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
    ys = np.clip((np.arange(nh) + 0.5) / scale - 0.5, 0, h - 1)
    xs = np.clip((np.arange(nw) + 0.5) / scale - 0.5, 0, w - 1)
    y0, x0 = np.floor(ys).astype(int), np.floor(xs).astype(int)
    y1, x1 = np.minimum(y0 + 1, h - 1), np.minimum(x0 + 1, w - 1)
    fy, fx = (ys - y0)[:, None], (xs - x0)[None, :]
    img = image.astype(np.float32)
    top = img[y0][:, x0] * (1 - fx) + img[y0][:, x1] * fx
    bottom = img[y1][:, x0] * (1 - fx) + img[y1][:, x1] * fx
    return np.clip(top * (1 - fy) + bottom * fy + 0.5, 0, 255).astype(np.uint8)


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
    low_confidence: list[tuple[Table, Cell, float]]  # cells read with less than OcrOptions.min_confidence
    stats: OcrStats


def _zoom(page: pymupdf.Page, options: OcrOptions) -> float:
    zoom = options.dpi / 72
    pixels = abs(page.rect) * zoom * zoom
    if pixels > options.max_pixels:
        zoom *= (options.max_pixels / pixels) ** 0.5
    return zoom


def _to_box(rect: tuple[float, float, float, float], to_pixels: pymupdf.Matrix, inset: float,
            shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    r = pymupdf.Rect(rect[0] + inset, rect[1] + inset, rect[2] - inset, rect[3] - inset) * to_pixels
    h, w = shape[:2]
    return max(0, int(r.x0)), max(0, int(r.y0)), min(w, int(np.ceil(r.x1))), min(h, int(np.ceil(r.y1)))


def _pixel_bbox(left: float, top: float, right: float, bottom: float, to_points: pymupdf.Matrix):
    r = pymupdf.Rect(left, top, right, bottom) * to_points
    return (r.x0, r.y0, r.x1, r.y1)


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

    def __init__(self, binary: str, options: OcrOptions, stats: OcrStats, to_points: pymupdf.Matrix) -> None:
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
                    _pixel_bbox(ox + w.left / scale, oy + w.top / scale, ox + (w.left + w.width) / scale,
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
    gray = _gray_crop(image, cell.clip, cell.ink, pad, margin)
    black, _ = _binary_crop(text_ink, cell.clip, cell.ink, pad, margin)
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


def ocr_page(
    page: pymupdf.Page, binary: str, options: OcrOptions, settings: TableSettings | None = None
) -> OcrResult:
    """Read one scanned page: straighten it, find its ruled tables, OCR their cells and the rest of the page."""
    started = time.perf_counter()
    stats = OcrStats()
    settings = settings or TableSettings()
    number = page.number + 1
    zoom = _zoom(page, options)

    angle = estimate_skew(render_gray(page, min(zoom, 100 / 72))[0], options.max_skew_degrees)
    stats.skew_degrees = angle
    image, to_points = render_gray(page, zoom, angle)
    to_pixels = ~to_points
    mask = ink_mask(image)

    rules = find_rulings(
        mask, min_length=round(30 * zoom), short_length=round(8 * zoom), max_gap=max(2, round(zoom)),
        max_thickness=max(4, round(3 * zoom)), touch=max(3, round(1.5 * zoom)),
    )
    segments = rules_to_segments(rules, to_points)
    structure = page_tables(segments, [], number, settings) if segments else []

    clean_mask, clean_image = mask.copy(), image.copy()
    erase_rules(clean_mask, rules, False)
    erase_rules(clean_image, rules, 255)
    text_ink = despeckle(clean_mask)

    # Table cells: blank and '-' judged from pixels; text read from clean black-and-white crops.
    tess = _Tesseract(binary, options, stats, to_points)
    words: list[Word] = []
    confidence: dict[Word, float] = {}
    to_read: list[_TextCell] = []
    dashes: dict[tuple[int, int], int] = {}
    slot: dict[int, tuple[int, int, int]] = {}  # cell serial → (table, row, col)
    serial = 0
    for t_index, table in enumerate(structure):
        for cell in table.cells:
            serial += 1
            slot[serial] = (t_index, cell.row, cell.col)
            box = _to_box(cell.bbox, to_pixels, 1.2, mask.shape)
            found = classify_cell(clean_mask, box, zoom)
            if found.kind == "dash":
                word = Word("-", _pixel_bbox(*found.box, to_points), (serial, 0))
                words.append(word)
                confidence[word] = 95.0  # a flat bar alone in its cell
                dashes[(t_index, cell.col)] = dashes.get((t_index, cell.col), 0) + 1
            elif found.kind == "text":
                one_line = (found.box[3] - found.box[1]) / zoom <= 16
                to_read.append(_TextCell(serial, t_index, cell.col, box, found.box, one_line))
    pad, margin = round(2 * zoom), round(5 * zoom)
    for one_line, psm in ((True, 7), (False, 6)):
        jobs = []
        for cell in to_read:
            if cell.single_line == one_line:
                crop, origin = _binary_crop(text_ink, cell.clip, cell.ink, pad, margin)
                jobs.append((cell, crop, origin, 1.0))
        tess.read(jobs, psm)
        stats.cells_read += len(jobs)
    # A second opinion on one-line cells read with low confidence, or not as a number in a column of numbers.
    value_columns = _value_columns(to_read, dashes)
    doubtful = [
        c for c in to_read
        if c.single_line and (
            c.readings[0].conf < options.min_confidence
            or ((c.table, c.col) in value_columns and not _VALUE.fullmatch(c.readings[0].text))
        )
    ]
    tess.read([job for c in doubtful for job in _second_opinion_jobs(c, clean_image, text_ink, zoom)], 7)
    for cell in to_read:
        reading = _choose(cell, (cell.table, cell.col) in value_columns)
        for text, bbox, key, conf in reading.words:
            word = Word(text, bbox, key)
            words.append(word)
            confidence[word] = conf

    tables = page_tables(segments, words, number, settings, "ocr") if structure else []
    by_slot: dict[tuple[int, int, int], list[float]] = {}
    for word, conf in confidence.items():
        by_slot.setdefault(slot[word.line_key[0]], []).append(conf)
    low_confidence: list[tuple[Table, Cell, float]] = []
    for t_index, table in enumerate(tables):  # the same rules give the same tables and cells again
        for cell in table.cells:
            inside = by_slot.get((t_index, cell.row, cell.col), [])
            cell.text = fix_misread_capital_i(cell.text)
            # Mean word confidence; a cell without ink counts 99.
            conf = sum(inside) / len(inside) if inside else None
            cell.ocr_confidence = 99.0 if conf is None else round(conf, 1)
            if conf is not None and conf < options.min_confidence:
                low_confidence.append((table, cell, conf))

    # The page's running text: one Tesseract run over the page with its tables painted white.
    page_image = clean_image
    for b in (table_bbox(t) for t in tables):
        if b:
            x0, y0, x1, y1 = _to_box(b, to_pixels, -2.0, image.shape)
            page_image[y0:y1, x0:x1] = 255
    page_words = tess.words([page_image], 3)
    lines = tsv_to_lines(page_words, to_points, number)

    confs = [w.conf for w in page_words if w.conf >= 0] + [confidence[w] for w in words if w.text != "-"]
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


def tsv_to_lines(words: list[TsvWord], to_points: pymupdf.Matrix, number: int) -> list[Line]:
    """Tesseract words → Lines in reading order. A line with a wide gap (two columns side by side, as in
    the header block "ỦY BAN NHÂN DÂN    CỘNG HÒA XÃ HỘI ...") is split into one Line per column;
    `block` numbers a paragraph (and a column of it), so stages see paragraphs as in a text layer."""
    lettered = sorted(w.height for w in words if w.conf >= 0 and re.search(r"[^\W_]", w.text))
    typical = lettered[len(lettered) // 2] if lettered else 0
    by_line: dict[tuple[int, int, int], list[TsvWord]] = {}
    for w in words:
        has_letters = bool(re.search(r"[^\W_]", w.text))
        if w.conf < 0 or (w.conf < 30 and not has_letters):
            continue  # speckles read as punctuation
        if has_letters and w.height < 0.35 * typical:
            continue  # slivers of letters cut apart by a stamp or a signature across the text
        by_line.setdefault((w.block, w.par, w.line), []).append(w)
    lines: list[Line] = []
    block_ids: dict[tuple[int, int, int], int] = {}
    for (block, par, _), ws in by_line.items():
        ws.sort(key=lambda w: w.left)
        height = sorted(w.height for w in ws)[len(ws) // 2]
        parts: list[list[TsvWord]] = [[ws[0]]]
        for w in ws[1:]:
            prev = parts[-1][-1]
            if w.left - (prev.left + prev.width) > 2.5 * height:
                parts.append([w])
            else:
                parts[-1].append(w)
        for column, part in enumerate(parts):
            text = clean(" ".join(w.text for w in part))
            if not text:
                continue
            key = (block, par, column)
            block_id = block_ids.setdefault(key, len(block_ids))
            bbox = _pixel_bbox(
                min(w.left for w in part), min(w.top for w in part),
                max(w.left + w.width for w in part), max(w.top + w.height for w in part), to_points,
            )
            lines.append(Line(text=text, page=number, bbox=bbox, block=block_id))
    return lines
