"""The header block's lines as the meta stage reads them: one field per line.

Legal portals lay the two header columns out in several ways: "Số: 71/KH-UBND" and "Bạc Liêu, ngày ..." on
one line, or "Số:" on a line of its own with the number on the next. This module turns both into the
layout the PDF's text layer gives ("Số: 71/KH-UBND" | "Bạc Liêu, ngày ..."), so the header patterns stay
line-anchored (a "Số ..." or "ngày ..." inside a sentence never reads as a header field). A date wrapped
over two lines is joined before (extract/readers/html_lines.py).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Line

# "Số: 71/KH-UBND Bạc Liêu, ngày ...": the place opens with a capitalised word ("Bạc", "TP.") and has no
# digit, comma, slash or dash; the number may be blank ("Số: /KH-UBND Ninh Bình, ngày tháng ...").
_NUMBER_THEN_PLACE = re.compile(
    r"^(?P<number>\s*S[ốô]\s*[:.]?\s*[\d/].*?)\s+"
    r"(?P<place>(?-i:[A-ZĐÀ-Ỹ][a-zà-ỹđ]|T[PX]\.)[^\d,/\-–]{0,38}?\s*,\s*ngày\b.*)$",
    re.IGNORECASE,
)
_NUMBER_LABEL = re.compile(r"^\s*S[ốô]\s*[:.]?\s*$", re.IGNORECASE)  # "Số:" alone
_SYMBOL_START = re.compile(r"^\s*\d{1,6}\s*[/\-]")


def header_lines(head: list[Line]) -> list[Line]:
    """The header lines with a shared number-and-date line split and a lone "Số:" joined to its number."""
    out: list[Line] = []
    for line in head:
        if out and _NUMBER_LABEL.match(out[-1].text) and _SYMBOL_START.match(line.text):
            out[-1] = replace(out[-1], text=f"{out[-1].text.strip()} {line.text.strip()}")
            continue
        m = _NUMBER_THEN_PLACE.match(line.text)
        if m:
            out.extend([replace(line, text=m.group("number").strip()), replace(line, text=m.group("place"))])
            continue
        out.append(line)
    return out
