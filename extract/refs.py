"""Legal-basis references: the "Căn cứ ..." preamble (and every other citation) → `Reference` rows.

The stage joins the document's lines into paragraphs, finds the preamble between the title and the
operative part, and parses every cited document in it and in the rest of the text. Sections:

    can_cu    the basis paragraphs: "Căn cứ ...", and "Thực hiện ..." / "Theo ..." when they cite a
              document (a title line starting "Thực hiện ..." is not a basis)
    proposal  "Theo đề nghị của ... tại Tờ trình số ...", "Xét Tờ trình số ...", and what follows
              them in that paragraph
    body      every other citation: later in the text, in the header or title, or cited inside another
              reference's title ("... sửa đổi một số điều của Thông tư số 85/2019/TT-BTC")
    portal    the lists a legal portal adds around the document (doc.portal_lines), never mixed in

The operative part starts at the first paragraph after the preamble that does not open with a basis
word ("Ủy ban nhân dân tỉnh ban hành Kế hoạch ...", "QUYẾT ĐỊNH:", "I. MỤC ĐÍCH", "Điều 1."), or right
after a basis paragraph that ends in ":" and announces it ("... ban hành Kế hoạch ... như sau:").

Each distinct document (by canonical symbol) appears once per citing document, at its first position
in the best section it has (can_cu before proposal before body); the document citing itself ("Kèm theo
Kế hoạch số 355/KH-UBND ...", found by doc.meta.doc_number or the "Số: ..." header line) is left out.
Portal rows are deduplicated among themselves and come last. `ref_order` numbers the kept rows 1..n in
order of appearance.

Choices worth knowing:

- Lines: PDF lines are visual lines. A paragraph ends at ".", ";" or ":" before a capital, at a new
  PyMuPDF block that opens like a paragraph, and always before a line starting "Căn cứ" / "Xét"; a
  line ending in a hyphen glued to a word ("04/HD-" + "ĐCT") goes on without a space. When a file gives
  every line its own block the blocks are ignored. Page numbers and numbers stamped into blanks at a
  page's top or bottom are dropped. HTML/DOCX lines are paragraphs already and are not joined.
- Matching runs on a key: the NFC text with diacritics stripped (Đ → D) and look-alike dashes unified,
  one character for one character, so every match maps back to the text as printed (`symbol_raw`,
  `issuer_raw` and `raw` are slices of the NFC text with whitespace collapsed). Function words ("của",
  "do", "tại", ...) are matched on the text itself, where "đô thị" cannot read as "do thi".
- Symbols: "1719/QĐ-TTg", "39/2021/QĐ-TTg", "435/KH-ĐCT-DTTG", Party "06-NQ/TU", and a bare
  number/year after a type word ("Thông tư 24/2020"); stray spaces around "/" and "-" are allowed.
  Canonical `symbol`: normalize.text.clean (NFC, Đ U+0110, hyphen-minus) without spaces.
- Laws without a number ("Luật Tổ chức chính quyền địa phương ngày 19/6/2015", "Bộ luật Lao động",
  "Pháp lệnh ...", "Hiến pháp ...") are references whose `symbol` is the law's name as printed,
  starting with its type word ("Luật Tổ chức chính quyền địa phương"; an amendment law reads "Luật sửa
  đổi, ..." in lower case whatever the print), without the year, which goes to `year`/`issue_date`.
  A law named inside an amendment's name ("Luật sửa đổi, bổ sung một số điều của Luật A và Luật B") is
  part of that name, not a reference; "dự thảo Luật ..." is not a document. In the body a law counts
  only with a date, a year or a number next to it.
- `doc_type` comes from the word before the number (or "số") first, the symbol's abbreviation second
  (QĐ → Quyết định, ...; a symbol with neither a type abbreviation nor a year, "1234/UBND-VX", is a
  Công văn).
- `issuer` is the "của ..." phrase (or "do ... ban hành"; in a proposal also "đề nghị của X tại Tờ
  trình ..."). A reference naming none takes the issuer of the next reference when only "và" or ","
  separates them ("A ngày .. và B ngày .. của X"), else the previous reference's in the paragraph; in
  both cases only when the two symbols share the issuing body's code ("43/KH-ĐCT", "04/HD-ĐCT": ĐCT),
  so a Thông tư of the Bộ Tài chính never inherits the Thủ tướng. Laws inherit nothing. Canonical
  form: abbreviations expanded (UBND, HĐND, TW, LHPN, MTTQ, ...), the usual capitalisation ("Hội đồng
  nhân dân", "Đoàn Chủ tịch", "Ủy ban Dân tộc"), and an issuer ending in "tỉnh" or "Tỉnh ủy"
  completed with doc.meta.province.
- `issue_date` only from a date printed next to the reference ("ngày 14/10/2021", "ngày 14 tháng 10
  năm 2021", with or without a comma); an impossible date gives ''. Portal items carry "năm 2021",
  which is a year only.
- `title` is the trích yếu after the date/issuer, up to the next sibling reference or the end of the
  clause (a reference nested in it stays in it); in the body only when it starts like one ("về ...",
  "phê duyệt ...", "quy định ...").
- `raw` is the clause (up to ";" or the end of the sentence) the reference stands in; `page` is the
  page of the line where the reference starts (None for HTML).
- Warnings (stage 'refs'): `ref_unparsed` for a clause of a basis paragraph that looks like a citation
  (a type word followed by a number or "số", a date, or a "12/..." fragment) but gives no reference;
  the clause is kept in the message. Basis paragraphs that cite nothing on purpose ("Căn cứ nhiệm vụ
  của Hội ... được giao ...", "Căn cứ chức năng, nhiệm vụ ...") do not warn. A numberless document
  with a date ("Biên bản ... ngày 07/6/2024 của Đoàn Kiểm tra ...") does warn: it is a citation this
  stage cannot turn into a row. `ref_error` if a paragraph made the parser fail (never expected; the
  rest of the document still goes through).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, is_dataclass
from datetime import date
from functools import lru_cache
from itertools import islice

from normalize.text import clean, fold, squeeze

from .model import Document, Line, Reference

STAGE = "refs"
SECTIONS = ("can_cu", "proposal", "body", "portal")
_SECTION_RANK = {"can_cu": 0, "proposal": 1, "body": 2}

# --------------------------------------------------------------------------------------------------
# The key: a length-preserving, diacritics-free, case-preserving copy of the text.


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
_WS = re.compile(r"\s+")


def _norm(text: str) -> str:
    """NFC, invisible characters dropped, whitespace collapsed: the text as printed that raw fields slice."""
    text = unicodedata.normalize("NFC", text or "")
    return _WS.sub(" ", _INVISIBLE.sub("", text)).strip()


def _key(raw: str) -> str:
    return raw.translate(_KEY_TABLE)


# --------------------------------------------------------------------------------------------------
# Document types.

_TYPE_WORDS = [
    "Quyết định", "Nghị quyết liên tịch", "Nghị quyết", "Kế hoạch", "Hướng dẫn", "Thông tư liên tịch",
    "Thông tư", "Nghị định", "Bộ luật", "Luật", "Pháp lệnh", "Công văn", "Công điện", "Chỉ thị",
    "Thông báo", "Thông tri", "Tờ trình", "Chương trình", "Đề án", "Báo cáo", "Kết luận", "Quy định",
    "Quy chế", "Văn bản",
]
_TYPE_BY_KEY = {_key(w).lower(): w for w in _TYPE_WORDS}
_TYPE_BY_KEY["van ban"] = ""  # "văn bản số ..." says nothing: the symbol decides
# Abbreviations printed as a type word ("KH số 43/KH-ĐCT") and as the type part of a symbol (key spelling).
# ("HĐ" reads "HD" on the key: "24/HĐ-ĐCT" without a type word is a Hướng dẫn too.)
_TYPE_BY_ABBR = {
    "QD": "Quyết định", "NQ": "Nghị quyết", "NQLT": "Nghị quyết liên tịch", "KH": "Kế hoạch",
    "HD": "Hướng dẫn", "TT": "Thông tư", "TTLT": "Thông tư liên tịch", "ND": "Nghị định", "CT": "Chỉ thị",
    "TB": "Thông báo", "TTr": "Tờ trình", "CTr": "Chương trình", "DA": "Đề án", "BC": "Báo cáo",
    "KL": "Kết luận", "QDi": "Quy định", "QC": "Quy chế", "CD": "Công điện", "CV": "Công văn",
}
_TYPE_ABBR_WORDS = ("QD", "NQ", "KH", "HD", "TT", "ND", "CV", "CT", "TB", "TTr", "CTr", "BC", "KL")
_LAW_TYPES = {"Luat": "Luật", "Bo luat": "Bộ luật", "Phap lenh": "Pháp lệnh", "Hien phap": "Hiến pháp"}


def _alt(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", "[ ]{1,2}") for w in sorted(words, key=len, reverse=True))


_SP = "[ ]{0,3}"
# One part of a symbol after "/" or "-": 2+ characters, upper case or digits, at most one trailing lower case
# letter ("TTg", "QĐi", "TTr", "UBND", "QH13", "A03").
_ABBR = r"(?-i:[A-Z][A-Z0-9]{1,12}[a-z]?)(?![A-Za-z0-9])"
_NUM = r"(?<!\d)\d{1,6}"
_SYMBOL = (
    rf"{_NUM}(?:{_SP}-{_SP}{_ABBR}{_SP}/{_SP}{_ABBR}|(?:{_SP}/{_SP}(?:19|20)\d\d)?{_SP}/{_SP}{_ABBR})"
    rf"(?:{_SP}-{_SP}{_ABBR}){{0,4}}"
)
_REF_RE = re.compile(
    rf"""(?<![A-Za-z])(?:
        (?P<type>{_alt(_TYPE_BY_KEY)}|(?-i:{"|".join(_TYPE_ABBR_WORDS)}))
            [ ]{{1,3}}(?:so[ ]{{0,3}}[:.]?[ ]{{0,3}})?
            (?:(?P<sym>{_SYMBOL})|(?P<numyear>\d{{1,6}}[ ]{{0,2}}/[ ]{{0,2}}(?:19|20)\d\d)(?![\w/]))
      | (?-i:so|So|SO)[ ]{{1,3}}(?P<sym2>{_SYMBOL})
      | (?P<law>(?-i:{_alt(_LAW_TYPES)}))(?=[ ])
    )""",
    re.X | re.I,
)
_NEXT_BARE = re.compile(rf"[ ]{{0,2}}(?:,|;|va)[ ]{{0,3}}(?:(?-i:so)[ ]{{1,3}})?(?P<sym>{_SYMBOL})", re.I)
_LAW_NUMBER = re.compile(rf"[ ]so[ ]{{0,2}}[:.]?[ ]{{0,2}}(?P<sym>{_SYMBOL})", re.I)
# Where a law's name ends: a date, a number, a year, punctuation, the next cited document.
_LAW_END = re.compile(
    r"[ ]?,?[ ]?ngay[ ]{0,2}\d|[ ]so[ ]{0,2}\d|[ ]nam[ ](?:19|20)\d\d|[ ]?[;:(\"“”]|\.(?:[ ]|$)"
    r"|,[ ](?=(?:Luat|Bo luat|Phap lenh|Nghi dinh|Nghi quyet|Quyet dinh|Thong tu|Can cu)\b)|$"
)
# ... or a function word, except in an amendment ("Luật sửa đổi, bổ sung một số điều của Luật A và Luật B").
# Function words are matched on the text itself: on the key "đô thị" would read "do thi".
_LAW_END_WORDS = re.compile(r"[ ](?:của|do|đã|được|và các|theo|tại|trong|thì|nhằm)[ ]", re.I)
_LAW_AND = re.compile(r"[ ]va[ ](?=(?:Luat|Bo luat|Phap lenh)[ ])")
_DATE_AT = re.compile(
    r"[ ]{0,3},?[ ]{0,3}(?:\([ ]{0,2})?(?:ban hanh[ ]{1,2})?ngay[ ]{0,3}(\d{1,2})[ ]{0,2}"
    r"(?:thang[ ]{0,3}|[/.\-][ ]{0,2})(\d{1,2})[ ]{0,2}(?:nam[ ]{0,3}|[/.\-][ ]{0,2})(\d{4})(?!\d)"
    r"(?:[ ]{0,2}\))?",
    re.I,
)
_YEAR_AT = re.compile(r"[ ]{0,2},?[ ]{0,2}nam[ ]{1,2}((?:19|20)\d\d)(?!\d)", re.I)
# These run on the text, not the key (see _LAW_END_WORDS).
_CUA_AT = re.compile(r"[ ]{0,2},?[ ]{0,2}của[ ]", re.I)
_DO_AT = re.compile(r"[ ]{0,2},?[ ]{0,2}do[ ]", re.I)
_DO_END = re.compile(r"[ ]do[ ]")
_BAN_HANH_AT = re.compile(r"[ ]{0,2}ban hanh\b", re.I)
_TITLE_KEYS = re.compile(
    r"(?:ve|v/v|phe duyet|quy dinh|huong dan|ban hanh|sua doi|bo sung|trien khai|thuc hien|giao|phan bo"
    r"|kien toan|thanh lap|cong bo|dieu chinh)\b",
    re.I,
)
_CLAUSE_END = re.compile(r";|\.(?=[ ]+[A-Z\"“(])")
_OPENER = re.compile(
    r"(?:[-+•*][ ]*)?(?P<w>Can cu|CAN CU|Thuc hien|THUC HIEN|Theo|THEO|Xet|XET|Tren co so)\b"
)
_PROPOSAL_OPENER = re.compile(
    r"(?:[-+•*][ ]*)?(?:Theo[ ](?:de nghi|de xuat|To trinh|y kien)|Xet\b|XET\b"
    r"|Tren co so[ ](?:de nghi|To trinh))",
    re.I,
)
_OPERATIVE = re.compile(
    r"(?:QUYET DINH|QUYET NGHI|NGHI QUYET|CHI THI|KET LUAN|QUY DINH)[ ]?:|[IVXLC]{1,6}[ ]?[.)][ ]+\S"
    r"|Dieu[ ]1\b|PHAN[ ](?:I|1|THU NHAT)\b|Phan[ ](?:I|1|thu nhat)\b"
)
_CITING_LOOK = re.compile(
    rf"(?:{_alt(_TYPE_BY_KEY)})[ ]{{1,2}}(?:so\b|\d)|\bngay[ ]{{0,2}}\d{{1,2}}[ ]{{0,2}}(?:/|thang)"
    r"|\b\d{1,6}[ ]?/[ ]?[A-Z]",
    re.I,
)
_TERMINAL = ".;:!?…"
_TITLE_TRAIL = re.compile(r"(?:(?:^|[ ,;.]+)(?:và|và các|cùng|theo|của|tại|với)|[ ,;.]+)+$")


# --------------------------------------------------------------------------------------------------
# Paragraphs.


@dataclass
class _Para:
    raw: str
    key: str
    offsets: list[int]  # where each joined line starts in raw
    pages: list[int | None]

    def page_at(self, pos: int) -> int | None:
        return self.pages[max(0, bisect.bisect_right(self.offsets, pos) - 1)] if self.pages else None


def _para(text: str, page: int | None) -> _Para:
    raw = _norm(text)
    return _Para(raw, _key(raw), [0], [page])


# At a page's top or bottom: a page number ("2", "- 2 -", "Trang 2") or numbers stamped into blanks
# ("807", "04   11").
_PAGE_NUMBER = re.compile(r"(?:Trang[ ])?[-–— ]*\d{1,4}\.?[-–— ]*|\d{1,4}(?:[ ]+\d{1,4}){1,2}")
_STRONG_START = re.compile(
    r"(?:Can cu|CAN CU|Xet|QUYET DINH|QUYET NGHI|Dieu[ ]\d|[IVXLC]{1,6}[ ]?[.)][ ]+\S)"
)
_ALWAYS_START = re.compile(r"(?-i:Can cu|CAN CU|Xet|XET)\b")  # capitalised, these never continue a sentence
_MEDIUM_START = re.compile(r"(?:Thuc hien|THUC HIEN|Theo|THEO|Tren co so)\b")
_WEAK_START = re.compile(r"(?:[-+•*][ ]|\d{1,2}(?:\.\d{1,2})*[.)][ ]|[a-zđ]\)[ ])")


def _drop_page_numbers(lines: list[Line]) -> list[Line]:
    """Lines that are only a page number (or a stamped number) at the top or bottom of a page go."""
    by_page: dict[int, list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        by_page[line.page].append(i)
    drop: set[int] = set()
    for page, idx in by_page.items():
        if not page:
            continue
        edge = idx[:2] + idx[-3:]
        drop.update(i for i in edge if _PAGE_NUMBER.fullmatch(_WS.sub(" ", lines[i].text.strip())))
    return [line for i, line in enumerate(lines) if i not in drop]


def lines_to_paragraphs(lines: list[Line], join: bool = True) -> list[_Para]:
    """Visual lines → paragraphs (a sentence continues on the next Line); join=False keeps one line each."""
    lines = [line for line in _drop_page_numbers(list(lines)) if line.text and line.text.strip()]
    blocks = {(line.page, line.block) for line in lines}
    blocks_reliable = len(blocks) < 0.8 * len(lines) if lines else False
    paras: list[_Para] = []
    cur: list[tuple[str, int | None]] = []
    prev: Line | None = None

    def flush() -> None:
        if not cur:
            return
        parts: list[str] = []
        offsets, pages = [], []
        length = 0
        for text, page in cur:
            if parts:
                last = parts[-1]
                sep = "" if last.endswith("-") and len(last) > 1 and last[-2] != " " else " "
                parts.append(sep)
                length += len(sep)
            offsets.append(length)
            pages.append(page)
            parts.append(text)
            length += len(text)
        raw = "".join(parts)
        paras.append(_Para(raw, _key(raw), offsets, pages))
        cur.clear()

    for line in lines:
        text = _norm(line.text)
        if not text:
            continue
        if line.text.rstrip().endswith("\u00ad"):
            text += "-"  # soft hyphen at the end: the word goes on without a space
        page = line.page or None
        if prev is not None and join:
            ptext = cur[-1][0] if cur else ""
            terminal = ptext.endswith(tuple(_TERMINAL)) or ptext.endswith((".)", ";)", ":)"))
            k = _key(text[:24])
            new_block = blocks_reliable and (line.page, line.block) != (prev.page, prev.block)
            # Without reliable blocks (one block per line) only punctuation and openers tell paragraphs apart.
            unreliable = not blocks_reliable
            boundary = new_block or unreliable
            if (
                (terminal and boundary and not text[0].islower())
                or _ALWAYS_START.match(k)
                or (_STRONG_START.match(k) and (terminal or new_block or (unreliable and ptext.isupper())))
                or (_MEDIUM_START.match(k) and (terminal or new_block))
                or (new_block and _WEAK_START.match(k))
            ):
                flush()
        elif prev is not None:
            flush()
        cur.append((text, page))
        prev = line
    flush()
    return paras


# --------------------------------------------------------------------------------------------------
# Issuers.

# An issuer is a run of capitalised words ("Thủ tướng Chính phủ": a lower-case syllable may follow a
# capitalised one), the lower-case words of administrative names, and "và"/"-" inside a ministry's name.
# It stops where the title starts ("về ...", "phê duyệt ...", "Quy định ...") or the sentence goes on.
_LOWER_ALLOW = {
    "nhân", "dân", "tỉnh", "huyện", "quận", "thị", "xã", "thành", "phố", "phường", "trấn", "tịch", "tộc",
    "đồng", "ương", "ủy", "hội", "nước", "thôn", "vụ", "trực", "hành", "bộ",
}
_LOWER_STOP = {
    "về", "việc", "tại", "theo", "trong", "nhằm", "để", "cho", "là", "với", "đối", "trên", "ngày", "năm",
    "tháng", "từ", "đến", "đã", "được", "như", "gồm", "thì", "khi", "nếu", "hoặc", "phê", "quy", "sửa",
    "hướng", "bổ", "triển", "thực", "phân", "kiện", "điều", "chỉ", "tăng", "đẩy", "ban", "cụ", "sau", "này",
    "đó", "các", "những", "giao", "tổ", "công", "có", "không", "do", "của", "số",
}
_STOP_BIGRAMS = {
    "ban hành", "thành lập", "hướng dẫn", "phê duyệt", "quy định", "sửa đổi", "bổ sung", "triển khai",
    "thực hiện", "phân bổ", "kiện toàn", "công bố", "điều chỉnh", "chỉ đạo", "tổ chức", "tăng cường",
    "đẩy mạnh", "về việc", "giao dự", "giao chỉ", "giao nhiệm", "giao kế",
}
_CAP_STOP = {
    "về", "v/v", "phê duyệt", "quy định", "ban hành", "hướng dẫn", "sửa đổi", "triển khai", "thực hiện",
    "giao", "phân bổ", "kiện toàn", "thành lập", "công bố", "căn cứ", "theo", "xét",
}
_AND_HEADS = {"bộ", "sở", "phòng", "cục", "vụ", "viện", "trường", "tổng cục"}
_ORG_HEADS = _AND_HEADS | {"ủy", "uỷ", "hội", "ban", "đoàn", "thủ", "chính", "tỉnh", "huyện", "ubnd", "hđnd"}
_ISSUER_WORD = re.compile(r"\S+")
_MAX_ISSUER_WORDS = 20


@lru_cache(maxsize=16384)
def _lc(word: str) -> str:
    return clean(word).lower()


def _scan_issuer(raw: str, start: int, ref_starts: set[int], limit: int) -> int:
    """End offset of the issuer phrase that starts at `start` (== start when there is none)."""
    found = _ISSUER_WORD.finditer(raw, start, min(limit, start + 300))
    words = [(m.start(), m.end(), m.group()) for m in islice(found, _MAX_ISSUER_WORDS + 1)]
    end = start
    head = ""
    for i, (ws, _, word) in enumerate(words[:_MAX_ISSUER_WORDS]):
        if ws in ref_starts or word[0] in "(\"“”'‘[" or any(ch.isdigit() for ch in word) or "/" in word:
            break
        core = word.rstrip(",;.:)”\"'")
        punct = word[len(core):]
        if not core:
            break
        low = _lc(core)
        nxt = _lc(words[i + 1][2].rstrip(",;.:)”\"'")) if i + 1 < len(words) else ""
        prev = words[i - 1][2] if i else ""
        bigram = f"{low} {nxt}"
        if core[0].isupper():
            if i and (low in _CAP_STOP or bigram in _CAP_STOP):
                break
            if i == 0 and low in {"căn", "theo", "xét"}:
                break
        elif core in ("-", "–"):
            if not (nxt and words[i + 1][2][0].isupper()):
                break
        elif low == "và":
            next_upper = bool(nxt) and words[i + 1][2][0].isupper() and words[i + 1][0] not in ref_starts
            if not (next_upper and head in _AND_HEADS):  # "Bộ Kế hoạch và Đầu tư", not "Ủy ban X và Khu vực"
                break
        else:
            lprev = _lc(prev)
            giao = low == "giao" and lprev == "ngoại"  # Bộ Ngoại giao
            stop = bigram in _STOP_BIGRAMS or (low in _LOWER_STOP and not giao)
            in_name = (low == "ban" and lprev in ("ủy", "uỷ")) or (low == "bộ" and lprev == "đảng")
            if stop and not in_name:
                break
            if not (low in _LOWER_ALLOW or (prev and prev[0].isupper())):
                break
        if core[0].isupper() and (low in _ORG_HEADS or bigram in _AND_HEADS):
            head = bigram if bigram in _AND_HEADS else low
        end = ws + len(core)
        if punct:
            if punct.startswith(",") and nxt and words[i + 1][2][0].isupper() and (
                (head in _AND_HEADS and low != "trưởng") or _lc(raw[start:end]) == "bộ trưởng"
            ) and words[i + 1][0] not in ref_starts and nxt not in _CAP_STOP:
                continue
            break
    # No dangling connectors at the end.
    while True:
        tail = raw[start:end].rsplit(" ", 1)
        if len(tail) == 2 and _lc(tail[1]) in ("và", "-", "–", ","):
            end = start + len(tail[0])
            continue
        break
    text = raw[start:end]
    if not text or not (text[0].isupper()):
        return start
    return end


_ABBR_EXPANSIONS = {
    "UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân", "TW": "Trung ương", "TƯ": "Trung ương",
    "LHPN": "Liên hiệp Phụ nữ", "HLHPN": "Hội Liên hiệp Phụ nữ", "VN": "Việt Nam",
    "MTTQ": "Mặt trận Tổ quốc", "UBMTTQ": "Ủy ban Mặt trận Tổ quốc", "BCH": "Ban Chấp hành",
    "BTV": "Ban Thường vụ", "UBDT": "Ủy ban Dân tộc", "CP": "Chính phủ", "TP": "thành phố",
    "TP.": "thành phố", "TX": "thị xã", "TX.": "thị xã", "LĐTBXH": "Lao động - Thương binh và Xã hội",
    "CTUBND": "Chủ tịch Ủy ban nhân dân",
}
# Canonical spelling of the usual name parts, matched diacritics- and case-insensitively (so "Hội đồng
# Nhân dân" and the typo "Thủ tướng Chỉnh phủ" come out right); longest first.
_CANON_PHRASES = [
    "Ủy ban Thường vụ Quốc hội", "Ủy ban nhân dân", "Hội đồng nhân dân", "Đoàn Chủ tịch",
    "Thủ tướng Chính phủ", "Chính phủ", "Trung ương Hội", "Trung ương", "Hội Liên hiệp Phụ nữ Việt Nam",
    "Liên hiệp Phụ nữ", "Ủy ban Dân tộc", "Ban Chấp hành", "Ban Thường vụ", "Thường trực", "Tỉnh ủy",
    "Huyện ủy", "Thành ủy", "Thị ủy", "Đảng ủy", "Bộ trưởng", "Chủ tịch", "Mặt trận Tổ quốc", "Việt Nam",
    "Quốc hội", "Bộ Chính trị", "Ban Bí thư", "Bộ Tài chính", "Bộ Công an", "Bộ Xây dựng", "Bộ Nội vụ",
    "Bộ Tư pháp", "Bộ Y tế", "Bộ Kế hoạch và Đầu tư", "Lao động - Thương binh và Xã hội",
    "Bộ Giáo dục và Đào tạo", "Bộ Nông nghiệp và Phát triển nông thôn", "Bộ Tài nguyên và Môi trường",
    "Bộ Thông tin và Truyền thông", "Đảng bộ", "thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận",
    "phường", "xã",
]
_CANON_TOKENS = sorted(
    ((tuple(fold(w) for w in p.split()), p.split()) for p in _CANON_PHRASES), key=lambda t: -len(t[0])
)


_ISSUER_TOKEN = re.compile(r"[^\s,]+|,")


@lru_cache(maxsize=4096)
def canonical_issuer(issuer_raw: str, province: str = "") -> str:
    """'UBND tỉnh' → 'Ủy ban nhân dân tỉnh <province>', 'Hội đồng Nhân dân' → 'Hội đồng nhân dân', ..."""
    text = clean(issuer_raw).strip(" ,;.:-–")
    if not text:
        return ""
    tokens: list[str] = []
    for tok in _ISSUER_TOKEN.findall(text):
        tokens.extend(_ABBR_EXPANSIONS.get(tok, tok).split())
    folded = [fold(t) for t in tokens]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for key, canon in _CANON_TOKENS:
            if tuple(folded[i:i + len(key)]) == key:
                if canon[0][0].islower() and not out:  # a place word opening the issuer keeps its capital
                    canon = [canon[0][0].upper() + canon[0][1:]] + canon[1:]
                out.extend(canon)
                i += len(key)
                break
        else:
            out.append(tokens[i])
            i += 1
    result = " ".join(out).replace(" ,", ",")
    if province and (out[-1] == "tỉnh" or result.endswith(("Tỉnh ủy",))):
        result = f"{result} {clean(province)}"
    return result


_TYPE_ABBRS_UPPER = {a.upper() for a in _TYPE_BY_ABBR}


def _org_code(symbol: str) -> str | None:
    """The issuing body's code in a symbol ('43/KH-ĐCT' → 'DCT', '06-NQ/TU' → 'TU'); None if it has none."""
    key = _key(squeeze(symbol)).upper()
    if "/" not in key:
        return None
    if re.match(r"\d+-", key):  # Party: 06-NQ/TU
        return key.split("/", 1)[1].split("-")[0] or None
    parts = [p for p in key.split("/")[1:] if not re.fullmatch(r"(?:19|20)\d\d", p)]
    if not parts:
        return None
    segs = parts[0].split("-")
    if segs[0] in _TYPE_ABBRS_UPPER:
        return segs[1] if len(segs) > 1 else None
    return segs[0]


