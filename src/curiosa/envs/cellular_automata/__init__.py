"""Cellular automata: infer the rule table of a hidden elementary cellular automaton.

``rules`` steps an automaton and reads constraints off examples, ``parsing`` reads tables, examples
and checks from text, ``puzzles`` draws the task instances, ``env`` is the game.
"""

from curiosa.envs.cellular_automata.env import N_TEST, N_TRAIN, CellularAutomataEnv
from curiosa.envs.cellular_automata.parsing import parse_check, parse_examples, parse_table
from curiosa.envs.cellular_automata.puzzles import (
    MAX_EXAMPLES, MAX_WIDTH, MIN_EXAMPLES, MIN_WIDTH, example_rule, make_puzzle,
)
from curiosa.envs.cellular_automata.rules import (
    NEIGHBOURHOODS, bits_rule, constraints, mapping_text, neighbourhood, rule_bits, step, table_text,
)

__all__ = [
    "MAX_EXAMPLES", "MAX_WIDTH", "MIN_EXAMPLES", "MIN_WIDTH", "N_TEST", "N_TRAIN", "NEIGHBOURHOODS",
    "CellularAutomataEnv", "bits_rule", "constraints", "example_rule", "make_puzzle", "mapping_text",
    "neighbourhood", "parse_check", "parse_examples", "parse_table", "rule_bits", "step", "table_text",
]
