"""The layout generator (bench/layouts) as a test bed: deterministic plans with gold by construction,
and the pipeline reading a seeded subset of them completely."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bench.layouts.generate import generate
from bench.layouts.score import score_document
from bench.layouts.spec import TOTAL_KEY, make_plan
from extract.kinds import Status
from extract.pipeline import process_document
from extract.settings import OcrSettings, Settings


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    seeds = [s for s in range(40) if make_plan(s).features["producer"] in {"pdf", "html"}][:4]
    generate(tmp_path / "a", seeds)
    generate(tmp_path / "b", seeds)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_gold_by_construction() -> None:
    plan = make_plan(3)
    n_total = len(plan.indicators) if plan.features["total"] != "none" else 0
    assert len(plan.gold) == len(plan.units) * len(plan.indicators) + n_total
    for ind in plan.indicators:
        column = [g.value for g in plan.gold if g.indicator_id == ind.id and g.unit_key != TOTAL_KEY]
        total = [g.value for g in plan.gold if g.indicator_id == ind.id and g.unit_key == TOTAL_KEY]
        if total and not ind.rate:
            assert total == [sum(column)]
        if total and ind.rate:
            assert set(column) == set(total)


# A seeded subset of the benchmark (bench/run_layouts.py runs 300): every producer and layout feature
# appears, and every document must be read completely: each gold cell found, no cell with a wrong value
# or under a wrong indicator (score.py defines the match).
SUBSET = range(1000, 1030)
_NO_OCR = Settings(use_cache=False, ocr=OcrSettings(enabled=False))


def test_generated_plans_read_completely(tmp_path: Path) -> None:
    plans = generate(tmp_path, SUBSET)
    features = {f"{k}={v}" for p in plans for k, v in p.features.items()}
    assert {"producer=html", "producer=docx", "rules=none", "rules=horizontal", "orientation=turned"} <= features
    failures = []
    for plan in plans:
        doc = process_document(tmp_path / plan.name, plan.name, _NO_OCR)
        score = score_document(plan, doc)
        if score.correct != score.gold or score.correct != score.emitted or doc.status != Status.OK:
            failures.append((plan.name, plan.features, score.misses[:3], doc.status))
    assert not failures
