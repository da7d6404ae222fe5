"""Table-layout benchmark: generate N plans (bench/layouts), run the pipeline, print cell recall and
precision overall, per producer and per feature value (definitions in bench/layouts/score.py).

    python bench/run_layouts.py --n 300 [--seed0 0] [--workers 2] [--paraphrase] [--show-misses 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.layouts.generate import generate  # noqa: E402
from bench.layouts.score import Score, score_document  # noqa: E402
from bench.layouts.spec import Plan  # noqa: E402
from extract.pipeline import process_document  # noqa: E402
from extract.settings import OcrSettings, Settings  # noqa: E402


def _run_one(path: Path) -> object:
    return process_document(path, path.name, Settings(use_cache=False, ocr=OcrSettings(enabled=False)))


def evaluate(plans: list[Plan], folder: Path, workers: int = 1) -> list[tuple[Plan, Score]]:
    paths = [folder / p.name for p in plans]
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            docs = list(pool.map(_run_one, paths))
    else:
        docs = [_run_one(p) for p in paths]
    return [(plan, score_document(plan, doc)) for plan, doc in zip(plans, docs)]


def by_feature(results: list[tuple[Plan, Score]]) -> dict[str, Score]:
    rows: dict[str, Score] = {}
    for plan, score in results:
        for axis, value in plan.features.items():
            rows.setdefault(f"{axis}={value}", Score()).add(score)
    return dict(sorted(rows.items()))


def report(results: list[tuple[Plan, Score]], show_misses: int = 0) -> str:
    total = Score()
    for _, s in results:
        total.add(s)
    lines = [f"{'feature':<26} {'docs':>5} {'gold':>6} {'recall':>7} {'precision':>9}"]
    counts: dict[str, int] = {}
    for plan, _ in results:
        for axis, value in plan.features.items():
            counts[f"{axis}={value}"] = counts.get(f"{axis}={value}", 0) + 1
    lines.append(f"{'ALL':<26} {len(results):>5} {total.gold:>6} {total.recall:>7.3f} {total.precision:>9.3f}")
    for name, s in by_feature(results).items():
        flag = "" if s.recall >= 0.97 else "  <"
        lines.append(f"{name:<26} {counts[name]:>5} {s.gold:>6} {s.recall:>7.3f} {s.precision:>9.3f}{flag}")
    bad = [(p, s) for p, s in results if s.correct < s.gold or s.correct < s.emitted]
    lines.append(f"documents below 1.000: {len(bad)}; partial/failed documents: {total.partial_docs}")
    for plan, s in bad[:show_misses]:
        lines.append(f"  {plan.name} r={s.recall:.2f} p={s.precision:.2f} {plan.features}")
        lines += [f"      {m}" for m in s.misses[:6]]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed0", type=int, default=0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--paraphrase", action="store_true", help="also abbreviated / paraphrased indicator labels")
    ap.add_argument("--show-misses", type=int, default=0, help="print the misses of this many documents")
    ap.add_argument("--keep", type=Path, help="write the generated plans here (default: a temporary folder)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        plans = generate(folder, range(args.seed0, args.seed0 + args.n), paraphrase=args.paraphrase)
        print(report(evaluate(plans, folder, args.workers), args.show_misses))


if __name__ == "__main__":
    main()
