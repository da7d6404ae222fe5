"""Province and district names as printed → official names, codes and the 2025 province.

Why vietnamadminunits: it ships the official 63-province list with districts, communes and their GSO
codes as offline data (an SQLite file in the wheel, no network), keeps the pre-2025 units that our
2021-2025 plans name (ParseMode.LEGACY), and maps every old province to its successor after the July
2025 merger (convert_address), so one package covers the names the plans print and the provinces that
exist now. Its keyword lists already fold the spellings the plans use (Đak/Đăk/Đắk Đoa, KBang/Kbang).

What we do not take from it: its address parser. parse_address matches keywords anywhere in the text
and, without a province, infers one from a unique district name: "Tánh Linh Bắc, Bình Thuận" comes back
as Huyện Tánh Linh, and a bare "Bảo Yên" as Lào Cai's district whatever the plan's province. A table row
must resolve exactly or not at all, so districts are looked up here by folded name, only inside the
document's province (the package's own table, read through vietnamadminunits.database.query). A unit
that is not there is unresolved — never a fuzzy hit in another province. The 2025 province comes from
convert_address on the province alone (no commune, so no geocoding).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from normalize.communes import find_commune, same_spelling
from normalize.text import clean, fold
from normalize.vocab import base_letters, read_rows


@dataclass(frozen=True)
class Place:
    """A resolved (or not) administrative unit; codes are the official pre-2025 GSO codes."""

    name: str = ""  # official name: "Huyện Mường Khương"; short name for a province: "Lào Cai"
    level: str = ""  # province / district / commune / ''
    code: str = ""
    province: str = ""  # short name, as the documents' province column: "Bình Thuận"
    province_code: str = ""
    province_2025: str = ""  # the province after the July 2025 merger: Bình Thuận → "Lâm Đồng"
    resolved: bool = False
    province_2025_code: str = ""
    candidates: tuple[str, ...] = ()  # when unresolved because the name fits several units: "Xã X (code)"


@dataclass(frozen=True)
class _Unit:
    name: str
    short: str
    kind: str  # Huyện / Thị xã / Thành phố / Quận / Xã / Phường / Thị trấn (as the package spells it)
    code: str
    district: str = ""  # a commune's district, to tell same-named communes apart in a warning

    def label(self) -> str:
        return f"{self.name}, {self.district} ({self.code})" if self.district else f"{self.name} ({self.code})"


def place_key(text: str) -> str:
    """Folded with every non-letter removed: 'K'Bang' == 'Kbang', 'Đắk Đoa' == 'Đak Đoa', line breaks gone."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def _spaced(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]", " ", fold(text)).split())


def _db(sql: str, province_code: str = "") -> list[dict[str, str]]:
    """Rows of the package's SQLite data. Its query() takes no parameters, so the only value ever put into
    the SQL, a province code, must be digits."""
    from vietnamadminunits.database import query  # start-up: imported lazily, loading it parses its JSON data

    if province_code and not province_code.isdigit():
        return []
    return query(sql)


@dataclass
class _Province:
    code: str
    name: str  # "Tỉnh Lào Cai"
    short: str  # "Lào Cai"
    keys: set[str]


@lru_cache(maxsize=1)
def _provinces() -> dict[str, _Province]:
    rows = _db(
        "SELECT DISTINCT provinceCode, province, provinceShort, provinceKeywords FROM admin_units_legacy"
    )
    out: dict[str, _Province] = {}
    for r in rows:
        keywords = json.loads(r["provinceKeywords"] or "[]")
        keys = {place_key(r["provinceShort"]), place_key(r["province"]), *keywords}
        out[r["provinceCode"]] = _Province(r["provinceCode"], r["province"], r["provinceShort"], keys)
    for r in read_rows("province_aliases.csv"):
        out[r["province_code"]].keys.add(place_key(r["alias"]))
    return out


@lru_cache(maxsize=1)
def _province_by_key() -> dict[str, str]:
    by_key: dict[str, str] = {}
    for p in _provinces().values():
        for k in p.keys:
            if by_key.setdefault(k, p.code) != p.code:
                raise ValueError(f"province key {k!r} claimed by {by_key[k]} and {p.code}")
    return by_key


@lru_cache(maxsize=1)
def _province_pattern() -> re.Pattern[str]:
    """'tỉnh X' / 'thành phố X' / 'TP X' for every province name and alias, on _spaced() text."""
    names = {_spaced(p.short) for p in _provinces().values()}
    names |= {_spaced(r["alias"]) for r in read_rows("province_aliases.csv")}
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?:^| )(?:tinh|thanh pho|tp) ({alternatives})(?= |$)")


@lru_cache(maxsize=128)
def _province_2025(code: str) -> tuple[str, str]:
    from vietnamadminunits import convert_address  # start-up: lazily, the package loads its JSON data

    new = convert_address(_provinces()[code].name)
    return new.short_province or "", new.province_code or ""


