"""HTML reader: a legal-portal page (or any HTML export of a plan) into the typed model.

Portal pages wrap the plan in chrome: banners, navigation, "Văn bản liên quan"/"Văn bản căn cứ" link
lists whose items are NOT the plan's own references, a metadata list ("Số hiệu", "Ngày ban hành", ...)
and footers. All of that goes to `doc.portal_lines` so later stages never mistake it for the plan.

How the plan's own content is found (no per-site rules):
1. An anchor: the first short element reading "Số: ...", the national motto, or "Căn cứ ...".
2. Climb from the anchor while the material each ancestor adds is not chrome (portal lists, the
   metadata list, nav/header/footer/banner/login/breadcrumb elements, link-dense blocks).
3. Without an anchor, descend from <body> into the child holding most of the non-link text.
Portal lists and metadata lists nested inside the content are still routed to portal_lines.

Lines: one per paragraph-like block (p, div text, headings, list items); a single <br> is a space, a
double <br> a paragraph break. Layout tables (the 2-column header "ỦY BAN NHÂN DÂN / Số: ..." |
"CỘNG HÒA ... / ..., ngày ...", the signature block) become lines, left column first, one per
<br>/<p> piece, like the PDF's text layer. Data tables become `Table`s (rowspan/colspan resolved on a
slot grid) and contribute no lines; their caption is the text just above them.
Footnote anchors are dropped from running text (they would glue "[1]" into numbers); footnote bodies
are kept as lines at the end.

An error page (nothing that reads as document content) raises ReaderError rather than returning an
empty Document, so the run reports the file as failed with a reason instead of "no targets found".
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree
from lxml import html as lhtml

from normalize.text import clean, fold

from ..model import Cell, Document, Line, Page, Table
from .errors import ReaderError

ERROR_PAGE = "HTML page has no document content (error page?)"

# ---------------------------------------------------------------------------------------------- bytes


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


def _check_text(text: str) -> str:
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
    return root


# ------------------------------------------------------------------------------------------ the tree

_DROP = {
    "script", "style", "noscript", "template", "head", "title", "select", "option", "button", "input",
    "textarea", "iframe", "object", "embed", "svg", "canvas", "map", "img", "meta", "link",
}
_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
    "address", "center", "section", "article", "main", "aside", "header", "footer", "nav", "form",
    "fieldset", "legend", "table", "tr", "td", "th", "tbody", "thead", "tfoot", "caption", "hr", "figure",
    "figcaption", "body", "html", "details", "summary", "menu", "dir", "frameset", "frame",
}
_CONTAINERS = {"div", "section", "article", "main", "body", "td", "th", "form", "center", "span", "font"}
_CHROME_TAGS = {"nav", "header", "footer", "aside", "menu"}
_CHROME_TOKENS = {
    "nav", "navbar", "navigation", "menu", "header", "footer", "breadcrumb", "breadcrumbs", "login",
    "banner", "sidebar", "ads", "advert", "quangcao", "share", "social", "search", "toolbar", "copyright",
    "topbar", "pagination", "dangnhap",
}
_PORTAL_HEADINGS = (
    "van ban lien quan", "van ban can cu", "van ban duoc can cu", "van ban huong dan",
    "van ban duoc huong dan", "van ban sua doi", "van ban bi sua doi", "van ban thay the",
    "van ban bi thay the", "van ban hop nhat", "van ban dinh chinh", "van ban bi dinh chinh",
    "van ban cung linh vuc", "van ban moi", "van ban goc", "van ban tieng anh", "luoc do", "thuoc tinh",
    "tai ve", "tai van ban", "tin lien quan", "noi dung lien quan", "bai viet lien quan", "hoi dap",
)
_PORTAL_LIST_TAGS = {"div", "section", "aside", "ul", "ol", "dl", "table", "nav", "form", "fieldset"}
_META_LABELS = (
    "so hieu", "loai van ban", "ngay ban hanh", "noi ban hanh", "co quan ban hanh", "nguoi ky",
    "ngay hieu luc", "tinh trang hieu luc", "ngay cong bao", "so cong bao", "linh vuc", "tinh trang",
)
_META_LABEL = re.compile(r"^(" + "|".join(_META_LABELS) + r")\s*:?(\s|$)")
# Matched against clean() text (the colon matters: "Số hiệu:" is the portal's, "Số:" the plan's).
_ANCHORS = (
    re.compile(r"^số\s*:", re.IGNORECASE),
    re.compile(r"cộng hòa xã hội chủ nghĩa việt nam", re.IGNORECASE),
    re.compile(r"^căn cứ\b", re.IGNORECASE),
)
_LOGIN = re.compile(r"đăng nhập|đăng ký (?:gói|thành viên|tài khoản)", re.IGNORECASE)
_NOTE_HREF = re.compile(
    r"#_?(?:ftn|edn|ftnref|ednref)\d*$|#sdfootnote\d+|#_?fn(?:ref)?[-_:]?\d+|#footnote|cite_note",
    re.IGNORECASE,
)
_NOTE_NAME = re.compile(r"^_?(?:ftnref|ednref)\d+$|^sdfootnote\d+anc$", re.IGNORECASE)
_NOTE_ID = re.compile(r"^_?(?:ftn|edn)\d+$|^sdfootnote\d+$|^footnotes?\b|^fn\d+$", re.IGNORECASE)
_UNIT_POWER = re.compile(r"(?:^|[\s/(])[kcdm]?m$")  # m², km², m³: the <sup> digit belongs to the unit
_APPENDIX_LABEL = re.compile(r"^\s*ph[uụ]\s*l[uụ]c\b", re.IGNORECASE)
_BORDER_STYLE = re.compile(r"border(?:-(?:top|bottom|left|right))?\s*:\s*([^;\"]+)")
_RULE = re.compile(r"[-_=*~.·•]{3,}")


def _tag(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _tokens(el: etree._Element) -> set[str]:
    attrs = f"{el.get('id', '')} {el.get('class', '')}".lower()
    return set(re.split(r"[^a-z0-9]+", attrs)) - {""}


def _text(el: etree._Element) -> str:
    try:
        return clean(el.text_content())
    except ValueError:  # text_content on odd nodes
        return ""


def _size(el: etree._Element) -> int:
    """Amount of text in an element (characters, outer whitespace ignored): cheap, for comparisons."""
    return sum(len(chunk.strip()) for chunk in el.itertext())


def _link_text_len(el: etree._Element) -> int:
    return sum(_size(a) for a in el.iter("a"))


def _is_chrome(el: etree._Element) -> bool:
    """Site furniture by tag or id/class ("login-banner", "breadcrumb", "footer", ...)."""
    return _tag(el) in _CHROME_TAGS or bool(_tokens(el) & _CHROME_TOKENS)


def _first_text(el: etree._Element) -> str:
    for chunk in el.itertext():
        if chunk.strip():
            return clean(chunk)
    return ""


def _meta_labels(el: etree._Element) -> set[str]:
    """Portal metadata labels ("Số hiệu:", "Ngày ban hành:", ...) that start an item inside `el`."""
    labels = set()
    for item in el.iter("li", "tr", "td", "th", "dt", "p", "span", "div"):
        m = _META_LABEL.match(fold(_first_text(item)))
        if m:
            labels.add(m.group(1))
    return labels


def _listed_share(el: etree._Element, total: int) -> float:
    """Share of the text that sits in links or (outermost) list items: high for a portal's link lists."""
    links = _link_text_len(el)
    items = sum(_size(li) for li in el.iter("li") if next(li.iterancestors("li"), None) is None)
    return max(links, items) / total if total else 0.0


