"""Communes, wards and special zones after the 1 July 2025 reform, from vietnamadminunits' 2025 table.

Since 1 July 2025 Vietnam has 34 provinces and no districts: phase II plans (2026-2030) allocate to the
xã, phường and đặc khu of the new province, with the 2025 official codes. The package's `admin_units`
table holds exactly those units (read offline, like the pre-2025 table in places.py); nothing here is
typed by hand.

A name resolves only inside the plan's province. The printed spelling decides first (diacritics and
all: 'Đông Tiến' and 'Đồng Tiến' are two units); a name that folds to several units ('My Tho' for
'Phường Mỹ Tho' and 'Xã Mỹ Thọ') stays unresolved and the candidates are named, never guessed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from normalize.text import clean

REFORM_DATE = "2025-07-01"  # provinces merged, districts abolished (Resolution 202/2025/QH15)
FIRST_PHASE_II_YEAR = 2026


@dataclass(frozen=True)
class Commune:
    name: str  # "Phường Yên Bái"
    short: str  # "Yên Bái"
    kind: str  # Xã / Phường / Đặc khu, as the package spells it
    code: str  # 2025 official code

    def label(self) -> str:
        return f"{self.name} ({self.code})"


def issued_after_reform(issue_date: str, period_start: int | None) -> bool:
    """True for a plan of the 34-province era: issued on or after 1 July 2025, or, with no date read,
    covering a period from 2026 on (phase II)."""
    if issue_date:
        return issue_date >= REFORM_DATE
    return period_start is not None and period_start >= FIRST_PHASE_II_YEAR


def _key(text: str) -> str:
    """Letters and digits only, marks removed, lower case ('Đông Tiến' -> 'dongtien')."""
    text = unicodedata.normalize("NFD", clean(text).lower().replace("đ", "d"))
    return re.sub(r"[^a-z0-9]", "", "".join(ch for ch in text if unicodedata.category(ch) != "Mn"))


def _exact(text: str) -> str:
    """Spelling as printed, marks kept: case and spacing aside."""
    return re.sub(r"\W", "", clean(text).lower())


def same_spelling(printed: str, *names: str) -> bool:
    """True when the printed name is one of `names` with its marks ('Nậm Chảy' is not 'Nậm Chày')."""
    return _exact(printed) in {_exact(n) for n in names}


def _db(sql: str, province_code: str) -> list[dict[str, str]]:
    """Rows of the package's 2025 table. Its query() takes no parameters: the one value put into the SQL,
    a province code, must be digits."""
    from vietnamadminunits.database import query  # start-up: imported lazily, loading it parses its JSON data

    return query(sql) if province_code.isdigit() else []


@lru_cache(maxsize=64)
def _index(province_code_2025: str) -> dict[str, list[Commune]]:
    """Folded key -> the 2025 units of one province that answer to it (short name, full name, keywords)."""
    rows = _db(
        "SELECT ward, wardShort, wardType, wardCode, wardKeywords FROM admin_units "
        f"WHERE provinceCode = '{province_code_2025}'", province_code_2025,
    )
    out: dict[str, list[Commune]] = {}
    for r in rows:
        unit = Commune(r["ward"], r["wardShort"], r["wardType"], r["wardCode"])
        for k in {_key(unit.short), _key(unit.name), *json.loads(r["wardKeywords"] or "[]")}:
            out.setdefault(k, []).append(unit)
    return out


def find_commune(name: str, kind: str, province_code_2025: str) -> tuple[Commune | None, list[Commune]]:
    """(the unit, []) when `name` (type prefix already removed; `kind` the printed type or '') is one unit
    of the province, else (None, candidates) — empty when nothing answers to the name. A printed type
    that no unit of that name has ('Xã X' where only 'Phường X' exists) is not corrected: unresolved."""
    found = sorted({u.code: u for u in _index(province_code_2025).get(_key(name), [])}.values(),
                   key=lambda u: u.code)
    typed = [u for u in found if not kind or u.kind == kind]
    spelled = [u for u in typed if same_spelling(name, u.short, u.name)]
    for pool in (typed, spelled):
        if len(pool) == 1:
            return pool[0], []
    return None, found
