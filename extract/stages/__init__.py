"""The extraction stages, in the order they run. Each takes the Document and returns it enriched.

Why this order:
1. encoding   legacy TCVN3/VNI text to Unicode, before anything reads a word of it;
2. meta       the header block (number, date, province, ...): later stages need the province;
   then each header field is checked against its own shape (header_check: noise is left empty);
3. appendix   captions, tables joined over pages, each table classified (allocation / activity / other);
4. allocation allocation tables → one Target per (unit, indicator) cell, totals checked;
   coverage   an announced or detected allocation table that gave no target row: warned, document
              partial (needs the targets; before normalize, which reads only the targets found);
5. refs       the "Căn cứ" references (independent of the tables; placed after them so a table's
              text is already out of the running lines it reads);
   programme  programme and project (1719 / 8) from the title, the basis references and the body
              (needs the references);
6. normalize  indicator ids, units and places of the targets (needs meta's province);
7. validate   the body's stated targets against the normalized totals (needs indicator ids).

Every stage runs in its own try/except in the pipeline: one that breaks leaves the document partial
and the later stages still run. After them, `status.settle_status` turns the warnings that mean
"not read" into the document's status.
"""

from __future__ import annotations

from collections.abc import Callable

from ..kinds import Stage
from ..model import Document
from .allocation import extract_targets
from .appendix import find_appendices
from .coverage import check_allocation_read
from .encoding import fix_legacy_encoding
from .header_check import check_header
from .meta import extract_meta
from .normalize import normalize_targets
from .programme import identify_programme
from .refs import extract_references
from .validate import check_body_against_tables

StageFunction = Callable[[Document], Document]

# (the name a warning raised there carries, the function). Three steps share Stage.TABLES.
STAGES: list[tuple[Stage, StageFunction]] = [
    (Stage.READ, fix_legacy_encoding),
    (Stage.META, extract_meta),
    (Stage.META, check_header),
    (Stage.TABLES, find_appendices),
    (Stage.TABLES, extract_targets),
    (Stage.TABLES, check_allocation_read),
    (Stage.REFS, extract_references),
    (Stage.META, identify_programme),
    (Stage.NORMALIZE, normalize_targets),
    (Stage.VALIDATE, check_body_against_tables),
]

__all__ = ["STAGES", "StageFunction"]