def is_portal_section(el: etree._Element) -> bool:
    """A portal link list under a known heading, or the portal's metadata list (>= 3 labels).

    Only the smallest such element counts, so a container holding both the plan and a portal list
    is never taken for the list.
    """
    if _tag(el) not in _PORTAL_LIST_TAGS:
        return False
    text_len = _size(el)
    first = _first_text(el)
    if len(first) < 80 and fold(first).startswith(_PORTAL_HEADINGS) and _listed_share(el, text_len) >= 0.5:
        return True
    if text_len > 4000 or len(_meta_labels(el)) < 3:
        return False
    # A pure wrapper around the metadata list (table > tbody) counts; a container with anything else does not.
    return not any(len(_meta_labels(child)) >= 3 and _size(child) < 0.95 * text_len for child in el)


def _is_note_anchor(el: etree._Element) -> bool:
    """A footnote reference mark in running text (<a href="#_ftn1">[1]</a>, <sup><a>1</a></sup>)."""
    tag = _tag(el)
    if tag == "a":
        return bool(_NOTE_HREF.search(el.get("href", "")) or _NOTE_NAME.match(el.get("name", ""))
                    or "footnote" in el.get("class", "").lower())
    if tag == "sup":
        return any(_is_note_anchor(a) or a.get("href") for a in el.iter("a"))
    return False


