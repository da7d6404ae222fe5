"""Every document within its limits, always (issue 14): hangs stopped from outside, special files
refused at once, bombs refused before they inflate, formula-safe CSV, any file name, no orphans.

Bombs run under the default per-document memory limit; each must end with its own specific kind
(not `memory_limit`), which shows the reader's limit caught it before the memory was spent.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from extract import pipeline
from extract.isolation import ChildFailed, run_in_children
from extract.kinds import Stage
from extract.settings import Settings
from extract.stages.refs import document as refs_document
from extract.stages.refs import fields, grammar, keys, ocr_types, paragraphs, parse, sections
from output.cells import formula_safe

from .conftest import FIXTURES, ROOT, SAMPLES, read_csv
from .test_hostile import _minimal_pdf

PLAN = FIXTURES / "hostile" / "plan.html"
FAST = Settings(workers=2, use_cache=False)


def _run(folder: Path, out: Path, settings: Settings = FAST) -> dict[str, tuple[str, set[str]]]:
    """source_file -> (status, warning kinds) of a run over `folder`."""
    result = pipeline.run([folder], out, settings)
    return {d.source_file: (d.status, {w.kind for w in d.warnings}) for d in result.documents}


def _plan_with(folder: Path, name: str, extra_html: str) -> None:
    text = PLAN.read_text(encoding="utf-8")
    (folder / name).write_text(text.replace("</body>", extra_html + "</body>"), encoding="utf-8")


# ---------------------------------------------------------------------------------------- hangs


DOTS = "Căn cứ Quyết định số 12/QĐ-UBND ngày 01/02/2020 của UBND tỉnh về việc phê duyệt"


def test_the_dots_line_finishes(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    _plan_with(src, "dots.html", f"<p>{DOTS}{'.' * 60} Chương trình</p><p>{DOTS}{' .' * 60}x</p>")
    status, kinds = _run(src, tmp_path / "out", Settings(use_cache=False, seconds_per_document=20))["dots.html"]
    assert status == "ok" and "time_limit" not in kinds


def _patterns() -> list[re.Pattern]:
    found = []
    for module in (grammar, fields, paragraphs, keys, parse, refs_document, ocr_types, sections):
        found += [v for v in vars(module).values() if isinstance(v, re.Pattern)]
    return found


def _fuzz(_: int) -> int:
    """Every reference pattern over long runs of dots, commas and spaces (in a child: a hang is killed)."""
    runs = [c * 2000 for c in (".", ",", " ", ". ", ", ", " ,", ";", " và", " va", "ab ")]
    texts = [f"{head}{run}{tail}" for run in runs for head in ("Can cu Quyet dinh so 1/QD-TTg ve ", DOTS, "")
             for tail in ("", "x", " Chương trình")]
    for pattern in _patterns():
        for text in texts:
            pattern.search(text)
            pattern.match(text)
    for text in texts:
        grammar.strip_title_trail(text)
        grammar.title_then_join(text)
    return len(texts)


def test_the_reference_patterns_do_not_backtrack_on_long_runs():
    outcome: dict[int, object] = {}
    run_in_children([0], _fuzz, outcome.__setitem__, workers=1, seconds=30)
    assert not isinstance(outcome[0], ChildFailed), outcome[0]


def test_a_stuck_document_is_stopped_from_outside_also_with_one_worker(tmp_path, monkeypatch):
    def stuck(doc):
        time.sleep(3600)

    monkeypatch.setattr(pipeline, "_stages", lambda: [(Stage.META, stuck)])
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(PLAN, src / "stuck.html")
    started = time.monotonic()
    status, kinds = _run(src, tmp_path / "out", Settings(workers=1, use_cache=False, seconds_per_document=1))[
        "stuck.html"]
    assert time.monotonic() - started < 30
    assert status == "failed" and kinds == {"time_limit"}


def test_a_fifo_and_a_link_to_dev_zero_are_refused_at_once(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    os.mkfifo(src / "pipe.pdf")
    os.symlink("/dev/zero", src / "zero.pdf")
    shutil.copy(PLAN, src / "plan.html")
    code = "import sys; from extract.cli import main; sys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-c", code, "run", str(src), "--out", str(out), "--quiet"],
                          cwd=ROOT, env=env, timeout=120, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    kinds = {r["source_file"]: r["kind"] for r in read_csv(out / "warnings.csv") if r["stage"] == "read"}
    assert kinds["pipe.pdf"] == kinds["zero.pdf"] == "not_regular_file"
    assert {r["source_file"]: r["status"] for r in read_csv(out / "documents.csv")}["plan.html"] == "ok"


# ---------------------------------------------------------------------------------------- bombs


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies (1: catalog, 2: pages, 3: the page), with a correct xref."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(dictionary: str, data: bytes) -> bytes:
    return f"<< {dictionary} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def _double_flate(mb: int = 600) -> bytes:
    squeezer = zlib.compressobj(9)
    once = b"".join(squeezer.compress(b" " * (1 << 20)) for _ in range(mb)) + squeezer.flush()
    return _minimal_pdf(zlib.compress(once, 9), "/Filter [/FlateDecode /FlateDecode]")


def _form_bomb(levels: int = 9, fanout: int = 10) -> bytes:
    """Form i draws form i+1 `fanout` times; the last draws text: fanout**levels text runs from 1 KB."""
    first = 5  # object number of form 0 (4 is the page's content stream)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /XObject << /F0 5 0 R >> >> >>",
               _stream("", b"/F0 Do")]
    for level in range(levels):
        if level == levels - 1:
            body, res = b"BT /H 12 Tf 72 72 Td (Bom) Tj ET", "/Font << /H << /Type /Font /Subtype /Type1 " \
                "/BaseFont /Helvetica >> >>"
        else:
            body, res = b" ".join([f"/F{level + 1} Do".encode()] * fanout), f"/XObject << /F{level + 1} " \
                f"{first + level + 1} 0 R >>"
        objects.append(_stream(f"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << {res} >>", body))
    return _pdf(objects)


def _docx_with(document_xml: bytes, extra: tuple[str, int] | None = None) -> bytes:
    """The Lào Cai sample .docx with its document.xml replaced, plus an optional part of N zero bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(SAMPLES / "lao-cai-355-2022.docx") as zin, zipfile.ZipFile(buf, "w") as zout:
        for item in zin.infolist():
            data = document_xml if item.filename == "word/document.xml" else zin.read(item)
            zout.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
        if extra:
            with zout.open(extra[0], "w", force_zip64=True) as fh:
                for _ in range(extra[1] >> 20):
                    fh.write(bytes(1 << 20))
    return buf.getvalue()


