"""Elementary cellular automaton mechanics: rule tables, wrap-around steps, constraints."""

from __future__ import annotations

from curiosa.envs.cellular_automata.rules import bits_rule, constraints, rule_bits, step


def test_rule_bits_order_is_wolfram_binary():
    assert rule_bits(110) == [0, 1, 1, 0, 1, 1, 1, 0]
    assert rule_bits(30) == [0, 0, 0, 1, 1, 1, 1, 0]
    assert all(bits_rule(rule_bits(r)) == r for r in range(256))


def test_step_wraps_around():
    # rule 170 copies the right neighbour: a left shift with wrap-around
    assert step("10000000", rule_bits(170)) == "00000001"
    # rule 240 copies the left neighbour: a right shift with wrap-around
    assert step("00000001", rule_bits(240)) == "10000000"
    # rule 90 (xor of neighbours); cell 0 sees the last cell as its left neighbour
    assert step("00000001", rule_bits(90)) == "10000010"
    # rule 30 on a single cell
    assert step("00010000", rule_bits(30)) == "00111000"


def test_constraints_collect_neighbourhoods():
    seen = constraints(["0010"], ["0111"])
    assert seen == {"000": 0, "001": 1, "010": 1, "100": 1}
