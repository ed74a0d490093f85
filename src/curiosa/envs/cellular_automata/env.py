"""Cellular automata: infer the rule table of a hidden elementary cellular automaton.

The agent sees a few input rows with their outputs after one step and must give a table that
reproduces every example; any consistent table wins, not only the hidden one (neighbourhoods the
examples never show may take any value).

Task params: ``{"rule": int, "inputs": [str], "outputs": [str]}`` (rows as strings of 0/1).
"""

from __future__ import annotations

from typing import ClassVar, Sequence

from curiosa.envs.base import Outcome, TextGameEnv
from curiosa.envs.cellular_automata.parsing import parse_table
from curiosa.envs.cellular_automata.puzzles import example_rule, make_puzzle
from curiosa.envs.cellular_automata.rules import mapping_text, rule_bits, step, table_text
from curiosa.envs.task import Task, distinct_draws, make_tasks, split_pool, stable_rng
from curiosa.envs.text import REPLY_FORMAT, quote

N_TRAIN, N_TEST = 1000, 500


class CellularAutomataEnv(TextGameEnv):
    """Find a rule table of an elementary cellular automaton from input/output examples."""

    group: ClassVar[str] = "cellular_automata"
    max_turns: ClassVar[int] = 6

    @classmethod
    def build_tasks(cls, split: str) -> Sequence[Task]:
        rng = stable_rng(cls.group, "pool")
        pool = distinct_draws(lambda: make_puzzle(rng), N_TRAIN + N_TEST,
                              key=lambda p: (p["rule"], tuple(p["inputs"])))
        parts = split_pool(cls.group, pool, N_TRAIN, N_TEST)
        return make_tasks(cls.group, split, parts[split])

    def _start(self) -> str:
        assert self.task is not None
        self.inputs: list[str] = list(self.task.params["inputs"])
        self.outputs: list[str] = list(self.task.params["outputs"])
        self.rule = int(self.task.params["rule"])
        example = example_rule(self.inputs, self.outputs)
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
        move = parse_table(answer)
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