def _type_from_symbol(symbol: str) -> str:
    key = _key(squeeze(symbol))
    if re.match(r"\d+-", key):
        abbr = key.split("/", 1)[0].split("-", 1)[1]
        return _TYPE_BY_ABBR.get(abbr, "")
    parts = key.split("/")[1:]
    has_year = bool(parts) and re.fullmatch(r"(?:19|20)\d\d", parts[0]) is not None
    parts = [p for p in parts if not re.fullmatch(r"(?:19|20)\d\d", p)]
    if not parts:
        return ""
    first = parts[0].split("-")[0]
    if first in _TYPE_BY_ABBR:
        return _TYPE_BY_ABBR[first]
    return "" if has_year or re.fullmatch(r"QH\d*", first) else "Công văn"


# --------------------------------------------------------------------------------------------------
# One paragraph → references.


@dataclass
class _Cand:
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


def _iso(d: str, m: str, y: str) -> str:
    """The date as printed, ISO; '' when it is impossible (31/02) or out of range (OCR noise)."""
    try:
        return date(int(y), int(m), int(d)).isoformat() if 1900 <= int(y) <= 2099 else ""
    except ValueError:
        return ""


def _symbol_fields(sym_raw: str) -> tuple[str, str, int | None]:
    symbol = squeeze(clean(sym_raw))
    number = re.match(r"\d+", symbol)
    year = re.match(r"\d+/((?:19|20)\d\d)(?:/|$)", symbol)
    return symbol, number.group() if number else "", int(year.group(1)) if year else None


