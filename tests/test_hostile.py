"""A batch of hostile and broken files: each bad file fails alone with a clear reason, the good ones
come out exactly as in a batch without the bad ones, and nothing is lost on interruption."""

from __future__ import annotations

import os
import shutil
import zlib
from pathlib import Path

import pymupdf
import pytest

from extract import pipeline
from extract.cli import EXIT_SOME_FAILED, main

from .conftest import SAMPLES, read_csv

GOOD = ["gia-lai-1002-2024.pdf", "lao-cai-355-2022.html"]


def _minimal_pdf(content: bytes, filters: str = "/Filter /FlateDecode") -> bytes:
    """A one-page PDF whose page content stream is `content` (already encoded), with a correct xref."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        f"<< /Length {len(content)} {filters} >>\nstream\n".encode() + content + b"\nendstream",
    ]
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


def _bomb(inflated_mb: int = 200) -> bytes:
    """A content stream of under a megabyte that inflates to `inflated_mb` MB of spaces (level 1: as small
    as level 9 within a factor of five, in a third of the time)."""
    squeezer = zlib.compressobj(1)
    chunk = b" " * (1 << 20)
    packed = b"".join(squeezer.compress(chunk) for _ in range(inflated_mb)) + squeezer.flush()
    return _minimal_pdf(packed)


def _long_pdf(path: Path, pages: int) -> None:
    """`pages` pages each saying "Trang i", written as raw content streams over one shared font
    (Page.insert_text takes three times as long, embedding its font on every page)."""
    pdf = pymupdf.open()
    font = pdf.get_new_xref()
    pdf.update_object(font, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i in range(pages):
        page = pdf.new_page()
        content = pdf.get_new_xref()
        pdf.update_object(content, "<<>>")
        pdf.update_stream(content, f"BT /F1 12 Tf 72 770 Td (Trang {i + 1}) Tj ET".encode())
        pdf.xref_set_key(page.xref, "Contents", f"{content} 0 R")
        pdf.xref_set_key(page.xref, "Resources", f"<< /Font << /F1 {font} 0 R >> >>")
    pdf.save(path)


def _encrypted(src: Path, dst: Path, user_pw: str) -> None:
    pdf = pymupdf.open(src)
    pdf.save(dst, encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner-secret", user_pw=user_pw)


def _make_hostile(folder: Path) -> dict[str, str]:
    """Write the bad files; returns file name -> the word its failure reason must contain."""
    sample = (SAMPLES / "tw-hoi-lhpn-96-2022.pdf").read_bytes()
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "truncated.pdf").write_bytes(sample[: len(sample) // 3])
    (folder / "notes.pdf").write_text("Đây là ghi chú, không phải PDF.\n", encoding="utf-8")
    (folder / "error-page.pdf").write_text(
        "<!DOCTYPE html><html><head><title>404 Not Found</title></head>"
        "<body><h1>404</h1><p>Không tìm thấy trang.</p></body></html>", encoding="utf-8")
    (folder / "old-word.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    _encrypted(SAMPLES / "tw-hoi-lhpn-96-2022.pdf", folder / "locked.pdf", user_pw="secret")
    return {
        "empty.pdf": "empty",
        "notes.pdf": "not a PDF",
        "error-page.pdf": "no document content",
        "old-word.docx": ".doc",
        "locked.pdf": "password",
        "truncated.pdf": "damaged or truncated",
    }


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    src = root / "in"
    src.mkdir()
    for name in GOOD:
        shutil.copy(SAMPLES / name, src / name)
    expect_failed = _make_hostile(src)
    # Files that are odd but readable: they must not fail.
    shutil.copy(SAMPLES / "tw-hoi-lhpn-96-2022.pdf", src / "Kế hoạch số 96 của Hội.pdf")
    _encrypted(SAMPLES / "tw-hoi-lhpn-96-2022.pdf", src / "owner-only.pdf", user_pw="")
    broken = bytearray((SAMPLES / "tw-hoi-lhpn-96-2022.pdf").read_bytes())
    at = broken.rindex(b"startxref")
    broken[at:] = b"startxref\n999999\n%%EOF\n"
    (src / "broken-xref.pdf").write_bytes(bytes(broken))
    (src / "bomb.pdf").write_bytes(_bomb())
    _long_pdf(src / "long.pdf", 1000)
    (src / "loop").mkdir()
    os.symlink(src / "loop", src / "loop" / "again")

    out = root / "out"
    code = main(["run", str(src), "--out", str(out), "--workers", "2", "--quiet"])
    clean = root / "clean"
    clean_src = root / "clean-in"
    clean_src.mkdir()
    for name in GOOD:
        shutil.copy(SAMPLES / name, clean_src / name)
    main(["run", str(clean_src), "--out", str(clean), "--workers", "1", "--quiet"])
    return code, out, clean, expect_failed


def test_exit_code_says_some_failed(hostile_run):
    code, *_ = hostile_run
    assert code == EXIT_SOME_FAILED


def test_every_bad_file_has_a_failed_row_and_a_clear_reason(hostile_run):
    _, out, _, expect_failed = hostile_run
    docs = {r["source_file"]: r for r in read_csv(out / "documents.csv")}
    reasons = {r["source_file"]: r["message"] for r in read_csv(out / "warnings.csv") if r["stage"] == "read"}
    for name, word in expect_failed.items():
        assert docs[name]["status"] == "failed", name
        assert word in reasons[name], (name, reasons.get(name))
        assert "Traceback" not in reasons[name]


def test_odd_but_readable_files_are_read(hostile_run):
    _, out, _, _ = hostile_run
    docs = {r["source_file"]: r for r in read_csv(out / "documents.csv")}
    assert docs["Kế hoạch số 96 của Hội.pdf"]["doc_number"] == "96/KH-ĐCT"
    assert docs["owner-only.pdf"]["doc_number"] == "96/KH-ĐCT"  # empty user password: opens without asking
    assert docs["broken-xref.pdf"]["doc_number"] == "96/KH-ĐCT"
    assert docs["long.pdf"]["pages"] == "1000"  # every page read, no page limit hit
    assert docs["long.pdf"]["status"] == "partial"  # "Trang N" pages: it has no header block to read
    assert docs["bomb.pdf"]["status"] == "partial"
    kinds = {(r["source_file"], r["kind"]) for r in read_csv(out / "warnings.csv")}
    assert ("bomb.pdf", "content_too_large") in kinds
    assert {k for f, k in kinds if f == "long.pdf"} <= {"header_missing", "signer_missing"}
    assert ("broken-xref.pdf", "pdf_repaired") in kinds


def test_good_files_come_out_as_in_a_clean_batch(hostile_run):
    _, out, clean, _ = hostile_run
    for table in ("targets", "refs"):
        got = [r for r in read_csv(out / f"{table}.csv") if r["source_file"] in GOOD]
        assert got == read_csv(clean / f"{table}.csv"), table


def test_unreadable_file_fails_alone(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLES / "tw-hoi-lhpn-96-2022.pdf", src / "good.pdf")
    (src / "secret.pdf").write_bytes(b"%PDF-1.7\n")
    real = pipeline.file_sha256

    def deny(path):
        if Path(path).name == "secret.pdf":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(pipeline, "file_sha256", deny)  # root reads everything: simulate a 000 file
    out = tmp_path / "out"
    assert main(["run", str(src), "--out", str(out), "--workers", "1", "--quiet", "--no-cache"]) == EXIT_SOME_FAILED
    docs = {r["source_file"]: r["status"] for r in read_csv(out / "documents.csv")}
    assert docs == {"good.pdf": "ok", "secret.pdf": "failed"}
    assert "Permission denied" in read_csv(out / "warnings.csv")[0]["message"]


def test_interrupted_run_leaves_previous_output_and_resumes_from_cache(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    for name in GOOD + ["tw-hoi-lhpn-96-2022.pdf"]:
        shutil.copy(SAMPLES / name, src / name)
    out = tmp_path / "out"
    clean = tmp_path / "clean"
    main(["run", str(src), "--out", str(clean), "--workers", "1", "--quiet", "--no-cache"])

    (out).mkdir()
    (out / "documents.csv").write_text("previous complete output\n")
    real_run = pipeline.run_in_children

    def interrupted_after_two(jobs, work, on_done, **limits):  # Ctrl-C reaches the parent after two documents
        finished: list[int] = []

        def counting(job, result):
            on_done(job, result)
            finished.append(job)
            if len(finished) == 2:
                raise KeyboardInterrupt

        real_run(jobs, work, counting, **limits)

    monkeypatch.setattr(pipeline, "run_in_children", interrupted_after_two)
    assert main(["run", str(src), "--out", str(out), "--workers", "1", "--quiet"]) == 130
    assert (out / "documents.csv").read_text() == "previous complete output\n"

    log = tmp_path / "calls.txt"
    real = pipeline.process_document

    def logged(path, source_file, settings=None, cache=None):  # runs in the child: records through a file
        with open(log, "a") as fh:
            fh.write(source_file + "\n")
        return real(path, source_file, settings, cache)

    monkeypatch.setattr(pipeline, "run_in_children", real_run)
    monkeypatch.setattr(pipeline, "process_document", logged)
    main(["run", str(src), "--out", str(out), "--workers", "1", "--quiet"])
    assert log.read_text().split() == ["tw-hoi-lhpn-96-2022.pdf"]  # the two finished before were reused
    for table in ("documents", "targets", "refs", "warnings"):
        assert (out / f"{table}.csv").read_bytes() == (clean / f"{table}.csv").read_bytes(), table
