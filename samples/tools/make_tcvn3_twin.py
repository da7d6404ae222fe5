"""Make a TCVN3 (ABC, .VnTime) twin of a Unicode text PDF: same pages, same ruling lines, same text
positions, but a text layer in the legacy encoding, as a plan typed in .VnTime and printed to PDF is.

    .venv/bin/python samples/tools/make_tcvn3_twin.py samples/gia-lai-1002-2024.pdf \
        samples/gia-lai-1002-2024-tcvn3.pdf

How the twin is built (PyMuPDF only, deterministic):

- every page becomes a new page of the same size; its drawings (page.get_drawings()) are redrawn
  (lines, rectangles, quads, curves, with their stroke width, colour and fill);
- every text span is written again at its origin with its size and colour, its text converted
  Unicode -> TCVN3 by normalize.legacy.from_unicode. Words whose capitals TCVN3 cannot write in
  .VnTime ("CỘNG HÒA", "KẾ HOẠCH") are written with the lowercase bytes in the capitals font
  .VnTimeH, as typists did; "Ủy" is written the old way, "Uỷ" ("Uû"), which .VnTime can; a lone
  capital of that kind in a mixed-case word ("Áp") goes in .VnTimeH on its own;
- the text is written with base-14 fonts (Times for .VnTime, Helvetica for .VnTimeH, in the
  four styles) whose /BaseFont is then renamed ".VnTime", ".VnTime,Bold", ".VnTimeH", ... and given a
  /Widths array in which each byte is as wide as the Vietnamese letter it stands for (Times metrics),
  so the words keep their places and the table words stay inside their ruled cells.

The fonts are WinAnsi-encoded and have no ToUnicode map, so PyMuPDF reads the bytes back as
Latin-1 letters ("KÕ ho¹ch") and TCVN3's "ư" byte (0xAD) as "-" ("ng-êi"): the mojibake of a real
.VnTime PDF made without a ToUnicode map.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from normalize.legacy import from_unicode, to_unicode  # noqa: E402

# (bold, italic) -> base-14 font used to write the text, for .VnTime and for the capitals font .VnTimeH
BODY_FONTS = {(False, False): "Times-Roman", (True, False): "Times-Bold",
              (False, True): "Times-Italic", (True, True): "Times-BoldItalic"}
CAPS_FONTS = {(False, False): "Helvetica", (True, False): "Helvetica-Bold",
              (False, True): "Helvetica-Oblique", (True, True): "Helvetica-BoldOblique"}
METRICS = {(False, False): "tiro", (True, False): "tibo", (False, True): "tiit", (True, True): "tibi"}
STYLE_SUFFIX = {(False, False): "", (True, False): ",Bold", (False, True): ",Italic", (True, True): ",BoldItalic"}


def _needs_caps_font(ch: str) -> bool:
    """A capital that .VnTime has no byte for (only Ă Â Ê Ô Ơ Ư Đ have one)."""
    return ch.isupper() and not ch.isascii() and from_unicode(ch, "tcvn3") == from_unicode(ch.lower(), "tcvn3")


def _winansi(text: str) -> str:
    """Characters past Latin-1 that WinAnsi has (“ ” – …) as the C1 character of their byte: PyMuPDF
    writes those as that byte, where it would write a stray "·" for the Unicode character."""
    out = []
    for ch in text:
        if ord(ch) > 0xFF:
            try:
                ch = ch.encode("cp1252").decode("latin-1")
            except UnicodeEncodeError:
                ch = "?"
        out.append(ch)
    return "".join(out)


def runs(text: str) -> list[tuple[str, bool]]:
    """Unicode text as (TCVN3 text, in the capitals font) runs, ready for a WinAnsi base-14 font."""
    out: list[tuple[str, bool]] = []

    def add(piece: str, caps: bool) -> None:
        piece = _winansi(piece)
        if out and out[-1][1] == caps:
            out[-1] = (out[-1][0] + piece, caps)
        else:
            out.append((piece, caps))

    for token in _split_keep_spaces(text):
        if not token.strip():
            add(from_unicode(token, "tcvn3"), bool(out and out[-1][1]))
            continue
        letters = [ch for ch in token if ch.isalpha()]
        if any(_needs_caps_font(ch) for ch in token) and not any(ch.islower() for ch in letters):
            add(from_unicode(token, "tcvn3"), True)  # a capitals word: all of it in .VnTimeH
            continue
        token = token.replace("Ủy", "Uỷ")  # the old placement, written in .VnTime
        for ch in token:
            add(from_unicode(ch, "tcvn3"), _needs_caps_font(ch))
    return out


def _split_keep_spaces(text: str) -> list[str]:
    tokens, current = [], ""
    for ch in text:
        if (ch == " ") != (current[-1:] == " ") and current:
            tokens.append(current)
            current = ""
        current += ch
    if current:
        tokens.append(current)
    return tokens


def _letter_width(code: int, metrics: pymupdf.Font, caps: bool) -> float:
    """Width (1/1000 em) of the Vietnamese letter a TCVN3 byte stands for, in the given metrics."""
    try:
        ch = bytes([code]).decode("cp1252")
    except UnicodeDecodeError:
        return 0.0
    letter = to_unicode(ch, "tcvn3", upper=caps)
    if caps:
        letter = letter.upper()
    base = unicodedata.normalize("NFD", letter)[0] if letter else ch
    base = {"đ": "d", "Đ": "D"}.get(letter, base)
    return round(metrics.glyph_advance(ord(base)) * 1000, 1)


def _style(span_font: str) -> tuple[bool, bool]:
    name = span_font.lower()
    return ("bold" in name, "italic" in name or "oblique" in name)


def _redraw(page: pymupdf.Page, drawings: list[dict]) -> None:
    shape = page.new_shape()
    for path in drawings:
        for item in path["items"]:
            kind = item[0]
            if kind == "l":
                shape.draw_line(item[1], item[2])
            elif kind == "re":
                shape.draw_rect(item[1])
            elif kind == "qu":
                shape.draw_quad(item[1])
            elif kind == "c":
                shape.draw_bezier(item[1], item[2], item[3], item[4])
        shape.finish(
            color=path.get("color"),
            fill=path.get("fill"),
            width=path.get("width") or 0,
            closePath=bool(path.get("closePath")),
            even_odd=bool(path.get("even_odd")),
            fill_opacity=path.get("fill_opacity") or 1,
            stroke_opacity=path.get("stroke_opacity") or 1,
        )
    shape.commit()


def _color(value: int) -> tuple[float, float, float]:
    return ((value >> 16) & 255) / 255, ((value >> 8) & 255) / 255, (value & 255) / 255


def make_twin(src: Path, dst: Path) -> None:
    source = pymupdf.open(src)
    out = pymupdf.open()
    used: dict[str, tuple[tuple[bool, bool], bool]] = {}  # base-14 name -> (style, caps font)
    for page in source:
        new = out.new_page(width=page.rect.width, height=page.rect.height)
        _redraw(new, page.get_drawings())
        data = page.get_text("dict", flags=pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP)
        for block in data["blocks"]:
            if block.get("type", 0) != 0:
                continue
            for line in block["lines"]:
                for span in line["spans"]:
                    if not span["text"]:
                        continue
                    style = _style(span["font"])
                    metrics = pymupdf.Font(METRICS[style])
                    x, y = span["origin"]
                    pieces = runs(span["text"])
                    widths = [sum(_letter_width(b, metrics, caps) for b in text.encode("latin-1")) * span["size"]
                              / 1000 for text, caps in pieces]
                    # Squeeze or stretch the span to its original width, so the next span (a footnote
                    # mark, a bold word) starts where it did and no gap reads as a space.
                    scale = (span["bbox"][2] - span["bbox"][0]) / sum(widths) if sum(widths) else 1.0
                    for (text, caps), width in zip(pieces, widths):
                        fontname = (CAPS_FONTS if caps else BODY_FONTS)[style]
                        used[fontname] = (style, caps)
                        morph = None
                        if abs(scale - 1) > 0.001:
                            morph = (pymupdf.Point(x, y), pymupdf.Matrix(scale, 0, 0, 1, 0, 0))
                        new.insert_text((x, y), text, fontsize=span["size"], fontname=fontname,
                                        color=_color(span["color"]), morph=morph)
                        x += width * scale
    _rename_fonts(out, used)
    out.set_metadata({"title": f"{src.stem} (TCVN3 twin)", "producer": "samples/tools/make_tcvn3_twin.py",
                      "creator": "", "creationDate": "", "modDate": ""})
    out.save(dst, garbage=4, deflate=True, no_new_id=True)


def _rename_fonts(doc: pymupdf.Document, used: dict[str, tuple[tuple[bool, bool], bool]]) -> None:
    seen: set[int] = set()
    for page in doc:
        for xref, _ext, _type, basefont, *_rest in page.get_fonts():
            if xref in seen or basefont not in used:
                continue
            seen.add(xref)
            style, caps = used[basefont]
            metrics = pymupdf.Font(METRICS[style])
            widths = " ".join(f"{_letter_width(code, metrics, caps):g}" for code in range(32, 256))
            doc.xref_set_key(xref, "BaseFont", "/.VnTime" + ("H" if caps else "") + STYLE_SUFFIX[style])
            doc.xref_set_key(xref, "FirstChar", "32")
            doc.xref_set_key(xref, "LastChar", "255")
            doc.xref_set_key(xref, "Widths", f"[{widths}]")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path)
    parser.add_argument("dst", type=Path)
    args = parser.parse_args(argv)
    make_twin(args.src, args.dst)
    print(f"written: {args.dst}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