def _law_candidate(raw: str, key: str, m: re.Match, body: bool) -> _Cand | None:
    name_start = m.end() + 1
    limit = min(len(key), name_start + 220)
    amendment = key[name_start:name_start + 7].lower() == "sua doi"
    end_m = _LAW_END.search(key, name_start, limit)
    if end_m is None or (end_m.start() == limit and limit < len(key)):
        return None
    name_end = end_m.start()
    word_m = None if amendment else _LAW_END_WORDS.search(raw, name_start, name_end + 1)
    if word_m:
        name_end = word_m.start()
    if not amendment:
        and_m = _LAW_AND.search(key, name_start, name_end)
        if and_m:
            name_end = and_m.start()
    name = raw[name_start:name_end].rstrip(" ,-")
    law_type = _LAW_TYPES[key[m.start():m.end()]]
    if not name or len(name.split()) > 30 or not (name[0].isupper() or amendment or law_type == "Hiến pháp"):
        return None
    # An amendment names the law(s) it amends; a draft ("dự thảo Luật ...") is not a document yet.
    draft = key[max(0, m.start() - 8):m.start()].lower().endswith("du thao ")
    if draft or (amendment and "luat" not in _key(name).lower()):
        return None
    rest = key[name_end:name_end + 16]
    if body and not re.match(r"[ ]?,?[ ]?(?:ngay[ ]{0,2}\d|so[ ]|nam[ ]\d)", rest.lstrip()):
        return None
    if amendment:
        name = "sửa đổi" + name[7:]
    symbol_raw = raw[m.start():name_start + len(name)]
    symbol = clean(f"{law_type} {name}")
    cand = _Cand(m.start(), name_start + len(name), law_type, symbol_raw, symbol, is_law=True)
    cand.title = clean(symbol_raw)
    num = _LAW_NUMBER.match(key, cand.core_end)
    if num:
        sym_raw = raw[num.start("sym"):num.end("sym")]
        cand.symbol_raw = sym_raw
        cand.symbol, cand.number, cand.year = _symbol_fields(sym_raw)
        cand.core_end = num.end()
    return cand


