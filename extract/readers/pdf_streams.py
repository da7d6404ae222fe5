"""How much a PDF page would make MuPDF inflate and interpret, measured before MuPDF does it.

A content stream can be compressed twice ([/FlateDecode /FlateDecode]: 1 KB becomes gigabytes), and a
Form XObject drawn ten times by a form drawn ten times by ... multiplies a small stream exponentially.
So every stream the page reaches (its contents, Form XObjects at any depth, images) is inflated filter
by filter with a cap, images are judged by their pixel count, and each form counts as often as it is
drawn. A page over the limit is skipped and reported by the caller.
"""

from __future__ import annotations

import re
import zlib

import pymupdf

_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do\b")
_REF = re.compile(r"/([^\s/\[\]()<>{}%]+)\s+(\d+)\s+0\s+R")
_NAME = re.compile(r"/(\w+)")
_MAX_RATIO = 3000  # the most any PDF filter expands (deflate ~1032:1, LZW ~2730:1)
_MAX_FORM_DEPTH = 12


_DRAW_COST = 64  # bytes counted for each Do, so an empty form drawn a billion times still counts


def oversized_page(pdf: pymupdf.Document, page: pymupdf.Page, limit: int) -> str:
    """A reason when the page would inflate past `limit` bytes, else ''."""
    resources = _xobjects(pdf, page.xref)
    memo: dict[int, int] = {}
    total = 0
    for xref in page.get_contents():
        total += _cost(pdf, xref, resources, limit, 0, memo)
        if total > limit:
            return f"the page's content would inflate to more than {limit // (1024 * 1024)} MB; page skipped"
    return ""


def _cost(pdf: pymupdf.Document, xref: int, names: dict[str, int], limit: int, depth: int,
          memo: dict[int, int]) -> int:
    """Bytes this stream inflates to, plus every form it draws as often as it draws it (capped past
    `limit`); memoized per form, so a form drawn many times is inflated once."""
    if xref in memo:
        return memo[xref]
    memo[xref] = limit + 1  # a form that draws itself, or one being measured, counts as too large
    data = _inflate(pdf, xref, limit) if depth <= _MAX_FORM_DEPTH else None
    total = limit + 1 if data is None else len(data)
    for match in _DO.finditer(data or b""):
        if total > limit:
            break
        target = names.get(match.group(1).decode("latin-1"))
        total += _DRAW_COST
        if target is None:
            continue
        subtype = pdf.xref_get_key(target, "Subtype")[1]
        if subtype == "/Image":
            total += _image_pixels(pdf, target)
        elif subtype == "/Form":
            total += _cost(pdf, target, _xobjects(pdf, target) or names, limit, depth + 1, memo)
    memo[xref] = min(total, limit + 1)
    return memo[xref]


def _inflate(pdf: pymupdf.Document, xref: int, limit: int) -> bytes | None:
    """The stream after its filters, each inflated with a cap; None when a step passes `limit`.

    Flate is undone here; for any other filter (rare in content streams) the worst-case ratio decides.
    A damaged stream is left for MuPDF to read or report."""
    data = pdf.xref_stream_raw(xref) or b""
    for name in _filters(pdf, xref):
        if name == "FlateDecode":
            try:
                data = zlib.decompressobj().decompress(data, limit + 1)
            except zlib.error:
                return data
        elif len(data) * _MAX_RATIO > limit:
            return None
        if len(data) > limit:
            return None
    return data


def _filters(pdf: pymupdf.Document, xref: int) -> list[str]:
    kind, value = pdf.xref_get_key(xref, "Filter")
    return _NAME.findall(value) if kind in {"name", "array"} else []


def _image_pixels(pdf: pymupdf.Document, xref: int) -> int:
    """An image counts by its pixels (width × height): a 600-dpi A4 scan is 35 million, well within."""
    size = 1
    for key in ("Width", "Height"):
        kind, value = pdf.xref_get_key(xref, key)
        size *= int(value) if kind == "int" and value.isdigit() else 1
    return size


def _xobjects(pdf: pymupdf.Document, xref: int) -> dict[str, int]:
    """Name -> xref of the XObjects in the object's Resources (inline or indirect dictionaries)."""
    kind, value = pdf.xref_get_key(xref, "Resources/XObject")
    if kind == "xref":
        value = pdf.xref_object(int(value.split()[0]), compressed=True)
    elif kind == "null":
        kind, res = pdf.xref_get_key(xref, "Resources")
        if kind != "xref":
            return {}
        kind, value = pdf.xref_get_key(int(res.split()[0]), "XObject")
        if kind == "xref":
            value = pdf.xref_object(int(value.split()[0]), compressed=True)
    return {name: int(number) for name, number in _REF.findall(value)}
