"""Cellular automata: infer the rule table of a hidden elementary cellular automaton.

An elementary cellular automaton updates a row of binary cells in one step: every new cell is a
function of its old value and its two neighbours (radius 1), and the row wraps around. The rule is a
table of 8 bits, one per neighbourhood, listed in the order 111 110 101 100 011 010 001 000 (so the
bit string is the rule's Wolfram number written in binary, e.g. ``01101110`` is rule 110).

The agent sees a few input rows with their outputs after one step and must give a table that
reproduces every example; any consistent table wins, not only the hidden one (neighbourhoods the
examples never show may take any value).

Task params: ``{"rule": int, "inputs": [str], "outputs": [str]}`` (rows as strings of 0/1).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Sequence

from curiosa.envs.base import FormatError, Outcome, TextGameEnv
from curiosa.envs.task import Task, distinct_draws, make_tasks, split_pool, stable_rng
from curiosa.envs.text import REPLY_FORMAT, quote

NEIGHBOURHOODS = ("111", "110", "101", "100", "011", "010", "001", "000")
"""The order of the 8 entries of a rule table (entry k is for neighbourhood value 7 - k)."""

N_TRAIN, N_TEST = 1000, 500
MIN_EXAMPLES, MAX_EXAMPLES = 2, 4
MIN_WIDTH, MAX_WIDTH = 8, 12

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


# ----------------------------------------------------------------------------- rule helpers
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


# ----------------------------------------------------------------------------- text helpers
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


def _parse_table(answer: str) -> list[int] | str:
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


# ----------------------------------------------------------------------------- task generation
def _make_instance(rng) -> dict[str, Any] | None:
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


def _pool(size: int) -> list[dict[str, Any]]:
    rng = stable_rng(CellularAutomataEnv.group, "pool")
    return distinct_draws(lambda: _make_instance(rng), size, key=lambda i: (i["rule"], tuple(i["inputs"])))


def _example_rule(inputs: Sequence[str], outputs: Sequence[str]) -> list[int]:
    """A table for the syntax example in the instruction that does not solve the task."""
    for rule in (110, 30, 90, 184, 54):
        bits = rule_bits(rule)
        if any(step(r, bits) != o for r, o in zip(inputs, outputs)):
            return bits
    return rule_bits(150)  # unreachable: the five rules above agree only on 000 and tasks show 5+ neighbourhoods


class CellularAutomataEnv(TextGameEnv):
    """Find a rule table of an elementary cellular automaton from input/output examples."""

    group: ClassVar[str] = "cellular_automata"
    max_turns: ClassVar[int] = 6

    @classmethod
    def build_tasks(cls, split: str) -> Sequence[Task]:
        parts = split_pool(cls.group, _pool(N_TRAIN + N_TEST), N_TRAIN, N_TEST)
        return make_tasks(cls.group, split, parts[split])

    def _start(self) -> str:
        assert self.task is not None
        self.inputs: list[str] = list(self.task.params["inputs"])
        self.outputs: list[str] = list(self.task.params["outputs"])
        self.rule = int(self.task.params["rule"])
        example = _example_rule(self.inputs, self.outputs)
        rows = "\n".join(f"  {i + 1}: {a} -> {b}" for i, (a, b) in enumerate(zip(self.inputs, self.outputs)))
        return (
            "Cellular automaton puzzle. A row of cells (each 0 or 1) changes in one step: every new cell depends "
            "on its old neighbourhood, the 3 cells left, centre and right (e.g. 110 = left 1, centre 1, right 0). "
            "The row wraps around: the first cell's left neighbour is the last cell and the last cell's right "
            "neighbour is the first cell. A hidden rule gives the new value for each of the 8 neighbourhoods.\n"
            f"Examples (input -> output after one step):\n{rows}\n"
            "Give a rule table that reproduces every example: the new values for the neighbourhoods in the order "
            f"111 110 101 100 011 010 001 000, as 8 bits, e.g. 'Answer: {table_text(example)}' "
            f"(meaning {mapping_text(example)}). Pairs in any order are also accepted, e.g. "
            f"'Answer: {mapping_text(example)}'. After each attempt you see what your rule does to the examples. "
            f"You have {self.max_turns} attempts.\n"
            + REPLY_FORMAT
        )

    def _parse(self, answer: str) -> list[int] | str:
        move = _parse_table(answer)
        return f"Invalid table {quote(answer)}: {move}" if isinstance(move, str) else move

    def _attempts_left(self) -> str:
        left = self.max_turns - self.turn
        return f" Attempts left: {left}." if left > 0 else ""

    def _play(self, move: list[int] | str) -> Outcome:
        if isinstance(move, str):
            return Outcome(f"{move}.{self._attempts_left()}", feedback={"error": move}, invalid=True)
        bits = [int(b) for b in move]
        got = [step(row, bits) for row in self.inputs]
        correct = [g == o for g, o in zip(got, self.outputs)]
        lines = [f"Rule {table_text(bits)} ({mapping_text(bits)}):"]
        for i, (row, want, have) in enumerate(zip(self.inputs, self.outputs, got)):
            wrong = sum(a != b for a, b in zip(want, have))
            marks = "".join("^" if a != b else "." for a, b in zip(want, have))
            verdict = "correct." if not wrong else f"wrong at {wrong} cell{'s' if wrong > 1 else ''}."
            lines.append(f"Example {i + 1}: {verdict}")
            lines += [f"  input    {row}", f"  expected {want}", f"  got      {have}"]
            if wrong:
                lines.append(f"  wrong    {marks}")
        feedback = {"rule": bits, "outputs": got, "expected": list(self.outputs), "correct": correct}
        if all(correct):
            lines.append("Your rule reproduces every example. Solved!")
            return Outcome("\n".join(lines), feedback=feedback, done=True, success=True)
        lines.append(f"{sum(correct)} of {len(correct)} examples correct.{self._attempts_left()}")
        return Outcome("\n".join(lines), feedback=feedback)

    def _reveal(self) -> str:
        bits = rule_bits(self.rule)
        return f"A rule that fits every example: {table_text(bits)} ({mapping_text(bits)})."


__all__ = ["CellularAutomataEnv", "NEIGHBOURHOODS", "bits_rule", "constraints", "mapping_text", "neighbourhood",
           "parse_check", "parse_examples", "rule_bits", "step", "table_text"]
