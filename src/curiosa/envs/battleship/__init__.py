"""Battleship: find and sink three hidden ships on a 5x5 or 6x6 grid, one shot per turn.

``board`` holds the fleet (``data/ships.json``), cells, placements and the drawn grid, ``parsing``
reads cells and shot results from text, ``env`` is the game.
"""

from curiosa.envs.battleship.board import (
    HIT, MISS, SHIPS, SIZES, UNKNOWN, cell_name, load_ships, placements, render_board, render_grid, sample_layout,
)
from curiosa.envs.battleship.env import N_TEST, N_TRAIN, BattleshipEnv
from curiosa.envs.battleship.parsing import parse_cell, parse_shot, parse_size

__all__ = [
    "HIT", "MISS", "N_TEST", "N_TRAIN", "SHIPS", "SIZES", "UNKNOWN", "BattleshipEnv", "cell_name", "load_ships",
    "parse_cell", "parse_shot", "parse_size", "placements", "render_board", "render_grid", "sample_layout",
]
