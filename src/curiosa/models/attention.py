"""curiosa's attention implementation, registered with transformers' public ``AttentionInterface``.

One implementation serves the three ways curiosa runs a model, told apart by the keyword arguments
transformers passes through ``model(...)`` to the attention function:

* plain calls (``generate``, a padded batch): exactly transformers' SDPA, with the SDPA mask that
  transformers builds for this implementation (the SDPA mask function is registered under the same
  name through the public ``AttentionMaskInterface``);
* training on packed rows (``cu_seq_lens_q``, the boundaries transformers' flash-attention path also
  reads): one causal SDPA call per sequence, so no [row, row] block-diagonal mask is ever computed; a
  sequence that continues another's prefix (``curiosa_prefixes``) attends to it first;
* the rollout engine's row cache (``curiosa_rows``, a :class:`CacheRows`): decoding attends each fed
  row's single query over that row's columns, in groups of neighbouring rows that each read the cache
  only up to their own longest row; a checking pass (a few drafted tokens per row) does the same with
  each row's few queries; packed prefill chunks attend row by row over their own history.

Layers with a sliding window (Gemma 3's local layers, Mistral) pass ``sliding_window``: a query at
position q then sees keys at positions k with q - window < k <= q, as in transformers' own masks, on
every path.

A model is switched with :func:`use` (``model.set_attn_implementation``); nothing reads or writes a
private attribute of transformers, and the saved config does not record the switch.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

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


class CacheRows(NamedTuple):
    """How one forward pass of the rollout engine meets its row cache, for each row of the cache's leading
    block: its tokens before the pass, its new tokens in the pass (0: the row sits this pass out), and
    where those start among the pass's tokens (decoding: the row's place in the batch)."""

    lengths: list[int]
    counts: list[int]
    offsets: list[int]
    spans: tuple[tuple[int, int, int], ...] = ()
    """Decoding and checking passes only: the fed rows in groups of consecutive rows attended together,
    each group over the columns its longest row needs: (first row, end row, columns). See
    :func:`decode_spans`."""

    @property
    def checking(self) -> bool:
        """A pass with spans that feeds some row more than one token (a drafted continuation)."""
        return bool(self.spans) and max(self.counts) > 1


SPAN_OVERHEAD = 1024
"""What one more attention call costs, in row-columns of cache read (one kernel call's overhead is about
what reading a thousand columns of one row costs): :func:`decode_spans` splits a group only where
the columns it saves are worth more."""


def decode_spans(lengths: list[int], counts: list[int], overhead: int | None = None) -> tuple[tuple[int, int, int], ...]:
    """Group the fed rows (``counts[r] > 0``: one token each when decoding, a few when checking a draft)
    into runs of consecutive rows, so that every group reads the cache only up to its own longest row,
    choosing the grouping that reads the fewest columns plus ``overhead`` (default ``SPAN_OVERHEAD``) per
    group: exact, by dynamic programming over each run of fed rows. Attending every row up to the longest
    one reads far past most rows' ends on a mix of games (docs/rollout.md)."""
    overhead = SPAN_OVERHEAD if overhead is None else overhead
    spans: list[tuple[int, int, int]] = []
    r = 0
    while r < len(counts):
        if not counts[r]:
            r += 1
            continue
        end = r
        while end < len(counts) and counts[end]:
            end += 1
        need = [lengths[i] + counts[i] for i in range(r, end)]  # a row's new tokens start at column lengths[i]
        best, cut = [0.0] + [math.inf] * len(need), [0] * (len(need) + 1)  # best[j]: the first j rows
        for j in range(1, len(need) + 1):
            widest = 0
            for i in range(j, 0, -1):  # the last group holds rows i-1 .. j-1
                widest = max(widest, need[i - 1])
                cost = best[i - 1] + (j - i + 1) * widest + overhead
                if cost < best[j]:
                    best[j], cut[j] = cost, i - 1
        j, groups = len(need), []
        while j > 0:
            groups.append((r + cut[j], r + j, max(need[cut[j]:j])))
            j = cut[j]
        spans += reversed(groups)
        r = end
    return tuple(spans)


