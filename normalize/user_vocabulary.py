"""A person's indicator vocabulary from the user folder (aliases, abbreviations) as a label matcher.

The package's own vocabulary (normalize/data) is part of the cache key; the user's is not, so adding
an alias re-runs only the cheap mapping step over cached documents instead of reading every file again
(extract/user_vocabulary.py applies it to the documents).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from normalize.indicators import IndicatorMatch, Registry
from normalize.vocab import Abbreviation


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


def user_matcher(
    aliases: tuple[tuple[str, str], ...], abbreviations: Sequence[Abbreviation]
) -> Callable[[str, str], IndicatorMatch]:
    """(label, group path) → match, with the user's aliases added and abbreviations expanded first."""
    registry = user_registry(aliases)

    def match(label: str, group_path: str) -> IndicatorMatch:
        return registry.match(expand_user_abbreviations(label, abbreviations),
                              expand_user_abbreviations(group_path, abbreviations))

    return match
