"""Page images and cell crops for the review pages, rendered with PyMuPDF as data: URIs (offline)."""

from __future__ import annotations

import base64

import pymupdf

PAGE_DPI = 110  # enough to read a printed digit, small enough for pages of a few hundred KB
CROP_DPI = 200
CROP_MARGIN = 2.0  # points around a cell crop, so its border shows


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


class PdfPages:
    """One open PDF; renders whole pages and crops in display coordinates (page.rect, /Rotate applied)."""

    def __init__(self, path: str) -> None:
        self.pdf = pymupdf.open(path)

    def close(self) -> None:
        self.pdf.close()

    def page_png(self, number: int) -> bytes:
        return self.pdf[number - 1].get_pixmap(dpi=PAGE_DPI).tobytes("png")

    def crop_png(self, number: int, box: tuple[float, float, float, float]) -> bytes:
        page = self.pdf[number - 1]
        x0, y0, x1, y1 = box
        clip = pymupdf.Rect(x0 - CROP_MARGIN, y0 - CROP_MARGIN, x1 + CROP_MARGIN, y1 + CROP_MARGIN) & page.rect
        return page.get_pixmap(dpi=CROP_DPI, clip=clip).tobytes("png")
