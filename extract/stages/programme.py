"""Programme and project of each document: is this a plan for Project 8 of programme 1719?

"Dự án 8" is also a project of other national target programmes (the drug-prevention programme's legal-aid
project), and a 1719 document may be about another of its projects. So the project number is never read
alone: it belongs to the programme the same evidence names. Evidence, strongest first:

1. the title: "Dự án N", the programme's name ("... vùng đồng bào DTTS và miền núi"), the project's name;
2. the basis references: the approving decision (1719/QĐ-TTg) and the names in the cited titles
   ("Kế hoạch 43/KH-ĐCT ... về triển khai Dự án 8 “Thực hiện bình đẳng giới ...”");
3. the body: programme names and the "Dự án N" mentioned most often.

A later source only fills what an earlier one left open, and never overrides it; conflicting programmes
at one level leave the programme empty (precision first). `programme_evidence` lists what decided.
"""

from __future__ import annotations

import logging
from collections import Counter

from normalize.programmes import Naming, decision, named, projects

from ..kinds import Stage, Status, WarningKind
from ..model import Document

log = logging.getLogger(__name__)

PROGRAMME_1719 = "1719"  # the tool's subject: Project 8 of the programme approved by Quyết định 1719/QĐ-TTg
PROJECT_8 = "8"
_BASIS = ("can_cu", "proposal")


class _Finding:
    """Programme and project decided so far, with the evidence that decided them."""

    def __init__(self) -> None:
        self.programme = ""
        self.project = ""
        self.evidence: list[str] = []

    def programme_from(self, programmes: list[str], why: list[str]) -> None:
        distinct = sorted(set(programmes))
        if not self.programme and len(distinct) == 1:
            self.programme = distinct[0]
            self.evidence.extend(why)

    def project_from(self, numbers: list[str], names: list[Naming], why: str) -> None:
        """A project number, or a project's name of the programme decided (or to be decided with it)."""
        if self.project:
            return
        own = [n for n in names if n.project and n.programme in ("", self.programme or n.programme)]
        if len(set(numbers)) == 1:
            self.project = numbers[0]
        elif len({n.project for n in own}) == 1:
            self.project = own[0].project
            self.programme_from([own[0].programme], [])
        if self.project:
            self.evidence.append(why)


def _from_title(found: _Finding, title: str) -> None:
    names = named(title)
    found.programme_from([n.programme for n in names if not n.project],
                         [f"title: {n.text}" for n in names if not n.project])
    numbers = projects(title)
    found.project_from(numbers, names, f"title: Dự án {numbers[0]}" if numbers else
                       "title: " + "; ".join(n.text for n in names if n.project))


def _from_references(found: _Finding, doc: Document) -> None:
    hits: list[tuple[Naming, str]] = []
    for ref in doc.refs:
        if ref.section not in _BASIS:
            continue
        by_symbol = decision(ref.symbol)
        if by_symbol is not None:
            hits.append((by_symbol, f"ref {ref.symbol}"))
        hits.extend((n, f"ref {ref.symbol} title: {n.text}") for n in named(ref.title))
    programmes = [n for n, _ in hits if not n.project]
    found.programme_from([n.programme for n in programmes], [why for n, why in hits if not n.project])
    project_names = [(n, why) for n, why in hits if n.project and n.programme == (found.programme or n.programme)]
    if project_names:
        found.project_from([], [n for n, _ in project_names], project_names[0][1])


def _from_body(found: _Finding, doc: Document) -> None:
    text = " ".join(line.text for line in doc.lines)
    names = named(text)
    found.programme_from([n.programme for n in names if not n.project],
                         [f"body: {n.text}" for n in names if not n.project])
    counts = Counter(projects(text)).most_common(2)
    if counts and counts[0][1] >= 2 and (len(counts) == 1 or counts[0][1] > counts[1][1]):
        found.project_from([counts[0][0]], [], f"body: Dự án {counts[0][0]} ×{counts[0][1]}")
    else:
        found.project_from([], names, "body: " + "; ".join(n.text for n in names if n.project))


def identify_programme(doc: Document) -> Document:
    """Fill doc.meta.programme, .project and .programme_evidence."""
    found = _Finding()
    _from_title(found, doc.meta.title)
    _from_references(found, doc)
    _from_body(found, doc)
    doc.meta.programme, doc.meta.project = found.programme, found.project
    doc.meta.programme_evidence = "; ".join(dict.fromkeys(found.evidence))
    log.debug("programme %r project %r: %s", found.programme, found.project, doc.meta.programme_evidence)
    return doc


def is_project8(doc: Document) -> bool:
    return doc.meta.programme == PROGRAMME_1719 and doc.meta.project == PROJECT_8


def keep_only_project8(docs: list[Document]) -> None:
    """--only-project8: other documents keep their documents row but none of their targets."""
    for doc in docs:
        if doc.status == Status.FAILED or is_project8(doc):
            continue
        what = f"programme {doc.meta.programme or '?'}, project {doc.meta.project or '?'}"
        doc.warn(Stage.META, WarningKind.NOT_PROJECT8,
                 f"{what}: not Project 8 of programme {PROGRAMME_1719}; its {len(doc.targets)} target rows are "
                 f"left out (--only-project8)")
        doc.targets = []
