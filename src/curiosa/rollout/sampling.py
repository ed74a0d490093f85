"""Next-token sampling with temperature, top-p and min-p (transformers' logits warpers)."""

from __future__ import annotations

import torch
from transformers import LogitsProcessorList, MinPLogitsWarper, TemperatureLogitsWarper, TopPLogitsWarper

from curiosa.rollout.types import SamplingConfig


class Sampler:
    def __init__(self, sampling: SamplingConfig, device: torch.device | str = "cpu") -> None:
        self.sampling = sampling
        self.generator = torch.Generator(device=device)
        self.generator.manual_seed(sampling.seed)
        warpers = []
        if sampling.temperature > 0:
            if sampling.temperature != 1.0:
                warpers.append(TemperatureLogitsWarper(sampling.temperature))
            if sampling.min_p > 0:
                warpers.append(MinPLogitsWarper(sampling.min_p))
            if sampling.top_p < 1.0:
                warpers.append(TopPLogitsWarper(sampling.top_p))
        self.warpers = LogitsProcessorList(warpers)

    def __call__(self, logits: torch.Tensor) -> torch.Tensor:
        """One token id per row of ``logits`` ([rows, vocab])."""
        logits = logits.float()
        if self.sampling.temperature == 0:
            return logits.argmax(dim=-1)
        scores = self.warpers(None, logits) if len(self.warpers) else logits
        # Inverse-CDF draw: the same distribution as torch.multinomial, several times cheaper on a CPU.
        cdf = torch.softmax(scores, dim=-1).cumsum(dim=-1)
        u = torch.rand((cdf.shape[0], 1), generator=self.generator, device=cdf.device) * cdf[:, -1:]
        return torch.searchsorted(cdf, u).squeeze(-1).clamp_max(cdf.shape[-1] - 1)
