"""A tool people can script: arguments refused before any work (exit 2, in the user's terms, no
traceback), every file of a folder accounted for, exit codes that tell a partial run from a good one,
and a summary on stdout that a script can read (--json)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from extract.cli import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, main

from .conftest import ROOT, SAMPLES, read_csv

SMALL = SAMPLES / "tw-hoi-lhpn-96-2022.pdf"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "extract", *args], cwd=ROOT, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["run", str(SMALL), "--out", str(SMALL)], "that is a file"),
        (["run", str(SMALL), "--out", "results.csv"], "give a folder, not a file name"),
        (["run", str(SMALL), "--out", "/proc/extract-out"], "not writable"),
        (["run", str(SMALL), "--out", f"{SMALL}/sub"], "is a file"),
        (["run", str(SMALL), "--workers", "two"], "--workers: expects a whole number, not 'two'"),
        (["run", str(SMALL), "--timeout", "soon"], "--timeout: expects a number"),
        (["run", str(SMALL), "--workers", "0"], "--workers must be at least 1"),
        (["run", "/nonexistent/plans"], "not found: /nonexistent/plans"),
        (["run"], "missing: PATH"),
        (["run", str(SMALL), "--no-such-option"], "unrecognized arguments: --no-such-option"),
        (["indicators", "--unmapped", "/nonexistent"], "no such folder"),
        (["indicators", "--unmapped", str(SAMPLES)], "no run found there"),
    ],
)
def test_bad_arguments_exit_2_in_the_users_terms(args, words):
    done = _cli(*args)
    assert done.returncode == EXIT_USAGE, done.stderr
    assert words in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "paths" not in done.stderr.replace("PATH", "")  # no internal names
    assert not (ROOT / "results.csv").exists()


def test_a_folder_accounts_for_every_file(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SMALL, src / "PLAN.PDF")  # upper-case extension: read
    (src / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0 old word")
    (src / "budget.xls").write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    (src / "notes.txt").write_text("a note\n")
    (src / ".DS_Store").write_bytes(b"\0")
    out = tmp_path / "out"
    assert main(["run", str(src), "--out", str(out), "--quiet", "--json"]) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert report["documents"] == 1 and report["status"]["ok"] == 1
    skipped = {f["source_file"]: f["reason"] for f in report["skipped"]}
    assert set(skipped) == {"old.doc", "budget.xls", "notes.txt"}
    assert "save it as .docx or PDF" in skipped["old.doc"] and "save it as .docx or PDF" in skipped["budget.xls"]
    docs = {r["source_file"]: r for r in read_csv(out / "documents.csv")}
    assert set(docs) == {"PLAN.PDF", "old.doc", "budget.xls", "notes.txt"}
    assert docs["PLAN.PDF"]["status"] == "ok"
    assert {docs[name]["status"] for name in skipped} == {"skipped"}
    warned = {r["source_file"]: r["kind"] for r in read_csv(out / "warnings.csv")}
    assert warned["old.doc"] == "skipped"


def test_the_text_summary_lists_skipped_files_on_stdout(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SMALL, src)
    (src / "table.xlsx").write_bytes(b"PK\x03\x04")
    assert main(["run", str(src), "--out", str(tmp_path / "out")]) == EXIT_OK
    out = capsys.readouterr().out
    assert "documents: 1 (1 ok" in out and "skipped: table.xlsx: an Excel workbook" in out


def test_a_scan_without_tesseract_exits_1_and_strict_counts_partial(tmp_path, capsys):
    scan = SAMPLES / "gia-lai-1002-2024-scan.pdf"
    out = tmp_path / "out"
    code = main(["run", str(scan), "--out", str(out), "--tesseract", "/nonexistent/tesseract", "--no-cache"])
    assert code == EXIT_SOME_FAILED
    assert "install it with" in capsys.readouterr().out
    assert main(["run", str(scan), "--out", str(out), "--no-ocr", "--quiet"]) == EXIT_OK  # OCR declined: partial
    assert main(["run", str(scan), "--out", str(out), "--no-ocr", "--quiet", "--strict"]) == EXIT_SOME_FAILED


def test_json_summary_is_machine_readable(tmp_path, capsys):
    assert main(["run", str(SMALL), str(tmp_path / "missing.pdf")]) == EXIT_USAGE
    capsys.readouterr()
    assert main(["run", str(SMALL), "--out", str(tmp_path / "out"), "--json"]) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert report["exit_code"] == 0 and report["status"]["ok"] == 1 and report["target_rows"] >= 0
    assert report["files"]["documents"].endswith("documents.csv")


def test_a_wrong_password_is_named_as_such(tmp_path):
    pymupdf = pytest.importorskip("pymupdf")
    pdf = pymupdf.open(SMALL)
    locked = tmp_path / "locked.pdf"
    pdf.save(locked, encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="o", user_pw="right")
    out = tmp_path / "out"
    assert main(["run", str(locked), "--out", str(out), "--password", "wrong", "--quiet"]) == EXIT_SOME_FAILED
    [warning] = read_csv(out / "warnings.csv")
    assert "does not open it" in warning["message"] and "give it with" not in warning["message"]
