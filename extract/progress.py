"""Progress on stderr: which file is being read, how many came out ok / partial / failed, and an ETA.

The bar (on a terminal) counts bytes of input rather than documents: a 300-page plan and a 2-page
letter are not the same amount of work, and counting them alike made the ETA swing from seconds to
hours. File size is the weight known before reading (pages are not), and the rate is averaged over
the whole run so far, which keeps the ETA steady. Off a terminal (a log file, a pipe) the same news
is one line per finished document, which a person can tail and a script can parse.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

from .kinds import Status
from .model import Document


def _size(path: Path) -> int:
    try:
        return max(path.stat().st_size, 1)
    except OSError:
        return 1


class Progress:
    """Told when a document starts and when it ends; shows a bar, prints lines, or stays silent."""

    def __init__(self, inputs: list[tuple[Path, str]], bar: bool = False, lines: bool = False,
                 stream: TextIO | None = None) -> None:
        self.names = [source_file for _, source_file in inputs]
        self.weights = [_size(path) for path, _ in inputs]
        self.unfinished = dict.fromkeys(range(len(inputs)))  # insertion-ordered: the next ones to be read
        self.counts: Counter[str] = Counter()
        self.lines = lines
        self.stream = stream or sys.stderr
        self.bar = self._make_bar(sum(self.weights)) if bar and len(inputs) > 1 else None

    def _make_bar(self, total: int):  # -> tqdm, imported late (see below)
        from tqdm import tqdm  # start-up: ~0.4 s cold, paid only when a progress bar is shown

        return tqdm(total=total, smoothing=0, leave=False, file=self.stream, desc="extract", postfix=self._postfix(),
                    bar_format="{desc}: {percentage:3.0f}%|{bar}| [{elapsed}<{remaining}]{postfix}")

    def finish(self, index: int, doc: Document, from_cache: bool = False) -> None:
        self.unfinished.pop(index, None)
        self.counts[doc.status] += 1
        done = len(self.names) - len(self.unfinished)
        if self.lines:
            note = " (from the cache)" if from_cache else ""
            self.stream.write(f"[{done}/{len(self.names)}] {doc.source_file}: {doc.status}{note}\n")
            self.stream.flush()
        if self.bar is not None:
            self.bar.set_postfix_str(self._postfix(), refresh=False)
            self.bar.update(self.weights[index])

    def _postfix(self) -> str:
        counts = (f"{self.counts[Status.OK]} ok, {self.counts[Status.PARTIAL]} partial, "
                  f"{self.counts[Status.FAILED]} failed")
        reading = next(iter(self.unfinished), None)
        return counts + (f" | reading {self.names[reading]}" if reading is not None else "")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
