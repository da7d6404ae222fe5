"""One paragraph → its references, in named steps.

1. find the citations (fields.find_candidates);
2. place each one: a reference of its own (its paragraph's section) or one named inside the title of
   the reference before it ("... sửa đổi một số điều của Thông tư số 85/2019/TT-BTC": body);
3. read the date and the issuer right after the symbol ("ngày 14/10/2021 của Thủ tướng Chính phủ";
   in a proposal also "đề nghị của X tại Tờ trình số ...");
4. read the title (trích yếu) up to the next sibling reference or the end of the clause; in the body
   only when it starts like one ("về ...", "phê duyệt ...");
5. share issuers between neighbours (issuers.inherit_issuers) and build the Reference rows.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, field

from normalize.dates import PLAUSIBLE_YEARS, iso_date
from normalize.issuers import canonical_issuer
from normalize.text import clean

from ...model import Reference
from .fields import Cand, find_candidates
from .grammar import (
    BAN_HANH_AT,
    CONNECTOR_ONLY,
    CUA_AT,
    DATE_AT,
    DO_AT,
    DO_END,
    NOT_A_TITLE,
    PROPOSAL_OPENER,
    SPACES_AT,
    TAI_BEFORE,
    TITLE_KEYS,
    TOP_BEFORE,
    YEAR_AT,
    clauses,
    strip_title_trail,
    title_then_join,
)
from .issuers import inherit_issuers, scan_issuer
from .paragraphs import Para, para

log = logging.getLogger(__name__)

SECTIONS = ("can_cu", "proposal", "body", "portal")
BASIS_SECTIONS = ("can_cu", "proposal")


@dataclass
class _Paragraph:
    """What the steps share: the paragraph, its section, its clauses and its candidates."""

    para: Para
    section: str
    cands: list[Cand]
    clause_starts: list[int] = field(default_factory=list)
    proposal_from: int = 0  # index of the first clause that is a proposal
    ref_starts: set[int] = field(default_factory=set)

    @property
    def basis(self) -> bool:
        return self.section in BASIS_SECTIONS

    def clause_of(self, pos: int) -> int:
        return bisect.bisect_right(self.clause_starts, pos) - 1

    def clause_end(self, ci: int) -> int:
        return self.clause_starts[ci + 1] if ci + 1 < len(self.clause_starts) else len(self.para.raw)


def _proposal_from(p: _Paragraph) -> int:
    """Which clauses are a proposal ("Theo đề nghị ...", "Xét Tờ trình ..." and everything after it)."""
    if not p.basis:
        return len(p.clause_starts) + 1
    if p.section == "proposal":
        return 0
    key = p.para.key
    for ci, cs in enumerate(p.clause_starts):
        if PROPOSAL_OPENER.match(key, SPACES_AT.match(key, cs).end()):
            return ci
    return len(p.clause_starts) + 1


def _place(p: _Paragraph, cand: Cand, prev: Cand | None) -> None:
    """Set cand.top and cand.section: cited itself, or named inside the title of the reference before it."""
    if not p.basis:
        cand.section = p.section
        return
    raw, key = p.para.raw, p.para.key
    ci = p.clause_of(cand.start)
    in_proposal = ci >= p.proposal_from
    before_from = prev.tail_end if prev is not None and p.clause_of(prev.start) == ci else p.clause_starts[ci]
    before = key[before_from:cand.start]
    after_nested = prev is not None and not prev.top and before_from == prev.tail_end
    if after_nested and CONNECTOR_ONLY.fullmatch(before):
        cand.top = False  # "... của Nghị định số 1 và Nghị định số 2": both inside the title
    else:
        tai = in_proposal and TAI_BEFORE.search(raw, before_from, cand.start) is not None
        cand.top = bool(TOP_BEFORE.search(before)) or tai
        if cand.top and not tai and prev is not None and prev.top and _named_in_title(p, cand, before):
            cand.top = False
    cand.section = ("proposal" if in_proposal else "can_cu") if cand.top else "body"
    if not cand.top and prev is not None:
        cand.within = prev.within or prev.symbol  # the reference whose title names it
    if not cand.top:
        log.debug("page %s: %s is named inside another reference's title: body", p.para.page_at(cand.start),
                  cand.symbol)


def _named_in_title(p: _Paragraph, cand: Cand, before: str) -> bool:
    """"... phê duyệt Chương trình, Nghị định số 27/2022/NĐ-CP": after the previous reference's title has begun,
    a reference joined only by "," or "và" and citing no date or issuer of its own is named in that title."""
    if not title_then_join(before):
        return False
    own = DATE_AT.match(p.para.key, cand.core_end) or CUA_AT.match(p.para.raw, cand.core_end)
    return own is None


def _date_at(key: str, pos: int) -> tuple[str, int] | None:
    dm = DATE_AT.match(key, pos)
    return (iso_date(*dm.groups(), years=PLAUSIBLE_YEARS), dm.end()) if dm else None


def _issuer_after(p: _Paragraph, cand: Cand, pos: int, limit: int) -> int:
    """"... của <issuer>" or "... do <issuer> ban hành" right after the symbol/date; returns the new end."""
    raw, key = p.para.raw, p.para.key
    cm = CUA_AT.match(raw, pos) or (DO_AT.match(raw, pos) if not cand.is_law else None)
    if not cm:
        return pos
    end = scan_issuer(raw, cm.end(), p.ref_starts, limit)
    is_do = raw[cm.start():cm.end()].strip(" ,").lower() == "do"
    if end <= cm.end() or (is_do and not BAN_HANH_AT.match(key, end)):
        return pos
    cand.issuer_raw = raw[cm.end():end]
    cand.own_issuer = True
    pos = BAN_HANH_AT.match(key, end).end() if is_do else end
    if not cand.issue_date:
        found = _date_at(key, pos)
        if found:
            cand.issue_date, pos = found
    return pos


def _proposal_issuer(p: _Paragraph, cand: Cand) -> None:
    """"đề nghị của <issuer> tại Tờ trình số ...": the issuer stands before the reference."""
    raw = p.para.raw
    lo = max(p.clause_starts[p.clause_of(cand.start)], cand.start - 170)
    tai = TAI_BEFORE.search(raw, lo, cand.start)
    cua = raw[lo:tai.start()].lower().rfind("của ") if tai else -1
    if cua < 0:
        return
    cua += lo
    end = scan_issuer(raw, cua + 4, p.ref_starts, tai.start())
    if end > cua + 4 and not raw[end:tai.start()].strip():
        cand.issuer_raw = raw[cua + 4:end]
        cand.own_issuer = True


def _date_and_issuer(p: _Paragraph, index: int, cand: Cand) -> None:
    """The date (or year) and the issuer printed right after the symbol; sets cand.tail_end."""
    key = p.para.key
    pos = cand.core_end
    found = _date_at(key, pos)
    if found:
        cand.issue_date, pos = found
    elif cand.year is None or cand.is_law:
        ym = YEAR_AT.match(key, pos)
        if ym:
            cand.year = cand.year or int(ym.group(1))
            pos = ym.end()
    limit = p.cands[index + 1].start if index + 1 < len(p.cands) else len(p.para.raw)
    pos = _issuer_after(p, cand, pos, limit)
    if not cand.own_issuer and p.basis and p.clause_of(cand.start) >= p.proposal_from:
        _proposal_issuer(p, cand)
    cand.tail_end = pos
    if cand.issue_date and cand.year is None:
        cand.year = int(cand.issue_date[:4])


def _title_end(p: _Paragraph, i: int) -> int:
    """A title runs to the next sibling reference (any reference in the body) or the end of the clause."""
    ci = p.clause_of(p.cands[i].start)
    end = p.clause_starts[ci + 1] - 1 if ci + 1 < len(p.clause_starts) else len(p.para.raw)
    for other in p.cands[i + 1:]:
        if other.start >= end:
            break
        if other.top or not p.basis:
            return other.start
    return end


def _portal_issuer(p: _Paragraph, cand: Cand, start: int, title: str) -> str:
    """A portal item's "... do <issuer> ban hành" at the end of its title: the issuer, cut off the title."""
    raw = p.para.raw
    do = list(DO_END.finditer(raw, start, start + len(title)))
    if not do:
        return title
    dstart = do[-1].end()
    iend = scan_issuer(raw, dstart, p.ref_starts, start + len(title))
    if iend > dstart and BAN_HANH_AT.match(p.para.key, iend):
        cand.issuer_raw = raw[dstart:iend]
        cand.own_issuer = True
        return raw[start:do[-1].start()].strip()
    return title


