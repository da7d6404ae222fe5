"""Who issued a cited document: the issuer phrase after "của" / "do", and issuers shared between references.

An issuer is a run of capitalised words ("Thủ tướng Chính phủ": a lower-case syllable may follow a
capitalised one), the lower-case words of administrative names, and "và"/"-" inside a ministry's name.
It stops where the title starts ("về ...", "phê duyệt ...", "Quy định ...") or the sentence goes on.
A reference naming none takes the issuer of the next reference when only "và" or "," separates them,
else the previous one's; only when the two symbols share the issuing body's code ("43/KH-ĐCT",
"04/HD-ĐCT"), so a Thông tư of the Bộ Tài chính never inherits the Thủ tướng. Laws inherit nothing.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from itertools import islice

from normalize.text import clean, squeeze

from .fields import Cand
from .grammar import CONNECTOR_ONLY, TYPE_BY_ABBR
from .keys import key as to_key

log = logging.getLogger(__name__)

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
_TRAIL = ",;.:)”\"'"
_TYPE_ABBRS_UPPER = {a.upper() for a in TYPE_BY_ABBR}


@lru_cache(maxsize=16384)
def _lc(word: str) -> str:
    return clean(word).lower()


def _word_ends_issuer(words: list[tuple[int, int, str]], i: int, ref_starts: set[int], head: str) -> bool:
    """Whether words[i] can no longer belong to the issuer phrase."""
    ws, _, word = words[i]
    core = word.rstrip(_TRAIL)
    low = _lc(core)
    nxt_word = words[i + 1][2] if i + 1 < len(words) else ""
    nxt = _lc(nxt_word.rstrip(_TRAIL))
    prev = words[i - 1][2] if i else ""
    bigram = f"{low} {nxt}"
    if core[0].isupper():
        return bool(i and (low in _CAP_STOP or bigram in _CAP_STOP)) or (i == 0 and low in {"căn", "theo", "xét"})
    if core in ("-", "–"):
        return not (nxt and nxt_word[0].isupper())
    if low == "và":
        next_upper = bool(nxt) and nxt_word[0].isupper() and words[i + 1][0] not in ref_starts
        return not (next_upper and head in _AND_HEADS)  # "Bộ Kế hoạch và Đầu tư", not "Ủy ban X và Khu vực"
    lprev = _lc(prev)
    giao = low == "giao" and lprev == "ngoại"  # Bộ Ngoại giao
    stop = bigram in _STOP_BIGRAMS or (low in _LOWER_STOP and not giao)
    in_name = (low == "ban" and lprev in ("ủy", "uỷ")) or (low == "bộ" and lprev == "đảng")
    if stop and not in_name:
        return True
    return not (low in _LOWER_ALLOW or (prev and prev[0].isupper()))


def _comma_continues(raw: str, start: int, end: int, words: list, i: int, ref_starts: set[int], head: str) -> bool:
    """"Bộ Lao động, Thương binh ..." / "Bộ trưởng, Chủ nhiệm ...": a comma inside a ministry's name."""
    low = _lc(words[i][2].rstrip(_TRAIL))
    nxt = _lc(words[i + 1][2].rstrip(_TRAIL)) if i + 1 < len(words) else ""
    return bool(nxt) and words[i + 1][2][0].isupper() and (
        (head in _AND_HEADS and low != "trưởng") or _lc(raw[start:end]) == "bộ trưởng"
    ) and words[i + 1][0] not in ref_starts and nxt not in _CAP_STOP


def scan_issuer(raw: str, start: int, ref_starts: set[int], limit: int) -> int:
    """End offset of the issuer phrase that starts at `start` (== start when there is none)."""
    found = _ISSUER_WORD.finditer(raw, start, min(limit, start + 300))
    words = [(m.start(), m.end(), m.group()) for m in islice(found, _MAX_ISSUER_WORDS + 1)]
    end = start
    head = ""
    for i, (ws, _, word) in enumerate(words[:_MAX_ISSUER_WORDS]):
        if ws in ref_starts or word[0] in "(\"“”'‘[" or any(ch.isdigit() for ch in word) or "/" in word:
            break
        core = word.rstrip(_TRAIL)
        punct = word[len(core):]
        if not core or _word_ends_issuer(words, i, ref_starts, head):
            break
        low = _lc(core)
        bigram = f"{low} {_lc(words[i + 1][2].rstrip(_TRAIL)) if i + 1 < len(words) else ''}"
        if core[0].isupper() and (low in _ORG_HEADS or bigram in _AND_HEADS):
            head = bigram if bigram in _AND_HEADS else low
        end = ws + len(core)
        if punct:
            if punct.startswith(",") and _comma_continues(raw, start, end, words, i, ref_starts, head):
                continue
            break
    return _without_dangling_connector(raw, start, end)


def _without_dangling_connector(raw: str, start: int, end: int) -> int:
    """No "và", "-" or "," at the issuer's end; no issuer unless it starts with a capital."""
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


def org_code(symbol: str) -> str | None:
    """The issuing body's code in a symbol ('43/KH-ĐCT' → 'DCT', '06-NQ/TU' → 'TU'); None if it has none."""
    key = to_key(squeeze(symbol)).upper()
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


def inherit_issuers(cands: list[Cand], key: str) -> None:
    """Shared issuers: forward over "A ... và B ... của X", then backward from the reference before."""
    codes = [None if c.is_law else org_code(c.symbol) for c in cands]
    for i in range(len(cands) - 2, -1, -1):
        cand, nxt = cands[i], cands[i + 1]
        if cand.issuer_raw or not nxt.issuer_raw or codes[i] is None or codes[i] != codes[i + 1]:
            continue
        between = key[cand.tail_end:nxt.start]
        if CONNECTOR_ONLY.fullmatch(between) and ";" not in between:
            log.debug("%s takes the issuer %r of %s, which follows it", cand.symbol, nxt.issuer_raw, nxt.symbol)
            cand.issuer_raw = nxt.issuer_raw
    for i in range(1, len(cands)):
        cand, before = cands[i], cands[i - 1]
        if not cand.issuer_raw and before.issuer_raw and codes[i] is not None and codes[i] == codes[i - 1]:
            log.debug("%s takes the issuer %r of %s, before it", cand.symbol, before.issuer_raw, before.symbol)
            cand.issuer_raw = before.issuer_raw
