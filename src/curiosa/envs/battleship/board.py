"""Battleship's board: the fleet, cell names, ship placements, random layouts and the drawn grid.

Rows and columns are 0-based here; the agent names a cell by column letter then 1-based row ("B3").
A layout (``Task.params``) is ``{"size": 5 | 6, "ships": [{"name": ..., "cells": [[row, col], ...]}]}``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np

SHIPS_FILE = Path(__file__).parent / "data" / "ships.json"
SIZES = (5, 6)
UNKNOWN, MISS, HIT = ".", "o", "X"


@lru_cache(maxsize=1)
def load_ships() -> tuple[tuple[str, int], ...]:
    """The fleet as (name, length) pairs, in the order they are listed to the agent."""
    return tuple((str(s["name"]), int(s["length"])) for s in json.loads(SHIPS_FILE.read_text(encoding="utf-8")))


SHIPS: tuple[tuple[str, int], ...] = load_ships()
"""Ship names and lengths, in the order they are listed to the agent."""


def cell_name(row: int, col: int) -> str:
    """``(1, 0)`` -> ``"A2"`` (0-based row and column in, the agent's name out)."""
    return f"{chr(ord('A') + col)}{row + 1}"


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


def sample_layout(rng: np.random.Generator) -> dict[str, Any]:
    """Uniform over valid layouts: draw each ship uniformly, reject the whole draw on overlap."""
    size = int(SIZES[int(rng.integers(len(SIZES)))])
    options = [placements(size, length) for _, length in SHIPS]
    while True:
        chosen = [opts[int(rng.integers(len(opts)))] for opts in options]
        cells = [tuple(cell) for ship in chosen for cell in ship]
        if len(set(cells)) == len(cells):
            return {"size": size, "ships": [{"name": name, "cells": ship} for (name, _), ship in zip(SHIPS, chosen)]}


def render_grid(size: int, marks: dict[tuple[int, int], str]) -> list[str]:
    """Grid rows without headers: ``marks`` maps (row, col) to MISS or HIT."""
    return ["".join(marks.get((r, c), UNKNOWN) for c in range(size)) for r in range(size)]


def render_board(grid: Sequence[str]) -> str:
    """The grid with column letters and row numbers, as the agent sees it."""
    size = len(grid)
    lines = ["  " + " ".join(chr(ord("A") + c) for c in range(size))]
    lines += [f"{r + 1} " + " ".join(row) for r, row in enumerate(grid)]
    return "\n".join(lines)
