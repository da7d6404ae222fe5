"""The output as other tools read it: Frictionless accepts the data package, DuckDB sees the same types
in the CSV and the Parquet, Excel gets its BOM, and the README's pandas snippet keeps codes as text."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import duckdb
import pytest

from extract.cli import main

from .conftest import ROOT, SAMPLES

TABLES = ["documents", "targets", "refs", "warnings", "cited_documents"]


def test_frictionless_validates_the_package(sample_run):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(sample_run.out_dir / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]


def test_the_package_names_keys_and_describes_the_parquet_files(sample_run):
    package = json.loads((sample_run.out_dir / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    assert {r["path"] for r in resources.values()} == {f"{t}.{ext}" for t in TABLES for ext in ("csv", "parquet")}
    assert all(r["profile"] == "tabular-data-resource" for r in resources.values())
    assert resources["documents"]["schema"]["primaryKey"] == ["doc_id"]
    for table in ("targets", "refs", "warnings"):
        [key] = resources[table]["schema"]["foreignKeys"]
        assert key == {"fields": ["doc_id"], "reference": {"resource": "documents", "fields": ["doc_id"]}}


def test_frictionless_finds_a_broken_foreign_key(sample_run, tmp_path):
    """The validation above can fail: a targets row pointing at no document is reported."""
    frictionless = pytest.importorskip("frictionless")
    for path in sample_run.out_dir.iterdir():
        if path.is_file():
            (tmp_path / path.name).write_bytes(path.read_bytes())
    targets = (tmp_path / "targets.csv").read_text(encoding="utf-8-sig").splitlines()
    targets[1] = "no-such-document" + targets[1][targets[1].index(","):]
    (tmp_path / "targets.csv").write_text("\ufeff" + "\n".join(targets) + "\n", encoding="utf-8")
    assert not frictionless.validate(str(tmp_path / "datapackage.json")).valid


@pytest.mark.parametrize("table", ["documents", "refs"])
def test_duckdb_reads_issue_date_as_a_date_from_csv_and_parquet(sample_run, table):
    types = set()
    for ext in ("csv", "parquet"):
        path = sample_run.out_dir / f"{table}.{ext}"
        [(kind,)] = duckdb.sql(f"SELECT DISTINCT typeof(issue_date) FROM '{path}' WHERE issue_date IS NOT NULL")\
            .fetchall()
        types.add(kind)
    assert types == {"DATE"}


def test_csv_starts_with_a_bom_unless_asked_not_to(sample_run, tmp_path):
    for table in TABLES:
        assert (sample_run.out_dir / f"{table}.csv").read_bytes().startswith(b"\xef\xbb\xbfdoc_id," if table != \
            "cited_documents" else b"\xef\xbb\xbfsymbol,")
    out = tmp_path / "plain"
    assert main(["run", str(SAMPLES / "tw-hoi-lhpn-96-2022.pdf"), "--out", str(out), "--no-csv-bom", "--quiet"]) == 0
    assert (out / "documents.csv").read_bytes().startswith(b"doc_id,")
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["resources"][0]["encoding"] == "utf-8"


def test_the_readme_pandas_snippet_keeps_codes_as_text(sample_run, tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [snippet] = [b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "pd.read_csv" in b]
    (tmp_path / "out").symlink_to(sample_run.out_dir)
    done = subprocess.run([sys.executable, "-c", snippet], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    code, dtype = done.stdout.split()
    assert re.fullmatch(r"\d{2,5}", code) and "datetime64" in dtype
