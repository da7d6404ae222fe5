"""The CLI and the batch: exit codes, summary, files written, bad files, determinism."""

import runpy
import shutil

import pytest

from extract.cli import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, main, parse_args
from extract.pipeline import collect_inputs

from .conftest import ROOT, SAMPLES, read_csv

TABLES = ["documents", "targets", "refs", "warnings", "cited_documents"]


@pytest.fixture
def batch(tmp_path):
    """Two good plans, an empty file and a text file named .pdf."""
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLES / "gia-lai-1002-2024.pdf", src)
    shutil.copy(SAMPLES / "lao-cai-355-2022.html", src)
    (src / "empty.pdf").write_bytes(b"")
    (src / "notes.pdf").write_text("Đây không phải là PDF.\n", encoding="utf-8")
    (src / "README.md").write_text("not an input\n")
    return src


def test_bad_files_fail_alone_and_the_rest_comes_out(batch, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["run", str(batch), "--out", str(out), "--workers", "1"])
    assert code == EXIT_SOME_FAILED
    captured = capsys.readouterr()
    said = captured.out  # the summary is on stdout, the progress lines on stderr
    assert "4 (2 ok, 0 partial, 2 failed; 0 unchanged, taken from the cache)" in said
    assert "failed: empty.pdf: the file is empty" in said
    assert "skipped: README.md: not a document format" in said
    assert "[4/4] notes.pdf: failed" in captured.err
    assert "Traceback" not in captured.err + said
    for name in TABLES:
        assert (out / f"{name}.csv").exists() and (out / f"{name}.parquet").exists()
    assert (out / "datapackage.json").exists()
    docs = {r["source_file"]: r for r in read_csv(out / "documents.csv")}
    assert set(docs) == {"empty.pdf", "notes.pdf", "gia-lai-1002-2024.pdf", "lao-cai-355-2022.html", "README.md"}
    assert docs["README.md"]["status"] == "skipped"
    assert docs["empty.pdf"]["status"] == "failed" and docs["notes.pdf"]["status"] == "failed"
    assert docs["gia-lai-1002-2024.pdf"]["status"] == "ok" and docs["gia-lai-1002-2024.pdf"]["n_targets"] == "64"
    warned = {r["source_file"]: r["message"] for r in read_csv(out / "warnings.csv") if r["stage"] == "read"}
    assert "empty" in warned["empty.pdf"]
    assert "not a PDF, HTML or DOCX" in warned["notes.pdf"]


def test_exit_code_zero_when_every_document_is_read(tmp_path, capsys):
    code = main(["run", str(SAMPLES / "tw-hoi-lhpn-96-2022.pdf"), "--out", str(tmp_path)])
    assert code == EXIT_OK
    assert "1 ok" in capsys.readouterr().out


def test_usage_errors(tmp_path, capsys):
    assert main(["run", str(tmp_path / "missing"), "--out", str(tmp_path)]) == EXIT_USAGE
    assert main(["run", str(tmp_path), "--out", str(tmp_path / "o")]) == EXIT_USAGE  # no documents inside
    with pytest.raises(SystemExit):
        parse_args(["run"])


def test_same_input_gives_byte_identical_csv_whatever_the_workers(batch, tmp_path):
    outs = []
    for i, workers in enumerate(["1", "1", "2"]):
        out = tmp_path / f"out{i}"
        main(["run", str(batch), "--out", str(out), "--workers", workers, "--quiet"])
        outs.append(out)
    for name in TABLES:
        first = (outs[0] / f"{name}.csv").read_bytes()
        assert first == (outs[1] / f"{name}.csv").read_bytes() == (outs[2] / f"{name}.csv").read_bytes(), name


def test_folders_take_document_files_and_named_files_are_always_tried(batch):
    names = [rel for _, rel in collect_inputs([batch])]
    assert "README.md" not in names and names == sorted(names)
    assert [rel for _, rel in collect_inputs([batch / "README.md"])] == ["README.md"]


def test_module_entry_point_prints_help_with_an_example(monkeypatch, capsys):
    """`python -m extract run --help`, run the way -m runs it (runpy) but without a new interpreter."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr("sys.argv", ["extract", "run", "--help"])
    with pytest.raises(SystemExit) as done:
        runpy.run_module("extract", run_name="__main__", alter_sys=True)
    assert done.value.code in (0, None)
    assert "python -m extract run samples/" in capsys.readouterr().out


def test_indicators_lists_the_vocabulary_and_a_runs_unmapped_labels(tmp_path, capsys):
    assert main(["indicators"]) == EXIT_OK
    listing = capsys.readouterr().out
    assert "communication_groups" in listing and "alias:" in listing
    out = tmp_path / "out"
    out.mkdir()
    unmapped = "indicator_unmapped,\"{} (candidates: x 40); no indicator for label: {}\",11\n"
    (out / "warnings.csv").write_text(
        "doc_id,source_file,stage,kind,message,page\n"
        + "a,a.pdf,normalize," + unmapped.format("below_threshold", "Số hộ nghèo")
        + "b,b.pdf,normalize," + unmapped.format("below_threshold", "Số hộ nghèo")
        + "b,b.pdf,normalize," + unmapped.format("ambiguous", "Tập huấn LGG"),
        encoding="utf-8",
    )
    (out / "targets.csv").write_text("doc_id,indicator_label_raw,indicator_id\n", encoding="utf-8")
    assert main(["indicators", "--unmapped", str(out)]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(None, 1) for line in lines] == [["2", "Số hộ nghèo"], ["1", "Tập huấn LGG"]]


def test_ocr_flags(tmp_path, capsys):
    scan = SAMPLES / "gia-lai-1002-2024-scan.pdf"
    out = tmp_path / "out"
    assert main(["run", str(scan), "--out", str(out), "--no-ocr", "--quiet"]) == EXIT_OK
    [doc] = read_csv(out / "documents.csv")
    assert doc["status"] == "partial" and doc["n_targets"] == "0"
    assert main(["run", str(scan), "--out", str(out), "--ocr-dpi", "20"]) == EXIT_USAGE
    assert "dpi" in capsys.readouterr().err
