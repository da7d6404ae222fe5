"""HTML bytes → text → lxml tree: the charset from BOM, declaration or content, and a check that the
text is a web page at all. Kept apart from the content logic (html.py) because it is all about bytes."""

from __future__ import annotations

import codecs
import re

from lxml import etree
from lxml import html as lhtml

from .errors import ReaderError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Labels browsers treat as windows-1252; a Vietnamese page saying so is really cp1258 or UTF-8.
_LATIN1_LABELS = {"iso8859-1", "latin-1", "ascii", "cp1252", "iso8859-15"}
# cp1258 bytes for ă Ă đ Đ ơ Ơ ư Ư and the combining tone marks, which Vietnamese text cannot do without.
_CP1258_MARKERS = re.compile(rb"[\xe3\xc3\xf0\xd0\xf5\xd5\xfd\xdd][\x20-\x7f]|[a-zA-Z][\xcc\xec\xd2\xf2\xde]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_LOOKS_HTML = re.compile(
    r"<\s*(?:!doctype\s+html|html|head|body|meta|title|p|div|table|br|span|h[1-6]|font|center|ul|li)\b",
    re.IGNORECASE,
)


def _codec(label: bytes) -> str:
    """Python codec name for a declared charset label; '' when unknown or not usable."""
    try:
        name = codecs.lookup(label.decode("ascii").strip().lower()).name
    except (LookupError, UnicodeDecodeError):
        return ""
    # A byte stream cannot be UTF-16 without a BOM (the declaration is copied from a saved page).
    return "utf-8" if name.startswith(("utf-16", "utf-32")) else name


def _declared_charset(raw: bytes) -> str:
    head = raw[:65536]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return _codec(m.group(1)) if m else ""


def _has_utf8_text(raw: bytes) -> bool:
    """True when the bytes are valid UTF-8 and hold non-ASCII text (mis-declared pages)."""
    try:
        return raw.decode("utf-8") != raw.decode("latin-1")
    except UnicodeDecodeError:
        return False


def decode_html(raw: bytes) -> tuple[str, str, str]:
    """(text, codec, note): BOM, then the declared charset, then UTF-8, then cp1258.

    `note` is empty when the declaration was followed, else a warning for the document.
    """
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom):].decode(name, errors="replace"), name, ""
    declared = _declared_charset(raw)
    if declared and declared != "utf-8" and _has_utf8_text(raw):
        note = f"page declares {declared} but its bytes are UTF-8; read as UTF-8"
        return raw.decode("utf-8"), "utf-8", note
    if declared in _LATIN1_LABELS and len(_CP1258_MARKERS.findall(raw)) >= 3:
        return raw.decode("cp1258", errors="replace"), "cp1258", f"page declares {declared}; read as cp1258"
    if declared:
        try:
            return raw.decode(declared), declared, ""
        except UnicodeDecodeError:
            pass
    try:
        note = f"page declares {declared} but is not; read as UTF-8" if declared else ""
        return raw.decode("utf-8"), "utf-8", note
    except UnicodeDecodeError:
        pass
    note = f"page declares {declared or 'no charset'} and is not UTF-8; read as Vietnamese cp1258"
    return raw.decode("cp1258", errors="replace"), "cp1258", note


def check_text(text: str) -> str:
    """Reject binary data and text without HTML markup; strip stray control characters."""
    sample = text[:65536]
    if not sample.strip():
        raise ReaderError("empty file")
    controls = len(_CONTROL.findall(sample))
    if "\x00" in sample or controls > max(8, len(sample) // 100):
        raise ReaderError("not an HTML document (binary data)")
    if not _LOOKS_HTML.search(sample):
        raise ReaderError("not an HTML document (no HTML markup)")
    return _CONTROL.sub(" ", text)


def parse_html(text: str) -> etree._Element:
    """lxml tree of the page, comments and processing instructions removed."""
    parser = lhtml.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = lhtml.document_fromstring(text.encode("utf-8", errors="replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ReaderError(f"not an HTML document ({exc})") from exc
    if root is None:
        raise ReaderError("not an HTML document")
    etree.strip_elements(root, "script", "style", "noscript", "template", with_tail=False)
    drop_hidden(root)
    return root


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def drop_hidden(root: etree._Element) -> None:
    """Remove what a browser does not show (display:none, visibility:hidden, the `hidden` attribute)
    and javascript: links: text a reader never sees must not become the plan's own references."""
    hidden = [el for el in root.iter() if isinstance(el.tag, str) and _is_hidden(el)]
    for el in hidden:
        if el.getparent() is not None:  # not already gone with a hidden ancestor
            el.drop_tree()  # keeps the tail text, which is outside the element


def _is_hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None or _HIDDEN_STYLE.search(el.get("style") or ""):
        return True
    return el.tag == "a" and (el.get("href") or "").strip().lower().startswith(("javascript:", "vbscript:"))


def read_bytes(path: str, limit: int = 64 * 1024 * 1024) -> bytes:
    """The page's bytes; ReaderError past `limit` (Settings.max_content_bytes): a page bigger than that
    is not a plan, and parsing it would take ten times its size in memory."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(limit + 1)
        if len(raw) > limit:
            raise ReaderError(f"the HTML page is larger than {limit / 2**20:.0f} MB; not read")
    except OSError as exc:
        raise ReaderError(f"cannot open the file ({exc.strerror or exc})") from exc
    if not raw.strip():
        raise ReaderError("empty file")
    return raw
