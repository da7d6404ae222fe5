"""A person's vocabulary from the user folder (aliases, abbreviations, forced units), applied after
extraction by mapping labels and unit rows again.

The package's own vocabulary (normalize/data) is part of the cache key; the user's is not, so adding
an alias re-runs only this cheap step over cached documents instead of reading every file again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from extract.model import Document
from normalize.indicators import IndicatorMatch, Registry, normalize_targets
from normalize.places import place_key, resolve_unit
from normalize.text import clean, fold
from normalize.vocab import Abbreviation

# Warnings that normalization raises and that a remap raises again from the new vocabulary.
_NORMALIZE_KINDS = frozenset({"indicator_unmapped", "unit_mismatch", "unit_unresolved"})


@lru_cache(maxsize=8)
def user_registry(aliases: tuple[tuple[str, str], ...]) -> Registry:
    return Registry(extra_aliases=aliases)


def usable_aliases(aliases: Sequence[tuple[str, str]]) -> tuple[tuple[tuple[str, str], ...], list[str]]:
    """The aliases the registry accepts, and a message for each it refuses (unknown id, a key another
    indicator already owns): one bad row must not throw away the others."""
    try:
        user_registry(tuple(aliases))
        return tuple(aliases), []
    except ValueError:
        pass
    kept: list[tuple[str, str]] = []
    problems = []
    for alias in aliases:
        try:
            user_registry(tuple(kept + [alias]))
            kept.append(alias)
        except ValueError as exc:
            problems.append(f"aliases.csv: {alias[0]!r} → {alias[1]} refused: {exc}")
    return tuple(kept), problems


def expand_user_abbreviations(text: str, abbreviations: Sequence[Abbreviation]) -> str:
    """Whole-word, case-sensitive expansion (as normalize.vocab does for the package's table)."""
    for ab in abbreviations:
        if ab.abbr not in text or (ab.context and not re.search(ab.context, text, re.IGNORECASE)):
            continue
        text = re.sub(r"(?<!\w)" + re.escape(ab.abbr) + r"(?!\w)", ab.expansion, text)
    return text


def remap_indicators(
    doc: Document, aliases: tuple[tuple[str, str], ...], abbreviations: Sequence[Abbreviation]
) -> None:
    """Normalize the document's targets again with the user's aliases and abbreviations, replacing
    the warnings normalization raised (a label that now maps is no longer reported unmapped)."""
    if not doc.targets or any(w.stage == "normalize" and w.kind not in _NORMALIZE_KINDS for w in doc.warnings):
        return  # normalization did not run through (failed or cut short): leave the document as it is
    registry = user_registry(aliases)

    def matcher(label: str, group_path: str) -> IndicatorMatch:
        return registry.match(expand_user_abbreviations(label, abbreviations),
                              expand_user_abbreviations(group_path, abbreviations))

    doc.warnings = [w for w in doc.warnings if not (w.stage == "normalize" and w.kind in _NORMALIZE_KINDS)]
    normalize_targets(doc, matcher)


def force_units(doc: Document, forced: Sequence[tuple[str, str, str]]) -> list[str]:
    """Rows whose printed unit name a person mapped (province, printed, official name): resolved with
    the official name inside the document's province. Returns messages for names that do not resolve."""
    problems = []
    province = doc.meta.province
    wanted = {place_key(raw): name for prov, raw, name in forced if not prov or fold(prov) == fold(province)}
    fixed: set[str] = set()
    for t in doc.targets:
        name = wanted.get(place_key(t.unit_name_raw))
        if t.is_total or name is None:
            continue
        place = resolve_unit(name, province)
        if not place.resolved:
            problems.append(f"units.csv: {name!r} is not a unit of {province!r}")
            continue
        t.unit_name, t.unit_level, t.unit_code = place.name, place.level, place.code
        t.province_code, t.province_2025 = place.province_code, place.province_2025
        fixed.add(clean(t.unit_name_raw))
    doc.warnings = [w for w in doc.warnings
                    if not (w.kind == "unit_unresolved" and any(w.message.startswith(f"unit {f!r} ") for f in fixed))]
    return sorted(set(problems))
