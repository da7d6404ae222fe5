"""Indicator matcher benchmark on the hand-labelled set bench/data/indicator_labels.csv.

The set holds column labels worded the way provincial plans print them (abbreviated, paraphrased,
OCR-damaged, upper case, unaccented; `variant` nfd = stored NFC, matched in NFD form), each with its
indicator id or "none" (a label that must stay unmapped). Rows with in_sample=1 coincide with a sample's
printed label, an alias or a canonical name: they are reported apart so the headline figure is out of
sample. Precision = right ids / ids given; recall = right ids / labels that have an id.

    python bench/indicators.py               # figures and the confusions
    python bench/indicators.py --no-aliases  # the same with indicator_aliases.csv switched off
"""

from __future__ import annotations

import argparse
import csv
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from _report import use_repo_code

LABELS = Path(__file__).resolve().parent / "data" / "indicator_labels.csv"


@dataclass(frozen=True)
class Labelled:
    label: str  # as matched (NFD applied for variant nfd)
    expected: str  # indicator id, or "" for "none"
    in_sample: bool


@dataclass
class Score:
    n_id: int = 0  # labels that have an id
    n_none: int = 0
    given: int = 0  # ids the matcher gave to labels that have an id or not
    right: int = 0
    none_mapped: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.given if self.given else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.n_id if self.n_id else 1.0


def load_labels(path: Path = LABELS) -> list[Labelled]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        label = unicodedata.normalize("NFD", r["label"]) if r["variant"] == "nfd" else r["label"]
        expected = "" if r["indicator_id"] == "none" else r["indicator_id"]
        out.append(Labelled(label, expected, r["in_sample"] == "1"))
    return out


def evaluate(labels: list[Labelled], use_aliases: bool = True) -> tuple[Score, list[tuple[Labelled, str]]]:
    """Score of the out-of-sample labels, and every wrong or missing answer (in-sample ones too)."""
    use_repo_code()
    from normalize.indicators import Registry

    registry = Registry(use_aliases=use_aliases)
    score, misses = Score(), []
    for item in labels:
        got = registry.match(item.label).indicator_id
        if got != item.expected:
            misses.append((item, got))
        if item.in_sample:
            continue
        if item.expected:
            score.n_id += 1
        else:
            score.n_none += 1
            score.none_mapped += bool(got)
        score.given += bool(got)
        score.right += bool(got) and got == item.expected
    return score, misses


def report(score: Score, misses: list[tuple[Labelled, str]]) -> str:
    lines = [
        f"labels: {score.n_id} with an id, {score.n_none} none (out of sample)",
        f"precision: {score.precision:.4f}  ({score.right}/{score.given})",
        f"recall:    {score.recall:.4f}  ({score.right}/{score.n_id})",
        f"none labels mapped: {score.none_mapped}",
    ]
    confusions = Counter((m.expected or "none", got or "-") for m, got in misses if got)
    if confusions:
        lines.append("confusions (expected -> given):")
        lines += [f"  {n:3d}  {e} -> {g}" for (e, g), n in sorted(confusions.items())]
    gaps = [m for m, got in misses if not got]
    if gaps:
        lines.append(f"unmapped ({len(gaps)}):")
        lines += [f"  {m.expected:32s} {unicodedata.normalize('NFC', m.label)}" for m in gaps]
    wrong = [(m, got) for m, got in misses if got]
    if wrong:
        lines.append(f"wrong ({len(wrong)}):")
        lines += [f"  {m.expected or 'none':32s} -> {got:32s} {unicodedata.normalize('NFC', m.label)}"
                  for m, got in wrong]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-aliases", action="store_true", help="switch indicator_aliases.csv off")
    args = parser.parse_args(argv)
    score, misses = evaluate(load_labels(), use_aliases=not args.no_aliases)
    print(report(score, misses))


if __name__ == "__main__":
    main()
