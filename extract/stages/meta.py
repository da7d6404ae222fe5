"""Metadata stage: the header block (issuer, number, place, date, type, title), signer and period.

Vietnamese administrative documents share one layout (Decree 30/2020/NĐ-CP): issuer lines top
left, "Số: ..." under them, "Place, ngày ... tháng ... năm ..." top right, then the document type
in capitals and the title; the signature block (TM./KT. + title + name) closes the body. Where
the header is missing, the appendix caption ("Kèm theo Kế hoạch số 3798/KH-UBND ngày 09/11/2022")
is the fallback, with a warning.
"""

from __future__ import annotations

import logging
import re

from normalize.dates import parse_date
from normalize.doctypes import type_from_symbol, type_names
from normalize.issuers import canonical_issuer, organisation, organisation_keys
from normalize.numbers import parse_period
from normalize.places import resolve_province
from normalize.text import clean, fold, join_lines, squeeze

from ..kinds import Stage, WarningKind
from ..model import Document, Line
from .header_lines import header_lines
from .signers import signers
from .stamps import fill_date, fill_number

log = logging.getLogger(__name__)

HEADER_LINES = 40  # the header block always sits in the first lines of the document

_NUMBER = re.compile(r"^\s*S[ốô]\s*[:.]?\s*(?P<num>\d[\w\s./\-–&]*?)\s*$", re.IGNORECASE)
_MOTTO_START = re.compile(r"\s(?=CỘNG HÒA XÃ HỘI)")
_BLANK_NUMBER = re.compile(r"^\s*S[ốô]\s*[:.]?\s*/\s*\S", re.IGNORECASE)  # "Số: /KH-UBND": numbered by hand
# "ngày  tháng 11 năm 2024", "ngày 04 tháng  năm 2024": a day or month left blank
_DATE_WITH_BLANKS = re.compile(r"ngày\s+(?:tháng|\.)|tháng\s+(?:năm|\.)", re.IGNORECASE)
_PLACE_DATE = re.compile(r"^(?P<place>[^\d,]{2,40}?)\s*,\s*ngày\b", re.IGNORECASE)
_MOTTO = re.compile(r"cộng hòa xã hội|độc lập\s*-\s*tự do|^[-_\s]+$", re.IGNORECASE)
# Only the types a plan's appendix is attached to: "kèm theo Thông tư số ..." in a caption names another document.
_CAPTION_REF = re.compile(
    r"kèm\s*(?:theo)?\s*(?P<type>kế hoạch|quyết định|nghị quyết|hướng dẫn)\s*số\s*(?P<num>[\w\s./\-–]+?)\s*"
    r"ngày\s*(?P<date>\d{1,2}\s*(?:/|tháng)\s*\d{1,2}\s*(?:/|năm)\s*\d{4})",
    re.IGNORECASE,
)
DOC_TYPES = type_names()  # normalize/data/doc_types.csv, shared with the reference stage
_DOC_TYPE_BY_FOLD = {fold(t): t for t in DOC_TYPES}
_BODY_START = re.compile(r"^(căn cứ|thực hiện|theo|xét|để|nhằm|i\.|1\.|phần|chương|điều)\b", re.IGNORECASE)
_BODY_PERIOD = re.compile(r"thời gian (?:thực hiện|triển khai|chỉ đạo[^:]*)\s*:?", re.IGNORECASE)
_LOCALITY = re.compile(r"^(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\b", re.IGNORECASE)


def _org(line: str) -> str:
    """A header line's organisation in the house spelling (the header reading of the shared canonicaliser)."""
    return canonical_issuer(line, header_line=True)


def canonical_symbol(raw: str) -> str:
    """'96 /KH - ĐCT' → '96/KH-ĐCT' (NFC, no spaces, hyphen-minus, Đ)."""
    return squeeze(clean(raw)).strip(".,;:")


def extract_meta(doc: Document) -> Document:
    """Fill doc.meta from the header block, the signature block and the title."""
    lines = doc.lines
    head = header_lines(lines[:HEADER_LINES])
    meta = doc.meta
    number_at, place_at = _number_and_date(doc, head, lines)
    issuer_lines = _issuer_lines(head, number_at)
    meta.issuer = _issuer(issuer_lines)
    log.debug("issuer %r from header lines %r", meta.issuer, issuer_lines)
    type_at = _find_doc_type(head, place_at)
    if type_at is not None:
        meta.doc_type = _DOC_TYPE_BY_FOLD[fold(head[type_at].text)]
        meta.title = _title(head, type_at)
        log.debug("type %r from header line %d, title %r", meta.doc_type, type_at, meta.title)
    _warn_blanks(doc, head)
    if not meta.doc_number or not meta.issue_date:
        _fallback_from_caption(doc)
    if not meta.doc_type and meta.doc_number:
        meta.doc_type = type_from_symbol(meta.doc_number)
        log.debug("no type line: type %r from the symbol %r", meta.doc_type, meta.doc_number)
    meta.province = _province(issuer_lines, meta.place, meta.title)
    meta.province_2025 = resolve_province(meta.province).province_2025 if meta.province else ""
    meta.signer = "; ".join(signers(lines, start=(type_at or 0) + 1))
    log.debug("province %r, signer %r", meta.province, meta.signer)
    meta.period_start, meta.period_end = _period(meta.title, lines, meta.issue_date)
    if not meta.signer:
        doc.warn(Stage.META, WarningKind.SIGNER_MISSING, "no signature block with a signer's name was found")
    return doc