def is_note_container(el: etree._Element) -> bool:
    """A footnote body or footnote list (Word: div#ftn1, style mso-element:footnote-list)."""
    if _tag(el) not in {"div", "section", "aside", "ol", "ul", "p"}:
        return False
    style = el.get("style", "").lower().replace(" ", "")
    return bool(_NOTE_ID.match(el.get("id", ""))) or "mso-element:footnote" in style \
        or "mso-element:endnote" in style or bool({"footnote", "footnotes"} & _tokens(el))


def _find_anchor(body: etree._Element) -> etree._Element | None:
    """The element that most surely belongs to the plan itself: 'Số: ...', the motto, or 'Căn cứ'."""
    candidates: list[list[etree._Element]] = [[] for _ in _ANCHORS]
    skip: set[etree._Element] = set()
    for el in body.iter():
        tag = _tag(el)
        if not tag or tag in _DROP or el in skip:
            continue
        if _is_chrome(el) or is_portal_section(el):
            skip.update(el.iter())
            continue
        if _size(el) > 300:
            continue
        text = _text(el)
        if not text:
            continue
        for i, pattern in enumerate(_ANCHORS):
            if pattern.search(text) and not candidates[i]:
                candidates[i].append(el)
        if candidates[0]:  # the best kind of anchor: nothing later can beat it
            break
    return next((found[0] for found in candidates if found), None)


def _adds_chrome(ancestor: etree._Element, child: etree._Element) -> bool:
    """Whether climbing from `child` to `ancestor` would take in site chrome."""
    total = len(clean(ancestor.text or ""))
    links = 0
    for sib in ancestor:
        total += len(clean(sib.tail or ""))
        if sib is child or not _tag(sib) or _tag(sib) in _DROP:
            continue
        if _is_chrome(sib) or is_portal_section(sib) or any(is_portal_section(d) for d in sib.iter()):
            return True
        size = _size(sib)
        if _tag(sib) != "p" and size < 400 and _LOGIN.search(_text(sib)):
            return True
        total += size
        links += _link_text_len(sib)
    return total > 0 and links > 0.3 * total


def _descend(body: etree._Element) -> etree._Element:
    """Without an anchor: go down into the child holding most (>= 60 %) of the non-link text."""
    node = body
    while True:
        best, best_len = None, 0
        for child in node:
            if _tag(child) in _CONTAINERS and not _is_chrome(child):
                n = _size(child) - _link_text_len(child)
                if n > best_len:
                    best, best_len = child, n
        own = _size(node) - _link_text_len(node)
        if best is None or best_len < 0.6 * own:
            return node
        node = best


def content_root(body: etree._Element) -> tuple[etree._Element, bool]:
    """(element holding the plan's own content, whether a document anchor was found)."""
    anchor = _find_anchor(body)
    if anchor is None:
        return _descend(body), False
    root, node = anchor, anchor
    for ancestor in anchor.iterancestors():
        if _adds_chrome(ancestor, node):
            break
        node = ancestor
        if _tag(ancestor) in _CONTAINERS:
            root = ancestor
        if ancestor is body:
            break
    return root, True


# ----------------------------------------------------------------------------------------- tables


def _span(value: str | None, limit: int) -> int:
    m = re.match(r"\s*(\d+)", value or "")
    if not m:
        return 1
    return min(int(m.group(1)), limit)


