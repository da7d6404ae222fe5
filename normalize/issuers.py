"""Issuers and organisations: one canonical spelling for the body that issued a document.

The header stage reads an issuer from capitalised header lines ("ỦY BAN NHÂN DÂN" / "TỈNH LÀO CAI"),
the reference stage from running text ("của UBND tỉnh", "Hội đồng Nhân dân"). Both go through
`canonical_issuer` over the same data in normalize/data:

- organisations.csv   known bodies and organs (kind 'body' issues documents, 'organ' acts for the
                      body above it; central_form: a national organisation's central level); their
                      names are canonical name parts too
- issuer_abbreviations.csv  abbreviations expanded token by token (UBND, HĐND, TW, LHPN, ...)
- issuer_phrases.csv  the usual spelling of name parts, matched diacritics- and case-insensitively, so
                      "Hội đồng Nhân dân" and the typo "Thủ tướng Chỉnh phủ" come out right
- issuer_titles.csv   titles of a person signing for a body ("Bộ trưởng"), dropped by `issuing_body`

`issuing_body` builds on `canonical_issuer` for the national store, where one body must have one name
to be counted once: it drops the signer's title and names a central level by its organisation.

The two readings differ in one rule, kept explicit as `header_line`: a header line is printed in
capitals, so a whole line naming a known organisation is that organisation and the words no name part
covers go to sentence case; running text keeps the words it does not know as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from normalize.text import clean, fold
from normalize.vocab import read_rows

_TOKEN = re.compile(r"[^\s,]+|,")


@dataclass(frozen=True)
class Organisation:
    name: str  # the house spelling
    kind: str  # 'body' or 'organ'
    central_form: str  # for a national organisation: the name of its central level, else ''


@lru_cache(maxsize=1)
def _organisations() -> dict[str, Organisation]:
    return {
        fold(r["name"]): Organisation(r["name"], r["kind"], r.get("central_form", ""))
        for r in read_rows("organisations.csv")
    }


def organisation(text: str) -> Organisation | None:
    """The known organisation a whole line names (case- and diacritics-insensitive), else None."""
    return _organisations().get(fold(text))


def organisation_keys() -> tuple[str, ...]:
    """Folded names of the known organisations (to tell a line that starts with one)."""
    return tuple(_organisations())


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    return {r["abbr"]: r["expansion"] for r in read_rows("issuer_abbreviations.csv")}


@lru_cache(maxsize=1)
def _phrases() -> list[tuple[tuple[str, ...], list[str]]]:
    """(folded words, printed words) of each canonical name part and known organisation, longest first."""
    phrases = [r["phrase"] for r in read_rows("issuer_phrases.csv")]
    phrases += [o.name for o in _organisations().values() if o.name not in phrases]
    return sorted(((tuple(fold(w) for w in p.split()), p.split()) for p in phrases), key=lambda t: -len(t[0]))


@lru_cache(maxsize=4096)
def canonical_issuer(text: str, province: str = "", header_line: bool = False) -> str:
    """'UBND tỉnh' → 'Ủy ban nhân dân tỉnh <province>', 'Hội đồng Nhân dân' → 'Hội đồng nhân dân', ...

    header_line=True reads a whole header line, printed in capitals: a line naming a known organisation
    is that organisation (whatever stray marks surround it), and the words no known name part covers are
    put in sentence case ('BAN CHỈ ĐẠO' → 'Ban chỉ đạo'), where running text keeps them as printed.
    """
    known = organisation(text) if header_line else None
    if known is not None:
        return known.name
    text = clean(text).strip(" ,;.:-–")
    if not text:
        return ""
    tokens: list[str] = []
    for tok in _TOKEN.findall(text):
        tokens.extend(_abbreviations().get(tok, tok).split())
    out = _canonical_phrases(tokens, sentence_case=header_line and text.isupper())
    result = " ".join(out).replace(" ,", ",")
    if province and (out[-1] == "tỉnh" or result.endswith(("Tỉnh ủy",))):
        result = f"{result} {clean(province)}"  # "UBND tỉnh" in a province's own plan means that province
    return result


def _canonical_phrases(tokens: list[str], sentence_case: bool) -> list[str]:
    """Tokens with every known name part in its usual spelling (longest match first); with `sentence_case`
    the other words in lower case (the first one capitalised)."""
    folded = [fold(t) for t in tokens]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for key, canon in _phrases():
            if tuple(folded[i:i + len(key)]) == key:
                if canon[0][0].islower() and not out:  # a place word opening the issuer keeps its capital
                    canon = [canon[0][0].upper() + canon[0][1:]] + canon[1:]
                out.extend(canon)
                i += len(key)
                break
        else:
            word = tokens[i].lower() if sentence_case else tokens[i]
            out.append(word[:1].upper() + word[1:] if sentence_case and not out else word)
            i += 1
    return out


# One name per issuing body, for counting and joining across documents (the national store). The
# extracted issuer keeps what the document says ("Bộ trưởng, Chủ nhiệm Ủy ban Dân tộc", an organisation's
# central level "Trung ương Hội ..."); counts need the body itself, whoever signs and whichever level is
# printed. Signer titles are data (issuer_titles.csv); the central levels are organisations.csv's
# central_form, read the other way round.


@lru_cache(maxsize=1)
def _signer_titles() -> tuple[str, ...]:
    """Folded titles, longest first so 'Bộ trưởng, Chủ nhiệm' wins over 'Bộ trưởng'."""
    return tuple(sorted({fold(r["title"]) for r in read_rows("issuer_titles.csv")}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _central_levels() -> dict[str, str]:
    """Folded central-level name → the organisation's name, alone and after each organ
    ('Đoàn Chủ tịch Trung ương Hội X' → 'Đoàn Chủ tịch Hội X')."""
    organs = [o.name for o in _organisations().values() if o.kind == "organ"]
    out: dict[str, str] = {}
    for org in _organisations().values():
        if org.central_form:
            out[fold(org.central_form)] = org.name
            out.update({fold(f"{organ} {org.central_form}"): f"{organ} {org.name}" for organ in organs})
    return out


@lru_cache(maxsize=65536)
def issuing_body(name: str) -> str:
    """The body's one name (canonical_issuer, then a signer's title in front dropped and a central level
    named by its organisation). Joint issuers ('A; B') are named one by one, in their printed order."""
    parts = [_body(part) for part in (name or "").split(";")]
    return "; ".join(p for p in parts if p)


def _body(name: str) -> str:
    name = canonical_issuer(name)
    key = fold(name)
    for title in _signer_titles():
        if key.startswith(title + " "):
            name = _drop_words(name, len(title.split()))
            key = fold(name)
            break
    return _central_levels().get(key, name)


def _drop_words(name: str, n_folded_words: int) -> str:
    """`name` without its first words (counted as fold() splits them, so the comma in a title is skipped)."""
    words = name.split()
    taken = i = 0
    while i < len(words) and taken < n_folded_words:
        taken += len(fold(words[i]).split())
        i += 1
    return " ".join(words[i:]).lstrip(", ")
