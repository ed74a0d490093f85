"""Log-probs of chosen tokens through a model's output head, a slice of positions at a time.

Training needs only the log-prob of the token each position predicts, but the head's logits are
[positions, vocabulary]: 4,096 positions of Gemma 3's 262,144-token vocabulary are 4.3 GB in float32,
and the softmax and its gradient hold several such tensors at once (a warm start of Gemma-3-270M on
24 GB ran out of memory this way). Here the head runs over slices of positions, each slice recomputed
in the backward pass, so at most one slice's logits exist at a time, for one more pass of the head.

Only heads known to be a plain linear map (optionally soft-capped, as in Gemma 2 and 3) take this path;
any other model's own forward computes its logits (``plain_head`` returns None).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from torch.utils.checkpoint import checkpoint

from curiosa.models.attention import unwrap

PLAIN_HEADS = ("llama", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "gemma3_text")
"""Model types whose logits are ``lm_head(final hidden state)``, soft-capped by
``final_logit_softcapping`` where the config sets it (tested for each in tests/models/test_lm_head.py)."""

SLICE_LOGITS = 1 << 25
"""Logits computed at once (33.5M: 128 MiB in float32); fewer positions than this times the vocabulary
take the model's own head in one go."""


@dataclass
class Head:
    module: Any
    """The output projection (a peft-wrapped one applies its adapters)."""
    softcap: float | None
    vocab: int


def plain_head(model: Any) -> Head | None:
    """The output head of ``model`` (possibly under peft or a DDP-style wrapper), if it is plain."""
    inner = unwrap(model)
    config = getattr(inner, "config", None)
    if config is None or not hasattr(inner, "get_output_embeddings"):
        return None
    if getattr(config, "model_type", None) not in PLAIN_HEADS:
        return None
    module = inner.get_output_embeddings()
    if module is None:
        return None
    return Head(module, getattr(config, "final_logit_softcapping", None), int(module.weight.shape[0]))


def _slice_logps(module: Any, softcap: float | None, hidden: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    logits = module(hidden)
    if softcap is not None:
        logits = torch.tanh(logits / softcap) * softcap
    logits = logits.float()
    return logits.gather(-1, targets[:, None])[:, 0] - logits.logsumexp(-1)


def chosen_logps(head: Head, hidden: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """log p(targets[i] | hidden[i]) for hidden [N, H] and targets [N]; shape [N], float32."""
    step = max(1, SLICE_LOGITS // head.vocab)
    parts = []
    for a in range(0, len(targets), step):
        args = (head.module, head.softcap, hidden[a:a + step], targets[a:a + step])
        if torch.is_grad_enabled():
            parts.append(checkpoint(_slice_logps, *args, use_reentrant=False))
        else:
            parts.append(_slice_logps(*args))
    return torch.cat(parts) if parts else hidden.new_zeros(0, dtype=torch.float32)
