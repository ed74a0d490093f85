"""Wordle scoring: real colours with repeated letters, and the vectorised form against the reference."""

import pytest

from curiosa.envs.wordle.scoring import encode_words, pattern_code, pattern_matrix, score
from curiosa.envs.wordle.words import answer_list

G, Y, X = "green", "yellow", "grey"


@pytest.mark.parametrize(
    "secret, guess, expected",
    [
        ("abbey", "bobby", [Y, X, G, X, G]),  # second b: secret's spare b is used by the first
        ("abbey", "babes", [Y, Y, G, G, X]),
        ("abbey", "kebab", [X, Y, G, Y, Y]),
        ("abbey", "abyss", [G, G, Y, X, X]),
        ("crane", "eerie", [X, X, Y, X, G]),  # the green e takes the only e: both earlier e's grey
        ("speed", "geese", [X, Y, G, Y, X]),  # one e green, one spare e -> one yellow, then grey
        ("speed", "eerie", [Y, Y, X, X, X]),  # two spare e's -> the first two e's yellow, the third grey
        ("those", "geese", [X, X, X, G, G]),
        ("robot", "ooooo", [X, G, X, G, X]),
        ("lever", "eerie", [Y, G, Y, X, X]),
        ("crane", "crane", [G] * 5),
        ("crane", "dumpy", [X] * 5),
    ],
)
def test_scoring_with_repeated_letters(secret, guess, expected):
    assert score(guess, secret) == expected


def test_vectorised_scoring_matches_the_reference():
    words = list(answer_list()[:150]) + ["eerie", "geese", "bobby", "kebab", "ooooo", "llama", "sissy", "mamma"]
    codes = pattern_matrix(encode_words(words), encode_words(words))
    for i, g in enumerate(words):
        for j, s in enumerate(words):
            assert codes[i, j] == pattern_code(score(g, s)), (g, s)
