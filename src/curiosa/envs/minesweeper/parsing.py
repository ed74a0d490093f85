"""Reading Minesweeper text: the cell an agent reveals, and the board a policy sees."""

from __future__ import annotations

import re

_INT = re.compile(r"-?[0-9]+")
_ROW_WORD = re.compile(r"\brows?\s*[:=#]?\s*(-?[0-9]+)", re.IGNORECASE)
_COL_WORD = re.compile(r"\bcol(?:umn)?s?\s*[:=#]?\s*(-?[0-9]+)", re.IGNORECASE)
_FLAG = re.compile(r"\b(flag|mark|unflag)", re.IGNORECASE)
_BOARD_ROW = re.compile(r"^ ?(\d+) +((?:[?.*1-8] ?)+)$", re.MULTILINE)
_DIMS = re.compile(r"\((\d+) rows, (\d+) columns\) with (\d+) hidden mines?")


def parse_move(answer: str) -> tuple[int, int, bool] | None:
    """(row, col, asks for a flag) of an answer, 1-based as the agent wrote them; None without two numbers.

    "column 3, row 2" names the row explicitly; otherwise the first two numbers are row then column.
    Huge numbers become 10**6 (simply off the board).
    """
    numbers = _INT.findall(answer)
    if len(numbers) < 2:
        return None
    row_word, col_word = _ROW_WORD.search(answer), _COL_WORD.search(answer)
    if row_word and col_word:
        numbers = [row_word.group(1), col_word.group(1)]
    row, col = (int(x) if len(x) < 6 else 10**6 for x in numbers[:2])
    return row, col, bool(_FLAG.search(answer))


def parse_dims(instruction: str) -> tuple[int, int, int]:
    """(rows, cols, mines) stated in the instruction."""
    match = _DIMS.search(instruction)
    if not match:
        raise ValueError("no '(R rows, C columns) with M hidden mines' in the instruction")
    return int(match.group(1)), int(match.group(2)), int(match.group(3))


def parse_board(observation: str, rows: int, cols: int) -> list[str] | None:
    """The grid rows (no headers, no spaces) shown in an observation, or None if it shows no board."""
    found = {}
    for match in _BOARD_ROW.finditer(observation):
        cells = match.group(2).split()
        if len(cells) == cols and 1 <= int(match.group(1)) <= rows:
            found[int(match.group(1)) - 1] = "".join(cells)
    if len(found) != rows:
        return None
    return [found[r] for r in range(rows)]
