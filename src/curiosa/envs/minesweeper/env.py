"""Minesweeper: reveal every safe cell of a small board without touching a mine.

The agent names cells 1-based, row then column, as the board headers print them. The first reveal of
every episode is safe: if it lands on a mine, that mine moves (for this episode only) to the first
mine-free cell in row-major order other than the clicked one. ``Outcome.feedback`` is ``{"cell":
[row, col] (1-based), "mine": bool, "board": [row strings]}`` with the grid rows without headers.
"""

from __future__ import annotations

from typing import Any, ClassVar

from curiosa.envs.base import FormatError, Outcome, TextGameEnv
from curiosa.envs.minesweeper.board import EMPTY, HIDDEN, MINE, Cell, neighbours, render_board, sample_layout
from curiosa.envs.minesweeper.parsing import parse_move
from curiosa.envs.task import Task, distinct_draws, make_tasks, split_pool, stable_rng
from curiosa.envs.text import REPLY_FORMAT, quote

N_TRAIN, N_TEST = 1000, 200


class MinesweeperEnv(TextGameEnv):
    """Reveal all safe cells within 20 turns; the first reveal is always safe."""

    group: ClassVar[str] = "minesweeper"
    max_turns: ClassVar[int] = 20

    @classmethod
    def build_tasks(cls, split: str) -> list[Task]:
        rng = stable_rng(cls.group, "layouts")
        pool = distinct_draws(lambda: sample_layout(rng), N_TRAIN + N_TEST)
        return make_tasks(cls.group, split, split_pool(cls.group, pool, N_TRAIN, N_TEST)[split])

    def _start(self) -> str:
        assert self.task is not None
        self.rows = int(self.task.params["rows"])
        self.cols = int(self.task.params["cols"])
        self.mines: set[Cell] = {(int(r), int(c)) for r, c in self.task.params["mines"]}
        self.revealed: set[Cell] = set()
        self.exploded = False
        self.moved_mine: tuple[Cell, Cell] | None = None
        r, c, m = self.rows, self.cols, len(self.mines)
        return (
            f"Let's play Minesweeper on a {r}x{c} board ({r} rows, {c} columns) with {m} hidden "
            f"mine{'s' if m != 1 else ''}.\n"
            f"Each turn, reveal one hidden cell ('{HIDDEN}') by its row then its column, numbered from 1 as in "
            f"the board headers. A revealed cell shows how many of its 8 neighbours are mines; '{EMPTY}' means "
            f"none, and then its neighbours open automatically. Revealing a mine loses the game; your first "
            f"reveal is always safe. There are no flags.\n"
            f"Reveal every safe cell within {self.max_turns} turns to win. Example: Answer: reveal 2 3\n\n"
            f"{render_board(self._grid())}\n\n{REPLY_FORMAT}"
        )

    # ------------------------------------------------------------------ state
    def _status(self) -> dict[str, Any]:
        return {"board": self._grid(show_mines=self.exploded)}

    def _count(self, cell: Cell) -> int:
        return sum(n in self.mines for n in neighbours(self.rows, self.cols, *cell))

    def _grid(self, show_mines: bool = False) -> list[str]:
        out = []
        for r in range(self.rows):
            row = []
            for c in range(self.cols):
                if show_mines and (r, c) in self.mines:
                    row.append(MINE)
                elif (r, c) in self.revealed:
                    n = self._count((r, c))
                    row.append(str(n) if n else EMPTY)
                else:
                    row.append(HIDDEN)
            out.append("".join(row))
        return out

    def _safe_left(self) -> int:
        return self.rows * self.cols - len(self.mines) - len(self.revealed)

    def _flood(self, start: Cell) -> None:
        stack = [start]
        while stack:
            cell = stack.pop()
            if cell in self.revealed:
                continue
            self.revealed.add(cell)
            if self._count(cell) == 0:
                stack += [n for n in neighbours(self.rows, self.cols, *cell) if n not in self.revealed]

    # ------------------------------------------------------------------ moves
    def _parse(self, answer: str) -> tuple[int, int, bool]:
        move = parse_move(answer)
        if move is None:
            raise FormatError(
                f"{quote(answer)} does not give a row and a column. Write two numbers, e.g. 'Answer: reveal 2 3'."
            )
        return move

    def _play(self, move: tuple[int, int, bool]) -> Outcome:
        row, col, flag = move
        grid = self._grid()
        feedback = {"cell": [row, col], "mine": False, "board": grid}
        left = f"Safe cells left: {self._safe_left()}. Turns left: {self.max_turns - self.turn}."
        board = render_board(grid)
        if flag:
            text = (f"There are no flags in this game; you can only reveal cells. The turn is used.\n"
                    f"{board}\n{left}")
            return Outcome(text, feedback, invalid=True)
        if not (1 <= row <= self.rows and 1 <= col <= self.cols):
            text = (f"({row}, {col}) is off the board: rows are 1-{self.rows} and columns 1-{self.cols}. "
                    f"The turn is used.\n{board}\n{left}")
            return Outcome(text, feedback, invalid=True)
        cell = (row - 1, col - 1)
        if cell in self.revealed:
            shown = grid[cell[0]][cell[1]]
            text = (f"({row}, {col}) is already revealed (it shows '{shown}'). Pick a '{HIDDEN}' cell. "
                    f"The turn is used.\n{board}\n{left}")
            return Outcome(text, feedback, invalid=True)
        if not self.revealed and cell in self.mines:  # first reveal: move the mine away
            target = next((r, c) for r in range(self.rows) for c in range(self.cols)
                          if (r, c) not in self.mines and (r, c) != cell)
            self.mines = (self.mines - {cell}) | {target}
            self.moved_mine = (cell, target)
        if cell in self.mines:
            self.exploded = True
            grid = self._grid(show_mines=True)
            text = f"({row}, {col}) is a mine! You lose.\n{render_board(grid)}"
            return Outcome(text, {"cell": [row, col], "mine": True, "board": grid}, done=True)
        self._flood(cell)
        n = self._count(cell)
        grid = self._grid()
        if n:
            line = f"({row}, {col}) is safe: {n} adjacent mine{'s' if n != 1 else ''}."
        else:
            line = f"({row}, {col}) is safe with no adjacent mines, so the area around it opened."
        won = self._safe_left() == 0
        tail = ("Every safe cell is revealed. You win!" if won else
                f"Safe cells left: {self._safe_left()}. Turns left: {self.max_turns - self.turn}.")
        return Outcome(f"{line}\n{render_board(grid)}\n{tail}", {"cell": [row, col], "mine": False, "board": grid},
                       done=won, success=won)

    def _reveal(self) -> str:
        cells = ", ".join(f"({r + 1}, {c + 1})" for r, c in sorted(self.mines))
        return f"The mine{'s were' if len(self.mines) != 1 else ' was'} at {cells}."
