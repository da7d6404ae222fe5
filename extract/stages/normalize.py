"""Stage: every target's indicator, unit of measure and place, from the vocabularies in normalize/.

It lives here, not in normalize/, so the vocabulary packages know nothing of the document model:
normalize/ answers questions about strings, this stage asks them for each target of a document.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable

from normalize.communes import issued_after_reform
from normalize.indicators import (
    IndicatorMatch,
    canonical_unit,
    match_indicator,
    registry,
    unit_of_measure,
    unmapped_message,
)
from normalize.places import Place, province_at, resolve_unit, unresolved_message
from normalize.text import clean

from ..kinds import Stage, WarningKind
from ..model import Document, Target

log = logging.getLogger(__name__)

Matcher = Callable[[str, str], IndicatorMatch]  # (label, group path) → match; default match_indicator


class _OncePerDocument:
    """Warns once per distinct (kind, subject) in a document: a label repeated on every row is one finding."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.seen: set[tuple[str, str]] = set()

    def __call__(self, kind: WarningKind, subject: str, message: str, page: int | None) -> None:
        if (kind, subject) not in self.seen:
            self.seen.add((kind, subject))
            self.doc.warn(Stage.NORMALIZE, kind, message, page, subject=subject)


def normalize_targets(doc: Document, matcher: Matcher = match_indicator) -> Document:
    """Fill indicator, unit and place fields of every target; warn once per distinct problem per document.

    Total rows ("Chỉ tiêu cần đạt ...") are the province-wide target: they get the province as place
    (name "Gia Lai", level 'province', the province code) and keep is_total=True. A "Cấp tỉnh" row is
    also level 'province' but named "Cấp tỉnh" — the provincial bodies' own share — so the two stay
    apart; sums over units must filter on is_total either way. A plan issued after the July 2025 reform
    resolves its rows among the merged province's communes, with 2025 codes. `matcher` lets the user
    folder's aliases and abbreviations map labels again after extraction (extract/user_vocabulary.py).
    """
    reformed = issued_after_reform(doc.meta.issue_date, doc.meta.period_start)
    province = province_at(doc.meta.province, reformed) if doc.meta.province else None
    warn = _OncePerDocument(doc)
    for t in doc.targets:
        _set_indicator(t, warn, matcher)
        _set_unit(t, warn)
        _set_place(t, province, doc.meta.province, reformed, warn)
    return doc


def _set_indicator(t: Target, warn: _OncePerDocument, matcher: Matcher) -> None:
    m = matcher(clean(t.indicator_label_raw), clean(t.group_path))
    t.indicator_id, t.indicator_name, t.indicator_match = m.indicator_id, m.name, m.match
    t.indicator_score = m.score if m.indicator_id else None
    if not m.indicator_id:
        label = clean(t.indicator_label_raw)
        log.debug("p.%s: label %r not mapped (%s)", t.page, label, m.reason)
        warn(WarningKind.INDICATOR_UNMAPPED, label, unmapped_message(m, label), t.page)


def _set_unit(t: Target, warn: _OncePerDocument) -> None:
    if not t.unit_raw:
        t.unit_raw = unit_of_measure(t.indicator_label_raw)
    t.unit, consistent = canonical_unit(t.unit_raw, t.indicator_id)
    if not consistent:
        warn(
            WarningKind.UNIT_MISMATCH,
            f"{t.indicator_id}|{t.unit_raw}",
            f"unit {t.unit_raw!r} does not fit indicator {t.indicator_id} (expects "
            f"{registry().indicators[t.indicator_id].unit!r}); kept as printed",
            t.page,
        )


def _set_place(t: Target, province: Place | None, province_name: str, reformed: bool,
               warn: _OncePerDocument) -> None:
    if t.is_total:
        place = province
        if place is None or not place.resolved:
            return
        t.unit_name, t.unit_level = place.name, "province"
    else:
        place = resolve_unit(t.unit_name_raw, province_name, reformed)
        if not place.resolved:
            name = clean(t.unit_name_raw)
            warn(WarningKind.UNIT_UNRESOLVED, name, unresolved_message(t.unit_name_raw, province_name, place), t.page)
            return
        t.unit_name, t.unit_level = place.name, place.level
    t.unit_code, t.province_code, t.province_2025 = place.code, place.province_code, place.province_2025


def unmapped_labels_of(docs: Iterable[Document]) -> list[tuple[str, int]]:
    """A run's unmapped labels with the number of documents raising each, most frequent first (library
    path: read from the warnings' `subject`, not from their text)."""
    counts = Counter(
        w.subject for d in docs for w in d.warnings if w.kind == WarningKind.INDICATOR_UNMAPPED and w.subject
    )
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