def _title(p: _Paragraph, i: int) -> None:
    """Set cand.title: the trích yếu after the date/issuer, when there is one."""
    raw, key, cand = p.para.raw, p.para.key, p.cands[i]
    end = _title_end(p, i)
    text_key = key[cand.tail_end:end]
    lead = len(text_key) - len(text_key.lstrip(" ,"))
    start = cand.tail_end + lead
    title_key = key[start:end]
    # After a comma, or anywhere in the body, only what reads like a trích yếu is a title.
    if ("," in text_key[:lead] or p.section == "body") and not TITLE_KEYS.match(title_key):
        return
    if NOT_A_TITLE.match(title_key):  # "... và đề nghị của ...": the sentence goes on
        return
    title = strip_title_trail(raw[start:end].strip())
    while title.endswith(")") and title.count(")") > title.count("("):
        title = strip_title_trail(title[:-1])
    if not cand.own_issuer and p.section == "portal":
        title = _portal_issuer(p, cand, start, title)
    if title and (title[0].isalpha() or title[0] in "“\""):
        cand.title = clean(title[:600])


def _references(p: _Paragraph, province: str) -> list[Reference]:
    """The Reference rows; ref_order holds the position in the paragraph (renumbered by the caller)."""
    raw = p.para.raw
    refs = []
    for cand in p.cands:
        ci = p.clause_of(cand.start)
        ref = Reference(
            doc_type=cand.doc_type, number=cand.number, year=cand.year, symbol=cand.symbol,
            symbol_raw=cand.symbol_raw, issue_date=cand.issue_date,
            issuer=canonical_issuer(cand.issuer_raw, province), issuer_raw=cand.issuer_raw, title=cand.title,
            section=cand.section, page=p.para.page_at(cand.start),
            raw=raw[p.clause_starts[ci]:p.clause_end(ci)].strip(" ;"), ocr_corrected=cand.ocr_corrected,
            within=cand.within,
        )
        ref.ref_order = cand.start
        refs.append(ref)
    return refs


