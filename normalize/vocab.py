"""Reviewed vocabularies kept as CSV in normalize/data: abbreviations and units of measure.

They live in data files, not code, so that a new abbreviation or unit spelling is a one-line data
change a reviewer can read; this module only loads and applies them.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from normalize.text import clean, fold

DATA_DIR = Path(__file__).parent / "data"


def read_rows(name: str, data_dir: Path | None = None) -> list[dict[str, str]]:
    """Rows of a data CSV as dicts of stripped strings (UTF-8, BOM tolerated)."""
    path = (data_dir or DATA_DIR) / name
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(fh)]


def key(text: str) -> str:
    """A matching key: fold() plus '/', '&' and stray dots made spaces, so 'lượng/ hoặc' == 'lượng/hoặc'."""
    text = fold(text)
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", text)  # keep '4.0', drop sentence dots
    text = text.replace("/", " ").replace("&", " va ")
    return " ".join(text.split())


@dataclass(frozen=True)
class Abbreviation:
    abbr: str
    expansion: str
    # Optional regex (case-insensitive) the whole text must match for the expansion to apply: "TT" is
    # "truyền thông" only next to "tổ"/"cộng đồng", elsewhere it is "thứ tự", "Thông tư" or "trung tâm".
    context: str = ""


@lru_cache(maxsize=4)
def load_abbreviations(data_dir: Path | None = None) -> tuple[Abbreviation, ...]:
    """The abbreviation table, longest first so 'GS&ĐG' wins over a shorter overlapping entry."""
    rows = read_rows("abbreviations.csv", data_dir)
    items = [Abbreviation(clean(r["abbr"]), clean(r["expansion"]), r.get("context", "")) for r in rows]
    return tuple(sorted(items, key=lambda a: -len(a.abbr)))


def _abbr_pattern(abbr: str) -> re.Pattern[str]:
    # Case-sensitive on purpose: "TE" is "trẻ em", but "tế" in "kinh tế" must never be touched.
    return re.compile(r"(?<!\w)" + re.escape(abbr) + r"(?!\w)")


def base_letters(text: str) -> str:
    """Each letter without its marks, case kept, same length as the (NFC) text: 'Tố ĐCTC' -> 'To DCTC'.

    OCR and hurried typing lose or swap marks (tố/tổ, DCTC/ĐCTC); comparing abbreviations on base letters
    folds those confusions the same way without lower-casing (case is what tells 'TE' from 'tế')."""
    return "".join("D" if ch == "Đ" else "d" if ch == "đ" else unicodedata.normalize("NFD", ch)[0] for ch in text)


def _replace(text: str, ab: Abbreviation) -> str:
    """One abbreviation expanded. Abbreviations of three or more letters match on base letters (no
    Vietnamese syllable is three consonants, so 'DCTC' can only be 'ĐCTC'); shorter ones only exactly,
    since 'TE' on base letters would also be the 'TẾ' of an upper-case 'KINH TẾ'."""
    if sum(ch.isalpha() for ch in ab.abbr) < 3:
        return _abbr_pattern(ab.abbr).sub(ab.expansion, text) if ab.abbr in text else text
    pattern = _abbr_pattern(base_letters(ab.abbr))
    for m in reversed(list(pattern.finditer(base_letters(text)))):
        text = text[: m.start()] + ab.expansion + text[m.end():]
    return text


@lru_cache(maxsize=65536)
def expand_abbreviations(text: str, data_dir: Path | None = None) -> str:
    """Replace known abbreviations by their expansion (on clean()ed text, case-sensitive, whole words)."""
    text = clean(text)
    for ab in load_abbreviations(data_dir):
        if ab.context and not re.search(ab.context, text, re.IGNORECASE):
            continue
        text = _replace(text, ab)
    return re.sub(r"\s*&\s*", " và ", text)


@dataclass(frozen=True)
class Synonym:
    phrase: str  # the printed paraphrase as base letters, lower case (see base_letters)
    canonical: str  # the registry's wording for the same thing


@lru_cache(maxsize=4)
def load_synonyms(data_dir: Path | None = None) -> tuple[Synonym, ...]:
    """Paraphrases the field uses for a registry phrase ('tổ chức tài chính' for 'định chế tài chính'),
    longest first."""
    rows = read_rows("synonyms.csv", data_dir)
    items = [Synonym(base_letters(clean(r["phrase"])).lower(), clean(r["canonical"])) for r in rows]
    return tuple(sorted(items, key=lambda s: -len(s.phrase)))


@lru_cache(maxsize=65536)
def apply_synonyms(text: str, data_dir: Path | None = None) -> str:
    """The text with each known paraphrase replaced by the registry's wording: whole words, compared on
    base letters in lower case, so an upper-case, unaccented or OCR-marked paraphrase is found too."""
    text = clean(text)
    for syn in load_synonyms(data_dir):
        pattern = re.compile(r"(?<!\w)" + re.escape(syn.phrase) + r"(?!\w)")
        for m in reversed(list(pattern.finditer(base_letters(text).lower()))):
            text = text[: m.start()] + syn.canonical + text[m.end():]
    return text


@dataclass(frozen=True)
class Unit:
    raw: str
    unit: str  # canonical spelling
    kind: str  # what is counted: group / address / session / club / person / percent ...


@lru_cache(maxsize=4)
def load_units(data_dir: Path | None = None) -> dict[str, Unit]:
    """Units of measure by matching key ('ĐCTC' and 'dctc' share a key)."""
    units: dict[str, Unit] = {}
    for r in read_rows("units.csv", data_dir):
        units[unit_key(r["unit_raw"])] = Unit(clean(r["unit_raw"]), clean(r["unit"]), r["kind"])
    return units


def unit_key(text: str) -> str:
    """Key for a unit of measure: folded, '/' kept tight ('tổ / nhóm' == 'tổ/nhóm')."""
    return re.sub(r"\s*/\s*", "/", fold(text))
