"""SIGINT and SIGTERM to the main process of a 40-file run: a prompt exit with the signal's code, one
line and no traceback, every document finished before the signal in the cache, the previous output
byte-identical. The moments are counted from the handlers' installation and spread from import time
to mid-batch."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extract.cli import main

from .conftest import ROOT, SAMPLES

SMALL = ["tw-hoi-lhpn-96-2022.pdf", "ubdt-hlhpn-16-2022.pdf", "lao-cai-355-2022.html", "gia-lai-1002-2024.pdf"]
N_FILES = 40
EXIT_WITHIN = 10.0  # seconds from the signal to the exit


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    """40 distinct files (a comment appended to copies of small samples, so each has its own hash)."""
    folder = tmp_path_factory.mktemp("forty")
    for i in range(N_FILES):
        sample = SAMPLES / SMALL[i % len(SMALL)]
        tail = f"\n% copy {i}\n" if sample.suffix == ".pdf" else f"\n<!-- copy {i} -->\n"
        (folder / f"{i:02d}-{sample.name}").write_bytes(sample.read_bytes() + tail.encode())
    return folder


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """An output folder holding a previous run's tables, and their bytes."""
    out = tmp_path_factory.mktemp("previous")
    assert main(["run", str(SAMPLES / SMALL[0]), "--out", str(out), "--quiet", "--no-cache"]) == 0
    return out, _snapshot(out)


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def _wait_for_handlers(pid: int, timeout: float = 30.0) -> None:
    """Until the process catches SIGTERM, i.e. `python -m extract` installed its handlers (the first thing
    it does, before the heavy imports). Before that the interpreter itself is starting up, which no
    program can guard."""
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up:
        status = Path(f"/proc/{pid}/status").read_text()
        caught = int(re.search(r"^SigCgt:\s*([0-9a-f]+)", status, re.M).group(1), 16)
        if caught & (1 << (signal.SIGTERM - 1)):
            return
        time.sleep(0.005)
    raise AssertionError("the handlers were never installed")


def _interrupt(batch: Path, out: Path, moment: float, signals: list[signal.Signals]):
    process = subprocess.Popen(
        [sys.executable, "-m", "extract", "run", str(batch), "--out", str(out), "--workers", "2", "--no-ocr"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    _wait_for_handlers(process.pid)
    time.sleep(moment)
    sent = time.monotonic()
    for sig in signals:
        process.send_signal(sig)
        time.sleep(0.05)
    try:
        stdout, stderr = process.communicate(timeout=EXIT_WITHIN + 20)
    finally:
        process.kill()
    return process.returncode, time.monotonic() - sent, stdout, stderr


@pytest.mark.parametrize(
    ("moment", "signals", "code"),
    [
        (0.0, [signal.SIGINT], 130),  # while the modules load
        (0.0, [signal.SIGTERM], 143),
        (2.0, [signal.SIGINT], 130),
        (3.0, [signal.SIGTERM], 143),
        (5.0, [signal.SIGINT], 130),
        (3.0, [signal.SIGINT, signal.SIGINT], 130),  # a second Ctrl-C: out at once
    ],
)
def test_a_signal_stops_the_run_promptly_and_keeps_what_was_done(batch, previous, moment, signals, code):
    out, before = previous
    for entry in (out / ".cache").glob("*") if (out / ".cache").exists() else []:
        entry.unlink()
    returncode, took, stdout, stderr = _interrupt(batch, out, moment, signals)
    if returncode == 0:
        pytest.skip(f"the batch finished in under {moment} s on this machine; nothing to interrupt")
    assert returncode == code, stderr
    assert took < EXIT_WITHIN
    assert "Traceback" not in stderr + stdout
    assert "interrupted" in stderr and stdout == ""
    assert _snapshot(out) == before  # the previous output, byte for byte
    finished = re.findall(r"^\[\d+/\d+\] (\S+): (?:ok|partial|failed)", stderr, re.M)
    cached = {p.name.split("-")[1] for p in (out / ".cache").glob("result-*.json.gz")} if finished else set()
    for name in finished:
        assert hashlib.sha256((batch / name).read_bytes()).hexdigest() in cached, name


def test_workers_are_gone_after_the_signal(batch, tmp_path):
    returncode, _, _, stderr = _interrupt(batch, tmp_path / "out", 3.0, [signal.SIGTERM])
    assert returncode in (143, 0), stderr
    time.sleep(0.5)
    alive = subprocess.run(["pgrep", "-f", f"--out {tmp_path / 'out'}"], capture_output=True, text=True)
    assert alive.stdout.strip() == ""
