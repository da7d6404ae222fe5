"""The one date parser: "14/10/2021", "14-10-2021", "ngày 14 tháng 10 năm 2021" → ISO "2021-10-14".

Both the header (meta) and the references (refs) read dates through this module, so a date means the
same thing wherever it is printed. The patterns accept the text as printed and the diacritics-free key
the reference stage matches on ("ngay 14 thang 10 nam 2021"). A date is returned as printed: an
impossible one (31/02) gives ''.
"""

from __future__ import annotations

import re
from datetime import date

# Day, month and year after "ngày": words ("tháng", "năm") or separators ("/", ".", "-"), mixed as printed.
# A regex fragment with three groups, so a caller can embed it in a pattern of its own (refs does).
DAY_MONTH_YEAR = (
    r"(\d{1,2})\s*(?:th[aá]ng\s*|[/.\-]\s*)(\d{1,2})\s*(?:n[aă]m\s*|[/.\-]\s*)(\d{4})(?!\d)"
)
DATE_WORD = r"ng[aà]y"
_DATE_WORDS = re.compile(rf"{DATE_WORD}\s*{DAY_MONTH_YEAR}", re.I)
_DATE_NUMERIC = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
# Years a cited document can carry: outside them a "date" is OCR noise. The header's own date is not
# limited (the caller passes years=None), so a typo there stays visible instead of vanishing.
PLAUSIBLE_YEARS = (1900, 2099)


def iso_date(day: int | str, month: int | str, year: int | str, years: tuple[int, int] | None = None) -> str:
    """The date as printed, ISO; '' when it is impossible (31/02) or outside `years` when given."""
    try:
        y = int(year)
        if years and not years[0] <= y <= years[1]:
            return ""
        return date(y, int(month), int(day)).isoformat()
    except ValueError:
        return ""


def parse_date(text: str, years: tuple[int, int] | None = None) -> str:
    """First date in `text` as ISO 'yyyy-mm-dd' ('ngày 14/10/2021', 'ngày 14 tháng 10 năm 2021'); '' if none.

    A "ngày ..." date wins over a bare numeric one; the first date found decides, so an impossible
    first date gives '' rather than a later, different date.
    """
    if not text:
        return ""
    for pattern in (_DATE_WORDS, _DATE_NUMERIC):
        m = pattern.search(text)
        if m:
            return iso_date(*m.groups(), years=years)
    return ""
