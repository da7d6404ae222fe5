"""Provenance to the pixel: each target's cell box on the page as displayed, and warnings joined to
the target they concern.

Readers keep cell boxes in the space they build tables in (a sideways table is turned upright first),
which is not where the cell is seen. Here boxes are mapped, with the page's `display_matrix`, to the
page as a viewer shows it (PyMuPDF `page.rect`, `get_pixmap`), so a person can find the printed cell
without counting rows.
"""

from __future__ import annotations

from .kinds import Stage, WarningKind
from .model import BBox, CellBox, Document, Page, Target, Warning


def _transform(bbox: BBox, matrix: tuple[float, ...] | None) -> BBox:
    if matrix is None:
        return bbox
    a, b, c, d, e, f = matrix
    x0, y0, x1, y1 = bbox
    xs, ys = [], []
    for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    return (min(xs), min(ys), max(xs), max(ys))


def _page(doc: Document, number: int | None) -> Page | None:
    if not number:
        return None
    if 0 < number <= len(doc.pages) and doc.pages[number - 1].number == number:
        return doc.pages[number - 1]
    return next((p for p in doc.pages if p.number == number), None)


def display_box(doc: Document, page_number: int | None, bbox: BBox | None) -> CellBox | None:
    """The cell's box on the displayed page, rounded to 0.01 pt (stable CSV bytes); None without a box
    (HTML and DOCX cells have no position on a page)."""
    page = _page(doc, page_number)
    if bbox is None or page is None or doc.format != "pdf":
        return None
    x0, y0, x1, y1 = (round(v, 2) for v in _transform(bbox, page.display_matrix))
    return CellBox(x0, y0, x1, y1, round(page.width, 2), round(page.height, 2), page.rotation)


def cell_warning(doc: Document, stage: Stage, kind: WarningKind, message: str, target: Target) -> Warning:
    """Add a warning about one target's cell: it carries the target's key and box so it joins back."""
    warning = Warning(
        stage, kind, message, target.page, table_index=target.table_index, row_index=target.row_index,
        col_index=target.col_index, indicator_id=target.indicator_id, box=target.box,
    )
    doc.warnings.append(warning)
    return warning


def link_warnings(doc: Document) -> None:
    """Refresh each cell warning's indicator_id and box from its target: warnings raised before
    normalization (total_mismatch) learn the indicator here, and a user alias that maps a label again
    is seen by its warnings too."""
    by_key = {(t.table_index, t.row_index, t.col_index): t for t in doc.targets}
    for warning in doc.warnings:
        target = by_key.get((warning.table_index, warning.row_index, warning.col_index))
        if warning.row_index is None or target is None:
            continue
        warning.indicator_id = target.indicator_id
        warning.box = target.box
        warning.page = warning.page or target.page
