"""The one training loop every method shares: accelerator, optimizer, schedule, mixed precision,
logging, checkpoints, exact resume and the final save.

A method is a :class:`TrainerConfig` subclass with its own settings and a :class:`Trainer` subclass that
supplies only what differs: how many steps there are (``num_steps``) and what one step's gradient is
(``accumulate``: zero the gradients, then backward over the step's micro-batches). Hooks let a method
prepare before the loop (``before_training``, e.g. reference log-probabilities), react after a step
(``on_step_end``, e.g. keep a best model), and carry state across a resume (``extra_state``).

* Checkpoints (model, optimizer, scheduler, RNG and the method's extra state) every ``save_every``
  steps, written to a temporary directory and renamed once complete; a rerun resumes from the last one
  and ends with the same weights as an uninterrupted run (the metrics of redone steps are dropped, so
  no step is logged twice).
* The final model goes to ``<output_dir>/model`` with a ``DONE`` marker; a finished run is not trained
  again. LoRA adapters are merged into a plain model directory.
* ``time_limit_minutes`` compresses the learning-rate schedule onto a wall-clock budget: the schedule
  follows whichever of steps and time is further along, so a run cut by time still ends annealed.
"""

from __future__ import annotations

import json
import math
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch

from curiosa.models.loading import LoraConfig


@dataclass
class TrainerConfig:
    """Settings every trainer shares."""

    output_dir: str = "runs/train"
    """Where checkpoints, metrics.jsonl and the final model go."""
    learning_rate: float = 1e-5
    """Peak learning rate."""
    lr_scheduler: str = "cosine"
    """cosine (linear warm-up, then cosine decay to min_lr_ratio x learning_rate) or constant."""
    warmup_ratio: float = 0.04
    """Fraction of steps with linear warm-up, rounded down to whole steps: a run too short for one
    warm-up step has none (a warm-up starts at learning rate 0, so a one-step run would not move)."""
    min_lr_ratio: float = 0.0
    """The cosine schedule ends at learning_rate times this."""
    weight_decay: float = 0.0
    """AdamW weight decay (applied to matrices only, never to norms and biases)."""
    adam_beta1: float = 0.9
    """AdamW beta1."""
    adam_beta2: float = 0.999
    """AdamW beta2."""
    adam_epsilon: float = 1e-8
    """AdamW epsilon."""
    max_grad_norm: float = 1.0
    """Gradient clipping (0 disables it)."""
    mixed_precision: str = "auto"
    """auto (bf16 autocast on GPUs and CPUs that support it, else none), no, bf16 or fp16. The weights
    stay as loaded (fp32 master weights for stable updates); matrix products run in bf16."""
    gradient_checkpointing: bool = False
    """Recompute activations in the backward pass to save memory."""
    micro_batch_tokens: int = 4096
    """Most tokens in one forward pass per process; gradients accumulate over micro-batches. Activation
    memory grows in proportion (with 16384, a PAPRIKA run of the 135M default peaked at 23 GB)."""
    lora: LoraConfig | None = None
    """Train low-rank adapters instead of all weights (null: full fine-tuning)."""
    time_limit_minutes: float = 0.0
    """Stop training after this many minutes, with the schedule compressed to fit (0: no limit)."""
    save_every: int = 50
    """Checkpoint every this many steps (0: only at the end)."""
    keep_checkpoints: int = 2
    """Checkpoints kept on disk (the oldest are deleted)."""
    log_every: int = 1
    """Write metrics every this many steps."""
    report_to: list[str] = field(default_factory=list)
    """Extra trackers through accelerate: tensorboard, wandb."""
    seed: int = 0
    """Seed of the data order and of anything the method draws."""
    threads: int | None = None
    """CPU threads for torch (default: torch's choice)."""
    progress: bool = True
    """Show a progress bar."""

    def __post_init__(self) -> None:
        if self.lr_scheduler not in ("cosine", "constant"):
            raise ValueError(f"lr_scheduler must be cosine or constant, got {self.lr_scheduler!r}")
        if not 0 <= self.warmup_ratio < 1 or not 0 <= self.min_lr_ratio <= 1:
            raise ValueError("need 0 <= warmup_ratio < 1 and 0 <= min_lr_ratio <= 1")
        if self.learning_rate < 0:
            raise ValueError(f"learning_rate must not be negative, got {self.learning_rate}")


RESUME_NEUTRAL = ("output_dir", "micro_batch_tokens", "gradient_checkpointing", "save_every", "keep_checkpoints",
                  "log_every", "report_to", "threads", "progress")
