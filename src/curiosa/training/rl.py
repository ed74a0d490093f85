"""SCoRe's two-stage multi-turn online RL, and the RL baselines, as a trainer on the shared loop.

Every step the current policy plays ``prompts_per_step`` problems ``samples_per_prompt`` times (two
attempts each): the episodes come from an *episode source* the caller passes in (the SCoRe pipeline
plays them with the rollout engine, so rollout and update alternate there; this module knows nothing
of games or generation). Each attempt's tokens are pushed by their own reward's RLOO advantage (see
``rloo``) and pulled towards the frozen starting model by a per-token KL penalty with that attempt's
beta:

================  =================================  ==================================
stage             attempt 1                          attempt 2
================  =================================  ==================================
``stage1``        no reward; KL beta2 (strong)       r2; KL beta1
``stage2``        r1; KL beta1                       r2 + alpha (r2 - r1); KL beta1
``single_turn``   r1; KL beta1                       not trained
================  =================================  ==================================

A run is a schedule of phases (``stage1`` then ``stage2`` is SCoRe; repeating the pair
interleaves them). Within a phase the model with the best training reward (mean over a window of
steps) is kept and the next phase starts from it. Checkpoints hold the phase's reward history too;
since every step's problems and sampling seeds derive from the run seed and the step number, a
resumed run ends where an uninterrupted one would.
"""

from __future__ import annotations

import contextlib
import copy
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import torch

from curiosa.data.encode import reply_spans
from curiosa.files import write_json
from curiosa.training.base import Trainer, TrainerConfig
from curiosa.training.packing import pack, plan_microbatches, token_logps
from curiosa.training.rloo import STAGES, attempt_rewards, kl_penalty, rloo_advantages


@dataclass
class Phase:
    """One stretch of training with one stage's objective."""

    stage: str = "stage1"
    """stage1 (maximise attempt 2, attempt 1 held near the base), stage2 (both attempts, shaped
    bonus on attempt 2) or single_turn (attempt 1 only: the single-turn RL baseline)."""
    steps: int = 100
    """Optimizer steps in this phase."""

    def __post_init__(self) -> None:
        if self.stage not in STAGES:
            raise ValueError(f"unknown stage {self.stage!r}; expected one of {', '.join(STAGES)}")
        if self.steps < 1:
            raise ValueError(f"a phase needs at least 1 step, got {self.steps}")


def _score_phases() -> list[Phase]:
    return [Phase("stage1", 100), Phase("stage2", 100)]


@dataclass
class RLTrainerConfig(TrainerConfig):
    """Online RL on two-attempt tasks (defaults: the paper's math settings where they apply). With
    ``lora``, the KL reference is the model with its adapters switched off (no second copy is held)."""

    output_dir: str = "runs/score/rl"
    """Where checkpoints, metrics.jsonl, each phase's best model and the final model go."""
    phases: list[Phase] = field(default_factory=_score_phases)
    """The schedule: SCoRe is [stage1, stage2]; [stage1, stage2, stage1, stage2] interleaves them."""
    prompts_per_step: int = 16
    """Problems per optimizer step (split across processes)."""
    samples_per_prompt: int = 4
    """k: episodes per problem; each one's baseline is the mean reward of the other k - 1 (RLOO)."""
    learning_rate: float = 5e-6
    """Adam learning rate (paper: 5e-6 math, 1e-5 code)."""
    lr_scheduler: str = "constant"
    """constant (paper) or cosine."""
    warmup_ratio: float = 0.0
    """Fraction of steps with linear warm-up (cosine schedule only)."""
    beta1: float = 0.01
    """KL weight to the starting model on attempt 2 (stage1) and on both attempts (stage2, single_turn)."""
    beta2: float = 0.1
    """Stage I's strong KL weight on attempt 1 (paper: 0.1 math, 0.25 code; or 10 x beta1)."""
    alpha: float = 10.0
    """Stage II's shaping weight: attempt 2 earns r2 + alpha (r2 - r1) (paper: 10; 0 is the ablation)."""
    select_best: bool = True
    """End each phase with its best model by training reward (mean over select_window steps)."""
    select_window: int = 5
    """Steps averaged for the training reward used to pick a phase's best model."""
    save_every: int = 10
    """Checkpoint every this many steps (and at every phase's end); 0: only at phase ends."""
    keep_checkpoints: int = 1
    """Checkpoints kept on disk (the oldest are deleted)."""
    def __post_init__(self) -> None:
        super().__post_init__()
        if self.samples_per_prompt < 2:
            raise ValueError(f"samples_per_prompt must be at least 2 (RLOO's baseline uses the others), "
                             f"got {self.samples_per_prompt}")
        if self.prompts_per_step < 1:
            raise ValueError(f"prompts_per_step must be at least 1, got {self.prompts_per_step}")
        if not self.phases:
            raise ValueError("phases is empty: nothing to train")
        if self.select_window < 1:
            raise ValueError(f"select_window must be at least 1, got {self.select_window}")