def _find_candidates(raw: str, key: str, body: bool) -> list[_Cand]:
    cands: list[_Cand] = []
    pos = 0
    while True:
        m = _REF_RE.search(key, pos)
        if m is None:
            break
        if m.group("law"):
            cand = _law_candidate(raw, key, m, body)
            if cand is None:
                pos = m.end()
                continue
        else:
            group = "sym" if m.group("sym") else "numyear" if m.group("numyear") else "sym2"
            sym_raw = raw[m.start(group):m.end(group)]
            symbol, number, year = _symbol_fields(sym_raw)
            if group == "numyear":
                year = int(symbol.split("/")[1])
            word = m.group("type")
            doc_type = ""
            if word:
                wkey = re.sub(r"[ ]+", " ", word)
                in_abbr = wkey in _TYPE_ABBR_WORDS
                doc_type = _TYPE_BY_ABBR[wkey] if in_abbr else _TYPE_BY_KEY.get(wkey.lower(), "")
            doc_type = doc_type or _type_from_symbol(symbol)
            cand = _Cand(m.start(), m.end(group), doc_type, sym_raw, symbol, number, year)
        cands.append(cand)
        pos = cand.core_end
        # Bare symbols listed after this one ("Quyết định số 1719/QĐ-TTg, 861/QĐ-TTg").
        while not cand.is_law:
            after = _DATE_AT.match(key, pos)
            nxt = _NEXT_BARE.match(key, after.end() if after else pos)
            if nxt is None:
                break
            sym_raw = raw[nxt.start("sym"):nxt.end("sym")]
            symbol, number, year = _symbol_fields(sym_raw)
            own = _type_from_symbol(symbol)
            same = _type_from_symbol(cand.symbol) in ("", own) or own in ("", "Công văn")
            doc_type = cand.doc_type if same else own
            cand = _Cand(nxt.start("sym"), nxt.end("sym"), doc_type, sym_raw, symbol, number, year)
            cands.append(cand)
            pos = cand.core_end
    return cands