"""Trainer settings a resumed run may change: they change speed, memory or logging, not what is trained
(micro-batches and recomputed activations give the same gradients to rounding). A run that ran out of
memory resumes with a smaller ``micro_batch_tokens``; any other change is refused."""


def latest_checkpoint(output_dir: Path) -> Path | None:
    """The last complete checkpoint a trainer left in ``output_dir``, if any."""
    done = sorted(p for p in (output_dir / "checkpoints").glob("step-*") if (p / "trainer_state.json").is_file())
    return done[-1] if done else None


def mixed_precision(setting: str) -> str:
    """The accelerate mixed-precision mode ``setting`` means on this machine."""
    from curiosa.models.dtype import auto_mixed_precision

    return auto_mixed_precision() if setting == "auto" else setting


def make_accelerator(config: TrainerConfig) -> Any:
    """accelerate's Accelerator for ``config``. bf16 autocast is the trainer's own (``Trainer.autocast``), so
    that trainers of one process may differ in precision; only fp16 (GPUs: it needs a gradient scaler) is
    left to accelerate, whose precision is one per process."""
    from accelerate import Accelerator

    return Accelerator(
        cpu=not torch.cuda.is_available(),  # several CPU processes under a launcher: MULTI_CPU with gloo
        mixed_precision="fp16" if mixed_precision(config.mixed_precision) == "fp16" else "no",
        log_with=config.report_to or None, project_dir=config.output_dir,
    )


def lr_factor(progress: float, warmup: float, min_ratio: float) -> float:
    """Learning-rate multiplier at ``progress`` in [0, 1] of the run: linear warm-up over the first
    ``warmup`` of it, then a cosine down to ``min_ratio``."""
    progress = min(max(progress, 0.0), 1.0)
    if progress < warmup:
        return progress / warmup
    span = (progress - warmup) / max(1e-12, 1.0 - warmup)
    return min_ratio + (1.0 - min_ratio) * 0.5 * (1.0 + math.cos(math.pi * span))


def drop_records_after(path: Path, step: int) -> None:
    """Remove the metrics records of steps after ``step`` (a resumed run redoes them), so none is logged twice."""
    if not path.is_file():
        return
    kept = [line for line in path.read_text().splitlines() if line.strip() and json.loads(line)["step"] <= step]
    path.write_text("".join(line + "\n" for line in kept))


