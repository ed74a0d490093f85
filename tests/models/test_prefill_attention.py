"""Prefill over the row cache: new chunks packed end to end, each attending causally over its own row's
history, give what attending each chunk alone over its row gives, with every query head on its key head."""

import pytest
import torch
import torch.nn.functional as F

from curiosa.models.attention import CacheRows, rows_prefill_attention


def _reference(query, key, value, rows, window):
    """Each chunk alone, key heads repeated for the query heads, an explicit causal (and window) mask."""
    out = torch.zeros_like(query)
    heads = query.shape[1] // key.shape[1]
    for r, (start, n, offset) in enumerate(zip(rows.lengths, rows.counts, rows.offsets)):
        if n == 0:
            continue
        k = key[r:r + 1, :, :start + n].repeat_interleave(heads, 1)
        v = value[r:r + 1, :, :start + n].repeat_interleave(heads, 1)
        q_pos, k_pos = torch.arange(start, start + n)[:, None], torch.arange(start + n)[None, :]
        seen = k_pos <= q_pos
        if window is not None:
            seen &= k_pos > q_pos - window
        out[:, :, offset:offset + n] = F.scaled_dot_product_attention(
            query[:, :, offset:offset + n], k, v, attn_mask=seen, scale=0.3)
    return out.transpose(1, 2)


@pytest.mark.parametrize("window", [None, 4])
@pytest.mark.parametrize("heads,kv_heads", [(6, 2), (4, 4), (3, 1)])
def test_packed_chunks_equal_each_chunk_alone(window, heads, kv_heads):
    g = torch.Generator().manual_seed(0)
    lengths = [0, 12, 5, 30, 0]  # fresh rows, rows with a history, a row that sits out
    counts = [7, 3, 0, 9, 1]
    offsets, at = [], 0
    for n in counts:
        offsets.append(at)
        at += n
    key = torch.randn(len(lengths), kv_heads, 48, 8, generator=g)
    value = torch.randn(len(lengths), kv_heads, 48, 8, generator=g)
    for r, (start, n) in enumerate(zip(lengths, counts)):  # columns past a chunk hold another episode's leftovers
        key[r, :, start + n:] = 1e3
    query = torch.randn(1, heads, at, 8, generator=g)
    rows = CacheRows(lengths, counts, offsets)
    got = rows_prefill_attention(query, key, value, rows, 0.3, sliding_window=window)
    assert got.shape == (1, at, heads, 8)
    torch.testing.assert_close(got, _reference(query, key, value, rows, window))
