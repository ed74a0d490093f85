"""curiosa's attention implementation, registered with transformers' public ``AttentionInterface``.

One implementation serves the three ways curiosa runs a model, told apart by the keyword arguments
transformers passes through ``model(...)`` to the attention function:

* plain calls (``generate``, a padded batch): exactly transformers' SDPA, with the SDPA mask that
  transformers builds for this implementation (the SDPA mask function is registered under the same
  name through the public ``AttentionMaskInterface``);
* training on packed rows (``cu_seq_lens_q``, the boundaries transformers' flash-attention path also
  reads): one causal SDPA call per sequence, so no [row, row] block-diagonal mask is ever computed;
* the rollout engine's row cache (``curiosa_rows``): decoding attends each row's single query over
  that row's columns; packed prefill chunks attend row by row over their own history.

Layers with a sliding window (Gemma 3's local layers, Mistral) pass ``sliding_window``: a query at
position q then sees keys at positions k with q - window < k <= q, as in transformers' own masks, on
every path.

A model is switched with :func:`use` (``model.set_attn_implementation``); nothing reads or writes a
private attribute of transformers, and the saved config does not record the switch.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

NAME = "curiosa"
"""The registered implementation's name."""


def _sdpa(module: Any, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
          attention_mask: torch.Tensor | None, **kwargs: Any) -> tuple[torch.Tensor, None]:
    from transformers.integrations.sdpa_attention import sdpa_attention_forward

    return sdpa_attention_forward(module, query, key, value, attention_mask, **kwargs)


def _grouped(query: torch.Tensor, kv_heads: int) -> torch.Tensor:
    """[B, H, 1, D] -> [B, Hkv, H / Hkv, D]: the query heads that share a key head become that head's
    queries, so attention reads each key once (``enable_gqa`` on the CPU is about five times slower)."""
    b, h, _, d = query.shape
    return query.reshape(b, kv_heads, h // kv_heads, d)


def _band(queries: torch.Tensor, keys: torch.Tensor, window: int | None) -> torch.Tensor:
    """[len(queries), len(keys)]: which key positions each query position sees (causal, and within the
    sliding window if there is one)."""
    seen = keys[None, :] <= queries[:, None]
    if window is not None:
        seen &= keys[None, :] > queries[:, None] - window
    return seen


def decode_attention(query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, mask: torch.Tensor,
                     scaling: float | None, positions: list[int] | None = None,
                     sliding_window: int | None = None) -> torch.Tensor:
    """One query per row: query [B, H, 1, D], key/value [B, Hkv, L, D], mask [B, 1, 1, L] (True: attend).
    With a sliding window, ``positions`` gives each row's query position (its column in the cache).
    Returns [B, 1, H, D]."""
    b, h, _, d = query.shape
    if sliding_window is not None:
        if positions is None:
            raise ValueError("a sliding window needs each row's query position")
        lowest = torch.tensor(positions, device=mask.device)[:, None] - sliding_window
        mask = mask & (torch.arange(key.shape[2], device=mask.device)[None, :] > lowest)[:, None, None, :]
    out = F.scaled_dot_product_attention(_grouped(query, key.shape[1]), key, value, attn_mask=mask, scale=scaling)
    return out.reshape(b, h, 1, d).transpose(1, 2)


def rows_prefill_attention(query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                           rows: tuple[list[int], list[int], list[int]], scaling: float | None,
                           sliding_window: int | None = None) -> torch.Tensor:
    """New chunks packed end to end in one sequence (query [1, H, T, D]), each attended causally over
    its own row's history (key/value [rows, Hkv, L, D]); ``rows``: each row's length before the chunk,
    the chunk's length, and where it starts in the packed sequence. Returns [1, T, H, D]."""
    out = torch.zeros_like(query)
    for r, (start, n, offset) in enumerate(zip(*rows)):
        if n == 0:
            continue
        end = start + n
        first = 0 if sliding_window is None else max(0, start - sliding_window + 1)  # the oldest key seen
        q = query[:, :, offset:offset + n]
        k, v = key[r:r + 1, :, first:end], value[r:r + 1, :, first:end]
        if start == 0 and (sliding_window is None or n <= sliding_window):
            part = F.scaled_dot_product_attention(q, k, v, is_causal=True, scale=scaling, enable_gqa=True)
        else:
            mask = _band(torch.arange(start, end, device=q.device), torch.arange(first, end, device=q.device),
                         sliding_window)
            part = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=scaling, enable_gqa=True)
        out[:, :, offset:offset + n] = part
    return out.transpose(1, 2)


