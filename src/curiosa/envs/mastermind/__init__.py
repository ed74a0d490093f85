"""Mastermind with digits: find a secret 4-digit code (0-9, repeats allowed) in twelve guesses.

``scoring`` counts exact and partial matches (also vectorised over all codes), ``feedback`` writes
and reads the feedback line, ``env`` is the game.
"""

from curiosa.envs.mastermind.env import N_TEST, N_TRAIN, POOL_SIZE, MastermindEnv
from curiosa.envs.mastermind.feedback import feedback_line, parse_feedback
from curiosa.envs.mastermind.scoring import (
    CODE_LENGTH, N_DIGITS, all_codes, all_digit_counts, code_to_array, feedback_matrix, score,
)

__all__ = [
    "CODE_LENGTH", "N_DIGITS", "N_TEST", "N_TRAIN", "POOL_SIZE", "MastermindEnv", "all_codes", "all_digit_counts",
    "code_to_array", "feedback_matrix", "feedback_line", "parse_feedback", "score",
]
