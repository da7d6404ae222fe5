"""HTML producer: a plain page with the header block as a two-column layout table and the data table."""

from __future__ import annotations

import html
import random
from pathlib import Path

from .logical import LTable, build_table
from .prose import prose
from .spec import Plan


def render_html(plan: Plan, path: Path) -> None:
    rng = random.Random(plan.seed * 7 + 1)
    table = build_table(plan, rng)
    text = prose(plan)
    esc = lambda s: html.escape(plan.text(s))  # noqa: E731
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>Kế hoạch</title></head><body>",
             "<table><tr><td>" + "<br>".join(esc(s) for s in text.left) + "</td><td>"
             + "<br>".join(esc(s) for s in text.right) + "</td></tr></table>"]
    parts += [f"<p>{esc(s)}</p>" for s in text.body]
    parts += [f"<p>{esc(s)}</p>" for s in text.caption]
    parts.append(_table_html(table, esc))
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")


def _table_html(table: LTable, esc) -> str:
    rows = []
    for cells in table.rows():
        tds = []
        for c in sorted(cells, key=lambda c: c.col):
            span = (f" rowspan='{c.row_span}'" if c.row_span > 1 else "") + \
                   (f" colspan='{c.col_span}'" if c.col_span > 1 else "")
            tds.append(f"<td{span}>{esc(c.text)}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return "<table border='1'>" + "\n".join(rows) + "</table>"
