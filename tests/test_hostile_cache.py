"""The cache is data, not code, and optional; output sets are replaced whole (issue 14).

Each test builds its own small condition: a planted or swapped cache entry, a corrupt one, a cache
that cannot be written, two runs into one folder, a kill during the final write.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extract import cache as cache_module
from extract import cli, pipeline
from extract.settings import Settings
from output.generations import OutputReplaced

from .conftest import FIXTURES, ROOT, SAMPLES, read_csv

PLAN = FIXTURES / "hostile" / "plan.html"
TABLES = ("documents", "targets", "refs", "warnings", "cited_documents")


def _inputs(folder: Path, *names: str) -> Path:
    """`names` copied into `folder`: a sample by its name, else the small plan under that name."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(SAMPLES / name if (SAMPLES / name).exists() else PLAN, folder / name)
    return folder


def _csvs(out: Path) -> dict[str, bytes]:
    return {t: (out / f"{t}.csv").read_bytes() for t in TABLES}


def _entries(out: Path, layer: str) -> list[Path]:
    return sorted((out / ".cache").glob(f"{layer}-*.json.gz"))


class _Planted:
    """Unpickling this runs a shell command: the attack a pickle cache invites."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_planted_pickle_never_runs_and_the_rows_stay_the_files_own(tmp_path, caplog):
    src = _inputs(tmp_path / "in", "plan.html")
    out = tmp_path / "out"
    first = pipeline.run([src], out, Settings())
    expected = _csvs(out)
    marker = tmp_path / "pwned"
    planted = pickle.dumps(_Planted(marker))
    for entry in _entries(out, "result") + _entries(out, "reading"):
        entry.write_bytes(planted)
    (out / ".cache" / f"{first.documents[0].sha256}-0123456789abcdef.pickle").write_bytes(planted)
    with caplog.at_level(logging.WARNING, logger="extract.cache"):
        again = pipeline.run([src], out, Settings())
    assert not marker.exists()
    assert again.from_cache == 0 and _csvs(out) == expected
    assert "ignored" in caplog.text
    assert not list((out / ".cache").glob("*.pickle"))  # the old format is pruned


def test_a_swapped_entry_is_refused_by_the_hash_inside(tmp_path):
    src = _inputs(tmp_path / "in", "plan.html", "lao-cai-355-2022.html")
    out = tmp_path / "out"
    pipeline.run([src], out, Settings(workers=2))
    expected = _csvs(out)
    for layer in ("result", "reading"):
        first, second = _entries(out, layer)
        shutil.copy(second, first)  # one document's entry under the other's name
    again = pipeline.run([src], out, Settings(workers=2))
    assert again.from_cache == 1  # only the untouched entry is used
    assert _csvs(out) == expected


@pytest.mark.parametrize("payload", [
    b"not gzip at all",
    gzip.compress(b"{\"format\": 2, "),
    gzip.compress(b"[" * 200_000 + b"]" * 200_000),
    gzip.compress(b"{\"format\": 1e400}"),
])
def test_a_corrupt_or_foreign_entry_is_ignored(tmp_path, payload):
    src = _inputs(tmp_path / "in", "plan.html")
    out = tmp_path / "out"
    doc = pipeline.run([src], out, Settings()).documents[0]
    cache = cache_module.DocumentCache(out / ".cache", Settings())
    for entry in _entries(out, "result"):
        entry.write_bytes(payload)
    assert cache.get(src / "plan.html", "plan.html", doc.sha256) is None


def test_an_entry_of_the_right_shape_with_wrong_types_is_ignored(tmp_path):
    src = _inputs(tmp_path / "in", "plan.html")
    out = tmp_path / "out"
    doc = pipeline.run([src], out, Settings()).documents[0]
    (entry,) = _entries(out, "result")
    data = json.loads(gzip.decompress(entry.read_bytes()))
    data["document"]["pages"] = "many"
    entry.write_bytes(gzip.compress(json.dumps(data).encode()))
    cache = cache_module.DocumentCache(out / ".cache", Settings())
    assert cache.get(src / "plan.html", "plan.html", doc.sha256) is None
    data["document"]["pages"], data["document"]["targets"] = [], [{"page": 10**400}]
    entry.write_bytes(gzip.compress(json.dumps(data).encode()))
    assert cache.get(src / "plan.html", "plan.html", doc.sha256) is None


def test_a_cache_that_cannot_be_written_is_a_warning_not_a_failure(tmp_path, caplog):
    src = _inputs(tmp_path / "in", "plan.html")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".cache").write_text("a file where the cache folder should be")
    with caplog.at_level(logging.WARNING, logger="extract.cache"):
        result = pipeline.run([src], out, Settings())
    assert result.all_read and read_csv(out / "documents.csv")[0]["status"] == "ok"
    assert "going on without a cache" in caplog.text


def test_a_full_disk_under_the_cache_is_a_warning_not_a_failure(tmp_path, caplog, monkeypatch):
    def full(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache_module, "atomic_write_bytes", full)
    src = _inputs(tmp_path / "in", "plan.html")
    with caplog.at_level(logging.WARNING, logger="extract.cache"):
        result = pipeline.run([src], tmp_path / "out", Settings())
    assert result.all_read and "No space left" in caplog.text


def test_a_vocabulary_change_reruns_the_stages_but_not_the_reader(tmp_path, monkeypatch):
    src = _inputs(tmp_path / "in", "plan.html")
    out = tmp_path / "out"
    pipeline.run([src], out, Settings())
    log = tmp_path / "reads.txt"
    real = pipeline.read_document

    def counted(*args, **kwargs):  # runs in the document's child process: counts through a file
        with open(log, "a") as fh:
            fh.write("read\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "read_document", counted)
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "another vocabulary")
    result = pipeline.run([src], out, Settings())
    assert result.from_cache == 0 and not log.exists()  # stages re-ran on the cached reading
    assert len(_entries(out, "result")) == 1  # the entry of the old key was pruned


_SLOW_WRITER = """
import sys, time
from output import generations
real = generations._write_synced
def slow(path, data):
    print("writing", path.name, flush=True)
    time.sleep(0.4)
    real(path, data)
