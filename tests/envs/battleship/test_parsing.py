"""Battleship's cell parser."""

import pytest

from curiosa.envs.battleship.parsing import parse_cell


@pytest.mark.parametrize(
    "text, cell",
    [("B3", (2, 1)), ("b3", (2, 1)), ("b 3", (2, 1)), ("(B,3)", (2, 1)), ("3B", (2, 1)), ("3 b", (2, 1)),
     ("fire at c2", (1, 2)), ("[E, 5]", (4, 4)), ("B-3", (2, 1)), ("Z9", (8, 25)), ("A0", (-1, 0)),
     ("row 3, column B", (2, 1)), ("Column B, Row 3", (2, 1)), ("B1234", (1233, 1)), ("E" + "9" * 5000, (999999, 4))],
)
def test_parse_cell_is_tolerant(text, cell):
    assert parse_cell(text) == cell


@pytest.mark.parametrize("text", ["hello", "", "the middle", "33", "ABC", "row 3"])
def test_parse_cell_rejects_non_cells(text):
    assert parse_cell(text) is None
