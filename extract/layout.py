"""Is a table a layout device rather than data? One rule for every reader (PDF, HTML, DOCX).

Plans often lay out their header block (issuer | national motto) and their signature block
("Nơi nhận:" | signer) as a borderless table, and some HTML exports wrap the whole page in one. Such a
table's text belongs to the running lines (where the metadata and references stages read it), not to
the tables the appendix stage classifies.
"""

from __future__ import annotations

import logging

from normalize.text import fold

from .model import Table

log = logging.getLogger(__name__)

# Folded text (see normalize.text.fold) that only the header or signature block carries.
_MARKERS = ("cong hoa xa hoi chu nghia", "doc lap tu do", "noi nhan")
# Header and signature blocks have two or three columns with text (a PDF's ruled grid may cut them into
# more, empty, slots); data tables have more.
MAX_LAYOUT_COLUMNS = 3


def is_layout_table(table: Table, *, nested: bool = False, bordered: bool = True) -> bool:
    """True for a header block, a signature block, or a page-wrapping table (`nested`: it holds another
    table; `bordered`: it draws cell borders, always so for a table rebuilt from PDF ruling lines)."""
    if len({c.col for c in table.cells if c.text.strip()}) > MAX_LAYOUT_COLUMNS:
        return False
    text = fold(" ".join(c.text for c in table.cells))
    marker = next((m for m in _MARKERS if m in text), "")
    if marker or nested or (table.n_cols <= 2 and not bordered):
        reason = f"it reads '{marker}'" if marker else ("it holds another table" if nested else "no borders")
        log.debug("p.%d: a %dx%d table is layout, read as text: %s", table.page, table.n_rows, table.n_cols, reason)
        return True
    return False
