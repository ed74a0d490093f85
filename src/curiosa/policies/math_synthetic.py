"""Scripted solvers of the generated math problems, and the two-attempt transcripts of the bootstrap.

The embedded base model has to start where the SCoRe paper's base model starts: its second attempts
mostly repeat the first, sometimes fix a wrong one and sometimes break a right one. The "student"
here produces exactly such transcripts, at configurable rates:

* attempt 1 is right with probability ``accuracy[level]`` (by default falling from 0.85 at level 1
  to 0.3 at level 5); a wrong attempt is the right method with one realistic slip in one step
  (the error carried through the later steps);
* attempt 2, after a wrong attempt 1, fixes it with probability ``fix_rate`` (naming the wrong
  step) and otherwise copies it; after a right attempt 1, it breaks it with probability
  ``break_rate`` (redoing the work with a new slip) and otherwise copies it.

Kinds:

* expert: always right, and keeps its answer in attempt 2.
* heuristic: the student above (the default mixture of the bootstrap source).
* noisy: the student with attempt-1 accuracy ``1 - epsilon`` at every level.
* random: a guess taken from the numbers of the problem, kept or replaced by another guess.

Every solver reads the problem from the instruction text (never from task params), through
:func:`curiosa.envs.math_synthetic.solve`, and writes its work one step per line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterator, Mapping, Sequence

import numpy as np

from curiosa.envs.math_answers import AnswerError, format_number, parse_answer
from curiosa.envs.math_synthetic import Work, family_of, level_of, problem_of, solve, target_variable
from curiosa.envs.text import format_reply
from curiosa.policies.base import Message, ScriptedPolicy, View

GAME = "math_synthetic"

DEFAULT_ACCURACY: dict[int, float] = {1: 0.85, 2: 0.7, 3: 0.55, 4: 0.4, 5: 0.3}
"""The student's chance that attempt 1 is right, per level."""
DEFAULT_FIX_RATE = 0.15
DEFAULT_BREAK_RATE = 0.15
"""With these defaults the student's attempt 2 is slightly worse than its attempt 1 on average (as the
base models of the SCoRe paper are): fixes are rarer than breaks once most first attempts are right."""

_HEADERS = {
    "arithmetic": "Multiply and divide before adding and subtracting; brackets first.",
    "linear": "Get x alone: simplify each side, collect the x terms and the numbers, then divide.",
    "system": "Two equations, two unknowns: eliminate with determinants.",
    "percent": "A percent is a number of hundredths, so p% of n is n * p / 100.",
    "word": "Turn the story into arithmetic, one step at a time.",
}
_COPY = ("I went through every step again and found no mistake.",
         "Checking each step once more, the work holds.",
         "I re-read the question and re-did each step: same result.")
_BREAK = ("Let me redo the calculation from the start to be sure.",
          "On a second look I recompute every step.")


def _rate(name: str, value: float) -> float:
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a probability in [0, 1], got {value}")
    return value


@dataclass
class Solution:
    """One written attempt."""

    lines: list[str]
    answer: Fraction
    slipped: str | None = None


