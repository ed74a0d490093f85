"""One training loop on accelerate for SFT, DPO and RPO, on agent tokens only.

* Batches are padding-free (see ``packing``): the examples of a step are split across processes,
  then packed into micro-batches of at most ``micro_batch_tokens`` tokens; gradients accumulate
  over micro-batches and are normalised by the whole step's totals, so the result does not depend
  on how a step is split.
* DPO/RPO reference log-probabilities are computed once, before training, with the starting
  policy, and stored in the output directory.
* Checkpoints (model, optimizer, scheduler, RNG) every ``save_every`` steps; a rerun resumes from
  the last one and ends with the same weights as an uninterrupted run.
"""

from __future__ import annotations

import contextlib
import json
import math
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Sequence

import numpy as np
import torch

from curiosa.files import write_json
from curiosa.models.loading import LoraConfig
from curiosa.training.losses import dpo_losses, sft_loss_sum
from curiosa.training.packing import pack, plan_microbatches, sequence_logps

Kind = Literal["sft", "dpo", "rpo"]


@dataclass
class TrainConfig:
    """Optimisation settings shared by SFT, DPO and RPO."""

    output_dir: str = "runs/train"
    """Where checkpoints, metrics and the final model go."""
    learning_rate: float = 1e-5
    """Peak learning rate (paper, 8B full fine-tuning: SFT 1e-6, RPO 2e-7)."""
    epochs: float = 1.0
    """Passes over the data (fractions allowed)."""
    max_steps: int | None = None
    """Stop after this many optimizer steps (overrides epochs)."""
    batch_size: int = 32
    """Examples (trajectories, or pairs) per optimizer step, over all processes (paper: 32)."""
    micro_batch_tokens: int = 16384
    """Most tokens in one forward pass per process; gradients accumulate over micro-batches."""
    row_tokens: int | None = None
    """null (default): each micro-batch is one row, sequences end to end, with packed attention (one
    causal kernel call per sequence: no padding, no mask). A number: rows of about that many tokens
    with the model's own attention and a block mask (cost grows with the row length squared); for
    models whose attention cannot be swapped."""
    warmup_ratio: float = 0.04
    """Fraction of steps with linear warm-up before the cosine decay, rounded down: a run too short for
    a whole warm-up step has none (a warm-up starts at learning rate 0, so a one-step run would not move)."""
    weight_decay: float = 0.0
    """AdamW weight decay."""
    max_grad_norm: float = 1.0
    """Gradient clipping (0 disables it)."""
    beta: float = 0.1
    """DPO/RPO: strength of the implicit KL to the reference."""
    alpha: float = 1.0
    """RPO: weight of the chosen trajectory's token-mean NLL added to the DPO loss."""
    mixed_precision: str = "auto"
    """auto (bf16 on GPUs that support it, else none), no, bf16 or fp16."""
    gradient_checkpointing: bool = False
    """Recompute activations in the backward pass to save memory."""
    lora: LoraConfig | None = None
    """Train low-rank adapters instead of all weights (null: full fine-tuning)."""
    save_every: int = 50
    """Checkpoint every this many steps (0: only at the end)."""
    keep_checkpoints: int = 2
    """Checkpoints kept on disk (the oldest are deleted)."""
    log_every: int = 1
    """Write metrics every this many steps."""
    report_to: list[str] = field(default_factory=list)
    """Extra trackers through accelerate: tensorboard, wandb."""
    seed: int = 0
    """Seed of the data order and of initialisation of anything new (LoRA)."""
    threads: int | None = None
    """CPU threads for torch (default: torch's choice)."""


@dataclass
class Example:
    """One training example: a trajectory (SFT) or a pair (DPO/RPO) as token ids + agent masks."""

    id: str
    ids: list[int]
    mask: list[int]
    rejected_ids: list[int] | None = None
    rejected_mask: list[int] | None = None

    @property
    def tokens(self) -> int:
        return len(self.ids) + len(self.rejected_ids or [])


