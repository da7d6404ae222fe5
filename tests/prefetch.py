"""Slow test inputs (OCR runs of scans) computed once per session, in one background process.

Tesseract runs single-threaded, so on a machine with two cores the OCR of the scans can go on beside the
other tests instead of before them. Each input is started when the collected tests show they need it
(conftest.pytest_collection_modifyitems) and awaited by the fixture that hands it out; an input nobody
started is simply computed on first use. The functions submitted are the product's own (picklable by name),
so a result is exactly what the same call in the test process would give.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.pool import AsyncResult, Pool
from typing import Any


def _call(fn: Callable[..., Any], args: tuple) -> Any:
    """fn(*args) in the pool's worker. The product runs every document in a child process of its own
    (extract/isolation.py), which a pool worker, being daemonic, may not start: the worker is marked
    non-daemonic first. Its children die with it (PR_SET_PDEATHSIG) when close() terminates the pool."""
    multiprocessing.current_process()._config["daemon"] = False  # type: ignore[attr-defined]
    return fn(*args)


class Prefetch:
    """Named results of product calls, each computed once, in a single background worker process."""

    def __init__(self) -> None:
        self._pool: Pool | None = None
        self._pending: dict[str, AsyncResult] = {}

    def start(self, key: str, fn: Callable[..., Any], *args: Any) -> None:
        """Begin computing fn(*args) under `key` unless already begun."""
        if key in self._pending:
            return
        if self._pool is None:
            self._pool = Pool(processes=1)  # one core for OCR, the other for the tests
        self._pending[key] = self._pool.apply_async(_call, (fn, args))

    def result(self, key: str, fn: Callable[..., Any], *args: Any) -> Any:
        """The result under `key`, started now if it was not prefetched."""
        self.start(key, fn, *args)
        return self._pending[key].get()

    def close(self) -> None:
        """Stop the worker, even mid-OCR (a run of a few tests must not wait for inputs it did not use)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
