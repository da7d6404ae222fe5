"""Output sets replaced whole: a run writes its tables into a fresh generation folder and switches to
it in one step, so a reader never sees documents.csv of one run beside targets.csv of another.

Layout of OUT (users and tests keep reading OUT/targets.csv):

    OUT/.gen-XXXXXXXX/   one complete set of tables (CSV, Parquet, datapackage.json)
    OUT/current       -> .gen-XXXXXXXX   (symlink, replaced atomically by rename: the switch)
    OUT/targets.csv   -> current/targets.csv   (one fixed symlink per file)

A kill before the switch leaves the previous set; after it, the new one; never a mix (a folder from
before generations existed is converted once, file by file). OUT/.lock makes a second run into the
same OUT wait for the first. Generations and temporary links left by a killed run are removed by the
next run, under the lock.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

CURRENT = "current"
_GEN_PREFIX = ".gen-"
_LINK_PREFIX = ".link-"
_OLD_TEMP = re.compile(r"\.[\w-]+\.(?:csv|parquet|json)\.\w+$")  # a table's temporary file from an older version
_UMASK = os.umask(0)
os.umask(_UMASK)


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold OUT/.lock for a whole run; a second run into the same OUT waits (and says so)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(out_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o666 & ~_UMASK)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("another run is writing to %s; waiting for it to finish", out_dir)
            fcntl.flock(fd, fcntl.LOCK_EX)
        remove_leftovers(out_dir)
        yield
    finally:
        os.close(fd)  # releases the lock


def remove_leftovers(out_dir: Path) -> None:
    """Generations other than the current one and temporary links (from a killed run)."""
    live = _current_generation(out_dir)
    for entry in sorted(out_dir.iterdir()):
        try:
            if entry.name.startswith(_GEN_PREFIX) and entry.name != live and not entry.is_symlink():
                shutil.rmtree(entry)
            elif entry.name.startswith(_LINK_PREFIX) or _OLD_TEMP.match(entry.name):
                entry.unlink()
        except OSError as exc:
            log.warning("could not remove %s left by an earlier run: %s", entry, exc)


def _current_generation(out_dir: Path) -> str:
    try:
        return os.readlink(out_dir / CURRENT)
    except OSError:
        return ""


def publish(out_dir: Path, files: Mapping[str, bytes]) -> dict[str, Path]:
    """Write `files` (name -> bytes) as a new generation and switch OUT to it; returns OUT/name paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    gen = Path(tempfile.mkdtemp(prefix=_GEN_PREFIX, dir=out_dir))
    try:
        for name, data in files.items():
            _write_synced(gen / name, data)
        os.chmod(gen, 0o777 & ~_UMASK)
        _fsync_dir(gen)
    except BaseException:
        shutil.rmtree(gen, ignore_errors=True)
        raise
    old = _current_generation(out_dir)
    with _interrupt_after():
        _symlink_atomic(out_dir / CURRENT, gen.name)  # the switch
        for name in files:
            link = out_dir / name
            if not (link.is_symlink() and os.readlink(link) == f"{CURRENT}/{name}"):
                _symlink_atomic(link, f"{CURRENT}/{name}")
        _fsync_dir(out_dir)
    if old.startswith(_GEN_PREFIX) and old != gen.name:
        shutil.rmtree(out_dir / old, ignore_errors=True)
    return {name: out_dir / name for name in files}


class OutputReplaced(KeyboardInterrupt):
    """Ctrl-C that arrived while the new set was being switched in: the new output is complete."""

    output_replaced = True


@contextmanager
def _interrupt_after() -> Iterator[None]:
    """Hold Ctrl-C back during the switch (milliseconds); if it came, raise it after, saying the new set is in."""
    main = threading.current_thread() is threading.main_thread()
    if main:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        if main:
            try:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
            except KeyboardInterrupt:
                raise OutputReplaced() from None


def _symlink_atomic(link: Path, target: str) -> None:
    tmp = link.parent / f"{_LINK_PREFIX}{link.name}-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(path, 0o666 & ~_UMASK)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
