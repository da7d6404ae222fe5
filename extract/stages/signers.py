"""The signers: names under the signature block's titles, and the name in an e-signature box.

A signature block is "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" with the name a few lines
below (the signature image sits between). In real copies the title column often shares a text line with
the "Nơi nhận" list on its left ("- Thường trực Thị ủy (b/c); CHỦ TỊCH"), so the title is also looked for
at the end of a line. Signing systems add a box "Người ký: Trần Văn A" / "Ký bởi: ..." whose name counts
too (an organisation there, "Ký bởi: Ủy ban nhân dân tỉnh ...", is not a person and is skipped).
"""

from __future__ import annotations

import logging
import re

from ..model import Line

log = logging.getLogger(__name__)

SIGN_TITLE = re.compile(
    r"\b(TM\.|KT\.|Q\.|TL\.|TUQ\.|CHỦ TỊCH|BỘ TRƯỞNG|GIÁM ĐỐC|CHỦ NHIỆM|TRƯỞNG BAN|THỦ TƯỚNG|BÍ THƯ)"
)
_NAME_WORD = r"[A-ZĐÀ-Ỹ][a-zà-ỹđ']*"
NAME = re.compile(rf"^{_NAME_WORD}(?: {_NAME_WORD}){{1,5}}$")
_E_SIGNATURE = re.compile(r"^(?:người ký|ký bởi|signed by)\s*:\s*(?P<name>.+?)\s*$", re.IGNORECASE)
_TITLE_LINES_TO_NAME = 12  # lines allowed between a signature title and the name (the signature image)


def _upper_tail(text: str) -> str:
    """The upper-case words a line ends with ('- Lưu: VT; KT. CHỦ TỊCH' → 'KT. CHỦ TỊCH')."""
    tail: list[str] = []
    for word in reversed(text.split()):
        if not word.isupper():
            break
        tail.insert(0, word)
    return " ".join(tail)


def _is_title(text: str) -> bool:
    if text.isupper():
        return len(text) < 70 and bool(SIGN_TITLE.search(text))
    tail = _upper_tail(text)
    return len(tail.split()) >= 2 and bool(SIGN_TITLE.fullmatch(tail) or SIGN_TITLE.match(tail))


def _e_signer(text: str) -> str:
    m = _E_SIGNATURE.match(text)
    return m.group("name") if m and NAME.match(m.group("name")) else ""


def signers(lines: list[Line], start: int) -> list[str]:
    """Names under signature titles and in e-signature boxes, in order of appearance."""
    names: list[str] = []
    pending = 0  # lines still allowed between a signature title and its name
    for line in lines[start:]:
        text = line.text.strip()
        found = _e_signer(text)
        if _is_title(text):
            pending = _TITLE_LINES_TO_NAME
            continue
        if pending and not found:
            pending -= 1
            if NAME.match(text) and not text.isupper():
                found, pending = text, 0
        if found and found not in names:
            log.debug("signer %r (page %s)", found, line.page)
            names.append(found)
    return names
