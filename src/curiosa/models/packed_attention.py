"""Causal attention inside each sequence of a packed row, with no mask at all.

Training packs many trajectories end to end into one row. transformers' SDPA path then builds a
dense [row, row] block-diagonal mask: memory and time grow with the square of the whole row, and
a masked SDPA call cannot use the fused (flash) kernel. This attention instead runs one causal
SDPA call per sequence, given the sequence boundaries ``cu_seq_lens_q`` (the keyword that
transformers' flash-attention path also reads, so the same packed batch serves FlashAttention-2
on GPUs unchanged). Without boundaries it is plain SDPA.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

NAME = "curiosa_packed"
"""The attention implementation's registered name (``model.set_attn_implementation(NAME)``)."""
NATIVE_VARLEN = ("flash_attention_2", "flash_attention_3")
"""Implementations that already read ``cu_seq_lens_q`` themselves: left as they are."""


def packed_sdpa(module: Any, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                attention_mask: torch.Tensor | None, dropout: float = 0.0, scaling: float | None = None,
                cu_seq_lens_q: torch.Tensor | None = None, **kwargs: Any) -> tuple[torch.Tensor, None]:
    """transformers attention interface: query [1, H, T, D], key/value [1, Hkv, T, D] -> [1, T, H, D]."""
    if cu_seq_lens_q is None or attention_mask is not None or key.shape[2] != query.shape[2]:
        from transformers.integrations.sdpa_attention import sdpa_attention_forward

        return sdpa_attention_forward(module, query, key, value, attention_mask, dropout=dropout, scaling=scaling,
                                      **kwargs)
    if query.shape[0] != 1:
        raise ValueError(f"packed attention needs one row per forward pass, got {query.shape[0]}")
    repeats = query.shape[1] // key.shape[1]
    if repeats > 1:  # grouped-query attention: the fused CPU kernel wants as many key heads as query heads
        key = key.repeat_interleave(repeats, dim=1)
        value = value.repeat_interleave(repeats, dim=1)
    bounds = cu_seq_lens_q.tolist()
    if bounds[0] != 0 or bounds[-1] != query.shape[2] or any(b <= a for a, b in zip(bounds, bounds[1:])):
        raise ValueError(f"cu_seq_lens_q must rise strictly from 0 to the row length {query.shape[2]}, got {bounds}")
    p = dropout if module.training else 0.0
    parts = [F.scaled_dot_product_attention(query[:, :, a:b], key[:, :, a:b], value[:, :, a:b], dropout_p=p,
                                            is_causal=True, scale=scaling)
             for a, b in zip(bounds, bounds[1:])]
    out = parts[0] if len(parts) == 1 else torch.cat(parts, dim=2)
    return out.transpose(1, 2).contiguous(), None


def register() -> None:
    """Make ``NAME`` known to transformers (idempotent)."""
    from transformers import AttentionInterface

    AttentionInterface.register(NAME, packed_sdpa)


def _config(model: Any) -> Any:
    inner = model
    while not hasattr(inner, "config") and hasattr(inner, "module"):  # DDP and similar wrappers
        inner = inner.module
    return inner.config


def enable(model: Any) -> None:
    """Switch ``model`` to packed attention (flash-attention models, which read the boundaries
    themselves, are left alone). Calls without boundaries still get plain SDPA, so generating
    with the model afterwards is unaffected, and the saved config does not record the switch."""
    config = _config(model)
    if config._attn_implementation in NATIVE_VARLEN or config._attn_implementation == NAME:
        return
    register()
    config._attn_implementation = NAME
