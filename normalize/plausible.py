"""Does a string look like what it claims to be? Shape tests for header fields read from a page.

OCR of a stamped or faint header turns "Số: 968/QĐ-UBND" into "36Ÿ/QĐĐ-UBND" and a title into
"ĐẾN .„TÍú 120 2€ ề ằ": text that looks filled but is noise. These tests let the meta check leave
such a field empty with a warning (precision before recall) instead of passing the noise on.
"""

from __future__ import annotations

import re
import unicodedata

# "355/KH-UBND", "1719/QĐ-TTg", "33/2022/NQ-HĐND", "16/KH-HLHPNVN-UBĐT", "52-KH/TU" (Party documents).
_LETTERS = r"[A-ZĐ][A-Za-zĐđ]*"
_SYMBOL = re.compile(rf"^\d{{1,5}}[a-z]?(?:/\d{{4}})?[/-]{_LETTERS}(?:[-/&]{_LETTERS}\d*)*$")

_BASE_LETTERS = set("abcdefghijklmnopqrstuvwxyzđ")
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
_SHAPE_MARKS = {"\u0306": "a", "\u0302": "aeo", "\u031b": "ou"}  # breve (ă), circumflex (â ê ô), horn (ơ ư)
_PUNCTUATION = set(".,;:()\"'“”‘’-–/%")


def symbol_shape_ok(symbol: str) -> bool:
    """A document number and symbol: digits, then letter groups joined by '-' or '/'."""
    return bool(_SYMBOL.match(symbol))


def vietnamese_letter(ch: str) -> bool:
    """A letter of the Vietnamese alphabet with at most one tone mark and its proper shape mark."""
    parts = unicodedata.normalize("NFD", ch.lower())
    base, marks = parts[0], parts[1:]
    if base not in _BASE_LETTERS:
        return False
    tones = [m for m in marks if m in _TONE_MARKS]
    shapes = [m for m in marks if m not in _TONE_MARKS]
    return len(tones) <= 1 and len(shapes) <= 1 and all(base in _SHAPE_MARKS.get(m, "") for m in shapes)


def _token_noisy(token: str) -> bool:
    word = token.strip("".join(_PUNCTUATION))
    if not word:
        return len(token) == 1 and token not in _PUNCTUATION
    if re.fullmatch(r"[\d.,/\-–]+", word):
        return False
    if not all(vietnamese_letter(ch) or ch.isdigit() or ch in _PUNCTUATION for ch in word):
        return True
    if len(word) == 1 and unicodedata.normalize("NFD", word) != word:
        return True  # a lone accented letter ("ề") is a smudge, not a word
    return _capitals_then_lower(word)


def _capitals_then_lower(word: str) -> bool:
    """'TÍú': two capitals followed by a small letter inside one word (not 'Đông', not 'UBND')."""
    cases = "".join("U" if ch.isupper() else "l" if ch.islower() else " " for ch in word)
    return "UUl" in cases


def noise_share(text: str) -> float:
    """Share of the whitespace-separated tokens that cannot be Vietnamese words, numbers or punctuation."""
    tokens = text.split()
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if _token_noisy(t)) / len(tokens)