def _mixed_precision(setting: str) -> str:
    if setting != "auto":
        return setting
    return "bf16" if torch.cuda.is_available() and torch.cuda.is_bf16_supported() else "no"


def make_accelerator(config: TrainConfig) -> Any:
    from accelerate import Accelerator

    return Accelerator(
        cpu=not torch.cuda.is_available(),  # several CPU processes under a launcher: MULTI_CPU with gloo
        mixed_precision=_mixed_precision(config.mixed_precision),
        log_with=config.report_to or None, project_dir=config.output_dir,
    )


def drop_records_after(path: Path, step: int) -> None:
    """Remove the metrics records of steps after ``step`` (a resumed run redoes them), so none is logged twice."""
    if not path.is_file():
        return
    kept = [line for line in path.read_text().splitlines() if line.strip() and json.loads(line)["step"] <= step]
    path.write_text("".join(line + "\n" for line in kept))


class Trainer:
    """Trains ``model`` on ``examples`` with the loss ``kind``; ``accelerator`` defaults to a new one."""

    def __init__(self, kind: Kind, config: TrainConfig, model: Any, examples: Sequence[Example],
                 accelerator: Any = None, tokenizer: Any = None) -> None:
        if kind not in ("sft", "dpo", "rpo"):
            raise ValueError(f"kind must be sft, dpo or rpo, got {kind!r}")
        if not examples:
            raise ValueError("no training examples")
        if kind != "sft" and any(e.rejected_ids is None for e in examples):
            raise ValueError(f"{kind} needs preference pairs (examples with a rejected trajectory)")
        self.kind, self.config, self.examples = kind, config, list(examples)
        self.tokenizer = tokenizer
        self.out = Path(config.output_dir)
        if config.threads:
            torch.set_num_threads(config.threads)
        self.accelerator = accelerator or make_accelerator(config)
        if self.accelerator.num_processes > config.batch_size:
            raise ValueError(f"batch_size {config.batch_size} is smaller than the {self.accelerator.num_processes} processes")
        if config.gradient_checkpointing:
            model.gradient_checkpointing_enable()
            model.config.use_cache = False
        self.steps = self._plan()
        total = len(self.steps)
        optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad],
                                      lr=config.learning_rate, weight_decay=config.weight_decay)
        from transformers import get_cosine_schedule_with_warmup

        self.model, self.optimizer = self.accelerator.prepare(model, optimizer)
        # Not prepared: accelerate would step it once per process per step. Saved with the state all the same.
        self.scheduler = get_cosine_schedule_with_warmup(self.optimizer, int(config.warmup_ratio * total), total)
        self.accelerator.register_for_checkpointing(self.scheduler)
        self.reference: dict[str, tuple[float, float]] = {}
        self.step = 0

    # ----------------------------------------------------------------- data order
    def _plan(self) -> list[list[int]]:
        """The examples of every optimizer step, fixed by the seed (the same on every process)."""
        cfg = self.config
        rng = np.random.default_rng(cfg.seed)
        n = len(self.examples)
        per_epoch = math.ceil(n / cfg.batch_size)
        total = cfg.max_steps if cfg.max_steps is not None else max(1, math.ceil(per_epoch * cfg.epochs))
        steps: list[list[int]] = []
        while len(steps) < total:
            order = rng.permutation(n).tolist()
            steps += [order[i:i + cfg.batch_size] for i in range(0, n, cfg.batch_size)]
        return steps[:total]

    def _local(self, indices: Sequence[int]) -> list[int]:
        """This process's share of a step's examples (round robin)."""
        acc = self.accelerator
        return list(indices[acc.process_index::acc.num_processes])

    def _micro(self, local: Sequence[int]) -> list[list[int]]:
        lengths = [self.examples[i].tokens for i in local]
        return [[local[j] for j in group] for group in plan_microbatches(lengths, self.config.micro_batch_tokens)]

    # ----------------------------------------------------------------- reference log-probs
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
        mine = self._local(list(range(len(self.examples))))
        values: dict[str, tuple[float, float]] = {}
        self.model.eval()
        with torch.no_grad():
            for group in self._micro(mine):
                chosen, rejected = self._pair_logps(group)
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

    def _pair_logps(self, group: Sequence[int]) -> tuple[tuple[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]:
        seqs = [(self.examples[i].ids, self.examples[i].mask) for i in group]
        seqs += [(self.examples[i].rejected_ids, self.examples[i].rejected_mask) for i in group]  # type: ignore[misc]
        sums, counts = sequence_logps(self.model, pack(seqs, device=self.accelerator.device, row_tokens=self.config.row_tokens))
        k = len(group)
        return (sums[:k], counts[:k]), (sums[k:], counts[k:])

    # ----------------------------------------------------------------- one step
    def accumulate(self, indices: Sequence[int]) -> dict[str, float]:
        """Zero the gradients, then accumulate those of one optimizer step over ``indices``."""
        acc = self.accelerator
        local = self._local(indices)
        world = acc.num_processes
        totals = self._step_totals(indices)
        micro = self._micro(local) if local else [[indices[0]]]  # an idle process still syncs
        weight = 0.0 if not local else 1.0
        self.optimizer.zero_grad(set_to_none=True)
        metrics: dict[str, float] = {"loss": 0.0}
        for n, group in enumerate(micro):
            sync = n == len(micro) - 1
            context = acc.no_sync(self.model) if not sync else contextlib.nullcontext()
            with context:
                loss, parts = self._loss(group, totals)
                acc.backward(loss * world * weight)
            for key, value in parts.items():
                metrics[key] = metrics.get(key, 0.0) + value * weight
        return metrics

    def _step_totals(self, indices: Sequence[int]) -> dict[str, float]:
        ex = [self.examples[i] for i in indices]
        return {"tokens": float(sum(sum(e.mask) for e in ex)), "pairs": float(len(ex))}

    def _loss(self, group: Sequence[int], totals: dict[str, float]) -> tuple[torch.Tensor, dict[str, float]]:
        cfg = self.config
        if self.kind == "sft":
            seqs = [(self.examples[i].ids, self.examples[i].mask) for i in group]
            sums, counts = sequence_logps(self.model, pack(seqs, device=self.accelerator.device, row_tokens=self.config.row_tokens))
            loss = sft_loss_sum(sums) / max(1.0, totals["tokens"])
            return loss, {"loss": loss.item(), "nll": loss.item()}
        (pc, nc), (pr, _) = self._pair_logps(group)
        ref = torch.tensor([self.reference[self.examples[i].id] for i in group], device=pc.device, dtype=pc.dtype)
        per_pair, rc, rr = dpo_losses(pc, pr, ref[:, 0], ref[:, 1], cfg.beta)
        dpo = per_pair.sum() / totals["pairs"]
        loss = dpo
        parts = {"dpo_loss": dpo.item(), "reward_margin": float((rc - rr).sum()) / totals["pairs"],
                 "reward_accuracy": float((rc > rr).float().sum()) / totals["pairs"]}
        if self.kind == "rpo":
            nll = sft_loss_sum(pc) / max(1.0, totals["tokens"])
            loss = dpo + cfg.alpha * nll
            parts["nll"] = nll.item()
        parts["loss"] = loss.item()
        return loss, parts

    # ----------------------------------------------------------------- the loop
    def train(self) -> Path:
        """Train to the end (resuming from the last checkpoint if any); returns the final model dir."""
        acc = self.accelerator
        cfg = self.config
        final = self.out / "model"
        if (final / "DONE").is_file():
            return final
        if self.kind != "sft":
            self.compute_reference()
        self._resume()
        if acc.is_main_process:
            self.out.mkdir(parents=True, exist_ok=True)
        if cfg.report_to:
            acc.init_trackers("curiosa", config={"kind": self.kind, **{k: str(v) for k, v in vars(cfg).items()}})
        bar = None
        if acc.is_main_process:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(self.steps), initial=self.step, desc=f"train {self.kind}", unit="step")
        self.model.train()
        metrics_path = self.out / "metrics.jsonl"
        while self.step < len(self.steps):
            start = time.perf_counter()
            indices = self.steps[self.step]
            metrics = self.accumulate(indices)
            grad_norm = acc.clip_grad_norm_(self.model.parameters(), cfg.max_grad_norm) if cfg.max_grad_norm else None
            self.optimizer.step()
            self.scheduler.step()
            self.step += 1
            elapsed = time.perf_counter() - start
            record = {"step": self.step, "lr": self.scheduler.get_last_lr()[0], "processes": acc.num_processes,
                      **{k: round(v, 6) for k, v in metrics.items()},
                      "tokens": sum(self.examples[i].tokens for i in indices), "seconds": round(elapsed, 4)}
            if grad_norm is not None:
                record["grad_norm"] = float(grad_norm)
            record["tokens_per_second"] = round(record["tokens"] / max(elapsed, 1e-9), 1)
            if acc.is_main_process and (self.step % cfg.log_every == 0 or self.step == len(self.steps)):
                with open(metrics_path, "a") as fh:
                    fh.write(json.dumps(record) + "\n")
                if cfg.report_to:
                    acc.log(record, step=self.step)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{metrics['loss']:.4f}")
            if cfg.save_every and self.step % cfg.save_every == 0 and self.step < len(self.steps):
                self._checkpoint()
        if bar is not None:
            bar.close()
        self._save_final(final)
        if cfg.report_to:
            acc.end_training()
        return final

    # ----------------------------------------------------------------- checkpoints
    def _checkpoint(self) -> None:
        acc = self.accelerator
        root = self.out / "checkpoints"
        target = root / f"step-{self.step:06d}"
        tmp = root / f".tmp-step-{self.step:06d}"
        if acc.is_main_process and tmp.exists():
            shutil.rmtree(tmp)
        acc.wait_for_everyone()
        acc.save_state(str(tmp))
        if acc.is_main_process:
            (tmp / "trainer_state.json").write_text(json.dumps({"step": self.step, "kind": self.kind}))
            tmp.rename(target)  # a checkpoint exists only once complete
            done = sorted(p for p in root.glob("step-*") if p.is_dir())
            for old in done[: max(0, len(done) - self.config.keep_checkpoints)]:
                shutil.rmtree(old)
        acc.wait_for_everyone()

    def latest_checkpoint(self) -> Path | None:
        done = sorted(p for p in (self.out / "checkpoints").glob("step-*") if (p / "trainer_state.json").is_file())
        return done[-1] if done else None

    def _resume(self) -> None:
        last = self.latest_checkpoint()
        if last is None:
            return
        state = json.loads((last / "trainer_state.json").read_text())
        if state.get("kind") != self.kind:
            raise ValueError(f"{last} is a {state.get('kind')} checkpoint, not {self.kind}")
        self.accelerator.load_state(str(last))
        self.step = int(state["step"])
        if self.accelerator.is_main_process:
            drop_records_after(self.out / "metrics.jsonl", self.step)

    def _save_final(self, final: Path) -> None:
        acc = self.accelerator
        acc.wait_for_everyone()
        model = acc.unwrap_model(self.model)
        if acc.is_main_process:
            tmp = final.with_name(final.name + ".tmp")
            if tmp.exists():
                shutil.rmtree(tmp)
            if hasattr(model, "merge_and_unload") and self.config.lora is not None:
                model = model.merge_and_unload()
            model.save_pretrained(tmp, state_dict=acc.get_state_dict(self.model) if self.config.lora is None else None,
                                  safe_serialization=True)
            if self.tokenizer is not None:
                self.tokenizer.save_pretrained(tmp)
            (tmp / "DONE").write_text(json.dumps({"kind": self.kind, "steps": self.step}))
            if final.exists():
                shutil.rmtree(final)
            tmp.rename(final)
        acc.wait_for_everyone()
