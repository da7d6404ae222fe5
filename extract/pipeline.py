"""The batch: find input files, run each through the reader and the stages, write the tables.

Each document runs on its own (in a worker process when --workers > 1) inside try/except: a bad
file ends as a `failed` documents row with a warning, a stage that breaks leaves the document
`partial`, and the batch always goes on. Results are merged in input order, so the output bytes
do not depend on the number of workers.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from normalize.text import fold

from .cache import DocumentCache, file_sha256
from .model import Document
from .readers import SUPPORTED_SUFFIXES, ReaderError, ReadOptions, read_document

Stage = Callable[[Document], Document]


def _stages() -> list[tuple[str, Stage]]:
    """The extraction stages in order; each takes the document and returns it enriched."""
    from normalize.indicators import normalize_targets

    from .allocation import extract_targets
    from .appendix import find_appendices
    from .coverage import check_allocation_read
    from .encoding import fix_legacy_encoding
    from .meta import extract_meta
    from .refs import extract_references
    from .validate import check_body_against_tables

    return [
        ("read", fix_legacy_encoding),  # legacy TCVN3/VNI text to Unicode before anything reads it
        ("meta", extract_meta),
        ("tables", find_appendices),
        ("tables", extract_targets),
        ("tables", check_allocation_read),  # an announced or detected allocation table that gave no rows
        ("refs", extract_references),
        ("normalize", normalize_targets),
        ("validate", check_body_against_tables),
    ]


@dataclass(frozen=True)
class RunSettings:
    """How a batch runs. Defaults suit a laptop; the CLI maps its flags onto these."""

    workers: int = 1
    show_progress: bool = False
    use_cache: bool = True
    cache_dir: Path | None = None  # default: OUT_DIR/.cache
    max_pages: int = 2000  # pages read per document
    password: str = ""  # tried on encrypted PDFs
    seconds_per_document: float = 600.0  # a document still being read after this is cut short (partial)
    ocr: bool = True  # read scanned pages with Tesseract (when installed)
    ocr_dpi: int = 300
    ocr_max_pixels: int = 30_000_000  # pixels per OCR page; a larger page is rendered at a lower resolution
    keep_text: bool = False  # keep page lines and table cells in RunResult.documents (memory grows with pages)

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
        if self.max_pages < 1 or self.seconds_per_document <= 0:
            raise ValueError("max_pages and seconds_per_document must be positive")
        from .readers.ocr import OcrOptions

        OcrOptions(dpi=self.ocr_dpi, max_pixels=self.ocr_max_pixels)  # raises ValueError when out of range


@dataclass
class RunResult:
    """What a run produced: the documents (with their rows) and the files written."""

    documents: list[Document]
    out_dir: Path
    files: dict[str, Path] = field(default_factory=dict)
    from_cache: int = 0  # documents whose results came from the cache (unchanged since a previous run)

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
        return not any(d.status == "failed" for d in self.documents)


def collect_inputs(paths: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """(file, path relative to its input root) for every input, sorted, each file once.

    A named file is always taken (its content decides the format); inside a folder only files with a
    document suffix are taken, so notes such as README.md are not read as failed plans. Symlinked
    folders are not followed, which also rules out symlink loops.
    """
    found: dict[str, tuple[Path, str]] = {}
    for given in paths:
        root = Path(given)
        if root.is_dir():
            for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
                dirnames.sort()
                for name in sorted(filenames):
                    path = Path(dirpath) / name
                    if path.suffix.lower() in SUPPORTED_SUFFIXES and not name.startswith("."):
                        found.setdefault(str(path), (path, path.relative_to(root).as_posix()))
        else:
            found.setdefault(str(root), (root, root.name))
    return sorted(found.values(), key=lambda item: (item[1], str(item[0])))


def process_document(path: Path, source_file: str, settings: RunSettings | None = None) -> Document:
    """Read one file and run every stage on it; never raises."""
    settings = settings or RunSettings()
    deadline = time.monotonic() + settings.seconds_per_document
    try:
        sha = file_sha256(path)
    except OSError as exc:
        doc = Document(source_path=str(path), source_file=source_file, status="failed")
        doc.warn("read", "unreadable", f"cannot open the file: {exc.strerror or exc}")
        return doc
    options = ReadOptions(
        max_pages=settings.max_pages, password=settings.password, deadline=deadline,
        ocr=settings.ocr, ocr_dpi=settings.ocr_dpi, ocr_max_pixels=settings.ocr_max_pixels,
    )
    try:
        doc = read_document(str(path), source_file, options)
    except ReaderError as exc:
        doc = Document(source_path=str(path), source_file=source_file, status="failed", sha256=sha)
        doc.warn("read", "unreadable", str(exc))
        return doc
    except Exception as exc:  # a reader bug must not end the batch
        doc = Document(source_path=str(path), source_file=source_file, status="failed", sha256=sha)
        doc.warn("read", "internal_error", f"the reader failed: {type(exc).__name__}: {exc}")
        return doc
    doc.sha256 = sha
    if not doc.lines and not doc.tables:
        doc.warn("read", "no_text", "no text found in the document (a scan without OCR, or an empty page?)")
        doc.status = "partial"
    for name, stage in _stages():
        if time.monotonic() > deadline:
            doc.warn(name, "time_limit", f"time limit of {settings.seconds_per_document:g} s reached before "
                                         f"the {name} stage; later stages were skipped")
            doc.status = "partial"
            break
        try:
            doc = stage(doc)
        except Exception as exc:
            doc.warn(name, "stage_failed", f"{stage.__name__} failed: {type(exc).__name__}: {exc}")
            doc.status = "partial"
    if not settings.keep_text:
        doc.drop_text()
    return doc


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def assign_doc_ids(docs: list[Document]) -> None:
    """doc_id from content: province_number_date ('lao-cai_355-kh-ubnd_2022-10-24').

    Where several files of the run share that id (a plan's PDF, HTML and scan), each gets the first
    8 hex digits of its own SHA-256 appended, so no file's id depends on the order of the inputs.
    A document without a number is named by its hash.
    """
    bases = []
    for doc in docs:
        meta = doc.meta
        parts = [_slug(meta.province), _slug(meta.doc_number), meta.issue_date]
        bases.append("_".join(p for p in parts if p) if meta.doc_number else "")
    shared = {b for b in bases if b and bases.count(b) > 1}
    used: set[str] = set()
    for doc, base in zip(docs, bases):
        digest = doc.sha256 or hashlib.sha256(doc.source_file.encode()).hexdigest()
        candidate = f"{base}_{digest[:8]}" if base in shared else (base or f"sha-{digest[:12]}")
        n = 2
        while candidate in used:  # the same bytes twice in one run
            candidate = f"{base or 'sha-' + digest[:12]}_{digest[:8]}_{n}"
            n += 1
        used.add(candidate)
        doc.doc_id = candidate


def _process_all(
    inputs: list[tuple[Path, str]], settings: RunSettings, cache: DocumentCache | None, progress
) -> tuple[list[Document], int]:
    """Every input processed (or taken from the cache), in input order; returns (documents, cache hits)."""
    results: dict[int, Document] = {}
    todo: list[int] = []
    for i, (path, source_file) in enumerate(inputs):
        cached = cache.get(path, source_file) if cache else None
        if cached is not None:
            results[i] = cached
            progress(1)
        else:
            todo.append(i)
    hits = len(results)

    def done(i: int, doc: Document) -> None:
        results[i] = doc
        if cache:
            cache.put(doc)
        progress(1)

    if settings.workers <= 1 or len(todo) <= 1:
        for i in todo:
            done(i, process_document(*inputs[i], settings))
    else:
        _process_in_pool(inputs, todo, settings, done)
    return [results[i] for i in range(len(inputs))], hits


def _process_in_pool(inputs, todo: list[int], settings: RunSettings, done) -> None:
    """Documents in worker processes. If a document crashes its worker (a segfault in a native
    library), the documents left are retried one process each, so only the culprit fails."""
    left = list(todo)
    _warm_up()
    try:
        with ProcessPoolExecutor(max_workers=settings.workers) as pool:
            futures = {pool.submit(process_document, *inputs[i], settings): i for i in left}
            for future in as_completed(futures):
                i = futures[future]
                done(i, future.result())
                left.remove(i)
    except BrokenProcessPool:
        for i in list(left):
            done(i, _process_isolated(inputs[i], settings))


def _warm_up() -> None:
    """Import the stages and load the vocabularies once, before the workers start: forked workers
    inherit them instead of each paying ~1.5 s (underthesea, the places database) on its first file."""
    _stages()
    from normalize.indicators import registry
    from normalize.places import resolve_unit

    registry().texts  # noqa: B018  (a cached property: builds the tokens and loads underthesea)
    resolve_unit("Bắc Hà", "Lào Cai")


def _process_isolated(item: tuple[Path, str], settings: RunSettings) -> Document:
    path, source_file = item
    try:
        with ProcessPoolExecutor(max_workers=1) as pool:
            return pool.submit(process_document, path, source_file, settings).result()
    except BrokenProcessPool:
        doc = Document(source_path=str(path), source_file=source_file, status="failed")
        doc.warn("read", "crashed", "reading this file crashed the worker process (a damaged or hostile file?)")
        return doc


def run(paths: Iterable[str | Path], out_dir: str | Path = "out", settings: RunSettings | None = None) -> RunResult:
    """Extract every document under `paths` and write the tables to `out_dir`.

    The tables are written only at the end, each atomically: an interrupted run leaves the previous
    output as it was, and (with the cache on) a re-run reuses every document already done.
    """
    from output.tables import document_tables
    from output.writers import write_tables

    settings = settings or RunSettings()
    out = Path(out_dir)
    inputs = collect_inputs(paths)
    cache = DocumentCache(settings.cache_dir or out / ".cache", settings) if settings.use_cache else None
    bar = None
    if settings.show_progress and len(inputs) > 1:
        from tqdm import tqdm

        bar = tqdm(total=len(inputs), unit="doc", desc="extract", leave=False)
    try:
        docs, hits = _process_all(inputs, settings, cache, bar.update if bar else (lambda n: None))
    finally:
        if bar:
            bar.close()
    assign_doc_ids(docs)
    files = write_tables(out, document_tables(docs))
    return RunResult(documents=docs, out_dir=out, files=files, from_cache=hits)
