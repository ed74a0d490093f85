"""Wordle's scoring, repeated letters included, and its vectorised form for policies.

Greens are marked first; then each remaining guess letter, left to right, is yellow only while the
secret still has an unmatched copy of that letter, and grey otherwise (the real game's rule).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from curiosa.envs.wordle.words import WORD_LENGTH

GREEN, YELLOW, GREY = "green", "yellow", "grey"
COLORS = (GREY, YELLOW, GREEN)
"""Index = the digit of a colour in a pattern code (grey 0, yellow 1, green 2)."""


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
