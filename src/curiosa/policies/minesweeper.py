"""Scripted Minesweeper players.

expert: exact solver. The hidden cells next to revealed numbers (the frontier) are enumerated by
backtracking over the number constraints; each arrangement with k mines is weighted by the ways to
place the other M-k mines among the remaining hidden cells, which gives every hidden cell's exact
mine probability. It reveals a certainly safe cell when there is one (the one most likely to open an
empty area), else the cell with the lowest mine probability. First move: a corner.
heuristic: a novice: marks the hidden neighbours of a number as mines when their count equals the
number, reveals the other neighbours of a number that already touches that many marked mines, and
otherwise clicks a random hidden cell. random: random hidden cells.
"""

from __future__ import annotations

from math import comb

from curiosa.envs.minesweeper import HIDDEN, neighbours, parse_board, parse_dims
from curiosa.policies.base import ScriptedPolicy, View, choice

Cell = tuple[int, int]


def _answer(cell: Cell) -> str:
    return f"reveal {cell[0] + 1} {cell[1] + 1}"


def _name(cell: Cell) -> str:
    return f"({cell[0] + 1}, {cell[1] + 1})"


class _Board:
    """The latest board the agent saw, with its numbers and hidden cells."""

    def __init__(self, view: View) -> None:
        self.rows, self.cols, self.mines = parse_dims(view.instruction)
        grid = None
        for text in reversed(view.observations):
            grid = parse_board(text, self.rows, self.cols)
            if grid is not None:
                break
        if grid is None:
            grid = parse_board(view.instruction, self.rows, self.cols)
        if grid is None:
            grid = [HIDDEN * self.cols] * self.rows
        self.grid = grid
        self.hidden = [(r, c) for r in range(self.rows) for c in range(self.cols) if grid[r][c] == HIDDEN]
        self.numbers: dict[Cell, int] = {
            (r, c): int(grid[r][c]) for r in range(self.rows) for c in range(self.cols) if grid[r][c].isdigit()
        }

    def around(self, cell: Cell) -> list[Cell]:
        return neighbours(self.rows, self.cols, *cell)

    def hidden_around(self, cell: Cell) -> list[Cell]:
        return [n for n in self.around(cell) if self.grid[n[0]][n[1]] == HIDDEN]

    @property
    def untouched(self) -> bool:
        return len(self.hidden) == self.rows * self.cols


class _Solver:
    """Exact mine probabilities of the hidden cells of a board (integer weights, no rounding)."""

    def __init__(self, board: _Board) -> None:
        self.board = board
        constraints = []
        for cell, n in board.numbers.items():
            cells = board.hidden_around(cell)
            if cells:
                constraints.append((cells, n))
        frontier: list[Cell] = []
        for cells, _ in constraints:  # constraint order keeps related cells close for pruning
            frontier += [c for c in cells if c not in frontier]
        self.frontier = frontier
        index = {c: i for i, c in enumerate(frontier)}
        self.index = index
        self.others = [c for c in board.hidden if c not in index]
        self.cons = [([index[c] for c in cells], n) for cells, n in constraints]
        self.solutions: list[tuple[int, int]] = []  # (mine bitmask over frontier, mine count)
        self._enumerate()
        m, n_o = board.mines, len(self.others)
        self.weights = [comb(n_o, m - k) for _, k in self.solutions]
        self.total = sum(self.weights)

    def _enumerate(self) -> None:
        n_vars, m = len(self.frontier), self.board.mines
        n_o = len(self.others)
        var_cons: list[list[int]] = [[] for _ in range(n_vars)]
        for ci, (cells, _) in enumerate(self.cons):
            for v in cells:
                var_cons[v].append(ci)
        target = [n for _, n in self.cons]
        total = [0] * len(self.cons)
        free = [len(cells) for cells, _ in self.cons]

        def search(v: int, mask: int, k: int) -> None:
            if v == n_vars:
                if m - k <= n_o:
                    self.solutions.append((mask, k))
                return
            for value in (0, 1):
                if value and k >= m:
                    continue
                good = True
                for ci in var_cons[v]:
                    total[ci] += value
                    free[ci] -= 1
                    if total[ci] > target[ci] or total[ci] + free[ci] < target[ci]:
                        good = False
                if good:
                    search(v + 1, mask | (value << v), k + value)
                for ci in var_cons[v]:
                    total[ci] -= value
                    free[ci] += 1

        search(0, 0, 0)

    def mine_weight(self, cell: Cell) -> int:
        """Weight of the arrangements with a mine on ``cell`` (probability = this / total)."""
        if cell in self.index:
            bit = 1 << self.index[cell]
            return sum(w for (mask, _), w in zip(self.solutions, self.weights) if mask & bit)
        n_o, m = len(self.others), self.board.mines
        # among the C(n_o, m-k) placements of the other mines, C(n_o-1, m-k-1) cover this cell
        return sum(comb(n_o - 1, m - k - 1) for _, k in self.solutions if m - k >= 1)

    def open_weight(self, cell: Cell) -> int:
        """Weight of the arrangements where ``cell`` and all its neighbours are mine-free."""
        near = self.board.hidden_around(cell) + [cell]
        bits = sum(1 << self.index[c] for c in near if c in self.index)
        n_near_other = sum(1 for c in near if c not in self.index)
        n_o, m = len(self.others), self.board.mines
        return sum(comb(n_o - n_near_other, m - k) for mask, k in self.solutions if not mask & bits)


