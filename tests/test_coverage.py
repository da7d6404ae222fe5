"""No silent misses: a plan announcing an allocation table whose table cannot be read is `partial` with an
`allocation_not_read` warning (an image without OCR, a table holding only words)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pymupdf

from bench.layouts.generate import PRODUCERS
from bench.layouts.spec import make_plan
from extract.kinds import Status, WarningKind
from extract.pipeline import process_document
from extract.settings import OcrSettings, Settings

_SETTINGS = Settings(use_cache=False, ocr=OcrSettings(enabled=False))


def _plan(producer: str):
    return make_plan(7, features={"producer": producer, "rules": "grid", "split": "none", "page": "portrait"})


def _run(path: Path):
    return process_document(path, path.name, _SETTINGS)


def test_readable_plan_has_no_warning(tmp_path: Path) -> None:
    plan = _plan("pdf")
    PRODUCERS["pdf"](plan, tmp_path / plan.name)
    doc = _run(tmp_path / plan.name)
    assert doc.targets and doc.status == Status.OK
    assert not [w for w in doc.warnings if w.kind == WarningKind.ALLOCATION_NOT_READ]


def test_table_as_image_without_ocr(tmp_path: Path) -> None:
    plan = _plan("pdf")
    source = tmp_path / "text.pdf"
    PRODUCERS["pdf"](plan, source)
    with pymupdf.open(source) as pdf, pymupdf.open() as out:
        out.insert_pdf(pdf, from_page=0, to_page=0)
        for page in list(pdf)[1:]:  # the appendix pages become pictures: no text layer left
            image = out.new_page(width=page.rect.width, height=page.rect.height)
            image.insert_image(image.rect, pixmap=page.get_pixmap(dpi=60))
        out.save(tmp_path / "scan.pdf")
    doc = _run(tmp_path / "scan.pdf")
    assert not doc.targets
    assert doc.status == Status.PARTIAL
    warned = [w for w in doc.warnings if w.kind == WarningKind.ALLOCATION_NOT_READ]
    assert len(warned) == 1 and warned[0].page == 1  # the page of the sentence announcing the appendix


def test_table_of_only_words(tmp_path: Path) -> None:
    plan = _plan("html")
    words = dataclasses.replace(plan, values=[["theo kế hoạch"] * len(r) for r in plan.values],
                                totals=["theo kế hoạch"] * len(plan.totals))
    PRODUCERS["html"](words, tmp_path / "words.html")
    doc = _run(tmp_path / "words.html")
    assert not [t for t in doc.targets if t.value is not None]
    assert doc.status == Status.PARTIAL
    assert any(w.kind == WarningKind.ALLOCATION_NOT_READ for w in doc.warnings)
