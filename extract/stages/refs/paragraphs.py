"""Visual lines → paragraphs: what the reference stage parses as one sentence.

A PDF line is a visual line. A paragraph ends at ".", ";" or ":" before a capital, at a new PyMuPDF
block that opens like a paragraph, and always before a line starting "Căn cứ" / "Xét"; a line ending
in a hyphen glued to a word ("04/HD-" + "ĐCT") goes on without a space. When a file gives every line
its own block the blocks are ignored. Page numbers and numbers stamped into blanks at a page's top or
bottom are dropped. HTML/DOCX lines are paragraphs already and are not joined.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections import defaultdict
from dataclasses import dataclass

from ...model import Line
from .keys import WS, key, norm

log = logging.getLogger(__name__)


@dataclass
class Para:
    """One paragraph: the text as printed, its key, and where each joined line starts (for pages)."""

    raw: str
    key: str
    offsets: list[int]  # where each joined line starts in raw
    pages: list[int | None]

    def page_at(self, pos: int) -> int | None:
        return self.pages[max(0, bisect.bisect_right(self.offsets, pos) - 1)] if self.pages else None


def para(text: str, page: int | None) -> Para:
    """A paragraph of one piece of text on one page."""
    raw = norm(text)
    return Para(raw, key(raw), [0], [page])


# At a page's top or bottom: a page number ("2", "- 2 -", "Trang 2") or numbers stamped into blanks
# ("807", "04   11").
_PAGE_NUMBER = re.compile(r"(?:Trang[ ])?[-–— ]*\d{1,4}\.?[-–— ]*|\d{1,4}(?:[ ]+\d{1,4}){1,2}")
_STRONG_START = re.compile(
    r"(?:Can cu|CAN CU|Xet|QUYET DINH|QUYET NGHI|Dieu[ ]\d|[IVXLC]{1,6}[ ]?[.)][ ]+\S)"
)
_ALWAYS_START = re.compile(r"(?-i:Can cu|CAN CU|Xet|XET)\b")  # capitalised, these never continue a sentence
_MEDIUM_START = re.compile(r"(?:Thuc hien|THUC HIEN|Theo|THEO|Tren co so)\b")
WEAK_START = re.compile(r"(?:[-+•*][ ]|\d{1,2}(?:\.\d{1,2})*[.)][ ]|[a-zđ]\)[ ])")
_TERMINAL = ".;:!?…"


def _drop_page_numbers(lines: list[Line]) -> list[Line]:
    """Lines that are only a page number (or a stamped number) at the top or bottom of a page go."""
    by_page: dict[int, list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        by_page[line.page].append(i)
    drop: set[int] = set()
    for page, idx in by_page.items():
        if not page:
            continue
        edge = idx[:2] + idx[-3:]
        drop.update(i for i in edge if _PAGE_NUMBER.fullmatch(WS.sub(" ", lines[i].text.strip())))
    for i in sorted(drop):
        log.debug("page %s: dropped %r as a page number", lines[i].page, lines[i].text)
    return [line for i, line in enumerate(lines) if i not in drop]


def _joined(pieces: list[tuple[str, int | None]]) -> Para:
    """Pieces of one paragraph joined: with a space, or without one after a hyphen glued to a word."""
    parts: list[str] = []
    offsets, pages = [], []
    length = 0
    for text, page in pieces:
        if parts:
            last = parts[-1]
            sep = "" if last.endswith("-") and len(last) > 1 and last[-2] != " " else " "
            parts.append(sep)
            length += len(sep)
        offsets.append(length)
        pages.append(page)
        parts.append(text)
        length += len(text)
    raw = "".join(parts)
    return Para(raw, key(raw), offsets, pages)


def _starts_paragraph(text: str, ptext: str, new_block: bool, blocks_reliable: bool) -> bool:
    """Whether the visual line `text` opens a new paragraph after the one ending in `ptext`."""
    terminal = ptext.endswith(tuple(_TERMINAL)) or ptext.endswith((".)", ";)", ":)"))
    k = key(text[:24])
    # Without reliable blocks (one block per line) only punctuation and openers tell paragraphs apart.
    unreliable = not blocks_reliable
    boundary = new_block or unreliable
    return bool(
        (terminal and boundary and not text[0].islower())
        or _ALWAYS_START.match(k)
        or (_STRONG_START.match(k) and (terminal or new_block or (unreliable and ptext.isupper())))
        or (_MEDIUM_START.match(k) and (terminal or new_block))
        or (new_block and WEAK_START.match(k))
    )


def lines_to_paragraphs(lines: list[Line], join: bool = True) -> list[Para]:
    """Visual lines → paragraphs (a sentence continues on the next Line); join=False keeps one line each."""
    lines = [line for line in _drop_page_numbers(list(lines)) if line.text and line.text.strip()]
    blocks = {(line.page, line.block) for line in lines}
    blocks_reliable = len(blocks) < 0.8 * len(lines) if lines else False
    paras: list[Para] = []
    cur: list[tuple[str, int | None]] = []
    prev: Line | None = None
    for line in lines:
        text = norm(line.text)
        if not text:
            continue
        if line.text.rstrip().endswith("\u00ad"):
            text += "-"  # soft hyphen at the end: the word goes on without a space
        if prev is not None and cur:
            new_block = blocks_reliable and (line.page, line.block) != (prev.page, prev.block)
            if not join or _starts_paragraph(text, cur[-1][0], new_block, blocks_reliable):
                paras.append(_joined(cur))
                cur = []
        cur.append((text, line.page or None))
        prev = line
    if cur:
        paras.append(_joined(cur))
    return paras
