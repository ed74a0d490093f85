"""Reading Battleship text: the cell an agent names, and the board size and shot results a policy sees."""

from __future__ import annotations

import re

_LETTER_NUMBER = re.compile(r"(?<![A-Z])([A-Z])[\s,;:.\-()\[\]]*([0-9]+)")
_NUMBER_LETTER = re.compile(r"(?<![0-9])([0-9]+)[\s,;:.\-()\[\]]*([A-Z])(?![A-Z])")
_COLUMN_WORD = re.compile(r"\bCOL(?:UMN)?\s*[:=]?\s*([A-Z])\b")
_ROW_WORD = re.compile(r"\bROW\s*[:=]?\s*([0-9]+)")
_SHOT_LINE = re.compile(r"^(?P<cell>[A-Z]\d+): (?P<result>hit|miss|sunk)\b(?:.*?you sank the (?P<ship>[a-z]+))?",
                        re.MULTILINE)
_SIZE = re.compile(r"on a (\d+)x\1 grid")


def parse_cell(text: str) -> tuple[int, int] | None:
    """The first cell-like token of ``text`` as 0-based ``(row, col)`` (maybe off the board), else None.

    Accepts "B3", "b 3", "(B,3)", "B-3", "fire at B3", "3B" and "row 3, column B".
    """
    upper = text.upper()
    column, row = _COLUMN_WORD.search(upper), _ROW_WORD.search(upper)
    match = _LETTER_NUMBER.search(upper)
    if column and row:
        letter, number = column.group(1), row.group(1)
    elif match:
        letter, number = match.group(1), match.group(2)
    else:
        match = _NUMBER_LETTER.search(upper)
        if not match:
            return None
        number, letter = match.group(1), match.group(2)
    row = int(number) if len(number) < 6 else 10**6  # huge numbers are simply off the board
    return row - 1, ord(letter) - ord("A")


def parse_size(instruction: str) -> int:
    """Board size stated in the instruction."""
    match = _SIZE.search(instruction)
    if not match:
        raise ValueError("no 'on a NxN grid' in the instruction")
    return int(match.group(1))


def parse_shot(observation: str) -> tuple[tuple[int, int], str, str | None] | None:
    """``((row, col), result, sunk ship name or None)`` of a legal shot's reply, else None."""
    match = _SHOT_LINE.search(observation)
    if not match:
        return None
    cell = parse_cell(match.group("cell"))
    assert cell is not None
    return cell, match.group("result"), match.group("ship")
