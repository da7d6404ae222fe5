"""Which files a run reads, and which it leaves out and why: every file in a folder is accounted for.

A named file is always tried (its content decides the format). In a folder, files with a document
suffix (any case: .PDF too) are read; every other file becomes a `skipped` documents row with a reason
a person can act on ("save it as .docx or PDF"), so nothing is left out without a word. Hidden files
(".DS_Store", editors' lock files) are not documents anyone put there and are passed over. Symlinked
folders are not followed, which also rules out symlink loops.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .ids import distinct_source_names
from .readers import SUPPORTED_SUFFIXES

_SAVE_AS = "save it as .docx or PDF to include it"
_IMAGE = "an image; put it in a PDF to include it (scanned pages are read by OCR)"
SKIP_REASONS = {
    ".doc": f"an old binary Word file (.doc); {_SAVE_AS}",
    ".xls": f"an Excel workbook (.xls); {_SAVE_AS}",
    ".xlsx": f"an Excel workbook (.xlsx); {_SAVE_AS}",
    ".odt": f"an OpenDocument text; {_SAVE_AS}",
    ".ods": f"an OpenDocument spreadsheet; {_SAVE_AS}",
    ".rtf": f"a Rich Text file; {_SAVE_AS}",
    ".ppt": f"a PowerPoint file; {_SAVE_AS}",
    ".pptx": f"a PowerPoint file; {_SAVE_AS}",
    ".jpg": _IMAGE, ".jpeg": _IMAGE, ".png": _IMAGE, ".tif": _IMAGE, ".tiff": _IMAGE,
}
OTHER_REASON = "not a document format this tool reads (PDF, HTML, DOCX)"


@dataclass(frozen=True)
class SkippedFile:
    path: Path
    source_file: str  # relative to its input root, as in the output
    reason: str


def skip_reason(path: Path) -> str:
    return SKIP_REASONS.get(path.suffix.lower(), OTHER_REASON)


def _walk(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str, bool]]:
    """(file, path relative to its input root, taken?) for every file under `paths`."""
    for given in paths:
        root = Path(given)
        if not root.is_dir():
            yield root, root.name, True
            continue
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                path = Path(dirpath) / name
                yield path, path.relative_to(root).as_posix(), path.suffix.lower() in SUPPORTED_SUFFIXES


def _unique_sorted(items: Iterable[tuple[Path, str]]) -> list[tuple[Path, str]]:
    found: dict[str, tuple[Path, str]] = {}
    for path, rel in items:
        found.setdefault(str(path), (path, rel))
    return sorted(found.values(), key=lambda item: (item[1], str(item[0])))


def collect_inputs(paths: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """(file, name in the output) for every input to read, sorted, each file once: the path relative to
    its input root, made distinct where two roots hold the same name, then printable."""
    found = _unique_sorted((path, rel) for path, rel, taken in _walk(paths) if taken)
    named = [(path, printable_name(name)) for path, name in distinct_source_names(found)]
    return sorted(named, key=lambda item: (item[1], str(item[0])))


def printable_name(name: str) -> str:
    """A file name as text that can always be written: bytes that are not UTF-8 (which the OS hands
    over as surrogates) become \\xNN escapes, so the raw bytes stay readable in the output."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def skipped_files(paths: Iterable[str | Path]) -> list[SkippedFile]:
    """The files in the given folders that are not read, each with the reason, sorted."""
    left_out = _unique_sorted((path, rel) for path, rel, taken in _walk(paths) if not taken)
    return [SkippedFile(path, printable_name(rel), skip_reason(path)) for path, rel in left_out]
