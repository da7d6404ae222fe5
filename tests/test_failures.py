"""The failure paths the README promises: a reader bug, a stage bug, the time limit between stages,
a worker process that dies. Readers and stages are replaced with monkeypatch, so these run in
seconds and do not depend on any sample's content."""

from __future__ import annotations

import os
import time
from pathlib import Path

from extract import pipeline
from extract.kinds import Stage, Status, WarningKind
from extract.model import Document, Line, Page
from extract.settings import Settings


def _text_document(path: str, source_file: str, settings=None, deadline=None) -> Document:
    doc = Document(source_path=path, source_file=source_file, format="pdf")
    doc.pages = [Page(number=1, lines=[Line("Kế hoạch thực hiện Dự án 8", page=1)])]
    return doc


def _input(tmp_path: Path, name: str = "plan.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4 " + name.encode())
    return path


def test_a_reader_bug_fails_the_document_with_internal_error_and_where(monkeypatch, tmp_path):
    def broken_reader(*args, **kwargs):
        raise KeyError("no such object")

    monkeypatch.setattr(pipeline, "read_document", broken_reader)
    doc = pipeline.process_document(_input(tmp_path), "plan.pdf")
    assert doc.status == Status.FAILED
    assert [w.kind for w in doc.warnings] == [WarningKind.INTERNAL_ERROR]
    assert "KeyError" in doc.warnings[0].message and "no such object" in doc.warnings[0].message
    assert "test_failures.py" in doc.warnings[0].message and "broken_reader" in doc.warnings[0].message


def test_a_stage_bug_leaves_the_document_partial_and_later_stages_run(monkeypatch, tmp_path):
    ran: list[str] = []

    def broken_stage(doc: Document) -> Document:
        raise ValueError("bad cell")

    def later_stage(doc: Document) -> Document:
        ran.append("later")
        return doc

    monkeypatch.setattr(pipeline, "read_document", _text_document)
    monkeypatch.setattr(pipeline, "_stages", lambda: [(Stage.TABLES, broken_stage), (Stage.REFS, later_stage)])
    doc = pipeline.process_document(_input(tmp_path), "plan.pdf")
    assert doc.status == Status.PARTIAL
    assert ran == ["later"]
    (warning,) = doc.warnings
    assert (warning.stage, warning.kind) == (Stage.TABLES, WarningKind.STAGE_FAILED)
    assert "broken_stage failed: ValueError: bad cell" in warning.message
    assert "test_failures.py" in warning.message  # the traceback's last frames say where


def test_the_time_limit_between_stages_skips_the_rest(monkeypatch, tmp_path):
    ran: list[str] = []

    def slow_stage(doc: Document) -> Document:
        ran.append("slow")
        time.sleep(0.2)
        return doc

    def never(doc: Document) -> Document:
        ran.append("never")
        return doc

    monkeypatch.setattr(pipeline, "read_document", _text_document)
    monkeypatch.setattr(pipeline, "_stages", lambda: [(Stage.META, slow_stage), (Stage.REFS, never)])
    doc = pipeline.process_document(_input(tmp_path), "plan.pdf", Settings(seconds_per_document=0.1))
    assert ran == ["slow"]
    assert doc.status == Status.PARTIAL
    (warning,) = doc.warnings
    assert (warning.stage, warning.kind) == (Stage.REFS, WarningKind.TIME_LIMIT)


def test_a_worker_crash_fails_only_that_file(monkeypatch, tmp_path):
    def crashing_reader(path: str, source_file: str, settings=None, deadline=None) -> Document:
        if source_file == "crash.pdf":
            os._exit(3)  # a segfault in a native library looks the same to the pool
        return _text_document(path, source_file)

    monkeypatch.setattr(pipeline, "read_document", crashing_reader)  # forked workers inherit the patch
    inputs = [_input(tmp_path, name) for name in ("a.pdf", "crash.pdf", "z.pdf")]
    result = pipeline.run(inputs, tmp_path / "out", Settings(workers=2, use_cache=False))
    by_file = {d.source_file: d for d in result.documents}
    assert by_file["crash.pdf"].status == Status.FAILED
    assert [w.kind for w in by_file["crash.pdf"].warnings] == [WarningKind.CRASHED]
    assert by_file["a.pdf"].status != Status.FAILED and by_file["z.pdf"].status != Status.FAILED
    assert not any(w.kind == WarningKind.CRASHED for name in ("a.pdf", "z.pdf") for w in by_file[name].warnings)
