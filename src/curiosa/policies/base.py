"""Scripted players: reference strategies of known quality that reply in the agent format.

They read only what an agent reads (the chat messages), never the hidden state, so their replies
are valid training text for the tiny default model and a yardstick for learned agents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Mapping, Sequence

import numpy as np

from curiosa.envs.text import extract_answer, format_reply

KINDS = ("random", "heuristic", "expert", "noisy")
"""random: legal random moves; heuristic: a sensible novice; expert: near-optimal;
noisy: the expert, but each move is a slip (random) with probability ``epsilon``."""

Message = Mapping[str, str]


def check_policy_mix(mix: Mapping[str, float]) -> None:
    """Raise unless ``mix`` gives known kinds non-negative weights with a positive sum."""
    if not mix or any(w < 0 for w in mix.values()) or sum(mix.values()) <= 0:
        raise ValueError(f"policy_mix needs non-negative weights with a positive sum, got {dict(mix)}")
    unknown = set(mix) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown policy kind(s) {sorted(unknown)} in policy_mix; expected {', '.join(KINDS)}")


@dataclass
class View:
    """The agent's side of a conversation, split into what it was told and what it said."""

    instruction: str
    """The first user message: the task description."""
    observations: list[str]
    """Every environment reply after the instruction, oldest first."""
    replies: list[str]
    """The agent's own replies, oldest first."""

    @property
    def answers(self) -> list[str | None]:
        """The move text of each earlier reply."""
        return [extract_answer(r) for r in self.replies]

    @classmethod
    def from_messages(cls, messages: Sequence[Message]) -> "View":
        users = [m["content"] for m in messages if m.get("role") == "user"]
        replies = [m["content"] for m in messages if m.get("role") == "assistant"]
        if not users:
            raise ValueError("messages hold no user message: the game instruction is missing")
        return cls(instruction=users[0], observations=users[1:], replies=replies)


class ScriptedPolicy:
    """Base class: subclasses implement one method per kind, each returning ``(thought, answer)``."""

    game: ClassVar[str] = ""

    def __init__(self, kind: str = "expert", seed: int = 0, epsilon: float = 0.3, repeat: float = 0.0) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown policy kind {kind!r}; expected one of {', '.join(KINDS)}")
        for name, value in (("epsilon", epsilon), ("repeat", repeat)):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], got {value}")
        self.kind = kind
        self.epsilon = epsilon
        self.repeat = repeat
        """Share of the noisy kind's slips that repeat one of its earlier replies word for word, the
        typical slip of a small model (asking the same question again), instead of a random move."""
        self.slips: list[bool] = []
        """Per reply so far: was it a slip of the noisy kind (so a trainer can leave it out)."""
        self.rng = np.random.default_rng(seed)

    def act(self, messages: Sequence[Message]) -> str:
        """The next reply, in the agent format, given the conversation so far."""
        view = View.from_messages(messages)
        kind = self.kind
        slip = False
        if kind == "noisy":
            slip = bool(self.rng.random() < self.epsilon)
            kind = "random" if slip else "expert"
        self.slips.append(slip)
        # the extra draw only when repeats are asked for: other settings replay the same episodes as before
        if slip and self.repeat > 0 and view.replies and self.rng.random() < self.repeat:
            return choice(self.rng, view.replies)
        thought, answer = getattr(self, kind)(view)
        return format_reply(thought, answer)

    def random(self, view: View) -> tuple[str, str]:
        raise NotImplementedError

    def heuristic(self, view: View) -> tuple[str, str]:
        raise NotImplementedError

    def expert(self, view: View) -> tuple[str, str]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kind={self.kind!r})"


def choice(rng: np.random.Generator, items: Sequence[Any]) -> Any:
    """``rng.choice`` that keeps Python objects (tuples, strings) intact."""
    if not items:
        raise ValueError("choice from an empty sequence")
    return items[int(rng.integers(len(items)))]
