"""The user folder (`--corrections DIR`): plain CSV files a person edits, read on every run.

    cells*.csv          cell corrections (see CELL_COLUMNS; rows with an empty `value` are ignored,
                        so a template written by `review` can be filled in place)
    aliases.csv         alias,indicator_id[,added_by,note]   extra indicator aliases
    abbreviations.csv   abbr,expansion[,context]             extra abbreviations for labels
    units.csv           province,unit_name_raw,unit_name     a printed row label forced to an official unit

They live outside the package on purpose: a person's fix never edits the source, never invalidates the
cache, and is applied after extraction to cached and fresh documents alike.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from normalize.text import clean
from normalize.vocab import Abbreviation
from output.cells import unescape

CELL_COLUMNS = (
    "doc_id", "source_file", "sha256", "page", "table_index", "row_index", "col_index",
    "unit_name_raw", "indicator_id", "value_raw", "value", "corrected_by", "note",
)


@dataclass(frozen=True)
class CellCorrection:
    """One corrected cell. The document is named by its sha256 (source_file and doc_id only help to
    notice that it changed); the cell by table/row/col, or by unit_name_raw + indicator_id. `value_raw`
    is the text printed when the correction was made: if the cell now reads otherwise, it is stale."""

    file: str  # the corrections file and line, for messages
    sha256: str
    source_file: str
    doc_id: str
    page: int | None
    table_index: int | None
    row_index: int | None
    col_index: int | None
    unit_name_raw: str
    indicator_id: str
    value_raw: str
    value: str
    corrected_by: str
    note: str

    @property
    def by_position(self) -> bool:
        return None not in (self.table_index, self.row_index, self.col_index)


@dataclass(frozen=True)
class ForcedUnit:
    province: str  # empty: any province
    unit_name_raw: str
    unit_name: str


@dataclass
class UserFolder:
    folder: Path | None = None
    cells: list[CellCorrection] = field(default_factory=list)
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (alias, indicator_id)
    abbreviations: list[Abbreviation] = field(default_factory=list)
    units: list[ForcedUnit] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # rows that could not be read, for the summary

    @property
    def has_vocabulary(self) -> bool:
        return bool(self.aliases or self.abbreviations or self.units)


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [
            (n, {k.strip(): (v or "").strip() for k, v in row.items() if k})
            for n, row in enumerate(csv.DictReader(fh), start=2)
        ]


def _int(text: str) -> int | None:
    return int(float(text)) if text.strip() else None


def _cell(where: str, row: dict[str, str]) -> CellCorrection:
    return CellCorrection(
        file=where, sha256=row.get("sha256", "").lower(), source_file=row.get("source_file", ""),
        doc_id=row.get("doc_id", ""), page=_int(row.get("page", "")), table_index=_int(row.get("table_index", "")),
        row_index=_int(row.get("row_index", "")), col_index=_int(row.get("col_index", "")),
        # The printed texts as extracted, also when copied from a formula-safe CSV (a review template).
        unit_name_raw=unescape(row.get("unit_name_raw", "")), indicator_id=row.get("indicator_id", ""),
        value_raw=unescape(row.get("value_raw", "")), value=row.get("value", ""),
        corrected_by=row.get("corrected_by", ""), note=row.get("note", ""),
    )


def load_user_folder(folder: str | Path | None) -> UserFolder:
    """Read the folder; a missing folder is an empty one. Bad rows are skipped and listed in `problems`."""
    user = UserFolder(Path(folder) if folder else None)
    if user.folder is None or not user.folder.is_dir():
        return user
    for path in sorted(user.folder.glob("cells*.csv")):
        for n, row in _rows(path):
            if not row.get("value"):
                continue  # not filled in yet
            try:
                user.cells.append(_cell(f"{path.name}:{n}", row))
            except ValueError as exc:
                user.problems.append(f"{path.name}:{n}: {exc}")
    _load_vocabulary(user)
    return user


def _load_vocabulary(user: UserFolder) -> None:
    assert user.folder is not None
    aliases, abbreviations, units = (user.folder / n for n in ("aliases.csv", "abbreviations.csv", "units.csv"))
    if aliases.is_file():
        user.aliases = [(clean(r["alias"]), r["indicator_id"]) for _, r in _rows(aliases)
                        if r.get("alias") and r.get("indicator_id")]
    if abbreviations.is_file():
        items = [Abbreviation(clean(r["abbr"]), clean(r["expansion"]), r.get("context", ""))
                 for _, r in _rows(abbreviations) if r.get("abbr") and r.get("expansion")]
        user.abbreviations = sorted(items, key=lambda a: -len(a.abbr))
    if units.is_file():
        user.units = [ForcedUnit(r.get("province", ""), r["unit_name_raw"], r["unit_name"])
                      for _, r in _rows(units) if r.get("unit_name_raw") and r.get("unit_name")]
