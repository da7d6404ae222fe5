"""Type words damaged by OCR: "Hướn dẫn số 04/HD-ĐCT" is still a Hướng dẫn.

In a scan a letter of the type word is often lost or misread. The grammar then sees only "số 04/HD-ĐCT",
types it from the symbol, and, worse, starts the reference at "số": what stands before it ("Căn cứ Hướn
dẫn") no longer reads as the opener, so the reference leaves the preamble. A near miss of a known type word
right before "số" (one or two letters off, on the diacritics-free key) is taken as that word; the
reference records the correction so the row can say it was not printed that way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from .grammar import TYPE_BY_KEY

_MIN_RATIO = 0.85  # "huon dan" vs "huong dan" 0.94; "ke hoach" vs "ke toan" 0.67 (an exact type word is not touched)
_MAX_WORDS = max(len(word.split()) for word in TYPE_BY_KEY)
_WORDS_BEFORE = re.compile(rf"(?:[A-Za-z]+[ ]){{1,{_MAX_WORDS}}}$")


@dataclass(frozen=True)
class Corrected:
    start: int  # where the type word starts in the paragraph
    doc_type: str
    printed: str  # the word as printed (raw text)


def near_type_word(raw: str, key: str, so_at: int) -> Corrected | None:
    """A damaged type word ending right before `so_at` (the offset of "số"), or None."""
    m = _WORDS_BEFORE.search(key, max(0, so_at - 40), so_at)
    if m is None:
        return None
    words = key[m.start():so_at].split()
    for n in range(min(len(words), _MAX_WORDS), 0, -1):
        candidate = " ".join(words[-n:]).lower()
        if len(candidate) < 6 or candidate in TYPE_BY_KEY:
            continue
        best = max(TYPE_BY_KEY, key=lambda word: SequenceMatcher(None, candidate, word).ratio())
        if SequenceMatcher(None, candidate, best).ratio() >= _MIN_RATIO and TYPE_BY_KEY[best]:
            start = so_at - len(" ".join(words[-n:])) - 1
            return Corrected(start, TYPE_BY_KEY[best], raw[start:so_at].strip())
    return None
