"""Reading cellular-automaton text: the agent's rule table, and the examples and checks a policy sees."""

from __future__ import annotations

import re
from typing import Any

from curiosa.envs.base import FormatError
from curiosa.envs.cellular_automata.rules import NEIGHBOURHOODS

# "111:0", "110 -> 1", "101=1", "100 => 0"
_PAIR = re.compile(r"(?<![01])([01]{3})\s*(?:->|=>|:|=|>)\s*([01])(?![01])")
_BITS = re.compile(
    r"^(?:(?:the\s+)?(?:rule|table|rule\s+table)\s*[:=]?\s*)?"  # optional "rule:" prefix
    r"[\[(]?\s*([01](?:[\s,;|/]*[01])*)\s*[\])]?$",  # bits, optionally separated and bracketed
    re.IGNORECASE)
_EXAMPLE_LINE = re.compile(r"^\s*(\d+):\s*([01]+)\s*->\s*([01]+)\s*$", re.MULTILINE)
_CHECK_BLOCK = re.compile(
    r"^Example (\d+): (?:correct|wrong at \d+ cells?)\.\n\s+input\s+([01]+)\n\s+expected\s+([01]+)\n\s+got\s+([01]+)",
    re.MULTILINE)
_RULE_LINE = re.compile(r"^Rule ([01]{8}) \(", re.MULTILINE)


def parse_examples(instruction: str) -> list[tuple[str, str]]:
    """The (input, output) rows listed in an instruction."""
    return [(m.group(2), m.group(3)) for m in _EXAMPLE_LINE.finditer(instruction)]


def parse_check(observation: str) -> dict[str, Any] | None:
    """Read back the result of a guess: ``{"rule": str, "examples": {index: (input, expected, got)}}``.

    Returns None when the observation is not the result of a readable guess.
    """
    rule = _RULE_LINE.search(observation)
    if rule is None:
        return None
    examples = {int(m.group(1)): (m.group(2), m.group(3), m.group(4)) for m in _CHECK_BLOCK.finditer(observation)}
    return {"rule": rule.group(1), "examples": examples}


def parse_table(answer: str) -> list[int] | str:
    """8 bits, or an explanation (str) when the answer is a readable but wrong-size table.

    Raises FormatError when the answer is no rule table at all.
    """
    text = answer.strip().strip("\"'`").strip()
    pairs = _PAIR.findall(text)
    if pairs:
        table: dict[str, int] = {}
        for nb, value in pairs:
            if nb in table and table[nb] != int(value):
                return f"your table gives neighbourhood {nb} two different values"
            table[nb] = int(value)
        missing = [nb for nb in NEIGHBOURHOODS if nb not in table]
        if missing:
            return (f"your table has no value for neighbourhood{'s' if len(missing) > 1 else ''} "
                    f"{' '.join(missing)}; all 8 (111 110 101 100 011 010 001 000) are needed")
        return [table[nb] for nb in NEIGHBOURHOODS]
    m = _BITS.match(text)
    if m is None:
        raise FormatError("expected the rule table as 8 bits for the neighbourhoods 111 110 101 100 011 010 001 000, "
                          "e.g. 'Answer: 01101110', or as pairs such as '111:0 110:1 ... 000:0'")
    digits = [int(c) for c in m.group(1) if c in "01"]
    if len(digits) != 8:
        return (f"your table has {len(digits)} bit{'s' if len(digits) != 1 else ''}; exactly 8 are needed, "
                f"one per neighbourhood in the order 111 110 101 100 011 010 001 000")
    return digits
