"""Per-document results cached by content hash, in two layers, as checked data (never code).

- `reading`: the reader's Document (pages, lines, tables, OCR text), keyed on the file's SHA-256, the
  reader code's fingerprint, the settings that shape reading and the versions of the reading libraries.
- `result`: the document after every stage, keyed on the reading key plus the stage code, the
  vocabulary data (normalize/data/*.csv) and the data packages' versions.

So a vocabulary or stage change re-runs only the stages; a re-run skips unchanged files; an
interrupted batch resumes. Each entry is gzip'd JSON holding its layer, the tool's version, the input's
SHA-256 and the full key, all checked on load with the document's shape (extract/cache_codec.py): an
entry planted, swapped, damaged or foreign is ignored, logged and recomputed. The cache is optional:
any failure to read or write it is logged as a warning and the run goes on (after a failed write, the
cache is off for the rest of the run). Results a re-run could improve without a code change (kinds in
TRANSIENT_KINDS) are not stored. Entries of other keys are pruned at the end of a run.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import stat
import time
from dataclasses import replace
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path

from output.atomic import atomic_write_bytes

from .cache_codec import InvalidEntry, decode, encode
from .kinds import TRANSIENT_KINDS
from .model import Document
from .settings import Settings

log = logging.getLogger(__name__)

FORMAT = 2  # entry layout version; 1 was the pickle cache (never read, pruned)
_ROOT = Path(__file__).resolve().parent.parent
# What shapes the reader's Document: the readers, the table builder and layout rule, the model.
_READING_CODE = ("extract/readers", "extract/tables.py", "extract/layout.py", "extract/model.py", "extract/kinds.py")
# Everything else that decides the result: all code and data of the three packages.
_RESULT_CODE = ("extract", "normalize", "output")
# Distributions whose version changes results: the PDF library for reading; the data packages for stages.
_READING_DISTS = ("project8-extract", "pymupdf", "lxml", "python-docx")
_RESULT_DISTS = ("project8-extract", "pymupdf", "vietnamadminunits", "underthesea")
_MAX_ENTRY_BYTES = 512 * 1024 * 1024  # inflated JSON; a bigger entry is a gzip bomb or not ours
_SUFFIX = ".json.gz"


class NotRegularFile(OSError):
    """The path is a FIFO, device, socket or folder: never opened for reading (it could block forever)."""


def open_regular(path: Path):
    """A binary file object for `path`, refused at once unless it is a regular file (symlinks followed).

    O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer; fstat then decides.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(f"not a regular file ({_file_kind(mode)}); only regular files are read")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _file_kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "a special file"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open_regular(path) as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@cache
