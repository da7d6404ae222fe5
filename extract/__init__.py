"""Extract Project 8 plan documents (PDF, HTML, DOCX) into tidy tables.

Library first: `extract.run(paths, out_dir, Settings(...))` returns a RunResult; the CLI
(`python -m extract`) is a thin layer over it.
"""

from .pipeline import RunResult, RunSettings, run
from .settings import OcrSettings, Settings, TableSettings

__all__ = ["run", "RunResult", "RunSettings", "Settings", "OcrSettings", "TableSettings"]
