"""What the trainers on a fixed set of examples share (SFT, DPO/RPO): which examples each step
takes, and how a step is split.

* A step's examples are fixed by the seed, the same on every process: ``batch_size`` examples, or with
  ``batch_tokens`` as many as fill that many tokens; they are split across processes (round robin),
  then packed into micro-batches of at most ``micro_batch_tokens`` tokens.
* Gradients accumulate over micro-batches and are normalised by the whole step's totals (see
  ``losses``), so the result does not depend on how a step is split: a batch of 8 equals 2 x 4
  accumulation, and 2 processes equal 1.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import torch

from curiosa.data.examples import Example
from curiosa.training.base import Trainer, TrainerConfig
from curiosa.training.packing import Packed, pack, plan_microbatches


@dataclass
class OfflineConfig(TrainerConfig):
    """Training on a fixed set of examples."""

    epochs: float = 1.0
    """Passes over the data (fractions allowed)."""
    max_steps: int | None = None
    """Stop after this many optimizer steps (overrides epochs)."""
    batch_size: int = 32
    """Examples (conversations, or pairs) per optimizer step, over all processes (paper: 32)."""
    batch_tokens: int | None = None
    """Instead of batch_size: each step takes examples in random order until they fill this many tokens
    (an example longer than that is a step of its own)."""
    row_tokens: int | None = None
    """null (default): each micro-batch is one row, sequences end to end, with packed attention (one
    causal kernel call per sequence: no padding). A number: rows of about that many tokens with the
    model's own attention and a block mask (cost grows with the row length squared); for models whose
    attention cannot be swapped."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.batch_size < 1 or (self.batch_tokens is not None and self.batch_tokens < 1):
            raise ValueError("batch_size and batch_tokens must be at least 1")


def token_batches(lengths: Sequence[int], batch_tokens: int, rng: np.random.Generator) -> list[list[int]]:
    """Indices in random order, cut into batches of at most ``batch_tokens`` tokens in total (a longer
    example is a batch of its own). Batches are packed, so lengths need not match, and every batch
    mixes the sources instead of grouping long examples together."""
    batches: list[list[int]] = []
    current: list[int] = []
    used = 0
    for i in rng.permutation(len(lengths)).tolist():
        if current and used + lengths[i] > batch_tokens:
            batches.append(current)
            current, used = [], 0
        current.append(i)
        used += lengths[i]
    if current:
        batches.append(current)
    return batches


class OfflineTrainer(Trainer):
    """A trainer whose steps are batches of ``examples``; subclasses give the loss of a micro-batch."""

    def __init__(self, config: OfflineConfig, model: Any, examples: Sequence[Example], tokenizer: Any = None,
                 accelerator: Any = None) -> None:
        if not examples:
            raise ValueError("no training examples")
        self.config = config
        self.examples = list(examples)
        self.steps = self._plan()
        super().__init__(config, model, tokenizer=tokenizer, accelerator=accelerator)
        if self.accelerator.num_processes > config.batch_size and config.batch_tokens is None:
            raise ValueError(f"batch_size {config.batch_size} is smaller than the {self.accelerator.num_processes} processes")

    def num_steps(self) -> int:
        return len(self.steps)

    def _plan(self) -> list[list[int]]:
        """The examples of every optimizer step, fixed by the seed (the same on every process)."""
        cfg = self.config
        rng = np.random.default_rng(cfg.seed)
        n = len(self.examples)
        if cfg.batch_tokens is not None:
            lengths = [e.tokens for e in self.examples]
            epoch = token_batches(lengths, cfg.batch_tokens, rng)
            total = cfg.max_steps if cfg.max_steps is not None else max(1, math.ceil(cfg.epochs * len(epoch)))
            steps = epoch[::-1]
            while len(steps) < total:
                steps += token_batches(lengths, cfg.batch_tokens, rng)[::-1]
            return steps[:total]
        per_epoch = math.ceil(n / cfg.batch_size)
        total = cfg.max_steps if cfg.max_steps is not None else max(1, math.ceil(per_epoch * cfg.epochs))
        steps: list[list[int]] = []
        while len(steps) < total:
            order = rng.permutation(n).tolist()
            steps += [order[i:i + cfg.batch_size] for i in range(0, n, cfg.batch_size)]
        return steps[:total]

    def cost(self, index: int) -> int:
        """Tokens example ``index`` lays out in a micro-batch (what ``micro_batch_tokens`` bounds)."""
        return self.examples[index].tokens

    def micro_batches(self, local: Sequence[int]) -> list[list[int]]:
        lengths = [self.cost(i) for i in local]
        return [[local[j] for j in group] for group in plan_microbatches(lengths, self.config.micro_batch_tokens)]

    def pack(self, sequences: Sequence[tuple[Sequence[int], Sequence[int]]],
             prefixes: Sequence[tuple[int, int] | None] | None = None,
             avoid: Sequence[Sequence[tuple[int, int]] | None] | None = None) -> Packed:
        return pack(sequences, device=self.accelerator.device, row_tokens=self.config.row_tokens, prefixes=prefixes,
                    avoid=avoid)

    def step_totals(self, indices: Sequence[int]) -> dict[str, float]:
        """What a step's losses are normalised by: its agent tokens and its examples."""
        chosen = [self.examples[i] for i in indices]
        return {"tokens": float(sum(sum(e.mask) for e in chosen)), "examples": float(len(chosen))}

    def loss(self, group: Sequence[int], totals: dict[str, float]) -> tuple[torch.Tensor, dict[str, float]]:
        """The loss of one micro-batch, already divided by the step's totals, and its metrics."""
        raise NotImplementedError

    def accumulate(self, step: int) -> dict[str, float]:
        """Zero the gradients, then accumulate those of one optimizer step over its examples."""
        acc = self.accelerator
        indices = self.steps[step]
        local = self.local_share(indices)
        totals = self.step_totals(indices)
        micro = self.micro_batches(local) if local else [[indices[0]]]  # an idle process still syncs
        weight = 0.0 if not local else 1.0
        self.optimizer.zero_grad(set_to_none=True)
        metrics: dict[str, float] = {"loss": 0.0}
        for n, group in enumerate(micro):
            context = acc.no_sync(self.model) if n < len(micro) - 1 else contextlib.nullcontext()
            with context:
                with self.autocast():
                    loss, parts = self.loss(group, totals)
                acc.backward(loss * acc.num_processes * weight)
            for key, value in parts.items():
                metrics[key] = metrics.get(key, 0.0) + value * weight
        metrics["tokens"] = sum(self.examples[i].tokens for i in indices)
        return metrics
