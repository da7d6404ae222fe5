"""Write generated plans to a folder (one file per plan) and return them with their gold cells."""

from __future__ import annotations

from pathlib import Path

from .render_docx import render_docx
from .render_html import render_html
from .render_pdf import render_pdf
from .spec import Plan, make_plan

PRODUCERS = {"pdf": render_pdf, "html": render_html, "docx": render_docx}


def generate(out_dir: Path, seeds: range | list[int], paraphrase: bool = False) -> list[Plan]:
    out_dir.mkdir(parents=True, exist_ok=True)
    plans = []
    for seed in seeds:
        plan = make_plan(seed, paraphrase=paraphrase)
        PRODUCERS[plan.features["producer"]](plan, out_dir / plan.name)
        plans.append(plan)
    return plans
