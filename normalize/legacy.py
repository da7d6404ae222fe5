"""Legacy Vietnamese 8-bit encodings: TCVN3 (ABC, the .VnTime fonts) and VNI-Windows (the VNI-Times fonts).

Documents typed before Unicode keep their text as Latin-1-looking bytes that only the legacy font draws
as Vietnamese, so a PDF's text layer gives mojibake such as "KÕ ho¹ch" (TCVN3) or "Keá hoaïch" (VNI) for
"Kế hoạch". This module tells those encodings apart from Unicode (by font name and by content) and
converts them back. The letter tables are in `data/legacy_letters.csv` (one row per Vietnamese letter:
its TCVN3 byte, whether TCVN3 needs the capitals font for it, and its VNI bytes).

TCVN3 (TCVN 5712:1993 VN3, the "ABC" fonts) has one byte per letter, but only lowercase toned letters
and seven capitals (Ă Â Ê Ô Ơ Ư Đ). Other capitals are written with the lowercase byte in a capitals
font (".VnTimeH"), so "CỘNG HÒA" reads "CéNG HOµ". When the font is known, `upper=True` says so; when
it is not, a word whose ASCII letters are all capitals is taken as capitals (see `_tcvn3_words`).
When a PDF has no ToUnicode map, PyMuPDF gives TCVN3's "ư" byte (0xAD, the soft hyphen) as "-":
`to_unicode` reads a "-" as "ư" where only "ư" fits (before an ơ-letter, "ng-êi"; after a consonant at
the end of a word, "nh-"; "l-u", "ch-a", "h-ng").

VNI-Windows writes a letter as a base letter followed by a mark byte ("ế" = "e" + "á"), so decoding
takes the longest match first. Both decoders return NFC and never raise; unknown characters pass.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ENCODINGS = ("unicode", "tcvn3", "vni")
ENCODING_NAMES = {"unicode": "Unicode", "tcvn3": "TCVN3 (ABC)", "vni": "VNI-Windows"}
_DATA = Path(__file__).resolve().parent / "data" / "legacy_letters.csv"


@dataclass(frozen=True)
class _Tables:
    tcvn3_decode: dict[str, str]  # byte-char -> letter (lowercase for the codes the capitals font shares)
    tcvn3_encode: dict[str, str]  # letter -> byte-char (capitals without a code of their own: the lowercase one)
    tcvn3_lower_codes: frozenset[str]  # bytes that stand for a lowercase letter in .VnTime
    tcvn3_upper_codes: frozenset[str]  # the seven capitals with a code of their own
    tcvn3_marks: frozenset[str]  # bytes that Unicode Vietnamese text never contains
    tcvn3_only: frozenset[str]  # ... and that VNI text never contains either (tells TCVN3 from VNI)
    vni_decode: dict[str, str]  # 1- or 2-char sequence -> letter
    vni_encode: dict[str, str]
    vni_strong: frozenset[str]  # single bytes and pairs that Unicode Vietnamese text never contains
    viet_only: frozenset[str]  # Vietnamese letters outside Latin-1 (never in legacy text)


def _bytes(hexes: str) -> str:
    return "".join(chr(int(h, 16)) for h in hexes.split())


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    with open(_DATA, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    t_dec: dict[str, str] = {}
    t_enc: dict[str, str] = {}
    v_dec: dict[str, str] = {}
    v_enc: dict[str, str] = {}
    lower_codes: set[str] = set()
    upper_codes: set[str] = set()
    for row in rows:
        letter, code, vni = row["letter"], _bytes(row["tcvn3"]), _bytes(row["vni"])
        t_enc[letter] = code
        v_enc[letter] = vni
        v_dec[vni] = letter
        if row["tcvn3_font"] == "H":
            continue  # shares the lowercase letter's byte
        t_dec[code] = letter
        (lower_codes if letter.islower() else upper_codes).add(code)
    # Capitals typed with a lowercase VNI mark ("Aù") still mean the capital.
    for seq, letter in list(v_dec.items()):
        if len(seq) == 2 and seq[0].isupper() and seq[1].isupper():
            v_dec.setdefault(seq[0] + seq[1].lower(), letter)
    # Letters a Unicode Vietnamese (or English) text uses in Latin-1: legacy bytes that equal them are weak.
    latin_viet = {ch for ch in t_enc if ord(ch) <= 0xFF}
    marks_t = frozenset(ch for ch in (lower_codes | upper_codes) if ch not in latin_viet)
    vni_chars = {ch for seq in v_dec for ch in seq}
    only_t = frozenset(ch for ch in marks_t if ch not in vni_chars)
    strong_v = frozenset(
        seq for seq in v_dec if (len(seq) == 2 or seq not in latin_viet) and not seq.isascii()
    )
    viet_only = frozenset(ch for ch in t_enc if ord(ch) > 0xFF)
    return _Tables(t_dec, t_enc, frozenset(lower_codes), frozenset(upper_codes), marks_t, only_t, v_dec, v_enc,
                   strong_v, viet_only)


# ------------------------------------------------------------------------------------------ font names

_SUBSET = re.compile(r"^[A-Z]{6}\+")
_STYLE = re.compile(r"[,\-](bold|italic|bolditalic|oblique|regular|b|i|bi)?$", re.IGNORECASE)


def _font_base(name: str) -> str:
    name = _SUBSET.sub("", name.strip().lstrip("/")).replace("#20", " ")
    return name


def font_encoding(name: str) -> str:
    """'tcvn3' for the ABC fonts (".VnTime", ".VnArialH", ...), 'vni' for "VNI-Times" & co, else 'unicode'."""
    low = _font_base(name).lower()
    if low.startswith(".vn") or re.match(r"vn(time|arial|avant|centur|courier|helve|book)", low):
        return "tcvn3"
    if re.match(r"vni[\- _]", low):
        return "vni"
    return "unicode"


def is_capitals_font(name: str) -> bool:
    """A TCVN3 capitals font (".VnTimeH", ".VnArialH,Bold"): its lowercase bytes draw capitals."""
    if font_encoding(name) != "tcvn3":
        return False
    base = re.split(r"[,]", _font_base(name))[0].strip()
    while True:
        stripped = re.sub(r"[\- ]?(Bold|Italic|BoldItalic|Oblique|Regular|MT|PS)$", "", base)
        if stripped == base:
            break
        base = stripped
    return base.endswith("H")


# -------------------------------------------------------------------------------------------- decoding

_WORD = re.compile(r"\S+")
_ASCII_CONSONANTS = set("bcdghklmnpqrstvxBCDGHKLMNPQRSTVX")
_TCVN3_O_HORN = set("\u00ac\u00ea\u00eb\u00ec\u00ed\u00ee")  # ơ ờ ở ỡ ớ ợ: "ư" comes before them ("ươ")
_TCVN3_D = {"\u00ae", "\u00a7"}  # đ Đ


def _is_consonant(ch: str) -> bool:
    return ch in _ASCII_CONSONANTS or ch in _TCVN3_D


def _tcvn3_hyphen_is_u(token: str, i: int) -> bool:
    """Is the "-" at token[i] TCVN3's "ư" byte (0xAD) as PyMuPDF gives it without a ToUnicode map?

    A syllable cannot end in a bare consonant, so a "-" right after a word-initial consonant cluster
    is "ư" ("ng-êi" người, "T-" Tư, "P-h" Pưh, "L-u" Lưu), unless the cluster is capitals of an acronym
    ("KH-UBND", "Q§-TTg"). A "-" before an ơ-letter is "ư" in any case ("TR-êNG" TRƯỜNG); a word-initial
    "-u" is "ưu". Every other "-" stays a hyphen ("kinh tÕ - x· héi", "2021-2025", "e-mail")."""
    nxt = token[i + 1] if i + 1 < len(token) else ""
    if nxt in _TCVN3_O_HORN:
        return True
    j = i
    while j > 0 and (token[j - 1].isalpha() or token[j - 1] in _TCVN3_D):
        j -= 1
    onset = token[j:i]
    if not onset:
        after = token[i + 2] if i + 2 < len(token) else ""
        return nxt == "u" and not after.isalpha()  # "-u" ưu
    if not all(_is_consonant(ch) for ch in onset):
        return False
    capitals = sum(ch.isupper() or ch == "\u00a7" for ch in onset)
    return capitals <= 1 and not (capitals == 1 and not (onset[0].isupper() or onset[0] == "\u00a7"))


def _tcvn3_token(token: str, tables: _Tables) -> str:
    out = []
    for i, ch in enumerate(token):
        if ch == "-" and _tcvn3_hyphen_is_u(token, i):
            out.append("ư")
        else:
            out.append(tables.tcvn3_decode.get(ch, ch))
    return "".join(out)


def _tcvn3_case(token: str, tables: _Tables) -> str:
    """How a word is cased, for telling the capitals font apart.

    'H': capitals written with lowercase bytes ("CéNG", "HOµ") or with TCVN3's own vowel capitals ("§¥N");
    'caps': ASCII capitals only (acronyms: "UBND", "TKVVTB"); 'amb': one capital and lowercase bytes ("KÕ",
    "X·", "Hµ"): the capitals font or a capitalised word; 'lower': any lowercase ASCII letter; '': no
    letters, or digits (a number or a symbol such as "1002/KH-UBND" says nothing about the font)."""
    if any("0" <= ch <= "9" for ch in token):
        return ""
    lower_codes = sum(ch in tables.tcvn3_lower_codes for ch in token)
    if "-" in token:
        lower_codes += sum(_tcvn3_hyphen_is_u(token, i) for i, ch in enumerate(token) if ch == "-")
    if any("a" <= ch <= "z" for ch in token):
        return "lower"
    upper_codes = sum(ch in tables.tcvn3_upper_codes for ch in token)
    capitals = sum("A" <= ch <= "Z" for ch in token) + upper_codes
    if lower_codes:
        return "H" if capitals >= 2 else "amb"
    if capitals >= 2:  # "§¥N", "N¡M" are words; "§CT", "UB§T" are acronyms
        return "H" if upper_codes - token.count("\u00a7") > 0 else "caps"
    return "caps" if capitals else ""


def _tcvn3_words(text: str, tables: _Tables, upper: bool | None) -> str:
    tokens = list(_WORD.finditer(text))
    kinds = [_tcvn3_case(m.group(), tables) for m in tokens] if upper is None else []
    out, pos = [], 0
    for k, m in enumerate(tokens):
        out.append(text[pos:m.start()])
        word = _tcvn3_token(m.group(), tables)
        if upper is True:
            word = word.upper()
        elif upper is None:
            kind = kinds[k]
            if kind == "amb":
                # One capital and lowercase bytes: the capitals font only when the nearest words on either
                # side (past acronyms and numbers) include a capitals-font word and no lowercase word
                # ("KÕ HO¹CH", "§¥N VÞ", "ñY BAN NH¢N"; but "Tæ TKVVTB cho", "Hµ Néi", "Sè: 1002/KH-UBND").
                sides = {_nearest(kinds, k, -1), _nearest(kinds, k, 1)}
                kind = "H" if "H" in sides and "lower" not in sides else "lower"
            if kind == "H":
                word = word.upper()
        out.append(word)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def _nearest(kinds: list[str], k: int, step: int) -> str:
    i = k + step
    while 0 <= i < len(kinds):
        if kinds[i] not in ("", "amb", "caps"):  # acronyms say nothing either: look past them
            return kinds[i]
        i += step
    return ""


# Tone moves that normalize.text.clean makes on NFC text ("uý" -> "úy", "oá" -> "óa") damage legacy bytes;
# these undo the ones that can be undone (the other moves cannot meet legacy text, or are ambiguous).
_TCVN3_UNMOVE = re.compile(r"(?<![qQ])([úÚ])([yY])(?![a-zA-Z\u00a0-\u00ff])")
_VNI_UNMOVE = [  # (moved, original, not after): "õa" is never VNI; "óa" is "ĩa" in nghĩa; "òa" is "ịa" in địa
    (re.compile(r"(?<![aeouy\u00f4\u00f6])([\u00f5\u00d5])(a)(?![a-z])", re.IGNORECASE), "\u00e3"),
    (re.compile(r"(?<!ngh)(?<!gh)(?<!ch)(?<!k)([\u00f3\u00d3])(a)(?![a-z])", re.IGNORECASE), "\u00e1"),
    (re.compile(r"(?<![\u00f1\u00d1bl])([\u00f2\u00d2])(a)(?![a-z])", re.IGNORECASE), "\u00e0"),
]


def _vni_unmove(m: re.Match[str], mark: str) -> str:
    moved, a = m.group(1), m.group(2)
    upper_o, upper_mark = moved.isupper(), a.isupper()
    return ("O" if upper_o else "o") + (mark.upper() if upper_mark else mark)


def _vni_decode(text: str, tables: _Tables) -> str:
    table = tables.vni_decode
    out, i, n = [], 0, len(text)
    while i < n:
        pair = text[i:i + 2]
        if len(pair) == 2 and pair in table:
            out.append(table[pair])
            i += 2
            continue
        out.append(table.get(text[i], text[i]))
        i += 1
    return "".join(out)


def to_unicode(text: str, encoding: str, upper: bool | None = None, after_clean: bool = True) -> str:
    """Legacy text as Unicode (NFC); never raises on odd input.

    `upper` (TCVN3 only): True when the text is in a capitals font (".VnTimeH"), False when it is not,
    None to decide per word from the letters' case. `after_clean`: the text went through
    normalize.text.clean, whose look-alike and tone fixes touched legacy bytes; undo what can be undone
    ("Đ" back to TCVN3's "Ð" = é; "úy" back to "uý"; VNI "sóa" back to "soá" = số). Text straight from a
    PDF span (before clean) takes after_clean=False."""
    if not text:
        return text or ""
    tables = _tables()
    if encoding == "tcvn3":
        if after_clean:
            text = _TCVN3_UNMOVE.sub(lambda m: ("U" if m.group(1) == "Ú" else "u") + ("Ý" if m.group(2) == "Y"
                                                                                    else "ý"), text)
            text = text.replace("\u0110", "\u00d0")
        text = text.replace("\u00ad", "ư")
        text = _tcvn3_words(text, tables, upper)
    elif encoding == "vni":
        if after_clean:
            for pattern, mark in _VNI_UNMOVE:
                text = pattern.sub(lambda m, mark=mark: _vni_unmove(m, mark), text)
        text = _vni_decode(text, tables)
    elif encoding != "unicode":
        raise ValueError(f"unknown encoding {encoding!r}; expected one of {', '.join(ENCODINGS)}")
    return unicodedata.normalize("NFC", text)


def span_to_unicode(text: str, font: str) -> str:
    """One text span of a PDF as Unicode, decoded by its font's encoding (unchanged for Unicode fonts)."""
    encoding = font_encoding(font)
    if encoding == "unicode":
        return text
    return to_unicode(text, encoding, upper=is_capitals_font(font) if encoding == "tcvn3" else None,
                      after_clean=False)


def from_unicode(text: str, encoding: str, upper_font: bool = False) -> str:
    """Unicode text in a legacy encoding (for tests and for making samples).

    TCVN3 writes capitals that have no code of their own with the lowercase byte, as a capitals font
    (".VnTimeH") would draw them; decode such text with `upper=True`, or let `to_unicode` guess per word.
    `upper_font` lowercases ASCII letters too, as typists did in the capitals font. Characters outside the
    tables pass unchanged."""
    text = unicodedata.normalize("NFC", text or "")
    if encoding == "unicode":
        return text
    tables = _tables()
    if encoding == "tcvn3":
        table = tables.tcvn3_encode
        return "".join(table.get(ch, ch.lower() if upper_font and ch.isascii() else ch) for ch in text)
    if encoding == "vni":
        table = tables.vni_encode
        return "".join(table.get(ch, ch) for ch in text)
    raise ValueError(f"unknown encoding {encoding!r}; expected one of {', '.join(ENCODINGS)}")


# ------------------------------------------------------------------------------------------- detection


@dataclass(frozen=True)
class Evidence:
    """Word counts behind a detection: words with letters; words that only TCVN3 explains (a byte that
    Unicode Vietnamese text never has: "KÕ", "ho¹ch"), and of those the ones VNI cannot explain either
    ("n¨m", "®Þa"); words that only VNI explains ("Keá", "hoaïch", "ñoàng"); words with Vietnamese
    letters only Unicode has (ă ơ ư ạ ... outside Latin-1)."""

    words: int = 0
    tcvn3: int = 0
    tcvn3_only: int = 0
    vni: int = 0
    unicode: int = 0
    tcvn3_kinds: int = 0  # distinct TCVN3 bytes seen in those words
    vni_kinds: int = 0  # distinct VNI letters (pairs and single bytes) seen in those words


_EDGE_PUNCT = re.compile(r"^[\"'“”‘’(\[{<]+|[\"'“”‘’)\]}>.,;:!?…]+$")


@dataclass(frozen=True)
class _Flags:
    letters: bool = False
    tcvn3: bool = False
    tcvn3_only: bool = False
    vni: bool = False
    unicode: bool = False
    tcvn3_seen: frozenset[str] = frozenset()
    vni_seen: frozenset[str] = frozenset()


def _token_flags(token: str, tables: _Tables) -> _Flags:
    """What one whitespace-separated token shows."""
    core = _EDGE_PUNCT.sub("", token)
    if not any(ch.isalpha() or ch in tables.tcvn3_decode for ch in core):
        return _Flags()
    uni = any(ch in tables.viet_only and ch not in "Đđ" for ch in core)
    legacy_chars = sum((ch.isascii() and ch.isalpha()) or ch in tables.tcvn3_decode for ch in core)
    marks = [ch for ch in core if ch in tables.tcvn3_marks or ch == "\u00ad"]
    tcvn3 = bool(marks) and legacy_chars >= 2
    if not tcvn3 and "-" in core and legacy_chars >= 2:  # "ng-êi": TCVN3 "ư" read as a hyphen
        tcvn3 = any(i + 1 < len(core) and core[i + 1] in _TCVN3_O_HORN for i, ch in enumerate(core) if ch == "-")
    only = tcvn3 and any(ch in tables.tcvn3_only for ch in marks)
    vni_seen = {core[i:i + 2] for i in range(len(core) - 1) if core[i:i + 2] in tables.vni_strong}
    vni_seen |= {ch for ch in core if ch in tables.vni_strong}
    vni = bool(vni_seen) and not only and not uni
    return _Flags(True, tcvn3 and not uni, only and not uni, vni, uni,
                  frozenset(marks) if tcvn3 and not uni else frozenset(), frozenset(vni_seen) if vni else frozenset())


def evidence(texts: list[str]) -> Evidence:
    """Count the words of `texts` that show each encoding."""
    tables = _tables()
    counts = [0, 0, 0, 0, 0]
    tcvn3_seen: set[str] = set()
    vni_seen: set[str] = set()
    for text in texts:
        for token in (text or "").split():
            f = _token_flags(token, tables)
            for i, flag in enumerate((f.letters, f.tcvn3, f.tcvn3_only, f.vni, f.unicode)):
                counts[i] += flag
            tcvn3_seen |= f.tcvn3_seen
            vni_seen |= f.vni_seen
    return Evidence(*counts, len(tcvn3_seen), len(vni_seen))


def detect_encoding(texts: list[str], font_names: list[str] | None = None) -> str:
    """'tcvn3', 'vni' or 'unicode' for a document's texts, its font names first.

    A legacy font name decides (".VnTime" -> tcvn3, "VNI-Times" -> vni; fonts of both kinds: the content
    breaks the tie). Without one, the content must show it: at least 3 words, and 15% of all words,
    that only the legacy encoding explains, with at least 6 different legacy letters among them (a
    Vietnamese text uses dozens; "où", "maïs", "île" are a handful), and more such words than words with
    Unicode-only Vietnamese letters. TCVN3 wins over VNI when more words show bytes VNI never uses
    (¸ µ ® ¬ ...) than show VNI marks, and needs such words to be 15% of all too. Latin-1 letters that
    Unicode Vietnamese uses (é ô ...) never count, and the few that French, German or Spanish use
    (ç ë ï ü ä ö ñ ß) stay well below those shares in real text: such texts stay 'unicode'."""
    fonts = {font_encoding(name) for name in font_names or []} - {"unicode"}
    if len(fonts) == 1:
        return fonts.pop()
    if not fonts and _mostly_unicode_words(texts):
        return "unicode"  # legacy words could never outnumber them (the rule below): skip the word-by-word count
    ev = evidence(texts)
    content = "tcvn3" if ev.tcvn3_only >= ev.vni else "vni"
    if fonts:
        return content
    # TCVN3 must also show its own bytes (¸ µ ® ...) in 15% of the words: German "ö ü ä" are TCVN3 bytes too.
    hits, kinds, own = (ev.tcvn3, ev.tcvn3_kinds, ev.tcvn3_only) if content == "tcvn3" else (ev.vni, ev.vni_kinds,
                                                                                             ev.vni)
    if hits >= 3 and kinds >= 6 and min(hits, own) >= 0.15 * ev.words and hits > ev.unicode:
        return content
    return "unicode"


def _mostly_unicode_words(texts: list[str]) -> bool:
    """More than half the words carry a Unicode-only Vietnamese letter: a cheap, sure sign of Unicode text."""
    only = _tables().viet_only - {"Đ", "đ"}
    words = unicode_words = 0
    for text in texts:
        for token in (text or "").split():
            words += 1
            unicode_words += not only.isdisjoint(token)
    return unicode_words * 2 > words


def looks_legacy(text: str, encoding: str) -> bool:
    """Does this one line read as `encoding` rather than Unicode? (For documents that mix both.)"""
    if encoding not in ("tcvn3", "vni"):
        return False
    tables = _tables()
    flags = [_token_flags(token, tables) for token in (text or "").split()]
    if any(f.unicode for f in flags):
        return False
    if encoding == "tcvn3":
        return any(f.tcvn3 for f in flags) or "\u00ad" in (text or "")
    return any(f.vni for f in flags)


def has_unicode_vietnamese(text: str) -> bool:
    """Letters only Unicode Vietnamese has (ă ơ ư ạ ... outside Latin-1; Đ/đ not counted: see to_unicode)."""
    only = _tables().viet_only
    return any(ch in only and ch not in "Đđ" for ch in text or "")