def _number_and_date(doc: Document, head: list[Line], lines: list[Line]) -> tuple[int | None, int | None]:
    """Number, place and date from the header as printed, else from numbers stamped over its blanks.

    Returns the header lines they were read from (the blank lines when a stamp filled them), for the
    issuer above "Số:" and the document type below the date.
    """
    meta = doc.meta
    number_at = _find_number(head)
    if number_at is not None:
        printed = _NUMBER.match(head[number_at].text).group("num")
        meta.doc_number, meta.number_source = canonical_symbol(printed), "printed"
    else:
        number_at = next((i for i, ln in enumerate(head) if _BLANK_NUMBER.match(ln.text)), None)
        filled = fill_number(head[number_at], _page_lines(lines, head[number_at])) if number_at is not None else ""
        if _NUMBER.match(filled):
            meta.doc_number, meta.number_source = canonical_symbol(_NUMBER.match(filled).group("num")), "stamp"
    place_at = _find_place_date(head)
    if place_at is not None:
        meta.issue_date, meta.date_source = parse_date(head[place_at].text), "printed"
    else:
        place_at = next((i for i, ln in enumerate(head)
                         if _PLACE_DATE.match(ln.text) and _DATE_WITH_BLANKS.search(ln.text)), None)
        filled = fill_date(head[place_at], _page_lines(lines, head[place_at])) if place_at is not None else ""
        if parse_date(filled):
            meta.issue_date, meta.date_source = parse_date(filled), "stamp"
    if place_at is not None:
        meta.place = clean(_PLACE_DATE.match(head[place_at].text).group("place"))
    log.debug("number %r (%s), place %r, date %s (%s) from header lines %s, %s", meta.doc_number,
              meta.number_source, meta.place, meta.issue_date, meta.date_source, number_at, place_at)
    return number_at, place_at


def _page_lines(lines: list[Line], line: Line) -> list[Line]:
    return [ln for ln in lines if ln.page == line.page]


def _warn_blanks(doc: Document, head: list[Line]) -> None:
    """Published copies often leave the number and the day blank, to be filled in by hand or stamp;
    warned only when no stamp filled them."""
    if not doc.meta.doc_number:
        blank = next((ln for ln in head if _BLANK_NUMBER.match(ln.text)), None)
        if blank is not None:
            doc.warn(Stage.META, WarningKind.NUMBER_BLANK,
                     f"the document's number is left blank ('{blank.text}'): filled in by hand or stamp", blank.page)
    if not doc.meta.issue_date:
        undated = next((ln for ln in head if _PLACE_DATE.match(ln.text) and _DATE_WITH_BLANKS.search(ln.text)), None)
        if undated is not None:
            doc.warn(Stage.META, WarningKind.DATE_INCOMPLETE,
                     f"the date line has blanks ('{undated.text}'); issue_date left empty", undated.page)


def _find_number(head: list[Line]) -> int | None:
    for i, line in enumerate(head):
        if _NUMBER.match(line.text) and re.search(r"\d", line.text):
            return i
    return None


def _find_place_date(head: list[Line]) -> int | None:
    for i, line in enumerate(head):
        if _PLACE_DATE.match(line.text) and parse_date(line.text):
            return i
    return None


def _issuer_lines(head: list[Line], number_at: int | None) -> list[str]:
    """Capitalised lines above "Số:" that are not the national motto."""
    stop = number_at if number_at is not None else min(len(head), 6)
    out = []
    for line in head[:stop]:
        # "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI ..." when the two header columns share a text line
        text = _MOTTO_START.split(line.text)[0].strip().strip("-_=. ")
        if not text or _MOTTO.search(text) or not text.isupper() or parse_date(text):
            continue
        out.append(text)
    return out[:4]