def parse_paragraph(para: Para, province: str, section: str) -> list[Reference]:
    """All references of one paragraph; `section` is the paragraph's (can_cu / proposal / body / portal)."""
    if not para.raw:
        return []
    cands = find_candidates(para.raw, para.key, body=section == "body")
    if not cands:
        return []
    p = _Paragraph(para, section, cands, clauses(para.key), ref_starts={c.start for c in cands})
    p.proposal_from = _proposal_from(p)
    prev: Cand | None = None
    for index, cand in enumerate(cands):
        _place(p, cand, prev)
        _date_and_issuer(p, index, cand)
        prev = cand
    for i, cand in enumerate(cands):
        if not cand.is_law:
            _title(p, i)
    inherit_issuers(cands, para.key)
    return _references(p, province)


def parse_reference_sentence(
    sentence: str, province: str = "", page: int | None = None, section: str = "can_cu"
) -> list[Reference]:
    """Parse one basis sentence/paragraph into its references (pure, never raises).

    Line breaks may be left in: a line ending in a hyphen glued to a word ("04/HD-\\nĐCT") goes on without a
    space. `section` is the paragraph's section; references cited inside another one's title come out as body.
    """
    if not isinstance(sentence, str) or not sentence.strip():
        return []
    text = re.sub(r"(?<=\S-)[ \t]*\r?\n[ \t]*", "", sentence)
    section = section if section in SECTIONS else "can_cu"
    refs = parse_paragraph(para(text, page), province or "", section)
    for i, ref in enumerate(refs, 1):
        ref.ref_order = i
    return refs