def _clauses(key: str) -> list[int]:
    """Start offsets of the clauses (split at ';' and at sentence ends)."""
    return [0] + [m.end() for m in _CLAUSE_END.finditer(key)]


_TOP_BEFORE = re.compile(
    r"(?:^|[;,:]|\b(?:va|cung|va cac|cac|Can cu|CAN CU|can cu vao|Can cu vao|Can cu theo|Thuc hien|Theo|Xet"
    r"|Tren co so|dong thoi))[ ]*$"
)
_TAI_BEFORE = re.compile(r"[ ]tại[ ]*$", re.I)  # on the text
_CONNECTOR_ONLY = re.compile(r"[ ]*(?:,|va|,[ ]*va|;)?[ ]*")
_SPACES_AT = re.compile(r"[ ]*")
_NOT_A_TITLE = re.compile(r"(?:va|cung|dong thoi|hoac)\b", re.I)


def _parse_paragraph(para: _Para, province: str, section: str) -> list[Reference]:
    """All references of one paragraph; `section` is the paragraph's (can_cu / proposal / body / portal)."""
    raw, key = para.raw, para.key
    if not raw:
        return []
    basis = section in ("can_cu", "proposal")
    cands = _find_candidates(raw, key, body=section == "body")
    if not cands:
        return []
    clause_starts = _clauses(key)

    def clause_of(pos: int) -> int:
        return bisect.bisect_right(clause_starts, pos) - 1

    # Which clauses are a proposal ("Theo đề nghị ...", "Xét Tờ trình ..." and everything after it).
    proposal_from = len(clause_starts) + 1
    if basis:
        for ci, cs in enumerate(clause_starts):
            if _PROPOSAL_OPENER.match(key, _SPACES_AT.match(key, cs).end()):
                proposal_from = ci
                break
        if section == "proposal":
            proposal_from = 0
    ref_starts = {c.start for c in cands}

    prev: _Cand | None = None
    for index, cand in enumerate(cands):
        ci = clause_of(cand.start)
        in_proposal = basis and ci >= proposal_from
        before_from = prev.tail_end if prev is not None and clause_of(prev.start) == ci else clause_starts[ci]
        before = key[before_from:cand.start]
        if basis:
            after_nested = prev is not None and not prev.top and before_from == prev.tail_end
            if after_nested and _CONNECTOR_ONLY.fullmatch(before):
                cand.top = False  # "... của Nghị định số 1 và Nghị định số 2": both inside the title
            else:
                tai = in_proposal and _TAI_BEFORE.search(raw, before_from, cand.start) is not None
                cand.top = bool(_TOP_BEFORE.search(before)) or tai
            cand.section = ("proposal" if in_proposal else "can_cu") if cand.top else "body"
        else:
            cand.section = section
        # Date and issuer right after the symbol.
        pos = cand.core_end
        dm = _DATE_AT.match(key, pos)
        if dm:
            cand.issue_date = _iso(*dm.groups())
            pos = dm.end()
        elif cand.year is None or cand.is_law:
            ym = _YEAR_AT.match(key, pos)
            if ym:
                cand.year = cand.year or int(ym.group(1))
                pos = ym.end()
        limit = cands[index + 1].start if index + 1 < len(cands) else len(raw)
        cm = _CUA_AT.match(raw, pos) or (_DO_AT.match(raw, pos) if not cand.is_law else None)
        if cm:
            end = _scan_issuer(raw, cm.end(), ref_starts, limit)
            is_do = raw[cm.start():cm.end()].strip(" ,").lower() == "do"
            if end > cm.end() and (not is_do or _BAN_HANH_AT.match(key, end)):
                cand.issuer_raw = raw[cm.end():end]
                cand.own_issuer = True
                pos = _BAN_HANH_AT.match(key, end).end() if is_do else end
                if not cand.issue_date:
                    dm = _DATE_AT.match(key, pos)
                    if dm:
                        cand.issue_date = _iso(*dm.groups())
                        pos = dm.end()
        if not cand.own_issuer and in_proposal:
            # "đề nghị của <issuer> tại Tờ trình số ...": the issuer stands before the reference.
            lo = max(clause_starts[ci], cand.start - 170)
            tai = _TAI_BEFORE.search(raw, lo, cand.start)
            cua = raw[lo:tai.start()].lower().rfind("của ") if tai else -1
            if cua >= 0:
                cua += lo
                end = _scan_issuer(raw, cua + 4, ref_starts, tai.start())
                if end > cua + 4 and not raw[end:tai.start()].strip():
                    cand.issuer_raw = raw[cua + 4:end]
                    cand.own_issuer = True
        cand.tail_end = pos
        if cand.issue_date and cand.year is None:
            cand.year = int(cand.issue_date[:4])
        prev = cand

    # Titles: from the end of the date/issuer to the next sibling reference or the end of the clause.
    for i, cand in enumerate(cands):
        ci = clause_of(cand.start)
        end = clause_starts[ci + 1] - 1 if ci + 1 < len(clause_starts) else len(raw)
        for other in islice(cands, i + 1, None):
            if other.start >= end:
                break
            if other.top or not basis:
                end = other.start
                break
        if cand.is_law:
            continue
        text_key = key[cand.tail_end:end]
        lead = len(text_key) - len(text_key.lstrip(" ,"))
        start = cand.tail_end + lead
        title_key = key[start:end]
        # After a comma, or anywhere in the body, only what reads like a trích yếu is a title.
        if ("," in text_key[:lead] or section == "body") and not _TITLE_KEYS.match(title_key):
            continue
        if _NOT_A_TITLE.match(title_key):  # "... và đề nghị của ...": the sentence goes on
            continue
        title = _TITLE_TRAIL.sub("", raw[start:end].strip())
        while title.endswith(")") and title.count(")") > title.count("("):
            title = _TITLE_TRAIL.sub("", title[:-1])
        if not cand.own_issuer and section == "portal":
            do = list(_DO_END.finditer(raw, start, start + len(title)))
            if do:
                dstart = do[-1].end()
                iend = _scan_issuer(raw, dstart, ref_starts, start + len(title))
                if iend > dstart and _BAN_HANH_AT.match(key, iend):
                    cand.issuer_raw = raw[dstart:iend]
                    cand.own_issuer = True
                    title = raw[start:do[-1].start()].strip()
        if title and (title[0].isalpha() or title[0] in "“\""):
            cand.title = clean(title[:600])

    # Shared issuers: forward over "A ... và B ... của X", then backward from the reference before.
    codes = [None if c.is_law else _org_code(c.symbol) for c in cands]
    for i in range(len(cands) - 2, -1, -1):
        cand, nxt = cands[i], cands[i + 1]
        if cand.issuer_raw or not nxt.issuer_raw or codes[i] is None or codes[i] != codes[i + 1]:
            continue
        between = key[cand.tail_end:nxt.start]
        if _CONNECTOR_ONLY.fullmatch(between) and ";" not in between:
            cand.issuer_raw = nxt.issuer_raw
    for i in range(1, len(cands)):
        cand, before = cands[i], cands[i - 1]
        if not cand.issuer_raw and before.issuer_raw and codes[i] is not None and codes[i] == codes[i - 1]:
            cand.issuer_raw = before.issuer_raw

    refs = []
    for cand in cands:
        ci = clause_of(cand.start)
        cend = clause_starts[ci + 1] if ci + 1 < len(clause_starts) else len(raw)
        refs.append(
            Reference(
                doc_type=cand.doc_type,
                number=cand.number,
                year=cand.year,
                symbol=cand.symbol,
                symbol_raw=cand.symbol_raw,
                issue_date=cand.issue_date,
                issuer=canonical_issuer(cand.issuer_raw, province),
                issuer_raw=cand.issuer_raw,
                title=cand.title,
                section=cand.section,
                page=para.page_at(cand.start),
                raw=raw[clause_starts[ci]:cend].strip(" ;"),
            )
        )
        refs[-1].ref_order = cand.start  # position; renumbered by the caller
    return refs


