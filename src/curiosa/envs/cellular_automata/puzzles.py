"""Drawing cellular-automaton puzzles that are neither trivial nor under-determined."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from curiosa.envs.cellular_automata.rules import constraints, rule_bits, step

MIN_EXAMPLES, MAX_EXAMPLES = 2, 4
MIN_WIDTH, MAX_WIDTH = 8, 12


def make_puzzle(rng: np.random.Generator) -> dict[str, Any] | None:
    """Task params ``{"rule", "inputs", "outputs"}``, or None when the draw makes a poor puzzle."""
    rule = int(rng.integers(1, 255))
    bits = rule_bits(rule)
    width = int(rng.integers(MIN_WIDTH, MAX_WIDTH + 1))
    n_examples = int(rng.integers(MIN_EXAMPLES, MAX_EXAMPLES + 1))
    inputs: list[str] = []
    while len(inputs) < n_examples:
        density = float(rng.uniform(0.2, 0.8))
        row = "".join("1" if rng.random() < density else "0" for _ in range(width))
        if row in inputs or len(set(row)) < 2:  # varied rows: no repeats, no constant row
            continue
        inputs.append(row)
    outputs = [step(row, bits) for row in inputs]
    cells = "".join(outputs)
    if len(set(cells)) < 2:  # every output cell the same: trivial
        return None
    if len(constraints(inputs, outputs)) < 5:  # too few neighbourhoods shown to be a puzzle
        return None
    if all(out == row for row, out in zip(inputs, outputs)):  # identity on every example: trivial
        return None
    return {"rule": rule, "inputs": inputs, "outputs": outputs}


def example_rule(inputs: Sequence[str], outputs: Sequence[str]) -> list[int]:
    """A table for the syntax example in the instruction that does not solve the puzzle."""
    for rule in (110, 30, 90, 184, 54):
        bits = rule_bits(rule)
        if any(step(r, bits) != o for r, o in zip(inputs, outputs)):
            return bits
    return rule_bits(150)  # unreachable: the five rules above agree only on 000 and tasks show 5+ neighbourhoods
