"""The command line's arguments checked before any work starts, in the words a person typed.

Each check returns a message (the CLI prints it and exits 2) or "" when the argument is fine, so a bad
`--out` is refused in a second instead of after an hour of extraction, and never as a traceback.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

# Names that look like a file someone meant to write, not a folder: `--out results.csv`.
_FILE_LIKE_SUFFIXES = {".csv", ".parquet", ".json", ".xlsx", ".xls", ".txt", ".zip", ".tsv"}


def whole_number(text: str) -> int:
    """argparse type: the message names what was expected rather than Python's `int`."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expects a whole number, not {text!r}") from None


def number(text: str) -> float:
    """argparse type for seconds, points and shares."""
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expects a number, not {text!r}") from None


def check_paths(paths: list[str]) -> str:
    missing = [p for p in paths if not Path(p).exists() and not Path(p).is_symlink()]
    if missing:
        return "not found: " + ", ".join(missing)
    return ""


def check_out(out: str) -> str:
    """--out must be a folder we can create or write into."""
    path = Path(out)
    if path.exists() and not path.is_dir():
        return f"--out {out}: that is a file; give a folder to write the tables into (it is created if needed)"
    if not path.exists() and path.suffix.lower() in _FILE_LIKE_SUFFIXES:
        return (f"--out {out}: give a folder, not a file name; the run writes several tables "
                f"(e.g. --out {path.with_suffix('')})")
    existing = path
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if not existing.is_dir():
        return f"--out {out}: {existing} is a file, so no folder can be made under it"
    if not _writable(existing):
        where = "that folder" if existing == path else f"{existing}, where it would be created,"
        return f"--out {out}: {where} is not writable; choose another folder"
    return ""


def _writable(folder: Path) -> bool:
    """Try it: permission bits say nothing for root or on a read-only mount."""
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def check_run_folder(out: str) -> str:
    """`indicators --unmapped OUT`: OUT must hold a run's warnings.csv or targets.csv."""
    path = Path(out)
    if not path.is_dir():
        return f"--unmapped {out}: no such folder (give the --out folder of a run)"
    if not (path / "warnings.csv").exists() and not (path / "targets.csv").exists():
        return f"--unmapped {out}: no run found there (no warnings.csv or targets.csv; give the --out folder of a run)"
    return ""
