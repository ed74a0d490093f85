"""Training examples: token ids and agent masks, made from trajectories and preference pairs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from curiosa.data.encode import Encoder
from curiosa.data.sets import PreferencePair
from curiosa.rollout.trajectory import Trajectory


@dataclass
class Example:
    """One training example: a conversation (SFT) or a pair (DPO/RPO) as token ids + agent masks
    (1 where the agent produced the token: the only tokens trained)."""

    id: str
    ids: list[int]
    mask: list[int]
    rejected_ids: list[int] | None = None
    rejected_mask: list[int] | None = None
    avoid: list[tuple[int, int]] | None = None
    """SFT: (position, token) pairs, tokens the conversation should not have at trained positions (e.g.
    where a reply would begin to repeat an earlier one: ``data.repeats``); ``SFTConfig.unlikelihood``
    weighs them."""

    @property
    def tokens(self) -> int:
        return len(self.ids) + len(self.rejected_ids or [])

    @property
    def is_pair(self) -> bool:
        return self.rejected_ids is not None


def sft_examples(rows: Sequence[Trajectory], encoder: Encoder) -> list[Example]:
    out = []
    for t in rows:
        enc = encoder.encode(t)
        out.append(Example(t.id, enc.input_ids, enc.agent_mask))
    return out


def pair_examples(pairs: Sequence[PreferencePair], encoder: Encoder) -> list[Example]:
    out = []
    for p in pairs:
        c, r = encoder.encode(p.chosen), encoder.encode(p.rejected)
        out.append(Example(p.id, c.input_ids, c.agent_mask, r.input_ids, r.agent_mask))
    return out
