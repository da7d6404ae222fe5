"""What a table header's words are, judged from the words alone: numbering, units of measure, sections, rates.

Shared by the text-table reader (extract/readers/text_tables.py: which lines are header tokens, which are
section titles) and the header stage (extract/stages/headers.py: which rows are labels), so both read a
header the same way. Only text and the units vocabulary (normalize/data/units.csv), no document model.
"""

from __future__ import annotations

import re
from functools import lru_cache

from normalize.text import clean, fold
from normalize.vocab import read_rows

NUMBERING = re.compile(r"^\(?(\d{1,3}|[ivxlc]{1,6}|[a-z])[.)]?\)?$")  # on folded text: "(1)", "a", "II."
NOTE_HEADER = re.compile(r"^(ghi chu|ghi chu khac|nhan xet|mo ta|dien giai)\b")
UOM_HEADER = re.compile(r"^(dvt|don vi tinh)$")
_SECTION = re.compile(r"^([ivxlc]{1,6}[.)]\s|noi dung \d+\b|vung [ivx\d]+|khu vuc [ivx\d]+|phan [ivx\d]+)")
_RATE_LABEL = re.compile(r"^ty le\b")


@lru_cache(maxsize=1)
def _uom_keys() -> frozenset[str]:
    return frozenset(fold(r["unit_raw"]) for r in read_rows("units.csv"))


def is_numbering(texts: list[str]) -> bool:
    """A row (or column) of bare numbering tokens: "(1) (2) (3)", "A B 1 2", "01 02", "I II"."""
    tokens = [fold(clean(t)) for t in texts if clean(t)]
    return len(tokens) >= 2 and all(NUMBERING.match(t) for t in tokens)


def is_unit_row(texts: list[str], label: str = "") -> bool:
    """A row naming units of measure under the indicators ("ĐVT" | tổ | cuộc | % ...)."""
    if UOM_HEADER.match(fold(clean(label))):
        return True
    keys = _uom_keys()
    tokens = [fold(clean(t)) for t in texts if clean(t)]
    return len(tokens) >= 2 and all(t in keys for t in tokens)


def is_section_label(text: str) -> bool:
    """A section title: "I. Nội dung 1: ...", "Nội dung 2", "Vùng I", "Khu vực II", "Phần 1"."""
    return bool(_SECTION.match(fold(clean(text))))


def is_rate(label: str, unit_raw: str = "") -> bool:
    """A share, not a count: its unit is % ("ĐVT" row, or "(%)" in the label) or the label says "Tỷ lệ"."""
    text = clean(label)
    return clean(unit_raw) == "%" or "(%)" in text or bool(_RATE_LABEL.match(fold(text)))
