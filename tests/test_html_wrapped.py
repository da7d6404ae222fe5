"""Hard-wrapped legal-portal pages read like the unwrapped page (extract/readers/html_lines.py).

The fixtures are made here from the samples' HTML: every paragraph of the document's text is cut at word
boundaries into pieces of at most N characters, each piece its own <p>, its own <div>, or a line ended by
<br>, as portals publish them. The wrapped page must give the same documents row and the same refs rows as
the page it was made from, and the "Căn cứ" references of tests/fixtures/refs (the hand-checked ones).
"""

from __future__ import annotations

import copy
import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree, html

from extract.model import Line
from extract.pipeline import process_document
from extract.readers.html_lines import join_wrapped_lines
from extract.stages.refs import parse_reference_sentence
from output.tables import document_row, ref_rows

from .conftest import FIXTURES, HTML_PAGES, read_csv
from .test_refs import PROVINCE, references

_INLINE_ONLY = {"b", "i", "strong", "em", "span"}


def _content(tree: etree._ElementTree) -> etree._Element:
    """The element holding most paragraphs directly: the document's text, not the portal around it."""
    return max(tree.iter(), key=lambda el: sum(1 for child in el if child.tag == "p"))


def _wrap_page(source: Path, target: Path, width: int, mode: str) -> int:
    """Write the page with each plain paragraph of its text hard-wrapped at `width` (<p>/<div> pieces or <br>
    lines) to `target`; returns how many paragraphs were wrapped."""
    tree = html.parse(str(source))
    wrapped = 0
    for p in list(_content(tree)):
        if p.tag != "p" or any(el.tag not in _INLINE_ONLY for el in p.iterdescendants()):
            continue
        pieces = textwrap.wrap(p.text_content(), width, break_long_words=False, break_on_hyphens=False)
        if len(pieces) < 2:
            continue
        wrapped += 1
        if mode == "br":
            p.clear()
            p.text = pieces[0]
            for piece in pieces[1:]:
                etree.SubElement(p, "br").tail = piece
            continue
        parent, at = p.getparent(), p.getparent().index(p)
        parent.remove(p)
        for offset, piece in enumerate(pieces):
            el = copy.copy(p) if mode == "p" else etree.Element("div")
            el.clear()
            el.text = piece
            parent.insert(at + offset, el)
    target.write_bytes(html.tostring(tree, encoding="utf-8", doctype="<!DOCTYPE html>"))
    return wrapped


def _rows(path: Path) -> tuple[dict, list[dict]]:
    doc = process_document(path, path.name)
    document = {k: v for k, v in document_row(doc).items() if k not in ("source_file", "sha256")}
    refs = [{k: v for k, v in row.items() if k != "source_file"} for row in ref_rows(doc)]
    return document, refs


@pytest.fixture(scope="module")
def unwrapped() -> dict[str, tuple[dict, list[dict]]]:
    return {path.stem: _rows(path) for path in HTML_PAGES}


@pytest.mark.parametrize("width,mode", [(60, "p"), (80, "p"), (70, "br"), (65, "div")])
@pytest.mark.parametrize("page", HTML_PAGES, ids=lambda p: p.stem)
def test_hard_wrapped_portal_page_gives_the_rows_of_the_unwrapped_page(page, width, mode, unwrapped, tmp_path):
    wrapped = tmp_path / page.name
    assert _wrap_page(page, wrapped, width, mode) >= 20
    document, refs = _rows(wrapped)
    assert document == unwrapped[page.stem][0]
    assert refs == unwrapped[page.stem][1]
    can_cu = [{f: str(r[f] or "") for f in ("doc_type", "symbol", "issue_date", "issuer")}
              for r in refs if r["section"] == "can_cu"]
    want = [{f: row[f] for f in ("doc_type", "symbol", "issue_date", "issuer")}
            for row in read_csv(FIXTURES / "refs" / f"{page.stem}.csv")]
    assert can_cu == want  # precision and recall 1.000 against the hand-checked references


@settings(max_examples=150, deadline=None)
@given(reference=references(), width=st.integers(min_value=24, max_value=90))
def test_reference_sentence_wrapped_at_random_points_parses_to_the_same_row(reference, width):
    text, want = reference
    text = re.sub(r"(?<=\S-)\n", "", text).replace("\n", " ")  # the generator's own PDF-style line breaks
    pieces = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    joined = join_wrapped_lines([Line(piece) for piece in pieces])
    assert len(joined) == 1, pieces
    (ref,) = parse_reference_sentence(joined[0].text, PROVINCE)
    assert {f: getattr(ref, f) for f in want} == want


@pytest.mark.parametrize("lines", [
    ["I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "Tuyên truyền, nâng cao nhận thức."],
    ["Căn cứ Quyết định số 1719/QĐ-TTg;", "Căn cứ Kế hoạch số 43/KH-ĐCT;"],
    ["Nơi nhận:", "- Như trên;", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"],
])
def test_paragraph_breaks_stay(lines):
    assert [ln.text for ln in join_wrapped_lines([Line(t) for t in lines])] == lines
