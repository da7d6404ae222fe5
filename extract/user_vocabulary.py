"""The user folder's vocabulary applied to documents after extraction: labels mapped again with the
user's aliases and abbreviations (normalize/user_vocabulary.py), and unit rows a person forced to an
official unit.
"""

from __future__ import annotations

from collections.abc import Sequence

from normalize.communes import issued_after_reform
from normalize.places import place_key, resolve_unit
from normalize.text import clean, fold
from normalize.user_vocabulary import user_matcher
from normalize.vocab import Abbreviation

from .kinds import Stage, WarningKind
from .model import Document
from .stages.normalize import normalize_targets

# Warnings that normalization raises and that a remap raises again from the new vocabulary.
_NORMALIZE_KINDS = frozenset({WarningKind.INDICATOR_UNMAPPED, WarningKind.UNIT_MISMATCH, WarningKind.UNIT_UNRESOLVED})


def remap_indicators(
    doc: Document, aliases: tuple[tuple[str, str], ...], abbreviations: Sequence[Abbreviation]
) -> None:
    """Normalize the document's targets again with the user's aliases and abbreviations, replacing
    the warnings normalization raised (a label that now maps is no longer reported unmapped)."""
    if not doc.targets or any(w.stage == Stage.NORMALIZE and w.kind not in _NORMALIZE_KINDS for w in doc.warnings):
        return  # normalization did not run through (failed or cut short): leave the document as it is
    doc.warnings = [w for w in doc.warnings if not (w.stage == Stage.NORMALIZE and w.kind in _NORMALIZE_KINDS)]
    normalize_targets(doc, user_matcher(aliases, abbreviations))


def force_units(doc: Document, forced: Sequence[tuple[str, str, str]]) -> list[str]:
    """Rows whose printed unit name a person mapped (province, printed, official name): resolved with
    the official name inside the document's province. Returns messages for names that do not resolve."""
    problems = []
    province = doc.meta.province
    reformed = issued_after_reform(doc.meta.issue_date, doc.meta.period_start)  # 2025 communes, as normalize does
    wanted = {place_key(raw): name for prov, raw, name in forced if not prov or fold(prov) == fold(province)}
    fixed: set[str] = set()
    for t in doc.targets:
        name = wanted.get(place_key(t.unit_name_raw))
        if t.is_total or name is None:
            continue
        place = resolve_unit(name, province, reformed)
        if not place.resolved:
            problems.append(f"units.csv: {name!r} is not a unit of {province!r}")
            continue
        t.unit_name, t.unit_level, t.unit_code = place.name, place.level, place.code
        t.province_code, t.province_2025 = place.province_code, place.province_2025
        fixed.add(clean(t.unit_name_raw))
    doc.warnings = [w for w in doc.warnings if not (w.kind == WarningKind.UNIT_UNRESOLVED and w.subject in fixed)]
    return sorted(set(problems))
