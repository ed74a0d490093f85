"""Next-token sampling with temperature, min-p and top-p.

The common case (temperature and min-p, no top-p) is computed in one pass over the vocabulary: a
token survives min-p when its probability is at least ``min_p`` times the top token's, i.e. when its
logit is at least the top logit plus ``temperature * ln(min_p)``; the survivors' unnormalised
probabilities are drawn from by inverse CDF (the same distribution as ``torch.multinomial``, several
times cheaper on a CPU). Top-p uses transformers' warper.
"""

from __future__ import annotations

import math

import torch
from transformers import TopPLogitsWarper

from curiosa.rollout.types import SamplingConfig


class Sampler:
    def __init__(self, sampling: SamplingConfig, device: torch.device | str = "cpu") -> None:
        self.sampling = sampling
        self.generator = torch.Generator(device=device)
        self.generator.manual_seed(sampling.seed)
        self.top_p = TopPLogitsWarper(sampling.top_p) if sampling.top_p < 1.0 else None

    def __call__(self, logits: torch.Tensor, uniforms: torch.Tensor | None = None) -> torch.Tensor:
        """One token id per row of ``logits`` ([rows, vocab]). ``uniforms`` ([rows, 1] in [0, 1)): the
        draws to use (default: from this sampler's own generator)."""
        s = self.sampling
        logits = logits.float()
        if s.temperature == 0:
            return logits.argmax(dim=-1)
        top = logits.amax(dim=-1, keepdim=True)
        scaled = (logits - top) / s.temperature  # <= 0, the top token at 0
        if self.top_p is not None:
            if s.min_p > 0:
                scaled = scaled.masked_fill(scaled < math.log(s.min_p), float("-inf"))
            scaled = self.top_p(None, scaled)
        elif s.min_p > 0:
            scaled = scaled.masked_fill_(scaled < math.log(s.min_p), float("-inf"))
        cdf = scaled.exp_().cumsum_(dim=-1)
        if uniforms is None:
            uniforms = torch.rand((cdf.shape[0], 1), generator=self.generator, device=cdf.device)
        u = uniforms.to(cdf.device) * cdf[:, -1:]
        return torch.searchsorted(cdf, u).squeeze(-1).clamp_max(cdf.shape[-1] - 1)
