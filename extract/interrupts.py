"""Ctrl-C and `kill`: the main process decides, workers ignore them, and nothing prints a traceback.

Installed first thing by `python -m extract` (before the heavy imports, so a Ctrl-C while PyMuPDF loads
is handled too); this module imports only the standard library for that reason. The first SIGINT or
SIGTERM raises `Interrupted` in the main process, which the pipeline turns into "stop the workers now";
a second one kills the workers and exits at once. Forked workers inherit the handler but ignore SIGINT
(a terminal sends it to the whole process group: the parent decides) and exit quietly on SIGTERM.
Code that must not be cut in half (recording a finished document in the cache) runs inside
`deferred()`, where a signal is held until the block ends.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

EXIT_SIGINT = 130  # 128 + the signal's number, as shells report it
EXIT_SIGTERM = 143



@dataclass
class _State:
    main_pid: int
    received: int = 0  # the first signal's number, 0 before any
    pending: int = 0  # a signal held by `deferred()`
    deferring: int = 0  # depth of nested `deferred()` blocks


_state = _State(os.getpid())
_children: set[int] = set()


class Interrupted(BaseException):
    """The user (or a supervisor) asked the run to stop. BaseException, like KeyboardInterrupt, so the
    `except Exception` around each document does not swallow it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.output_written = False  # the signal came while the new tables were being put in place

    @property
    def exit_code(self) -> int:
        return exit_code(self.signum)


def exit_code(signum: int) -> int:
    return EXIT_SIGTERM if signum == signal.SIGTERM else EXIT_SIGINT


def install() -> None:
    """Route SIGINT and SIGTERM of this (main) process to `_handle`."""
    _state.main_pid, _state.received, _state.pending, _state.deferring = os.getpid(), 0, 0, 0
    signal.signal(signal.SIGINT, _handle)
    signal.signal(signal.SIGTERM, _handle)


def installed() -> bool:
    return signal.getsignal(signal.SIGINT) is _handle


def in_worker() -> None:
    """Worker initializer: SIGINT ignored, SIGTERM ends the process without Python's clean-up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def register_children(pids: set[int]) -> None:
    """Worker processes to kill if a second signal asks to exit at once."""
    _children.clear()
    _children.update(pids)


def _handle(signum: int, frame: object) -> None:
    if os.getpid() != _state.main_pid:  # a forked worker before its initializer ran
        if signum == signal.SIGTERM:
            os._exit(EXIT_SIGTERM)
        return
    if _state.received:
        _exit_now(signum)
    _state.received = signum
    if _state.deferring:
        _state.pending = signum
        return
    raise Interrupted(signum)


def _exit_now(signum: int) -> None:
    """Second signal: no more waiting for anything."""
    for pid in list(_children):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    sys.stderr.write("\ninterrupted again: stopped at once\n")
    sys.stderr.flush()
    os._exit(exit_code(signum))


@contextmanager
def deferred() -> Iterator[None]:
    """Hold a first signal until the block ends, then raise it (no-op when the handlers are not ours)."""
    _state.deferring += 1
    try:
        yield
    finally:
        _state.deferring -= 1
        pending = _state.pending
        if pending and not _state.deferring:
            _state.pending = 0
            raise Interrupted(pending)
