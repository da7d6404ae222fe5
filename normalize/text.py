"""Vietnamese text clean-up shared by every stage: Unicode form, look-alike letters, spacing, folding."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters that look like Vietnamese letters or ASCII punctuation but are not (found in real PDFs).
_LOOKALIKES = str.maketrans(
    {
        "\u00d0": "\u0110",  # Ð (Icelandic Eth) -> Đ
        "\u00f0": "\u0111",  # ð -> đ
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u200b": "",
        "\ufeff": "",
        "\u00ad": "",  # soft hyphen
    }
)
_SPACES = re.compile(r"\s+")

# Old-style ("hoà") to new-style ("hòa") tone placement for the common open syllables.
# Applied on NFC text; underthesea's text_normalize does the same and more, but costs a model load.
_TONE_MOVES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_TONE_RE = re.compile(r"(?<![qQ])(" + "|".join(_TONE_MOVES) + r")(?![a-zA-Zà-ỹÀ-Ỹ])", re.IGNORECASE)


def _move_tone(match: re.Match[str]) -> str:
    found = match.group(0)
    new = _TONE_MOVES[found.lower()]
    return new.upper() if found.isupper() else (new[0].upper() + new[1:] if found[0].isupper() else new)


def clean(text: str) -> str:
    """NFC, look-alike letters fixed, new-style tone placement, whitespace collapsed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).translate(_LOOKALIKES)
    text = _TONE_RE.sub(_move_tone, text)
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case, diacritics removed, đ -> d, punctuation to spaces: a key for matching."""
    text = unicodedata.normalize("NFD", clean(text).lower()).replace("đ", "d")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = re.sub(r"[^\w%/&.]+", " ", text)
    return _SPACES.sub(" ", text).strip()


def slug(text: str) -> str:
    """Lower-case ASCII words joined by '-', for readable ids ('355/KH-UBND' → '355-kh-ubnd')."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def squeeze(text: str) -> str:
    """Remove all whitespace (for symbols such as '96 /KH - ĐCT')."""
    return _SPACES.sub("", text)


_BROKEN_WORD = re.compile(r"(?<=\w)-$")


def join_lines(parts: list[str]) -> str:
    """Visual lines of one paragraph → one string. A line ending in a hyphen glued to a letter
    ("KT-" / "XH") continues the compound without a space; other lines join with a space."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and _BROKEN_WORD.search(out):
            out += part
        else:
            out = f"{out} {part}" if out else part
    return clean(out)
