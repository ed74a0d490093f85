"""Wordle: find a secret five-letter word in six guesses from green / yellow / grey letter feedback.

``words`` builds the answer list and the vocabulary, ``scoring`` colours a guess (repeated letters
the real game's way), ``feedback`` writes and reads the feedback line, ``env`` is the game.
"""

from curiosa.envs.wordle.env import N_TEST, N_TRAIN, WordleEnv
from curiosa.envs.wordle.feedback import feedback_line, parse_feedback
from curiosa.envs.wordle.scoring import (
    COLORS, GREEN, GREY, YELLOW, encode_words, pattern_code, pattern_matrix, score,
)
from curiosa.envs.wordle.words import (
    N_ANSWERS, WORD_LENGTH, answer_blocklist, answer_list, is_plain, sorted_vocabulary, vocabulary,
)

__all__ = [
    "COLORS", "GREEN", "GREY", "N_ANSWERS", "N_TEST", "N_TRAIN", "WORD_LENGTH", "YELLOW", "WordleEnv",
    "answer_blocklist", "answer_list", "encode_words", "feedback_line", "is_plain", "parse_feedback",
    "pattern_code", "pattern_matrix", "score", "sorted_vocabulary", "vocabulary",
]
