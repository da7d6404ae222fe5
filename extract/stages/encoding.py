"""Stage: text typed in a legacy Vietnamese encoding (TCVN3 / VNI) back to Unicode, before anything reads it.

Runs first, so the metadata, tables and references stages all see Unicode. The encoding is detected from
the document's font names (".VnTime" -> TCVN3, "VNI-Times" -> VNI) and, without such a font, from the
text itself (normalize.legacy.detect_encoding). Then:

- a document with no line in Unicode Vietnamese converts every line, cell and portal line;
- a document that mixes both (a Unicode header pasted into a TCVN3 body, a table typed in another font)
  converts only the lines and cells that read as legacy on their own (`looks_legacy`); lines with
  Unicode-only letters (ă ơ ư ạ ...) are never touched, and so is a short legacy line without a telling
  byte ("Có" for "Cú"), which is the price of not garbling Unicode lines.

Each converted text goes through normalize.text.clean again (old-style tones "Uỷ" -> "Ủy", spaces).
A reader that already decoded the text span by span (it knows each span's font) sets `doc.encoding`
itself; this stage then only records the finding.
"""

from __future__ import annotations

from normalize.legacy import (
    ENCODING_NAMES,
    detect_encoding,
    font_encoding,
    has_unicode_vietnamese,
    looks_legacy,
    to_unicode,
)
from normalize.text import clean

from ..kinds import Stage, WarningKind
from ..model import Document


def _texts(doc: Document) -> list[str]:
    return (
        [line.text for line in doc.lines]
        + [cell.text for table in doc.tables for cell in table.cells]
        + [line.text for line in doc.portal_lines]
        + [table.caption for table in doc.tables if table.caption]
    )


def fix_legacy_encoding(doc: Document) -> Document:
    """Convert a TCVN3 / VNI document's lines, cells and portal lines to Unicode; record what was done."""
    if doc.encoding in ("tcvn3", "vni"):  # decoded by the reader
        _warn(doc, doc.encoding, "decoded span by span from the fonts", None)
        return doc
    texts = _texts(doc)
    encoding = detect_encoding(texts, doc.font_names)
    if encoding == "unicode":
        return doc
    mixed = any(has_unicode_vietnamese(text) for text in texts)

    def convert(text: str) -> tuple[str, bool]:
        if not text or has_unicode_vietnamese(text) or (mixed and not looks_legacy(text, encoding)):
            return text, False
        new = clean(to_unicode(text, encoding))
        return new, new != text

    changed = total = 0
    for line in [*doc.lines, *doc.portal_lines]:
        line.text, did = convert(line.text)
        changed += did
        total += 1
    for table in doc.tables:
        for cell in table.cells:
            cell.text, did = convert(cell.text)
            changed += did
            total += 1
        table.caption = "\n".join(convert(part)[0] for part in table.caption.split("\n"))
    doc.encoding = encoding
    legacy_fonts = sorted(name for name in doc.font_names if font_encoding(name) == encoding)
    how = f"fonts {', '.join(legacy_fonts[:4])}" if legacy_fonts else "detected from the text (no legacy font name)"
    _warn(doc, encoding, how, (changed, total, mixed))
    return doc


def _warn(doc: Document, encoding: str, how: str, counts: tuple[int, int, bool] | None) -> None:
    message = f"text in the legacy {ENCODING_NAMES[encoding]} encoding ({how}); converted to Unicode"
    if counts is not None:
        changed, total, mixed = counts
        message += f": {changed} of {total} lines and cells changed"
        if mixed:
            message += " (mixed document: only lines that read as legacy were converted)"
    doc.warn(Stage.READ, WarningKind.LEGACY_ENCODING, message)