def _province_place(code: str) -> Place:
    p = _provinces()[code]
    new_name, new_code = _province_2025(code)
    return Place(p.short, "province", p.code, p.short, p.code, new_name, True, new_code)


_ORG_WORDS = re.compile(
    r"^(?:uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd|tinh uy|hoi lien hiep phu nu|hoi lhpn)\s+|"
    r"^(?:tinh|thanh pho|tp)\s+"
)


@lru_cache(maxsize=4096)
def resolve_province(text: str) -> Place:
    """Province named in an issuer / place line / title ('Ủy ban nhân dân tỉnh Lào Cai', 'TỈNH GIA LAI').

    'tỉnh X' / 'thành phố X' anywhere in the text, else the whole text being a province name once organisation
    words are dropped ('Bình Thuận', 'UBND Gia Lai'). A bare name inside a longer sentence does not count:
    'hòa bình', 'nam định' are also ordinary words. Central bodies resolve to nothing.
    """
    spaced = _spaced(clean(text))
    if not spaced:
        return Place()
    m = _province_pattern().search(spaced)
    if m:
        return _province_place(_province_by_key()[place_key(m.group(1))])
    rest = spaced
    while True:
        stripped = _ORG_WORDS.sub("", rest)
        if stripped == rest:
            break
        rest = stripped
    code = _province_by_key().get(rest.replace(" ", ""))
    return _province_place(code) if code else Place()


@lru_cache(maxsize=128)
def _unit_index(province_code: str, level: str) -> dict[str, list[_Unit]]:
    """Districts (level 'district') or communes ('ward') of one province: key → units. A list, as one
    name can be two units ('Long Mỹ' is both a huyện and a thị xã)."""
    keywords = ", districtKeywords" if level == "district" else ", district"
    rows = _db(
        f"SELECT DISTINCT {level}, {level}Short, {level}Type, {level}Code{keywords} "
        f"FROM admin_units_legacy WHERE provinceCode = '{province_code}'", province_code
    )
    out: dict[str, list[_Unit]] = {}
    for r in rows:
        if not r[level]:
            continue
        # Same-named units carry their type in the short name ("Long Mỹ (Huyện)"): key the bare name too.
        short = re.sub(r"\s*\(.*?\)", "", r[f"{level}Short"])
        unit = _Unit(r[level], short, r[f"{level}Type"], r[f"{level}Code"], r.get("district") or "")
        keys = {place_key(short), place_key(r[level]), *json.loads(r.get("districtKeywords") or "[]")}
        for k in keys:
            out.setdefault(k, []).append(unit)
    return out


# Printed prefixes (on _spaced text) → the package's unit type; abbreviations as plans print them.
_DISTRICT_PREFIX = re.compile(r"^(huyen|thi xa|thanh pho|quan|tp|tx|h|q) ")
_COMMUNE_PREFIX = re.compile(r"^(xa|phuong|thi tran|dac khu|tt|p) ")
_PREFIX_KIND = {
    "huyen": "Huyện", "h": "Huyện", "thi xa": "Thị xã", "tx": "Thị xã", "thanh pho": "Thành phố",
    "tp": "Thành phố", "quan": "Quận", "q": "Quận", "xa": "Xã", "phuong": "Phường", "p": "Phường",
    "thi tran": "Thị trấn", "tt": "Thị trấn", "dac khu": "Đặc khu",
}


@lru_cache(maxsize=1)
def _province_level_keys() -> frozenset[str]:
    return frozenset(place_key(r["label"]) for r in read_rows("province_level_units.csv"))


def _pick(units: list[_Unit], kind: str) -> _Unit | None:
    """The one unit of that name, the printed type deciding between a huyện and a thị xã of the same name."""
    distinct = {u.code: u for u in units}
    if kind:
        typed = [u for u in distinct.values() if u.kind == kind]
        if len(typed) == 1:
            return typed[0]
    return next(iter(distinct.values())) if len(distinct) == 1 else None


def province_at(text: str, reformed: bool) -> Place:
    """The plan's province as it stood when the plan was issued: the pre-2025 province, or for a plan of
    the 34-province era (reformed) the merged province with its 2025 code ('Lào Cai' 15, now including
    the former Yên Bái)."""
    old = resolve_province(text) if text.strip() else Place()
    if not reformed or not old.resolved:
        return old
    new, code = old.province_2025, old.province_2025_code
    return Place(new, "province", code, new, code, new, True, code)


def unresolved_message(name_raw: str, province: str, place: Place) -> str:
    """Why a unit row has no code: not a unit of the province, or a name several of its units answer to."""
    name = clean(name_raw)
    if place.candidates:
        return f"unit {name!r} fits several units of {province!r}: {'; '.join(place.candidates)}; left unresolved"
    return f"unit {name!r} not found in province {province!r}"


