"""The header fields checked against their own shape, after the meta stage filled them.

A number that is not "digits/LETTERS-LETTERS", a date outside the years a document can bear, a
period that cannot be the plan's, or a title (or, from OCR, an issuer) that is mostly noise is left
empty with a `header_implausible` warning that quotes what was read, and the document is partial:
an empty field is a gap a person can fill, a garbled one is a wrong value nobody notices.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from normalize.issuers import organisation_keys
from normalize.plausible import noise_share, symbol_shape_ok
from normalize.text import fold

from ..kinds import Stage, WarningKind
from ..model import Document
from .status import mark_unread

log = logging.getLogger(__name__)

FIRST_YEAR = 1945  # the first documents of the Democratic Republic of Vietnam
MAX_TITLE_NOISE = 0.25  # share of tokens that cannot be words; a real title has almost none
MAX_NOISY_TOKENS = 3  # a long title with a smudged run in it ("ĐẾN .„TÍú 120 2€ ề ằ Ngày... Về việc ...")
# "đến năm 2045", "tầm nhìn 2045": the year a plan looks ahead to, not a year it covers alone.
_HORIZON = re.compile(r"\b(?:đến|tới|tầm nhìn)(?:\s+đến)?\s+(?:năm\s+)?(\d{4})\b", re.IGNORECASE)


def check_header(doc: Document) -> Document:
    meta = doc.meta
    if meta.doc_number and not symbol_shape_ok(meta.doc_number):
        _reject(doc, "doc_number", "is not a number and symbol such as 123/KH-UBND")
    if meta.issue_date and not _date_in_range(meta.issue_date):
        _reject(doc, "issue_date", f"is not a date between {FIRST_YEAR} and next year")
    if meta.title and _noisy(meta.title):
        _reject(doc, "title", "is mostly characters that are not Vietnamese words (a smudged or stamped scan?)")
    ocr_header = doc.header_page is not None and doc.header_page.ocr
    if ocr_header and meta.issuer and not fold(meta.issuer).startswith(organisation_keys()):
        _reject(doc, "issuer", "read by OCR does not start with a known organisation (lines out of order?)")
    _check_period(doc)
    return doc


def _noisy(text: str) -> bool:
    tokens = len(text.split())
    share = noise_share(text)
    return share > MAX_TITLE_NOISE or round(share * tokens) >= MAX_NOISY_TOKENS


def _reject(doc: Document, field_name: str, why: str) -> None:
    value = getattr(doc.meta, field_name)
    setattr(doc.meta, field_name, "")
    page = doc.header_page.number if doc.header_page is not None else None
    log.debug("%s %r rejected: %s", field_name, value, why)
    mark_unread(doc, Stage.META, WarningKind.HEADER_IMPLAUSIBLE,
                f"{field_name} {value!r} {why}; left empty", page)


def _date_in_range(iso: str) -> bool:
    try:
        date = dt.date.fromisoformat(iso)
    except ValueError:
        return False
    return FIRST_YEAR <= date.year <= dt.date.today().year + 1


def _check_period(doc: Document) -> None:
    """A period must run forwards; a single year well after the issue year is a horizon ("đến năm
    2045"), which says when the plan ends, not when it starts."""
    meta = doc.meta
    start, end = meta.period_start, meta.period_end
    if start is None or end is None:
        return
    issued = int(meta.issue_date[:4]) if meta.issue_date else None
    if start > end:
        meta.period_start = meta.period_end = None
        mark_unread(doc, Stage.META, WarningKind.HEADER_IMPLAUSIBLE,
                    f"period {start}-{end} runs backwards; left empty")
    elif start == end and (issued is not None and start > issued + 1 or _horizon_year(meta.title) == end):
        meta.period_start = None
        mark_unread(doc, Stage.META, WarningKind.HEADER_IMPLAUSIBLE,
                    f"the only year given for the period, {end}, is the year the plan looks ahead to (title "
                    f"'... đến năm {end}', or years after the issue year): kept as period_end, period_start left "
                    f"empty")


def _horizon_year(title: str) -> int | None:
    found = _HORIZON.findall(title)
    return int(found[-1]) if found else None
