"""Scripted Battleship players.

expert: exact Bayesian targeting. Every layout of the three ships (uniform prior, which is how tasks
are drawn) is enumerated once per board size; each turn keeps the layouts consistent with every miss,
hit and "sunk" message (the sunk ship holds the sinking cell and only cells hit by then; an afloat
ship still has an unhit cell) and fires at the unfired cell that the most of them cover.
heuristic: a novice: checkerboard hunting at random; after a hit, random unfired neighbours of the
hits made since the last sinking. random: random unfired cells.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from curiosa.envs.battleship import SHIPS, cell_name, parse_shot, parse_size, placements
from curiosa.policies.base import ScriptedPolicy, View, choice

Cell = tuple[int, int]


@lru_cache(maxsize=None)
def _layouts(size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All non-overlapping layouts: per-ship bit masks (3, N), their union (N,), occupancy (N, size*size)."""
    masks = []
    for _, length in SHIPS:
        masks.append(np.array([sum(1 << (r * size + c) for r, c in p) for p in placements(size, length)], np.int64))
    grids = np.meshgrid(*masks, indexing="ij")
    a, b, d = (g.ravel() for g in grids)
    keep = ((a & b) == 0) & ((a & d) == 0) & ((b & d) == 0)
    ships = np.ascontiguousarray(np.stack([a[keep], b[keep], d[keep]]))
    union = ships[0] | ships[1] | ships[2]
    occupancy = ((union[:, None] >> np.arange(size * size, dtype=np.int64)) & 1).astype(np.float32)
    return ships, union, occupancy


class _State:
    """What the agent knows: board size and its legal shots in order."""

    def __init__(self, view: View) -> None:
        self.size = parse_size(view.instruction)
        self.shots: list[tuple[Cell, str, str | None]] = []
        for observation in view.observations:
            shot = parse_shot(observation)
            if shot is not None:
                self.shots.append(shot)
        self.fired = {cell for cell, _, _ in self.shots}
        self.sunk = [ship for _, result, ship in self.shots if result == "sunk"]

    def unfired(self) -> list[Cell]:
        n = self.size
        return [(r, c) for r in range(n) for c in range(n) if (r, c) not in self.fired]

    def neighbours(self, cell: Cell) -> list[Cell]:
        r, c = cell
        out = [(r + dr, c + dc) for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1))]
        return [(y, x) for y, x in out if 0 <= y < self.size and 0 <= x < self.size]

    def bit(self, cell: Cell) -> int:
        return 1 << (cell[0] * self.size + cell[1])


class BattleshipPolicy(ScriptedPolicy):
    game = "battleship"

    # ----------------------------------------------------------------------------- random
    def random(self, view: View) -> tuple[str, str]:
        state = _State(view)
        cell = choice(self.rng, state.unfired())
        return f"I fire at {cell_name(*cell)}, a random cell I have not tried yet.", cell_name(*cell)

    # ----------------------------------------------------------------------------- heuristic
    def heuristic(self, view: View) -> tuple[str, str]:
        state = _State(view)
        open_hits: list[Cell] = []
        for cell, result, _ in state.shots:
            if result == "sunk":
                open_hits = []
            elif result == "hit":
                open_hits.append(cell)
        for hit in reversed(open_hits):  # chase the most recent hit first
            targets = [n for n in state.neighbours(hit) if n not in state.fired]
            if targets:
                cell = choice(self.rng, targets)
                return (f"I hit {cell_name(*hit)} and that ship is not sunk yet, so I try its neighbour "
                        f"{cell_name(*cell)}."), cell_name(*cell)
        unfired = state.unfired()
        parity = [(r, c) for r, c in unfired if (r + c) % 2 == 0]
        if parity:
            cell = choice(self.rng, parity)
            return (f"No wounded ship to chase; {cell_name(*cell)} keeps my checkerboard pattern, since every "
                    f"ship is at least 2 long."), cell_name(*cell)
        cell = choice(self.rng, unfired)
        return f"No wounded ship to chase, so I try {cell_name(*cell)}.", cell_name(*cell)

    # ----------------------------------------------------------------------------- expert
    def expert(self, view: View) -> tuple[str, str]:
        state = _State(view)
        ships, union, occupancy = _layouts(state.size)
        miss = hit = 0
        sunk_at: dict[str, tuple[int, int]] = {}
        for cell, result, ship in state.shots:
            if result == "miss":
                miss |= state.bit(cell)
            else:
                hit |= state.bit(cell)
                if result == "sunk" and ship is not None:
                    sunk_at[ship] = (state.bit(cell), hit)
        idx = np.flatnonzero(((union & miss) == 0) & ((union & hit) == hit))
        for s, (name, _) in enumerate(SHIPS):
            mask = ships[s, idx]
            if name in sunk_at:
                cell_bit, hits_then = sunk_at[name]
                idx = idx[((mask & cell_bit) != 0) & ((mask & ~np.int64(hits_then)) == 0)]
            else:
                idx = idx[(mask & ~np.int64(hit)) != 0]
        total = len(idx)
        if total == 0:  # the transcript contradicts the rules (cannot happen with this env): play the novice
            return self.heuristic(view)
        counts = occupancy[idx].sum(axis=0)
        unfired = state.unfired()
        scores = np.array([counts[r * state.size + c] for r, c in unfired])
        top = scores.max()
        best = [cell for cell, s in zip(unfired, scores) if s >= top - 0.5]
        cell = choice(self.rng, best)
        prob = float(top) / total
        name = cell_name(*cell)

        # Hits that may still belong to a ship afloat: not in a sunk ship in every remaining layout.
        sunk_cols = [s for s, (n, _) in enumerate(SHIPS) if n in sunk_at]
        surely_sunk = 0
        if sunk_cols:
            sunk_union = np.bitwise_or.reduce(ships[sunk_cols][:, idx], axis=0)
            surely_sunk = int(np.bitwise_and.reduce(sunk_union))
        open_hits = [c for c, result, _ in state.shots if result != "miss" and not surely_sunk & state.bit(c)]
        next_to = [h for h in open_hits if h in state.neighbours(cell)]
        afloat = [n for n, _ in SHIPS if n not in sunk_at]
        if prob > 1 - 1e-6:
            thought = f"Every layout that fits my shots so far puts a ship on {name}, so it is a sure hit."
        elif next_to:
            thought = (f"{name} is next to my hit on {cell_name(*next_to[0])}; {prob:.0%} of the {total} layouts "
                       f"that fit the shots put a ship there.")
        else:
            fleet = f"{', '.join(afloat[:-1])} and {afloat[-1]}" if len(afloat) > 1 else afloat[0]
            thought = (f"Hunting the {fleet}: {name} is covered by the most placements that fit the board "
                       f"({prob:.0%} chance of a hit).")
        return thought, name
