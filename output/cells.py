"""Formula-safe CSV text: analysts open these files in Excel, and a cell such as `=HYPERLINK(...)` or
`@SUM(...)` taken from a document's title, a unit name or a file name would run as a formula.

As OWASP recommends, a text cell starting with = + - @ tab or CR gets a leading apostrophe. Text that
is a plain signed number or a lone sign ("-5", "+3", "-", "1.000,5") is left alone: a spreadsheet
reads it as a number or text, never a formula, and the dash cells of allocation tables ("-" meaning
none) keep their printed value_raw. Numbers written from numeric columns are never touched; the
Parquet files keep the raw text. `--csv-raw` (Settings.csv_formula_safe=False) turns this off.
"""

from __future__ import annotations

import re

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?\d*(?:[.,]\d+)*")


def formula_safe(text: str) -> str:
    if text.startswith(_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def unescape(text: str) -> str:
    """`formula_safe` undone: the text as extracted. (Text that itself began with `'` followed by a
    trigger cannot be told apart from an escaped one; extracted text practically never does.)"""
    if text.startswith("'") and formula_safe(text[1:]) == text:
        return text[1:]
    return text
