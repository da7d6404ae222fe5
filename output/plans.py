"""Copies → plans: which documents are the same plan, which copy to trust, which plan amends which.

A plan is printed once and circulates as several files (its PDF, the legal portal's page, a scan, a
re-upload). Counting files would count the plan's numbers once per copy, so every view counts plans.
Everything here is a function of document and reference rows (dicts as in the output tables), so the
store can recompute it from its whole content after each batch and get the same answer in any order.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from extract.kinds import Status
from normalize.issuers import issuing_body
from normalize.text import fold, slug
from normalize.vocab import read_rows

Row = Mapping[str, object]

# Which copy's numbers a plan takes: a text PDF is the printed original, a DOCX is usually the drafter's
# file, a portal page is re-typed, and OCR misreads.
FORMAT_RANK = {"pdf": 0, "docx": 1, "html": 2}
OCR_RANK = 3
_SYMBOL = re.compile(r"\b(\d+(?:/\d{4})?/[A-Za-zĐđ][\wĐđ.-]*)")


def _text(row: Row, column: str) -> str:
    value = row.get(column)
    return "" if value is None or value != value else str(value)  # NaN from pandas counts as empty


def plan_base(province: str, doc_number: str, issue_date: str) -> str:
    """'lao-cai_355-kh-ubnd_2022-10-24': the readable part of a document's and its plan's id."""
    if not doc_number:
        return ""
    return "_".join(p for p in (slug(province), slug(doc_number), issue_date) if p)


def plan_id(doc: Row) -> str:
    """The plan a document is a copy of, from its own metadata: province_number_date (a central body's
    plan also gets 6 hex digits of its issuer, as its province is empty); the content hash when the
    number or date is blank (such a file is a plan of its own); empty for a file that could not be read."""
    if _text(doc, "status") == Status.FAILED:
        return ""
    number, date = _text(doc, "doc_number"), _text(doc, "issue_date")
    if number and date:
        base = plan_base(_text(doc, "province"), number, date)
        if _text(doc, "province"):
            return base
        issuer = fold(issuing_body(_text(doc, "issuer")))
        return f"{base}_{hashlib.sha256(issuer.encode()).hexdigest()[:6]}"
    return f"sha-{_text(doc, 'sha256')[:12]}"


def copy_rank(doc: Row, has_ocr_targets: bool) -> tuple:
    """Sort key of a plan's copies, best first: read fully, then text PDF > DOCX > HTML > OCR, Unicode
    before a converted legacy encoding, then the doc_id so ties are decided the same way every time."""
    kind = OCR_RANK if has_ocr_targets else FORMAT_RANK.get(_text(doc, "format"), OCR_RANK)
    legacy = _text(doc, "encoding") not in ("", "unicode")
    return (_text(doc, "status") != Status.OK, kind, legacy, _text(doc, "doc_id"))


@dataclass(frozen=True)
class Supersession:
    earlier_plan_id: str
    later_plan_id: str
    relation: str  # amends / replaces
    symbol: str  # the earlier plan's number as cited by the later one


@lru_cache(maxsize=1)
def _amendment_phrases() -> tuple[tuple[str, str], ...]:
    return tuple((fold(r["phrase"]), r["relation"]) for r in read_rows("amendment_phrases.csv"))


def amendment_relation(title: str) -> str:
    """'replaces' / 'amends' when the title says the plan changes an earlier one, else ''."""
    key = fold(title)
    found = {relation for phrase, relation in _amendment_phrases() if phrase in key}
    return "replaces" if "replaces" in found else ("amends" if found else "")


def find_supersessions(plans: list[Row], refs: Iterable[Row], plan_of_doc: Mapping[str, str]) -> list[Supersession]:
    """Plans whose title amends or replaces an earlier plan of the store, cited by number in the title or
    in the plan's references (portal lists excluded); the cited plan must be older and share the issuer."""
    by_number: dict[str, list[Row]] = {}
    for plan in plans:
        if _text(plan, "doc_number"):
            by_number.setdefault(slug(_text(plan, "doc_number")), []).append(plan)
    cited: dict[str, set[str]] = {}
    for ref in refs:
        if _text(ref, "section") != "portal" and _text(ref, "symbol"):
            cited.setdefault(plan_of_doc.get(_text(ref, "doc_id"), ""), set()).add(_text(ref, "symbol"))
    out = []
    for plan in plans:
        relation = amendment_relation(_text(plan, "title"))
        if not relation:
            continue
        symbols = cited.get(_text(plan, "plan_id"), set()) | set(_SYMBOL.findall(_text(plan, "title")))
        for symbol in sorted(symbols):
            for earlier in by_number.get(slug(symbol), []):
                if (earlier["plan_id"] != plan["plan_id"] and _text(earlier, "issue_date") < _text(plan, "issue_date")
                        and fold(_text(earlier, "issuer")) == fold(_text(plan, "issuer"))):
                    out.append(Supersession(str(earlier["plan_id"]), str(plan["plan_id"]), relation, symbol))
    return sorted(set(out), key=lambda s: (s.earlier_plan_id, s.later_plan_id))


def symbol_variants(cited: Iterable[Row], max_edits: int = 2) -> list[dict[str, object]]:
    """Cited symbols that differ only by a typo (612/QĐ-UBND vs 612/QĐ-UBDT): same number, same date and
    same canonical issuer, at most `max_edits` letters apart. Flagged for a person, never merged."""
    groups: dict[tuple[str, str, str], list[Row]] = {}
    for row in cited:
        symbol, date, issuer = _text(row, "symbol"), _text(row, "issue_date"), _text(row, "issuer")
        if symbol and date and issuer:
            groups.setdefault((symbol.split("/")[0], date, fold(issuer)), []).append(row)
    out = []
    for rows in groups.values():
        rows = sorted(rows, key=lambda r: (-int(r.get("n_citing_plans") or 0), _text(r, "symbol")))
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                if Levenshtein.distance(fold(_text(a, "symbol")), fold(_text(b, "symbol"))) <= max_edits:
                    out.append({"symbol": b["symbol"], "likely_same_as": a["symbol"], "issue_date": a["issue_date"],
                                "issuer": a["issuer"], "n_citing_plans": b.get("n_citing_plans"),
                                "n_citing_plans_other": a.get("n_citing_plans")})
    return sorted(out, key=lambda r: (str(r["likely_same_as"]), str(r["symbol"])))
