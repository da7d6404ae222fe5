"""The batch: find input files, run each through the reader and the stages, write the tables.

Each document runs on its own (in a worker process when --workers > 1) inside try/except: a bad
file ends as a `failed` documents row with a warning, a stage that breaks leaves the document
`partial`, and the batch always goes on. Results are merged in input order, so the output bytes
do not depend on the number of workers.
"""

from __future__ import annotations

import logging
import os
import stat
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from normalize.indicators import registry
from normalize.places import resolve_unit
from output import tables as output_tables  # as a module: output.tables imports extract.kinds (this package)
from output.generations import output_lock
from output.sources import write_sources
from output.writers import write_tables

from . import interrupts
from .cache import DocumentCache, file_sha256
from .corrections import CorrectionReport, apply_user_folder
from .ids import document_id, drop_byte_duplicates, report_duplicates
from .inventory import SkippedFile, collect_inputs, skipped_files
from .isolation import ChildFailed, run_in_children
from .kinds import Stage, Status, WarningKind
from .logs import current_file
from .model import Document
from .progress import Progress
from .readers import ReaderError, read_document
from .settings import Settings
from .stages import STAGES, StageFunction
from .stages.programme import keep_only_project8
from .stages.status import settle_status
from .user_folder import load_user_folder

log = logging.getLogger(__name__)

STORE_NAME = "project8.duckdb"  # the store a run updates unless given --db (output/store.py DEFAULT_NAME)
RunSettings = Settings  # the earlier name, kept for library users and the bench scripts


def _stages() -> list[tuple[Stage, StageFunction]]:
    """The stages to run (extract/stages/__init__.py); a function so tests can put a stage in or out."""
    return list(STAGES)


@dataclass
class RunResult:
    """What a run produced: the documents (with their rows) and the files written."""

    documents: list[Document]
    out_dir: Path
    files: dict[str, Path] = field(default_factory=dict)
    from_cache: int = 0  # documents whose results came from the cache (unchanged since a previous run)
    corrections: CorrectionReport | None = None  # what the user folder did (extract/corrections.py)
    db: Path | None = None  # the national store this run updated
    db_error: str = ""  # why the store was not updated (the CSV files are written all the same)

    def count(self, status: str) -> int:
        return sum(1 for d in self.documents if d.status == status)

    @property
    def n_targets(self) -> int:
        return sum(len(d.targets) for d in self.documents)

    @property
    def n_refs(self) -> int:
        return sum(len(d.refs) for d in self.documents)

    @property
    def n_warnings(self) -> int:
        return sum(len(d.warnings) for d in self.documents)

    @property
    def n_tables(self) -> int:
        return sum(len(d.tables) for d in self.documents)

    def tables_of_kind(self, kind: str) -> int:
        return sum(1 for d in self.documents for t in d.tables if t.kind == kind)

    @property
    def all_read(self) -> bool:
        return not any(d.status == Status.FAILED for d in self.documents)


def process_document(
    path: Path, source_file: str, settings: Settings | None = None, cache: DocumentCache | None = None
) -> Document:
    """Read one file (or take its reading from the cache) and run every stage on it; never raises."""
    settings = settings or Settings()
    token = current_file.set(source_file)
    try:
        deadline = time.monotonic() + settings.seconds_per_document
        doc = _read(path, source_file, settings, deadline, cache)
        if doc.status != Status.FAILED:
            doc = _run_stages(doc, settings, deadline)
        if not settings.keep_text:
            doc.drop_text()
        return doc
    finally:
        current_file.reset(token)


def _failed(path: Path, source_file: str, kind: WarningKind, message: str, sha: str = "") -> Document:
    doc = Document(source_path=str(path), source_file=source_file, status=Status.FAILED, sha256=sha)
    doc.warn(Stage.READ, kind, message)
    return doc


def refusal(path: Path, source_file: str, settings: Settings) -> Document | None:
    """A failed Document when the file must not be opened at all (not a regular file, too large)."""
    try:
        info = os.stat(path)
    except OSError as exc:
        return _failed(path, source_file, WarningKind.UNREADABLE, f"cannot open the file: {exc.strerror or exc}")
    if not stat.S_ISREG(info.st_mode):
        return _failed(path, source_file, WarningKind.NOT_REGULAR,
                       "not a regular file (a FIFO, device, socket or folder); only regular files are read")
    if info.st_size > settings.max_input_bytes:
        return _failed(path, source_file, WarningKind.TOO_LARGE,
                       f"the file is {info.st_size / 2**20:.0f} MB, over the limit of "
                       f"{settings.max_input_bytes / 2**20:.0f} MB (--max-file-size)")
    return None


