"""A generated plan: what it allocates (gold by construction) and how its table is laid out (features).

Every random choice goes through one `random.Random(seed)`, so a seed always gives the same plan.
Indicator labels are the registry names and aliases of normalize/data (plus the unit in brackets);
`paraphrase=True` also uses abbreviated/paraphrased wordings, which measures the label matcher rather
than the table reader and is therefore off by default.
"""

from __future__ import annotations

import csv
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .places import Unit, legacy_provinces, new_provinces

DATA = Path(__file__).resolve().parents[2] / "normalize" / "data"
# Centrally-run cities are "thành phố", not "tỉnh", and plans of Project 8 are provincial: left out.
_CITIES = {"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"}
TOTAL_KEY = "__total__"

# Each axis: name → choices. Producer-specific axes are forced to their neutral value elsewhere.
AXES: dict[str, tuple[str, ...]] = {
    "producer": ("pdf", "pdf", "pdf", "html", "docx"),
    "rules": ("grid", "horizontal", "vertical", "shaded", "none"),
    "header": ("1", "2", "3"),
    "dvt": ("none", "row", "brackets"),
    "colnum": ("none", "paren", "plain", "letters"),
    "stt": ("none", "arabic", "zero", "roman", "letter"),
    "total": ("top", "bottom", "none"),
    "orientation": ("rows", "rows", "turned"),
    "split": ("none", "none", "repeat", "norepeat"),
    "page": ("portrait", "landscape", "landscape", "rotate90"),
    "sections": ("no", "yes"),
    "note_col": ("no", "yes"),
    "rate": ("no", "yes"),
    "text": ("nfc", "nfc", "nfd"),
    "numbers": ("plain", "thousands", "decimal", "percent_sign"),
    "zeros": ("zero", "dash", "endash", "blank"),
    "unit_names": ("prefixed", "bare", "mixed"),
    "era": ("districts", "districts", "communes"),
}
PDF_ONLY = ("rules", "split", "page")


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str  # as printed in the header, without the unit
    unit: str  # unit of measure as printed in a ĐVT row/column or in brackets
    rate: bool


@dataclass(frozen=True)
class GoldCell:
    unit_key: str  # place key of the unit's short name, or TOTAL_KEY
    indicator_id: str
    value: float
    value_raw: str


@dataclass
class Plan:
    seed: int
    features: dict[str, str]
    province: str
    year: int
    number: int
    units: list[tuple[str, str]]  # (printed name, unit key)
    sections: list[tuple[int, str]]  # (index of the first unit of the section, section label)
    indicators: list[Indicator]
    values: list[list[str]]  # printed value per unit × indicator
    totals: list[str]  # printed total per indicator
    gold: list[GoldCell] = field(default_factory=list)

    @property
    def name(self) -> str:
        ext = {"pdf": "pdf", "html": "html", "docx": "docx"}[self.features["producer"]]
        return f"plan_{self.seed:05d}.{ext}"

    def text(self, s: str) -> str:
        """Text as the producer writes it: NFC, or decomposed (NFD) for the nfd feature."""
        return unicodedata.normalize("NFD" if self.features["text"] == "nfd" else "NFC", s)


def unit_key(name: str) -> str:
    """Folded letters/digits of a unit's short name; the same function scores emitted rows."""
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed.lower() if ch.isalnum() and ch.isascii())


def _registry() -> dict[str, tuple[str, str]]:
    with open(DATA / "indicators.csv", encoding="utf-8", newline="") as fh:
        return {r["indicator_id"]: (r["name_vi"], r["unit"]) for r in csv.DictReader(fh)}