_ROW_NUMBER = re.compile(r"^\d+[a-z]?[.)]?\s+")
# Matched on the lower-cased text with its marks: "Xà Phiên" is a name, "Xã Phiên" a type and a name.
_COMMUNE_PREFIX_PRINTED = re.compile(r"^(xã|xa|phường|phuong|thị trấn|thi tran|đặc khu|dac khu|tt|p)(?:\.\s*|\s+)")


def _printed_commune_name(name_raw: str) -> tuple[str, str]:
    """(printed type or '', name with its marks): the row number and a "Xã"/"Phường"/"Đặc khu" prefix cut,
    the name kept as printed, since its marks tell 'Nậm Chảy' from 'Nậm Chày'."""
    text, kind = clean(name_raw), ""
    for pattern in (_ROW_NUMBER, _COMMUNE_PREFIX_PRINTED):
        m = pattern.match(text.lower())
        if m and pattern is _COMMUNE_PREFIX_PRINTED:
            kind = _PREFIX_KIND[base_letters(m.group(1))]
        text = text[m.end():] if m else text
    return kind, text


def _resolve_2025(name_raw: str, prov: Place) -> Place:
    """A row of a plan issued after the reform: a commune, ward or special zone of the merged province."""
    kind, name = _printed_commune_name(name_raw)
    unit, candidates = find_commune(name, kind, prov.code)
    base = (prov.province, prov.province_code, prov.province_2025)
    if unit is None:
        return Place("", "", "", *base, False, prov.code, tuple(u.label() for u in candidates))
    return Place(unit.name, "commune", unit.code, *base, True, prov.code)


@lru_cache(maxsize=16384)
def resolve_unit(name_raw: str, province: str, reformed: bool = False) -> Place:
    """A unit row of an allocation table ('Huyện Mường \\nKhương', 'Đak Đoa', 'Cấp tỉnh') in `province`.

    Exact folded-name lookup among that province's districts (communes when printed with Xã / Phường /
    Thị trấn); the printed type only breaks a tie between same-named units. Not found → resolved False
    with the province filled in, never a unit of another province. With no province (a central plan
    allocating by province) the row itself is tried as a province. A plan issued after the July 2025
    reform (`reformed`) resolves its rows among the merged province's communes with 2025 codes.
    """
    spaced = _spaced(clean(name_raw))
    spaced = re.sub(r"^\d+[a-z]? ", "", spaced)  # a row number glued to the name: "1 Huyện Bắc Hà"
    prov = province_at(province, reformed)
    if not prov.resolved:
        as_province = resolve_province(name_raw)
        return as_province if as_province.resolved else Place()

    def inside(name: str = "", level: str = "", code: str = "", candidates: tuple[str, ...] = ()) -> Place:
        """A place of this province; unresolved when no level is given."""
        return Place(name, level, code, prov.province, prov.province_code, prov.province_2025, bool(level),
                     prov.province_2025_code, candidates)

    if not spaced:
        return inside()
    if place_key(spaced) in _province_level_keys():
        return inside("Cấp tỉnh", "province", prov.code)
    if reformed:
        unit = _resolve_2025(name_raw, prov)
        # "Tỉnh Lào Cai" as a row of the new Lào Cai's own table is the province level (as below); a former
        # province's name ("Yên Bái") is not: it is also a ward's name, and the province it was is gone.
        if not unit.resolved and not unit.candidates and resolve_province(name_raw).province == prov.province:
            return prov
        return unit

    commune = _COMMUNE_PREFIX.match(spaced)
    if commune:
        communes = _unit_index(prov.province_code, "ward")
        found = communes.get(place_key(spaced)) or communes.get(place_key(spaced[commune.end():]), [])
        kind, printed = _printed_commune_name(name_raw)
        unit = _pick(found, kind) or _pick([u for u in found if same_spelling(printed, u.short, u.name)], kind)
        if unit:
            return inside(unit.name, "commune", unit.code)
        return inside(candidates=tuple(u.label() for u in sorted({u.code: u for u in found}.values(),
                                                                   key=lambda u: u.code)))

    prefix = _DISTRICT_PREFIX.match(spaced)
    body = spaced[prefix.end():] if prefix else spaced
    kind = _PREFIX_KIND[prefix.group(1)] if prefix else ""
    districts = _unit_index(prov.province_code, "district")
    unit = _pick(districts.get(place_key(spaced)) or districts.get(place_key(body), []), kind)
    if unit is not None:
        return inside(unit.name, "district", unit.code)
    # "Tỉnh Gia Lai" / "Gia Lai" as a row of Gia Lai's own table is the province level.
    as_province = resolve_province(name_raw)
    if as_province.resolved and as_province.province_code == prov.province_code:
        return as_province
    return inside()
