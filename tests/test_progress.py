"""Progress on stderr: the file being read, the counts per status, and work measured in bytes so the
ETA does not swing with the size of the last document."""

from __future__ import annotations

import io

from extract.model import Document
from extract.progress import Progress


def _inputs(tmp_path, sizes):
    out = []
    for i, size in enumerate(sizes):
        path = tmp_path / f"f{i}.pdf"
        path.write_bytes(b"x" * size)
        out.append((path, path.name))
    return out


def test_lines_name_each_finished_file_with_its_status(tmp_path):
    stream = io.StringIO()
    progress = Progress(_inputs(tmp_path, [10, 20]), lines=True, stream=stream)
    progress.finish(1, Document("f1.pdf", "f1.pdf", status="failed"))
    progress.finish(0, Document("f0.pdf", "f0.pdf"), from_cache=True)
    assert stream.getvalue().splitlines() == ["[1/2] f1.pdf: failed", "[2/2] f0.pdf: ok (from the cache)"]


def test_the_bar_counts_bytes_and_shows_counts_and_the_file_being_read(tmp_path):
    stream = io.StringIO()
    progress = Progress(_inputs(tmp_path, [1000, 10, 10]), bar=True, stream=stream)
    assert "reading f0.pdf" in stream.getvalue()
    progress.finish(0, Document("f0.pdf", "f0.pdf", status="partial"))
    assert progress.bar.n == 1000  # the big file is most of the work
    progress.bar.refresh()
    assert "0 ok, 1 partial, 0 failed | reading f1.pdf" in stream.getvalue()
    progress.close()
