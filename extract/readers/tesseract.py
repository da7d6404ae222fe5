"""Calling Tesseract as a program on greyscale images and turning its TSV output into words and lines.

One process per batch of images (a list file), one thread per process: documents already run in
parallel, and OpenMP threads make one page only ~10% faster while competing with the other workers.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pymupdf

from normalize.text import clean

from ..model import Line
from ..settings import OcrSettings
from .scan_pixels import pixel_bbox


@dataclass(frozen=True)
class TsvWord:
    image: int  # 0-based index of the image in the batch
    block: int
    par: int
    line: int
    left: int
    top: int
    width: int
    height: int
    conf: float
    text: str


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # One thread per Tesseract: documents already run in parallel (--workers), and OpenMP threads
    # make a single page only ~10% faster while competing with the other workers.
    env.setdefault("OMP_THREAD_LIMIT", "1")
    return env


def run_tesseract(
    binary: str, images: list[np.ndarray], options: OcrSettings, psm: int, extra: tuple[str, ...] = ()
) -> list[TsvWord]:
    """Words (TSV) of one or more greyscale images, in one Tesseract process (a list file for several)."""
    if not images:
        return []
    with tempfile.TemporaryDirectory(prefix="p8ocr-") as tmp:
        paths = []
        for i, image in enumerate(images):
            path = Path(tmp) / f"{i:05d}.pgm"
            _write_pgm(path, image)
            paths.append(str(path))
        if len(paths) == 1:
            source = paths[0]
        else:
            source = str(Path(tmp) / "images.txt")
            Path(source).write_text("\n".join(paths) + "\n", encoding="utf-8")
        cmd = [binary, source, "stdout", "-l", options.lang, "--psm", str(psm), *extra, "tsv"]
        try:
            done = subprocess.run(
                cmd, capture_output=True, timeout=options.timeout_seconds, env=_env(), check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"Tesseract took longer than {options.timeout_seconds:g} s") from exc
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise RuntimeError(f"Tesseract failed: {message[-1] if message else done.returncode}")
    return parse_tsv(done.stdout.decode("utf-8", "replace"))


def _write_pgm(path: Path, image: np.ndarray) -> None:
    image = np.ascontiguousarray(image, dtype=np.uint8)
    with open(path, "wb") as fh:
        fh.write(f"P5\n{image.shape[1]} {image.shape[0]}\n255\n".encode("ascii"))
        fh.write(image.tobytes())


def parse_tsv(tsv: str) -> list[TsvWord]:
    """Tesseract's TSV → the word rows (level 5) with text."""
    words: list[TsvWord] = []
    for row in tsv.splitlines()[1:]:
        parts = row.split("\t")
        if len(parts) < 12 or parts[0] != "5":
            continue
        text = clean(parts[11])
        if not text:
            continue
        words.append(
            TsvWord(
                int(parts[1]) - 1, int(parts[2]), int(parts[3]), int(parts[4]),
                int(parts[6]), int(parts[7]), int(parts[8]), int(parts[9]), float(parts[10]), text,
            )
        )
    return words


def tsv_to_lines(words: list[TsvWord], to_points: pymupdf.Matrix, number: int) -> list[Line]:
    """Tesseract words → Lines in reading order. A line with a wide gap (two columns side by side, as in
    the header block "ỦY BAN NHÂN DÂN    CỘNG HÒA XÃ HỘI ...") is split into one Line per column;
    `block` numbers a paragraph (and a column of it), so stages see paragraphs as in a text layer."""
    lettered = sorted(w.height for w in words if w.conf >= 0 and re.search(r"[^\W_]", w.text))
    typical = lettered[len(lettered) // 2] if lettered else 0
    by_line: dict[tuple[int, int, int], list[TsvWord]] = {}
    for w in words:
        has_letters = bool(re.search(r"[^\W_]", w.text))
        if w.conf < 0 or (w.conf < 30 and not has_letters):
            continue  # speckles read as punctuation
        if has_letters and w.height < 0.35 * typical:
            continue  # slivers of letters cut apart by a stamp or a signature across the text
        by_line.setdefault((w.block, w.par, w.line), []).append(w)
    lines: list[Line] = []
    block_ids: dict[tuple[int, int, int], int] = {}
    for (block, par, _), ws in by_line.items():
        ws.sort(key=lambda w: w.left)
        height = sorted(w.height for w in ws)[len(ws) // 2]
        parts: list[list[TsvWord]] = [[ws[0]]]
        for w in ws[1:]:
            prev = parts[-1][-1]
            if w.left - (prev.left + prev.width) > 2.5 * height:
                parts.append([w])
            else:
                parts[-1].append(w)
        for column, part in enumerate(parts):
            text = clean(" ".join(w.text for w in part))
            if not text:
                continue
            key = (block, par, column)
            block_id = block_ids.setdefault(key, len(block_ids))
            bbox = pixel_bbox(
                min(w.left for w in part), min(w.top for w in part),
                max(w.left + w.width for w in part), max(w.top + w.height for w in part), to_points,
            )
            lines.append(Line(text=text, page=number, bbox=bbox, block=block_id))
    return lines
