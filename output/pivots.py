"""The comparison tables a report is made of, queried from the store's views (so they count plans).

Each pivot is a pandas DataFrame with plain columns (no index), ready for CSV, a workbook sheet or a chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

_PERIOD = "coalesce(CAST(period_start AS VARCHAR), '?') || '-' || coalesce(CAST(period_end AS VARCHAR), '?')"


@dataclass
class Pivots:
    """Every table of the report, by sheet name, plus what the charts need."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    long_totals: pd.DataFrame = field(default_factory=pd.DataFrame)  # province, indicator, period, total
    long_totals_2025: pd.DataFrame = field(default_factory=pd.DataFrame)
    unit_values: pd.DataFrame = field(default_factory=pd.DataFrame)  # province, unit, indicator, value
    coverage: pd.DataFrame = field(default_factory=pd.DataFrame)  # province, indicator, has_target
    review: pd.DataFrame = field(default_factory=pd.DataFrame)
    summary: dict[str, int] = field(default_factory=dict)


def _wide(long: pd.DataFrame, index: list[str], value: str) -> pd.DataFrame:
    """Indicators as columns (sorted), one row per `index`, sorted; missing cells stay empty."""
    if long.empty:
        return pd.DataFrame(columns=index)
    wide = long.pivot_table(index=index, columns="indicator_id", values=value, aggfunc="sum", sort=True)
    wide = wide.reindex(sorted(wide.columns), axis=1)
    wide.columns.name = None
    return wide.reset_index()


def build_pivots(con: duckdb.DuckDBPyConnection) -> Pivots:
    q = con.sql
    totals = q(f"""SELECT province, indicator_id, {_PERIOD} AS period, total, n_units, per_unit_average, n_plans
        FROM province_indicator_totals ORDER BY ALL""").df()
    totals_2025 = q(f"""SELECT province_2025, indicator_id, {_PERIOD} AS period, total, n_units, per_unit_average
        FROM province_2025_indicator_totals ORDER BY ALL""").df()
    units = q(f"""SELECT province, coalesce(nullif(unit_name, ''), unit_name_raw) AS unit, indicator_id,
        {_PERIOD} AS period, value FROM unit_indicator_values ORDER BY ALL""").df()
    coverage = q("""SELECT province, indicator_id, n_plans, total, has_target FROM indicator_coverage
        ORDER BY ALL""").df()
    sources = q("""SELECT province, province_2025, plan_id, unit_name_raw, unit_name, indicator_id, period_start,
        period_end, value, value_raw, source_file, page, table_index, row_index, col_index
        FROM unit_indicator_values ORDER BY province, plan_id, table_index, row_index, col_index""").df()
    review = q("""SELECT r.kind, r.plan_id, r.doc_id, r.source_file, r.page, r.message FROM review r
        ORDER BY r.kind, r.source_file NULLS LAST, r.page NULLS FIRST, r.message""").df()
    coverage_wide = _wide(coverage.assign(has=coverage["has_target"].astype(int)), ["province"], "has")
    tables = {
        "province_totals": _wide(totals, ["province", "period"], "total"),
        "province_2025_totals": _wide(totals_2025, ["province_2025", "period"], "total"),
        "unit_values": _wide(units, ["province", "unit", "period"], "value"),
        "per_unit_average": _wide(totals, ["province", "period"], "per_unit_average"),
        "per_unit_average_2025": _wide(totals_2025, ["province_2025", "period"], "per_unit_average"),
        "indicator_coverage": coverage_wide,
        "plans": q("""SELECT plan_id, doc_number, issue_date, issuer, province, n_copies, best_doc_id, superseded_by,
            title FROM plans ORDER BY plan_id""").df(),
        "review": review,
        "sources": sources,
    }
    summary = {name: con.execute(sql).fetchone()[0] for name, sql in {
        "files": "SELECT count(*) FROM documents",
        "plans": "SELECT count(*) FROM plans",
        "current plans": "SELECT count(*) FROM current_plans",
        "failed files": "SELECT count(*) FROM documents WHERE status = 'failed'",
        "target cells (best copies)": "SELECT count(*) FROM plan_targets",
        "source disagreements": "SELECT count(*) FROM source_disagreements",
        "warnings to check": "SELECT count(*) FROM review",
    }.items()}
    return Pivots(tables, totals, totals_2025, units, coverage, review, summary)
