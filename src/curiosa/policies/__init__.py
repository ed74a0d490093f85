"""Scripted reference policies for every game: ``scripted(game, kind, seed=0).act(messages)``."""

from __future__ import annotations

import importlib
from typing import Any

from curiosa.policies.base import KINDS, ScriptedPolicy, View
from curiosa.policies.runner import EpisodeResult, evaluate_policy, run_episode

_BUILTIN: dict[str, str] = {
    "wordle": "curiosa.policies.wordle:WordlePolicy",
    "mastermind": "curiosa.policies.mastermind:MastermindPolicy",
    "battleship": "curiosa.policies.battleship:BattleshipPolicy",
    "minesweeper": "curiosa.policies.minesweeper:MinesweeperPolicy",
    "cellular_automata": "curiosa.policies.cellular_automata:CellularAutomataPolicy",
    "bandit_best_arm": "curiosa.policies.bandit_best_arm:BanditBestArmPolicy",
    "twenty_questions": "curiosa.policies.twenty_questions:TwentyQuestionsPolicy",
    "guess_my_city": "curiosa.policies.guess_my_city:GuessMyCityPolicy",
    "customer_service": "curiosa.policies.customer_service:CustomerServicePolicy",
    "murder_mystery": "curiosa.policies.murder_mystery:MurderMysteryPolicy",
    "math_synthetic": "curiosa.policies.math_synthetic:MathSyntheticPolicy",
}


def games() -> list[str]:
    """Games that have scripted policies."""
    return list(_BUILTIN)


def scripted(game: str, kind: str = "expert", seed: int = 0, **kwargs: Any) -> ScriptedPolicy:
    """A scripted player of ``game``: ``kind`` is one of random, heuristic, expert, noisy."""
    if game not in _BUILTIN:
        raise KeyError(f"no scripted policy for game {game!r}; available: {', '.join(_BUILTIN)}")
    module_name, class_name = _BUILTIN[game].split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls(kind=kind, seed=seed, **kwargs)


__all__ = ["KINDS", "EpisodeResult", "ScriptedPolicy", "View", "evaluate_policy", "games", "run_episode", "scripted"]
