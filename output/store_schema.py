"""The national store's tables and views (DuckDB SQL), defined next to the CSV schema they extend.

Base tables hold the rows of the output tables, keyed by document; derived tables (plans, cited
documents, disagreements, ...) are recomputed from the whole store after each batch; views answer the
common questions and always count plans, never files.
"""

from __future__ import annotations

from .schema import TABLES, Column

DUCK_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE"}

BASE_KEYS = {
    "documents": ("doc_id",),
    "targets": ("doc_id", "table_index", "row_index", "col_index"),
    "refs": ("doc_id", "ref_order"),
    "warnings": ("doc_id", "seq"),
}


def base_columns(table: str) -> tuple[Column, ...]:
    extra = (Column("seq", "integer", "Order of the warning within its document"),) if table == "warnings" else ()
    return TABLES[table] + extra


def _create(name: str, columns: tuple[Column, ...], key: tuple[str, ...]) -> str:
    cols = ",\n  ".join(f'"{c.name}" {DUCK_TYPES[c.type]}' for c in columns)
    return f"CREATE TABLE IF NOT EXISTS {name} (\n  {cols},\n  PRIMARY KEY ({', '.join(key)})\n);"


DERIVED_TABLES = {
    "plans": """CREATE TABLE IF NOT EXISTS plans (
  plan_id VARCHAR PRIMARY KEY, doc_number VARCHAR, doc_type VARCHAR, issue_date DATE, issuer VARCHAR,
  province VARCHAR, title VARCHAR, period_start BIGINT, period_end BIGINT, best_doc_id VARCHAR,
  n_copies BIGINT, superseded_by VARCHAR, supersession VARCHAR)""",
    "supersessions": """CREATE TABLE IF NOT EXISTS supersessions (
  earlier_plan_id VARCHAR, later_plan_id VARCHAR, relation VARCHAR, symbol VARCHAR,
  PRIMARY KEY (earlier_plan_id, later_plan_id))""",
    "issuers": """CREATE TABLE IF NOT EXISTS issuers (issuer_raw VARCHAR PRIMARY KEY, issuer VARCHAR)""",
    "cited_documents": """CREATE TABLE IF NOT EXISTS cited_documents (
  symbol VARCHAR PRIMARY KEY, doc_type VARCHAR, issue_date DATE, issuer VARCHAR, n_citing_plans BIGINT)""",
    "symbol_variants": """CREATE TABLE IF NOT EXISTS symbol_variants (
  symbol VARCHAR, likely_same_as VARCHAR, issue_date DATE, issuer VARCHAR, n_citing_plans BIGINT,
  n_citing_plans_other BIGINT, PRIMARY KEY (symbol, likely_same_as))""",
    "source_disagreements": """CREATE TABLE IF NOT EXISTS source_disagreements (
  plan_id VARCHAR, unit_key VARCHAR, indicator_key VARCHAR, is_total BOOLEAN, period_start BIGINT,
  period_end BIGINT, unit_name_raw VARCHAR, indicator_label_raw VARCHAR,
  value_best DOUBLE, value_raw_best VARCHAR, doc_best VARCHAR, source_best VARCHAR, page_best BIGINT,
  value_other DOUBLE, value_raw_other VARCHAR, doc_other VARCHAR, source_other VARCHAR, page_other BIGINT)""",
}

# Cells of a copy keyed so that the same cell of another copy (another layout, another reader) matches:
# the official unit code, else the folded printed name; the indicator id, else the folded label.
_KEYED_CELLS = """
  SELECT t.*, d.plan_id,
    coalesce(nullif(t.unit_code, ''), 'name:' || lower(strip_accents(replace(replace(t.unit_name_raw, 'đ', 'd'),
             'Đ', 'D')))) AS unit_key,
    coalesce(nullif(t.indicator_id, ''), 'label:' || lower(strip_accents(replace(replace(t.indicator_label_raw,
             'đ', 'd'), 'Đ', 'D')))) AS indicator_key
  FROM targets t JOIN documents d USING (doc_id) WHERE coalesce(d.plan_id, '') <> ''
  QUALIFY count(*) OVER (PARTITION BY t.doc_id, unit_key, indicator_key, t.is_total, t.period_start,
                         t.period_end) = 1"""

