"""The pivots as CSV files and as one Excel workbook: a sheet per table, frozen header, numbers as numbers."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .atomic import atomic_write_bytes
from .writers import csv_cell

_MAX_WIDTH = 60


def write_pivot_csvs(tables: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Each pivot as CSV, cells written as in the output tables (whole numbers without '.0')."""
    paths = []
    for name, frame in tables.items():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            writer.writerow([csv_cell(_cell(v)) for v in row])
        path = out_dir / f"{name}.csv"
        atomic_write_bytes(path, buffer.getvalue().encode("utf-8"))
        paths.append(path)
    return paths


def _cell(value: object) -> object:
    """Python scalars for openpyxl: numbers stay numbers (whole floats as ints), NaN/NA empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def write_workbook(tables: dict[str, pd.DataFrame], path: Path) -> Path:
    """One sheet per table; written to memory first, then renamed into place."""
    book = Workbook()
    book.remove(book.active)
    for name, frame in tables.items():
        sheet = book.create_sheet(title=name[:31])
        sheet.append([str(c) for c in frame.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in frame.itertuples(index=False):
            sheet.append([_cell(v) for v in row])
        sheet.freeze_panes = "A2"
        for i, column in enumerate(frame.columns, start=1):
            width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
            sheet.column_dimensions[get_column_letter(i)].width = min(_MAX_WIDTH, width + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    atomic_write_bytes(path, buffer.getvalue())
    return path