def _grid_span_bomb() -> bytes:
    with zipfile.ZipFile(SAMPLES / "lao-cai-355-2022.docx") as zf:
        xml = zf.read("word/document.xml")
    cell = b'<w:tc><w:tcPr><w:gridSpan w:val="10000000"/></w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>'
    table = b"<w:tbl>" + b"<w:tr>" + cell * 3 + b"</w:tr>" * 1 + (b"<w:tr>" + cell + b"</w:tr>") * 40 + b"</w:tbl>"
    return _docx_with(xml.replace(b"</w:body>", table + b"</w:body>", 1))


def _colspan_bomb() -> str:
    row = "<tr>" + '<td colspan="1000" rowspan="65534">x</td>' * 50 + "</tr>"
    return f"<table>{row * 400}</table>"


def test_bombs_end_with_a_clear_status_before_they_inflate(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "double-flate.pdf").write_bytes(_double_flate())
    (src / "form-bomb.pdf").write_bytes(_form_bomb())
    with zipfile.ZipFile(SAMPLES / "lao-cai-355-2022.docx") as zf:
        xml = zf.read("word/document.xml")
    (src / "big-part.docx").write_bytes(_docx_with(xml, ("word/media/big.bin", 80 << 20)))
    (src / "grid-span.docx").write_bytes(_grid_span_bomb())
    _plan_with(src, "colspan.html", _colspan_bomb())
    with open(src / "sparse.html", "wb") as fh:
        fh.write(PLAN.read_bytes())
        fh.truncate(1 << 30)  # 1 GB that takes a few KB on disk
    found = _run(src, tmp_path / "out", Settings(workers=2, use_cache=False, max_memory_bytes=1 << 30))
    for pdf in ("double-flate.pdf", "form-bomb.pdf"):  # the page is skipped, so its header is missing too
        assert found[pdf][0] == "partial" and "content_too_large" in found[pdf][1], found[pdf]
        assert not found[pdf][1] & {"page_unreadable", "memory_limit", "crashed"}, found[pdf]
    assert found["big-part.docx"][0] == "failed"
    assert found["grid-span.docx"][0] == "partial" and "table_too_large" in found["grid-span.docx"][1]
    assert found["colspan.html"][0] == "partial" and "table_too_large" in found["colspan.html"][1]
    assert found["sparse.html"] == ("failed", {"file_too_large"})
    reasons = {r["source_file"]: r["message"] for r in read_csv(tmp_path / "out" / "warnings.csv")}
    assert "would inflate to 80 MB" in reasons["big-part.docx"]