def training_reward(stage: str, r1: np.ndarray, r2: np.ndarray) -> float:
    """What a phase's best model is chosen by: the stage's unshaped objective."""
    if stage == "stage1":
        return float(r2.mean())
    if stage == "single_turn":
        return float(r1.mean())
    return float((r1 + r2).mean())


def tag_attempts(mask: Sequence[int]) -> list[int]:
    """The agent mask with each token tagged by its attempt number (1, 2, ...), 0 elsewhere."""
    out = [0] * len(mask)
    for attempt, (start, end) in enumerate(reply_spans(mask), 1):
        out[start:end] = [attempt] * (end - start)
    return out


@dataclass
class RLBatch:
    """This process's share of one step's episodes, in groups of ``samples_per_prompt`` consecutive
    samples of one problem."""

    ids: list[list[int]]
    """Each episode's token ids, exactly as generated."""
    tags: list[list[int]]
    """Per token: 1 or 2 for the agent's tokens of attempt 1 or 2 (later attempts count as 2), 0 elsewhere."""
    r1: np.ndarray
    """Reward of each episode's attempt 1."""
    r2: np.ndarray
    """Reward of each episode's attempt 2."""
    extras: dict[str, np.ndarray] = field(default_factory=dict)
    """Per-episode values logged as their mean over the step (e.g. unreadable attempts)."""

    @classmethod
    def from_episodes(cls, ids: Sequence[Sequence[int]], agent_masks: Sequence[Sequence[int]],
                      rewards: Sequence[Sequence[float]], extras: dict[str, Sequence[float]] | None = None) -> "RLBatch":
        table = np.asarray(rewards, dtype=np.float64).reshape(len(ids), 2)
        return cls([list(i) for i in ids], [[min(x, 2) for x in tag_attempts(m)] for m in agent_masks],
                   table[:, 0], table[:, 1], {k: np.asarray(v, dtype=np.float64) for k, v in (extras or {}).items()})


EpisodeSource = Callable[[int, Any], RLBatch]
"""``source(step, policy)``: this process's share of step ``step``'s episodes, played by ``policy``
(the unwrapped model, which the source may put in eval mode)."""


