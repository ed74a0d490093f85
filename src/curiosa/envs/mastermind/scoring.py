"""Mastermind's scoring: exact and partial matches, each digit of the code counted at most once.

:func:`score` is the rule; :func:`feedback_matrix` is the same rule over every pair of codes at once,
for policies that weigh guesses against all consistent secrets.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

CODE_LENGTH = 4
N_DIGITS = 10


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
