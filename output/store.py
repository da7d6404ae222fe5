"""The national store: every run adds its documents to one DuckDB database that grows batch by batch.

A batch replaces the rows of its own documents (matched by doc_id, or by the file's SHA-256 when a newer
tool gives the same file another id) and keeps everything else; then the derived tables (plans, cited
documents, disagreements between copies, ...) are recomputed from the whole store. All of it happens in
one transaction, so a crash or Ctrl-C leaves the previous store whole, and the result depends only on
which documents the store holds, not on how they were batched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import duckdb
import pyarrow as pa

from normalize.issuers import issuing_body

from .cited import cited_documents
from .plans import copy_rank, find_supersessions, symbol_variants
from .schema import Column
from .store_schema import BASE_KEYS, DERIVED_TABLES, DISAGREEMENTS_SQL, DUCK_TYPES, base_columns, schema_statements
from .writers import csv_cell

Rows = list[Mapping[str, object]]
DEFAULT_NAME = "project8.duckdb"


class StoreError(Exception):
    """The store could not be opened or updated (locked by another process, not a DuckDB file, ...)."""


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (or create) a store; a new or older store gets every table and view."""
    try:
        if read_only:
            return duckdb.connect(str(path), read_only=True)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path))
    except (duckdb.Error, OSError) as exc:
        raise StoreError(f"cannot open the store {path}: {exc}") from exc
    for statement in schema_statements():
        con.execute(statement)
    return con


def update_store(path: Path | str, tables: Mapping[str, Rows]) -> None:
    """Put one batch's tables (as written to CSV) into the store at `path`, in one transaction."""
    con = connect(path)
    try:
        update(con, tables)
    except duckdb.Error as exc:
        raise StoreError(f"the store {path} was not updated (it is as it was before): {exc}") from exc
    finally:
        con.close()


def update(con: duckdb.DuckDBPyConnection, tables: Mapping[str, Rows]) -> None:
    docs = tables.get("documents", [])
    ids = sorted({str(d["doc_id"]) for d in docs})
    shas = sorted({str(d["sha256"]) for d in docs if d.get("sha256")})
    con.execute("BEGIN TRANSACTION")
    try:
        stale = [r[0] for r in con.execute(
            "SELECT doc_id FROM documents WHERE list_contains(?, doc_id) OR list_contains(?, sha256)",
            [ids, shas]).fetchall()]
        replaced = sorted(set(ids) | set(stale))
        for table in ("targets", "refs", "warnings", "documents"):
            con.execute(f"DELETE FROM {table} WHERE list_contains(?, doc_id)", [replaced])
        for table in BASE_KEYS:
            insert_rows(con, table, with_sequence(table, tables.get(table, [])))
        recompute_derived(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def with_sequence(table: str, rows: Rows) -> Rows:
    """Warnings have no key of their own: number them within their document, in output order."""
    if table != "warnings":
        return rows
    seen: dict[str, int] = {}
    out = []
    for row in rows:
        doc = str(row.get("doc_id"))
        seen[doc] = seen.get(doc, 0) + 1
        out.append({**row, "seq": seen[doc]})
    return out


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Rows) -> None:
    """Rows (typed values, or text as read back from the CSV files) cast to the table's column types;
    both give the same store, since every value goes through its CSV text."""
    if not rows:
        return
    columns = base_columns(table)
    batch = pa.table({c.name: pa.array([csv_cell(r.get(c.name)) for r in rows], pa.string()) for c in columns})
    con.register("batch_rows", batch)
    try:
        names = ", ".join(f'"{c.name}"' for c in columns)
        select = ", ".join(_cast(c) for c in columns)
        con.execute(f"INSERT INTO {table} ({names}) SELECT {select} FROM batch_rows")
    finally:
        con.unregister("batch_rows")


def _cast(column: Column) -> str:
    name = f'"{column.name}"'
    if column.type == "string":
        return name
    return f"TRY_CAST(NULLIF({name}, '') AS {DUCK_TYPES[column.type]})"


def fetch_rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict[str, object]]:
    """Query rows as dicts, dates as ISO text (as in the CSV files)."""
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [{n: (v.isoformat() if isinstance(v, dt.date) else v) for n, v in zip(names, row)}
            for row in cursor.fetchall()]


