"""Provenance to the pixel and the review pages: each cell's box lies on the printed text, and the
review page (checked in a real headless Chromium) links each warning to its cell."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pymupdf
import pytest
from lxml import html as lxml_html

from extract import run
from extract.cli import main
from extract.pipeline import process_document

from .conftest import SAMPLES, read_csv

BINH_THUAN = SAMPLES / "binh-thuan-3798-2022.pdf"
BINH_THUAN_HTML = SAMPLES / "binh-thuan-3798-2022.html"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    """A run over the Bình Thuận PDF and HTML, then `python -m extract review OUT --template`."""
    root = tmp_path_factory.mktemp("review")
    src = root / "in"
    src.mkdir()
    shutil.copy(BINH_THUAN, src / BINH_THUAN.name)
    shutil.copy(BINH_THUAN_HTML, src / BINH_THUAN_HTML.name)
    run([src], root / "out")
    assert main(["review", str(root / "out"), "--template"]) == 0
    return root


def doc_row(root: Path, source_file: str) -> dict[str, str]:
    return next(d for d in read_csv(root / "out" / "documents.csv") if d["source_file"] == source_file)


def dump_dom(page: Path, profile: Path) -> str:
    """The page's DOM after its scripts ran, from a real headless Chromium (no network needed)."""
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
        "--window-size=1600,1200", "--virtual-time-budget=5000", "--dump-dom", page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/setup.sh: apt-get install chromium)")
def test_review_page_links_the_gals_total_mismatch_to_the_printed_5(reviewed, tmp_path):
    doc = doc_row(reviewed, BINH_THUAN.name)
    dom = lxml_html.fromstring(dump_dom(reviewed / "out" / "review" / f"{doc['doc_id']}.html", tmp_path / "profile"))
    assert dom.body.get("data-ready") == "yes"  # the page's script ran
    (warning,) = dom.xpath('//li[@class="warning"][@data-kind="total_mismatch"]')
    assert warning.get("data-linked") == "yes"
    cell = dom.get_element_by_id(warning.get("data-cell"))
    assert "warned" in cell.get("class") and warning.get("id") in cell.get("data-warnings")
    assert cell.xpath("ancestor::section")[0].get("id") == warning.xpath("ancestor::section")[0].get("id")
    # Where the browser drew the cell, in PDF points, against where PyMuPDF says the "5"s are printed.
    x0, y0, x1, y1 = (float(v) for v in cell.get("data-rendered").split(","))
    page_number = int(cell.xpath("ancestor::section")[0].get("id").split("-")[1])
    words = pymupdf.open(BINH_THUAN)[page_number - 1].get_text("words")
    fives = [w for w in words if w[4] == "5"]
    inside = [w for w in fives if x0 <= w[0] and w[2] <= x1 and y0 <= w[1] and w[3] <= y1]
    assert len(inside) == 1 and len(fives) > 1  # on that "5" and on no other
    assert (x1 - x0) < 80 and (y1 - y0) < 40  # one cell, not the table


def _words_in_display(page: pymupdf.Page) -> list[tuple[pymupdf.Rect, str]]:
    return [(pymupdf.Rect(w[:4]) * page.rotation_matrix, w[4]) for w in page.get_text("words")]


def _turned_copies(folder: Path) -> list[Path]:
    """The Bình Thuận PDF (its first page and the table's page 11) with the table page given /Rotate 90,
    and drawn sideways on portrait pages."""
    src = pymupdf.open(BINH_THUAN)
    src.select([0, 10])
    rotated = pymupdf.open()
    rotated.insert_pdf(src)
    rotated[1].set_rotation(90)
    rotated.save(folder / "rotated.pdf")
    sideways = pymupdf.open()
    for number in range(len(src)):
        rect = src[number].rect
        page = sideways.new_page(width=rect.height, height=rect.width)
        page.show_pdf_page(page.rect, src, number, rotate=90)
    sideways.save(folder / "sideways.pdf")
    return [folder / "rotated.pdf", folder / "sideways.pdf"]


def test_boxes_lie_on_the_printed_values_on_turned_pages(tmp_path):
    for path in _turned_copies(tmp_path):
        doc = process_document(path, path.name)
        assert doc.pages[1].display_matrix != (1, 0, 0, 1, 0, 0)  # the turn is undone, not ignored
        pdf = pymupdf.open(path)
        words = {number: _words_in_display(pdf[number - 1]) for number in {t.page for t in doc.targets}}
        checked = 0
        for t in doc.targets:
            if not t.value_raw or t.box is None:
                continue
            page = pdf[t.page - 1]
            assert (t.box.page_width, t.box.page_height) == (round(page.rect.width, 2), round(page.rect.height, 2))
            box = pymupdf.Rect(t.box.cell_x0, t.box.cell_y0, t.box.cell_x1, t.box.cell_y1)
            texts = [text for rect, text in words[t.page] if box.contains((rect.tl + rect.br) / 2)]
            assert t.value_raw in texts, (path.name, t.row_index, t.col_index, t.value_raw, texts)
            checked += 1
        assert checked > 50, path.name


def test_html_input_shows_the_table_as_read_with_the_warning_linked(reviewed):
    doc = doc_row(reviewed, BINH_THUAN_HTML.name)
    page = lxml_html.parse(str(reviewed / "out" / "review" / f"{doc['doc_id']}.html")).getroot()
    (warning,) = page.xpath('//li[@data-kind="total_mismatch"]')
    cell = page.get_element_by_id(warning.get("data-cell"))
    assert cell.tag == "td" and cell.text_content().strip() == "5" and "total" in cell.get("class")
    assert not page.xpath("//img[contains(@src, 'http')]") and not page.xpath("//script[@src]")


def test_index_and_template(reviewed):
    index = (reviewed / "out" / "review" / "index.html").read_text(encoding="utf-8")
    doc = doc_row(reviewed, BINH_THUAN.name)
    assert f'href="{doc["doc_id"]}.html"' in index
    (row,) = read_csv(reviewed / "corrections" / f"cells-review-{doc['doc_id']}.csv")
    assert (row["sha256"], row["value_raw"], row["value"]) == (doc["sha256"], "5", "")
    assert row["note"].startswith("total_mismatch")


def test_review_usage_errors(reviewed, tmp_path, capsys):
    assert main(["review", str(tmp_path)]) == 2
    assert "no documents.csv" in capsys.readouterr().err
    assert main(["review", str(reviewed / "out"), "--doc", "no-such-doc"]) == 2
    assert "unknown doc_id: no-such-doc" in capsys.readouterr().err
