"""Hard-wrapped portal text back into sentences, before any stage reads a line.

Legal portals often wrap the text at a fixed width and put each piece in its own <p>, <div> or after a
double <br>: "Căn cứ Quyết định số" | "1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng". Each piece would be a
paragraph of its own, a reference would not parse, and the next piece would end the preamble.

A line B continues the line A before it when A has no closing punctuation and B does not open a paragraph
(a list or heading marker, "Căn cứ", "Điều 2"), is not in capitals where A is not (or the reverse), and either
- B starts in lower case, with a digit or with a symbol, or A ends on a word no sentence ends on ("của",
  "số", "ngày"), or
- the page is hard-wrapped and A was full: B's first word would not have fitted on A (`_width` estimates
  the wrap width from the lines themselves). A heading or a header line is short, so it never reads as full;
  a title in capitals wrapped over several lines is joined by this rule.
Lines of a page that is not wrapped keep their breaks unless B starts like a continuation.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Line

_CLOSED = re.compile(r"[.;:!?…][)\"”’»]*$")
_PARAGRAPH_START = re.compile(
    r"^(?:[-+•*–]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|[a-zđ][.)]\s|[IVXLC]{1,6}[.)]\s"
    r"|(?:Căn cứ|CĂN CỨ|Xét|XÉT|Theo|Thực hiện|Điều \d|Nơi nhận|Phụ lục|Kèm theo|Số\s*[:.])(?:\b|\s|$))"
)
# Words a sentence never ends on: the line was cut after them ("... ngày 14/10/2021 của" | "Thủ tướng ...").
_OPEN_ENDING = re.compile(r"\s(?:của|và|số|ngày|tại|về|do|theo|cho|với|trong|các|những|thuộc|tỉnh|huyện|xã)$")
_SYMBOL_PIECE = re.compile(r"\d\s*/|/\s*[A-ZĐ]|[A-ZĐ]-\s|\s-[A-ZĐ]")
_CONTINUES = re.compile(r"^(?:[a-zà-ỹđ]|\d|[,;.)/&%])")
_HEADER_LABEL = re.compile(r"^\s*(?:Số|SỐ)\s*[:.]")  # "Số: 71/KH-UBND" ends a header line
# A range or a symbol cut at a space: "2021" | "- 2025", "01" | "- QĐ/TU", "01/QĐ" | "- UBND" (a bullet
# "- 423 tổ ..." under a heading ending in a number is not one).
_YEAR_OPEN = re.compile(r"(?:19|20)\d\d$")
_YEAR_GOES_ON = re.compile(r"^[-–]\s*(?:19|20)\d\d\b")
_SYMBOL_OPEN = re.compile(r"\d(?:\s*[/\-–]\s*(?:[A-ZĐÐ\d]\w*\s*[/\-–]\s*)*[A-ZĐÐ]\w*)?$")
_SYMBOL_GOES_ON = re.compile(r"^[-–]\s*[A-ZĐÐ][A-ZĐÐ0-9]{0,11}[a-z]?(?=$|[\s/\-;,.])")
_NAME_GOES_ON = re.compile(r"^[-–]\s*[A-ZĐÀ-Ỹ]")  # "Sở Lao động" | "- Thương binh và Xã hội" (a full line)
_GLUED_HYPHEN = re.compile(r"\S[-/]$")  # "1719/QĐ-" + "TTg", "1719/" + "QĐ-TTg": the symbol goes on
_TAIL = 120  # characters at a line's end that can hold a symbol or year cut by the wrap
_MIN_LINE = 20  # shorter lines (headers, headings, page furniture) say nothing about the wrap width
_FULL_SHARE = 0.5  # share of the longer lines that must be near the wrap width for a page to be hard-wrapped
_NEAR = 0.75  # "near the wrap width": at least this share of it


def _in_capitals(text: str) -> bool:
    """A line in capitals (a header line, a heading, a title): words, not a symbol's pieces ("1/NQ- UBND- DTTG")."""
    if _SYMBOL_PIECE.search(text):
        return False
    letters = [ch for ch in text if ch.isalpha()]
    words = [w.strip(",.:;“”\"()") for w in text.split()]
    has_word = any(len(w) >= 2 and w.isalpha() for w in words)
    return has_word and all(ch.isupper() for ch in letters)


def _width(lines: list[Line]) -> int:
    """The wrap width of a hard-wrapped page (80th percentile of the longer lines' lengths), else 0.

    A page is hard-wrapped when at least half of its longer lines are near that width; on a page that is
    not, paragraph lengths spread far below their 80th percentile."""
    lengths = sorted(len(ln.text) for ln in lines if len(ln.text) >= _MIN_LINE)
    if len(lengths) < 2:
        return lengths[0] if lengths else 0  # one sentence cut in two: its first line is the width
    width = lengths[min(len(lengths) - 1, int(len(lengths) * 0.8))]
    near = sum(1 for n in lengths if n >= _NEAR * width)
    return width if near >= _FULL_SHARE * len(lengths) else 0


def _continues(a: str, b: str, width: int) -> bool:
    """Whether line `b` goes on with the sentence line `a` leaves open."""
    a, b = a.strip(), b.strip()
    if not a or not b or _HEADER_LABEL.match(a):
        return False
    if _CLOSED.search(a):  # after ":" a lower-case word or a number goes on ("giai đoạn I:" | "từ năm 2021")
        return a.endswith(":") and (b[0].islower() or b[0].isdigit()) and not _PARAGRAPH_START.match(b)
    if a[-1] in "/-–":
        return True  # a symbol or a name cut after its separator ("1719/" | "QĐ-TTg", "100 / 1990 /" | "TT-BTC")
    full = bool(width) and len(a) >= _NEAR * width and len(a) + 1 + len(b.split()[0]) > width
    tail = a[-_TAIL:]  # the ends of `a` the patterns look at; searched whole, a long line costs its square
    if ((_YEAR_GOES_ON.match(b) and _YEAR_OPEN.search(tail)) or (_SYMBOL_GOES_ON.match(b) and _SYMBOL_OPEN.search(tail))
            or (_NAME_GOES_ON.match(b) and full)):
        return True  # a range, a symbol or a name going on ("Sở Lao động" | "- Thương binh"), not a list item
    if _PARAGRAPH_START.match(b):
        return False
    if _GLUED_HYPHEN.search(a):
        return True
    if _in_capitals(a):
        return full and _in_capitals(b)  # a title in capitals wrapped over lines; a header line is short
    if _OPEN_ENDING.search(a):
        return True
    if _in_capitals(b):
        return False  # running text, then a line in capitals (a heading, the signature block)
    return bool(_CONTINUES.match(b)) or full


def join_wrapped_lines(lines: list[Line]) -> list[Line]:
    """The lines with every wrapped sentence joined into one Line (the first piece's block and page)."""
    width = _width(lines)
    joined: list[tuple[Line, list[str]]] = []  # (first line, pieces): joined once, so linear in the text
    last_piece = ""  # the last original line joined into joined[-1]: the one that was full or not
    for line in lines:
        if joined and _continues(last_piece, line.text, width):
            pieces = joined[-1][1]
            sep = "" if _GLUED_HYPHEN.search("".join(pieces[-2:])[-2:]) else " "
            pieces.append(f"{sep}{line.text.strip()}")
        else:
            joined.append((line, [line.text]))
        last_piece = line.text
    return [first if len(pieces) == 1 else replace(first, text="".join(pieces)) for first, pieces in joined]