def _fingerprint(parts: tuple[str, ...], suffixes: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        base = _ROOT / part
        for path in sorted(base.rglob("*")) if base.is_dir() else [base]:
            if path.suffix in suffixes and path.is_file():
                digest.update(path.relative_to(_ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def code_fingerprint() -> str:
    """Hash of the project's source and data files (what decides the extraction results)."""
    return _fingerprint(_RESULT_CODE, (".py", ".csv"))


def reading_fingerprint() -> str:
    return _fingerprint(_READING_CODE, (".py", ".csv"))


def _versions(names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    found = []
    for name in names:
        try:
            found.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            found.append((name, "absent"))
    return tuple(found)


@lru_cache(maxsize=1)
def dependency_versions() -> tuple[tuple[str, str], ...]:
    """(distribution, version) of everything that shapes results; 'absent' when one is not installed."""
    return _versions(_RESULT_DISTS)


@lru_cache(maxsize=1)
def reading_versions() -> tuple[tuple[str, str], ...]:
    return _versions(_READING_DISTS)


def tool_version() -> str:
    return dict(_versions(("project8-extract",)))["project8-extract"]


def reading_salt(settings: Settings) -> str:
    key = f"{reading_fingerprint()}|{reading_versions()}|{settings.reading_key()}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def cache_salt(settings: Settings) -> str:
    """The part of every result entry's key that is not the file's hash (see the module docstring)."""
    key = f"{reading_salt(settings)}|{code_fingerprint()}|{dependency_versions()}|{settings.result_key()}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


class DocumentCache:
    """One run's view of OUT/.cache: `get`/`put` for the result layer, `get_reading`/`put_reading`."""

    def __init__(self, folder: Path, settings: Settings) -> None:
        self.folder = Path(folder)
        self.salts = {"result": cache_salt(settings), "reading": reading_salt(settings)}
        self.enabled = True
        self._probe()

    def _probe(self) -> None:
        """Find out once, before any work, whether the folder can hold entries (one warning, not one per file)."""
        try:
            atomic_write_bytes(self.folder / ".probe", b"")
        except OSError as exc:
            self.enabled = False
            log.warning("the cache in %s cannot be written (%s); going on without a cache", self.folder, exc)

    def _entry(self, layer: str, sha: str) -> Path:
        return self.folder / f"{layer}-{sha}-{self.salts[layer]}{_SUFFIX}"

    def get(self, path: Path, source_file: str, sha: str = "") -> Document | None:
        """The cached result for this file's content, re-labelled with its current name; None if absent."""
        try:
            sha = sha or file_sha256(path)
        except OSError:
            return None  # the pipeline reports the unreadable file itself
        doc = self._load("result", sha)
        return replace(doc, source_path=str(path), source_file=source_file, doc_id="") if doc else None

    def get_reading(self, sha: str) -> Document | None:
        return self._load("reading", sha)

    def put(self, doc: Document) -> None:
        if doc.sha256 and not any(w.kind in TRANSIENT_KINDS for w in doc.warnings):
            self._store("result", doc)

    def put_reading(self, doc: Document) -> None:
        if doc.sha256 and not any(w.kind in TRANSIENT_KINDS for w in doc.warnings):
            self._store("reading", doc)

    def _load(self, layer: str, sha: str) -> Document | None:
        if not self.enabled:
            return None
        entry = self._entry(layer, sha)
        try:
            with open_regular(entry) as fh, gzip.GzipFile(fileobj=fh) as unzipped:
                raw = unzipped.read(_MAX_ENTRY_BYTES + 1)
        except FileNotFoundError:
            return None
        except (OSError, EOFError, MemoryError) as exc:
            log.warning("cache entry %s ignored (unreadable: %s); the file is processed again", entry.name, exc)
            return None
        try:
            if len(raw) > _MAX_ENTRY_BYTES:
                raise InvalidEntry("larger than any entry this tool writes")
            return self._checked(json.loads(raw), layer, sha)
        except (ValueError, TypeError, RecursionError, OverflowError, MemoryError) as exc:
            log.warning("cache entry %s ignored (%s: %s); the file is processed again",
                        entry.name, type(exc).__name__, str(exc)[:200])
            return None

    def _checked(self, data: object, layer: str, sha: str) -> Document:
        """The entry's document, after checking it is this layer's, this version's and this file's."""
        if not isinstance(data, dict):
            raise InvalidEntry("not an object")
        expected = {"format": FORMAT, "layer": layer, "tool_version": tool_version(), "sha256": sha,
                    "key": self.salts[layer]}
        for name, value in expected.items():
            if data.get(name) != value:
                raise InvalidEntry(f"its {name} is {str(data.get(name))[:80]!r}, not {value!r}")
        doc = decode(data.get("document"))
        if doc.sha256 != sha:
            raise InvalidEntry("the document inside belongs to another file")
        return doc

    def _store(self, layer: str, doc: Document) -> None:
        if not self.enabled:
            return
        data = {"format": FORMAT, "layer": layer, "tool_version": tool_version(), "sha256": doc.sha256,
                "key": self.salts[layer], "document": encode(doc)}
        try:
            payload = json.dumps(data, separators=(",", ":")).encode("ascii")  # ASCII: carries surrogates (odd names)
            atomic_write_bytes(self._entry(layer, doc.sha256), gzip.compress(payload, compresslevel=3, mtime=0))
        except (OSError, ValueError, TypeError, RecursionError, MemoryError) as exc:
            self.enabled = False
            log.warning("the cache in %s cannot be written (%s); going on without a cache", self.folder, exc)

    def prune(self) -> int:
        """Delete entries of other keys (older code, data, settings) and the pickle cache; returns how many."""
        current = {f"{layer}-": salt for layer, salt in self.salts.items()}
        stale_temp = time.time() - 3600  # a temporary file this old is not being written any more
        removed = 0
        try:
            names = sorted(os.listdir(self.folder))
        except OSError:
            return 0
        for name in names:
            keep = any(name.startswith(prefix) and name.endswith(f"-{salt}{_SUFFIX}")
                       for prefix, salt in current.items())
            if keep or not name.endswith((_SUFFIX, ".pickle")) and not name.startswith("."):
                continue
            try:
                if name.startswith(".") and (self.folder / name).stat().st_mtime > stale_temp:
                    continue
                (self.folder / name).unlink()
                removed += 1
            except OSError:
                continue
        return removed

