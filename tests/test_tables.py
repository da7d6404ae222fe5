"""The ruling-line table chain on synthetic geometry: segments → regions → grid → cells."""

from extract.tables import Segment, TableSettings, Word, page_tables, region_to_grid, segments_to_regions


def _grid_segments(xs, ys, skip_v=(), skip_h=()):
    """Rules of a full grid, leaving out vertical pieces (x_index, row) and horizontal pieces (y_index, col)."""
    segs = []
    for i, x in enumerate(xs):
        for r in range(len(ys) - 1):
            if (i, r) not in skip_v:
                segs.append(Segment(x, ys[r], x, ys[r + 1]))
    for j, y in enumerate(ys):
        for c in range(len(xs) - 1):
            if (j, c) not in skip_h:
                segs.append(Segment(xs[c], y, xs[c + 1], y))
    return segs


def test_merged_header_becomes_spanning_cells():
    xs, ys = [0, 50, 100, 150], [0, 20, 40, 60]
    # Row 0: column 0 spans two rows (no rule under it); columns 1-2 merged (no rule between them).
    segs = _grid_segments(xs, ys, skip_v={(2, 0)}, skip_h={(1, 0)})
    grid = region_to_grid(segs, TableSettings())
    spans = {(c.row, c.col): (c.row_span, c.col_span) for c in grid.cells}
    assert spans[(0, 0)] == (2, 1)
    assert spans[(0, 1)] == (1, 2)
    assert spans[(2, 2)] == (1, 1)
    assert len(grid.cells) == 1 + 1 + 2 + 3  # header cells, the second row's two cells, the last row


def test_words_fall_into_their_cells_in_reading_order():
    xs, ys = [0, 100, 200], [0, 30, 60]
    words = [
        Word("Si", (5, 35, 15, 45), (1, 0)), Word("Huyện", (5, 35, 4, 45), (1, 0)),
        Word("Ma", (20, 35, 30, 45), (1, 0)), Word("Cai", (5, 47, 20, 57), (1, 1)),
        Word("29", (150, 40, 160, 50), (2, 0)), Word("outside", (300, 300, 320, 310), (3, 0)),
    ]
    words[1] = Word("Huyện", (0.5, 35, 4, 45), (1, 0))
    [table] = page_tables(_grid_segments(xs, ys), words, page=3)
    grid = table.text_grid()
    assert grid[1] == ["Huyện Si Ma Cai", "29"]
    assert table.page == 3 and all(c.page == 3 for c in table.cells)


def test_two_separate_tables_on_one_page():
    a = _grid_segments([0, 50, 100], [0, 20, 40])
    b = _grid_segments([0, 50, 100], [200, 220, 240])
    regions = segments_to_regions(a + b, TableSettings())
    assert len(regions) == 2


def test_lone_lines_make_no_table():
    segs = [Segment(0, 10, 500, 10), Segment(0, 700, 500, 700)]  # header rule and footer rule
    assert page_tables(segs, [], page=1) == []