def decode_attention(query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, rows: CacheRows,
                     scaling: float | None, sliding_window: int | None = None) -> torch.Tensor:
    """One new token per fed row: query [n, H, 1, D] (the fed rows in order), key/value [rows, Hkv, L, D]
    (the cache's leading block). Each group of ``rows.spans`` is one attention call over its own columns;
    a row's query sees its columns up to its own (and within the sliding window if there is one).
    Returns [n, 1, H, D]."""
    n, h, _, d = query.shape
    grouped = _grouped(query, key.shape[1])
    out = torch.empty_like(grouped)
    for first, end, columns in rows.spans:
        at = rows.offsets[first]
        positions = rows.lengths[first:end]
        mask = None
        if sliding_window is not None or min(positions) + 1 < columns:
            mask = _band(torch.tensor(positions, device=query.device), torch.arange(columns, device=query.device),
                         sliding_window)[:, None, None, :]
        out[at:at + end - first] = F.scaled_dot_product_attention(
            grouped[at:at + end - first], key[first:end, :, :columns], value[first:end, :, :columns],
            attn_mask=mask, scale=scaling)
    return out.reshape(n, h, 1, d).transpose(1, 2)


class CheckGroup(NamedTuple):
    """One group of a checking pass, laid out once for every layer: the rows (first, end), the columns
    read, each (row, step) slot's token among the pass's tokens, each slot's mask over the columns
    [rows, 1, 1, F, columns], and which slots hold a real token (None: all)."""

    first: int
    end: int
    columns: int
    width: int
    index: torch.Tensor
    mask: torch.Tensor
    kept: torch.Tensor | None


