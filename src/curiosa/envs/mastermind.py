"""Mastermind with digits: find a secret 4-digit code (0-9, repeats allowed) in twelve guesses.

Each guess is answered with the number of exact matches (right digit, right place) and partial
matches (right digit, wrong place), each digit of the code counted at most once.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import ClassVar

import numpy as np

from curiosa.envs.base import FormatError, Outcome, TextGameEnv
from curiosa.envs.task import Task, make_tasks, split_pool, stable_rng
from curiosa.envs.text import REPLY_FORMAT, quote

CODE_LENGTH = 4
N_DIGITS = 10
POOL_SIZE = 1500
N_TRAIN, N_TEST = 1000, 500

_SEPARATORS = re.compile(r"[\s,;:/|.\-_+()\[\]{}<>\"'`*]+")
_DIGITS = re.compile(r"[0-9]+")


def score(guess: str, code: str) -> tuple[int, int]:
    """(exact, partial) of ``guess`` against ``code`` (equal-length digit strings)."""
    exact = sum(g == c for g, c in zip(guess, code))
    common = sum(min(guess.count(d), code.count(d)) for d in set(guess))
    return exact, common - exact


@lru_cache(maxsize=1)
def all_codes() -> np.ndarray:
    """Every code as a read-only ``(10000, 4)`` int8 array, in numeric order."""
    n = np.arange(N_DIGITS**CODE_LENGTH)
    codes = np.stack([(n // N_DIGITS ** (CODE_LENGTH - 1 - i)) % N_DIGITS for i in range(CODE_LENGTH)], axis=1)
    codes = codes.astype(np.int8)
    codes.setflags(write=False)
    return codes


@lru_cache(maxsize=1)
def all_digit_counts() -> np.ndarray:
    """How often each digit occurs in each code, ``(10000, 10)`` int8."""
    codes = all_codes()
    counts = np.stack([(codes == d).sum(axis=1) for d in range(N_DIGITS)], axis=1).astype(np.int8)
    counts.setflags(write=False)
    return counts


def code_to_array(code: str) -> np.ndarray:
    return np.array([int(c) for c in code], dtype=np.int8)


def feedback_matrix(guesses: np.ndarray, secrets: np.ndarray) -> np.ndarray:
    """``exact * 5 + partial`` of every guess (rows) against every secret (columns).

    Both arguments are index arrays into :func:`all_codes`; the result has shape (m, n), values < 25.
    """
    codes, counts = all_codes(), all_digit_counts()
    exact = (codes[guesses][:, None, :] == codes[secrets][None, :, :]).sum(axis=2)
    common = np.minimum(counts[guesses][:, None, :], counts[secrets][None, :, :]).sum(axis=2)
    return (exact * 5 + (common - exact)).astype(np.int8)


# --------------------------------------------------------------------------- observation text
_FEEDBACK_LINE = re.compile(r"^(?P<guess>[0-9]{4}): (?P<exact>[0-4]) exact, (?P<partial>[0-4]) partial$", re.MULTILINE)


def feedback_line(guess: str, exact: int, partial: int) -> str:
    """``1234: 1 exact, 2 partial``."""
    return f"{guess}: {exact} exact, {partial} partial"


def parse_feedback(observation: str) -> tuple[str, int, int] | None:
    """(guess, exact, partial) of the feedback line in an observation, or None."""
    m = _FEEDBACK_LINE.search(observation)
    if m is None:
        return None
    return m.group("guess"), int(m.group("exact")), int(m.group("partial"))


def _turns_left(n: int) -> str:
    return f"{n} turn left." if n == 1 else f"{n} turns left."


# --------------------------------------------------------------------------- environment
class MastermindEnv(TextGameEnv):
    """Crack a 4-digit code from exact / partial match counts."""

    group: ClassVar[str] = "mastermind"
    max_turns: ClassVar[int] = 12

    @classmethod
    def build_tasks(cls, split: str) -> list[Task]:
        chosen = np.sort(stable_rng(cls.group, "pool").choice(N_DIGITS**CODE_LENGTH, size=POOL_SIZE, replace=False))
        pool = [f"{int(i):04d}" for i in chosen]
        parts = split_pool(cls.group, pool, N_TRAIN, N_TEST)
        return make_tasks(cls.group, split, [{"code": c} for c in parts[split]])

    def _start(self) -> str:
        assert self.task is not None
        self.code = str(self.task.params["code"])
        return (
            "Let's play Mastermind. I have picked a secret code of 4 digits, each from 0 to 9; "
            f"digits may repeat. You have {self.max_turns} guesses to find it.\n"
            "After each guess I report: exact = digits that are right and in the right place; "
            "partial = digits that are in the code but in a different place (each digit of the code "
            "counts at most once). Example: if the code is 1123, the guess 3111 gets 1 exact, 2 partial.\n"
            "Feedback looks like: 3111: 1 exact, 2 partial\n"
            "Give one 4-digit guess per turn, e.g. 'Answer: 0123'.\n" + REPLY_FORMAT
        )

    def _parse(self, answer: str) -> str:
        text = _SEPARATORS.sub("", answer)
        if not text or not _DIGITS.fullmatch(text):
            raise FormatError(
                f"{quote(answer)} is not a code. Answer with 4 digits from 0 to 9 and nothing else, "
                "e.g. 'Answer: 0123'."
            )
        return text

    def _play(self, move: str) -> Outcome:
        left = self.max_turns - self.turn
        if len(move) != CODE_LENGTH:
            error = f"{quote(move)} has {len(move)} digits; a code has exactly {CODE_LENGTH} digits."
            return Outcome(f"{error} {_turns_left(left)}", feedback={"guess": move[:60], "error": error}, invalid=True)
        exact, partial = score(move, self.code)
        line = feedback_line(move, exact, partial)
        feedback = {"guess": move, "exact": exact, "partial": partial}
        if exact == CODE_LENGTH:
            turns = "1 guess" if self.turn == 1 else f"{self.turn} guesses"
            return Outcome(f"{line}\nYou cracked the code {move} in {turns}!", feedback=feedback,
                           done=True, success=True)
        tail = f"\n{_turns_left(left)}" if left > 0 else ""
        return Outcome(line + tail, feedback=feedback)

    def _reveal(self) -> str:
        return f"The code was {self.code}."
