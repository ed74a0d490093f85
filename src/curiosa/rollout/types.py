"""What flows between the rollout engine and its generation backends."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, Sequence


@dataclass
class SamplingConfig:
    """How replies are sampled."""

    temperature: float = 1.0
    """Softmax temperature; 0 means greedy."""
    top_p: float = 1.0
    """Nucleus sampling mass (1.0 disables it)."""
    min_p: float = 0.0
    """Min-p: drop tokens whose probability is below min_p times the top token's (0 disables it)."""
    max_new_tokens: int = 128
    """Longest reply, in tokens; a reply cut there is usually unreadable and resampled."""
    seed: int = 0
    """Seed of the sampler; a run with the same seed and settings gives the same trajectories."""

    def __post_init__(self) -> None:
        if self.temperature < 0:
            raise ValueError(f"temperature must be >= 0, got {self.temperature}")
        if not 0 < self.top_p <= 1:
            raise ValueError(f"top_p must be in (0, 1], got {self.top_p}")
        if not 0 <= self.min_p < 1:
            raise ValueError(f"min_p must be in [0, 1), got {self.min_p}")
        if self.max_new_tokens < 1:
            raise ValueError(f"max_new_tokens must be >= 1, got {self.max_new_tokens}")


@dataclass
class TurnRequest:
    """One live episode asking for its next reply."""

    key: str
    """Stable id of the episode: backends keep per-episode state (a KV cache) under it."""
    messages: list[dict[str, str]]
    """The conversation so far (the agent's view), ending with an environment message."""
    prompt_ids: list[int] | None = None
    """The same conversation as exact token ids ending in the generation prompt, for token-level backends."""


@dataclass
class TurnResult:
    text: str
    """The reply as text, end-of-turn token excluded."""
    token_ids: list[int] = field(default_factory=list)
    """The generated ids, end-of-turn token included when the reply ended normally (empty for text backends)."""
    ended: bool = True
    """False when the reply was cut off at max_new_tokens."""
    prefill_tokens: int = 0
    """Prompt tokens the backend had to encode for this turn (cache hits excluded)."""


class Backend(Protocol):
    """Generates the next reply of many episodes at once."""

    token_level: bool
    """True when the backend works on token ids (requests carry prompt_ids and results token_ids)."""

    def generate(self, requests: Sequence[TurnRequest], sampling: SamplingConfig) -> list[TurnResult]:
        """One reply per request, in order. A request may repeat an earlier prompt (a resample): the
        backend must then forget what it generated after that prompt. A backend may also take an
        ``on_result`` callback, which the engine then uses for continuous batching (the transformers
        backend's ``generate`` says what it means)."""
        ...

    def release(self, key: str) -> None:
        """The episode is over: drop its state."""
        ...

    def describe(self) -> dict[str, object]:
        """What generated the data (model path or name, backend), for the trajectory's ``policy`` field."""
        ...