generations._write_synced = slow
from extract.cli import main
sys.exit(main(["run", sys.argv[1], "--out", sys.argv[2], "--workers", "1", "--quiet"]))
"""


def _extract(src: Path, out: Path, slow: bool = False) -> subprocess.Popen:
    code = _SLOW_WRITER if slow else "import sys; from extract.cli import main; sys.exit(main(sys.argv[1:]))"
    args = [str(src), str(out)] if slow else ["run", str(src), "--out", str(out), "--workers", "1", "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_sigkill_during_the_final_write_leaves_the_old_set_whole(tmp_path):
    out = tmp_path / "out"
    pipeline.run([_inputs(tmp_path / "old", "plan.html")], out, Settings(use_cache=False))
    old = _csvs(out)
    proc = _extract(_inputs(tmp_path / "new", "new.html"), out, slow=True)
    for _ in range(3):  # kill after two table files of the new set are on disk
        assert proc.stdout.readline().startswith("writing")
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert _csvs(out) == old
    pipeline.run([tmp_path / "new"], out, Settings(use_cache=False))  # the next run cleans up
    assert [p.name for p in out.glob(".gen-*")] == [os.readlink(out / "current")]
    assert read_csv(out / "documents.csv")[0]["source_file"] == "new.html"


def test_two_runs_into_one_folder_never_mix_their_sets(tmp_path):
    out = tmp_path / "out"
    first = _extract(_inputs(tmp_path / "a", "plan.html"), out)
    time.sleep(0.2)
    second = _extract(_inputs(tmp_path / "b", "other.html"), out)
    assert first.wait(120) == 0 and second.wait(120) == 0
    docs = read_csv(out / "documents.csv")
    ids = {d["doc_id"] for d in docs}
    assert {d["source_file"] for d in docs} in ({"plan.html"}, {"other.html"})
    assert {r["doc_id"] for r in read_csv(out / "refs.csv")} <= ids
    assert {r["doc_id"] for r in read_csv(out / "warnings.csv")} <= ids
    assert len(list(out.glob(".gen-*"))) == 1


@pytest.mark.parametrize(("interrupt", "words"), [
    (KeyboardInterrupt(), "the previous output in"),
    (OutputReplaced(), "the new output was already complete in"),
])
def test_the_interrupt_message_says_which_set_is_in_place(tmp_path, monkeypatch, capsys, interrupt, words):
    def interrupted(*args, **kwargs):
        raise interrupt

    monkeypatch.setattr(cli, "run", interrupted)
    src = _inputs(tmp_path / "in", "plan.html")
    assert cli.main(["run", str(src), "--out", str(tmp_path / "out"), "--quiet"]) == cli.EXIT_INTERRUPTED
    assert words in capsys.readouterr().err
