"""Multi-turn SFT: token-mean negative log-likelihood over every agent token of each conversation
(environment, user and system tokens are context only, unless given a weight), or the mean over
conversations of each one's token mean; optionally an unlikelihood term on tokens the examples mark as
ones to avoid (``Example.avoid``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import torch

from curiosa.data.examples import Example
from curiosa.training.offline import OfflineConfig, OfflineTrainer
from curiosa.training.packing import token_and_avoid_logps

AGENT, ENVIRONMENT = 1, 2
"""Tags of the trained tokens when environment tokens carry a weight."""
AVERAGES = ("tokens", "examples")


@dataclass
class SFTConfig(OfflineConfig):
    """SFT settings (paper, 8B model, full fine-tuning: lr 1e-6, batch 32, 1 epoch)."""

    env_loss_weight: float = 0.0
    """Weight of the environment's tokens (instructions, observations) in the loss relative to the agent's
    (0: imitation of the agent's replies only, the paper's setting)."""

    average: str = "tokens"
    """How a step's NLL is averaged: "tokens" (every trained token weighs the same, so long conversations
    weigh the most: the paper's setting) or "examples" (each conversation's own token mean, averaged over
    the step's conversations: a 5-turn win weighs as much as a 21-turn one)."""

    unlikelihood: float = 0.0
    """Weight of the unlikelihood term: -log(1 - p) of every token an example marks to avoid (``avoid``,
    e.g. where a reply would begin to repeat an earlier one), averaged over the step's avoided tokens and
    added to the NLL (0: off, the marks are ignored)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.env_loss_weight < 0:
            raise ValueError(f"env_loss_weight must not be negative, got {self.env_loss_weight}")
        if self.unlikelihood < 0:
            raise ValueError(f"unlikelihood must not be negative, got {self.unlikelihood}")
        if self.average not in AVERAGES:
            raise ValueError(f"average must be one of {', '.join(AVERAGES)}, got {self.average!r}")


def _tags(mask: Sequence[int]) -> list[int]:
    """Agent tokens tagged AGENT, every other predicted token ENVIRONMENT (the first token is never predicted)."""
    return [0] + [AGENT if m else ENVIRONMENT for m in mask[1:]]


class SFTTrainer(OfflineTrainer):
    name = "sft"

    def __init__(self, config: SFTConfig, model: Any, examples: Sequence[Example], tokenizer: Any = None,
                 accelerator: Any = None) -> None:
        if config.unlikelihood > 0 and examples and not any(e.avoid for e in examples):
            raise ValueError(f"unlikelihood={config.unlikelihood}, but no example marks a token to avoid "
                             f"(Example.avoid, e.g. a warm start's avoid_repeats): the term would do nothing")
        super().__init__(config, model, examples, tokenizer=tokenizer, accelerator=accelerator)

    def step_totals(self, indices: Sequence[int]) -> dict[str, float]:
        totals = super().step_totals(indices)
        w = self.config.env_loss_weight
        if w > 0:
            env = sum(len(self.examples[i].mask) - 1 - sum(self.examples[i].mask[1:]) for i in indices)
            totals["weighted"] = totals["tokens"] + w * env
        if self.config.unlikelihood > 0:
            totals["avoided"] = float(sum(len(self.examples[i].avoid or []) for i in indices))
        return totals

    def loss(self, group: Sequence[int], totals: dict[str, float]) -> tuple[torch.Tensor, dict[str, float]]:
        w = self.config.env_loss_weight
        masks = [self.examples[i].mask if w <= 0 else _tags(self.examples[i].mask) for i in group]
        ul = self.config.unlikelihood
        avoid = [self.examples[i].avoid for i in group] if ul > 0 else None
        packed = self.pack([(self.examples[i].ids, mask) for i, mask in zip(group, masks)], avoid=avoid)
        logps, avoided = token_and_avoid_logps(self.model, packed)
        agent = packed.target_tag == AGENT
        weights = torch.where(agent, 1.0, w).to(logps.dtype)
        if self.config.average == "examples":
            per_example = torch.zeros(packed.n, dtype=weights.dtype, device=weights.device)
            per_example.index_add_(0, packed.target_seq, weights)
            loss = -(weights / per_example[packed.target_seq] * logps).sum() / max(1.0, totals["examples"])
        else:
            loss = -(weights * logps).sum() / max(1.0, totals["weighted" if w > 0 else "tokens"])
        nll = -float(logps.detach()[agent].sum()) / max(1.0, totals["tokens"])
        metrics = {"nll": nll}
        if ul > 0:
            p = avoided.exp().clamp(max=1.0 - 1e-6)
            loss = loss - ul * torch.log1p(-p).sum() / max(1.0, totals["avoided"])
            metrics["avoided_p"] = float(p.detach().sum()) / max(1.0, totals["avoided"])
        return loss, {"loss": loss.item(), **metrics}