def _issuer(lines: list[str]) -> str:
    """'ỦY BAN NHÂN DÂN' + 'TỈNH LÀO CAI' → 'Ủy ban nhân dân tỉnh Lào Cai';
    'HỘI LIÊN HIỆP PHỤ NỮ VIỆT NAM' + 'ĐOÀN CHỦ TỊCH' → the organ of the body ('Đoàn Chủ tịch ...')."""
    if not lines:
        return ""
    if len(lines) == 1:
        return _org(lines[0])
    first, second = lines[0], lines[1]
    locality = _LOCALITY.match(clean(second))
    if locality:
        kind, name = locality.group(0), clean(second)[locality.end():]
        return f"{_org(first)} {kind.lower()} {_title_case(name)}"
    upper, lower = organisation(first), organisation(second)
    if lower is not None and lower.kind == "body":  # two bodies stacked: a joint document
        return f"{_org(first)}; {lower.name}"
    # An organ of the body above it; a national organisation's header means its central level.
    central = upper.central_form if upper is not None else ""
    return f"{_org(second)} {central or _org(first)}"


def _title_case(name: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in clean(name).split())


def _find_doc_type(head: list[Line], after: int | None) -> int | None:
    for i in range((after or -1) + 1, len(head)):
        if fold(head[i].text) in _DOC_TYPE_BY_FOLD and head[i].text.isupper():
            return i
    return None


def _title(head: list[Line], type_at: int) -> str:
    """The lines under the document type up to the first body line ("Căn cứ ...", a heading).

    The first title line may itself start like a body line ("Thực hiện bình đẳng giới ...").
    """
    parts: list[str] = []
    for line in head[type_at + 1: type_at + 9]:
        text = line.text.strip()
        if re.fullmatch(r"[-_=.*\s]+", text):
            continue  # the rule drawn under the title
        if parts and (_BODY_START.match(text) or text.startswith(("-", "*")) or _names_issuer(text)):
            break  # a Quyết định names its issuing authority ("ỦY BAN NHÂN DÂN TỈNH ...") before "Căn cứ"
        if not parts and text.lower().startswith("căn cứ"):
            break
        parts.append(text)
    return join_lines(parts)


def _names_issuer(text: str) -> bool:
    key = fold(text)
    return any(key.startswith(name) for name in organisation_keys() if " " in name)


def _fallback_from_caption(doc: Document) -> None:
    """Number and date from an appendix caption when the header block lacks them."""
    for line in doc.lines:
        m = _CAPTION_REF.search(line.text)
        if not m:
            continue
        found = []
        log.debug("header incomplete: caption on page %s: %r", line.page, line.text)
        if not doc.meta.doc_number:
            doc.meta.doc_number, doc.meta.number_source = canonical_symbol(m.group("num")), "caption"
            found.append("number")
        if not doc.meta.issue_date:
            doc.meta.issue_date = parse_date("ngày " + m.group("date"))
            doc.meta.date_source = "caption" if doc.meta.issue_date else ""
            found.append("date")
        if not doc.meta.doc_type:
            doc.meta.doc_type = _DOC_TYPE_BY_FOLD[fold(m.group("type"))]
        doc.warn(
            Stage.META, WarningKind.HEADER_FALLBACK,
            f"header block lacks the {' and '.join(found)}; taken from the caption '{line.text}'", line.page,
        )
        return
    if not any(w.kind in (WarningKind.NUMBER_BLANK, WarningKind.DATE_INCOMPLETE) for w in doc.warnings):
        lacking = [name for name, value in (("'Số:' number", doc.meta.doc_number),
                                            ("place-and-date line", doc.meta.issue_date)) if not value]
        doc.warn(Stage.META, WarningKind.HEADER_MISSING,
                 f"no {' or '.join(lacking)} found in the header block, nor in an appendix caption")


def _province(issuer_lines: list[str], place: str, title: str) -> str:
    """The issuing province, from the issuer's locality line, else the place line, else the title."""
    for line in issuer_lines:
        if re.match(r"^(tỉnh|thành phố)\b", line, re.IGNORECASE):
            found = resolve_province(line)
            if found.resolved:
                return found.name
    if issuer_lines and not any(fold(x).startswith(("uy ban nhan dan", "hoi dong nhan dan")) for x in issuer_lines):
        return ""  # a central body or mass organisation: no province
    for text in (place, title):
        if text:
            found = resolve_province(text)
            if found.resolved:
                return found.name
    return ""


def _period(title: str, lines: list[Line], issue_date: str) -> tuple[int | None, int | None]:
    """Years the plan covers: the title's phase or year (parse_period), else the body's
    'Thời gian thực hiện: từ ... đến ...', else the issue year."""
    found = parse_period(title)
    if found:
        return found
    for line in lines:
        m = _BODY_PERIOD.search(line.text)
        if m:
            found = parse_period(line.text[m.end():])
            if found:
                return found
    if issue_date:
        return int(issue_date[:4]), int(issue_date[:4])
    return None, None
