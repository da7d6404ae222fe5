"""Word producer (python-docx): paragraphs, then the table with its merges."""

from __future__ import annotations

import datetime
import random
from pathlib import Path

import docx

from .logical import build_table
from .prose import prose
from .spec import Plan


def render_docx(plan: Plan, path: Path) -> None:
    rng = random.Random(plan.seed * 7 + 1)
    table = build_table(plan, rng)
    text = prose(plan)
    document = docx.Document()
    head = document.add_table(rows=1, cols=2)
    head.cell(0, 0).text = "\n".join(plan.text(s) for s in text.left)
    head.cell(0, 1).text = "\n".join(plan.text(s) for s in text.right)
    for line in text.body + text.caption:
        document.add_paragraph(line)
    grid = document.add_table(rows=table.n_rows, cols=table.n_cols)
    grid.style = "Table Grid"
    for c in table.cells:
        cell = grid.cell(c.row, c.col)
        if c.row_span > 1 or c.col_span > 1:
            cell = cell.merge(grid.cell(c.row + c.row_span - 1, c.col + c.col_span - 1))
        cell.text = plan.text(c.text)
    core = document.core_properties  # fixed metadata: the same seed gives the same bytes
    core.created = core.modified = core.last_printed = datetime.datetime(2025, 1, 1)
    core.author = core.last_modified_by = "generator"
    document.save(str(path))
