"""Every option of `run` is documented in README.md's options paragraph, and nothing more."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from extract.cli import main, parse_args

README = Path(__file__).resolve().parent.parent / "README.md"


def _help_options(capsys) -> set[str]:
    with pytest.raises(SystemExit):
        parse_args(["run", "--help"])
    # Option lines only ("  --out OUT  output folder ..."), not the examples in the epilog.
    found = re.findall(r"^\s+(--[a-z][a-z-]+)(?:, (--[a-z][a-z-]+))?", capsys.readouterr().out, re.M)
    return {name for pair in found for name in pair if name} - {"--help"}  # "--csv-bom, --no-csv-bom": both


def _readme_options() -> set[str]:
    text = README.read_text(encoding="utf-8")
    paragraph = text[text.index("Options: `--out"):]
    paragraph = paragraph[: paragraph.index("\n\n")]
    return set(re.findall(r"`(--[a-z][a-z-]+)", paragraph))


def test_every_run_option_is_in_the_readme_and_back(capsys):
    in_help, in_readme = _help_options(capsys), _readme_options()
    assert {"--out", "--workers", "--ocr-lang", "--snap-tolerance", "--verbose"} <= in_help
    assert in_help - in_readme == set(), "options missing from README.md"
    assert in_readme - in_help == set(), "README.md documents options `run` does not have"


@pytest.mark.parametrize(
    ("flag", "value", "words"),
    [("--ocr-dpi", "20", "--ocr-dpi must be between 72 and 1200"), ("--snap-tolerance", "0", "--snap-tolerance"),
     ("--workers", "0", "--workers must be at least 1")],
)
def test_out_of_range_values_are_refused_in_the_options_terms(tmp_path, capsys, flag, value, words):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    assert main(["run", str(tmp_path / "a.pdf"), "--out", str(tmp_path / "out"), flag, value]) == 2
    assert words in capsys.readouterr().err


def test_verbose_logs_each_documents_decisions_with_file_and_page(tmp_path, capsys):
    sample = Path(__file__).resolve().parent.parent / "samples" / "lao-cai-355-2022.pdf"
    try:
        assert main(["run", str(sample), "--out", str(tmp_path), "--no-cache", "--quiet", "--verbose"]) == 0
    finally:
        logging.getLogger().handlers.clear()  # --verbose configured the root logger; leave it as found
        logging.getLogger().setLevel(logging.WARNING)
    err = capsys.readouterr().err
    assert re.search(r"^lao-cai-355-2022\.pdf p\.\d+: ruled table of", err, re.M)
    assert re.search(r"^lao-cai-355-2022\.pdf p\.\d+: table \d+ \(\d+x\d+\) is an allocation table", err, re.M)
    assert re.search(r"^lao-cai-355-2022\.pdf p\.\d+: table \d+: rows 0-\d+ are header", err, re.M)
