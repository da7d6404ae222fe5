"""CSV, Parquet and datapackage.json writers: stable order, typed columns, atomic replacement.

Every file is written to a temporary name in the output folder and renamed into place, so a crash
or Ctrl-C leaves the previous complete file, never half a file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .atomic import atomic_write_bytes
from .schema import TABLES, Column

_ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.string(),  # ISO text; Parquet readers see the same text as the CSV
}


def csv_cell(value: object) -> str:
    """One CSV field: empty for None, 'true'/'false', whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def to_csv_bytes(columns: tuple[Column, ...], rows: Iterable[Mapping[str, object]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(c.name)) for c in columns])
    return buf.getvalue().encode("utf-8")


def _typed(value: object, type_: str) -> object:
    if value is None or value == "":
        return None
    if type_ == "integer":
        return int(value)  # type: ignore[arg-type]
    if type_ == "number":
        return float(value)  # type: ignore[arg-type]
    if type_ == "boolean":
        return bool(value)
    return str(value)


def to_parquet_bytes(columns: tuple[Column, ...], rows: list[Mapping[str, object]]) -> bytes:
    schema = pa.schema([(c.name, _ARROW_TYPES[c.type]) for c in columns])
    data = {c.name: [_typed(r.get(c.name), c.type) for r in rows] for c in columns}
    table = pa.Table.from_pydict(data, schema=schema)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def datapackage(tables: Iterable[str]) -> dict:
    """Frictionless Data Package descriptor for the written tables."""
    resources = []
    for name in tables:
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "format": "csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": c.name, "type": c.type, "description": c.description} for c in TABLES[name]
                    ]
                },
            }
        )
    return {"name": "project8-plans", "profile": "tabular-data-package", "resources": resources}


def write_tables(out_dir: Path, tables: Mapping[str, list[Mapping[str, object]]]) -> dict[str, Path]:
    """Write each table as CSV and Parquet, then datapackage.json; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name, rows in tables.items():
        columns = TABLES[name]
        csv_path = out_dir / f"{name}.csv"
        atomic_write_bytes(csv_path, to_csv_bytes(columns, rows))
        atomic_write_bytes(out_dir / f"{name}.parquet", to_parquet_bytes(columns, rows))
        written[name] = csv_path
    package = json.dumps(datapackage(tables), ensure_ascii=False, indent=2) + "\n"
    atomic_write_bytes(out_dir / "datapackage.json", package.encode("utf-8"))
    return written
