"""Per-document results cached by content hash, so a re-run skips unchanged files and an interrupted
batch resumes where it stopped.

The key is the file's SHA-256 plus a salt made of everything else that decides the result: a
fingerprint of the extraction code and data files, the tool's own version, the versions of the
libraries whose output we keep (PyMuPDF's text, the places and word-tokenizer data packages), and
the settings that shape results. Upgrading any of them invalidates every entry by itself. Entries
are written atomically as each document is done. Results that a re-run could improve without a
code change (kinds in TRANSIENT_KINDS: a time limit, a crash, OCR missing) are not cached.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import replace
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from output.atomic import atomic_write_bytes

from .kinds import TRANSIENT_KINDS
from .model import Document
from .settings import Settings

_PACKAGES = ("extract", "normalize", "output")
# Distributions whose version changes results: this tool, the PDF library, the data packages.
_VERSIONED = ("project8-extract", "pymupdf", "vietnamadminunits", "underthesea")


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


@lru_cache(maxsize=1)
def dependency_versions() -> tuple[tuple[str, str], ...]:
    """(distribution, version) of everything in _VERSIONED; 'absent' when one is not installed."""
    found = []
    for name in _VERSIONED:
        try:
            found.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            found.append((name, "absent"))
    return tuple(found)


def cache_salt(settings: Settings) -> str:
    """The part of every entry's name that is not the file's hash (see the module docstring)."""
    key = f"{code_fingerprint()}|{dependency_versions()}|{settings.result_key()}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


class DocumentCache:
    def __init__(self, folder: Path, settings: Settings) -> None:
        self.folder = Path(folder)
        self.salt = cache_salt(settings)

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
        if not doc.sha256 or any(w.kind in TRANSIENT_KINDS for w in doc.warnings):
            return
        atomic_write_bytes(self._entry(doc.sha256), pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