def _table_rows(table: etree._Element) -> tuple[list[etree._Element], int]:
    """The table's own rows (not nested tables'), thead first and tfoot last; and the header row count."""
    head: list[etree._Element] = []
    body: list[etree._Element] = []
    foot: list[etree._Element] = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            body.append(child)
        elif tag in {"thead", "tbody", "tfoot"}:
            rows = [r for r in child if _tag(r) == "tr"]
            {"thead": head, "tbody": body, "tfoot": foot}[tag].extend(rows)
    n_head = len(head)
    if not n_head:  # leading rows made only of <th> are header rows too
        for row in body:
            cells = [c for c in row if _tag(c) in {"td", "th"}]
            if not cells or any(_tag(c) != "th" for c in cells):
                break
            n_head += 1
    return head + body + foot, n_head


def grid_cells(rows: list[list[tuple[str, int, int]]]) -> tuple[list[Cell], int]:
    """Place (text, rowspan, colspan) cells on a slot grid, skipping slots taken by earlier rowspans.

    rowspan 0 means "to the end of the table" (HTML); spans are clipped to the table's rows.
    """
    n_rows = len(rows)
    taken: list[set[int]] = [set() for _ in range(n_rows)]
    cells: list[Cell] = []
    for r, row in enumerate(rows):
        col = 0
        for text, row_span, col_span in row:
            while col in taken[r]:
                col += 1
            row_span = n_rows - r if row_span <= 0 else min(row_span, n_rows - r)
            col_span = max(col_span, 1)
            cells.append(Cell(row=r, col=col, text=text, row_span=row_span, col_span=col_span))
            for rr in range(r, r + row_span):
                taken[rr].update(range(col, col + col_span))
            col += col_span
    n_cols = max((max(t) + 1 for t in taken if t), default=0)
    return cells, n_cols


def _has_borders(table: etree._Element) -> bool:
    m = re.match(r"\s*(\d+)", table.get("border", ""))
    if m and int(m.group(1)) > 0:
        return True
    for el in [table, *table.iter("td", "th", "tr")]:
        for value in _BORDER_STYLE.findall(el.get("style", "").lower()):
            visible = "none" not in value and "hidden" not in value
            if visible and re.search(r"solid|dotted|dashed|double|[1-9]", value):
                return True
    return False


def is_layout_table(table: etree._Element, n_cols: int) -> bool:
    """The header block, the signature block, or a page-wrapping table: text, not data."""
    if n_cols <= 3:
        head = fold(_text(table)[:800])
        if "cong hoa xa hoi chu nghia" in head or "noi nhan" in head:
            return True
        if next(table.iterdescendants("table"), None) is not None:
            return True
    return n_cols <= 2 and not _has_borders(table)


# ----------------------------------------------------------------------------------------- walking