class RLTrainer(Trainer):
    """Runs ``config.phases`` from ``model`` on the episodes of ``source``.

    The KL terms pull towards ``reference`` (default: a frozen copy of ``model`` as it starts; with LoRA,
    the model with its adapters switched off).
    """

    name = "rl"

    def __init__(self, config: RLTrainerConfig, model: Any, tokenizer: Any, source: EpisodeSource,
                 accelerator: Any = None, reference: Any = None) -> None:
        self.config = config
        self.source = source
        super().__init__(config, model, tokenizer=tokenizer, accelerator=accelerator)
        if config.prompts_per_step % self.accelerator.num_processes:
            raise ValueError(f"prompts_per_step {config.prompts_per_step} does not split over "
                             f"{self.accelerator.num_processes} processes")
        if self.uses_lora and reference is None:
            self.reference = None  # the policy with its adapters switched off
        else:
            source_model = reference if reference is not None else copy.deepcopy(self.accelerator.unwrap_model(self.model))
            self.reference = source_model.eval().to(self.accelerator.device)
            for p in self.reference.parameters():
                p.requires_grad_(False)
        self.phase_rewards: list[float] = []
        self.best: dict[str, Any] = {}

    def num_steps(self) -> int:
        return sum(p.steps for p in self.config.phases)

    # ----------------------------------------------------------------- schedule
    def phase_at(self, step: int) -> tuple[int, Phase]:
        """The phase (index, phase) that global step ``step`` (0-based) belongs to."""
        end = 0
        for i, phase in enumerate(self.config.phases):
            end += phase.steps
            if step < end:
                return i, phase
        raise IndexError(f"step {step} is past the schedule's {self.total} steps")

    def phase_dir(self, index: int) -> Path:
        return self.out / f"phase-{index + 1}-{self.config.phases[index].stage}"

    # ----------------------------------------------------------------- one step
    def _betas(self, stage: str) -> tuple[float, float]:
        c = self.config
        return (c.beta2, c.beta1) if stage == "stage1" else (c.beta1, c.beta1)

    def advantages(self, batch: RLBatch, stage: str) -> np.ndarray:
        """[episodes, 2]: each attempt's RLOO advantage of the reward the stage credits it with."""
        k = self.config.samples_per_prompt
        a1, a2 = attempt_rewards(stage, torch.from_numpy(batch.r1), torch.from_numpy(batch.r2), self.config.alpha)
        return torch.stack([rloo_advantages(a1.view(-1, k)).flatten(),
                            rloo_advantages(a2.view(-1, k)).flatten()], 1).numpy()

    def policy_gradient(self, batch: RLBatch, stage: str, advantages: np.ndarray,
                        global_episodes: int) -> dict[str, float]:
        """Zero the gradients and accumulate one step's policy-gradient + KL loss over micro-batches."""
        acc = self.accelerator
        betas = torch.tensor([0.0, *self._betas(stage)], dtype=torch.float32, device=acc.device)
        adv = torch.tensor(advantages, dtype=torch.float32, device=acc.device)
        tags = batch.tags if stage != "single_turn" else [[x if x == 1 else 0 for x in t] for t in batch.tags]
        self.optimizer.zero_grad(set_to_none=True)
        usable = [i for i, t in enumerate(tags) if any(t[1:])]
        micro = [[usable[j] for j in g] for g in plan_microbatches([len(batch.ids[i]) for i in usable],
                                                                      self.config.micro_batch_tokens)]
        totals = {"loss": 0.0, "kl_attempt1": 0.0, "kl_attempt2": 0.0, "tokens": 0.0}
        scale = acc.num_processes / max(1, global_episodes)
        for n, group in enumerate(micro or [[]]):
            if not group:
                self.idle_backward()
                continue
            packed = pack([(batch.ids[i], tags[i]) for i in group], device=acc.device)
            reference = self._reference_logps(packed)
            context = acc.no_sync(self.model) if n < len(micro) - 1 else contextlib.nullcontext()
            with context:
                with self.autocast():
                    logps = token_logps(self.model, packed)
                episode = torch.tensor(group, device=acc.device)[packed.target_seq]
                attempt = packed.target_tag.clamp(1, 2)
                kl = kl_penalty(logps, reference)
                pg = -adv[episode, attempt - 1] * logps
                loss = (pg + betas[attempt] * kl).sum() * scale
                acc.backward(loss)
            totals["loss"] += loss.item() / acc.num_processes
            totals["tokens"] += float(len(logps))
            for a in (1, 2):
                totals[f"kl_attempt{a}"] += float(kl.detach()[attempt == a].sum()) / max(1, global_episodes)
        return totals

    @torch.no_grad()
    def _reference_logps(self, packed: Any) -> torch.Tensor:
        """The reference's log-probs, computed in the policy's precision (its own autocast), so that the
        KL is zero where the two models agree."""
        with self.autocast():
            if self.reference is not None:
                return token_logps(self.reference, packed)
            with self.accelerator.unwrap_model(self.model).disable_adapter():
                return token_logps(self.model, packed)

    def accumulate(self, step: int) -> dict[str, Any]:
        index, phase = self.phase_at(step)
        start = time.perf_counter()
        batch = self.source(step, self.accelerator.unwrap_model(self.model))
        rolled = time.perf_counter() - start
        self.model.train()
        global_episodes = self.config.prompts_per_step * self.config.samples_per_prompt
        parts = self.policy_gradient(batch, phase.stage, self.advantages(batch, phase.stage), global_episodes)
        from accelerate.utils import gather_object

        names = sorted(batch.extras)
        rows = gather_object([(float(a), float(b), *(float(batch.extras[n][i]) for n in names))
                              for i, (a, b) in enumerate(zip(batch.r1, batch.r2))])
        table = np.asarray(rows, dtype=np.float64).reshape(len(rows), 2 + len(names))
        r1, r2 = table[:, 0], table[:, 1]
        return {
            "stage": phase.stage, "phase": index + 1, "reward_t1": float(r1.mean()), "reward_t2": float(r2.mean()),
            "training_reward": training_reward(phase.stage, r1, r2),
            "i_to_c": float(((r1 == 0) & (r2 > 0)).mean()), "c_to_i": float(((r1 > 0) & (r2 == 0)).mean()),
            **{n: float(table[:, 2 + j].mean()) for j, n in enumerate(names)},
            **parts, "rollout_seconds": round(rolled, 3),
        }

    # ----------------------------------------------------------------- phases
    def on_step_end(self, record: dict[str, Any]) -> bool:
        index = record["phase"] - 1
        self.phase_rewards.append(record["training_reward"])
        self._maybe_keep_best(index)
        phase_end = self.step == sum(p.steps for p in self.config.phases[: index + 1])
        if phase_end:
            self._end_phase(index)
        return phase_end

    def _maybe_keep_best(self, index: int) -> None:
        window = self.config.select_window
        if not self.config.select_best or len(self.phase_rewards) < window:
            return
        score = float(np.mean(self.phase_rewards[-window:]))
        if score > self.best.get("score", -np.inf):
            self.best = {"score": score, "step": self.step}
            self.save_model(self.phase_dir(index) / "best", done=self.best)

    def _end_phase(self, index: int) -> None:
        """Continue from the phase's best model (by training reward), saved as the phase's ``model``."""
        best_dir = self.phase_dir(index) / "best"
        if self.config.select_best and (best_dir / "DONE").is_file() and self.best.get("step") != self.step:
            self.load_weights(best_dir)
        self.save_model(self.phase_dir(index) / "model", done={"phase": index + 1, "best": self.best or None})
        if self.accelerator.is_main_process:
            write_json(self.phase_dir(index) / "summary.json",
                       {"stage": self.config.phases[index].stage, "steps": self.config.phases[index].steps,
                        "best": self.best or None, "last_window": self.phase_rewards[-self.config.select_window:]})
        self.phase_rewards, self.best = [], {}

    def extra_state(self) -> dict[str, Any]:
        return {"phase_rewards": self.phase_rewards, "best": self.best}

    def load_extra_state(self, state: dict[str, Any]) -> None:
        self.phase_rewards = list(state["phase_rewards"])
        self.best = dict(state["best"])

    def final_info(self) -> dict[str, Any]:
        from dataclasses import asdict

        return {"trainer": self.name, "steps": self.step, "phases": [asdict(p) for p in self.config.phases]}
