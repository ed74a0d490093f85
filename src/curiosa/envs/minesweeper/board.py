"""Minesweeper's board: its symbols, sizes, mine count, neighbourhoods, random layouts and drawing.

A layout (``Task.params``) is ``{"rows": R, "cols": C, "mines": [[row, col], ...]}`` with 0-based rows
and columns (sorted); R and C are 4..7 and there are ``max(1, R*C // 10)`` mines.

Board symbols: ``?`` hidden, ``.`` revealed with no adjacent mine, ``1``-``8`` adjacent mine count,
``*`` a mine (shown only after a loss).
"""

from __future__ import annotations

from typing import Any

import numpy as np

HIDDEN, EMPTY, MINE = "?", ".", "*"
MIN_SIDE, MAX_SIDE = 4, 7

Cell = tuple[int, int]


def mine_count(rows: int, cols: int) -> int:
    return max(1, rows * cols // 10)


def neighbours(rows: int, cols: int, row: int, col: int) -> list[Cell]:
    """The up-to-8 cells around (row, col), 0-based."""
    return [(r, c) for r in range(row - 1, row + 2) for c in range(col - 1, col + 2)
            if (r, c) != (row, col) and 0 <= r < rows and 0 <= c < cols]


def render_board(grid: list[str]) -> str:
    """Grid rows with 1-based column numbers on top and row numbers on the left."""
    width = len(grid[0])
    lines = ["  " + " ".join(str(c + 1) for c in range(width))]
    lines += [f"{r + 1} " + " ".join(row) for r, row in enumerate(grid)]
    return "\n".join(lines)


def sample_layout(rng: np.random.Generator) -> dict[str, Any]:
    """A board of random size with its mines drawn uniformly without replacement."""
    rows = int(rng.integers(MIN_SIDE, MAX_SIDE + 1))
    cols = int(rng.integers(MIN_SIDE, MAX_SIDE + 1))
    flat = sorted(int(i) for i in rng.choice(rows * cols, size=mine_count(rows, cols), replace=False))
    return {"rows": rows, "cols": cols, "mines": [[i // cols, i % cols] for i in flat]}