def _read(path: Path, source_file: str, settings: Settings, deadline: float,
          cache: DocumentCache | None = None) -> Document:
    """The reader's Document, or a failed one saying why (a reader bug never ends the batch)."""
    refused = refusal(path, source_file, settings)
    if refused:
        return refused
    try:
        sha = file_sha256(path)
    except OSError as exc:
        return _failed(path, source_file, WarningKind.UNREADABLE, f"cannot open the file: {exc.strerror or exc}")
    cached = cache.get_reading(sha) if cache else None
    if cached is not None:
        return replace(cached, source_path=str(path), source_file=source_file)
    try:
        doc = read_document(str(path), source_file, settings, deadline)
    except ReaderError as exc:
        return _failed(path, source_file, WarningKind.UNREADABLE, str(exc), sha)
    except Exception as exc:  # a reader bug must not end the batch
        log.debug("reader failed:\n%s", traceback.format_exc())
        message = f"the reader failed: {type(exc).__name__}: {exc}{_where(exc)}"
        return _failed(path, source_file, WarningKind.INTERNAL_ERROR, message, sha)
    doc.sha256 = sha
    if not doc.lines and not doc.tables:
        doc.warn(Stage.READ, WarningKind.NO_TEXT,
                 "no text found in the document (a scan without OCR, or an empty page?)")
        doc.status = Status.PARTIAL
    if cache:
        cache.put_reading(doc)
    return doc


def _run_stages(doc: Document, settings: Settings, deadline: float) -> Document:
    """Each stage in its own try/except: a broken stage leaves the document partial, the next ones run."""
    for name, stage in _stages():
        if time.monotonic() > deadline:
            doc.warn(name, WarningKind.TIME_LIMIT, f"time limit of {settings.seconds_per_document:g} s reached "
                                                   f"before the {name} stage; later stages were skipped")
            doc.status = Status.PARTIAL
            break
        try:
            doc = stage(doc)
            log.debug("after %s: %d tables, %d targets, %d references, %d warnings", stage.__name__,
                      len(doc.tables), len(doc.targets), len(doc.refs), len(doc.warnings))
        except Exception as exc:
            log.debug("%s failed:\n%s", stage.__name__, traceback.format_exc())
            doc.warn(name, WarningKind.STAGE_FAILED,
                     f"{stage.__name__} failed: {type(exc).__name__}: {exc}{_where(exc)}")
            doc.status = Status.PARTIAL
    return settle_status(doc, settings)


def _where(exc: BaseException, frames: int = 3) -> str:
    """The innermost frames of the traceback, compact, so a warnings.csv row says where the bug is."""
    stack = traceback.extract_tb(exc.__traceback__)[-frames:]
    return " (at " + " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(stack)) + ")"


def assign_doc_ids(docs: list[Document]) -> None:
    """doc_id from the document alone (see extract/ids.py): the same file has the same id in any batch."""
    for doc in docs:
        doc.doc_id = document_id(doc)


def _process_all(
    inputs: list[tuple[Path, str]], settings: Settings, cache: DocumentCache | None, progress: Progress
) -> tuple[list[Document], int]:
    """Every input processed (or taken from the cache), in input order; returns (documents, cache hits)."""
    results: dict[int, Document] = {}
    todo: list[int] = []
    hits = 0
    for i, (path, source_file) in enumerate(inputs):
        known = refusal(path, source_file, settings)
        cached = cache.get(path, source_file) if known is None and cache is not None else None
        hits += cached is not None
        known = known or cached
        if known is not None:
            results[i] = known
            progress.finish(i, known, from_cache=cached is not None)
        else:
            todo.append(i)

    def done(i: int, outcome: object) -> None:
        doc = outcome if isinstance(outcome, Document) else _child_failed(inputs[i], outcome, settings)
        with interrupts.deferred():  # a finished document always reaches the cache, even on Ctrl-C
            results[i] = doc
            if cache:
                cache.put(doc)
            progress.finish(i, doc)

    if todo:
        _warm_up()
        run_in_children(todo, lambda i: process_document(*inputs[i], settings, cache), done,
                        workers=settings.workers, seconds=settings.hard_deadline_seconds,
                        memory=settings.max_memory_bytes)
    return [results[i] for i in range(len(inputs))], hits


