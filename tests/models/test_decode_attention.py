"""Decoding over the row cache: the fed rows attend in groups of neighbours, each group only up to its
own longest row, and every row's result is what attending its own columns alone gives."""

import pytest
import torch
import torch.nn.functional as F

from curiosa.models import attention
from curiosa.models.attention import CacheRows, check_attention, decode_attention, decode_spans


def test_spans_cover_the_fed_rows_in_order_and_never_a_row_that_sits_out():
    lengths = [900, 880, 30, 870, 40, 35, 500]
    counts = [1, 1, 1, 0, 1, 1, 1]
    spans = decode_spans(lengths, counts, overhead=100)
    covered = [r for first, end, _ in spans for r in range(first, end)]
    assert covered == [r for r, c in enumerate(counts) if c]
    for first, end, columns in spans:
        assert columns == max(lengths[first:end]) + 1  # the new token sits in column lengths[r]
    # the long rows and the short ones are read apart; the row that sits out splits the run
    assert spans == ((0, 2, 901), (2, 3, 31), (4, 6, 41), (6, 7, 501))


def test_spans_split_only_where_the_columns_saved_outweigh_a_call():
    lengths, counts = [100, 90, 10], [1, 1, 1]
    assert decode_spans(lengths, counts, overhead=0) == ((0, 1, 101), (1, 2, 91), (2, 3, 11))
    assert decode_spans(lengths, counts, overhead=50) == ((0, 2, 101), (2, 3, 11))  # reads 90 fewer for 50
    assert decode_spans(lengths, counts, overhead=100) == ((0, 3, 101),)  # 90 fewer is not worth 100
    assert decode_spans(lengths, counts, overhead=10_000) == ((0, 3, 101),)


def _reference(query, key, value, lengths, fed, window):
    """Each fed row alone over its own columns (and window), query heads repeated over the key heads."""
    outs = []
    heads = query.shape[1] // key.shape[1]
    for i, r in enumerate(fed):
        first = 0 if window is None else max(0, lengths[r] - window + 1)
        k = key[r:r + 1, :, first:lengths[r] + 1].repeat_interleave(heads, 1)
        v = value[r:r + 1, :, first:lengths[r] + 1].repeat_interleave(heads, 1)
        outs.append(F.scaled_dot_product_attention(query[i:i + 1], k, v, scale=0.3))
    return torch.cat(outs).transpose(1, 2)


@pytest.mark.parametrize("overhead", [0, 20, 10_000])
@pytest.mark.parametrize("window", [None, 5])
def test_grouped_decoding_equals_each_row_alone(overhead, window):
    g = torch.Generator().manual_seed(0)
    lengths = [40, 38, 7, 21, 3, 3, 30]
    counts = [1, 1, 1, 0, 1, 1, 1]
    fed = [r for r, c in enumerate(counts) if c]
    offsets = [0] * len(counts)
    for i, r in enumerate(fed):
        offsets[r] = i
    key = torch.randn(len(lengths), 2, 48, 8, generator=g)
    value = torch.randn(len(lengths), 2, 48, 8, generator=g)
    for r, n in enumerate(lengths):  # columns past a row's new token hold another episode's leftovers
        key[r, :, n + 1:] = 1e3
    query = torch.randn(len(fed), 4, 1, 8, generator=g)
    rows = CacheRows(lengths, counts, offsets, decode_spans(lengths, counts, overhead))
    got = decode_attention(query, key, value, rows, 0.3, sliding_window=window)
    torch.testing.assert_close(got, _reference(query, key, value, lengths, fed, window))


def test_the_default_overhead_is_read_when_called(monkeypatch):
    monkeypatch.setattr(attention, "SPAN_OVERHEAD", 0)
    assert len(decode_spans([100, 10], [1, 1])) == 2


@pytest.mark.parametrize("overhead", [0, 10_000])
@pytest.mark.parametrize("window", [None, 4])
def test_checking_several_tokens_per_row_equals_each_row_alone(overhead, window):
    """A checking pass feeds rows different numbers of tokens (a token and its draft); each token sees its
    row's columns up to its own position, as decoding those tokens one by one would."""
    g = torch.Generator().manual_seed(1)
    lengths = [30, 28, 6, 19, 2, 25]
    counts = [3, 1, 4, 0, 2, 3]
    offsets, at = [0] * len(counts), 0
    for r, c in enumerate(counts):
        offsets[r], at = at, at + c
    key = torch.randn(len(lengths), 2, 40, 8, generator=g)
    value = torch.randn(len(lengths), 2, 40, 8, generator=g)
    for r, (n, c) in enumerate(zip(lengths, counts)):  # columns past a row's new tokens hold leftovers
        key[r, :, n + c:] = 1e3
    query = torch.randn(at, 4, 8, generator=g)
    rows = CacheRows(lengths, counts, offsets, decode_spans(lengths, counts, overhead))
    assert rows.checking
    assert all(columns == max(n + c for n, c in zip(lengths[a:b], counts[a:b])) for a, b, columns in rows.spans)
    got = check_attention(query, key, value, rows, 0.3, sliding_window=window)
    for r, c in enumerate(counts):
        for f in range(c):
            position = lengths[r] + f
            first = 0 if window is None else max(0, position - window + 1)
            k = key[r:r + 1, :, first:position + 1].repeat_interleave(2, 1)
            v = value[r:r + 1, :, first:position + 1].repeat_interleave(2, 1)
            want = F.scaled_dot_product_attention(query[None, offsets[r] + f, :, None], k, v, scale=0.3)
            torch.testing.assert_close(got[offsets[r] + f], want[0, :, 0])


def test_a_pass_of_one_token_per_row_is_not_a_checking_pass():
    assert not CacheRows([5, 6], [1, 1], [0, 1], decode_spans([5, 6], [1, 1])).checking
    assert not CacheRows([5, 6], [3, 2], [0, 3]).checking  # prefill: no spans
