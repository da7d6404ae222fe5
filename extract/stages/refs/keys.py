"""The key the reference stage matches on: a length-preserving, diacritics-free, case-preserving copy.

Matching runs on the key so "Quyết định" and "Quyet dinh" read alike, while every match offset maps
back one character for one character to the text as printed (raw fields are slices of that text).
"""

from __future__ import annotations

import re
import unicodedata


def _build_key_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base != chr(cp) and base.isascii() and base.isalpha():
            table[cp] = base
    table.update({0x110: "D", 0x111: "d", 0xD0: "D", 0xF0: "d"})
    for dash in "\u2010\u2011\u2012\u2013\u2014\u2212":
        table[ord(dash)] = "-"
    for space in "\u00a0\u2007\u202f\t":
        table[ord(space)] = " "
    return table


_KEY_TABLE = _build_key_table()
_INVISIBLE = re.compile("[\u200b\u200c\u200d\ufeff\u00ad]")
WS = re.compile(r"\s+")


def norm(text: str) -> str:
    """NFC, invisible characters dropped, whitespace collapsed: the text as printed that raw fields slice."""
    text = unicodedata.normalize("NFC", text or "")
    return WS.sub(" ", _INVISIBLE.sub("", text)).strip()


def key(raw: str) -> str:
    """`raw` with diacritics stripped (Đ → D) and look-alike dashes unified, same length."""
    return raw.translate(_KEY_TABLE)
