"""The run-level 'cited_documents' view: one row per distinct cited symbol across the documents of a run."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, is_dataclass

from normalize.doctypes import symbol_key as _symbol_key
from normalize.text import clean


def _most_common(rows: list[dict], col: str) -> str:
    """The column's most common non-empty value (ties: the smallest), '' if none."""
    counts = Counter(str(r.get(col) or "") for r in rows if r.get(col))
    if not counts:
        return ""
    top = max(counts.values())
    return min(v for v, n in counts.items() if n == top)


def cited_documents(refs_rows: list[dict]) -> list[dict]:
    """symbol, doc_type, issue_date, issuer, n_citing_documents per distinct cited symbol; deterministic order.

    Rows are refs rows (dicts, or Reference objects) carrying the citing document in `doc_id` (or `doc`,
    `source_file`). Portal rows are left out: a portal's lists are not the document's citations. Symbols are
    grouped case- and diacritics-insensitively; each column takes its most common non-empty value (ties: the
    smallest). Order: most citing documents first, then symbol.
    """
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in refs_rows:
        if is_dataclass(row) and not isinstance(row, type):
            row = asdict(row)
        if not isinstance(row, dict) or (row.get("section") or "") == "portal":
            continue
        symbol = clean(str(row.get("symbol") or ""))
        if symbol:
            groups[_symbol_key(symbol)].append({**row, "symbol": symbol})
    out = []
    for rows in groups.values():
        citing = {str(r.get("doc_id") or r.get("doc") or r.get("source_file") or "") for r in rows}
        symbol_counts = Counter(r["symbol"] for r in rows)
        top = max(symbol_counts.values())
        out.append(
            {
                "symbol": min(s for s, n in symbol_counts.items() if n == top),
                "doc_type": _most_common(rows, "doc_type"),
                "issue_date": _most_common(rows, "issue_date"),
                "issuer": _most_common(rows, "issuer"),
                "n_citing_documents": len(citing),
            }
        )
    out.sort(key=lambda r: (-r["n_citing_documents"], _symbol_key(r["symbol"]), r["symbol"]))
    return out
