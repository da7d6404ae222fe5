"""Per-document results cached by content hash, so a re-run skips unchanged files and an interrupted
batch resumes where it stopped.

The key is the file's SHA-256 plus a fingerprint of the extraction code and data: improving the
extractor invalidates every entry by itself. Entries are written atomically as each document is
done. Results cut short by a time limit or a crash are not cached, so a re-run tries them again.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from .model import Document

_PACKAGES = ("extract", "normalize", "output")
_RESULT_SETTINGS = ("max_pages", "keep_text", "ocr", "ocr_dpi", "ocr_max_pixels")
# Results that a re-run could improve without a code change (a limit, a crash, OCR installed later).
_NOT_CACHED = {"time_limit", "crashed", "internal_error", "unreadable", "no_text", "ocr_unavailable", "ocr_failed"}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the project's source and data files (what decides the extraction results)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for package in _PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if path.suffix in {".py", ".csv"} and path.is_file():
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class DocumentCache:
    def __init__(self, folder: Path, settings: object) -> None:
        self.folder = Path(folder)
        # Settings that change results (page limits, OCR, kept text) are part of the key; the worker count is not.
        wanted = {k: v for k, v in vars(settings).items() if k in _RESULT_SETTINGS}
        self.salt = hashlib.sha256(f"{code_fingerprint()}{sorted(wanted.items())}".encode()).hexdigest()[:16]

    def _entry(self, sha: str) -> Path:
        return self.folder / f"{sha}-{self.salt}.pickle"

    def get(self, path: Path, source_file: str) -> Document | None:
        """The cached result for this file's content, re-labelled with its current name; None if absent."""
        try:
            entry = self._entry(file_sha256(path))
            if not entry.exists():
                return None
            with open(entry, "rb") as fh:
                doc = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None  # unreadable input or a stale/damaged entry: process the file again
        return replace(doc, source_path=str(path), source_file=source_file, doc_id="")

    def put(self, doc: Document) -> None:
        if not doc.sha256 or any(w.kind in _NOT_CACHED for w in doc.warnings):
            return
        from output.writers import atomic_write_bytes

        atomic_write_bytes(self._entry(doc.sha256), pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
