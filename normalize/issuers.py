"""One canonical name per issuing body, so counts and joins do not split one issuer into several.

The same body is printed in several ways: with the title of the person who signs for it ("Bộ trưởng Bộ Tài
chính"), with or without its level ("Đoàn Chủ tịch Trung ương Hội ..."). The titles and the aliases are data
(normalize/data/issuer_titles.csv, issuer_aliases.csv); the result depends on the name alone, so it is
the same in every run.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from .text import clean, fold

_DATA = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with open(_DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def _titles() -> tuple[str, ...]:
    """Folded titles, longest first so 'Bộ trưởng, Chủ nhiệm' wins over 'Bộ trưởng'."""
    return tuple(sorted((fold(r["title"]) for r in _rows("issuer_titles.csv")), key=len, reverse=True))


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    return {fold(r["alias"]): clean(r["issuer"]) for r in _rows("issuer_aliases.csv")}


@lru_cache(maxsize=65536)
def canonical_issuer(name: str) -> str:
    """The body's canonical name: a signer's title in front is dropped, then a known alias is replaced.

    Joint issuers ('A; B') are canonicalised one by one and kept in their printed order.
    """
    parts = [_one(part) for part in (name or "").split(";")]
    return "; ".join(p for p in parts if p)


def _one(name: str) -> str:
    name = clean(name)
    key = fold(name)
    for title in _titles():
        if key.startswith(title + " ") and len(key) > len(title) + 1:
            name = _drop_words(name, len(title.split()))
            key = fold(name)
            break
    return _aliases().get(key, name)


def _drop_words(name: str, n_folded_words: int) -> str:
    """`name` without its first words (counted as fold() splits them, so the comma in a title is skipped)."""
    words = name.split()
    taken = 0
    i = 0
    while i < len(words) and taken < n_folded_words:
        taken += len(fold(words[i]).split())
        i += 1
    return " ".join(words[i:]).lstrip(", ")
