"""One parser for the number forms printed in Vietnamese plans (dates: normalize.dates, re-exported here)."""

from __future__ import annotations

import re

from normalize.dates import parse_date as parse_date  # re-exported: the one date parser lives there

_DASHES = {"-", "–", "—", "−", "_", "--"}
_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")  # 1.200 / 12.500.000
_DECIMAL_COMMA = re.compile(r"^\d+,\d+$")  # 2,5
_PLAIN = re.compile(r"^\d+(\.\d+)?$")  # 15 / 01 / 2.5 (dot decimal, rare)


def is_dash(text: str) -> bool:
    """True for the marks that mean 'none' in an allocation table."""
    return text.strip() in _DASHES


def parse_number(text: str) -> float | None:
    """'1.200' -> 1200, '2,5' -> 2.5, '15%' -> 15, '01' -> 1; None for anything that is not a number.

    A dot followed by exactly three digits is a thousands separator (Vietnamese usage); blank and
    dashes are not numbers here (the caller decides what they mean).
    """
    if not text:
        return None
    s = text.strip().replace(" ", "").replace("\u00a0", "")
    if s.endswith("%"):
        s = s[:-1]
    if s.startswith("+"):
        s = s[1:]
    if not s:
        return None
    if _THOUSANDS.match(s):
        return float(s.replace(".", ""))
    if _DECIMAL_COMMA.match(s):
        return float(s.replace(",", "."))
    if _PLAIN.match(s):
        return float(s)
    return None


_YEAR = r"((?:19|20)\d\d)"
_YEAR_RANGE = re.compile(
    rf"(?<![\d/]){_YEAR}\s*(?:-|–|đến|tới)\s*(?:năm\s*)?{_YEAR}(?![\d/])", re.IGNORECASE
)
_SINGLE_YEAR = re.compile(rf"\bnăm\s*{_YEAR}\b", re.IGNORECASE)


def parse_period(text: str) -> tuple[int, int] | None:
    """Years a phrase covers: the last range ('giai đoạn I: 2021 - 2025', 'từ năm 2021 đến năm 2025'),
    else the last 'năm 2024' as a one-year period; None when there is neither."""
    ranges = _YEAR_RANGE.findall(text or "")
    if ranges:
        start, end = ranges[-1]
        return int(start), int(end)
    single = _SINGLE_YEAR.findall(text or "")
    if single:
        return int(single[-1]), int(single[-1])
    return None
