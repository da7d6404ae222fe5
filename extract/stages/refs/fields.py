"""One cited document's own fields as found in a paragraph: symbol, number, year, type, law name.

A candidate is a match of the citation grammar; parse.py then decides its section, date, issuer and
title. `doc_type` comes from the word before the number (or "số") first, the symbol's abbreviation
second (normalize.doctypes.type_from_symbol).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from normalize.doctypes import type_from_symbol
from normalize.text import clean, squeeze

from .grammar import (
    DATE_AT,
    LAW_AND,
    LAW_END,
    LAW_END_WORDS,
    LAW_NUMBER,
    LAW_TYPES,
    NEXT_BARE,
    REF_RE,
    TYPE_ABBR_WORDS,
    TYPE_BY_ABBR,
    TYPE_BY_KEY,
)
from .keys import key as to_key
from .ocr_types import near_type_word

log = logging.getLogger(__name__)
_BODY_LAW_CONTEXT = re.compile(r"[ ]?,?[ ]?(?:ngay[ ]{0,2}\d|so[ ]|nam[ ]\d)")


@dataclass
class Cand:
    """A reference being parsed: offsets into the paragraph and the fields found so far."""

    start: int
    core_end: int  # end of the symbol (or law name)
    doc_type: str
    symbol_raw: str
    symbol: str
    number: str = ""
    year: int | None = None
    is_law: bool = False
    title: str = ""
    tail_end: int = 0  # end of the date / issuer right after the symbol
    issue_date: str = ""
    issuer_raw: str = ""
    own_issuer: bool = False
    top: bool = True
    section: str = "body"
    ocr_corrected: str = ""  # the type word as printed when OCR damaged it ("Hướn dẫn")
    within: str = ""  # symbol of the reference whose title names this one


def symbol_fields(sym_raw: str) -> tuple[str, str, int | None]:
    """Canonical symbol (NFC, no spaces), its number and the year printed in it."""
    symbol = squeeze(clean(sym_raw))
    number = re.match(r"\d+", symbol)
    year = re.match(r"\d+/((?:19|20)\d\d)(?:/|$)", symbol)
    return symbol, number.group() if number else "", int(year.group(1)) if year else None


def _law_name_end(raw: str, key: str, name_start: int, name_end: int, amendment: bool) -> int:
    """A law's name stops at a function word or at "và Luật ..." (not inside an amendment's name)."""
    if amendment:
        return name_end
    word_m = LAW_END_WORDS.search(raw, name_start, name_end + 1)
    if word_m:
        name_end = word_m.start()
    and_m = LAW_AND.search(key, name_start, name_end)
    return and_m.start() if and_m else name_end


def law_candidate(raw: str, key: str, m: re.Match, body: bool) -> Cand | None:
    """A law cited by name ("Luật Tổ chức chính quyền địa phương ngày 19/6/2015"), or None."""
    name_start = m.end() + 1
    limit = min(len(key), name_start + 220)
    amendment = key[name_start:name_start + 7].lower() == "sua doi"
    end_m = LAW_END.search(key, name_start, limit)
    if end_m is None or (end_m.start() == limit and limit < len(key)):
        return None
    name_end = _law_name_end(raw, key, name_start, end_m.start(), amendment)
    name = raw[name_start:name_end].rstrip(" ,-")
    law_type = LAW_TYPES[key[m.start():m.end()]]
    dated = bool(_BODY_LAW_CONTEXT.match(key[name_end:name_end + 16].lstrip()))
    # A name in lower case ("Luật tổ chức chính quyền địa phương") is a law when a date, number or year follows.
    named = bool(name) and (name[0].isupper() or amendment or law_type == "Hiến pháp" or dated)
    if not named or len(name.split()) > 30:
        return None
    # An amendment names the law(s) it amends; a draft ("dự thảo Luật ...") is not a document yet.
    draft = key[max(0, m.start() - 8):m.start()].lower().endswith("du thao ")
    if draft or (amendment and "luat" not in to_key(name).lower()):
        return None
    if body and not dated:
        log.debug("body law %r skipped: no date, number or year next to it", name)
        return None
    if amendment:
        name = "sửa đổi" + name[7:]
    else:
        name = name[0].upper() + name[1:]  # one symbol whatever the print's case: "Luật Tổ chức ..."
    symbol_raw = raw[m.start():name_start + len(name)]
    cand = Cand(m.start(), name_start + len(name), law_type, symbol_raw, clean(f"{law_type} {name}"), is_law=True)
    cand.title = clean(symbol_raw)
    num = LAW_NUMBER.match(key, cand.core_end)
    if num:
        sym_raw = raw[num.start("sym"):num.end("sym")]
        cand.symbol_raw = sym_raw
        cand.symbol, cand.number, cand.year = symbol_fields(sym_raw)
        cand.core_end = num.end()
    return cand


def _numbered_candidate(raw: str, key: str, m: re.Match) -> Cand:
    """A document cited by its symbol, typed by the word before it or by the symbol itself."""
    group = "sym" if m.group("sym") else "numyear" if m.group("numyear") else "sym2"
    sym_raw = raw[m.start(group):m.end(group)]
    symbol, number, year = symbol_fields(sym_raw)
    if group == "numyear":
        year = int(symbol.split("/")[1])
    word = m.group("type")
    doc_type = ""
    if word:
        wkey = re.sub(r"[ ]+", " ", word)
        doc_type = TYPE_BY_ABBR[wkey] if wkey in TYPE_ABBR_WORDS else TYPE_BY_KEY.get(wkey.lower(), "")
    elif group == "sym2" and (near := near_type_word(raw, key, m.start())) is not None:
        log.debug("type word %r read as %s (OCR damage)", near.printed, near.doc_type)
        cand = Cand(near.start, m.end(group), near.doc_type, sym_raw, symbol, number, year)
        cand.ocr_corrected = near.printed
        return cand
    return Cand(m.start(), m.end(group), doc_type or type_from_symbol(symbol), sym_raw, symbol, number, year)


def _bare_followers(raw: str, key: str, cand: Cand) -> list[Cand]:
    """Bare symbols listed after a reference ("Quyết định số 1719/QĐ-TTg, 861/QĐ-TTg"), typed like it."""
    out: list[Cand] = []
    pos = cand.core_end
    while True:
        after = DATE_AT.match(key, pos)
        nxt = NEXT_BARE.match(key, after.end() if after else pos)
        if nxt is None:
            return out
        sym_raw = raw[nxt.start("sym"):nxt.end("sym")]
        symbol, number, year = symbol_fields(sym_raw)
        own = type_from_symbol(symbol)
        same = type_from_symbol(cand.symbol) in ("", own) or own in ("", "Công văn")
        cand = Cand(nxt.start("sym"), nxt.end("sym"), cand.doc_type if same else own, sym_raw, symbol, number, year)
        out.append(cand)
        pos = cand.core_end


def find_candidates(raw: str, key: str, body: bool) -> list[Cand]:
    """Every citation in a paragraph, in order; `body` asks laws for a date, number or year."""
    cands: list[Cand] = []
    pos = 0
    while True:
        m = REF_RE.search(key, pos)
        if m is None:
            return cands
        cand = law_candidate(raw, key, m, body) if m.group("law") else _numbered_candidate(raw, key, m)
        if cand is None:
            pos = m.end()
            continue
        cands.append(cand)
        if not cand.is_law:
            cands.extend(_bare_followers(raw, key, cand))
        pos = cands[-1].core_end
