"""Numbers an e-office system stamps over the header's blanks after signing.

Provinces print "Số:      /KH-UBND" and "Ninh Bình, ngày      tháng 11 năm 2024" with blanks and, once the
plan is signed, the system draws the number and the day (and month) as separate text objects over those
blanks, often in another font or colour. The text layer then has the blank line and, elsewhere in the
page's reading order, lines such as "193", "01" or "04   11". What ties them to the blanks is only where
they stand: a stamp line lies inside the blank line's box. So this module works on positions (Line.bbox),
never on reading order, and fills a blank only when the count of stamped numbers equals the count of
blanks: a guess is worse than the number_blank / date_incomplete warning the meta stage raises instead.
"""

from __future__ import annotations

import re

from ..model import BBox, Line

_STAMP = re.compile(r"\d{1,6}\.?(?:\s+\d{1,6}\.?){0,2}")  # "193", "3070.", "04   11"
_BLANK_NUMBER = re.compile(r"^(?P<lead>\s*S[ốô]\s*[:.]?)\s*(?P<rest>/\s*\S.*)$", re.IGNORECASE)
# A blank day: "ngày" straight followed by "tháng"; a blank month: "tháng" straight followed by "năm".
_BLANK_DAY = re.compile(r"(ngày)\s+(?=tháng\b)", re.IGNORECASE)
_BLANK_MONTH = re.compile(r"(tháng)\s+(?=năm\b)", re.IGNORECASE)
_SLACK = 0.6  # share of the blank line's height a stamp's centre may stand above or below it


def _over(stamp: BBox, line: BBox) -> bool:
    """Whether the stamp's centre falls inside the line's box (a little slack up and down)."""
    cx, cy = (stamp[0] + stamp[2]) / 2, (stamp[1] + stamp[3]) / 2
    slack = (line[3] - line[1]) * _SLACK
    return line[0] <= cx <= line[2] and line[1] - slack <= cy <= line[3] + slack


def stamped_numbers(blank: Line, page_lines: list[Line]) -> list[str]:
    """The numbers of the stamp lines drawn over `blank`, left to right ('3070.' → '3070')."""
    if blank.bbox is None:
        return []
    stamps = [ln for ln in page_lines
              if ln is not blank and ln.bbox is not None and ln.page == blank.page
              and _STAMP.fullmatch(ln.text.strip()) and _over(ln.bbox, blank.bbox)]
    stamps.sort(key=lambda ln: ln.bbox[0])  # type: ignore[index]
    return [n.rstrip(".") for ln in stamps for n in ln.text.split()]


def fill_number(blank: Line, page_lines: list[Line]) -> str:
    """'Số: /KH-UBND' with '193' stamped over its blank → 'Số: 193/KH-UBND'; '' when it cannot be filled."""
    m = _BLANK_NUMBER.match(blank.text)
    numbers = stamped_numbers(blank, page_lines)
    if m is None or len(numbers) != 1:
        return ""
    return f"{m.group('lead')} {numbers[0]}{m.group('rest')}"


def fill_date(blank: Line, page_lines: list[Line]) -> str:
    """'Ninh Bình, ngày tháng 11 năm 2024' with '01' stamped over the day → '..., ngày 01 tháng 11 năm 2024';
    '' when the stamps do not match the blanks one for one."""
    text = blank.text
    blanks = [m for pattern in (_BLANK_DAY, _BLANK_MONTH) for m in pattern.finditer(text)]
    numbers = stamped_numbers(blank, page_lines)
    if not blanks or len(numbers) != len(blanks):
        return ""
    blanks.sort(key=lambda m: m.start())
    for m, number in sorted(zip(blanks, numbers, strict=True), key=lambda pair: -pair[0].start()):
        text = f"{text[:m.end(1)]} {number} {text[m.end():]}"
    return text