class _Buffer:
    """Inline text of one paragraph being collected; knows how to treat <br> and <sup> marks."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.brs = 0

    def add(self, text: str) -> None:
        self.parts.append(text)
        if text.strip():
            self.brs = 0

    def sup(self, text: str) -> None:
        """A bare superscript: kept after a unit (m², km²), dropped after anything else (a footnote mark)."""
        if _UNIT_POWER.search("".join(self.parts).rstrip()[-6:]):
            self.parts.append(text)

    def br(self) -> int:
        self.brs += 1
        self.parts.append(" ")
        return self.brs

    def take(self) -> str:
        text = clean("".join(self.parts))
        self.parts, self.brs = [], 0
        return text


_BR, _TEXT, _SUP, _BLOCKEL = range(4)


class _Reader:
    """One walk over the page, sending each text block to the plan's lines, the portal or the notes."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.lines: list[Line] = []
        self.portal: list[Line] = []
        self.notes: list[Line] = []
        self.tables: list[Table] = []
        self.block = 0
        self.caption_from = 0  # first line index after the previous table

    # -- events

    def events(self, el: etree._Element, keep_notes: bool, spaced: bool = False) -> Iterator[tuple[int, Any]]:
        """Inline content flattened: text, <br>, bare <sup>, and block children to recurse into.

        `spaced` puts a space around inline elements: portal lists glue "1" and "Quyết định 612/..." by
        CSS only; the plan's own text must not be spaced (Word splits words over several runs).
        """
        if el.text:
            yield _TEXT, el.text
        for child in el:
            tag = _tag(child)
            if tag == "br":
                yield _BR, None
            elif not tag or tag in _DROP or (not keep_notes and _is_note_anchor(child)):
                pass
            elif tag in _BLOCK or child is self.root:
                yield _BLOCKEL, child
            elif tag == "sup" and not keep_notes and re.fullmatch(r"\s*[\[(]?\d{1,3}[\])]?\s*|\s*\*+\s*",
                                                                  child.text_content()):
                yield _SUP, child.text_content().strip()
            else:
                if spaced:
                    yield _TEXT, " "
                yield from self.events(child, keep_notes, spaced)
                if spaced:
                    yield _TEXT, " "
            if child.tail:
                yield _TEXT, child.tail

    def flat_text(self, el: etree._Element) -> str:
        """All text of an element on one line (table cells): <br>, <p>, nested tables become spaces."""
        buf = _Buffer()
        self._flatten(el, buf)
        return buf.take()

    def _flatten(self, el: etree._Element, buf: _Buffer) -> None:
        for kind, value in self.events(el, keep_notes=False):
            if kind == _TEXT:
                buf.add(value)
            elif kind == _SUP:
                buf.sup(value)
            elif kind == _BR:
                buf.br()
            else:
                buf.add(" ")
                self._flatten(value, buf)
                buf.add(" ")

    # -- sinks

    def emit(self, text: str, sink: str) -> None:
        if not text or _RULE.fullmatch(text):
            return
        line = Line(text=text, page=0, block=self.block)
        {"doc": self.lines, "portal": self.portal, "notes": self.notes}[sink].append(line)

    def new_block(self) -> None:
        self.block += 1

    # -- walking

    def walk(self, el: etree._Element, sink: str, split_br: bool = False) -> None:
        """Emit the element's inline runs as lines and recurse into its block children."""
        self.new_block()
        if sink == "portal" and _is_link_bar(el):
            for link in el.iter("a"):
                self.emit(_text(link), sink)
            return
        buf = _Buffer()
        for kind, value in self.events(el, keep_notes=sink == "notes", spaced=sink == "portal"):
            if kind == _TEXT:
                buf.add(value)
            elif kind == _SUP:
                buf.sup(value)
            elif kind == _BR:
                if buf.br() >= 2 or split_br:
                    self.emit(buf.take(), sink)
            else:
                self.emit(buf.take(), sink)
                self.dispatch(value, sink, split_br)
                self.new_block()
        self.emit(buf.take(), sink)

    def dispatch(self, el: etree._Element, sink: str, split_br: bool = False) -> None:
        """Route a block element: content root, portal list, footnotes, table or plain block."""
        if el is self.root:
            sink = "doc"
        elif sink == "doc" and (is_portal_section(el) or _is_chrome(el) and el.find(".//table") is None):
            sink = "portal"
        elif sink == "doc" and is_note_container(el):
            sink = "notes"
        if _tag(el) == "table":
            self.table(el, sink)
        else:
            self.walk(el, sink, split_br)

    def table(self, el: etree._Element, sink: str) -> None:
        rows, n_head = _table_rows(el)
        spec = [[(self.flat_text(td), _span(td.get("rowspan"), 65534), _span(td.get("colspan"), 1000))
                 for td in row if _tag(td) in {"td", "th"}] for row in rows]
        cells, n_cols = grid_cells(spec)
        if sink != "doc" and self.root in el.iterdescendants():
            for td in (td for row in rows for td in row if _tag(td) in {"td", "th"}):
                self.dispatch(td, sink)  # a page-wrapping table around the content
            return
        if sink != "doc":
            for row in rows:
                self.new_block()
                self.emit(clean(" ".join(self.flat_text(td) for td in row if _tag(td) in {"td", "th"})), sink)
            return
        if is_layout_table(el, n_cols):
            self.layout_table(rows, cells)
        elif cells:
            self.tables.append(Table(cells=cells, n_rows=len(rows), n_cols=n_cols, index=len(self.tables),
                                     caption=self.caption(el), header_rows=n_head,
                                     detection="html"))
        self.caption_from = len(self.lines)

    def layout_table(self, rows: list[etree._Element], cells: list[Cell]) -> None:
        """Header/signature blocks: column by column (left then right), each <br>/<p> piece a line."""
        by_slot = {}
        for row_el, row_cells in zip(rows, _group_rows(cells, len(rows)), strict=True):
            tds = [td for td in row_el if _tag(td) in {"td", "th"}]
            for td, cell in zip(tds, row_cells, strict=False):
                by_slot[(cell.col, cell.row)] = td
        for key in sorted(by_slot):
            self.walk(by_slot[key], "doc", split_br=True)

    def caption(self, el: etree._Element) -> str:
        own = [clean(c.text_content()) for c in el if _tag(c) == "caption"]
        above = caption_from_lines([ln.text for ln in self.lines[self.caption_from:]])
        return "\n".join([t for t in [above, *own] if t])


