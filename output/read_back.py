"""A run's tables read back from OUT (by `review` and `compare`) as the text that was extracted.

The CSV files are formula-safe (output/cells.py: a leading `'` on text a spreadsheet would run), so
the rows are taken from the Parquet twin, which keeps the raw text, and rendered cell by cell as the
CSV writer renders them (`csv_cell`): the same strings as the CSV without the escapes. A folder with
CSV files only (an older run) is read from the CSV with the escapes undone. Both are reached through
OUT's links into the current generation (output/generations.py).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow.parquet as pq

from .cells import unescape
from .writers import csv_cell


def has_table(out_dir: str | Path, table: str) -> bool:
    out = Path(out_dir)
    return (out / f"{table}.parquet").is_file() or (out / f"{table}.csv").is_file()


def read_rows(out_dir: str | Path, table: str) -> list[dict[str, str]]:
    """The table's rows as {column: text}; empty when the run wrote no such table."""
    out = Path(out_dir)
    parquet, text = out / f"{table}.parquet", out / f"{table}.csv"
    if parquet.is_file():
        return [{name: csv_cell(value) for name, value in row.items()} for row in pq.read_table(parquet).to_pylist()]
    if not text.is_file():
        return []
    with text.open(encoding="utf-8-sig", newline="") as fh:  # our CSVs may start with a BOM (Excel)
        return [{name: unescape(value or "") for name, value in row.items()} for row in csv.DictReader(fh)]
