"""Drafts for checking several tokens in one decoding pass: prompt lookup.

A decoding pass reads the weights and every row's cache for one new token per row. Fed a drafted
continuation as well, the same pass gives the logits after each draft token, and sampling keeps the
leading draft tokens it would have picked anyway plus one token of its own (the backend draws one
random number per sampled token, in order, so kept tokens are exactly the tokens sampling picks:
trajectories do not change). The drafter here is the cheapest there is: the tokens that followed the
latest earlier occurrence of the sequence's last n tokens, for the longest n up to ``ngram`` that
occurred. Agents' replies copy their frame, names and numbers from the conversation
(`benchmarks/draft_acceptance.py` counts 2.3 tokens per pass with 4-token drafts on played episodes).
"""

from __future__ import annotations

from typing import Sequence


class PromptLookup:
    """One growing token sequence and an index of where each of its n-grams last ended (n <= ``ngram``),
    kept up to date as tokens are appended, so a draft costs a few dictionary lookups."""

    def __init__(self, tokens: Sequence[int] = (), ngram: int = 3) -> None:
        if ngram < 1:
            raise ValueError(f"ngram must be at least 1, got {ngram}")
        self.ngram = ngram
        self.tokens: list[int] = []
        self._ends: list[dict[tuple[int, ...], int]] = [{} for _ in range(ngram)]
        """[n - 1][an n-gram]: the end of its latest occurrence that is not the sequence's suffix."""
        self.extend(tokens)

    def extend(self, tokens: Sequence[int]) -> None:
        seq, ends = self.tokens, self._ends
        for token in tokens:
            q = len(seq)  # the n-grams ending at q stop being the suffix once the token is appended
            for n in range(1, min(self.ngram, q) + 1):
                ends[n - 1][tuple(seq[q - n:q])] = q
            seq.append(token)

    def sync(self, tokens: Sequence[int]) -> None:
        """Make the sequence ``tokens``: appended to when it continues the current one, rebuilt otherwise
        (a rewound row)."""
        held = len(self.tokens)
        if held <= len(tokens) and list(tokens[:held]) == self.tokens:
            self.extend(tokens[held:])
            return
        self.tokens, self._ends = [], [{} for _ in range(self.ngram)]
        self.extend(tokens)

    def draft(self, k: int) -> list[int]:
        """Up to ``k`` tokens: what followed the latest earlier occurrence of the longest suffix (n <=
        ngram) that occurred before; empty when none did."""
        seq = self.tokens
        if k <= 0:
            return []
        for n in range(min(self.ngram, len(seq)), 0, -1):
            end = self._ends[n - 1].get(tuple(seq[len(seq) - n:]))
            if end is not None:
                return seq[end:min(end + k, len(seq))]
        return []
