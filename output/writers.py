"""CSV, Parquet and datapackage.json writers: stable order, typed columns, the set replaced whole.

The files are built in memory and published as one generation (output/generations.py), so a crash
or Ctrl-C leaves the previous complete set, never half a file nor a mix of two runs. CSV cells are
formula-safe by default (output/cells.py); Parquet keeps the raw text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .cells import formula_safe
from .generations import publish
from .schema import FOREIGN_KEYS, PRIMARY_KEYS, TABLES, Column

_ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),  # a date in Parquet too, so DuckDB and pandas see DATE from both files
}
PARQUET_SUFFIX = "_parquet"  # resource name of a table's Parquet file in datapackage.json
BOM = "\ufeff"  # UTF-8 byte order mark: Excel reads a CSV as UTF-8 only when it starts with one


def csv_cell(value: object) -> str:
    """One CSV field: empty for None, 'true'/'false', whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def to_csv_bytes(
    columns: tuple[Column, ...], rows: Iterable[Mapping[str, object]], safe: bool = True, bom: bool = False
) -> bytes:
    """The table as CSV; with `safe`, text cells a spreadsheet would run as a formula are escaped; with
    `bom`, the file starts with a UTF-8 byte order mark (once, before the header, never in a cell)."""
    buf = io.StringIO()
    if bom:
        buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    for row in rows:
        cells = [csv_cell(row.get(c.name)) for c in columns]
        if safe:
            cells = [formula_safe(cell) if isinstance(row.get(c.name), str) else cell
                     for c, cell in zip(columns, cells)]
        writer.writerow(cells)
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
    if type_ == "date":
        return dt.date.fromisoformat(str(value))  # the stages write ISO dates, checked when read
    return str(value)


def to_parquet_bytes(columns: tuple[Column, ...], rows: list[Mapping[str, object]]) -> bytes:
    schema = pa.schema([(c.name, _ARROW_TYPES[c.type]) for c in columns])
    data = {c.name: [_typed(r.get(c.name), c.type) for r in rows] for c in columns}
    table = pa.Table.from_pydict(data, schema=schema)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def _schema(name: str, suffix: str = "") -> dict:
    """Table Schema of one table; `suffix` names the resources its foreign keys point at (CSV or Parquet)."""
    schema: dict = {
        "fields": [{"name": c.name, "type": c.type, "description": c.description} for c in TABLES[name]],
        "primaryKey": list(PRIMARY_KEYS[name]),
    }
    if name in FOREIGN_KEYS:
        schema["foreignKeys"] = [
            {"fields": list(fields), "reference": {"resource": resource + suffix, "fields": list(ref_fields)}}
            for fields, resource, ref_fields in FOREIGN_KEYS[name]
        ]
    return schema


def datapackage(tables: Iterable[str], csv_bom: bool = True) -> dict:
    """Frictionless Data Package descriptor: each table as a CSV resource and as a Parquet resource, with
    the same fields, types and keys (`frictionless validate datapackage.json` checks both)."""
    names = list(tables)
    resources = [
        {"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "format": "csv",
         "mediatype": "text/csv", "encoding": "utf-8-sig" if csv_bom else "utf-8", "schema": _schema(name)}
        for name in names
    ]
    for name in names:
        schema = _schema(name, PARQUET_SUFFIX)
        # Frictionless reads Parquet through pandas, which turns a missing integer into NaN.
        schema["missingValues"] = ["", "nan"]
        resources.append({
            "name": name + PARQUET_SUFFIX, "path": f"{name}.parquet", "profile": "tabular-data-resource",
            "format": "parquet", "mediatype": "application/vnd.apache.parquet",
            "description": f"The {name} table as Parquet: the rows and columns of {name}.csv, typed",
            "schema": schema,
        })
    return {"name": "project8-plans", "profile": "tabular-data-package", "resources": resources}


def write_tables(
    out_dir: Path, tables: Mapping[str, list[Mapping[str, object]]], formula_safe_csv: bool = True,
    csv_bom: bool = True,
) -> dict[str, Path]:
    """Write each table as CSV and Parquet, and datapackage.json, as one set; returns the CSV paths."""
    files: dict[str, bytes] = {}
    for name, rows in tables.items():
        columns = TABLES[name]
        files[f"{name}.csv"] = to_csv_bytes(columns, rows, safe=formula_safe_csv, bom=csv_bom)
        files[f"{name}.parquet"] = to_parquet_bytes(columns, rows)
    package = json.dumps(datapackage(tables, csv_bom), ensure_ascii=False, indent=2) + "\n"
    files["datapackage.json"] = package.encode("utf-8")
    published = publish(out_dir, files)
    return {name: published[f"{name}.csv"] for name in tables}
