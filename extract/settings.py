"""Every tunable of a run, written once: the CLI builds one `Settings`, and the same object is passed
down unchanged to the readers and the stages.

Each check in `__post_init__` speaks in the option's command-line name, because that is what a
person typed; library users get the same message for the matching field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise ValueError(message)


@dataclass(frozen=True)
class OcrSettings:
    """How scanned pages are read (Tesseract, called as a program)."""

    enabled: bool = True
    dpi: int = 300  # render resolution for OCR; Tesseract reads 10-14 pt text best at 300 dpi
    lang: str = "vie"  # Tesseract language(s), e.g. "vie+eng"
    max_pixels: int = 30_000_000  # a page bigger than this at `dpi` is rendered at a lower resolution
    timeout_seconds: float = 120.0  # per Tesseract call
    tesseract: str = "tesseract"  # the program's name or path
    max_skew_degrees: float = 3.0  # skew searched in [-max, +max]
    min_confidence: float = 80.0  # cells read with less are reported; a header page read with less is left empty
    min_text_quality: float = 0.6  # a text layer scoring less (see text_layer_quality) is read again by OCR
    min_image_cover: float = 0.5  # share of the page an image must cover for the page to count as a scan

    def __post_init__(self) -> None:
        _require(72 <= self.dpi <= 1200, f"--ocr-dpi must be between 72 and 1200, not {self.dpi}")
        _require(self.max_pixels >= 1_000_000, "--ocr-max-pixels must be at least 1000000")
        _require(self.timeout_seconds > 0, "--ocr-timeout must be positive")
        _require(bool(self.lang.strip("+ ")), "--ocr-lang must name at least one Tesseract language")
        _require(0 <= self.max_skew_degrees <= 45, "the OCR skew search must be between 0 and 45 degrees")
        _require(0 <= self.min_confidence <= 100, "--ocr-min-confidence must be between 0 and 100")
        _require(0 <= self.min_text_quality <= 1, "the text-layer quality threshold must be between 0 and 1")
        _require(0 <= self.min_image_cover <= 1, "the scan image cover threshold must be between 0 and 1")


@dataclass(frozen=True)
class TableSettings:
    """Tolerances, in points, for turning drawn ruling lines into a table grid."""

    snap: float = 2.0  # rules closer than this are the same rule
    join: float = 3.0  # a gap this small inside a rule is still one rule
    min_rows: int = 2
    min_cols: int = 2
    border_cover: float = 0.5  # share of a slot's edge a rule must cover for the edge to count as a border

    def __post_init__(self) -> None:
        _require(0 < self.snap <= 20, f"--snap-tolerance must be above 0 and at most 20 points, not {self.snap:g}")
        _require(0 < self.join <= 20, f"--join-tolerance must be above 0 and at most 20 points, not {self.join:g}")
        _require(self.min_rows >= 1 and self.min_cols >= 1, "a table needs at least one row and one column")
        _require(0 < self.border_cover <= 1, f"--border-cover must be above 0 and at most 1, not {self.border_cover:g}")


@dataclass(frozen=True)
class Settings:
    """How a batch runs. Defaults suit a laptop; the CLI maps its flags onto these."""

    workers: int = 1
    show_progress: bool = False  # a progress bar on stderr (the CLI: when stderr is a terminal)
    progress_lines: bool = False  # one line per finished document on stderr (the CLI: off a terminal)
    verbose: bool = False  # log every heuristic decision (DEBUG); the CLI then runs one worker
    use_cache: bool = True
    cache_dir: Path | None = None  # default: OUT_DIR/.cache
    max_pages: int = 2000  # pages read per document; the rest are reported (partial)
    password: str = ""  # tried on encrypted PDFs
    seconds_per_document: float = 600.0  # a document still being read after this is cut short (partial)
    # A PDF page whose content streams would inflate past this is not read (a "zip bomb" or a broken file).
    max_content_bytes: int = 64 * 1024 * 1024
    # Larger input files are refused before they are opened (a sparse or runaway file).
    max_input_bytes: int = 512 * 1024 * 1024
    # A table grid (rows × columns, spans included) bigger than this is not built (a colspan/gridSpan bomb).
    max_table_cells: int = 200_000
    # Address space a document's process may add to what it inherits (RLIMIT_AS); 0 = no limit. A bomb
    # that gets past the other limits ends as a failed document instead of exhausting the machine.
    max_memory_bytes: int = 4 * 1024 * 1024 * 1024
    csv_formula_safe: bool = True  # CSV cells starting with = + - @ tab CR get a leading ' (see output/cells.py)
    keep_text: bool = False  # keep page lines and table cells in RunResult.documents (memory grows with pages)
    # Write targets only for Project 8 of programme 1719 (others keep their documents row); applied after the
    # cache, so it is not part of the cache key.
    only_project8: bool = False
    # A UTF-8 byte order mark at the start of each CSV: Excel then shows Vietnamese instead of mojibake.
    csv_bom: bool = True
    strict: bool = False  # a partial document counts as a failure in the exit code (scripts that need all)
    ocr: OcrSettings = field(default_factory=OcrSettings)
    tables: TableSettings = field(default_factory=TableSettings)

    def __post_init__(self) -> None:
        _require(self.workers >= 1, f"--workers must be at least 1, not {self.workers}")
        _require(self.max_pages >= 1, f"--max-pages must be at least 1, not {self.max_pages}")
        _require(self.seconds_per_document > 0, "--timeout must be a positive number of seconds")
        _require(self.max_content_bytes >= 1024 * 1024, "the page content limit (max_content_bytes) must be at "
                                                         "least 1 MB")
        _require(self.max_input_bytes >= 1024 * 1024, "--max-file-size must be at least 1 (MB)")
        _require(self.max_table_cells >= 100, "--max-table-cells must be at least 100")
        _require(self.max_memory_bytes == 0 or self.max_memory_bytes >= 512 * 1024 * 1024,
                 "--max-memory must be 0 (no limit) or at least 512 (MB)")

    @property
    def hard_deadline_seconds(self) -> float:
        """When a document's process is stopped from outside: --timeout plus a grace period in which
        the reader and stages may notice the limit themselves and return a partial result."""
        return self.seconds_per_document + min(30.0, max(2.0, self.seconds_per_document * 0.1))

    def reading_key(self) -> str:
        """The settings that shape the reader's Document (for the reading cache's key)."""
        return repr((self.max_pages, self.max_content_bytes, self.max_input_bytes, self.max_table_cells,
                     self.ocr, self.tables))

    def result_key(self) -> str:
        """The settings that shape results (for the cache key): not workers, progress, logging or paths."""
        return repr((self.reading_key(), self.keep_text))
