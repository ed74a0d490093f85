"""Wordle: find a secret five-letter word in six guesses from green / yellow / grey letter feedback.

Scoring follows the real game, repeated letters included: greens are marked first; then each
remaining guess letter, left to right, is yellow only while the secret still has an unmatched copy of
that letter, and grey otherwise.

The answer list is derived from data packages (``wordfreq`` frequencies, ``english_words`` web2
dictionary) rather than typed by hand; see :func:`answer_list`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import ClassVar, Sequence

import numpy as np

from curiosa.envs.base import FormatError, Outcome, TextGameEnv
from curiosa.envs.task import Task, make_tasks, split_pool
from curiosa.envs.text import REPLY_FORMAT, quote

WORD_LENGTH = 5
N_ANSWERS = 2315
N_TRAIN, N_TEST = 1515, 800
GREEN, YELLOW, GREY = "green", "yellow", "grey"
COLORS = (GREY, YELLOW, GREEN)
"""Index = the digit of a colour in a pattern code (grey 0, yellow 1, green 2)."""

# Offensive words (slurs and sexual terms) kept out of the answers; they stay valid guesses.
_BLOCKLIST = frozenset("bitch boner dildo horny negro penis pussy semen squaw titty vulva whore".split())

_LETTERS = re.compile(r"[a-z]+")


# --------------------------------------------------------------------------- word lists
@lru_cache(maxsize=1)
def _sources() -> tuple[tuple[str, ...], frozenset[str]]:
    """wordfreq's English top 100000 (frequency order) and web2's lowercase alphabetic entries."""
    import english_words
    import wordfreq

    frequent = tuple(wordfreq.top_n_list("en", 100_000))
    web2 = english_words.get_english_words_set(["web2"], lower=False, alpha=True)
    lowercase = frozenset(w for w in web2 if w.islower())  # web2 capitalises proper nouns
    return frequent, lowercase


def _is_plain(word: str) -> bool:
    return len(word) == WORD_LENGTH and word.isascii() and word.isalpha() and word.islower()


@lru_cache(maxsize=1)
def answer_list() -> tuple[str, ...]:
    """The 2315 possible secrets, most frequent first.

    Five-letter lowercase words of wordfreq's top 100000 that web2 lists in lower case, without
    plurals (``-s`` on a web2 word, not ``-ss``), past tenses (``-ed``/``-d`` on a web2 word) and a
    short blocklist of offensive words.
    """
    frequent, dictionary = _sources()
    answers: list[str] = []
    for word in frequent:
        if not _is_plain(word) or word not in dictionary or word in _BLOCKLIST:
            continue
        if word.endswith("s") and not word.endswith("ss") and word[:-1] in dictionary:
            continue
        if word.endswith("ed") and (word[:-2] in dictionary or word[:-1] in dictionary):
            continue
        answers.append(word)
        if len(answers) == N_ANSWERS:
            break
    if len(answers) < N_ANSWERS:
        raise RuntimeError(f"wordle: only {len(answers)} answers found; the word packages look incomplete")
    return tuple(answers)


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Every accepted guess: web2's and wordfreq's five-letter words, and the answers."""
    frequent, dictionary = _sources()
    words = {w for w in dictionary if _is_plain(w)}
    words.update(w for w in frequent if _is_plain(w))
    words.update(answer_list())
    return frozenset(words)


@lru_cache(maxsize=1)
def sorted_vocabulary() -> tuple[str, ...]:
    return tuple(sorted(vocabulary()))


# --------------------------------------------------------------------------- scoring
def score(guess: str, secret: str) -> list[str]:
    """Colours of ``guess`` against ``secret`` (both lowercase, same length), real Wordle rules."""
    colors = [GREY] * len(guess)
    unmatched: dict[str, int] = {}
    for i, (g, s) in enumerate(zip(guess, secret)):
        if g == s:
            colors[i] = GREEN
        else:
            unmatched[s] = unmatched.get(s, 0) + 1
    for i, g in enumerate(guess):
        if colors[i] != GREEN and unmatched.get(g, 0) > 0:
            colors[i] = YELLOW
            unmatched[g] -= 1
    return colors


def encode_words(words: Sequence[str]) -> np.ndarray:
    """Words as an ``(n, 5)`` uint8 array of letter indices 0-25."""
    if not len(words):
        return np.zeros((0, WORD_LENGTH), dtype=np.uint8)
    raw = np.frombuffer("".join(words).encode("ascii"), dtype=np.uint8).reshape(len(words), WORD_LENGTH)
    return raw - ord("a")


def pattern_code(colors: Sequence[str]) -> int:
    """A colour list as an integer in [0, 243): digit i (base 3) is position i's colour."""
    return sum(COLORS.index(c) * 3**i for i, c in enumerate(colors))


def pattern_matrix(guesses: np.ndarray, secrets: np.ndarray) -> np.ndarray:
    """Pattern codes (see :func:`pattern_code`) of every guess against every secret, shape (m, n).

    Vectorised version of :func:`score`: a non-green guess letter is yellow when fewer earlier
    non-green copies of it precede it in the guess than the secret has unmatched copies.
    """
    g = guesses[:, None, :]
    s = secrets[None, :, :]
    green = g == s  # (m, n, 5)
    codes = np.zeros((guesses.shape[0], secrets.shape[0]), dtype=np.int16)
    for i in range(WORD_LENGTH):
        letter = guesses[:, i][:, None]  # (m, 1)
        unmatched = np.zeros(codes.shape, dtype=np.int8)
        for j in range(WORD_LENGTH):
            unmatched += (secrets[None, :, j] == letter) & ~green[:, :, j]
        earlier = np.zeros(codes.shape, dtype=np.int8)
        for k in range(i):
            earlier += (guesses[:, k] == guesses[:, i])[:, None] & ~green[:, :, k]
        yellow = ~green[:, :, i] & (earlier < unmatched)
        codes += (2 * green[:, :, i] + yellow).astype(np.int16) * 3**i
    return codes


# --------------------------------------------------------------------------- observation text
_FEEDBACK_LINE = re.compile(
    r"^(?P<guess>[A-Z]{5}): (?P<cells>[A-Z]=(?:green|yellow|grey)(?: [A-Z]=(?:green|yellow|grey)){4})$", re.MULTILINE
)


def feedback_line(guess: str, colors: Sequence[str]) -> str:
    """``CRANE: C=green R=yellow A=grey N=grey E=green``."""
    return guess.upper() + ": " + " ".join(f"{c.upper()}={color}" for c, color in zip(guess, colors))


def parse_feedback(observation: str) -> tuple[str, list[str]] | None:
    """The (lowercase guess, colours) of the feedback line in an observation, or None."""
    m = _FEEDBACK_LINE.search(observation)
    if m is None:
        return None
    colors = [cell.split("=")[1] for cell in m.group("cells").split()]
    return m.group("guess").lower(), colors


def _turns_left(n: int) -> str:
    return f"{n} turn left." if n == 1 else f"{n} turns left."


# --------------------------------------------------------------------------- environment
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