def parse_reference_sentence(
    sentence: str, province: str = "", page: int | None = None, section: str = "can_cu"
) -> list[Reference]:
    """Parse one basis sentence/paragraph into its references (pure, never raises).

    Line breaks may be left in: a line ending in a hyphen glued to a word ("04/HD-\\nĐCT") goes on without a
    space. `section` is the paragraph's section; references cited inside another one's title come out as body.
    """
    if not isinstance(sentence, str) or not sentence.strip():
        return []
    text = re.sub(r"(?<=\S-)[ \t]*\r?\n[ \t]*", "", sentence)
    section = section if section in SECTIONS else "can_cu"
    refs = _parse_paragraph(_para(text, page), province or "", section)
    for i, ref in enumerate(refs, 1):
        ref.ref_order = i
    return refs


# --------------------------------------------------------------------------------------------------
# The document.


def _symbol_key(symbol: str) -> str:
    return fold(symbol).replace(" ", "").upper()


_HEADER_NUMBER = re.compile(rf"(?:So|SO|So hieu)[ ]{{0,2}}:[ ]{{0,3}}(?P<sym>{_SYMBOL})", re.I)


def _own_symbol_key(doc: Document, paras: list[_Para]) -> str:
    """The citing document's own number, to leave out self-citations ('Kèm theo Kế hoạch số ...')."""
    number = squeeze(clean(doc.meta.doc_number or ""))
    if re.match(r"\d", number):
        return _symbol_key(number)
    for para in paras[:15]:
        m = _HEADER_NUMBER.search(para.key)
        if m:
            return _symbol_key(para.raw[m.start("sym"):m.end("sym")])
    return ""


