"""A printed column label → the text and tokens the indicator matcher compares.

Kept apart from the registry (normalize/indicators.py) because it is the part that knows how plans
print labels: units of measure in brackets, abbreviation glosses, abbreviations and paraphrases
(normalize/data: abbreviations.csv, synonyms.csv), and which words say nothing about the indicator
(label_words.csv: function, counting, place and action words; units.csv). Deterministic and cached.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from normalize.text import clean, fold
from normalize.vocab import (
    apply_synonyms,
    expand_abbreviations,
    key,
    load_abbreviations,
    load_units,
    read_rows,
    unit_key,
)

_PAREN = re.compile(r"\(([^()]*)\)")
_TOKEN_JUNK = re.compile(r"[^\w%.]")
_ROMAN = re.compile(r"[ivxlc]+[.)]?")  # a column or section number: 'II', 'IV.'; no label word is only these


@lru_cache(maxsize=1)
def word_roles() -> dict[str, str]:
    """Folded token ('so_luong') → role (function / count / place / action) from label_words.csv."""
    return {fold(r["word"]).replace(" ", "_"): r["role"] for r in read_rows("label_words.csv")}


def _meaningless_tokens() -> frozenset[str]:
    return frozenset(t for t, role in word_roles().items() if role == "function")


def strip_units_and_glosses(text: str) -> str:
    """Drop unit parentheses ('(tổ)') and abbreviation glosses that repeat the words before them
    ('Tổ tiết kiệm vay vốn thôn bản (TKVVTB)'). A bracketed abbreviation that adds something ('Tập huấn
    LGG (CT2)': the programme) stays, to be expanded."""
    units = load_units()
    expansions = {a.abbr: a.expansion for a in load_abbreviations()}
    text_key = key(expand_abbreviations(_PAREN.sub(" ", text)))

    def drop(m: re.Match[str]) -> str:
        content = m.group(1).strip()
        if unit_key(content) in units:
            return " "
        if content in expansions and f" {key(expansions[content])} " in f" {text_key} ":
            return " "
        return f" {content} "

    return _PAREN.sub(drop, text).replace(")", " ").replace("(", " ")


@lru_cache(maxsize=65536)
def prepare(label: str) -> str:
    """Label → expanded text, diacritics kept: units and glosses out, abbreviations and paraphrases replaced."""
    return apply_synonyms(expand_abbreviations(strip_units_and_glosses(clean(label))))


def has_words(label: str) -> bool:
    """False for a label of digits, symbols, column letters, Roman numerals and units only ('15', '(3)',
    'b', 'IV', '%', 'CLB', '2=3+4'): whatever header group stands above it, such a label is a column
    number or a unit, never an indicator's name."""

    def spaced(text: str) -> str:
        return " ".join(fold(text).replace("/", " ").split())

    text = f" {spaced(expand_abbreviations(strip_units_and_glosses(clean(label))))} "
    for unit in sorted({spaced(u.raw) for u in load_units().values()}, key=len, reverse=True):
        while f" {unit} " in text:
            text = text.replace(f" {unit} ", " ")
    return any(sum(ch.isalpha() for ch in w) >= 2 and not _ROMAN.fullmatch(w) for w in text.split())


def typed_without_accents(label: str) -> bool:
    """True for 'Thanh vien to TKVVTB ...': its own words (abbreviations, which are upper case, aside)
    carry no Vietnamese marks, so underthesea cannot segment it and syllables are compared instead."""
    words = [w for w in re.findall(r"[^\W\d_]+", clean(label)) if not w.isupper()]
    marked = [w for w in words if unicodedata.normalize("NFD", w) != w or "đ" in w.lower()]
    return len(words) >= 2 and not marked


def _clean_token(word: str) -> str:
    return _TOKEN_JUNK.sub("", fold(word).replace(" ", "_")).strip(".")


@lru_cache(maxsize=65536)
def word_tokens(expanded: str) -> str:
    """underthesea word tokens, folded, compounds joined by '_', function words and punctuation out."""
    from underthesea import word_tokenize  # start-up: imported lazily, the model load costs ~0.5 s

    skip = _meaningless_tokens()
    out = [tok for tok in (_clean_token(w) for w in word_tokenize(expanded)) if tok and tok not in skip]
    return " ".join(out)


@lru_cache(maxsize=65536)
def syllable_tokens(expanded: str) -> str:
    """Folded syllables, function words out: the representation for labels typed without accents, which
    underthesea (trained on accented text) cannot segment ('Can bo nu' → 'Can', 'bo nu')."""
    skip = {t for t in _meaningless_tokens() if "_" not in t}
    out = [tok for tok in (_clean_token(w) for w in fold(expanded).split()) if tok and tok not in skip]
    return " ".join(out)


@lru_cache(maxsize=1)
def _unit_tokens() -> frozenset[str]:
    """Units of measure as tokens ('câu lạc bộ' → 'cau_lac_bo'; 'tổ/nhóm' → 'to', 'nhom' as well)."""
    units = {fold(u.raw) for u in load_units().values()} | {fold(u.unit) for u in load_units().values()}
    return frozenset({u.replace(" ", "_") for u in units} | {p for u in units for p in re.split(r"[/ ]+", u)
                                                               if "/" in u or " " not in u})


def content_tokens(tokens: str) -> list[str]:
    """Tokens that can name an indicator: letters, and not a unit of measure ('CLB', 'tổ/nhóm' say what is
    counted, not which indicator) nor a counting, place, action or function word."""
    roles, units = word_roles(), _unit_tokens()
    return [t for t in tokens.split() if any(ch.isalpha() for ch in t) and t not in roles and t not in units]
