"""Preference pairs against repeating one's own moves, built from scripted play.

A small pretrained model copies what it wrote before: warm-started SmolLM2-135M repeats about 70% of its
moves in the games (the same question twenty times), although the scripted play it imitated almost never
repeats (docs/rollout.md). Imitation alone does not remove the habit. A pair here holds a state of a
scripted episode of a game (train split), the expert's reply at that state as chosen, and one of the
episode's earlier replies, word for word, as rejected; DPO or RPO on them (``curiosa train rpo
data=[pairs.jsonl]``) teaches the model not to repeat itself. Only the last reply differs between the two
sides, so the preference is about that reply alone. The pairs are deterministic for a seed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from curiosa.data.sets import PreferencePair, save_jsonl
from curiosa.rollout.trajectory import Trajectory


def _games() -> list[str]:
    from curiosa.envs import PAPRIKA_GROUPS

    return [g for g in PAPRIKA_GROUPS if g != "bandit_best_arm"]


def _policy_mix() -> dict[str, float]:
    return {"expert": 0.35, "noisy": 0.35, "heuristic": 0.2, "random": 0.1}


@dataclass
class RepeatPairsConfig:
    """Which pairs ``curiosa repeat-pairs`` writes."""

    output: str = "repeat_pairs.jsonl"
    """The pairs file written (a pairs file for ``curiosa train dpo|rpo data=[...]``)."""
    games: list[str] = field(default_factory=_games)
    """Games whose episodes give states (default: the ten PAPRIKA games but bandit_best_arm, where pulling
    an arm again is good play)."""
    per_game: int = 75
    """Pairs per game."""
    policy_mix: dict[str, float] = field(default_factory=_policy_mix)
    """Scripted kinds that play the episodes the states come from, with their probabilities (the states of
    mixed play, not only the expert's)."""
    train_state_replies: bool = True
    """Train on the state's earlier replies too: RPO's NLL then also imitates the scripted mix's moves there,
    random ones included (the measured runs of docs/rollout.md). False marks them ``train: False``: context
    only, so both sides train just their last reply (DPO's term is the same either way: the shared replies
    cancel; only the NLL changes)."""
    max_chars: int = 3200
    """Only states whose conversation so far is shorter than this many characters (about 1,000 tokens)."""
    split: str = "train"
    """Task split played (keep 'train': test tasks are for evaluation)."""
    seed: int = 0
    """Seed of every choice (episodes, states, rejected replies)."""

    def __post_init__(self) -> None:
        from curiosa import policies
        from curiosa.policies.base import check_policy_mix

        unknown = [g for g in self.games if g not in policies.games()]
        if unknown:
            raise ValueError(f"no scripted policies for game(s) {', '.join(unknown)}")
        check_policy_mix(self.policy_mix)
        if self.per_game < 1 or self.max_chars < 1:
            raise ValueError(f"per_game and max_chars must be >= 1, got {self.per_game} and {self.max_chars}")


def _side(game: str, split: str, task_id: str, index: int, messages: list[dict[str, str]], chosen: bool,
          ) -> Trajectory:
    return Trajectory(id=f"{task_id}#{'c' if chosen else 'r'}{index}", task_id=task_id, group=game, split=split,
                      sample_index=index, messages=messages, success=chosen, num_turns=len(messages) // 2,
                      score=1.0 if chosen else 0.0, invalid_actions=0, stop_reason="success" if chosen else "failure",
                      policy={"kind": "scripted"}, seed=index)


def repeat_pairs(config: RepeatPairsConfig) -> list[PreferencePair]:
    """``per_game`` pairs for every game (fewer if too few states qualify in twenty tries per pair)."""
    from curiosa import envs, policies
    from curiosa.envs.text import move_key

    rng = np.random.default_rng(config.seed)
    kinds = list(config.policy_mix)
    probs = np.array([config.policy_mix[k] for k in kinds], dtype=float)
    probs /= probs.sum()
    pairs: list[PreferencePair] = []
    for game in config.games:
        tasks = envs.load_tasks(game, config.split)
        env = envs.make(game, split=config.split)
        made = tries = 0
        while made < config.per_game and tries < config.per_game * 20:
            tries += 1
            task = tasks[int(rng.integers(len(tasks)))]
            kind = kinds[int(rng.choice(len(kinds), p=probs))]
            seed = int(rng.integers(2**31 - 1))
            messages = policies.run_episode(env, policies.scripted(game, kind, seed=seed), seed=seed, task=task).messages
            replies = [m["content"] for m in messages if m["role"] == "assistant"]
            turns = [k for k in range(1, len(replies))
                     if sum(len(m["content"]) for m in messages[: 2 * k + 1]) < config.max_chars]
            if not turns:
                continue
            k = int(rng.choice(turns))
            context = {} if config.train_state_replies else {"train": False}
            state = [{**m, **context} if m["role"] == "assistant" else dict(m) for m in messages[: 2 * k + 1]]
            chosen = policies.scripted(game, "expert", seed=seed).act(state)
            earlier = [r for r in replies[:k] if (move_key(r) or "") != (move_key(chosen) or "")]
            if not earlier:
                continue
            rejected = earlier[int(rng.integers(len(earlier)))]
            pairs.append(PreferencePair(
                task.id,
                _side(game, config.split, task.id, made, state + [{"role": "assistant", "content": chosen}], True),
                _side(game, config.split, task.id, made, state + [{"role": "assistant", "content": rejected}], False)))
            made += 1
    return pairs


def write_repeat_pairs(config: RepeatPairsConfig) -> dict[str, Any]:
    """Write the pairs file; returns its path and the pairs per game."""
    pairs = repeat_pairs(config)
    save_jsonl(pairs, Path(config.output))
    counts = {g: sum(p.chosen.group == g for p in pairs) for g in config.games}
    return {"output": config.output, "pairs": len(pairs), "per_game": counts}