def caption_from_lines(above: list[str]) -> str:
    """Caption of a table from the text lines since the previous table, nearest last.

    From the last 'PHỤ LỤC ...' label within 6 lines (a label, a title and one or two "(Kèm theo Kế
    hoạch số ...)" lines are common), else the last 3 lines; newline-joined for the appendix stage.
    """
    above = above[-6:]
    labels = [i for i, text in enumerate(above) if _APPENDIX_LABEL.match(text)]
    start = labels[-1] if labels else max(0, len(above) - 3)
    return "\n".join(above[start:])


def _is_link_bar(el: etree._Element) -> bool:
    """A navigation bar: several links and no other text, one portal line per link."""
    links = list(el.iter("a"))
    return len(links) >= 2 and _size(el) == sum(_size(a) for a in links) and not any(
        _tag(d) in _BLOCK for d in el.iterdescendants())


def _group_rows(cells: list[Cell], n_rows: int) -> list[list[Cell]]:
    rows: list[list[Cell]] = [[] for _ in range(n_rows)]
    for cell in cells:
        rows[cell.row].append(cell)
    return rows


def _renumber_blocks(lines: list[Line]) -> None:
    """Blocks numbered 0, 1, 2, ... in the order the lines appear (footnotes were collected apart)."""
    mapping: dict[int, int] = {}
    for line in lines:
        line.block = mapping.setdefault(line.block, len(mapping))


# ------------------------------------------------------------------------------------------- entry


def _read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise ReaderError(f"cannot open the file ({exc.strerror or exc})") from exc
    if not raw.strip():
        raise ReaderError("empty file")
    return raw


def read_html(path: str, source_file: str) -> Document:
    """Read an HTML page into a Document: the plan's own text and tables, portal chrome kept apart."""
    raw = _read_bytes(path)
    text, _codec_used, note = decode_html(raw)
    tree = parse_html(_check_text(text))
    doc = Document(source_path=path, source_file=source_file, format="html")
    doc.sha256 = hashlib.sha256(raw).hexdigest()
    if note:
        doc.warn("read", "charset", note)
    body = tree.find(".//body")
    if body is None:
        body = tree
    try:
        root, anchored = content_root(body)
        reader = _Reader(root)
        title = tree.find(".//title")
        if title is not None:
            reader.emit(clean(title.text_content()), "portal")
        reader.dispatch(body, "doc" if root is body else "portal")
    except RecursionError as exc:
        raise ReaderError("HTML nested too deeply to read") from exc
    lines = reader.lines + reader.notes
    _renumber_blocks(lines)
    _renumber_blocks(reader.portal)
    if not reader.tables and (not lines or not anchored and sum(len(ln.text) for ln in lines) < 200):
        raise ReaderError(ERROR_PAGE)
    if not anchored:
        doc.warn("read", "content", "no document header ('Số: ...', national motto) found; content guessed")
    doc.pages = [Page(number=1, lines=lines)]
    doc.portal_lines = reader.portal
    doc.tables = reader.tables
    return doc