DISAGREEMENTS_SQL = f"""
WITH cells AS ({_KEYED_CELLS})
SELECT b.plan_id, b.unit_key, b.indicator_key, b.is_total, b.period_start, b.period_end, b.unit_name_raw,
       b.indicator_label_raw, b.value, b.value_raw, b.doc_id, b.source_file, b.page,
       o.value, o.value_raw, o.doc_id, o.source_file, o.page
FROM cells b
JOIN plans p ON b.doc_id = p.best_doc_id
JOIN cells o ON o.plan_id = b.plan_id AND o.doc_id <> b.doc_id AND o.unit_key = b.unit_key
  AND o.indicator_key = b.indicator_key AND o.is_total = b.is_total
  AND o.period_start IS NOT DISTINCT FROM b.period_start AND o.period_end IS NOT DISTINCT FROM b.period_end
WHERE b.value IS DISTINCT FROM o.value
ORDER BY b.plan_id, o.doc_id, b.table_index, b.row_index, b.col_index"""

VIEWS = {
    "current_plans": "SELECT * FROM plans WHERE superseded_by IS NULL",
    "plan_copies": """SELECT d.plan_id, d.doc_id, d.source_file, d.format, d.encoding, d.status, d.n_targets,
  d.doc_id = p.best_doc_id AS is_best FROM documents d JOIN plans p USING (plan_id)""",
    # The numbers of each current plan, from its best copy only: one row per printed cell.
    "plan_targets": """SELECT p.plan_id, coalesce(nullif(p.province, ''), '(central)') AS plan_province,
  p.issuer AS plan_issuer, p.doc_number, t.*
  FROM current_plans p JOIN targets t ON t.doc_id = p.best_doc_id""",
    "unit_indicator_values": """SELECT plan_province AS province, province_2025, plan_id, unit_name, unit_name_raw,
  unit_code, unit_level, indicator_id, indicator_name, unit, period_start, period_end, value, value_raw,
  source_file, page, table_index, row_index, col_index
  FROM plan_targets WHERE NOT is_total AND coalesce(indicator_id, '') <> ''""",
    # Province totals summed from the unit rows (the printed total row is checked by validation instead).
    "province_indicator_totals": """SELECT province, indicator_id, any_value(indicator_name) AS indicator_name,
  any_value(unit) AS unit, period_start, period_end, sum(value) AS total, count(DISTINCT unit_name_raw) AS n_units,
  sum(value) / count(DISTINCT unit_name_raw) AS per_unit_average, count(DISTINCT plan_id) AS n_plans
  FROM unit_indicator_values GROUP BY ALL""",
    "province_2025_indicator_totals": """SELECT province_2025, indicator_id,
  any_value(indicator_name) AS indicator_name,
  period_start, period_end, sum(value) AS total, count(DISTINCT province || '|' || unit_name_raw) AS n_units,
  sum(value) / count(DISTINCT province || '|' || unit_name_raw) AS per_unit_average,
  count(DISTINCT plan_id) AS n_plans FROM unit_indicator_values WHERE coalesce(province_2025, '') <> ''
  GROUP BY ALL""",
    "indicator_coverage": """SELECT province, indicator_id, count(DISTINCT plan_id) AS n_plans, sum(value) AS total,
  sum(value) > 0 AS has_target FROM unit_indicator_values GROUP BY ALL""",
    # Everything a person should check: the documents' warnings and the store's own findings.
    "review": """SELECT w.kind, w.doc_id, w.source_file, w.page, w.message, d.plan_id FROM warnings w
    LEFT JOIN documents d USING (doc_id)
  UNION ALL SELECT 'source_disagreement', doc_other, source_other, page_other,
    format('{} / {}: {} says {} ({}), {} says {} ({})', unit_name_raw, indicator_label_raw, source_best,
           coalesce(CAST(value_best AS VARCHAR), 'no number'), value_raw_best, source_other,
           coalesce(CAST(value_other AS VARCHAR), 'no number'), value_raw_other), plan_id
    FROM source_disagreements
  UNION ALL SELECT 'symbol_variant', NULL, NULL, NULL,
    format('{} and {} (same date {} and issuer {}) are probably the same document', symbol, likely_same_as,
           issue_date, issuer), NULL FROM symbol_variants""",
}


def schema_statements() -> list[str]:
    """CREATE statements for every table and view, safe to run on an existing store."""
    statements = [_create(name, base_columns(name), key) for name, key in BASE_KEYS.items()]
    # A store made by an earlier version gets the columns added since (at the end, as in the schema).
    statements += [f'ALTER TABLE {name} ADD COLUMN IF NOT EXISTS "{c.name}" {DUCK_TYPES[c.type]}'
                   for name in BASE_KEYS for c in base_columns(name)]
    statements += list(DERIVED_TABLES.values())
    statements += [f"CREATE OR REPLACE VIEW {name} AS {sql}" for name, sql in VIEWS.items()]
    return statements
