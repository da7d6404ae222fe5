"""Shared by the bench scripts: the plain text tables they print, and importing the working tree."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def use_repo_code() -> None:
    """Import the working tree's packages (the project need not be installed into the virtualenv)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def format_table(headers: list[str], rows: list[list[object]]) -> str:
    """A plain aligned text table (numbers right-aligned)."""

    def show(v: object) -> str:
        if v is None:
            return "-"
        if isinstance(v, float):
            return f"{v:,.2f}" if abs(v) < 100 else f"{v:,.0f}"
        return str(v)

    cells = [[show(v) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    numeric = [all(isinstance(r[i], int | float) or r[i] is None for r in rows) for i in range(len(headers))]

    def line(values: list[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)
