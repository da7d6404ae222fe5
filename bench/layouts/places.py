"""Real unit names for generated plans, from the vietnamadminunits package data (never invented).

2021-2025 plans allocate to the districts of a pre-2025 province; plans after the July 2025 merger
allocate to the communes/wards of a new province.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from vietnamadminunits.database import query


@dataclass(frozen=True)
class Unit:
    short: str  # "Bắc Hà"
    kind: str  # Huyện / Thị xã / Thành phố / Quận / Xã / Phường / Thị trấn


@lru_cache(maxsize=1)
def legacy_provinces() -> dict[str, list[Unit]]:
    """Pre-2025 province short name → its districts (those with a unique short name in the province)."""
    rows = query("SELECT DISTINCT provinceShort, districtShort, districtType FROM admin_units_legacy")
    return _group(rows, "provinceShort", "districtShort", "districtType")


@lru_cache(maxsize=1)
def new_provinces() -> dict[str, list[Unit]]:
    """Post-2025 province short name → its communes and wards."""
    rows = query("SELECT DISTINCT provinceShort, wardShort, wardType FROM admin_units")
    return _group(rows, "provinceShort", "wardShort", "wardType")


def _group(rows: list[dict], prov: str, name: str, kind: str) -> dict[str, list[Unit]]:
    out: dict[str, list[Unit]] = {}
    for r in rows:
        if r[name] and "(" not in r[name] and r[kind] in {"Huyện", "Thị xã", "Thành phố", "Xã", "Phường"}:
            out.setdefault(r[prov], []).append(Unit(r[name], r[kind]))
    for units in out.values():
        units.sort(key=lambda u: (u.short, u.kind))
        names = [u.short for u in units]
        units[:] = [u for u in units if names.count(u.short) == 1]
    return dict(sorted(out.items()))
