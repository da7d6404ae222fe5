"""Input readers, one per format, chosen by sniffing the file's content (the extension is only a hint).

To add a format: write `read_xxx(path, source_file) -> Document` in a module here, teach `sniff_format`
its magic bytes, and register it in READERS.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from ..model import Document
from ..settings import Settings
from .errors import ReaderError

SUPPORTED_SUFFIXES = {".pdf", ".html", ".htm", ".docx"}


def sniff_format(path: str | Path) -> str:
    """'pdf', 'html', 'docx', or '' for anything else, judged from the first bytes of the file."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if not head:
        return ""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                if "word/document.xml" in zf.namelist():
                    return "docx"
        except (zipfile.BadZipFile, OSError):
            return ""
        return ""
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered[:2048] or b"<body" in lowered:
        return "html"
    return ""


def describe_unknown(path: str | Path) -> str:
    """A reason for a file no reader takes, in plain words."""
    p = Path(path)
    with open(p, "rb") as fh:
        head = fh.read(512)
    if not head:
        return "the file is empty (0 bytes)"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old binary Word/Excel file (.doc/.xls); save it as .docx or PDF first"
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive that is not a Word .docx document"
    what = "text" if all(b in b"\t\r\n" or 32 <= b < 127 or b >= 128 for b in head) else "binary data"
    return f"not a PDF, HTML or DOCX document (the file {p.suffix and 'named ' + p.suffix + ' '}holds {what})"


def _read_pdf(path: str, source_file: str, settings: Settings, deadline: float | None) -> Document:
    from .pdf import read_pdf  # start-up: PyMuPDF takes 0.3-5 s to import; `--help` and HTML-only runs skip it

    return read_pdf(path, source_file, settings, deadline)


def _read_html(path: str, source_file: str, settings: Settings, deadline: float | None) -> Document:
    from .html import read_html  # start-up: lxml.html is imported only when an HTML file comes

    return read_html(path, source_file, settings)


def _read_docx(path: str, source_file: str, settings: Settings, deadline: float | None) -> Document:
    from .docx import read_docx  # start-up: python-docx takes ~130 ms to import; only .docx files pay it

    return read_docx(path, source_file, settings)


# Every reader takes the run's settings and the document's deadline (time.monotonic()), used or not,
# so the pipeline calls them all the same way.
READERS: dict[str, Callable[[str, str, Settings, float | None], Document]] = {
    "pdf": _read_pdf,
    "html": _read_html,
    "docx": _read_docx,
}


def read_document(
    path: str, source_file: str, settings: Settings | None = None, deadline: float | None = None
) -> Document:
    """Sniff and read one file; ReaderError when no reader can take it."""
    fmt = sniff_format(path)
    if not fmt:
        raise ReaderError(describe_unknown(path))
    return READERS[fmt](path, source_file, settings or Settings(), deadline)


__all__ = ["READERS", "ReaderError", "read_document", "sniff_format", "SUPPORTED_SUFFIXES"]