class MinesweeperPolicy(ScriptedPolicy):
    game = "minesweeper"

    # ----------------------------------------------------------------------------- random
    def random(self, view: View) -> tuple[str, str]:
        board = _Board(view)
        cell = choice(self.rng, board.hidden)
        return f"I reveal {_name(cell)}, a random hidden cell.", _answer(cell)

    # ----------------------------------------------------------------------------- heuristic
    def heuristic(self, view: View) -> tuple[str, str]:
        board = _Board(view)
        if board.untouched:
            cell = choice(self.rng, board.hidden)
            return f"The first reveal is always safe, so I just try {_name(cell)}.", _answer(cell)
        mines: set[Cell] = set()
        for cell, n in board.numbers.items():
            hidden = board.hidden_around(cell)
            if hidden and len(hidden) == n:
                mines.update(hidden)
        safe: list[tuple[Cell, Cell]] = []
        for cell, n in board.numbers.items():
            hidden = board.hidden_around(cell)
            if hidden and sum(h in mines for h in hidden) == n:
                safe += [(h, cell) for h in hidden if h not in mines and (h, cell) not in safe]
        if safe:
            cell, why = choice(self.rng, safe)
            n = board.numbers[why]
            return (f"The {n} at {_name(why)} already has its mine{'s' if n > 1 else ''} next to it, "
                    f"so {_name(cell)} is safe."), _answer(cell)
        options = [c for c in board.hidden if c not in mines] or board.hidden
        cell = choice(self.rng, options)
        if mines:
            return f"I see no safe cell for sure; I avoid the mine I spotted and guess {_name(cell)}.", _answer(cell)
        return f"Nothing is certain yet, so I guess {_name(cell)}.", _answer(cell)

    # ----------------------------------------------------------------------------- expert
    def expert(self, view: View) -> tuple[str, str]:
        board = _Board(view)
        if board.untouched:
            cell = (0, 0)
            return (f"The first reveal is always safe; a corner has the fewest neighbours, so it is the likeliest "
                    f"to be empty and open an area."), _answer(cell)
        solver = _Solver(board)
        if solver.total == 0:  # the board contradicts the stated mine count (cannot happen here)
            return self.heuristic(view)
        risk = {c: solver.mine_weight(c) for c in board.hidden}
        sure_mines = {c for c, w in risk.items() if w == solver.total}
        lowest = min(risk.values())
        candidates = [c for c, w in risk.items() if w == lowest]
        opening = {c: solver.open_weight(c) for c in candidates}
        best_open = max(opening.values())
        cell = choice(self.rng, [c for c in candidates if opening[c] == best_open])
        if lowest == 0:
            return self._safe_thought(board, cell, sure_mines), _answer(cell)
        prob = lowest / solver.total
        if len(candidates) > 1:
            return (f"No cell is certainly safe; {_name(cell)} is among the {len(candidates)} cells with the lowest "
                    f"mine chance, about {prob:.0%}."), _answer(cell)
        return f"No cell is certainly safe; {_name(cell)} has the lowest mine chance, about {prob:.0%}.", _answer(cell)

    @staticmethod
    def _safe_thought(board: _Board, cell: Cell, sure_mines: set[Cell]) -> str:
        for number in board.around(cell):
            n = board.numbers.get(number)
            if n is None:
                continue
            hidden = board.hidden_around(number)
            known = [h for h in hidden if h in sure_mines]
            if n and len(known) == n:
                spots = " and ".join(_name(h) for h in known)
                return (f"The {n} at {_name(number)} is used up by the mine{'s' if n > 1 else ''} at {spots}, "
                        f"so {_name(cell)} is safe.")
        if len(sure_mines) == board.mines:
            return f"All {board.mines} mines are located, so {_name(cell)} is safe."
        return f"Checking every mine layout that fits the numbers, {_name(cell)} is never a mine, so it is safe."