class Trainer:
    """The loop. Subclasses implement ``num_steps`` and ``accumulate``; see the module docstring."""

    name = "train"
    """Shown on the progress bar and recorded in checkpoints (a checkpoint of another method is refused)."""

    def __init__(self, config: TrainerConfig, model: Any, tokenizer: Any = None, accelerator: Any = None) -> None:
        from curiosa.runtime import keep_freed_memory

        keep_freed_memory()
        self.config = config
        self.tokenizer = tokenizer
        self.out = Path(config.output_dir)
        if config.threads:
            torch.set_num_threads(config.threads)
        self.accelerator = accelerator or make_accelerator(config)
        if config.gradient_checkpointing:
            model.gradient_checkpointing_enable()
            model.config.use_cache = False
        self.step = 0
        self.stop_reason = "steps"
        self.total = self.num_steps()
        self.uses_lora = hasattr(model, "disable_adapter")
        self.model, self.optimizer = self.accelerator.prepare(model, self._optimizer(model))
        self._warmup_steps = int(config.warmup_ratio * self.total) if config.lr_scheduler == "cosine" else 0
        self._started = time.time()
        # Not prepared: accelerate would step it once per process per step. Saved with the state all the same.
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(self.optimizer, self._factor)
        self.accelerator.register_for_checkpointing(self.scheduler)

    # ----------------------------------------------------------------- what a method supplies
    def num_steps(self) -> int:
        """Optimizer steps of the whole run."""
        raise NotImplementedError

    def accumulate(self, step: int) -> dict[str, float]:
        """Zero the gradients, then accumulate step ``step``'s (0-based) gradients; returns its metrics."""
        raise NotImplementedError

    def before_training(self) -> None:
        """Work done once before the loop (after the model is prepared, before resuming)."""

    def on_step_end(self, record: dict[str, Any]) -> bool:
        """Called after each optimizer step with its metrics record (which it may extend); True asks for
        a checkpoint now."""
        return False

    def extra_state(self) -> dict[str, Any]:
        """The method's own state, saved with every checkpoint (JSON)."""
        return {}

    def load_extra_state(self, state: dict[str, Any]) -> None:
        """Restore ``extra_state`` on resume."""

    def final_info(self) -> dict[str, Any]:
        """Written into the final model's DONE marker."""
        return {"trainer": self.name, "steps": self.step}

    # ----------------------------------------------------------------- shared pieces
    def _optimizer(self, model: Any) -> torch.optim.Optimizer:
        cfg = self.config
        params = [p for p in model.parameters() if p.requires_grad]
        decay = [p for p in params if p.ndim >= 2]
        groups = [{"params": decay, "weight_decay": cfg.weight_decay},
                  {"params": [p for p in params if p.ndim < 2], "weight_decay": 0.0}]
        return torch.optim.AdamW([g for g in groups if g["params"]], lr=cfg.learning_rate,
                                 betas=(cfg.adam_beta1, cfg.adam_beta2), eps=cfg.adam_epsilon)

    def _progress(self, step: int) -> float:
        """How far along the run is at ``step``: by steps, or by time when a time limit is set and
        further along."""
        progress = step / self.total
        if self.config.time_limit_minutes > 0:
            progress = max(progress, (time.time() - self._started) / (60.0 * self.config.time_limit_minutes))
        return progress

    def _factor(self, step: int) -> float:
        cfg = self.config
        if cfg.lr_scheduler == "constant":
            return 1.0
        if cfg.time_limit_minutes > 0:
            return lr_factor(self._progress(step), self._warmup_steps / self.total, cfg.min_lr_ratio)
        if step < self._warmup_steps:
            return step / max(1, self._warmup_steps)
        progress = (step - self._warmup_steps) / max(1, self.total - self._warmup_steps)
        return cfg.min_lr_ratio + (1.0 - cfg.min_lr_ratio) * max(0.0, 0.5 * (1.0 + math.cos(math.pi * progress)))

    def local_share(self, items: list[Any]) -> list[Any]:
        """This process's share of a step's items (round robin)."""
        acc = self.accelerator
        return list(items[acc.process_index::acc.num_processes])

    def autocast(self) -> Any:
        """The context forward passes run in: bf16 autocast over the fp32 master weights when the
        config's mixed precision is bf16, else nothing."""
        import contextlib

        if mixed_precision(self.config.mixed_precision) != "bf16":
            return contextlib.nullcontext()
        return torch.autocast(device_type=self.accelerator.device.type, dtype=torch.bfloat16)

    def idle_backward(self) -> None:
        """A process with nothing to train this step still takes part in the gradient sync."""
        self.accelerator.backward(sum(p.sum() * 0.0 for p in self.model.parameters() if p.requires_grad))

    # ----------------------------------------------------------------- the loop
    def train(self) -> Path:
        """Train to the end (resuming from the last checkpoint if any); returns the final model directory."""
        from curiosa.runtime import MemoryGuard

        memory = MemoryGuard()
        acc, cfg = self.accelerator, self.config
        final = self.out / "model"
        if (final / "DONE").is_file():
            return final
        self.before_training()
        self._resume()
        self._started = time.time()
        if acc.is_main_process:
            self.out.mkdir(parents=True, exist_ok=True)
        if cfg.report_to:
            acc.init_trackers("curiosa", config={"trainer": self.name, **{k: str(v) for k, v in asdict(cfg).items()}})
        bar = None
        if acc.is_main_process and cfg.progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=self.total, initial=self.step, desc=self.name, unit="step")
        self.model.train()
        stop_reason = "steps"
        while self.step < self.total:
            if cfg.time_limit_minutes > 0 and self._progress(self.step) >= 1.0:
                stop_reason = "time_limit"
                break
            start = time.perf_counter()
            lr = self.scheduler.get_last_lr()[0]
            metrics = self.accumulate(self.step)
            grad_norm = acc.clip_grad_norm_(self.model.parameters(), cfg.max_grad_norm) if cfg.max_grad_norm else None
            self.optimizer.step()
            memory.after_step()
            self.step += 1
            self.scheduler.step()
            record: dict[str, Any] = {"step": self.step, "lr": lr, "processes": acc.num_processes,
                                      **{k: round(v, 6) if isinstance(v, float) else v for k, v in metrics.items()}}
            if grad_norm is not None:
                record["grad_norm"] = float(grad_norm)
            record["seconds"] = round(time.perf_counter() - start, 4)
            if "tokens" in record:
                record["tokens_per_second"] = round(record["tokens"] / max(record["seconds"], 1e-9), 1)
            wants_checkpoint = self.on_step_end(record)
            if acc.is_main_process and (self.step % cfg.log_every == 0 or self.step == self.total):
                with open(self.out / "metrics.jsonl", "a") as fh:
                    fh.write(json.dumps(record) + "\n")
                if cfg.report_to:
                    acc.log(record, step=self.step)
            if bar is not None:
                bar.update(1)
                if "loss" in metrics:
                    bar.set_postfix(loss=f"{metrics['loss']:.4f}")
            due = cfg.save_every and self.step % cfg.save_every == 0
            if (due or wants_checkpoint) and self.step < self.total:
                self.checkpoint()
        if bar is not None:
            bar.close()
        self.stop_reason = stop_reason
        self.save_model(final, done=self.final_info(), merge=True)
        if cfg.report_to:
            acc.end_training()
        return final

    # ----------------------------------------------------------------- saving and resuming
    def save_model(self, target: Path, done: dict[str, Any], merge: bool = False) -> None:
        """The policy as a model directory with a DONE marker (written last, by a rename). With LoRA:
        only the adapters, unless ``merge`` (the run's last save): then a plain merged model."""
        acc = self.accelerator
        acc.wait_for_everyone()
        if acc.is_main_process:
            tmp = target.with_name(target.name + ".tmp")
            if tmp.exists():
                shutil.rmtree(tmp)
            model = acc.unwrap_model(self.model)
            if self.uses_lora:
                if merge:
                    model = model.merge_and_unload()  # the last save of the run: the policy is not used again
                model.save_pretrained(tmp, safe_serialization=True)
            else:
                model.save_pretrained(tmp, state_dict=acc.get_state_dict(self.model), safe_serialization=True)
            if self.tokenizer is not None:
                self.tokenizer.save_pretrained(tmp)
            (tmp / "DONE").write_text(json.dumps(done))
            if target.exists():
                shutil.rmtree(target)
            tmp.rename(target)
        acc.wait_for_everyone()

    def load_weights(self, folder: Path) -> None:
        """Put the weights ``save_model`` wrote into ``folder`` back into the policy."""
        from safetensors.torch import load_file

        model = self.accelerator.unwrap_model(self.model)
        device = str(self.accelerator.device)
        if self.uses_lora:
            from peft import set_peft_model_state_dict

            set_peft_model_state_dict(model, load_file(str(folder / "adapter_model.safetensors"), device=device))
            return
        missing, _ = model.load_state_dict(load_file(str(folder / "model.safetensors"), device=device), strict=False)
        if any(not name.endswith("lm_head.weight") for name in missing):  # a tied head is not saved
            raise RuntimeError(f"{folder} does not hold every weight of the model: {missing[:5]}")

    def checkpoint(self) -> None:
        acc = self.accelerator
        root = self.out / "checkpoints"
        target, tmp = root / f"step-{self.step:06d}", root / f".tmp-step-{self.step:06d}"
        if acc.is_main_process and tmp.exists():
            shutil.rmtree(tmp)
        acc.wait_for_everyone()
        acc.save_state(str(tmp))
        acc.wait_for_everyone()  # every rank writes its own files into tmp before it is renamed
        if acc.is_main_process:
            state = {"step": self.step, "trainer": self.name, **self.extra_state()}
            (tmp / "trainer_state.json").write_text(json.dumps(state))
            tmp.rename(target)  # a checkpoint exists only once complete
            done = sorted(p for p in root.glob("step-*") if p.is_dir())
            for old in done[: max(0, len(done) - self.config.keep_checkpoints)]:
                shutil.rmtree(old)
        acc.wait_for_everyone()

    def latest_checkpoint(self) -> Path | None:
        return latest_checkpoint(self.out)

    def _resume(self) -> None:
        last = self.latest_checkpoint()
        if last is None:
            return
        state = json.loads((last / "trainer_state.json").read_text())
        if state.get("trainer") != self.name:
            raise ValueError(f"{last} is a checkpoint of {state.get('trainer')!r}, not of {self.name!r}")
        if state["step"] > self.total:
            raise ValueError(f"{last} is at step {state['step']}, past this run's {self.total} steps")
        self.accelerator.load_state(str(last))
        self.step = int(state["step"])
        self.load_extra_state(state)
        if self.accelerator.is_main_process:
            drop_records_after(self.out / "metrics.jsonl", self.step)
