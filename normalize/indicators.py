"""Allocation-table column labels → canonical Project 8 indicators, with units checked against them.

The registry is data (normalize/data: indicators.csv with content area and count/rate,
indicator_aliases.csv, indicator_keywords.csv; the label vocabularies abbreviations.csv, synonyms.csv,
label_words.csv, units.csv): adding an indicator, an alias, an abbreviation or a distinguishing keyword is
a reviewed data change, never code. Matching, precision first, in order:

1. A label of digits, symbols, column letters or units only ('15', '(3)', '%', 'CLB') is never mapped,
   whatever header group stands above it (reason 'no_indicator_word').
2. normalize/labels.py prepares the label: printed unit out ("(tổ)"), abbreviations expanded (TKVV,
   ĐCTC, CN 4.0 ...; compared on base letters so OCR's 'Tố'/'DCTC' fold the same way), paraphrases
   replaced by the registry's wording ('tổ chức tài chính' → 'định chế tài chính').
3. Exact match of the folded key on an indicator's name (match='exact') or alias (match='alias').
4. Otherwise fuzzy: rapidfuzz token-set/token-sort similarity on underthesea word tokens (syllables for
   a label typed without accents), best over the indicator's name and aliases; plus the indicator's
   keyword weights (a GALS label names "hành động giới", a programme-3 label is never programme 2);
   minus a penalty when the printed unit counts another kind of thing ("(tổ)" is not a "%"). A clause
   "..., trong đó 15% thành viên ..." is left out: the indicator is the head phrase.
5. The best id wins only if it reaches THRESHOLD, beats the runner-up by AMBIGUITY_MARGIN (else
   'ambiguous', both candidates named in the warning), and the label carries enough evidence (Σ 1/df
   over its content tokens — counting, place, action and unit words excluded — at least MIN_EVIDENCE).
   When the leaf label alone does not decide, it is scored once more together with its header group
   path: the group can break a tie or lift a terse leaf label ('Số lượng (tổ)' under 'Tổ truyền thông
   cộng đồng'), never override a leaf label that decided on its own.

bench/indicators.py measures this on a hand-labelled set of 381 labels (tests assert the thresholds).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from normalize.labels import content_tokens, has_words, prepare, syllable_tokens, typed_without_accents, word_tokens
from normalize.text import clean
from normalize.vocab import DATA_DIR, expand_abbreviations, key, load_units, read_rows, unit_key

THRESHOLD = 75.0  # unrelated labels score 25-65 against their best candidate, rewordings 85-100
AMBIGUITY_MARGIN = 6.0  # 'Tập huấn LGG' scores the same for p2 and p3; real rewordings win by 10+
UNIT_PENALTY = 15.0  # the printed unit counts another kind of thing than the indicator's unit
MIN_EVIDENCE = 0.75  # telling tokens needed to decide without the group path (a family's name: 0.5-1)
SET_WEIGHT = 0.8  # token_set rewards a label that is a subset of a name; token_sort damps fragments

# A subordinate clause that lists sub-targets of the head indicator ("(tổ), trong đó thí điểm 15% ...").
_CLAUSE = re.compile(r"[,;:]?\s*\b(?:trong đó|bao gồm|gồm có)\b", re.IGNORECASE)
_PAREN = re.compile(r"\(([^()]*)\)")

UNMAPPED_PREFIX = "no indicator for label: "


# Project 8's content areas (Decision 1719/QĐ-TTg, Dự án 8) and how an indicator is measured.
CONTENT_AREAS = ("communication", "economic_empowerment", "voice_participation", "capacity", "protection")
MEASURES = ("count", "rate")


@dataclass(frozen=True)
class Indicator:
    indicator_id: str
    name_vi: str
    unit: str
    name_en: str
    aliases: tuple[str, ...] = ()
    content_area: str = ""  # one of CONTENT_AREAS
    measure: str = ""  # count (groups, classes, people) or rate (a share in %)


@dataclass
class IndicatorMatch:
    """Result of matching one label; an empty indicator_id means unmapped (see candidates)."""

    indicator_id: str
    name: str
    unit: str
    match: str  # exact / alias / fuzzy / ''
    score: float  # score of the chosen id, or of the best candidate when unmapped
    candidates: list[tuple[str, float]] = field(default_factory=list)
    reason: str = ""  # why unmapped: ambiguous / below_threshold / fragment (too little evidence) / empty


def unit_of_measure(label: str) -> str:
    """The unit printed in the label's parentheses ('(tổ)' → 'tổ'), as printed; '' if none.

    The first parenthesis whose content is a known unit wins: '(2.200 cuộc x 2 đợt) (cuộc)' → 'cuộc', and in
    '... (tổ), trong đó 15% thành viên ...' the head's '(tổ)' is the unit, not the clause's percentages.
    """
    units = load_units()
    for m in _PAREN.finditer(clean(label)):
        content = m.group(1).strip()
        if unit_key(content) in units:
            return content
    return ""


def _similarity(a: str, b: str) -> float:
    return SET_WEIGHT * fuzz.token_set_ratio(a, b) + (1 - SET_WEIGHT) * fuzz.token_sort_ratio(a, b)


def _has(text_key: str, phrase_key: str) -> bool:
    return f" {phrase_key} " in f" {text_key} "


class Registry:
    """The canonical indicators with their match keys, tokens and keyword weights.

    `data_dir` holds indicators.csv, indicator_aliases.csv and indicator_keywords.csv (tests point it at
    a copy); abbreviations and units always come from normalize/data. Bad data raises ValueError.
    """

    def __init__(
        self, data_dir: Path | None = None, use_aliases: bool = True, extra_aliases: Iterable[tuple[str, str]] = ()
    ) -> None:
        self.data_dir = data_dir or DATA_DIR
        alias_rows = read_rows("indicator_aliases.csv", self.data_dir) if use_aliases else []
        # User hook: (alias, indicator_id) rows from the corrections folder (extract/user_folder.py).
        alias_rows = alias_rows + [{"alias": a, "indicator_id": i} for a, i in extra_aliases]
        aliases: dict[str, list[str]] = {}
        for r in alias_rows:
            aliases.setdefault(r["indicator_id"], []).append(clean(r["alias"]))
        self.indicators: dict[str, Indicator] = {}
        for r in read_rows("indicators.csv", self.data_dir):
            iid = r["indicator_id"]
            if iid in self.indicators:
                raise ValueError(f"indicators.csv: duplicate id {iid}")
            if r.get("content_area") not in CONTENT_AREAS or r.get("measure") not in MEASURES:
                raise ValueError(f"indicators.csv: {iid} needs content_area in {CONTENT_AREAS} "
                                 f"and measure in {MEASURES}")
            self.indicators[iid] = Indicator(
                iid, clean(r["name_vi"]), clean(r["unit"]), r["name_en"], tuple(aliases.get(iid, ())),
                r["content_area"], r["measure"],
            )
        unknown = set(aliases) - set(self.indicators)
        if unknown:
            raise ValueError(f"indicator_aliases.csv: unknown ids {sorted(unknown)}")

        # key -> (id, 'exact' | 'alias'); a key claimed by two ids is a data error, not a coin toss.
        self.keys: dict[str, tuple[str, str]] = {}
        self._expanded: dict[str, list[str]] = {}  # id -> expanded name and aliases, tokenised on demand
        for ind in self.indicators.values():
            for text, kind in [(ind.name_vi, "exact")] + [(a, "alias") for a in ind.aliases]:
                expanded = prepare(text)
                k = key(expanded)
                if k in self.keys and self.keys[k][0] != ind.indicator_id:
                    raise ValueError(f"{text!r} ({ind.indicator_id}) has the same key as {self.keys[k][0]}")
                self.keys.setdefault(k, (ind.indicator_id, kind))
                self._expanded.setdefault(ind.indicator_id, []).append(expanded)

        self.keywords: dict[str, list[tuple[str, float]]] = {}
        for r in read_rows("indicator_keywords.csv", self.data_dir):
            if r["indicator_id"] not in self.indicators:
                raise ValueError(f"indicator_keywords.csv: unknown id {r['indicator_id']}")
            self.keywords.setdefault(r["indicator_id"], []).append(
                (key(expand_abbreviations(r["keyword"])), float(r["weight"]))
            )
        units = load_units()
        missing = sorted(i.unit for i in self.indicators.values() if unit_key(i.unit) not in units)
        if missing:
            raise ValueError(f"indicators.csv: units not in units.csv: {missing}")
        self.unit_kind = {iid: units[unit_key(i.unit)].kind for iid, i in self.indicators.items()}

    @cached_property
    def texts(self) -> dict[bool, dict[str, list[str]]]:
        """segmented? -> id -> token strings of name and aliases (word tokens, or syllables for labels typed
        without accents). Built on the first fuzzy match only: tokenising loads underthesea (~0.4 s,
        ~70 MB), which a run whose labels all match exactly never needs."""
        return {
            segmented: {iid: [tokenize(e) for e in texts] for iid, texts in self._expanded.items()}
            for segmented, tokenize in ((True, word_tokens), (False, syllable_tokens))
        }

    @cached_property
    def token_df(self) -> dict[bool, Counter[str]]:
        """How many indicators use each token, for evidence(): common words prove little."""
        return {
            segmented: Counter(tok for texts in by_id.values() for tok in {t for text in texts for t in text.split()})
            for segmented, by_id in self.texts.items()
        }

    def _scores(self, expanded: str, printed_unit: str, segmented: bool) -> list[tuple[str, float]]:
        """Every indicator's adjusted score for one expanded text (head phrase only), best first."""
        toks = word_tokens(expanded) if segmented else syllable_tokens(expanded)
        head_key = key(expanded)
        unit = load_units().get(unit_key(printed_unit)) if printed_unit else None
        scored = []
        for iid, texts in self.texts[segmented].items():
            score = max(_similarity(toks, t) for t in texts)
            score += sum(w for kw, w in self.keywords.get(iid, ()) if _has(head_key, kw))
            if unit is not None and unit.kind != self.unit_kind[iid]:
                score -= UNIT_PENALTY
            scored.append((iid, round(min(100.0, max(0.0, score)), 1)))
        return sorted(scored, key=lambda s: (-s[1], s[0]))

    def evidence(self, expanded: str, segmented: bool = True) -> float:
        """How many indicators' worth of telling tokens the text carries: Σ 1/df over its content tokens
        (counting, place, action and function words and numbers prove nothing: 'Số thôn, bản', '(3)',
        'Thành lập mới'). 'đối thoại' (one indicator) is worth 1; 'tiết kiệm vay vốn' (four) 0.5.
        """
        toks = word_tokens(expanded) if segmented else syllable_tokens(expanded)
        df = self.token_df[segmented]
        return sum(1.0 / df[tok] for tok in set(content_tokens(toks)) if df[tok])

    @staticmethod
    def _decides(scored: list[tuple[str, float]]) -> bool:
        best, second = scored[0][1], scored[1][1] if len(scored) > 1 else 0.0
        return best >= THRESHOLD and best - second >= AMBIGUITY_MARGIN

    def _result(self, iid: str, match: str, score: float, cands: list[tuple[str, float]]) -> IndicatorMatch:
        ind = self.indicators[iid]
        return IndicatorMatch(iid, ind.name_vi, ind.unit, match, score, cands)

    def match(self, label: str, group_path: str = "") -> IndicatorMatch:
        """Match one printed label (see the module docstring for the steps)."""
        expanded = prepare(label)
        if not key(expanded):
            return IndicatorMatch("", "", "", "", 0.0, [], "empty")
        if not has_words(label):
            return IndicatorMatch("", "", "", "", 0.0, [], "no_indicator_word")
        hit = self.keys.get(key(expanded))
        if hit:
            return self._result(hit[0], hit[1], 100.0, [(hit[0], 100.0)])
        segmented = not typed_without_accents(label)
        group = prepare(group_path.replace("›", " ")) if group_path.strip() else ""
        head = _CLAUSE.split(expanded, maxsplit=1)[0].strip() or expanded
        if not self.evidence(f"{head} {group}", segmented):
            return IndicatorMatch("", "", "", "", 0.0, [], "no_indicator_word")
        printed_unit = unit_of_measure(label)
        scored = self._scores(head, printed_unit, segmented)
        alone = self._decides(scored) and self.evidence(head, segmented) >= MIN_EVIDENCE
        if not alone and group:
            with_group = self._scores(f"{head} {group}", printed_unit, segmented)
            if self._decides(with_group):
                scored, alone = with_group, True
        top = scored[:3]
        if alone:
            return self._result(scored[0][0], "fuzzy", scored[0][1], top)
        if scored[0][1] < THRESHOLD:
            reason = "below_threshold"
        elif not self._decides(scored):
            reason = "ambiguous"
        else:
            reason = "fragment"
        return IndicatorMatch("", "", "", "", scored[0][1], top, reason)


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The registry from normalize/data, loaded once per process."""
    return Registry()


@lru_cache(maxsize=65536)
def match_indicator(label: str, group_path: str = "") -> IndicatorMatch:
    """Canonical indicator for a printed column label (cached: it is called once per column per document)."""
    return registry().match(label, group_path)


def canonical_unit(unit_raw: str, indicator_id: str) -> tuple[str, bool]:
    """(canonical unit, consistent with the indicator?) — a check, never a conversion.

    A printed unit is consistent when it counts the same kind of thing as the indicator's unit
    (units.csv `kind`): 'ĐCTC' is one 'địa chỉ'; 'cuộc' and 'lớp' both count training sessions, so a
    training printed in 'cuộc' is consistent and reported in the indicator's 'lớp'. '%' where a count
    is expected is inconsistent and stays '%'. Nothing printed → the indicator's unit, consistent.
    No indicator → the printed unit, nothing to check it against.
    """
    reg = registry()
    ind = reg.indicators.get(indicator_id)
    raw = clean(unit_raw)
    printed = load_units().get(unit_key(raw)) if raw else None
    if ind is None:
        return (printed.unit if printed else raw), True
    if not raw:
        return ind.unit, True
    if printed is None:
        return raw, False
    if printed.kind == reg.unit_kind[indicator_id]:
        return ind.unit, True
    return printed.unit, False


def list_indicators() -> list[dict[str, object]]:
    """The registry for display (`python -m extract indicators`): id, names, unit, area, measure, aliases."""
    return [
        {
            "indicator_id": i.indicator_id,
            "name_vi": i.name_vi,
            "unit": i.unit,
            "name_en": i.name_en,
            "content_area": i.content_area,
            "measure": i.measure,
            "aliases": list(i.aliases),
        }
        for i in registry().indicators.values()
    ]


def candidates_text(candidates: list[tuple[str, float]]) -> str:
    """Scored candidates for a warning message: 'trusted_addresses 71.2, clubs 64.0' (or 'none')."""
    return ", ".join(f"{iid} {score:.1f}" for iid, score in candidates) or "none"


def unmapped_message(match: IndicatorMatch, label: str) -> str:
    """The indicator_unmapped warning text; ends with UNMAPPED_PREFIX + label (see label_of_unmapped_message)."""
    return f"{match.reason} (candidates: {candidates_text(match.candidates)}); {UNMAPPED_PREFIX}{label}"


def label_of_unmapped_message(message: str) -> str:
    """The label back out of an indicator_unmapped message, for runs known only from warnings.csv."""
    return message.split(UNMAPPED_PREFIX, 1)[1].strip() if UNMAPPED_PREFIX in message else ""


def unmapped_labels(out_dir: str | Path) -> list[tuple[str, int]]:
    """Unmapped labels of a run with their counts, most frequent first — the to-do list for aliases.

    Reads warnings.csv (kind indicator_unmapped: one per label per document, so the count is documents)
    or, when there is none, targets.csv rows with an empty indicator_id (the count is cells).
    """
    out = Path(out_dir)
    counts: Counter[str] = Counter()
    warnings_csv, targets_csv = out / "warnings.csv", out / "targets.csv"
    if warnings_csv.exists():
        with warnings_csv.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                label = label_of_unmapped_message(row.get("message") or "")
                if row.get("kind") == "indicator_unmapped" and label:
                    counts[label] += 1
    elif targets_csv.exists():
        with targets_csv.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                if not (row.get("indicator_id") or "").strip():
                    counts[clean(row.get("indicator_label_raw") or "")] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