def _child_failed(item: tuple[Path, str], failure: object, settings: Settings) -> Document:
    """The failed Document for a child that gave no result: stopped at the deadline, crashed or out of memory."""
    path, source_file = item
    if isinstance(failure, ChildFailed) and failure.reason == "time":
        return _failed(path, source_file, WarningKind.TIME_LIMIT,
                       f"the time limit of {settings.seconds_per_document:g} s (--timeout) was reached inside one "
                       f"step; the document's process was stopped after {settings.hard_deadline_seconds:g} s")
    if isinstance(failure, ChildFailed) and failure.reason == "memory":
        return _failed(path, source_file, WarningKind.MEMORY_LIMIT,
                       f"reading it needs more than {settings.max_memory_bytes / 2**20:.0f} MB (--max-memory)")
    return _failed(path, source_file, WarningKind.CRASHED,
                   f"reading this file crashed the worker process (a damaged or hostile file?): {failure}")


def _warm_up() -> None:
    """Load the vocabularies once, before the children start: forked children inherit them instead of
    each paying ~1.5 s (underthesea, the places database) on its first file."""
    registry().texts  # noqa: B018  (a cached property: builds the tokens and loads underthesea)
    resolve_unit("Ba Đình", "Hà Nội")  # any unit: loads the places database


def _skipped(file: SkippedFile) -> Document:
    """A documents row for a file of another kind, so the run accounts for every file it was given."""
    try:
        sha = file_sha256(file.path)
    except OSError:
        sha = ""
    doc = Document(source_path=str(file.path), source_file=file.source_file, status=Status.SKIPPED, sha256=sha)
    doc.warn(Stage.READ, WarningKind.SKIPPED, f"not read: {file.reason}")
    return doc


def _write_whole(
    out: Path, docs: list[Document], tables: dict[str, list[dict[str, object]]], settings: Settings,
) -> dict[str, Path]:
    """Write the tables with a signal held until the new set is switched in, so the output is one run's."""
    try:
        with interrupts.deferred():
            files = write_tables(out, tables, settings.csv_formula_safe, csv_bom=settings.csv_bom)
            write_sources(out, docs)
            return files
    except interrupts.Interrupted as stop:
        stop.output_written = True
        raise


def run(
    paths: Iterable[str | Path], out_dir: str | Path = "out", settings: Settings | None = None,
    corrections: str | Path | None = None, db: str | Path | None = None,
) -> RunResult:
    """Extract every document under `paths` and write the tables to `out_dir`.

    The whole run holds OUT/.lock (a second run into the same folder waits). The tables are written
    only at the end, as one set switched in at once: an interrupted run leaves the previous set as it
    was, and (with the cache on) a re-run reuses every document already done.
    `corrections` is the user folder (default: `corrections/` beside `out_dir`), applied after the
    cache, so editing it never invalidates cached documents.
    """
    settings = settings or Settings()
    out = Path(out_dir)
    paths = list(paths)
    inputs, duplicates = drop_byte_duplicates(collect_inputs(paths), settings.max_input_bytes)
    with output_lock(out):
        cache = DocumentCache(settings.cache_dir or out / ".cache", settings) if settings.use_cache else None
        progress = Progress(inputs, bar=settings.show_progress, lines=settings.progress_lines)
        try:
            docs, hits = _process_all(inputs, settings, cache, progress)
        finally:
            progress.close()
        if settings.only_project8:
            keep_only_project8(docs)
        docs = sorted(docs + [_skipped(f) for f in skipped_files(paths)], key=lambda d: d.source_file)
        assign_doc_ids(docs)
        # The user folder: after the cache, on every document, cached or not (see extract/corrections.py).
        user = load_user_folder(corrections if corrections is not None else default_corrections_dir(out))
        report = apply_user_folder(docs, user)
        report_duplicates(docs, duplicates)
        tables = output_tables.document_tables(docs)
        files = _write_whole(out, docs, tables, settings)
        store = Path(db) if db else out / STORE_NAME
        error = _update_store(store, tables)
        if cache:
            cache.prune()
    return RunResult(documents=docs, out_dir=out, files=files, from_cache=hits, corrections=report,
                     db=store, db_error=error)


def default_corrections_dir(out_dir: str | Path) -> Path:
    """`corrections/` beside the output folder: kept apart from OUT, which a run may replace."""
    return Path(out_dir).resolve().parent / "corrections"


def _update_store(store: Path, tables: dict[str, list[dict[str, object]]]) -> str:
    """The national store gets the batch (its documents' rows replaced); '' or why it was not updated."""
    from output.store import StoreError, update_store  # start-up: duckdb ~1.1 s on import, paid only at a run's end

    try:
        update_store(store, tables)
    except StoreError as exc:
        log.debug("store not updated: %s", exc)  # the summary says why
        return str(exc)
    return ""
