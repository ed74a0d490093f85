"""Minesweeper: reveal every safe cell of a small board without touching a mine.

``board`` holds the geometry, random layouts and the drawn grid, ``parsing`` reads moves and boards
from text, ``env`` is the game (first reveal always safe).
"""

from curiosa.envs.minesweeper.board import (
    EMPTY, HIDDEN, MAX_SIDE, MIN_SIDE, MINE, Cell, mine_count, neighbours, render_board, sample_layout,
)
from curiosa.envs.minesweeper.env import N_TEST, N_TRAIN, MinesweeperEnv
from curiosa.envs.minesweeper.parsing import parse_board, parse_dims, parse_move

__all__ = [
    "EMPTY", "HIDDEN", "MAX_SIDE", "MINE", "MIN_SIDE", "N_TEST", "N_TRAIN", "Cell", "MinesweeperEnv", "mine_count",
    "neighbours", "parse_board", "parse_dims", "parse_move", "render_board", "sample_layout",
]