class MathSyntheticPolicy(ScriptedPolicy):
    """Scripted players of math_synthetic; see the module docstring for the kinds and rates."""

    game = GAME

    def __init__(self, kind: str = "expert", seed: int = 0, epsilon: float = 0.3, repeat: float = 0.0, *,
                 accuracy: float | Mapping[int, float] | None = None,
                 fix_rate: float = DEFAULT_FIX_RATE, break_rate: float = DEFAULT_BREAK_RATE) -> None:
        # repeat is accepted like every policy's but has no effect: this noisy kind is a student, not slips
        super().__init__(kind=kind, seed=seed, epsilon=epsilon, repeat=repeat)
        if accuracy is None:
            table = dict(DEFAULT_ACCURACY)
        elif isinstance(accuracy, Mapping):
            table = {int(k): _rate(f"accuracy[{k}]", v) for k, v in accuracy.items()}
        else:
            table = {level: _rate("accuracy", accuracy) for level in DEFAULT_ACCURACY}
        if kind == "noisy":
            table = {level: 1.0 - self.epsilon for level in DEFAULT_ACCURACY}
        elif kind == "expert":
            table = {level: 1.0 for level in DEFAULT_ACCURACY}
        self.accuracy = table
        self.fix_rate = 0.0 if kind == "expert" else _rate("fix_rate", fix_rate)
        self.break_rate = 0.0 if kind == "expert" else _rate("break_rate", break_rate)

    def act(self, messages: Sequence[Message]) -> str:
        """The reply to the conversation so far (all kinds are handled here, noisy included)."""
        view = View.from_messages(messages)
        thought, answer = self.random(view) if self.kind == "random" else self.student(view)
        return format_reply(thought, answer)

    # ------------------------------------------------------------------ kinds
    def expert(self, view: View) -> tuple[str, str]:
        problem = problem_of(view.instruction) or ""
        solution = self._solve(problem, None)
        if solution is None:
            return "I cannot read this problem, so I give a placeholder.", "0"
        return self._write(_HEADERS.get(family_of(problem) or "", "Step by step."), solution)

    def heuristic(self, view: View) -> tuple[str, str]:
        return self.student(view)

    def student(self, view: View) -> tuple[str, str]:
        """Attempt 1 right with the level's accuracy; attempt 2 copies, fixes or breaks at the set rates."""
        problem = problem_of(view.instruction) or ""
        correct = self._solve(problem, None)
        if correct is None:
            return "I cannot read this problem, so I give a placeholder.", "0"
        header = _HEADERS.get(family_of(problem) or "", "Step by step.")
        level = level_of(view.instruction) or 3
        previous = self._previous(view, problem)
        if previous is None:  # first attempt (or the first one was unreadable)
            if self.rng.random() < self.accuracy.get(level, 0.5):
                return self._write(header, correct)
            return self._write(header, self._slipped(problem, correct))
        lines, answer = previous
        if answer == correct.answer:
            if self.rng.random() < self.break_rate:
                return self._write(_pick(self.rng, _BREAK), self._slipped(problem, correct))
            return self._write(_pick(self.rng, _COPY), Solution(lines, answer))
        if self.rng.random() < self.fix_rate:
            wrong = next((line for line in lines if line not in correct.lines), None)
            intro = f"I find a mistake: '{wrong}' is wrong. Corrected work:" if wrong else \
                "I find a mistake in my work. Corrected work:"
            return self._write(intro, correct)
        return self._write(_pick(self.rng, _COPY), Solution(lines, answer))

    def random(self, view: View) -> tuple[str, str]:
        problem = problem_of(view.instruction) or ""
        previous = self._previous(view, problem)
        if previous is not None and self.rng.random() < 0.5:
            return "I keep my guess.", format_number(previous[1])
        numbers = [int(n) for n in re.findall(r"\d+", problem)] or [0]
        base = numbers[int(self.rng.integers(len(numbers)))]
        guess = base + int(self.rng.integers(-10, 11))
        return f"I guess a number near {base} without working it out.", str(guess)

    # ------------------------------------------------------------------ helpers
    def _solve(self, problem: str, slip: int | None) -> Solution | None:
        work = Work(slip=slip, rng=self.rng)
        try:
            answer = solve(problem, work)
        except (ValueError, ArithmeticError):
            return None
        return Solution(work.lines, answer, work.slipped)

    def _slipped(self, problem: str, correct: Solution) -> Solution:
        """The method with one slip somewhere (the right solution when no slip changes the answer)."""
        steps = Work()
        solve(problem, steps)
        for slip in self.rng.permutation(steps.count)[:6]:
            attempt = self._solve(problem, int(slip))
            if attempt is not None and attempt.answer != correct.answer:
                return attempt
        return correct

    def _previous(self, view: View, problem: str) -> tuple[list[str], Fraction] | None:
        """The work lines and answer of the agent's last readable reply."""
        if not view.replies:
            return None
        reply = view.replies[-1]
        answer_text = view.answers[-1]
        if answer_text is None:
            return None
        try:
            answer = parse_answer(answer_text, target_variable(problem))
        except (AnswerError, ArithmeticError):
            return None
        body = reply.split("\n")
        lines = [line for line in body[1:] if line and not line.lower().startswith("answer")]
        return lines, answer

    def _write(self, header: str, solution: Solution) -> tuple[str, str]:
        lines = [header, *solution.lines] if solution.lines else [header]
        return "\n".join(lines), format_number(solution.answer)


def _pick(rng: np.random.Generator, options: Sequence[str]) -> str:
    return options[int(rng.integers(len(options)))]


# --------------------------------------------------------------------------------------------- data source
@dataclass
class SelfCorrectionSource:
    """Two-attempt math transcripts for the warm start's imitation mixture, played on the train split.

    Each episode is played by a policy of a kind drawn from ``kinds`` (default: the student only),
    with the student's rates given here.
    """

    kinds: dict[str, float] = field(default_factory=lambda: {"heuristic": 1.0})
    accuracy: dict[int, float] = field(default_factory=lambda: dict(DEFAULT_ACCURACY))
    fix_rate: float = DEFAULT_FIX_RATE
    break_rate: float = DEFAULT_BREAK_RATE
    split: str = "train"

    def __call__(self, seed: int, n: int) -> Iterator[list[dict[str, str]]]:
        from curiosa import envs
        from curiosa.policies.runner import run_episode

        names = list(self.kinds)
        probs = np.array([self.kinds[k] for k in names], dtype=float)
        if not names or (probs < 0).any() or probs.sum() <= 0:
            raise ValueError(f"kinds needs non-negative weights with a positive sum, got {self.kinds}")
        probs /= probs.sum()
        rng = np.random.default_rng(seed)
        tasks = envs.load_tasks(GAME, self.split)
        env = envs.make(GAME, split=self.split)
        order = rng.permutation(len(tasks))
        for i in range(n):
            kind = names[int(rng.choice(len(names), p=probs))]
            episode_seed = int(rng.integers(2**31 - 1))
            policy = MathSyntheticPolicy(kind, seed=episode_seed, accuracy=self.accuracy, fix_rate=self.fix_rate,
                                         break_rate=self.break_rate)
            yield run_episode(env, policy, seed=episode_seed, task=tasks[int(order[i % len(tasks)])]).messages


def self_correction_math(seed: int, n: int) -> Iterator[list[dict[str, str]]]:
    """The ``self_correction_math`` data source of the warm start: the student's two-attempt transcripts
    (default rates)."""
    return SelfCorrectionSource()(seed, n)

