"""Battleship: find and sink three hidden ships on a 5x5 or 6x6 grid, one shot per turn.

Hidden state (``Task.params``): ``{"size": 5 | 6, "ships": [{"name": "carrier", "cells": [[row, col],
...]}, ...]}`` with 0-based rows and columns. The agent names cells as column letter + row number
("B3" = column B, row 3). Observations start with one line ``"<cell>: hit|miss|sunk ..."`` (see
``parse_shot``) and show the board with headers; ``Outcome.feedback`` is ``{"cell", "result", "ship",
"board"}`` where ``board`` is the grid rows without headers.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Sequence

from curiosa.envs.base import FormatError, Outcome, TextGameEnv
from curiosa.envs.task import Task, distinct_draws, make_tasks, split_pool, stable_rng
from curiosa.envs.text import REPLY_FORMAT, quote

SHIPS: tuple[tuple[str, int], ...] = (("carrier", 5), ("battleship", 4), ("destroyer", 2))
"""Ship names and lengths, in the order they are listed to the agent."""
SIZES = (5, 6)
UNKNOWN, MISS, HIT = ".", "o", "X"
N_TRAIN, N_TEST = 1000, 200

_LETTER_NUMBER = re.compile(r"(?<![A-Z])([A-Z])[\s,;:.\-()\[\]]*([0-9]+)")
_NUMBER_LETTER = re.compile(r"(?<![0-9])([0-9]+)[\s,;:.\-()\[\]]*([A-Z])(?![A-Z])")
_COLUMN_WORD = re.compile(r"\bCOL(?:UMN)?\s*[:=]?\s*([A-Z])\b")
_ROW_WORD = re.compile(r"\bROW\s*[:=]?\s*([0-9]+)")
_SHOT_LINE = re.compile(r"^(?P<cell>[A-Z]\d+): (?P<result>hit|miss|sunk)\b(?:.*?you sank the (?P<ship>[a-z]+))?",
                        re.MULTILINE)
_SIZE = re.compile(r"on a (\d+)x\1 grid")


# ------------------------------------------------------------------------------------------ helpers
def cell_name(row: int, col: int) -> str:
    """``(1, 0)`` -> ``"A2"`` (0-based row and column in, the agent's name out)."""
    return f"{chr(ord('A') + col)}{row + 1}"


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


def render_grid(size: int, marks: dict[tuple[int, int], str]) -> list[str]:
    """Grid rows without headers: ``marks`` maps (row, col) to MISS or HIT."""
    return ["".join(marks.get((r, c), UNKNOWN) for c in range(size)) for r in range(size)]


def render_board(grid: Sequence[str]) -> str:
    """The grid with column letters and row numbers, as the agent sees it."""
    size = len(grid)
    lines = ["  " + " ".join(chr(ord("A") + c) for c in range(size))]
    lines += [f"{r + 1} " + " ".join(row) for r, row in enumerate(grid)]
    return "\n".join(lines)


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


def placements(size: int, length: int) -> list[list[list[int]]]:
    """Every horizontal and vertical placement of a ship of ``length`` cells, as lists of [row, col]."""
    out = []
    for r in range(size):
        for c in range(size - length + 1):
            out.append([[r, c + i] for i in range(length)])
    for c in range(size):
        for r in range(size - length + 1):
            out.append([[r + i, c] for i in range(length)])
    return out


def _sample_layout(rng) -> dict[str, Any]:
    """Uniform over valid layouts: draw each ship uniformly, reject the whole draw on overlap."""
    size = int(SIZES[int(rng.integers(len(SIZES)))])
    options = [placements(size, length) for _, length in SHIPS]
    while True:
        chosen = [opts[int(rng.integers(len(opts)))] for opts in options]
        cells = [tuple(cell) for ship in chosen for cell in ship]
        if len(set(cells)) == len(cells):
            return {"size": size, "ships": [{"name": name, "cells": ship} for (name, _), ship in zip(SHIPS, chosen)]}


# ------------------------------------------------------------------------------------------ the game
class BattleshipEnv(TextGameEnv):
    """Sink a carrier (5), a battleship (4) and a destroyer (2) within 20 shots."""

    group: ClassVar[str] = "battleship"
    max_turns: ClassVar[int] = 20

    @classmethod
    def build_tasks(cls, split: str) -> list[Task]:
        rng = stable_rng(cls.group, "layouts")
        pool = distinct_draws(lambda: _sample_layout(rng), N_TRAIN + N_TEST)
        return make_tasks(cls.group, split, split_pool(cls.group, pool, N_TRAIN, N_TEST)[split])

    def _start(self) -> str:
        assert self.task is not None
        self.size = int(self.task.params["size"])
        self.ship_cells: dict[str, set[tuple[int, int]]] = {
            ship["name"]: {(int(r), int(c)) for r, c in ship["cells"]} for ship in self.task.params["ships"]
        }
        self.owner = {cell: name for name, cells in self.ship_cells.items() for cell in cells}
        self.marks: dict[tuple[int, int], str] = {}
        self.sunk: list[str] = []
        n, last = self.size, chr(ord("A") + self.size - 1)
        fleet = ", ".join(f"{name} ({length} cells)" for name, length in SHIPS)
        return (
            f"Let's play Battleship on a {n}x{n} grid. Columns are letters A-{last}, rows are numbers 1-{n}; "
            f"a cell is named by column then row, like B3.\n"
            f"Three ships are hidden: {fleet}. Each lies horizontally or vertically in a straight line; "
            f"ships do not overlap but may touch.\n"
            f"Each turn, fire at one cell you have not fired at before. I answer hit, miss, or sunk (when "
            f"a ship's last cell is hit, naming the ship) and show the board: '{UNKNOWN}' not fired at, "
            f"'{MISS}' miss, '{HIT}' hit.\n"
            f"Sink all three ships within {self.max_turns} turns to win. Example: Answer: B3\n\n"
            f"{render_board(render_grid(n, self.marks))}\n\n{REPLY_FORMAT}"
        )

    def _parse(self, answer: str) -> tuple[int, int]:
        cell = parse_cell(answer)
        if cell is None:
            raise FormatError(
                f"{quote(answer)} names no cell. Give a column letter then a row number, e.g. 'Answer: B3'."
            )
        return cell

    def _status(self) -> dict[str, Any]:
        return {"board": render_grid(self.size, self.marks)}

    def _afloat_line(self) -> str:
        afloat = [f"{name} ({length})" for name, length in SHIPS if name not in self.sunk]
        left = self.max_turns - self.turn
        return f"Ships afloat: {', '.join(afloat) if afloat else 'none'}. Turns left: {left}."

    def _play(self, move: tuple[int, int]) -> Outcome:
        row, col = move
        n = self.size
        grid = render_grid(n, self.marks)
        if not (0 <= row < n and 0 <= col < n):
            last = chr(ord("A") + n - 1)
            name = cell_name(row, col)
            text = (f"{name} is off the board: columns are A-{last} and rows 1-{n}. "
                    f"The turn is used.\n{render_board(grid)}\n{self._afloat_line()}")
            return Outcome(text, {"cell": name, "result": "invalid", "ship": None, "board": grid}, invalid=True)
        name = cell_name(row, col)
        if (row, col) in self.marks:
            was = "a hit" if self.marks[(row, col)] == HIT else "a miss"
            text = (f"You already fired at {name} (it was {was}). Pick a '{UNKNOWN}' cell. "
                    f"The turn is used.\n{render_board(grid)}\n{self._afloat_line()}")
            return Outcome(text, {"cell": name, "result": "invalid", "ship": None, "board": grid}, invalid=True)
        ship = self.owner.get((row, col))
        self.marks[(row, col)] = HIT if ship else MISS
        if ship is None:
            result, line = "miss", f"{name}: miss."
        elif all(self.marks.get(cell) == HIT for cell in self.ship_cells[ship]):
            self.sunk.append(ship)
            result, line = "sunk", f"{name}: sunk - you sank the {ship} ({len(self.ship_cells[ship])} cells)!"
        else:
            result, line = "hit", f"{name}: hit."
        grid = render_grid(n, self.marks)
        won = len(self.sunk) == len(SHIPS)
        tail = "All ships are sunk. You win!" if won else self._afloat_line()
        feedback = {"cell": name, "result": result, "ship": ship if result == "sunk" else None, "board": grid}
        return Outcome(f"{line}\n{render_board(grid)}\n{tail}", feedback, done=won, success=won)

    def _reveal(self) -> str:
        parts = [f"{name} at {' '.join(cell_name(r, c) for r, c in sorted(self.ship_cells[name]))}"
                 for name, _ in SHIPS]
        return "The ships were: " + "; ".join(parts) + "."
