"""Multi-turn DPO and RPO on preference pairs of whole trajectories.

DPO: -log sigmoid(beta * [sum over the chosen trajectory's agent tokens of log pi/pi_ref - the same
on the rejected one]). RPO adds alpha times the chosen trajectory's token-mean NLL. The reference
log-probabilities are computed once, before training, with the starting policy, and stored in the
output directory (``reference_logps.json``), so a resumed run does not recompute them.

The two sides of a pair usually begin alike (the task's prompt; in ``curiosa repeat-pairs`` pairs, the
whole game so far): the rejected side is then packed as its tail only, attending to the chosen side's
copy of the shared tokens (``training.packing``), which gives the same log-probs at up to half the cost.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Sequence

import torch

from curiosa.files import write_json
from curiosa.training.losses import dpo_losses, sft_loss_sum
from curiosa.training.offline import OfflineConfig, OfflineTrainer
from curiosa.training.packing import sequence_logps, shared_prefix


@dataclass
class DPOConfig(OfflineConfig):
    """DPO/RPO settings (paper, 8B model: RPO lr 2e-7, batch 32, beta 0.1, alpha 1.0)."""

    beta: float = 0.1
    """Strength of the implicit KL to the reference."""
    alpha: float = 1.0
    """Weight of the chosen trajectory's token-mean NLL added to the DPO loss (RPO); 0 is plain DPO."""
    share_prefix: bool = True
    """Compute the tokens both sides of a pair begin with once (same log-probs to rounding; needs the
    one-row layout, row_tokens null). false: each side on its own."""


class DPOTrainer(OfflineTrainer):
    """DPO, or RPO when ``config.alpha`` > 0."""

    def __init__(self, config: DPOConfig, model: Any, examples: Sequence[Any], tokenizer: Any = None,
                 accelerator: Any = None) -> None:
        if any(not e.is_pair for e in examples):
            raise ValueError("DPO/RPO needs preference pairs (examples with a rejected trajectory)")
        self.name = "rpo" if config.alpha > 0 else "dpo"
        share = config.share_prefix and config.row_tokens is None
        self.shared = [shared_prefix((e.ids, e.mask), (e.rejected_ids, e.rejected_mask)) if share else 0
                       for e in examples]
        super().__init__(config, model, examples, tokenizer=tokenizer, accelerator=accelerator)
        self.reference: dict[str, tuple[float, float]] = {}

    def cost(self, index: int) -> int:
        return self.examples[index].tokens - self.shared[index]

    def before_training(self) -> None:
        self.compute_reference()

    def compute_reference(self) -> None:
        """Log-probs of every pair under the starting policy, computed once and stored."""
        path = self.out / "reference_logps.json"
        ids = [e.id for e in self.examples]
        if path.is_file():
            stored = json.loads(path.read_text())
            if set(stored) >= set(ids):
                self.reference = {k: tuple(stored[k]) for k in ids}  # type: ignore[misc]
                return
        acc = self.accelerator
        mine = self.local_share(list(range(len(self.examples))))
        values: dict[str, tuple[float, float]] = {}
        self.model.eval()
        with torch.no_grad(), self.autocast():
            for group in self.micro_batches(mine):
                chosen, rejected = self.pair_logps(group)
                for i, c, r in zip(group, chosen[0].tolist(), rejected[0].tolist()):
                    values[self.examples[i].id] = (c, r)
        from accelerate.utils import gather_object

        merged: dict[str, tuple[float, float]] = {}
        for part in gather_object([values]):
            merged.update(part)
        self.reference = merged
        if acc.is_main_process:
            write_json(path, merged, indent=None)
        acc.wait_for_everyone()

    def pair_logps(self, group: Sequence[int]) -> tuple[tuple[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]:
        """(sums, counts) of agent-token log-probs of the chosen, then of the rejected trajectories."""
        seqs = [(self.examples[i].ids, self.examples[i].mask) for i in group]
        seqs += [(self.examples[i].rejected_ids, self.examples[i].rejected_mask) for i in group]  # type: ignore[misc]
        links = [None] * len(group) + [(k, self.shared[i]) if self.shared[i] else None for k, i in enumerate(group)]
        sums, counts = sequence_logps(self.model, self.pack(seqs, prefixes=links))
        k = len(group)
        return (sums[:k], counts[:k]), (sums[k:], counts[k:])

    def loss(self, group: Sequence[int], totals: dict[str, float]) -> tuple[torch.Tensor, dict[str, float]]:
        cfg = self.config
        (pc, _), (pr, _) = self.pair_logps(group)
        ref = torch.tensor([self.reference[self.examples[i].id] for i in group], device=pc.device, dtype=pc.dtype)
        per_pair, rc, rr = dpo_losses(pc, pr, ref[:, 0], ref[:, 1], cfg.beta)
        pairs = totals["examples"]
        dpo = per_pair.sum() / pairs
        loss = dpo
        parts = {"dpo_loss": dpo.item(), "reward_margin": float((rc - rr).sum()) / pairs,
                 "reward_accuracy": float((rc > rr).float().sum()) / pairs}
        if cfg.alpha > 0:
            nll = sft_loss_sum(pc) / max(1.0, totals["tokens"])
            loss = dpo + cfg.alpha * nll
            parts["nll"] = nll.item()
        parts["loss"] = loss.item()
        return loss, parts
