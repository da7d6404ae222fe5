"""Legal-basis references: the "Căn cứ ..." preamble (and every other citation) → `Reference` rows.

The stage joins the document's lines into paragraphs (paragraphs.py), finds the preamble between the
title and the operative part (sections.py), and parses every cited document in it and in the rest of
the text (parse.py, with fields.py for one reference's symbol/type/law name and issuers.py for the
issuer); document.py keeps one row per cited document. Sections:

    can_cu    the basis paragraphs: "Căn cứ ...", and "Thực hiện ..." / "Theo ..." when they cite a
              document (a title line starting "Thực hiện ..." is not a basis)
    proposal  "Theo đề nghị của ... tại Tờ trình số ...", "Xét Tờ trình số ...", and what follows
              them in that paragraph
    body      every other citation: later in the text, in the header or title, or cited inside another
              reference's title ("... sửa đổi một số điều của Thông tư số 85/2019/TT-BTC")
    portal    the lists a legal portal adds around the document (doc.portal_lines), never mixed in

Choices worth knowing:

- Matching runs on a key (keys.py): the NFC text with diacritics stripped (Đ → D) and look-alike
  dashes unified, one character for one character, so every match maps back to the text as printed
  (`symbol_raw`, `issuer_raw` and `raw` are slices of the NFC text with whitespace collapsed).
  Function words ("của", "do", "tại", ...) are matched on the text itself, where "đô thị" cannot
  read as "do thi".
- Symbols: "1719/QĐ-TTg", "39/2021/QĐ-TTg", "435/KH-ĐCT-DTTG", Party "06-NQ/TU", and a bare
  number/year after a type word ("Thông tư 24/2020"); stray spaces around "/" and "-" are allowed.
  Canonical `symbol`: normalize.text.clean (NFC, Đ U+0110, hyphen-minus) without spaces.
- Laws without a number ("Luật Tổ chức chính quyền địa phương ngày 19/6/2015", "Bộ luật Lao động",
  "Pháp lệnh ...", "Hiến pháp ...") are references whose `symbol` is the law's name as printed,
  starting with its type word (an amendment law reads "Luật sửa đổi, ..." in lower case whatever the
  print), without the year, which goes to `year`/`issue_date`. A law named inside an amendment's name
  is part of that name, not a reference; "dự thảo Luật ..." is not a document. In the body a law
  counts only with a date, a year or a number next to it.
- Types, abbreviations and law words: normalize/data/doc_types.csv (normalize.doctypes), shared with
  the header stage. Dates: normalize.dates ("ngày 14/10/2021", "ngày 14 tháng 10 năm 2021"; an
  impossible date, or a year outside 1900-2099, gives ''); portal items carry "năm 2021", a year only.
- Issuers: canonical form by normalize.issuers.canonical_issuer (abbreviations expanded, the usual
  capitalisation, an issuer ending in "tỉnh" or "Tỉnh ủy" completed with doc.meta.province).
- `raw` is the clause (up to ";" or the end of the sentence) the reference stands in; `page` is the
  page of the line where the reference starts (None for HTML).
- Warnings (Stage.REFS): `ref_unparsed` for a clause of a basis paragraph that looks like a citation
  but gives no reference (the clause is kept in the message); `ref_error` if a paragraph made the
  parser fail (never expected; the rest of the document still goes through).

Every heuristic decision is logged at DEBUG level (logger names extract.stages.refs.*), with its page.
"""

from __future__ import annotations

from .document import extract_references
from .paragraphs import lines_to_paragraphs
from .parse import SECTIONS, parse_reference_sentence
from .sections import basis_paragraphs

__all__ = [
    "SECTIONS",
    "basis_paragraphs",
    "extract_references",
    "lines_to_paragraphs",
    "parse_reference_sentence",
]