def packed_attention(module: Any, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                     cu_seq_lens_q: torch.Tensor, dropout: float, scaling: float | None,
                     sliding_window: int | None = None) -> torch.Tensor:
    """Causal attention inside each sequence of one packed row. Returns [1, T, H, D]."""
    if query.shape[0] != 1:
        raise ValueError(f"packed attention needs one row per forward pass, got {query.shape[0]}")
    if key.shape[2] != query.shape[2]:
        raise ValueError("packed attention takes no cache: keys and queries must cover the same tokens")
    repeats = query.shape[1] // key.shape[1]
    if repeats > 1:  # the fused CPU kernel wants as many key heads as query heads
        key = key.repeat_interleave(repeats, dim=1)
        value = value.repeat_interleave(repeats, dim=1)
    bounds = cu_seq_lens_q.tolist()
    if bounds[0] != 0 or bounds[-1] != query.shape[2] or any(b <= a for a, b in zip(bounds, bounds[1:])):
        raise ValueError(f"cu_seq_lens_q must rise strictly from 0 to the row length {query.shape[2]}, got {bounds}")
    p = dropout if module.training else 0.0
    parts = []
    for a, b in zip(bounds, bounds[1:]):
        q, k, v = query[:, :, a:b], key[:, :, a:b], value[:, :, a:b]
        if sliding_window is None or b - a <= sliding_window:
            parts.append(F.scaled_dot_product_attention(q, k, v, dropout_p=p, is_causal=True, scale=scaling))
        else:
            band = _band(torch.arange(b - a, device=q.device), torch.arange(b - a, device=q.device), sliding_window)
            parts.append(F.scaled_dot_product_attention(q, k, v, attn_mask=band, dropout_p=p, scale=scaling))
    out = parts[0] if len(parts) == 1 else torch.cat(parts, dim=2)
    return out.transpose(1, 2)


def attention(module: Any, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
              attention_mask: torch.Tensor | None, dropout: float = 0.0, scaling: float | None = None,
              cu_seq_lens_q: torch.Tensor | None = None,
              curiosa_rows: tuple[list[int], list[int], list[int]] | None = None,
              sliding_window: int | None = None, **kwargs: Any) -> tuple[torch.Tensor, None]:
    """The function transformers calls (query [B, H, T, D], key/value [B, Hkv, L, D] -> [B, T, H, D])."""
    if curiosa_rows is not None:
        if query.shape[2] == 1:
            if attention_mask is None:
                raise ValueError("decoding over the row cache needs the rows' 4-D mask")
            out = decode_attention(query, key, value, attention_mask, scaling, curiosa_rows[0], sliding_window)
        else:
            out = rows_prefill_attention(query, key, value, curiosa_rows, scaling, sliding_window)
        return out.contiguous(), None
    if cu_seq_lens_q is not None:
        return packed_attention(module, query, key, value, cu_seq_lens_q, dropout, scaling,
                                sliding_window).contiguous(), None
    return _sdpa(module, query, key, value, attention_mask, dropout=dropout, scaling=scaling,
                 sliding_window=sliding_window, **kwargs)


def register() -> None:
    """Make ``NAME`` known to transformers, with SDPA's mask function (idempotent)."""
    from transformers import AttentionInterface, AttentionMaskInterface
    from transformers.masking_utils import sdpa_mask

    AttentionInterface.register(NAME, attention)
    AttentionMaskInterface.register(NAME, sdpa_mask)


def unwrap(model: Any) -> Any:
    """The model inside DDP-style wrappers (a peft model is kept: it passes attributes on to its base)."""
    while not hasattr(model, "set_attn_implementation") and hasattr(model, "module"):  # DDP and similar wrappers
        model = model.module
    return model


def use(model: Any) -> None:
    """Run ``model`` (or the model inside a DDP-style wrapper) with curiosa's attention. On GPUs the
    per-sequence causal SDPA calls of packed training run on torch's fused flash kernel."""
    register()
    unwrap(model).set_attn_implementation(NAME)
