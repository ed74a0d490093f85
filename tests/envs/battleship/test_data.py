"""The packaged fleet: named ships of lengths that fit together on the smallest board."""

import json
import re

from curiosa.envs.battleship.board import SHIPS, SHIPS_FILE, SIZES, load_ships


def test_ships_schema():
    raw = json.loads(SHIPS_FILE.read_text(encoding="utf-8"))
    assert isinstance(raw, list) and raw
    for ship in raw:
        assert set(ship) == {"name", "length"}
        assert isinstance(ship["name"], str) and re.fullmatch(r"[a-z]+", ship["name"])  # parse_shot reads [a-z]+
        assert isinstance(ship["length"], int) and 1 <= ship["length"] <= min(SIZES)
    names = [ship["name"] for ship in raw]
    assert len(set(names)) == len(names)
    assert SHIPS == load_ships() == tuple((s["name"], s["length"]) for s in raw)


def test_fleet_fits_the_smallest_board():
    assert sum(length for _, length in SHIPS) <= min(SIZES) ** 2
