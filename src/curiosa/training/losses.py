"""PAPRIKA's losses (docs/training.md), on per-sequence sums of agent-token log-probabilities.

Every loss is written as a sum over the examples of one optimizer step divided by that step's
totals (tokens for NLL terms, pairs for the DPO term), so that splitting a step into micro-batches,
or across processes, gives the same gradient as one big batch.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def sft_loss_sum(logp_sums: torch.Tensor) -> torch.Tensor:
    """Negative log-likelihood summed over agent tokens; divide by the step's agent-token count."""
    return -logp_sums.sum()


def dpo_losses(policy_chosen: torch.Tensor, policy_rejected: torch.Tensor, ref_chosen: torch.Tensor,
               ref_rejected: torch.Tensor, beta: float) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Per-pair multi-turn DPO loss -log sigmoid(beta * [(pi_c - ref_c) - (pi_r - ref_r)]), where each
    term sums the log-probabilities of every agent token of the whole trajectory. Also returns the
    implicit rewards of chosen and rejected (for logging)."""
    chosen_reward = beta * (policy_chosen - ref_chosen)
    rejected_reward = beta * (policy_rejected - ref_rejected)
    return -F.logsigmoid(chosen_reward - rejected_reward), chosen_reward.detach(), rejected_reward.detach()
