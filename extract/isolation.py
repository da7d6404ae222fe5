"""Each document in its own forked child process, stopped from outside when it overruns.

A time limit checked by the work itself cannot stop a regex that backtracks for hours or a native
library stuck inside one page; only the parent can. So every document (also with one worker) runs in
a child that the parent kills at the hard deadline. Children die with the parent (PR_SET_PDEATHSIG,
so a SIGKILL or SIGTERM to the main process leaves no orphan), ignore Ctrl-C (the parent decides and
kills them on the way out), and run under an address-space limit so a decompression bomb ends one
document instead of the machine. Forking (not spawning) lets children inherit the loaded vocabularies
and any test's monkeypatches.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from .logs import RecordCollector, replay

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_FORK = multiprocessing.get_context("fork")
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class ChildFailed(Exception):
    """The child gave no result: `reason` is 'time' (stopped at the deadline), 'crash' or 'memory'."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


@dataclass
class _Child:
    job: int
    process: BaseProcess
    conn: Connection
    stop_at: float


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux; a no-op elsewhere)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _child_main(conn: Connection, work: Callable[[int], object], job: int, parent: int, memory: int) -> None:
    die_with_parent()
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)  # blocked by _start around the fork
    if memory:
        limit = _address_space() + memory  # on top of what the fork inherited (libraries, vocabularies)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    collector = RecordCollector()
    logging.getLogger().handlers[:] = [collector]
    try:
        message: tuple[str, object, list] = ("ok", work(job), collector.records)
    except MemoryError:
        message = ("memory", "", collector.records)
    except BaseException as exc:  # reported by the parent as a failed document, never a traceback
        message = ("crash", f"{type(exc).__name__}: {exc}", collector.records)
    try:
        conn.send(message)
    except MemoryError:
        conn.send(("memory", "", []))
    conn.close()
    os._exit(0)  # skip the parent's atexit handlers and buffered output inherited by the fork


def _address_space() -> int:
    """This process's virtual size in bytes (Linux /proc; 0 where unknown)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def run_in_children(
    jobs: list[int], work: Callable[[int], object], on_done: Callable[[int, object], None], *,
    workers: int, seconds: float, memory: int = 0,
) -> None:
    """Run `work(job)` for each job in a child, at most `workers` at a time; `on_done(job, result)` is
    called in the parent with the result or a ChildFailed. Children still running when this returns
    or raises (Ctrl-C) are killed."""
    pending = deque(jobs)
    running: dict[Connection, _Child] = {}
    try:
        while pending or running:
            while pending and len(running) < workers:
                child = _start(pending.popleft(), work, seconds, memory)
                running[child.conn] = child
            timeout = max(0.0, min(c.stop_at for c in running.values()) - time.monotonic())
            for conn in wait(list(running), timeout):
                child = running.pop(conn)  # type: ignore[arg-type]
                on_done(child.job, _collect(child))
            now = time.monotonic()
            for conn, child in list(running.items()):
                if now >= child.stop_at:
                    del running[conn]
                    _stop(child)
                    on_done(child.job, ChildFailed("time", f"still working after {seconds:g} s; stopped"))
    finally:
        for child in running.values():
            _stop(child)


def _start(job: int, work: Callable[[int], object], seconds: float, memory: int) -> _Child:
    reader, writer = _FORK.Pipe(duplex=False)
    process = _FORK.Process(target=_child_main, args=(writer, work, job, os.getpid(), memory), daemon=True)
    # A Ctrl-C during the fork would run the parent's handler inside fork's own hooks (logging's lock
    # release), where its exception is printed as a traceback and lost: hold the signals until the
    # fork is done; the parent then gets them as usual, and the child ignores them (_child_main).
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        process.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    writer.close()
    return _Child(job, process, reader, time.monotonic() + seconds)


def _collect(child: _Child) -> object:
    try:
        status, payload, records = child.conn.recv()
    except (EOFError, OSError):
        child.process.join(5)
        code = child.process.exitcode
        _stop(child)
        return ChildFailed("crash", f"the process reading it ended with code {code}")
    _stop(child)
    replay(records)
    if status == "ok":
        return payload
    if status == "memory":
        return ChildFailed("memory", "it needs more memory than the limit")
    return ChildFailed("crash", str(payload))


def _stop(child: _Child) -> None:
    if child.process.is_alive():
        child.process.kill()
    child.process.join()
    child.conn.close()
