"""Bandit best-arm identification: 20 pulls of Bernoulli arms, then name the best arm.

``arms`` draws a task's arm names (``data/themes.json``) and means, ``parsing`` reads arm names and
totals from text, ``env`` is the game.
"""

from curiosa.envs.bandit_best_arm.arms import MAX_ARMS, MIN_ARMS, THEMES, load_themes, make_arms
from curiosa.envs.bandit_best_arm.env import N_TEST, N_TRAIN, PULLS, BanditBestArmEnv
from curiosa.envs.bandit_best_arm.parsing import filler_words, parse_arms, parse_totals, read_arm

__all__ = [
    "MAX_ARMS", "MIN_ARMS", "N_TEST", "N_TRAIN", "PULLS", "THEMES", "BanditBestArmEnv", "filler_words",
    "load_themes", "make_arms", "parse_arms", "parse_totals", "read_arm",
]
