"""The pieces of SCoRe's policy gradient (docs/score.md) as plain tensor functions.

Each attempt of an episode is credited only with its own (shaped) reward; the baseline of a sample is
the mean reward of the other samples of the same problem (REINFORCE leave-one-out, RLOO).
"""

from __future__ import annotations

import torch

STAGES: tuple[str, ...] = ("stage1", "stage2", "single_turn")
"""SCoRe's Stage I and Stage II, and single-turn RL (a baseline)."""


def attempt_rewards(stage: str, r1: torch.Tensor, r2: torch.Tensor, alpha: float) -> tuple[torch.Tensor, torch.Tensor]:
    """The reward each attempt is trained on.

    * ``stage1``: attempt 2 earns r2; attempt 1 earns nothing (only its KL to the base counts).
    * ``stage2``: attempt 1 earns r1; attempt 2 earns r2 plus the shaping bonus alpha * (r2 - r1),
      so fixing a wrong answer pays and breaking a right one costs (alpha = 0: plain r1 + r2).
    * ``single_turn``: attempt 1 earns r1; attempt 2 is not trained.
    """
    if stage == "stage1":
        return torch.zeros_like(r1), r2
    if stage == "stage2":
        return r1, r2 + alpha * (r2 - r1)
    if stage == "single_turn":
        return r1, torch.zeros_like(r2)
    raise ValueError(f"unknown stage {stage!r}; expected one of {', '.join(STAGES)}")


def rloo_advantages(rewards: torch.Tensor) -> torch.Tensor:
    """``rewards`` [problems, k] -> reward minus the mean of the other k - 1 samples of the problem."""
    if rewards.dim() != 2 or rewards.shape[1] < 2:
        raise ValueError(f"RLOO needs rewards shaped [problems, k >= 2], got {tuple(rewards.shape)}")
    k = rewards.shape[1]
    others = (rewards.sum(dim=1, keepdim=True) - rewards) / (k - 1)
    return rewards - others


def kl_penalty(policy_logps: torch.Tensor, reference_logps: torch.Tensor) -> torch.Tensor:
    """Per-token estimate of KL(policy || reference) from sampled tokens (Schulman's k3:
    exp(ref - pi) - (ref - pi) - 1): never negative, unbiased, and low-variance; differentiable in pi."""
    diff = reference_logps - policy_logps
    return torch.exp(diff) - diff - 1
