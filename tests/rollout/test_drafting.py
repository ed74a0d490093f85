"""Prompt-lookup drafts: what followed the latest earlier occurrence of the longest suffix."""

import pytest
from hypothesis import given, strategies as st

from curiosa.rollout.drafting import PromptLookup


def brute_force(seq, k, ngram):
    for n in range(min(ngram, len(seq)), 0, -1):
        suffix = seq[len(seq) - n:]
        for end in range(len(seq) - 1, n - 1, -1):  # latest first, not the suffix itself
            if seq[end - n:end] == suffix:
                return seq[end:min(end + k, len(seq))]
    return []


def test_the_longest_suffix_that_occurred_before_decides_the_draft():
    # "Answer: 7 ... Answer:" -> the tokens after the earlier "Answer:"
    seq = [1, 2, 7, 9, 5, 1, 2]
    assert PromptLookup(seq).draft(3) == [7, 9, 5]
    assert PromptLookup(seq).draft(1) == [7]
    # the 2-gram (3, 2) never occurred; the 1-gram (2,) did, latest at position 1 of [5, 2, 8, 3, 2]
    assert PromptLookup([5, 2, 8, 3, 2]).draft(4) == [8, 3, 2]
    assert PromptLookup([1, 2, 3]).draft(4) == []  # nothing repeats
    assert PromptLookup([1, 2, 1]).draft(0) == []


@given(st.lists(st.integers(0, 4), max_size=40), st.integers(1, 6), st.integers(1, 4))
def test_drafts_match_a_brute_force_search(seq, k, ngram):
    lookup = PromptLookup(ngram=ngram)
    for i, token in enumerate(seq):
        lookup.extend([token])
        assert lookup.draft(k) == brute_force(seq[:i + 1], k, ngram)


def test_sync_continues_a_sequence_and_rebuilds_a_rewound_one():
    lookup = PromptLookup([4, 5, 6, 4])
    lookup.sync([4, 5, 6, 4, 5])
    assert lookup.tokens == [4, 5, 6, 4, 5] and lookup.draft(2) == [6, 4]
    lookup.sync([4, 5, 9])  # rewound: the earlier 6 is gone
    assert lookup.tokens == [4, 5, 9] and lookup.draft(2) == []
    assert lookup.draft(2) == brute_force([4, 5, 9], 2, 3)


def test_an_ngram_below_one_is_refused():
    with pytest.raises(ValueError, match="ngram"):
        PromptLookup(ngram=0)
