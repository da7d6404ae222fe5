"""Identity of input files: stable doc_ids, distinct source names, byte-identical duplicates.

A doc_id must depend on the document alone (its content and metadata), never on which other files
share the run: notes, joins and the national store are keyed on it, and a file read in another batch
must keep the id it had.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from output import plans  # as a module: output.plans may be importing this package (see output/tables.py)

from .cache import file_sha256
from .kinds import Stage, WarningKind
from .model import Document


def document_id(doc: Document) -> str:
    """province_number_date_sha8 (the file's first 8 hex digits of SHA-256 always appended, so copies of
    one plan never collide and no id depends on the other inputs); `sha-<12 hex>` without a number."""
    digest = doc.sha256 or hashlib.sha256(doc.source_file.encode()).hexdigest()
    base = plans.plan_base(doc.meta.province, doc.meta.doc_number, doc.meta.issue_date)
    return f"{base}_{digest[:8]}" if base else f"sha-{digest[:12]}"


@dataclass(frozen=True)
class Duplicate:
    """An input whose bytes equal an earlier input's: read once, reported on the kept document."""

    source_file: str
    same_as: str  # source_file of the input that was read


def distinct_source_names(found: list[tuple[Path, str]]) -> list[tuple[Path, str]]:
    """Where two inputs from different roots have the same relative path ('a/plan.pdf', 'b/plan.pdf'),
    name each relative to the roots' common folder instead, so source_file tells them apart."""
    names: dict[str, int] = {}
    for _, rel in found:
        names[rel] = names.get(rel, 0) + 1
    clashing = [path for path, rel in found if names[rel] > 1]
    if not clashing:
        return found
    common = Path(os.path.commonpath([str(p.resolve().parent) for p in clashing]))
    out = []
    for path, rel in found:
        out.append((path, path.resolve().relative_to(common).as_posix() if names[rel] > 1 else rel))
    return out


def drop_byte_duplicates(
    inputs: list[tuple[Path, str]], max_bytes: int | None = None
) -> tuple[list[tuple[Path, str]], list[Duplicate]]:
    """Inputs with the bytes of an earlier input (in input order) are left out and listed instead.

    A file over `max_bytes` is kept unhashed (the pipeline refuses it without reading it), so a huge or
    sparse input is never read through here; FIFOs and devices are refused by file_sha256 itself."""
    kept: list[tuple[Path, str]] = []
    seen: dict[str, str] = {}
    duplicates: list[Duplicate] = []
    for path, source_file in inputs:
        try:
            if max_bytes is not None and os.stat(path).st_size > max_bytes:
                raise OSError("too large to compare")
            digest = file_sha256(path)
        except OSError:  # unreadable, special or too large: let the pipeline report it
            kept.append((path, source_file))
            continue
        if digest in seen:
            duplicates.append(Duplicate(source_file, seen[digest]))
            continue
        seen[digest] = source_file
        kept.append((path, source_file))
    return kept, duplicates


def report_duplicates(docs: list[Document], duplicates: list[Duplicate]) -> None:
    """A `duplicate_file` warning on the document that was read, naming each identical copy."""
    by_source = {d.source_file: d for d in docs}
    for dup in duplicates:
        doc = by_source.get(dup.same_as)
        if doc is not None:
            doc.warn(Stage.READ, WarningKind.DUPLICATE_FILE,
                     f"{dup.source_file} has the same bytes as this file; it was read once, as {dup.same_as}")
