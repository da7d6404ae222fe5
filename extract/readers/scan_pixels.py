"""Pixels of a scanned page: rendering, skew, ink, ruling lines and what a table cell's ink is.

Kept apart from the OCR page logic (`ocr.py`) because none of this needs Tesseract: numpy over the
rendered page only, so it can be tested on synthetic images.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pymupdf

from ..tables import Segment

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


def binary_crop(mask: np.ndarray, clip: tuple[int, int, int, int], box: tuple[int, int, int, int], pad: int,
                 margin: int) -> tuple[np.ndarray, tuple[int, int]]:
    """Black-on-white image of the ink in `box` (grown by `pad`, kept inside `clip`) with a white margin;
    and the page pixel that the image's (0, 0) stands for."""
    x0, y0 = max(clip[0], box[0] - pad), max(clip[1], box[1] - pad)
    x1, y1 = min(clip[2], box[2] + pad), min(clip[3], box[3] + pad)
    ink = mask[y0:y1, x0:x1]
    out = np.full((ink.shape[0] + 2 * margin, ink.shape[1] + 2 * margin), 255, dtype=np.uint8)
    out[margin:margin + ink.shape[0], margin:margin + ink.shape[1]][ink] = 0
    return out, (x0 - margin, y0 - margin)


def gray_crop(image: np.ndarray, clip: tuple[int, int, int, int], box: tuple[int, int, int, int], pad: int,
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


def to_box(rect: tuple[float, float, float, float], to_pixels: pymupdf.Matrix, inset: float,
            shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    r = pymupdf.Rect(rect[0] + inset, rect[1] + inset, rect[2] - inset, rect[3] - inset) * to_pixels
    h, w = shape[:2]
    return max(0, int(r.x0)), max(0, int(r.y0)), min(w, int(np.ceil(r.x1))), min(h, int(np.ceil(r.y1)))


def pixel_bbox(left: float, top: float, right: float, bottom: float, to_points: pymupdf.Matrix):
    r = pymupdf.Rect(left, top, right, bottom) * to_points
    return (r.x0, r.y0, r.x1, r.y1)
