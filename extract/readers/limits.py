"""Size limits every reader applies before building something whose size the file controls: a table
grid (rows × columns, spans included) and the bytes a compressed part inflates to. A hostile file
states "colspan=1000" or "gridSpan=10000000" in a few bytes; the grid it asks for would take
gigabytes, so it is refused (reported, never silently dropped) before it is built."""

from __future__ import annotations

import zipfile

from .errors import ReaderError


class TableTooLarge(Exception):
    """A table whose grid is over Settings.max_table_cells; the reader reports it and goes on."""


def check_grid(n_rows: int, n_cols: int, max_cells: int) -> None:
    if n_rows * n_cols > max_cells:
        raise TableTooLarge(f"a table of {n_rows} rows × {n_cols} columns is over the limit of {max_cells} "
                            "cells (--max-table-cells); not read")


def check_zip_parts(path: str, max_part_bytes: int, max_parts: int = 10_000) -> None:
    """Refuse a ZIP package (DOCX) whose directory declares a part bigger than the limit, before any
    part is inflated (zipfile never inflates past the declared size, so the directory bounds memory)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReaderError(f"not a readable DOCX file ({exc})") from exc
    if len(infos) > max_parts:
        raise ReaderError(f"the package holds {len(infos)} parts, over the limit of {max_parts}")
    for info in infos:
        if info.file_size > max_part_bytes:
            raise ReaderError(f"the part {info.filename[:80]} would inflate to {info.file_size / 2**20:.0f} MB, "
                              f"over the limit of {max_part_bytes / 2**20:.0f} MB")
