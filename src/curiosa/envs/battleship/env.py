"""Battleship: find and sink three hidden ships on a 5x5 or 6x6 grid, one shot per turn.

Observations start with one line ``"<cell>: hit|miss|sunk ..."`` (read back by
:func:`~curiosa.envs.battleship.parsing.parse_shot`) and show the board with headers;
``Outcome.feedback`` is ``{"cell", "result", "ship", "board"}`` where ``board`` is the grid rows
without headers.
"""

from __future__ import annotations

from typing import Any, ClassVar

from curiosa.envs.base import FormatError, Outcome, TextGameEnv
from curiosa.envs.battleship.board import (
    HIT, MISS, SHIPS, UNKNOWN, cell_name, render_board, render_grid, sample_layout,
)
from curiosa.envs.battleship.parsing import parse_cell
from curiosa.envs.task import Task, distinct_draws, make_tasks, split_pool, stable_rng
from curiosa.envs.text import REPLY_FORMAT, quote

N_TRAIN, N_TEST = 1000, 200


class BattleshipEnv(TextGameEnv):
    """Sink a carrier (5), a battleship (4) and a destroyer (2) within 20 shots."""

    group: ClassVar[str] = "battleship"
    max_turns: ClassVar[int] = 20

    @classmethod
    def build_tasks(cls, split: str) -> list[Task]:
        rng = stable_rng(cls.group, "layouts")
        pool = distinct_draws(lambda: sample_layout(rng), N_TRAIN + N_TEST)
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
