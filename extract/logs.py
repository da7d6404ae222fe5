"""Verbose logging of the heuristic decisions, one line each: "doc-file p.N: message" on stderr.

Modules log with `logging.getLogger(__name__)` and start their message with "p.N: " where a page is
known; the file being processed is added here from a context variable the pipeline sets, so no
stage has to pass the file name around just for its log lines.
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar

current_file: ContextVar[str] = ContextVar("current_file", default="-")


class _DocumentFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.doc_file = current_file.get()
        return True


def configure_verbose() -> None:
    """Root logger to DEBUG with the compact per-document format, on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_DocumentFilter())
    handler.setFormatter(logging.Formatter("%(doc_file)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG)
    for noisy in ("PIL", "matplotlib", "urllib3", "filelock"):  # libraries' own DEBUG chatter
        logging.getLogger(noisy).setLevel(logging.WARNING)
