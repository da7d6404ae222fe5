"""Extract Project 8 plan documents (PDF, HTML, DOCX) into tidy tables.

Library first: `extract.run(paths, out_dir, Settings(...))` returns a RunResult; the CLI
(`python -m extract`) is a thin layer over it. The names are loaded on first use (PEP 562), so
`python -m extract` can install its signal handlers before PyMuPDF and the vocabularies load.
"""

from __future__ import annotations

from importlib import import_module

_EXPORTS = {
    "run": "pipeline", "RunResult": "pipeline", "RunSettings": "pipeline",
    "Settings": "settings", "OcrSettings": "settings", "TableSettings": "settings",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'extract' has no attribute {name!r}")
    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