def _is_operative(key: str) -> bool:
    return bool(_OPERATIVE.match(key))


def _opener(key: str) -> str:
    m = _OPENER.match(key)
    return m.group("w").lower() if m else ""


def _clause_warnings(para: _Para, refs: list[Reference], doc: Document) -> None:
    """`ref_unparsed` for each clause of a basis paragraph that looks like a citation and gave nothing."""
    starts = _clauses(para.key)
    bounds = list(zip(starts, starts[1:] + [len(para.key)]))
    hit = {bisect.bisect_right(starts, r.ref_order) - 1 for r in refs}
    for ci, (s, e) in enumerate(bounds):
        if ci in hit:
            continue
        if _CITING_LOOK.search(para.key, s, e):
            text = para.raw[s:e].strip(" ;.")
            message = f"basis clause cites no recognisable document: {text}"
            doc.warn(STAGE, "ref_unparsed", message, para.page_at(s))


def basis_paragraphs(doc: Document) -> list[tuple[str, str, int | None]]:
    """The preamble as the stage sees it: (paragraph text, can_cu / proposal, page of its start)."""
    return [(p.raw, section, p.page_at(0)) for p, section in _sectioned_paragraphs(doc) if section != "body"]


def _sectioned_paragraphs(doc: Document) -> list[tuple[_Para, str]]:
    """The document's paragraphs, each with the section its references belong to."""
    paras = lines_to_paragraphs(doc.lines, join=doc.format not in ("html", "docx"))
    out: list[tuple[_Para, str]] = []
    state = "header"  # header → preamble → body
    list_mode = False
    for para in paras:
        key = para.key
        opener = _opener(key)
        if state == "body" or not any(ch.isalpha() for ch in para.raw):
            out.append((para, "body"))  # a stray number or mark never ends the preamble
            continue
        listed = list_mode and _WEAK_START.match(key)
        after_list = bool(out) and out[-1][0].raw.endswith((";", ","))
        continued = after_list and _REF_RE.match(key, len(key) - len(key.lstrip("-+•* "))) is not None
        if state == "preamble" and not opener and (listed or continued):
            out.append((para, out[-1][1]))  # the basis list goes on ("...; \nLuật sửa đổi ...")
            continue
        if opener:
            proposal = bool(_PROPOSAL_OPENER.match(key))
            strong = opener in ("can cu", "xet") or (state == "preamble")
            if not strong:
                refs = _parse_paragraph(para, "", "can_cu")
                strong = any(r.section == "can_cu" for r in refs) and para.raw.endswith(tuple(";.:,"))
            if strong:
                out.append((para, "proposal" if proposal else "can_cu"))
                state = "preamble"
                stripped = para.raw.rstrip()
                if stripped.endswith(":"):
                    if re.search(r"nhu sau|ban hanh|xay dung|QUYET|sau day", key, re.I) or len(key) > 60:
                        state = "body"
                    else:
                        list_mode = True
                continue
        if state == "preamble" or _is_operative(key):
            state = "body"
        out.append((para, "body"))
    return out


