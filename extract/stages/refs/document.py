"""The whole document: every paragraph's references, one row per cited document, warnings.

Each distinct document (by canonical symbol) appears once per citing document, at its first position
in the best section it has (can_cu before proposal before body); the document citing itself ("Kèm
theo Kế hoạch số 355/KH-UBND ...", found by doc.meta.doc_number or the "Số: ..." header line) is left
out. Portal rows are deduplicated among themselves and come last. `ref_order` numbers the kept rows
1..n in order of appearance.
"""

from __future__ import annotations

import bisect
import logging
import re

from normalize.doctypes import symbol_key
from normalize.text import clean, squeeze

from ...kinds import Stage, WarningKind
from ...model import Document, Reference
from .grammar import CITING_LOOK, HEADER_NUMBER, clauses
from .paragraphs import Para, para
from .parse import BASIS_SECTIONS, parse_paragraph
from .sections import sectioned_paragraphs

log = logging.getLogger(__name__)

_SECTION_RANK = {"can_cu": 0, "proposal": 1, "body": 2}


def _own_symbol_key(doc: Document, paras: list[Para]) -> str:
    """The citing document's own number, to leave out self-citations ('Kèm theo Kế hoạch số ...')."""
    number = squeeze(clean(doc.meta.doc_number or ""))
    if re.match(r"\d", number):
        return symbol_key(number)
    for p in paras[:15]:
        m = HEADER_NUMBER.search(p.key)
        if m:
            return symbol_key(p.raw[m.start("sym"):m.end("sym")])
    return ""


def _clause_warnings(p: Para, refs: list[Reference], doc: Document) -> None:
    """`ref_unparsed` for each clause of a basis paragraph that looks like a citation and gave nothing.

    Basis paragraphs that cite nothing on purpose ("Căn cứ chức năng, nhiệm vụ ...") do not warn; a
    numberless document with a date ("Biên bản ... ngày 07/6/2024 ...") does: this stage cannot make it a row.
    """
    starts = clauses(p.key)
    bounds = list(zip(starts, starts[1:] + [len(p.key)]))
    hit = {bisect.bisect_right(starts, r.ref_order) - 1 for r in refs}
    for ci, (s, e) in enumerate(bounds):
        if ci not in hit and CITING_LOOK.search(p.key, s, e):
            text = p.raw[s:e].strip(" ;.")
            log.debug("page %s: clause left unparsed: %.120r", p.page_at(s), text)
            doc.warn(Stage.REFS, WarningKind.REF_UNPARSED, f"basis clause cites no recognisable document: {text}",
                     p.page_at(s))


def _parse_safely(doc: Document, p: Para, province: str, section: str, page: int | None) -> list[Reference]:
    """One paragraph's references; a parser failure warns `ref_error` and never ends the document."""
    try:
        return parse_paragraph(p, province, section)
    except Exception as exc:  # noqa: BLE001 - one paragraph never ends the document
        doc.warn(Stage.REFS, WarningKind.REF_ERROR, f"{type(exc).__name__}: {exc}: {p.raw[:300]}", page)
        return []


def _best_positions(found: list[tuple[int, int, Reference]], own: str) -> list[Reference]:
    """One row per cited document: its first position in its best section; self-citations left out."""
    ranked = [((_SECTION_RANK[ref.section], pi, pos), symbol_key(ref.symbol), ref) for pi, pos, ref in found]
    best: dict[str, tuple[int, int, int]] = {}
    for rank, k, _ in ranked:
        if k and k != own and (k not in best or rank < best[k]):
            best[k] = rank
    return [ref for rank, k, ref in ranked if best.get(k) == rank]


def _portal_references(doc: Document, province: str, own: str) -> list[Reference]:
    """The legal portal's lists around the document, deduplicated among themselves."""
    portal: list[Reference] = []
    seen: set[str] = set()
    for line in doc.portal_lines:
        for ref in _parse_safely(doc, para(line.text, line.page or None), province, "portal", None):
            k = symbol_key(ref.symbol)
            if k and k != own and k not in seen:
                seen.add(k)
                portal.append(ref)
    return portal


def extract_references(doc: Document) -> Document:
    """Fill doc.refs (and doc.warnings via doc.warn(Stage.REFS, kind, message, page)) from doc.lines and
    doc.portal_lines."""
    province = doc.meta.province or ""
    sectioned = sectioned_paragraphs(doc)
    own = _own_symbol_key(doc, [p for p, _ in sectioned])
    found: list[tuple[int, int, Reference]] = []
    for pi, (p, section) in enumerate(sectioned):
        try:
            refs = parse_paragraph(p, province, section)
        except Exception as exc:  # noqa: BLE001 - one paragraph never ends the document
            doc.warn(Stage.REFS, WarningKind.REF_ERROR, f"{type(exc).__name__}: {exc}: {p.raw[:300]}", p.page_at(0))
            continue
        if section in BASIS_SECTIONS:
            _clause_warnings(p, refs, doc)
        found.extend((pi, ref.ref_order, ref) for ref in refs)
    doc.refs = _best_positions(found, own) + _portal_references(doc, province, own)
    for i, ref in enumerate(doc.refs, 1):
        ref.ref_order = i
        if ref.ocr_corrected:
            doc.warn(Stage.REFS, WarningKind.OCR_CORRECTED, f"type word '{ref.ocr_corrected}' read as {ref.doc_type} "
                     f"(OCR damage) in: {ref.raw[:200]}", ref.page, subject=ref.symbol)
    return doc
