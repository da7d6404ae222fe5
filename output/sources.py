"""OUT/review/sources.json: where each document of a run was read from, for `python -m extract review`.

documents.csv keeps `source_file` relative to the input root (portable, byte-stable output); the
review pages need the file itself to render its pages, so the absolute path is kept apart here.
"""

from __future__ import annotations

import json
from pathlib import Path

from extract.model import Document

from .atomic import atomic_write_bytes


def sources_path(out_dir: str | Path) -> Path:
    return Path(out_dir) / "review" / "sources.json"


def write_sources(out_dir: str | Path, docs: list[Document]) -> Path:
    entries = {
        d.doc_id: {"source_path": str(Path(d.source_path).resolve()), "source_file": d.source_file,
                   "sha256": d.sha256, "format": d.format}
        for d in sorted(docs, key=lambda d: d.source_file)
    }
    path = sources_path(out_dir)
    # ASCII JSON: a file name that is not UTF-8 reaches us with surrogates (os.fsdecode), which only a
    # \uXXXX escape can carry; read back, they give the same bytes to open the file with.
    atomic_write_bytes(path, (json.dumps(entries, ensure_ascii=True, indent=1) + "\n").encode("ascii"))
    return path


def read_sources(out_dir: str | Path) -> dict[str, dict[str, str]]:
    """doc_id → {source_path, source_file, sha256, format}; empty when the run wrote none."""
    path = sources_path(out_dir)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