def extract_references(doc: Document) -> Document:
    """Fill doc.refs (and doc.warnings via doc.warn('refs', kind, message, page)) from doc.lines and
    doc.portal_lines."""
    province = doc.meta.province or ""
    sectioned = _sectioned_paragraphs(doc)
    own = _own_symbol_key(doc, [p for p, _ in sectioned])
    found: list[tuple[int, int, Reference]] = []
    for pi, (para, section) in enumerate(sectioned):
        try:
            refs = _parse_paragraph(para, province, section)
        except Exception as exc:  # noqa: BLE001 - one paragraph never ends the document
            doc.warn(STAGE, "ref_error", f"{type(exc).__name__}: {exc}: {para.raw[:300]}", para.page_at(0))
            continue
        if section in ("can_cu", "proposal"):
            _clause_warnings(para, refs, doc)
        found.extend((pi, ref.ref_order, ref) for ref in refs)

    # One row per cited document: its first position in its best section.
    ranked = [((_SECTION_RANK[ref.section], pi, pos), _symbol_key(ref.symbol), ref) for pi, pos, ref in found]
    best: dict[str, tuple[int, int, int]] = {}
    for rank, k, _ in ranked:
        if k and k != own and (k not in best or rank < best[k]):
            best[k] = rank
    kept = [ref for rank, k, ref in ranked if best.get(k) == rank]

    portal: list[Reference] = []
    seen: set[str] = set()
    for line in doc.portal_lines:
        para = _para(line.text, line.page or None)
        try:
            refs = _parse_paragraph(para, province, "portal")
        except Exception as exc:  # noqa: BLE001
            doc.warn(STAGE, "ref_error", f"{type(exc).__name__}: {exc}: {para.raw[:300]}", None)
            continue
        for ref in refs:
            k = _symbol_key(ref.symbol)
            if k and k != own and k not in seen:
                seen.add(k)
                portal.append(ref)

    doc.refs = kept + portal
    for i, ref in enumerate(doc.refs, 1):
        ref.ref_order = i
    return doc


# --------------------------------------------------------------------------------------------------
# The run-level view.


def cited_documents(refs_rows: list[dict]) -> list[dict]:
    """The 'cited_documents' view: one row per distinct cited symbol across a run: symbol, doc_type,
    issue_date, issuer, n_citing_documents; deterministic order.

    Rows are refs rows (dicts, or Reference objects) carrying the citing document in `doc_id` (or `doc`,
    `source_file`). Portal rows are left out: a portal's lists are not the document's citations. Symbols are
    grouped case- and diacritics-insensitively; each column takes its most common non-empty value (ties: the
    smallest). Order: most citing documents first, then symbol.
    """
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in refs_rows:
        if is_dataclass(row) and not isinstance(row, type):
            row = asdict(row)
        if not isinstance(row, dict) or (row.get("section") or "") == "portal":
            continue
        symbol = clean(str(row.get("symbol") or ""))
        if not symbol:
            continue
        groups[_symbol_key(symbol)].append({**row, "symbol": symbol})

    def common(rows: list[dict], col: str) -> str:
        counts = Counter(str(r.get(col) or "") for r in rows if r.get(col))
        if not counts:
            return ""
        top = max(counts.values())
        return min(v for v, n in counts.items() if n == top)

    out = []
    for rows in groups.values():
        citing = {str(r.get("doc_id") or r.get("doc") or r.get("source_file") or "") for r in rows}
        symbol_counts = Counter(r["symbol"] for r in rows)
        top = max(symbol_counts.values())
        out.append(
            {
                "symbol": min(s for s, n in symbol_counts.items() if n == top),
                "doc_type": common(rows, "doc_type"),
                "issue_date": common(rows, "issue_date"),
                "issuer": common(rows, "issuer"),
                "n_citing_documents": len(citing),
            }
        )
    out.sort(key=lambda r: (-r["n_citing_documents"], _symbol_key(r["symbol"]), r["symbol"]))
    return out
