"""The README's examples run as written."""

import re
import shutil

import duckdb

from .conftest import ROOT


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_library_example_runs(tmp_path, monkeypatch, capsys, sample_run, scan_run):
    """The example runs over all of samples/. The session's runs over the same files with the same (default)
    settings have left their results in their caches; seeded with those, the example reads only the twins
    instead of OCR-ing the scan a second time."""
    [example] = [block for block in _python_blocks() if "from extract import" in block]
    for earlier in (sample_run, scan_run):
        shutil.copytree(earlier.out_dir / ".cache", tmp_path / "out" / ".cache", dirs_exist_ok=True)
    monkeypatch.chdir(ROOT)
    exec(example.replace('"out"', repr(str(tmp_path / "out"))), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].split()[0] == "10"  # documents ok
    assert any(line.startswith("lao-cai_355-kh-ubnd_2022-10-24") and line.endswith(" ok 100") for line in printed)
    assert (tmp_path / "out" / "targets.csv").exists()


def test_the_two_commands_are_the_ones_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/setup.sh && .venv/bin/python -m pytest" in readme
    assert "bash scripts/setup.sh" in ci and ".venv/bin/python -m pytest" in ci


def _sql_blocks() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_readme_store_queries_run_and_answer(sample_run):
    """Each analyst query of the README runs on a real store and returns rows."""
    blocks = _sql_blocks()
    assert len(blocks) >= 3
    con = duckdb.connect(str(sample_run.db), read_only=True)
    try:
        for sql in blocks:
            assert con.execute(sql).fetchall(), sql
    finally:
        con.close()
