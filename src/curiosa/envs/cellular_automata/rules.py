"""Elementary cellular automata: rule tables, one wrap-around step, and what examples constrain.

A rule is a table of 8 bits, one per neighbourhood, listed in the order 111 110 101 100 011 010 001 000,
so the bit string is the rule's Wolfram number written in binary (``01101110`` is rule 110).
"""

from __future__ import annotations

from typing import Sequence

NEIGHBOURHOODS = ("111", "110", "101", "100", "011", "010", "001", "000")
"""The order of the 8 entries of a rule table (entry k is for neighbourhood value 7 - k)."""


def rule_bits(rule: int) -> list[int]:
    """The 8 table entries of a rule number, in NEIGHBOURHOODS order."""
    return [(rule >> (7 - k)) & 1 for k in range(8)]


def bits_rule(bits: Sequence[int]) -> int:
    """The rule number of a table given in NEIGHBOURHOODS order."""
    value = 0
    for b in bits:
        value = value * 2 + int(b)
    return value


def table_text(bits: Sequence[int]) -> str:
    return "".join(str(int(b)) for b in bits)


def mapping_text(bits: Sequence[int]) -> str:
    return " ".join(f"{n}:{int(b)}" for n, b in zip(NEIGHBOURHOODS, bits))


def neighbourhood(row: str, i: int) -> str:
    """The 3-cell neighbourhood of cell ``i`` with wrap-around."""
    n = len(row)
    return row[(i - 1) % n] + row[i] + row[(i + 1) % n]


def step(row: str, bits: Sequence[int]) -> str:
    """One step of the automaton whose table (NEIGHBOURHOODS order) is ``bits``."""
    return "".join(str(int(bits[7 - int(neighbourhood(row, i), 2)])) for i in range(len(row)))


def constraints(inputs: Sequence[str], outputs: Sequence[str]) -> dict[str, int | None]:
    """Neighbourhood -> required new value from the examples; None when examples disagree."""
    seen: dict[str, int | None] = {}
    for row, out in zip(inputs, outputs):
        for i in range(len(row)):
            nb, value = neighbourhood(row, i), int(out[i])
            if nb in seen and seen[nb] != value:
                seen[nb] = None
            else:
                seen.setdefault(nb, value)
    return seen
