"""Mastermind with digits: find a secret 4-digit code (0-9, repeats allowed) in twelve guesses."""

from __future__ import annotations

import re
from typing import ClassVar

import numpy as np

from curiosa.envs.base import FormatError, Outcome, TextGameEnv
from curiosa.envs.mastermind.feedback import feedback_line
from curiosa.envs.mastermind.scoring import CODE_LENGTH, N_DIGITS, score
from curiosa.envs.task import Task, make_tasks, split_pool, stable_rng
from curiosa.envs.text import REPLY_FORMAT, quote

POOL_SIZE = 1500
N_TRAIN, N_TEST = 1000, 500

_SEPARATORS = re.compile(r"[\s,;:/|.\-_+()\[\]{}<>\"'`*]+")
_DIGITS = re.compile(r"[0-9]+")


def _turns_left(n: int) -> str:
    return f"{n} turn left." if n == 1 else f"{n} turns left."


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
