"""The section state machine: which paragraphs are the preamble ("Căn cứ ...") and where it ends.

    header → preamble → body

A paragraph opening with "Căn cứ" or "Xét" (or, in the preamble, "Thực hiện ..." / "Theo ...") is a
basis paragraph: can_cu, or proposal for "Theo đề nghị ...", "Xét Tờ trình ...". Before the preamble,
"Thực hiện ..." / "Theo ..." counts only when it cites a document and ends like a clause (a title line
starting "Thực hiện ..." is not a basis). The operative part starts at the first paragraph after the
preamble that does not open with a basis word ("Ủy ban nhân dân tỉnh ban hành Kế hoạch ...",
"QUYẾT ĐỊNH:", "I. MỤC ĐÍCH", "Điều 1."), or right after a basis paragraph that ends in ":" and
announces it in words ("... ban hành Kế hoạch ... như sau:"). A basis paragraph ending in ":" without
such words does not end the preamble (in a scan ";" is often read as ":"): the next "Căn cứ" goes on, and a
list of cited documents under it goes on too.
"""

from __future__ import annotations

import logging
import re

from ...model import Document
from .grammar import OPENER, OPERATIVE, PROPOSAL_OPENER, REF_RE
from .paragraphs import WEAK_START, Para, lines_to_paragraphs
from .parse import parse_paragraph

log = logging.getLogger(__name__)

_WORD = re.compile(r"[A-Za-z]{2,}")
_ANNOUNCES_BODY = re.compile(r"nhu sau|ban hanh|xay dung|QUYET|sau day", re.I)


def _is_noise(para: Para) -> bool:
    """Fewer than two words of two letters: a page mark or an OCR speck, not the start of the body."""
    return len(_WORD.findall(para.key)) < 2 and not OPERATIVE.match(para.key)


def _opener(key: str) -> str:
    m = OPENER.match(key)
    return m.group("w").lower() if m else ""


def _continues_list(para: Para, out: list[tuple[Para, str]], list_mode: bool) -> bool:
    """A list item under a basis paragraph ending in ':' or a citation after one ending in ';' / ','."""
    key = para.key
    listed = list_mode and WEAK_START.match(key) and REF_RE.search(key)
    after_list = bool(out) and out[-1][0].raw.endswith((";", ","))
    continued = after_list and REF_RE.match(key, len(key) - len(key.lstrip("-+•* "))) is not None
    return bool(listed or continued)


def _is_basis(para: Para, opener: str, state: str) -> bool:
    """"Căn cứ" / "Xét" always; "Thực hiện" / "Theo" in the preamble, or when it cites like a basis."""
    if opener in ("can cu", "xet") or state == "preamble":
        return True
    refs = parse_paragraph(para, "", "can_cu")
    return any(r.section == "can_cu" for r in refs) and para.raw.endswith(tuple(";.:,"))


def _state_after_basis(para: Para, list_mode: bool) -> tuple[str, bool]:
    """(state, list_mode) after a basis paragraph: one ending in ':' either opens the body or a list."""
    if not para.raw.rstrip().endswith(":"):
        return "preamble", list_mode
    if _ANNOUNCES_BODY.search(para.key):
        log.debug("page %s: preamble ends after a basis paragraph announcing the body: %.80r",
                  para.page_at(0), para.raw)
        return "body", list_mode
    return "preamble", True


def sectioned_paragraphs(doc: Document) -> list[tuple[Para, str]]:
    """The document's paragraphs, each with the section its references belong to."""
    paras = lines_to_paragraphs(doc.lines, join=doc.format not in ("html", "docx"))
    out: list[tuple[Para, str]] = []
    state = "header"  # header → preamble → body
    list_mode = False
    for para in paras:
        opener = _opener(para.key)
        if state == "body" or _is_noise(para):
            out.append((para, "body"))  # a stray number, mark or OCR speck ("/Ã “") never ends the preamble
            continue
        if state == "preamble" and not opener and _continues_list(para, out, list_mode):
            out.append((para, out[-1][1]))  # the basis list goes on ("...; \nLuật sửa đổi ...")
            log.debug("page %s: %s paragraph (the basis list goes on): %.80r", para.page_at(0), out[-1][1], para.raw)
            continue
        if opener and _is_basis(para, opener, state):
            section = "proposal" if PROPOSAL_OPENER.match(para.key) else "can_cu"
            out.append((para, section))
            log.debug("page %s: %s paragraph (opens with %r): %.80r", para.page_at(0), section, opener, para.raw)
            state, list_mode = _state_after_basis(para, list_mode)
            continue
        if opener:
            log.debug("page %s: body paragraph: %r before the preamble cites no basis: %.80r", para.page_at(0),
                      opener, para.raw)
        if state == "preamble" or OPERATIVE.match(para.key):
            why = "no basis word opens" if state == "preamble" else "the operative part starts at"
            log.debug("page %s: preamble ends: %s %.80r", para.page_at(0), why, para.raw)
            state = "body"
        out.append((para, "body"))
    return out


def basis_paragraphs(doc: Document) -> list[tuple[str, str, int | None]]:
    """The preamble as the stage sees it: (paragraph text, can_cu / proposal, page of its start)."""
    return [(p.raw, section, p.page_at(0)) for p, section in sectioned_paragraphs(doc) if section != "body"]
