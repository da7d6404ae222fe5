"""Where a portal page's own document content is, and which of its elements are site furniture.

See html.py's docstring for the method (anchor, climb while the added material is not chrome,
else descend to the child holding most non-link text). These helpers only look at the lxml tree.
"""

from __future__ import annotations

import re

from lxml import etree

from normalize.text import clean, fold

DROPPED_TAGS = {
    "script", "style", "noscript", "template", "head", "title", "select", "option", "button", "input",
    "textarea", "iframe", "object", "embed", "svg", "canvas", "map", "img", "meta", "link",
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
def tag_of(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _tokens(el: etree._Element) -> set[str]:
    attrs = f"{el.get('id', '')} {el.get('class', '')}".lower()
    return set(re.split(r"[^a-z0-9]+", attrs)) - {""}


def text_of(el: etree._Element) -> str:
    try:
        return clean(el.text_content())
    except ValueError:  # text_content on odd nodes
        return ""


def text_size(el: etree._Element) -> int:
    """Amount of text in an element (characters, outer whitespace ignored): cheap, for comparisons."""
    return sum(len(chunk.strip()) for chunk in el.itertext())


def _link_text_len(el: etree._Element) -> int:
    return sum(text_size(a) for a in el.iter("a"))


def is_chrome(el: etree._Element) -> bool:
    """Site furniture by tag or id/class ("login-banner", "breadcrumb", "footer", ...)."""
    return tag_of(el) in _CHROME_TAGS or bool(_tokens(el) & _CHROME_TOKENS)


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
    items = sum(text_size(li) for li in el.iter("li") if next(li.iterancestors("li"), None) is None)
    return max(links, items) / total if total else 0.0


def is_portal_section(el: etree._Element) -> bool:
    """A portal link list under a known heading, or the portal's metadata list (>= 3 labels).

    Only the smallest such element counts, so a container holding both the plan and a portal list
    is never taken for the list.
    """
    if tag_of(el) not in _PORTAL_LIST_TAGS:
        return False
    text_len = text_size(el)
    first = _first_text(el)
    if len(first) < 80 and fold(first).startswith(_PORTAL_HEADINGS) and _listed_share(el, text_len) >= 0.5:
        return True
    if text_len > 4000 or len(_meta_labels(el)) < 3:
        return False
    # A pure wrapper around the metadata list (table > tbody) counts; a container with anything else does not.
    return not any(len(_meta_labels(child)) >= 3 and text_size(child) < 0.95 * text_len for child in el)


def is_note_anchor(el: etree._Element) -> bool:
    """A footnote reference mark in running text (<a href="#_ftn1">[1]</a>, <sup><a>1</a></sup>)."""
    tag = tag_of(el)
    if tag == "a":
        return bool(_NOTE_HREF.search(el.get("href", "")) or _NOTE_NAME.match(el.get("name", ""))
                    or "footnote" in el.get("class", "").lower())
    if tag == "sup":
        return any(is_note_anchor(a) or a.get("href") for a in el.iter("a"))
    return False


def is_note_container(el: etree._Element) -> bool:
    """A footnote body or footnote list (Word: div#ftn1, style mso-element:footnote-list)."""
    if tag_of(el) not in {"div", "section", "aside", "ol", "ul", "p"}:
        return False
    style = el.get("style", "").lower().replace(" ", "")
    return bool(_NOTE_ID.match(el.get("id", ""))) or "mso-element:footnote" in style \
        or "mso-element:endnote" in style or bool({"footnote", "footnotes"} & _tokens(el))


def _find_anchor(body: etree._Element) -> etree._Element | None:
    """The element that most surely belongs to the plan itself: 'Số: ...', the motto, or 'Căn cứ'."""
    candidates: list[list[etree._Element]] = [[] for _ in _ANCHORS]
    skip: set[etree._Element] = set()
    for el in body.iter():
        tag = tag_of(el)
        if not tag or tag in DROPPED_TAGS or el in skip:
            continue
        if is_chrome(el) or is_portal_section(el):
            skip.update(el.iter())
            continue
        if text_size(el) > 300:
            continue
        text = text_of(el)
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
        if sib is child or not tag_of(sib) or tag_of(sib) in DROPPED_TAGS:
            continue
        if is_chrome(sib) or is_portal_section(sib) or any(is_portal_section(d) for d in sib.iter()):
            return True
        size = text_size(sib)
        if tag_of(sib) != "p" and size < 400 and _LOGIN.search(text_of(sib)):
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
            if tag_of(child) in _CONTAINERS and not is_chrome(child):
                n = text_size(child) - _link_text_len(child)
                if n > best_len:
                    best, best_len = child, n
        own = text_size(node) - _link_text_len(node)
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
        if tag_of(ancestor) in _CONTAINERS:
            root = ancestor
        if ancestor is body:
            break
    return root, True
