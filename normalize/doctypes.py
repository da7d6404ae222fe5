"""Document types: the printed type words, their symbol abbreviations and which of them are laws.

One table (normalize/data/doc_types.csv) read by both the header stage (which type a document is) and
the reference stage (which type a cited document is), so "Kết luận" or "Bộ luật" is known to both.
Abbreviations are matched on their diacritics-free spelling ("QĐ" → "QD"), as the reference stage's
key spells them; case is kept ("TTr" Tờ trình is not "TT" Thông tư).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from normalize.text import fold, squeeze
from normalize.vocab import read_rows

OFFICIAL_LETTER = "Công văn"  # a symbol with neither a type abbreviation nor a year
_YEAR = re.compile(r"(?:19|20)\d\d")
_NATIONAL_ASSEMBLY = re.compile(r"QH\d*")  # "QH13": a law's symbol, typed by its type word


@dataclass(frozen=True)
class DocType:
    word: str  # as printed before a number ("Quyết định")
    doc_type: str  # canonical; '' when the word says nothing ("Văn bản")
    abbreviation: str  # in a symbol ("QĐ"), '' if none
    abbreviation_as_word: bool  # also printed instead of the word ("KH số 43/KH-ĐCT")
    numbered: bool  # cited as "<word> số <symbol>" (Hiến pháp is cited by name only)
    law: bool  # cited by name ("Luật Tổ chức chính quyền địa phương")


def ascii_key(text: str) -> str:
    """Diacritics dropped, Đ → D, case kept: how the reference stage's key spells a word."""
    text = unicodedata.normalize("NFD", text).replace("\u0110", "D").replace("\u0111", "d")
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


@lru_cache(maxsize=1)
def doc_types() -> tuple[DocType, ...]:
    """Every row of doc_types.csv, in file order."""
    return tuple(
        DocType(r["word"], r["doc_type"], r["abbreviation"], r["abbreviation_as_word"] == "yes",
                r["numbered"] == "yes", r["law"] == "yes")
        for r in read_rows("doc_types.csv")
    )


def type_names() -> tuple[str, ...]:
    """The canonical document types (a header's type line is one of them, in capitals)."""
    return tuple(t.doc_type for t in doc_types() if t.doc_type)


def numbered_words() -> dict[str, str]:
    """Printed type word (lower-case key spelling) → doc_type, for words cited before a number."""
    return {ascii_key(t.word).lower(): t.doc_type for t in doc_types() if t.numbered}


def law_words() -> dict[str, str]:
    """Law type word (key spelling, as capitalised in print) → doc_type: "Luat" → "Luật"."""
    return {ascii_key(t.word): t.doc_type for t in doc_types() if t.law}


@lru_cache(maxsize=1)
def by_abbreviation() -> dict[str, str]:
    """Symbol abbreviation (key spelling, case kept) → doc_type: "QD" → "Quyết định"."""
    return {ascii_key(t.abbreviation): t.doc_type for t in doc_types() if t.abbreviation}


def abbreviations_as_words() -> tuple[str, ...]:
    """Abbreviations (key spelling) also printed instead of the type word: "KH số 43/KH-ĐCT"."""
    return tuple(ascii_key(t.abbreviation) for t in doc_types() if t.abbreviation_as_word)


def type_from_symbol(symbol: str) -> str:
    """The type a symbol's abbreviation names: '39/2021/QĐ-TTg' → Quyết định, Party '06-NQ/TU' → Nghị quyết,
    '1234/UBND-VX' (no type part, no year) → Công văn; '' when it cannot tell ('24/2020/QH14')."""
    key = ascii_key(squeeze(symbol))
    types = by_abbreviation()
    if re.match(r"\d+-", key):
        return types.get(key.split("/", 1)[0].split("-", 1)[1], "")
    parts = key.split("/")[1:]
    has_year = bool(parts) and _YEAR.fullmatch(parts[0]) is not None
    parts = [p for p in parts if not _YEAR.fullmatch(p)]
    if not parts:
        return ""
    first = parts[0].split("-")[0]
    if first in types:
        return types[first]
    return "" if has_year or _NATIONAL_ASSEMBLY.fullmatch(first) else OFFICIAL_LETTER


def symbol_key(symbol: str) -> str:
    """A symbol compared case- and diacritics-insensitively, without spaces: one cited document, one key."""
    return fold(symbol).replace(" ", "").upper()
