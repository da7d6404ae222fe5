"""Cross-checks after normalization: the body's list of targets against the appendix table's totals.

Plans state their main targets twice: as a list in the body ("1. Chỉ tiêu chính ...: - 423 Tổ
truyền thông cộng đồng ...") and as the total row of the allocation table. A difference is a real
error in the plan (or in our reading of it): it is reported as `body_table_mismatch`, never fixed.
"""

from __future__ import annotations

import re

from normalize.indicators import match_indicator
from normalize.numbers import parse_number
from normalize.text import join_lines

from ..kinds import Stage, WarningKind
from ..model import Document, Target
from ..provenance import cell_warning

_TARGETS_HEADING = re.compile(r"^\s*(?:[0-9IVX]+[.)]\s*)+.*chỉ tiêu", re.IGNORECASE)
_NEXT_HEADING = re.compile(r"^\s*(?:[0-9IVX]+[.)]\s+|\(phân bổ)", re.IGNORECASE)
_BULLET_SPLIT = re.compile(r"(?:^|\s)[-+•]\s+|;\s+|\.\s+(?=[A-ZĐÀ-Ỹ])")
# A number that opens a statement: "Tối thiểu 140 Tổ ...", "thí điểm 05 tổ ...", "15% thành viên ...".
_NUMBER = re.compile(r"(?<![\w.,/])(\d{1,3}(?:\.\d{3})+|\d+)(\s*%)?(?=\s+\w)")
SECTION_LINES = 60  # the list follows its heading closely


def body_target_statements(doc: Document) -> list[tuple[float, str, int | None]]:
    """(number, the words after it, page) for each target stated in the body's 'Chỉ tiêu' section."""
    lines = doc.lines
    out: list[tuple[float, str, int | None]] = []
    i = 0
    while i < len(lines):
        if not _TARGETS_HEADING.match(lines[i].text):
            i += 1
            continue
        section = []
        for line in lines[i + 1: i + 1 + SECTION_LINES]:
            if _NEXT_HEADING.match(line.text) or _TARGETS_HEADING.match(line.text):
                break
            section.append(line)
        text = join_lines([ln.text for ln in section])
        page = section[0].page if section else None
        for chunk in _BULLET_SPLIT.split(text):
            out.extend((value, words, page) for value, words in _statements(chunk or ""))
        i += 1 + len(section)
    return out


def _statements(chunk: str) -> list[tuple[float, str]]:
    """Each count in the chunk with the words up to the next count; numbers inside parentheses
    ("(chương trình 2)") belong to the words, and percentages are shares, not counts."""
    starts = [m for m in _NUMBER.finditer(chunk) if chunk.count("(", 0, m.start()) <= chunk.count(")", 0, m.start())]
    out = []
    for m, nxt in zip(starts, starts[1:] + [None]):
        words = chunk[m.end(): nxt.start() if nxt else len(chunk)].strip()[:160]
        value = parse_number(m.group(1))
        if not m.group(2) and value is not None and len(words) >= 8:
            out.append((value, words))
    return out


def check_body_against_tables(doc: Document) -> Document:
    """Warn where the body states a target whose indicator's table total differs."""
    totals: dict[str, Target] = {}
    for t in doc.targets:
        if t.is_total and t.indicator_id and t.value is not None:
            totals.setdefault(t.indicator_id, t)
    if not totals:
        return doc
    for value, words, page in body_target_statements(doc):
        match = match_indicator(words)
        if not match.indicator_id or match.indicator_id not in totals:
            continue
        total = totals[match.indicator_id]
        if abs(total.value - value) > 1e-9:  # type: ignore[operator]
            warning = cell_warning(
                doc, Stage.VALIDATE, WarningKind.BODY_TABLE_MISMATCH,
                f"the body states {value:g} for {match.indicator_id} ('{words[:80]}'); "
                f"the table's total is {total.value:g}",
                total,
            )
            warning.page = page or total.page  # the body's statement; the box shows the table's total
    return doc
