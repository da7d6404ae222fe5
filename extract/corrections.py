"""A person's corrections, applied on every run after extraction (cached documents included).

Order per document: the user's vocabulary maps labels and unit rows again, then cell corrections
replace values, then every cell warning is re-linked to its target. A correction is applied only to
the very cell it was made for: same file content (sha256) and the same printed text (value_raw).
Otherwise it raises `correction_stale` and the extracted value stays: a fix made for another version
of a document is never silently carried over.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from normalize.numbers import parse_number
from normalize.text import clean, fold
from normalize.user_vocabulary import usable_aliases

from .kinds import Stage, WarningKind
from .model import Document, Target
from .provenance import cell_warning, link_warnings
from .user_folder import CellCorrection, UserFolder
from .user_vocabulary import force_units, remap_indicators

log = logging.getLogger(__name__)


@dataclass
class CorrectionReport:
    """What the user folder did in this run, for the summary."""

    folder: str = ""
    applied: int = 0
    stale: int = 0
    not_in_run: int = 0  # corrections for documents this run did not read
    aliases: int = 0
    problems: list[str] = field(default_factory=list)


def apply_user_folder(docs: list[Document], user: UserFolder) -> CorrectionReport:
    """Vocabulary, then cell corrections, then warning links, on every document (needs doc_ids)."""
    report = CorrectionReport(folder=str(user.folder or ""), problems=list(user.problems))
    aliases, refused = usable_aliases(user.aliases) if user.aliases else ((), [])
    report.aliases, report.problems = len(aliases), report.problems + refused
    for doc in docs:
        if aliases or user.abbreviations:
            remap_indicators(doc, aliases, user.abbreviations)
        if user.units:
            forced = [(u.province, u.unit_name_raw, u.unit_name) for u in user.units]
            report.problems.extend(p for p in force_units(doc, forced) if p not in report.problems)
        for t in doc.targets:
            t.value_extracted = t.value
    corrected: dict[int, set[int]] = {}  # id(document) → tables with a corrected cell
    for correction in user.cells:
        _apply(correction, docs, report, corrected)
    for doc in docs:
        if id(doc) in corrected:
            check_totals_again(doc, corrected[id(doc)])
        link_warnings(doc)
    return report


def check_totals_again(doc: Document, tables: set[int]) -> None:
    """total_mismatch for tables with a corrected cell, from the values as corrected: a corrected total
    that now adds up is no longer reported, a correction that breaks a sum is. Columns are grouped by
    their printed label and group path, which holds whichever way the table was printed."""
    doc.warnings = [w for w in doc.warnings if not (w.kind == WarningKind.TOTAL_MISMATCH and w.table_index in tables)]
    columns: dict[tuple[int, str, str], list[Target]] = {}
    for t in doc.targets:
        if t.table_index in tables:
            columns.setdefault((t.table_index, t.group_path, t.indicator_label_raw), []).append(t)
    for (table, _, label), cells in sorted(columns.items(), key=lambda kv: min((t.row_index, t.col_index)
                                                                               for t in kv[1])):
        totals = [t for t in cells if t.is_total]
        units = [t for t in cells if not t.is_total]
        if len(totals) != 1 or not units or any(t.value is None for t in cells):
            continue
        found = sum(t.value for t in units)  # type: ignore[misc]
        if abs(found - totals[0].value) > 1e-9:  # type: ignore[operator]
            cell_warning(doc, Stage.VALIDATE, WarningKind.TOTAL_MISMATCH,
                         f"table {table} column '{label[:80]}': total row says {_number(totals[0].value)}, the units "
                         f"sum to {_number(found)} (values as corrected)", totals[0])


def _number(value: float | None) -> str:
    return "" if value is None else str(int(value)) if float(value).is_integer() else str(value)


def _document(correction: CellCorrection, docs: list[Document]) -> tuple[Document | None, bool]:
    """(document, same content?): by sha256, else by source_file or doc_id (the document changed)."""
    for doc in docs:
        if correction.sha256 and doc.sha256 == correction.sha256:
            return doc, True
    for doc in docs:
        if (correction.source_file and doc.source_file == correction.source_file) or (
            correction.doc_id and doc.doc_id == correction.doc_id
        ):
            return doc, False
    return None, False


def _targets(correction: CellCorrection, doc: Document) -> list[Target]:
    if correction.by_position:
        key = (correction.table_index, correction.row_index, correction.col_index)
        return [t for t in doc.targets if (t.table_index, t.row_index, t.col_index) == key
                and (correction.page is None or t.page is None or t.page == correction.page)]
    unit = fold(clean(correction.unit_name_raw))
    return [t for t in doc.targets if t.indicator_id == correction.indicator_id
            and unit in (fold(clean(t.unit_name_raw)), fold(t.unit_name))]


def _apply(
    correction: CellCorrection, docs: list[Document], report: CorrectionReport, corrected: dict[int, set[int]]
) -> None:
    doc, same_content = _document(correction, docs)
    if doc is None:
        log.debug("%s: no document of this run matches it", correction.file)
        report.not_in_run += 1
        return
    found = _targets(correction, doc)
    target = found[0] if len(found) == 1 else None
    value = parse_number(correction.value)
    if target is not None and value is None:
        report.problems.append(f"{correction.file}: value {correction.value!r} is not a number; not applied")
        return
    reason = _stale_reason(correction, same_content, found)
    if reason:
        report.stale += 1
        message = f"correction {correction.file} not applied: {reason}"
        log.debug("%s", message)
        if target is not None:
            cell_warning(doc, Stage.CORRECTIONS, WarningKind.CORRECTION_STALE, message, target)
        else:
            doc.warn(Stage.CORRECTIONS, WarningKind.CORRECTION_STALE, message, correction.page)
        return
    assert target is not None
    target.value = value
    target.value_source = "corrected"
    target.corrected_by = correction.corrected_by
    target.correction_note = correction.note
    corrected.setdefault(id(doc), set()).add(target.table_index)
    report.applied += 1
    log.debug("p.%s: %s: cell %r corrected to %s", target.page, correction.file, target.value_raw, value)


def _stale_reason(correction: CellCorrection, same_content: bool, found: list[Target]) -> str:
    if not same_content:
        return f"the document changed since the correction was made (sha256 {correction.sha256[:12] or 'empty'})"
    if not found:
        return "no such cell in the document as read now"
    if len(found) > 1:
        return f"{len(found)} cells match unit {correction.unit_name_raw!r} and {correction.indicator_id}"
    if clean(found[0].value_raw) != clean(correction.value_raw):
        return f"the cell now reads {found[0].value_raw!r}, the correction was made for {correction.value_raw!r}"
    return ""
