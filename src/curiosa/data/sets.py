"""PAPRIKA's training sets (docs/training.md): SFT rows and per-task preference pairs.

Trajectories are grouped by task id (never by the secret, which merged different boards in the
original code). Chosen = a success with the best score (fewest turns; for bandit_best_arm, the most
reward); rejected = a uniformly random trajectory that scores clearly lower: a failure, or a
success with clearly more turns (or clearly less reward).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from curiosa.rollout.trajectory import Trajectory

REWARD_RANKED = ("bandit_best_arm",)
"""The default of ``DataConfig.reward_ranked``."""


@dataclass
class DataConfig:
    """How SFT rows and preference pairs are selected."""

    min_turn_gap: int = 2
    """A success is a rejected candidate only with at least this many more turns than the chosen one."""
    min_reward_gap: float = 2.0
    """Groups in ``reward_ranked``: a rejected candidate collected at least this much less reward than the
    chosen one."""
    reward_ranked: list[str] = field(default_factory=lambda: list(REWARD_RANKED))
    """Groups whose successes are ranked by the reward collected (a game's ``total_reward``) instead of by
    turns. bandit_best_arm's episodes all take 21 turns, so without it its successes tie: chosen drawn at
    random among them, and only failures rejected. Ranking by reward prefers the wins that exploited one
    arm most, though the game is won by naming the best arm (docs/paprika.md, "Why bandit falls")."""
    success_as_rejected: bool = True
    """Allow clearly worse successes as rejected (otherwise only failures); tasks with no eligible
    rejected trajectory give no pair."""
    pairs_per_task: int = 1
    """Preference pairs drawn per task (each with a different rejected trajectory when possible)."""
    sft_per_task: int | None = None
    """Keep at most this many successes of each task as SFT rows, the best-ranked first (fewest turns;
    groups in ``reward_ranked``: most reward; ties in the order played). None: every success, the paper's setting.
    A task the model wins often otherwise fills the SFT set with its near-copies."""
    pairs_only: list[str] = field(default_factory=list)
    """Groups whose successes give preference pairs but no SFT rows. For a group the model wins by luck
    at the rollout temperature, imitating the wins teaches the luck, while a pair still says which of
    two plays of the same task did better (bandit_best_arm: docs/paprika.md, "Why bandit falls")."""
    max_tokens: int | None = None
    """Drop trajectories longer than this many tokens (None: keep all); needs token counts."""
    exclude_format_failures: bool = True
    """Never use an episode that ended because no readable reply came (it holds a reply the
    environment never answered)."""
    groups: list[str] = field(default_factory=list)
    """Use only trajectories of these task groups (empty: every group in the data)."""
    seed: int = 0
    """Seed of the random choices (ties between chosen candidates, the rejected draw)."""

    def __post_init__(self) -> None:
        if self.sft_per_task is not None and self.sft_per_task < 1:
            raise ValueError(f"sft_per_task must be at least 1 (or None for every success), got {self.sft_per_task}")

    def group_names(self) -> list[str]:
        """Every group these settings name, so that a pipeline can refuse a misspelt one (a name that
        matches no trajectory is otherwise silently ignored)."""
        return [*self.reward_ranked, *self.pairs_only, *self.groups]


@dataclass
class PreferencePair:
    task_id: str
    chosen: Trajectory
    rejected: Trajectory

    @property
    def id(self) -> str:
        return f"{self.chosen.id}>{self.rejected.id}"

    def to_json(self) -> str:
        return json.dumps({"task_id": self.task_id, "chosen": json.loads(self.chosen.to_json()),
                           "rejected": json.loads(self.rejected.to_json())}, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "PreferencePair":
        return cls(data["task_id"], Trajectory.from_dict(data["chosen"]), Trajectory.from_dict(data["rejected"]))


@dataclass
class SelectionStats:
    tasks: int = 0
    sft_rows: int = 0
    pairs: int = 0
    tasks_without_success: int = 0
    tasks_without_rejected: int = 0
    dropped_too_long: int = 0
    dropped_format_failures: int = 0
    dropped_other_groups: int = 0
    withheld_pairs_only: int = 0  # successes of ``pairs_only`` groups, kept out of the SFT set
    by_group: dict[str, dict[str, int]] = field(default_factory=dict)


def _reward(t: Trajectory) -> float:
    feedback = t.info.get("final_feedback") or {}
    return float(feedback.get("total_reward", 0.0)) if isinstance(feedback, dict) else 0.0


def _usable(trajectories: Iterable[Trajectory], config: DataConfig, stats: SelectionStats,
            lengths: dict[str, int] | None) -> list[Trajectory]:
    out = []
    groups = set(config.groups)
    for t in trajectories:
        if groups and t.group not in groups:
            stats.dropped_other_groups += 1
            continue
        if config.exclude_format_failures and t.stop_reason == "format_failure":
            stats.dropped_format_failures += 1
            continue
        if config.max_tokens is not None:
            n = lengths.get(t.id) if lengths is not None else (len(t.input_ids) if t.input_ids is not None else None)
            if n is None:
                raise ValueError(f"max_tokens is set but trajectory {t.id} has no token count")
            if n > config.max_tokens:
                stats.dropped_too_long += 1
                continue
        out.append(t)
    return out


def group_by_task(trajectories: Iterable[Trajectory]) -> dict[str, list[Trajectory]]:
    groups: dict[str, list[Trajectory]] = defaultdict(list)
    for t in trajectories:
        groups[t.task_id].append(t)
    return dict(groups)


def build_sft_set(trajectories: Sequence[Trajectory], config: DataConfig | None = None,
                  lengths: dict[str, int] | None = None) -> tuple[list[Trajectory], SelectionStats]:
    """Every successful trajectory (after the filters) outside ``pairs_only``, or each task's
    ``sft_per_task`` best ones."""
    config = config or DataConfig()
    stats = SelectionStats(tasks=len({t.task_id for t in trajectories}))
    pairs_only = set(config.pairs_only)
    successes = [t for t in _usable(trajectories, config, stats, lengths) if t.success]
    rows = [t for t in successes if t.group not in pairs_only]
    stats.withheld_pairs_only = len(successes) - len(rows)
    if config.sft_per_task is not None:
        kept = {id(t) for task in group_by_task(rows).values()
                for t in sorted(task, key=lambda t: _rank_key(t, config), reverse=True)[:config.sft_per_task]}
        rows = [t for t in rows if id(t) in kept]
    stats.sft_rows = len(rows)
    for t in rows:
        stats.by_group.setdefault(t.group, {"sft_rows": 0, "pairs": 0})["sft_rows"] += 1
    return rows, stats


def _clearly_worse(candidate: Trajectory, chosen: Trajectory, config: DataConfig) -> bool:
    if not candidate.success:
        return True
    if not config.success_as_rejected:
        return False
    if chosen.group in config.reward_ranked:
        return _reward(candidate) <= _reward(chosen) - config.min_reward_gap
    return candidate.num_turns >= chosen.num_turns + config.min_turn_gap


def _rank_key(t: Trajectory, config: DataConfig) -> float:
    return _reward(t) if t.group in config.reward_ranked else -float(t.num_turns)


def build_preference_pairs(trajectories: Sequence[Trajectory], config: DataConfig | None = None,
                           lengths: dict[str, int] | None = None) -> tuple[list[PreferencePair], SelectionStats]:
    """Per task: chosen = a best-ranked success (ties drawn at random); rejected drawn uniformly
    from the clearly worse trajectories of the same task."""
    config = config or DataConfig()
    rng = np.random.default_rng(config.seed)
    stats = SelectionStats()
    pairs: list[PreferencePair] = []
    groups = group_by_task(_usable(trajectories, config, stats, lengths))
    stats.tasks = len(groups)
    for task_id in sorted(groups):
        items = sorted(groups[task_id], key=lambda t: t.id)
        successes = [t for t in items if t.success]
        if not successes:
            stats.tasks_without_success += 1
            continue
        best = max(_rank_key(t, config) for t in successes)
        top = [t for t in successes if _rank_key(t, config) == best]
        chosen = top[int(rng.integers(len(top)))]
        worse = [t for t in items if t is not chosen and _clearly_worse(t, chosen, config)]
        if not worse:
            stats.tasks_without_rejected += 1
            continue
        picks = rng.permutation(len(worse))[: config.pairs_per_task]
        for i in picks:
            pairs.append(PreferencePair(task_id, chosen, worse[int(i)]))
            stats.by_group.setdefault(chosen.group, {"sft_rows": 0, "pairs": 0})["pairs"] += 1
    stats.pairs = len(pairs)
    return pairs, stats


def _split_prompt(messages: list[dict[str, str]]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    first = next((i for i, m in enumerate(messages) if m["role"] == "assistant"), len(messages))
    return messages[:first], messages[first:]


def to_trl_preference(pairs: Sequence[PreferencePair]) -> list[dict[str, Any]]:
    """TRL's conversational preference format: a shared prompt (the task instruction), then each
    trajectory's turns. Note TRL trains on every token of chosen/rejected, environment turns included."""
    rows = []
    for p in pairs:
        prompt, chosen = _split_prompt(p.chosen.messages)
        prompt_r, rejected = _split_prompt(p.rejected.messages)
        if prompt != prompt_r:
            raise ValueError(f"pair {p.id}: chosen and rejected start from different prompts")
        rows.append({"prompt": prompt, "chosen": chosen, "rejected": rejected})
    return rows


def to_hf_dataset(rows: Sequence[Trajectory] | Sequence[PreferencePair]):
    """A ``datasets.Dataset`` of SFT trajectories or of preference pairs."""
    from datasets import Dataset

    return Dataset.from_list([json.loads(r.to_json()) for r in rows])


def save_jsonl(rows: Iterable[Trajectory | PreferencePair], path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(r.to_json() + "\n")
    tmp.replace(path)


def load_pairs(path: str | Path) -> list[PreferencePair]:
    from curiosa.rollout.store import CorruptFileError

    pairs = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                pairs.append(PreferencePair.from_dict(json.loads(line)))
            except (ValueError, KeyError, TypeError) as err:
                raise CorruptFileError(f"{path}:{number}: not a preference pair ({err})") from None
    return pairs