# ------------------------------------------------------------------------------ output text


def test_formula_cells_are_escaped_in_csv_and_raw_in_parquet(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(PLAN, src / "=HYPERLINK(evil).html")
    out = tmp_path / "out"
    _run(src, out)
    (doc,) = read_csv(out / "documents.csv")
    assert doc["source_file"] == "'=HYPERLINK(evil).html"
    assert pq.read_table(out / "documents.parquet").column("source_file").to_pylist() == ["=HYPERLINK(evil).html"]
    pipeline.run([src], out, Settings(use_cache=False, csv_formula_safe=False))
    assert read_csv(out / "documents.csv")[0]["source_file"] == "=HYPERLINK(evil).html"


@pytest.mark.parametrize(("raw", "written"), [
    ("=1+1", "'=1+1"), ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("-2+3", "'-2+3"),
    ("-", "-"), ("-5", "-5"), ("+3", "+3"), ("-1.000,5", "-1.000,5"), ("Huyện Bắc Hà", "Huyện Bắc Hà"),
])
def test_the_formula_rule(raw, written):
    assert formula_safe(raw) == written


def test_a_file_name_that_is_not_utf8_is_written_escaped(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(PLAN, os.path.join(os.fsencode(src), b"k\xffh\xe9.html"))
    out = tmp_path / "out"
    assert _run(src, out)["k\\xffh\\xe9.html"][0] == "ok"
    assert read_csv(out / "documents.csv")[0]["source_file"] == "k\\xffh\\xe9.html"


def test_hidden_html_text_is_not_read(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(PLAN, src / "plan.html")
    out = tmp_path / "out"
    _run(src, out)
    symbols = {r["symbol"] for r in read_csv(out / "refs.csv")}
    assert "1719/QĐ-TTg" in symbols  # the visible one
    assert not symbols & {"99/QĐ-TTg", "77/2020/NĐ-CP"}  # display:none, a javascript: link


# -------------------------------------------------------------------------------------- signals


_STUCK_RUN = """
import sys, time
from extract import pipeline
from extract.kinds import Stage
def stuck(doc):
    time.sleep(3600)
pipeline._stages = lambda: [(Stage.META, stuck)]
from extract.cli import main
sys.exit(main(["run", sys.argv[1], "--out", sys.argv[2], "--workers", "2", "--quiet", "--no-cache"]))
"""


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(p) for p in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_sigterm_to_the_main_process_leaves_no_worker(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.html", "b.html"):  # different bytes: identical copies would be read once (extract/ids.py)
        _plan_with(src, name, f"<!-- {name} -->")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", _STUCK_RUN, str(src), str(tmp_path / "out")], cwd=ROOT, env=env)
    workers: set[int] = set()
    for _ in range(600):
        workers = _children(proc.pid)
        if len(workers) == 2:
            break
        time.sleep(0.1)
    assert len(workers) == 2
    proc.send_signal(signal.SIGTERM)
    proc.wait(30)
    for _ in range(100):
        if not any(_alive(pid) for pid in workers):
            break
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)
