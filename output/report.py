"""One self-contained HTML report: summary, warnings to check, and charts drawn with plotly.

plotly.js is inlined once in the page head and every chart is a div drawn from data inlined next to it,
so the file opens offline and never fetches anything at view time.
"""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import quote

import pandas as pd
from plotly.io import to_html
from plotly.offline import get_plotlyjs

from .atomic import atomic_write_bytes
from .pivots import Pivots

_STYLE = """body{font-family:system-ui,sans-serif;margin:1.5em;max-width:1200px}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px;text-align:left}h2{margin-top:1.6em}
.chart{margin-bottom:1em}"""


def _chart(figure: dict, chart_id: str) -> str:
    """A div drawn by plotly.js from the figure's data (inlined as JSON). The figure is a plain dict and is
    not validated through plotly's Python objects, which cost about 0.7 s per chart for no gain here."""
    layout = {"height": 380, "margin": {"l": 50, "r": 20, "t": 50, "b": 110}, "plot_bgcolor": "white",
              **figure.get("layout", {})}
    return ('<div class="chart" data-chart="' + chart_id + '">'
            + to_html({"data": figure["data"], "layout": layout}, full_html=False, include_plotlyjs=False,
                      div_id=chart_id, config={"responsive": True}, validate=False)
            + "</div>")


_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
            "#17becf")


def _bars(frame: pd.DataFrame, x: str, y: str, by: str, names: list[str] | None = None, **extra) -> list[dict]:
    """One bar trace per value of `by` (sorted); a value keeps its colour (its place in `names`) across charts."""
    names = names or sorted(str(v) for v in frame[by].unique())
    return [{"type": "bar", "name": str(name), "x": rows[x].astype(str).tolist(), "y": rows[y].tolist(),
             "marker": {"color": _PALETTE[names.index(str(name)) % len(_PALETTE)]}, **extra}
            for name, rows in frame.groupby(by, sort=True)]


def _table(frame: pd.DataFrame, link_column: str | None = None) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns if c != "link")
    rows = []
    for record in frame.to_dict("records"):
        cells = []
        for column, value in record.items():
            if column == "link":
                continue
            text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else html.escape(str(value))
            if column == link_column and record.get("link"):
                text = f'<a href="{html.escape(record["link"])}">{text}</a>'
            cells.append(f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _link(source_file: object, page: object, docs_root: str) -> str:
    """Link to the file (PDF viewers honour #page=N); relative to the report unless docs_root is given."""
    if not isinstance(source_file, str) or not source_file:
        return ""
    target = quote(f"{docs_root.rstrip('/')}/{source_file}" if docs_root else source_file)
    return target + (f"#page={int(page)}" if page is not None and not pd.isna(page) else "")


def indicator_charts(printed: pd.DataFrame, merged: pd.DataFrame) -> list[str]:
    """One chart per indicator: its total in each province as printed (left) and as province_2025 (right),
    a bar per period."""
    charts = []
    for indicator in sorted(set(printed["indicator_id"]) | set(merged["indicator_id"])):
        left = printed[printed["indicator_id"] == indicator]
        right = merged[merged["indicator_id"] == indicator]
        periods = sorted(set(left["period"]) | set(right["period"]))
        data = _bars(left, "province", "total", "period", periods, legendgroup="p")
        data += [{**t, "xaxis": "x2", "yaxis": "y2", "showlegend": False}
                 for t in _bars(right, "province_2025", "total", "period", periods, legendgroup="p")]
        layout = {"title": {"text": f"{indicator}: total by province (left: as printed, right: province_2025)"},
                  "barmode": "group", "xaxis": {"domain": [0, 0.47]}, "xaxis2": {"domain": [0.53, 1]},
                  "yaxis2": {"anchor": "x2"}}
        charts.append(_chart({"data": data, "layout": layout}, f"ind-{indicator}"))
    return charts


def units_chart(units: pd.DataFrame, province: str) -> str:
    rows = units[units["province"] == province]
    layout = {"title": {"text": f"{province}: targets of each unit"}, "barmode": "group"}
    return _chart({"data": _bars(rows, "unit", "value", "indicator_id"), "layout": layout}, "units")


def coverage_heatmap(coverage: pd.DataFrame) -> str:
    grid = coverage.pivot_table(index="province", columns="indicator_id", values="has_target", aggfunc="max")
    grid = grid.sort_index().reindex(sorted(grid.columns), axis=1).fillna(False).astype(int)
    data = [{"type": "heatmap", "z": grid.values.tolist(), "x": list(grid.columns), "y": list(grid.index),
             "zmin": 0, "zmax": 1, "colorscale": [[0, "#eeeeee"], [1, "#2a7ab0"]], "showscale": False,
             "xgap": 1, "ygap": 1}]
    layout = {"title": {"text": "Which provinces set a target for which indicator"}}
    return _chart({"data": data, "layout": layout}, "coverage")


def period_chart(long: pd.DataFrame) -> str | None:
    """Targets by period, only when the store holds several periods."""
    if long["period"].nunique() < 2:
        return None
    by_period = long.groupby(["period", "indicator_id"], as_index=False)["total"].sum()
    layout = {"title": {"text": "Targets by period (all provinces)"}, "barmode": "group"}
    return _chart({"data": _bars(by_period, "indicator_id", "total", "period"), "layout": layout}, "periods")


def chosen_province(units: pd.DataFrame, wanted: str | None) -> str | None:
    """The province asked for, else the one with most units (ties: first by name)."""
    if units.empty:
        return None
    if wanted:
        return wanted
    counts = units.groupby("province")["unit"].nunique()
    return str(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0])


def render_report(p: Pivots, province: str | None = None, docs_root: str = "") -> str:
    """The whole page as one HTML string."""
    review = p.review.copy()
    review["link"] = [_link(f, pg, docs_root) for f, pg in zip(review["source_file"], review["page"])]
    parts = ["<h1>Project 8 plans: comparison report</h1>",
             _table(pd.DataFrame(list(p.summary.items()), columns=["what", "count"])),
             f"<h2>To check ({len(review)})</h2>", _table(review, link_column="source_file")]
    if not p.long_totals.empty:
        parts += ["<h2>Each indicator across provinces, as printed and after the July 2025 merger</h2>"]
        parts += indicator_charts(p.long_totals, p.long_totals_2025)
    chosen = chosen_province(p.unit_values, province)
    if chosen:
        parts += [f"<h2>Units of {html.escape(chosen)}</h2>", units_chart(p.unit_values, chosen)]
    if not p.coverage.empty:
        parts += ["<h2>Indicator coverage</h2>", coverage_heatmap(p.coverage)]
    periods = period_chart(p.long_totals) if not p.long_totals.empty else None
    if periods:
        parts += ["<h2>Targets by period</h2>", periods]
    return ("<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>Project 8 comparison</title>"
            f"<style>{_STYLE}</style><script>{get_plotlyjs()}</script></head><body>"
            + "\n".join(parts) + "</body></html>")


def write_report(p: Pivots, path: Path, province: str | None = None, docs_root: str = "") -> Path:
    atomic_write_bytes(path, render_report(p, province, docs_root).encode("utf-8"))
    return path
