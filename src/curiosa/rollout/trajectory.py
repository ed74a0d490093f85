"""The trajectory record (docs/architecture.md): one JSON object per line."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Mapping

STOP_REASONS = ("success", "failure", "turn_limit", "format_failure")
"""success / failure: the game ended by its rules; turn_limit: truncated; format_failure: no readable
reply after every resample."""


@dataclass
class Trajectory:
    id: str
    """Unique id: ``{task_id}#{sample_index}``."""
    task_id: str
    group: str
    split: str
    sample_index: int
    """Which of the n samples of this task (0-based)."""
    messages: list[dict[str, str]]
    """OpenAI-style messages, the agent's view (user = environment, assistant = agent). An assistant message
    with ``"train": False`` is context only for the trainers (e.g. the scripted state of a preference pair)."""
    success: bool
    num_turns: int
    score: float
    """Ranking score: success first, then fewer turns (bandit: reward collected); see ``score_of``."""
    invalid_actions: int
    stop_reason: str
    policy: dict[str, Any]
    """Model and sampling settings that generated it."""
    seed: int
    """Environment seed of the episode."""
    input_ids: list[int] | None = None
    """Exact token ids of the conversation, when the generating tokenizer is the training one."""
    agent_mask: list[int] | None = None
    """1 on the agent's generated tokens (end-of-turn included), 0 elsewhere."""
    format_errors: int = 0
    """Unreadable replies that were resampled."""
    info: dict[str, Any] = field(default_factory=dict)
    """Game-specific extras, e.g. the final feedback."""

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Trajectory":
        names = {f.name for f in fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"unknown trajectory field(s): {', '.join(sorted(unknown))}")
        try:
            return cls(**{k: v for k, v in data.items() if k in names})
        except TypeError as err:
            raise ValueError(f"not a trajectory record: {err}") from None


def score_of(group: str, success: bool, num_turns: int, max_turns: int, total_reward: float | None = None) -> float:
    """Higher is better. Success outranks failure; among successes fewer turns rank higher.

    For bandit_best_arm the reward collected breaks ties in the same way as turns elsewhere.
    """
    base = 1.0 if success else 0.0
    if total_reward is not None:
        return base + float(total_reward) / 1000.0
    return base + (max_turns - num_turns) / (max_turns + 1) * (0.5 if success else 0.0)
