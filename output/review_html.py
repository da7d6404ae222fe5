"""The review pages as HTML: one self-contained page per document and an index (no network needed).

A PDF page is shown as its image with the table cells drawn over it as the pipeline understood them
(header, unit column, values, total row; coloured by status); HTML and DOCX tables are shown as read.
Each warning about a cell links to that cell, and each value is listed next to a crop of the printed
cell, so a doubtful number is checked at a glance instead of by counting rows in the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

BoxT = tuple[float, float, float, float]


@dataclass
class ShownCell:
    """A table cell as the pipeline understood it."""

    table: int
    row: int
    col: int
    text: str
    role: str  # header / unit / value / total / other
    status: str = ""  # value cells: ok / warned / corrected / not_number
    page: int = 0
    box: BoxT | None = None  # display coordinates, PDF points
    row_span: int = 1
    col_span: int = 1

    @property
    def anchor(self) -> str:
        return f"cell-{self.table}-{self.row}-{self.col}"


@dataclass
class ShownPage:
    number: int
    width: float
    height: float
    image: str  # data: URI
    cells: list[ShownCell] = field(default_factory=list)


@dataclass
class ReviewDocument:
    doc_id: str
    source_file: str
    format: str
    pages: list[ShownPage] = field(default_factory=list)  # PDF pages holding a table
    tables: dict[int, list[ShownCell]] = field(default_factory=dict)  # HTML/DOCX tables as read
    warnings: list[dict[str, str]] = field(default_factory=list)  # warnings.csv rows
    targets: list[dict[str, str]] = field(default_factory=list)  # targets.csv rows
    crops: dict[str, str] = field(default_factory=dict)  # cell anchor → data: URI of the printed cell


STYLE = """
body{font:14px system-ui,sans-serif;margin:1em;color:#222}
.page{display:flex;gap:1em;align-items:flex-start;margin-bottom:2em}
.sheet{position:relative;flex:0 0 auto;width:min(70vw,1100px);border:1px solid #999}
.sheet img{display:block;width:100%;height:auto}
.cell{position:absolute;box-sizing:border-box;border:1px solid;display:block}
.header{border-color:#888;background:rgba(128,128,128,.12)}
.unit{border-color:#c90;background:rgba(255,200,0,.15)}
.value.ok{border-color:#2a2;background:rgba(0,160,0,.10)}
.other{border-color:#aaa}
.total{border-width:2px}
.total.ok{border-color:#72c}
.warned,.value.warned{border-color:#d00;background:rgba(220,0,0,.25)}
.corrected,.value.corrected{border-color:#06c;background:rgba(0,100,220,.25)}
.not_number{border-color:#e70;background:rgba(240,120,0,.25)}
.cell:target,td:target{outline:3px solid #d00}
.side{flex:1 1 20em}
li.warning{margin:.3em 0}
table.read td{border:1px solid #aaa;padding:2px 4px}
table.values td,table.values th{border-bottom:1px solid #ddd;padding:2px 6px;text-align:left}
table.values img{max-height:3em}
"""

SCRIPT = """
window.addEventListener('load', function () {
  document.querySelectorAll('li.warning[data-cell]').forEach(function (w) {
    var cell = document.getElementById(w.dataset.cell);
    w.dataset.linked = cell ? 'yes' : 'missing';
    if (!cell) return;
    cell.classList.add('warned');
    cell.dataset.warnings = ((cell.dataset.warnings || '') + ' ' + w.id).trim();
  });
  document.querySelectorAll('.sheet').forEach(function (sheet) {
    var r = sheet.querySelector('img').getBoundingClientRect();
    var k = parseFloat(sheet.dataset.widthPt) / r.width;
    sheet.querySelectorAll('.cell').forEach(function (c) {
      var b = c.getBoundingClientRect();
      c.dataset.rendered = [b.left - r.left, b.top - r.top, b.right - r.left, b.bottom - r.top]
        .map(function (v) { return (v * k).toFixed(1); }).join(',');
    });
  });
  document.body.dataset.ready = 'yes';
});
"""


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def warning_anchor(row: dict[str, str]) -> str:
    """The anchor of the cell a warnings.csv row concerns, or '' for a document-level warning."""
    if not row.get("row_index") or not row.get("table_index"):
        return ""
    return f"cell-{row['table_index']}-{row['row_index']}-{row['col_index']}"


def _warning_items(rows: list[tuple[int, dict[str, str]]]) -> str:
    items = []
    for n, row in rows:
        anchor = warning_anchor(row)
        link = f'<a href="#{anchor}">{escape(row["kind"])}</a>' if anchor else f"<b>{escape(row['kind'])}</b>"
        cell = f' data-cell="{anchor}"' if anchor else ""
        items.append(f'<li class="warning" id="w-{n}" data-kind="{_attr(row["kind"])}"{cell}>{link}: '
                     f'{escape(row["message"])}</li>')
    return "<ol>" + "".join(items) + "</ol>" if items else "<p>No warnings.</p>"


def _overlay(cell: ShownCell, page: ShownPage) -> str:
    assert cell.box is not None
    x0, y0, x1, y1 = cell.box
    style = (f"left:{100 * x0 / page.width:.3f}%;top:{100 * y0 / page.height:.3f}%;"
             f"width:{100 * (x1 - x0) / page.width:.3f}%;height:{100 * (y1 - y0) / page.height:.3f}%")
    title = f"{cell.role} {cell.status} r{cell.row} c{cell.col}: {cell.text}"
    return (f'<a class="cell {cell.role} {cell.status}" id="{cell.anchor}" href="#v-{cell.anchor}" '
            f'style="{style}" title="{_attr(title)}" data-x0="{x0:.2f}" data-y0="{y0:.2f}" '
            f'data-x1="{x1:.2f}" data-y1="{y1:.2f}"></a>')


def _page_section(page: ShownPage, warnings: list[tuple[int, dict[str, str]]]) -> str:
    overlays = "".join(_overlay(c, page) for c in page.cells if c.box is not None)
    return (f'<section class="page" id="page-{page.number}"><div class="sheet" data-width-pt="{page.width:.2f}" '
            f'data-height-pt="{page.height:.2f}"><img src="{page.image}" alt="page {page.number}">{overlays}</div>'
            f'<div class="side"><h2>Page {page.number}</h2><h3>Warnings on this page</h3>'
            f"{_warning_items(warnings)}</div></section>")


def _table_section(index: int, cells: list[ShownCell], warnings: list[tuple[int, dict[str, str]]]) -> str:
    rows: dict[int, list[ShownCell]] = {}
    for cell in cells:
        rows.setdefault(cell.row, []).append(cell)
    body = "".join(
        "<tr>" + "".join(
            f'<td id="{c.anchor}" class="{c.role} {c.status}" rowspan="{c.row_span}" colspan="{c.col_span}">'
            f"{escape(c.text)}</td>" for c in sorted(row, key=lambda c: c.col)) + "</tr>"
        for _, row in sorted(rows.items())
    )
    return (f'<section class="page" id="table-{index}"><table class="read">{body}</table>'
            f'<div class="side"><h2>Table {index}</h2>{_warning_items(warnings)}</div></section>')


def _value_rows(doc: ReviewDocument) -> str:
    out = []
    for t in doc.targets:
        anchor = f"cell-{t['table_index']}-{t['row_index']}-{t['col_index']}"
        crop = doc.crops.get(anchor)
        printed = f'<img src="{crop}" alt="printed cell">' if crop else escape(t["value_raw"])
        source = t.get("value_source", "")
        was = f" (extracted {escape(t['value_extracted'])})" if source == "corrected" else ""
        out.append(
            f'<tr id="v-{anchor}" data-source="{_attr(source)}"><td><a href="#{anchor}">{t["page"] or "-"}'
            f' / {t["table_index"]}.{t["row_index"]}.{t["col_index"]}</a></td><td>{escape(t["unit_name_raw"])}</td>'
            f"<td>{escape(t['indicator_id'] or t['indicator_label_raw'][:60])}</td>"
            f"<td><b>{escape(t['value'])}</b>{was}</td><td>{printed}</td><td>{escape(source)}</td></tr>"
        )
    return ('<table class="values"><tr><th>page / table.row.col</th><th>unit</th><th>indicator</th><th>value</th>'
            "<th>as printed</th><th>source</th></tr>" + "".join(out) + "</table>")


def _cell_page(row: dict[str, str], doc: ReviewDocument) -> str:
    """Where a cell warning is listed: beside the page (PDF) or table (HTML/DOCX) holding its cell."""
    anchor = warning_anchor(row)
    for page in doc.pages:
        if any(c.anchor == anchor for c in page.cells):
            return f"page-{page.number}"
    for index, cells in doc.tables.items():
        if any(c.anchor == anchor for c in cells):
            return f"table-{index}"
    return ""


def document_html(doc: ReviewDocument) -> str:
    placed: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for n, row in enumerate(doc.warnings):
        placed.setdefault(_cell_page(row, doc), []).append((n, row))
    sections = [_page_section(p, placed.get(f"page-{p.number}", [])) for p in doc.pages]
    sections += [_table_section(i, cells, placed.get(f"table-{i}", [])) for i, cells in sorted(doc.tables.items())]
    return (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{escape(doc.doc_id)}</title>'
        f"<style>{STYLE}</style><script>{SCRIPT}</script></head><body>"
        f'<p><a href="index.html">all documents</a></p><h1>{escape(doc.doc_id)}</h1>'
        f"<p>{escape(doc.source_file)} ({escape(doc.format)}). Cells: grey header, yellow unit column, green value, "
        "purple frame total row, red warned, orange not a number, blue corrected.</p>"
        f"<h2>Document warnings</h2>{_warning_items(placed.get('', []))}"
        + "".join(sections) + f"<h2>Values</h2>{_value_rows(doc)}</body></html>\n"
    )


def index_html(entries: list[tuple[str, str, int, int, int]]) -> str:
    """entries: (doc_id, source_file, targets, warnings, corrected)."""
    rows = "".join(
        f'<tr><td><a href="{escape(doc_id)}.html">{escape(doc_id)}</a></td><td>{escape(src)}</td>'
        f"<td>{n_t}</td><td>{n_w}</td><td>{n_c}</td></tr>"
        for doc_id, src, n_t, n_w, n_c in entries
    )
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Review</title>'
            f"<style>{STYLE}</style></head><body><h1>Review</h1><table class=\"values\"><tr><th>document</th>"
            f"<th>file</th><th>targets</th><th>warnings</th><th>corrected</th></tr>{rows}</table></body></html>\n")
