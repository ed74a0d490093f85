"""Mastermind scoring: exact / partial counts with repeated digits, and the vectorised form."""

import numpy as np
import pytest

from curiosa.envs.mastermind.scoring import feedback_matrix, score


@pytest.mark.parametrize(
    "code, guess, expected",
    [
        ("1123", "3111", (1, 2)),
        ("1234", "1234", (4, 0)),
        ("1234", "4321", (0, 4)),
        ("1234", "5678", (0, 0)),
        ("1122", "2211", (0, 4)),
        ("1122", "1222", (3, 0)),  # the extra 2 has no partner left
        ("0000", "0001", (3, 0)),
        ("1000", "0111", (0, 2)),  # one 1 and one 0 match, the other 1s do not
        ("2345", "5432", (0, 4)),
        ("7337", "3773", (0, 4)),
        ("7337", "3333", (2, 0)),
        ("9090", "0909", (0, 4)),
        ("1213", "1111", (2, 0)),
    ],
)
def test_exact_and_partial_counts(code, guess, expected):
    assert score(guess, code) == expected


def test_vectorised_feedback_matches_the_reference():
    rng = np.random.default_rng(0)
    guesses = rng.choice(10_000, size=60, replace=False)
    secrets = np.concatenate([rng.choice(10_000, size=60, replace=False), [0, 1111, 1122, 9999]])
    table = feedback_matrix(guesses, secrets)
    for i, g in enumerate(guesses):
        for j, s in enumerate(secrets):
            exact, partial = score(f"{g:04d}", f"{s:04d}")
            assert table[i, j] == exact * 5 + partial
