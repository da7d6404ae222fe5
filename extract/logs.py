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
        # A record replayed from a document's child process already names its file.
        record.doc_file = getattr(record, "doc_file", None) or current_file.get()
        return True


class RecordCollector(logging.Handler):
    """Keeps a child process's log records (flattened to text, so they pickle) for the parent to replay
    in order with `replay`: a child's stderr is not the parent's (pytest's capture, a log file)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.doc_file = getattr(record, "doc_file", None) or current_file.get()
        record.msg, record.args = record.getMessage(), None
        record.exc_info = record.exc_text = record.stack_info = None
        self.records.append(record)


def replay(records: list[logging.LogRecord]) -> None:
    for record in records:
        logging.getLogger(record.name).handle(record)


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
