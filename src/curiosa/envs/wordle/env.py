"""Wordle: find a secret five-letter word in six guesses from green / yellow / grey letter feedback."""

from __future__ import annotations

import re
from typing import ClassVar

from curiosa.envs.base import FormatError, Outcome, TextGameEnv
from curiosa.envs.task import Task, make_tasks, split_pool
from curiosa.envs.text import REPLY_FORMAT, quote
from curiosa.envs.wordle.feedback import feedback_line
from curiosa.envs.wordle.scoring import score
from curiosa.envs.wordle.words import WORD_LENGTH, answer_list, vocabulary

N_TRAIN, N_TEST = 1515, 800

_LETTERS = re.compile(r"[a-z]+")


def _turns_left(n: int) -> str:
    return f"{n} turn left." if n == 1 else f"{n} turns left."


class WordleEnv(TextGameEnv):
    """Guess the secret five-letter word in at most six guesses."""

    group: ClassVar[str] = "wordle"
    max_turns: ClassVar[int] = 6

    @classmethod
    def build_tasks(cls, split: str) -> list[Task]:
        parts = split_pool(cls.group, answer_list(), N_TRAIN, N_TEST)
        return make_tasks(cls.group, split, [{"word": w} for w in parts[split]])

    def _start(self) -> str:
        assert self.task is not None
        self.secret = str(self.task.params["word"]).lower()
        return (
            "Let's play Wordle. I have picked a secret five-letter English word. "
            f"You have {self.max_turns} guesses to find it. Each guess must be a real five-letter word.\n"
            "After each guess I colour every letter: green = right letter in the right spot, "
            "yellow = the letter is in the word but in another spot, grey = not in the word "
            "(or no more copies of it: a repeated letter is yellow only as many times as the word has it).\n"
            "Feedback looks like: CRANE: C=green R=yellow A=grey N=grey E=green\n"
            "Give one guess per turn, e.g. 'Answer: crane'.\n" + REPLY_FORMAT
        )

    def _parse(self, answer: str) -> str:
        text = answer.strip().strip("\"'`*_.,;:!?()[]{}<> \t").lower()
        tokens = text.split()
        if len(tokens) > 1 and all(len(t) == 1 for t in tokens):
            tokens = ["".join(tokens)]  # spelled out: "c r a n e"
        if len(tokens) == 1 and "-" in tokens[0] and all(len(p) == 1 for p in tokens[0].split("-")):
            tokens = [tokens[0].replace("-", "")]  # "c-r-a-n-e"
        if len(tokens) != 1 or not _LETTERS.fullmatch(tokens[0]):
            raise FormatError(
                f"{quote(answer)} is not a single word. Answer with one five-letter word using letters a-z, "
                "e.g. 'Answer: crane'."
            )
        return tokens[0]

    def _play(self, move: str) -> Outcome:
        left = self.max_turns - self.turn
        if len(move) != WORD_LENGTH:
            error = f"{quote(move)} has {len(move)} letters; guess a word of exactly {WORD_LENGTH} letters."
            return Outcome(f"{error} {_turns_left(left)}", feedback={"guess": move[:60], "error": error}, invalid=True)
        if move not in vocabulary():
            error = f"{quote(move)} is not in the word list; guess a real five-letter English word."
            return Outcome(f"{error} {_turns_left(left)}", feedback={"guess": move, "error": error}, invalid=True)
        colors = score(move, self.secret)
        line = feedback_line(move, colors)
        feedback = {"guess": move, "colors": colors}
        if move == self.secret:
            turns = "1 guess" if self.turn == 1 else f"{self.turn} guesses"
            return Outcome(f"{line}\nYou found the word {move.upper()} in {turns}!", feedback=feedback,
                           done=True, success=True)
        tail = f"\n{_turns_left(left)}" if left > 0 else ""
        return Outcome(line + tail, feedback=feedback)

    def _reveal(self) -> str:
        return f"The word was {self.secret.upper()}."
