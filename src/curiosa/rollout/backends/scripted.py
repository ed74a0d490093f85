"""A backend whose replies come from the scripted policies: data without a model, and a
deterministic stand-in for a model in tests of everything downstream of generation."""

from __future__ import annotations

import zlib
from typing import Any, Sequence

import numpy as np

from curiosa.models.chat import ChatTokenizer
from curiosa.rollout.types import SamplingConfig, TurnRequest, TurnResult


def policy_seed(key: str, seed: int = 0) -> int:
    return (zlib.crc32(key.encode()) + seed) & 0x7FFFFFFF


class ScriptedBackend:
    """Replies with ``policies.scripted(game, kind)``; with a ``chat`` tokenizer it is token-level.

    ``garble`` is the probability that a reply is replaced by unreadable text (to exercise
    resampling). The game of each request is read from its key (``"<task id>#<sample>"``), and its
    policy is seeded with ``policy_seed(key, seed)`` so an episode does not depend on its batch.
    """

    def __init__(self, kind: str = "expert", *, chat: ChatTokenizer | None = None, garble: float = 0.0,
                 seed: int = 0) -> None:
        self.kind = kind
        self.chat = chat
        self.token_level = chat is not None
        self.garble = garble
        self._rng = np.random.default_rng(seed)
        self._policies: dict[str, Any] = {}
        self._seed = seed

    def describe(self) -> dict[str, object]:
        return {"backend": "scripted", "model": f"scripted-{self.kind}"}

    def release(self, key: str) -> None:
        self._policies.pop(key, None)

    def generate(self, requests: Sequence[TurnRequest], sampling: SamplingConfig) -> list[TurnResult]:
        from curiosa.envs.registry import get_task
        from curiosa import policies

        results = []
        for req in requests:
            if req.key not in self._policies:
                game = get_task(req.key.split("#")[0]).group
                self._policies[req.key] = policies.scripted(game, self.kind, seed=policy_seed(req.key, self._seed))
            text = self._policies[req.key].act(req.messages)
            if self.garble and self._rng.random() < self.garble:
                text = "I am not sure."
            ids = self.chat.encode_reply(text) if self.chat is not None else []
            results.append(TurnResult(text=text, token_ids=ids, ended=True, prefill_tokens=0))
        return results
