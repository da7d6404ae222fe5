"""Which national target programme and project a text names (normalize/data/programmes.csv).

"Dự án 8" alone says little: several programmes number their projects, and the drug-prevention programme
has a "Dự án 8" of its own. What ties a project to a programme is the programme's name ("... vùng đồng
bào dân tộc thiểu số và miền núi"), its approving decision (1719/QĐ-TTg) or the project's own name
("Thực hiện bình đẳng giới ..."). The names and decisions are data, so a programme is added without code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from normalize.doctypes import symbol_key
from normalize.text import fold
from normalize.vocab import read_rows

_PROJECT = re.compile(r"(?<!tieu )\bdu an (?:so )?(\d{1,2})\b")  # "Dự án 8", not "Tiểu dự án 1"


@dataclass(frozen=True)
class Naming:
    programme: str
    project: str
    text: str  # as written in the data file, for the evidence


def _key(text: str) -> str:
    return " ".join(fold(text).replace("&", " ").replace("/", " ").replace(".", " ").split())


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[str, Naming, str], ...]:
    """(kind, naming, match key) for every row; decisions keyed by symbol, the rest by folded words."""
    out = []
    for row in read_rows("programmes.csv"):
        naming = Naming(row["programme"], row["project"], row["text"])
        out.append((row["kind"], naming, symbol_key(row["text"]) if row["kind"] == "decision" else _key(row["text"])))
    return tuple(out)


def decision(symbol: str) -> Naming | None:
    """The programme a cited decision approves ('1719/QĐ-TTg' → 1719), or None."""
    k = symbol_key(symbol)
    return next((n for kind, n, key in _rows() if kind == "decision" and key == k), None)


def named(text: str) -> list[Naming]:
    """Programme names and project names the text contains, in data-file order."""
    k = f" {_key(text)} "
    return [n for kind, n, key in _rows() if kind != "decision" and f" {key} " in k]


def projects(text: str) -> list[str]:
    """The project numbers of every "Dự án N" in the text, in order (a "Tiểu dự án N" is not one)."""
    return _PROJECT.findall(_key(text))