def _aliases() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with open(DATA / "indicator_aliases.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(r["indicator_id"], []).append(r["alias"])
    return out


_PARAPHRASES = {  # abbreviations and paraphrases: only with paraphrase=True (they test the matcher)
    "communication_groups": ["Tổ TT cộng đồng"],
    "trusted_addresses": ["ĐCTC"],
    "change_leader_clubs": ["CLB Thủ lĩnh của sự thay đổi"],
    "policy_dialogues": ["Đối thoại chính sách"],
}


def draw_features(rng: random.Random) -> dict[str, str]:
    features = {axis: rng.choice(choices) for axis, choices in AXES.items()}
    if features["producer"] != "pdf":
        features.update(rules="grid", split="none", page="portrait")
    if features["orientation"] == "turned" and features["dvt"] == "row":
        features["dvt"] = "column"  # a turned table carries its units of measure in a column
    return features


def make_plan(seed: int, paraphrase: bool = False, features: dict[str, str] | None = None) -> Plan:
    rng = random.Random(seed)
    drawn = draw_features(rng)
    drawn.update(features or {})
    registry, aliases = _registry(), _aliases()
    era = drawn["era"]
    provinces = legacy_provinces() if era == "districts" else new_provinces()
    province = rng.choice([p for p in provinces if p not in _CITIES and len(provinces[p]) >= 4])
    pool = provinces[province]
    units = rng.sample(pool, rng.randint(3, min(12, len(pool))))
    printed = [(_unit_name(u, drawn["unit_names"], rng), unit_key(u.short)) for u in units]
    indicators = _draw_indicators(rng, registry, aliases, drawn["rate"] == "yes", paraphrase)
    plan = Plan(
        seed=seed, features=drawn, province=province, year=2022 if era == "districts" else 2025,
        number=rng.randint(10, 4999), units=printed, sections=[], indicators=indicators, values=[], totals=[],
    )
    if drawn["sections"] == "yes" and len(printed) >= 4:
        cut = rng.randint(1, len(printed) - 2)
        plan.sections = [(0, rng.choice(["Vùng I", "Khu vực I", "Các huyện nghèo"])),
                         (cut, rng.choice(["Vùng II", "Khu vực II", "Các huyện còn lại"]))]
    _fill_values(plan, rng)
    return plan


def _unit_name(u: Unit, style: str, rng: random.Random) -> str:
    if u.kind in {"Xã", "Phường"}:
        return f"{u.kind} {u.short}"  # a commune is always printed with its type
    prefixed = style == "prefixed" or (style == "mixed" and rng.random() < 0.5)
    if not prefixed:
        return u.short
    prefix = {"Thành phố": rng.choice(["Thành phố", "TP.", "TP"]), "Thị xã": rng.choice(["Thị xã", "TX."])}
    return f"{prefix.get(u.kind, u.kind)} {u.short}"


def _draw_indicators(rng, registry, aliases, with_rate: bool, paraphrase: bool) -> list[Indicator]:
    counts = [iid for iid, (_, unit) in registry.items() if unit != "%"]
    rates = [iid for iid, (_, unit) in registry.items() if unit == "%"]
    chosen = rng.sample(counts, rng.randint(2, 6))
    if with_rate:
        chosen += rng.sample(rates, rng.randint(1, 2))
    out = []
    for iid in chosen:
        name, unit = registry[iid]
        wordings = [name, *aliases.get(iid, [])] + (_PARAPHRASES.get(iid, []) if paraphrase else [])
        label = rng.choice(wordings)
        if unit == "%" and rng.random() < 0.5:
            label = f"Tỷ lệ {label[0].lower()}{label[1:]}"
        out.append(Indicator(iid, label, unit, unit == "%"))
    return out


def _fill_values(plan: Plan, rng: random.Random) -> None:
    """Values per unit × indicator (with their printed forms), the total row and the gold cells."""
    f = plan.features
    numbers: list[list[float]] = []
    for _ in plan.units:
        row = []
        for ind in plan.indicators:
            if ind.rate:
                row.append(rng.choice([10, 15, 20, 12.5]) if f["numbers"] == "decimal" else rng.choice([10, 15, 20]))
            elif f["numbers"] == "thousands" and ind.unit in {"cán bộ", "người"}:
                row.append(rng.randint(1000, 3000))
            else:
                row.append(rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20]))
        numbers.append(row)
    totals = []
    for j, ind in enumerate(plan.indicators):
        column = [r[j] for r in numbers]
        totals.append(column[0] if ind.rate and len(set(column)) == 1 else
                      (max(column) if ind.rate else sum(column)))
    if any(ind.rate for ind in plan.indicators):  # a rate's total row is the rate itself, not a sum
        for j, ind in enumerate(plan.indicators):
            if ind.rate:
                for r in numbers:
                    r[j] = totals[j]
    plan.values = [[_printed(v, ind, f, rng) for v, ind in zip(r, plan.indicators)] for r in numbers]
    plan.totals = [_printed(v, ind, f, rng) for v, ind in zip(totals, plan.indicators)]
    for (_, key), row, raws in zip(plan.units, numbers, plan.values):
        for ind, v, raw in zip(plan.indicators, row, raws):
            plan.gold.append(GoldCell(key, ind.id, float(v), raw))
    if f["total"] != "none":
        for ind, v, raw in zip(plan.indicators, totals, plan.totals):
            plan.gold.append(GoldCell(TOTAL_KEY, ind.id, float(v), raw))


def _printed(value: float, ind: Indicator, f: dict[str, str], rng: random.Random) -> str:
    if value == 0:
        return {"zero": "0", "dash": "-", "endash": "–", "blank": ""}[f["zeros"]]
    if value != int(value):
        return f"{value:.1f}".replace(".", ",")
    text = f"{int(value):,}".replace(",", ".")
    if ind.rate and f["numbers"] == "percent_sign":
        text += "%"
    return text
