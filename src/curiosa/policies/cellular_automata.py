"""Scripted players of cellular_automata.

* expert: reads every example's neighbourhood -> new value pairs and answers the full table on turn 1
  (neighbourhoods the examples never show get 0).
* heuristic: a novice who reads only the first example, sometimes forgets the wrap-around at the
  row's ends, guesses that unseen neighbourhoods keep their centre cell, and then repairs one entry
  per turn from the first mismatch shown in the feedback (reading its neighbourhood just as carelessly).
* random: random 8-bit tables.
"""

from __future__ import annotations

from typing import ClassVar

from curiosa.envs.cellular_automata import (
    NEIGHBOURHOODS, constraints, mapping_text, neighbourhood, parse_check, parse_examples, table_text,
)
from curiosa.policies.base import ScriptedPolicy, View, choice

_INDEX = {nb: k for k, nb in enumerate(NEIGHBOURHOODS)}


class CellularAutomataPolicy(ScriptedPolicy):
    game: ClassVar[str] = "cellular_automata"

    forget_wrap = 0.8
    """Heuristic: chance of reading an end cell's neighbourhood without wrapping (outside taken as 0)."""
    slip = 0.1
    """Heuristic: chance of misreading a new value on the first attempt."""
    fixes_per_turn = 1
    """Heuristic: how many mismatched cells it repairs per attempt."""

    # ------------------------------------------------------------------ kinds
    def random(self, view: View) -> tuple[str, str]:
        bits = [int(b) for b in self.rng.integers(0, 2, size=8)]
        thought = choice(self.rng, [
            "I cannot see a pattern yet, so I try an arbitrary rule table.",
            "Trying a random table to see how close it gets.",
            "Guessing a table at random.",
            "Let me just try some rule and look at the mismatches.",
        ])
        answer = mapping_text(bits) if self.rng.random() < 0.1 else table_text(bits)
        return thought, answer

    def expert(self, view: View) -> tuple[str, str]:
        examples = parse_examples(view.instruction)
        seen = constraints([a for a, _ in examples], [b for _, b in examples])
        bits = [seen.get(nb) or 0 for nb in NEIGHBOURHOODS]
        unseen = [nb for nb in NEIGHBOURHOODS if nb not in seen]
        n = len(examples)
        read = " ".join(f"{nb}:{seen[nb] if nb in seen else '?'}" for nb in NEIGHBOURHOODS)
        thought = f"Reading every cell of the {n} examples: {read}"
        if not unseen:
            thought += "; all 8 neighbourhoods are fixed."
        elif len(unseen) == 1:
            thought += f"; {unseen[0]} never occurs, so I set it to 0."
        else:
            thought += f"; {' and '.join(unseen)} never occur, so I set them to 0."
        if view.replies:
            thought = "Recheck: " + thought
        return thought, table_text(bits)

    def heuristic(self, view: View) -> tuple[str, str]:
        examples = parse_examples(view.instruction)
        check = None
        for obs in reversed(view.observations):
            check = parse_check(obs)
            if check is not None:
                break
        if check is None:
            return self._first_read(examples)
        return self._repair(check)

    # ------------------------------------------------------------------ heuristic helpers
    def _read(self, row: str, i: int) -> str:
        """The neighbourhood of cell i as a novice reads it (may forget the wrap-around at the ends)."""
        nb = neighbourhood(row, i)
        if i in (0, len(row) - 1) and self.rng.random() < self.forget_wrap:
            nb = ("0" + nb[1:]) if i == 0 else (nb[:2] + "0")
        return nb

    def _first_read(self, examples: list[tuple[str, str]]) -> tuple[str, str]:
        row, out = examples[0]
        table: dict[str, int] = {}
        for i in range(len(row)):
            nb = self._read(row, i)
            if nb not in table:
                value = int(out[i])
                table[nb] = 1 - value if self.rng.random() < self.slip else value
        unseen = [nb for nb in NEIGHBOURHOODS if nb not in table]
        bits = [table.get(nb, int(nb[1])) for nb in NEIGHBOURHOODS]
        if unseen:
            thought = (f"Example 1 shows {8 - len(unseen)} neighbourhoods; for the others "
                       f"({' '.join(unseen)}) I guess the centre cell stays the same.")
        else:
            thought = "Example 1 alone shows all 8 neighbourhoods, so I read the table from it."
        return thought, table_text(bits)

    def _repair(self, check: dict) -> tuple[str, str]:
        bits = [int(c) for c in check["rule"]]
        fixes: list[tuple[int, int, str, int]] = []  # (example, cell, neighbourhood, value)
        for index in sorted(check["examples"]):
            row, want, have = check["examples"][index]
            for i in range(min(len(row), len(want), len(have))):
                if want[i] != have[i] and len(fixes) < self.fixes_per_turn:
                    fixes.append((index, i + 1, self._read(row, i), int(want[i])))
        if not fixes:  # nothing to repair (should not happen after a loss): try flipping a random entry
            k = int(self.rng.integers(8))
            bits[k] = 1 - bits[k]
            return f"I see no mismatch to fix, so I change the entry for {NEIGHBOURHOODS[k]}.", table_text(bits)
        for _, _, nb, value in fixes:
            bits[_INDEX[nb]] = value
        ex, cell, nb, value = fixes[0]
        thought = f"Example {ex} is wrong at cell {cell}, whose neighbourhood {nb} should give {value}"
        if len(fixes) > 1:
            ex2, cell2, nb2, value2 = fixes[1]
            thought += f"; cell {cell2} of example {ex2} needs {nb2} -> {value2}"
        return thought + ".", table_text(bits)