def check_groups(rows: CacheRows, sliding_window: int | None = None,
                 device: torch.device | str = "cpu") -> list[CheckGroup]:
    """The layout of a checking pass's groups (``rows.spans``): each group's rows padded to its most tokens
    per row F, a row with fewer repeating its last token (computed, then dropped)."""
    groups = []
    for first, end, columns in rows.spans:
        counts = rows.counts[first:end]
        width = max(counts)
        steps = [min(f, c - 1) for c in counts for f in range(width)]
        index = torch.tensor([rows.offsets[first + i // width] + s for i, s in enumerate(steps)], device=device)
        positions = torch.tensor([rows.lengths[first + i // width] + s for i, s in enumerate(steps)], device=device)
        mask = _band(positions, torch.arange(columns, device=device), sliding_window).view(end - first, 1, 1, width, columns)
        kept = None
        if any(c != width for c in counts):
            kept = torch.tensor([i * width + f for i, c in enumerate(counts) for f in range(c)], device=device)
        groups.append(CheckGroup(first, end, columns, width, index, mask, kept))
    return groups


def check_attention(query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, rows: CacheRows,
                    scaling: float | None, sliding_window: int | None = None,
                    groups: list[CheckGroup] | None = None) -> torch.Tensor:
    """A few new tokens per fed row (a drafted continuation checked in one pass): query [T, H, D], each
    fed row's ``counts[r]`` tokens in order from ``offsets[r]``; key/value [rows, Hkv, L, D] (the cache's
    leading block). As in :func:`decode_attention`, one attention call per group of ``rows.spans``, each
    key head's query heads folded into one query, here of (heads per key head) x F positions (F: the
    group's most tokens per row). Each query sees its row's columns up to its own position. ``groups``:
    :func:`check_groups` of the pass, made once for all layers (made here if not given). Returns [T, H, D]."""
    _, h, d = query.shape
    kv = key.shape[1]
    g = h // kv
    out = torch.empty_like(query)
    for group in groups if groups is not None else check_groups(rows, sliding_window, query.device):
        n, width, columns = group.end - group.first, group.width, group.columns
        q = query[group.index].view(n, width, kv, g, d).permute(0, 2, 3, 1, 4).reshape(n, kv, g * width, d)
        mask = group.mask.expand(n, 1, g, width, columns).reshape(n, 1, g * width, columns)
        part = F.scaled_dot_product_attention(q, key[group.first:group.end, :, :columns],
                                              value[group.first:group.end, :, :columns], attn_mask=mask, scale=scaling)
        part = part.view(n, kv, g, width, d).permute(0, 3, 1, 2, 4).reshape(n * width, h, d)
        if group.kept is None:
            out[group.index] = part
        else:
            out[group.index[group.kept]] = part[group.kept]
    return out


def rows_prefill_attention(query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, rows: CacheRows,
                           scaling: float | None, sliding_window: int | None = None) -> torch.Tensor:
    """New chunks packed end to end in one sequence (query [1, H, T, D]), each attended causally over
    its own row's history (key/value [rows, Hkv, L, D]). Returns [1, T, H, D]."""
    out = torch.zeros_like(query)
    for r, (start, n, offset) in enumerate(zip(rows.lengths, rows.counts, rows.offsets)):
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
                     sliding_window: int | None = None,
                     prefixes: tuple[tuple[int, int] | None, ...] | None = None) -> torch.Tensor:
    """Causal attention inside each sequence of one packed row. With ``prefixes``, a segment given as
    (start, length) is the tail of a sequence whose first ``length`` tokens are the row's columns from
    ``start`` on (another segment's beginning): it attends to those, then causally to itself. Returns
    [1, T, H, D]."""
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
    if prefixes is not None and len(prefixes) != len(bounds) - 1:
        raise ValueError(f"prefixes: {len(prefixes)} entries for {len(bounds) - 1} packed sequences")
    p = dropout if module.training else 0.0
    parts = []
    for s, (a, b) in enumerate(zip(bounds, bounds[1:])):
        q, k, v = query[:, :, a:b], key[:, :, a:b], value[:, :, a:b]
        start, length = prefixes[s] if prefixes is not None and prefixes[s] is not None else (a, 0)
        if length:  # the prefix's keys first: the segment's positions run on from them
            k = torch.cat([key[:, :, start:start + length], k], dim=2)
            v = torch.cat([value[:, :, start:start + length], v], dim=2)
        if not length and (sliding_window is None or b - a <= sliding_window):
            parts.append(F.scaled_dot_product_attention(q, k, v, dropout_p=p, is_causal=True, scale=scaling))
        else:
            band = _band(torch.arange(length, length + b - a, device=q.device),
                         torch.arange(length + b - a, device=q.device), sliding_window)
            parts.append(F.scaled_dot_product_attention(q, k, v, attn_mask=band, dropout_p=p, scale=scaling))
    out = parts[0] if len(parts) == 1 else torch.cat(parts, dim=2)
    return out.transpose(1, 2)


def attention(module: Any, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
              attention_mask: torch.Tensor | None, dropout: float = 0.0, scaling: float | None = None,
              cu_seq_lens_q: torch.Tensor | None = None,
              curiosa_rows: CacheRows | None = None,
              curiosa_prefixes: tuple[tuple[int, int] | None, ...] | None = None,
              sliding_window: int | None = None, **kwargs: Any) -> tuple[torch.Tensor, None]:
    """The function transformers calls (query [B, H, T, D], key/value [B, Hkv, L, D] -> [B, T, H, D])."""
    if curiosa_rows is not None:
        if curiosa_rows.checking:  # one packed sequence, [1, H, T, D]
            out = check_attention(query[0].transpose(0, 1), key, value, curiosa_rows, scaling, sliding_window)[None]
        elif curiosa_rows.spans:
            out = decode_attention(query, key, value, curiosa_rows, scaling, sliding_window)
        else:
            out = rows_prefill_attention(query, key, value, curiosa_rows, scaling, sliding_window)
        return out.contiguous(), None
    if cu_seq_lens_q is not None:
        return packed_attention(module, query, key, value, cu_seq_lens_q, dropout, scaling,
                                sliding_window, curiosa_prefixes).contiguous(), None
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