def recompute_derived(con: duckdb.DuckDBPyConnection) -> None:
    """Plans, supersessions, issuers, cited documents, symbol variants and disagreements from the store."""
    for table in DERIVED_TABLES:
        con.execute(f"DELETE FROM {table}")
    docs = fetch_rows(con, """SELECT d.*, coalesce(o.has_ocr, false) AS has_ocr FROM documents d
        LEFT JOIN (SELECT doc_id, bool_or(ocr) AS has_ocr FROM targets GROUP BY doc_id) o USING (doc_id)
        WHERE coalesce(d.plan_id, '') <> '' ORDER BY d.doc_id""")
    refs = fetch_rows(con, "SELECT * FROM refs ORDER BY doc_id, ref_order")
    plans = _plans(docs)
    plan_of_doc = {str(d["doc_id"]): str(d["plan_id"]) for d in docs}
    supersessions = find_supersessions(plans, refs, plan_of_doc)
    latest: dict[str, tuple[str, str]] = {}
    for s in supersessions:  # an amended plan points at the newest plan that changes it
        later = next(p for p in plans if p["plan_id"] == s.later_plan_id)
        key = (str(later["issue_date"]), s.later_plan_id)
        if s.earlier_plan_id not in latest or key > latest[s.earlier_plan_id]:
            latest[s.earlier_plan_id] = key
    relation = {s.earlier_plan_id: s.relation for s in supersessions}
    for plan in plans:
        pid = str(plan["plan_id"])
        plan["superseded_by"] = latest[pid][1] if pid in latest else None
        plan["supersession"] = relation.get(pid) if pid in latest else None
    _insert_dicts(con, "plans", plans)
    _insert_dicts(con, "supersessions", [vars(s) for s in supersessions])
    raw_issuers = sorted({str(r[k]) for r in docs + refs for k in ("issuer",) if r.get(k)})
    _insert_dicts(con, "issuers", [{"issuer_raw": i, "issuer": issuing_body(i)} for i in raw_issuers])
    cited = _cited_by_plans(refs, plan_of_doc)
    _insert_dicts(con, "cited_documents", cited)
    _insert_dicts(con, "symbol_variants", symbol_variants(cited))
    con.execute(f"INSERT INTO source_disagreements {DISAGREEMENTS_SQL}")


def _plans(docs: list[dict[str, object]]) -> list[dict[str, object]]:
    """One row per plan, described by its best copy."""
    copies: dict[str, list[dict[str, object]]] = {}
    for doc in docs:
        copies.setdefault(str(doc["plan_id"]), []).append(doc)
    plans = []
    for pid in sorted(copies):
        best = min(copies[pid], key=lambda d: copy_rank(d, bool(d["has_ocr"])))
        plans.append({
            "plan_id": pid, **{k: best[k] for k in ("doc_number", "doc_type", "issue_date", "province", "title",
                                                    "period_start", "period_end")},
            "issuer": issuing_body(str(best["issuer"] or "")), "best_doc_id": best["doc_id"],
            "n_copies": len(copies[pid]),
        })
    return plans


def _cited_by_plans(refs: list[dict[str, object]], plan_of_doc: Mapping[str, str]) -> list[dict[str, object]]:
    """cited_documents counting citing plans; issuers canonical so one body is one name."""
    rows = [{**r, "doc_id": plan_of_doc.get(str(r["doc_id"]), r["doc_id"]),
             "issuer": issuing_body(str(r.get("issuer") or ""))} for r in refs]
    out = []
    for row in cited_documents(rows):
        row = dict(row)
        row["n_citing_plans"] = row.pop("n_citing_documents")
        out.append(row)
    return out


def _insert_dicts(con: duckdb.DuckDBPyConnection, table: str, rows: list[Mapping[str, object]]) -> None:
    if not rows:
        return
    names = [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description]
    placeholders = ", ".join("?" for _ in names)
    con.executemany(f"INSERT INTO {table} VALUES ({placeholders})",
                    [[None if r.get(n) == "" and n.endswith("date") else r.get(n) for n in names] for r in rows])
