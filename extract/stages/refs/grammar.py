"""The patterns of a citation, on the key (see keys.py): symbols, type words, laws, dates, openers.

Type words, abbreviations and law words come from normalize/data/doc_types.csv (normalize.doctypes),
the date form from normalize.dates, so the header stage and this one share them. Patterns that must
tell "đô thị" from "do thi" run on the text itself and say so.
"""

from __future__ import annotations

import re

from normalize.dates import DATE_WORD, DAY_MONTH_YEAR
from normalize.doctypes import abbreviations_as_words, by_abbreviation, law_words, numbered_words

TYPE_BY_KEY = numbered_words()  # "quyet dinh" → "Quyết định"; "van ban" → '' (the symbol decides)
TYPE_BY_ABBR = by_abbreviation()  # "QD" → "Quyết định" ("HĐ" reads "HD": a Hướng dẫn too)
TYPE_ABBR_WORDS = abbreviations_as_words()  # printed as a type word: "KH số 43/KH-ĐCT"
LAW_TYPES = law_words()  # "Luat" → "Luật", ...


def _alt(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", "[ ]{1,2}") for w in sorted(words, key=len, reverse=True))


_SP = "[ ]{0,3}"
# One part of a symbol after "/" or "-": 2+ characters, upper case or digits, at most one trailing lower case
# letter ("TTg", "QĐi", "TTr", "UBND", "QH13", "A03", "CTTN&BĐG").
# Joint units are written with "&": "739/BNV-CTTN&BĐG" (the key reads Đ as D).
_ABBR = r"(?-i:[A-Z][A-Z0-9]{1,12}(?:&[A-Z][A-Z0-9]{0,12})*[a-z]?)(?![A-Za-z0-9&])"
_NUM = r"(?<!\d)\d{1,6}"
SYMBOL = (
    rf"{_NUM}(?:{_SP}-{_SP}{_ABBR}{_SP}/{_SP}{_ABBR}|(?:{_SP}/{_SP}(?:19|20)\d\d)?{_SP}/{_SP}{_ABBR})"
    rf"(?:{_SP}-{_SP}{_ABBR}){{0,4}}"
)
REF_RE = re.compile(
    rf"""(?<![A-Za-z])(?:
        (?P<type>{_alt(TYPE_BY_KEY)}|(?-i:{"|".join(TYPE_ABBR_WORDS)}))
            [ ]{{1,3}}(?:so[ ]{{0,3}}[:.]?[ ]{{0,3}})?
            (?:(?P<sym>{SYMBOL})|(?P<numyear>\d{{1,6}}[ ]{{0,2}}/[ ]{{0,2}}(?:19|20)\d\d)(?![\w/]))
      | (?-i:so|So|SO)[ ]{{1,3}}(?P<sym2>{SYMBOL})
      | (?P<law>(?-i:{_alt(LAW_TYPES)}))(?=[ ])
    )""",
    re.X | re.I,
)
NEXT_BARE = re.compile(rf"[ ]{{0,2}}(?:,|;|va)[ ]{{0,3}}(?:(?-i:so)[ ]{{1,3}})?(?P<sym>{SYMBOL})", re.I)
LAW_NUMBER = re.compile(rf"[ ]so[ ]{{0,2}}[:.]?[ ]{{0,2}}(?P<sym>{SYMBOL})", re.I)
# Where a law's name ends: a date, a number, a year, punctuation, the next cited document.
LAW_END = re.compile(
    r"[ ]?,?[ ]?ngay[ ]{0,2}\d|[ ]so[ ]{0,2}\d|[ ]nam[ ](?:19|20)\d\d|[ ]?[;:(\"“”]|\.(?:[ ]|$)"
    r"|,[ ](?=(?:Luat|Bo luat|Phap lenh|Nghi dinh|Nghi quyet|Quyet dinh|Thong tu|Can cu)\b)|$"
)
# ... or a function word, except in an amendment ("Luật sửa đổi, bổ sung một số điều của Luật A và Luật B").
# Function words are matched on the text itself: on the key "đô thị" would read "do thi".
LAW_END_WORDS = re.compile(r"[ ](?:của|do|đã|được|và các|theo|tại|trong|thì|nhằm)[ ]", re.I)
LAW_AND = re.compile(r"[ ]va[ ](?=(?:Luat|Bo luat|Phap lenh)[ ])")
DATE_AT = re.compile(
    rf"[ ]{{0,3}},?[ ]{{0,3}}(?:\([ ]{{0,2}})?(?:ban hanh[ ]{{1,2}})?{DATE_WORD}\s*{DAY_MONTH_YEAR}"
    r"(?:[ ]{0,2}\))?",
    re.I,
)
YEAR_AT = re.compile(r"[ ]{0,2},?[ ]{0,2}nam[ ]{1,2}((?:19|20)\d\d)(?!\d)", re.I)
# These run on the text, not the key (see LAW_END_WORDS).
CUA_AT = re.compile(r"[ ]{0,2},?[ ]{0,2}của[ ]", re.I)
DO_AT = re.compile(r"[ ]{0,2},?[ ]{0,2}do[ ]", re.I)
DO_END = re.compile(r"[ ]do[ ]")
TAI_BEFORE = re.compile(r"[ ]tại[ ]*$", re.I)
BAN_HANH_AT = re.compile(r"[ ]{0,2}ban hanh\b", re.I)
TITLE_KEYS = re.compile(
    r"(?:ve|v/v|phe duyet|quy dinh|huong dan|ban hanh|sua doi|bo sung|trien khai|thuc hien|giao|phan bo"
    r"|kien toan|thanh lap|cong bo|dieu chinh)\b",
    re.I,
)
NOT_A_TITLE = re.compile(r"(?:va|cung|dong thoi|hoac)\b", re.I)
# A connector word left at a title's end ("... phê duyệt Chương trình và"). Stripped by strip_title_trail
# in a loop, not by one `(?:[ ,;.]+ word|[ ,;.]+)+$` pattern: that nests quantifiers over the same
# characters and backtracks exponentially on a run of dots or spaces followed by any other character.
_TRAIL_WORD = re.compile(r"(?:^|(?<=[ ,;.]))(?:và các|và|cùng|theo|của|tại|với)$")
CLAUSE_END = re.compile(r";|\.(?=[ ]+[A-Z\"“(])")
# What stands before a reference that is itself cited (not named inside another one's title).
TOP_BEFORE = re.compile(
    r"(?:^|[;,:]|\b(?:va|cung|va cac|cac|Can cu|CAN CU|can cu vao|Can cu vao|Can cu theo|Thuc hien|Theo|Xet"
    r"|Tren co so|dong thoi))[ ]*$"
)
_TWO_LETTERS = re.compile(r"[A-Za-z]{2}")
CONNECTOR_ONLY = re.compile(r"[ ]*(?:,|va|,[ ]*va|;)?[ ]*")
SPACES_AT = re.compile(r"[ ]*")
OPENER = re.compile(
    r"(?:[-+•*][ ]*)?(?P<w>Can cu|CAN CU|Thuc hien|THUC HIEN|Theo|THEO|Xet|XET|Tren co so)\b"
)
PROPOSAL_OPENER = re.compile(
    r"(?:[-+•*][ ]*)?(?:Theo[ ](?:de nghi|de xuat|To trinh|y kien)|Xet\b|XET\b"
    r"|Tren co so[ ](?:de nghi|To trinh))",
    re.I,
)
OPERATIVE = re.compile(
    r"(?:QUYET DINH|QUYET NGHI|NGHI QUYET|CHI THI|KET LUAN|QUY DINH)[ ]?:|[IVXLC]{1,6}[ ]?[.)][ ]+\S"
    r"|Dieu[ ]1\b|PHAN[ ](?:I|1|THU NHAT)\b|Phan[ ](?:I|1|thu nhat)\b"
)
CITING_LOOK = re.compile(
    rf"(?:{_alt(TYPE_BY_KEY)})[ ]{{1,2}}(?:so\b|\d)|\bngay[ ]{{0,2}}\d{{1,2}}[ ]{{0,2}}(?:/|thang)"
    r"|\b\d{1,6}[ ]?/[ ]?[A-Z]",
    re.I,
)
HEADER_NUMBER = re.compile(rf"(?:So|SO|So hieu)[ ]{{0,2}}:[ ]{{0,3}}(?P<sym>{SYMBOL})", re.I)


def strip_title_trail(title: str) -> str:
    """The title without trailing separators (space , ; .) and connector words; linear in the length."""
    while True:
        stripped = title.rstrip(" ,;.")
        word = _TRAIL_WORD.search(stripped)
        if word:
            stripped = stripped[: word.start()]
        if stripped == title:
            return title
        title = stripped


def title_then_join(before: str) -> bool:
    """Words of a title, then only "," or "và" before the next reference (no ";": that ends the clause).

    What `[A-Za-z]{2}[^;]*(?:,|[ ]va)[ ]*$` says, in one pass: searched, that pattern tries every letter
    pair against the rest of the text and is quadratic on a long clause (a minute at 32,000 characters)."""
    text = before.rstrip(" ")
    if text.endswith(","):
        head = text[:-1]
    elif text.endswith(" va"):
        head = text[:-3]
    else:
        return False
    return _TWO_LETTERS.search(head, head.rfind(";") + 1) is not None


def clauses(key: str) -> list[int]:
    """Start offsets of the clauses (split at ';' and at sentence ends)."""
    return [0] + [m.end() for m in CLAUSE_END.finditer(key)]
