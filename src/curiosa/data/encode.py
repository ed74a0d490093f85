"""Trajectory -> token ids + per-token agent mask, with the invariants exact training relies on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from curiosa.models.chat import ChatTokenizer, EncodedConversation, tokenizer_fingerprint
from curiosa.rollout.trajectory import Trajectory


class EncodingError(ValueError):
    """A trajectory's tokens break an invariant (the message names the trajectory and the problem)."""


@dataclass
class Encoder:
    """Encodes trajectories for one training tokenizer.

    Stored ids are used as they are when the trajectory was generated with this very tokenizer
    (same fingerprint): they are exactly what the model produced. Otherwise the conversation is
    encoded from its text with the same segment-by-segment scheme. A reply marked ``"train": False``
    is read as context but left out of the mask.
    """

    chat: ChatTokenizer

    def __post_init__(self) -> None:
        self.fingerprint = tokenizer_fingerprint(self.chat.tokenizer)

    @classmethod
    def for_tokenizer(cls, tokenizer: Any) -> "Encoder":
        return cls(ChatTokenizer(tokenizer))

    def encode(self, trajectory: Trajectory) -> EncodedConversation:
        if (trajectory.input_ids is not None and trajectory.agent_mask is not None
                and trajectory.policy.get("tokenizer") == self.fingerprint):
            enc = EncodedConversation(list(trajectory.input_ids), list(trajectory.agent_mask))
        else:
            enc = self.chat.encode(trajectory.messages)
        self.validate(trajectory, enc)
        if any(m.get("train") is False for m in trajectory.messages):
            enc = EncodedConversation(enc.input_ids, untrain_replies(enc.agent_mask, trajectory.messages))
        return enc

    def validate(self, trajectory: Trajectory, enc: EncodedConversation) -> None:
        """Every agent turn has a non-empty mask ending in the end-of-turn token (unless the reply was
        cut off); no other token is masked in."""
        where = f"trajectory {trajectory.id}"
        if len(enc.input_ids) != len(enc.agent_mask):
            raise EncodingError(f"{where}: {len(enc.input_ids)} ids but {len(enc.agent_mask)} mask entries")
        if any(m not in (0, 1) for m in enc.agent_mask):
            raise EncodingError(f"{where}: the agent mask holds values other than 0 and 1")
        runs: list[tuple[int, int]] = []
        start = None
        for i, m in enumerate(enc.agent_mask + [0]):
            if m and start is None:
                start = i
            elif not m and start is not None:
                runs.append((start, i))
                start = None
        replies = sum(1 for m in trajectory.messages if m["role"] == "assistant")
        if len(runs) != replies:
            raise EncodingError(f"{where}: {replies} agent turns but {len(runs)} masked runs of tokens")
        stop = self.chat.stop_token_id
        for n, (a, b) in enumerate(runs):
            ended = stop in enc.input_ids[a:b]
            if ended and enc.input_ids[b - 1] != stop:
                raise EncodingError(f"{where}: agent turn {n} has tokens after its end-of-turn token")
            if not ended and b < len(enc.input_ids) and enc.input_ids[b] != stop:
                raise EncodingError(f"{where}: agent turn {n} is not followed by its end-of-turn token")


def reply_spans(mask: Sequence[int]) -> list[tuple[int, int]]:
    """(start, end) of every run of nonzero mask entries: the agent's replies, in order."""
    spans: list[tuple[int, int]] = []
    start = None
    for i, m in enumerate(mask):
        if m and start is None:
            start = i
        elif not m and start is not None:
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(mask)))
    return spans


def untrain_replies(agent_mask: Sequence[int], messages: Sequence[Mapping[str, Any]]) -> list[int]:
    """The agent mask with the turns of replies marked ``train: False`` zeroed (the n-th run of masked
    tokens is the n-th assistant message)."""
    skip = [m.get("train") is False for m in messages if m["role"] == "assistant"]
    out = list(agent_mask)
    for turn, (start, end) in enumerate(reply_spans(agent_mask)):
        if turn < len(skip) and skip[turn]:
            out[start:end] = [0] * (end - start)
    return out
