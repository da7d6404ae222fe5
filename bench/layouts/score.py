"""Cell scores of the pipeline's targets against the generated gold.

A gold cell is (unit, indicator_id, value). An emitted target is *scored* when its indicator_id is not
empty; it is *correct* when a gold cell of its document has the same unit (total row ↔ is_total, else
the folded short name of the unit as printed, its type prefix dropped), the same indicator_id and the
same value (None never matches). recall = correct gold cells / gold cells; precision = correct scored
targets / scored targets. Each gold cell can be matched once.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from extract.model import Document

from .spec import TOTAL_KEY, Plan, unit_key

_PREFIX = re.compile(r"^\s*(huyện|thị xã|thành phố|tp\.?|tx\.?|quận|xã|phường|thị trấn)\s+", re.IGNORECASE)


@dataclass
class Score:
    gold: int = 0
    emitted: int = 0  # targets with an indicator_id
    correct: int = 0
    partial_docs: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.emitted += other.emitted
        self.correct += other.correct
        self.partial_docs += other.partial_docs

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.emitted if self.emitted else 1.0


def emitted_key(unit_name_raw: str, is_total: bool) -> str:
    if is_total:
        return TOTAL_KEY
    name = re.sub(r"^\s*[0-9IVX]+[.)]?\s+", "", unit_name_raw)  # a row number glued to the name
    return unit_key(_PREFIX.sub("", name))


def score_document(plan: Plan, doc: Document) -> Score:
    wanted = Counter((g.unit_key, g.indicator_id, g.value) for g in plan.gold)
    s = Score(gold=len(plan.gold), partial_docs=int(doc.status != "ok"))
    for t in doc.targets:
        if not t.indicator_id:
            continue
        s.emitted += 1
        key = (emitted_key(t.unit_name_raw, t.is_total), t.indicator_id, t.value)
        if t.value is not None and wanted[key] > 0:
            wanted[key] -= 1
            s.correct += 1
        else:
            s.misses.append(f"extra {key} raw={t.value_raw!r} label={t.indicator_label_raw[:40]!r}")
    s.misses += [f"missed {k}" for k, n in wanted.items() for _ in range(n)]
    return s
