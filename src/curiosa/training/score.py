"""SCoRe's two-stage multi-turn online RL (DESIGN.md section 3), and the RL baselines.

Every step the current policy plays ``prompts_per_step`` problems ``samples_per_prompt`` times (two
attempts each) through the rollout engine at temperature 1.0. Each attempt's tokens are pushed by
their own reward's RLOO advantage (see ``rloo``) and pulled towards the frozen starting model by a
per-token KL penalty with that attempt's beta:

================  =================================  ==================================
stage             attempt 1                          attempt 2
================  =================================  ==================================
``stage1``        no reward; KL beta2 (strong)       r2; KL beta1
``stage2``        r1; KL beta1                       r2 + alpha (r2 - r1); KL beta1
``single_turn``   r1; KL beta1                       not trained
================  =================================  ==================================

A run is a schedule of phases (``stage1`` then ``stage2`` is SCoRe; repeating the pair
interleaves them). Within a phase the model with the best training reward (mean over a window of
steps) is kept and the next phase starts from it. Checkpoints (model, optimizer, RNG, the phase's
reward history) every ``save_every`` steps and at each phase's end; a rerun resumes from the last
one and, since every step's problems and sampling seeds derive from the run seed and the step
number, ends where an uninterrupted run would.
"""

from __future__ import annotations

import contextlib
import copy
import json
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import torch

from curiosa.envs.task import Task
from curiosa.evaluation.self_correction import answer_changed, attempts
from curiosa.files import write_json
from curiosa.models.loading import LoraConfig
from curiosa.rollout.engine import EngineConfig, RolloutEngine, make_jobs
from curiosa.rollout.trajectory import Trajectory
from curiosa.rollout.types import SamplingConfig
from curiosa.training.packing import pack, plan_microbatches, token_logps
from curiosa.training.rloo import STAGES, attempt_rewards, kl_penalty, rloo_advantages
from curiosa.training.trainer import drop_records_after


def _rl_sampling() -> SamplingConfig:
    return SamplingConfig(temperature=1.0, max_new_tokens=256)


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
class RLConfig:
    """Online RL on two-attempt tasks (defaults: the paper's math settings where they apply)."""

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
    beta1: float = 0.01
    """KL weight to the starting model on attempt 2 (stage1) and on both attempts (stage2, single_turn)."""
    beta2: float = 0.1
    """Stage I's strong KL weight on attempt 1 (paper: 0.1 math, 0.25 code; or 10 x beta1)."""
    alpha: float = 10.0
    """Stage II's shaping weight: attempt 2 earns r2 + alpha (r2 - r1) (paper: 10; 0 is the ablation)."""
    sampling: SamplingConfig = field(default_factory=_rl_sampling)
    """Sampling of training episodes (paper: temperature 1.0)."""
    engine: EngineConfig = field(default_factory=lambda: EngineConfig(max_resamples=0, progress=False))
    """Rollout batching; max_resamples 0 (default) trains on unreadable attempts as wrong ones
    instead of hiding them by resampling."""
    max_grad_norm: float = 1.0
    """Gradient clipping (0 disables it)."""
    micro_batch_tokens: int = 16384
    """Most tokens in one forward pass; gradients accumulate over micro-batches."""
    lora: LoraConfig | None = None
    """Train low-rank adapters (peft) instead of all weights; the KL reference is then the model with its
    adapters switched off, so no second copy is held. The final model is saved merged."""
    select_best: bool = True
    """End each phase with its best model by training reward (mean over select_window steps)."""
    select_window: int = 5
    """Steps averaged for the training reward used to pick a phase's best model."""
    save_every: int = 10
    """Checkpoint every this many steps (and at every phase's end); 0: only at phase ends."""
    keep_checkpoints: int = 1
    """Checkpoints kept on disk (the oldest are deleted)."""
    seed: int = 0
    """Seed of each step's problems, environment seeds and sampling."""
    threads: int | None = None
    """CPU threads for torch (default: torch's choice)."""
    progress: bool = True
    """Show a progress bar."""

    def __post_init__(self) -> None:
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
    out, attempt, inside = [], 0, False
    for m in mask:
        if m and not inside:
            attempt += 1
        inside = bool(m)
        out.append(attempt if m else 0)
    return out


@dataclass
class _Batch:
    ids: list[list[int]]
    tags: list[list[int]]
    r1: np.ndarray
    r2: np.ndarray
    advantages: np.ndarray
    """[episodes, 2] advantage of each attempt."""


class ScoreTrainer:
    """Runs ``config.phases`` from ``model`` on ``tasks`` (two-attempt tasks, e.g. math_synthetic's train split).

    The KL terms pull towards ``reference`` (default: a frozen copy of ``model`` as it starts).
    """

    def __init__(self, config: RLConfig, model: Any, tokenizer: Any, tasks: Sequence[Task],
                 accelerator: Any = None, reference: Any = None) -> None:
        from curiosa.models.chat import ChatTokenizer
        from curiosa.training.trainer import TrainConfig, make_accelerator

        if not tasks:
            raise ValueError("no training tasks")
        if len(tasks) < config.prompts_per_step:
            raise ValueError(f"prompts_per_step {config.prompts_per_step} is more than the {len(tasks)} training tasks")
        self.config, self.tasks, self.tokenizer = config, list(tasks), tokenizer
        self.chat = ChatTokenizer(tokenizer)
        self.out = Path(config.output_dir)
        if config.threads:
            torch.set_num_threads(config.threads)
        self.accelerator = accelerator or make_accelerator(TrainConfig(output_dir=config.output_dir))
        if config.prompts_per_step % self.accelerator.num_processes:
            raise ValueError(f"prompts_per_step {config.prompts_per_step} does not split over "
                             f"{self.accelerator.num_processes} processes")
        self.uses_lora = hasattr(model, "disable_adapter")
        if self.uses_lora and reference is None:
            self.reference = None  # the policy with its adapters switched off
        else:
            self.reference = (reference if reference is not None else copy.deepcopy(model)).eval().to(self.accelerator.device)
            for p in self.reference.parameters():
                p.requires_grad_(False)
        optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=config.learning_rate)
        self.model, self.optimizer = self.accelerator.prepare(model, optimizer)
        self.total = sum(p.steps for p in config.phases)
        self.step = 0
        self.phase_rewards: list[float] = []
        self.best: dict[str, Any] = {}

    # ----------------------------------------------------------------- schedule
    def phase_at(self, step: int) -> tuple[int, Phase]:
        """The phase (index, phase) that global step ``step`` (0-based) belongs to."""
        end = 0
        for i, phase in enumerate(self.config.phases):
            end += phase.steps
            if step < end:
                return i, phase
        raise IndexError(f"step {step} is past the schedule's {self.total} steps")

    def _phase_dir(self, index: int) -> Path:
        return self.out / f"phase-{index + 1}-{self.config.phases[index].stage}"

    def _problems(self, step: int) -> list[Task]:
        """This step's problems: a fixed function of (seed, step), the same on every process."""
        rng = np.random.default_rng([self.config.seed, step])
        chosen = rng.choice(len(self.tasks), size=self.config.prompts_per_step, replace=False)
        return [self.tasks[i] for i in chosen]

    # ----------------------------------------------------------------- one step
    def rollout(self, step: int) -> list[Trajectory]:
        """This process's share of the step's episodes, played by the current policy."""
        from curiosa.rollout.backends import make_backend

        acc = self.accelerator
        problems = self._problems(step)[acc.process_index::acc.num_processes]
        jobs = make_jobs(problems, self.config.samples_per_prompt, seed=self.config.seed * 1_000_003 + step)
        policy = acc.unwrap_model(self.model)
        backend = make_backend("transformers", model=policy, tokenizer=self.tokenizer, chat=self.chat, name="policy")
        sampling = replace(self.config.sampling,
                           seed=self.config.sampling.seed * 1_000_003 + step + 7919 * acc.process_index)
        try:
            episodes = RolloutEngine(backend, sampling, self.config.engine, chat=self.chat).run(jobs)
        finally:
            policy.train()
        order = {job.id: i for i, job in enumerate(jobs)}
        return sorted(episodes, key=lambda t: order[t.id])

    def batch(self, episodes: Sequence[Trajectory], stage: str) -> _Batch:
        k = self.config.samples_per_prompt
        rewards = np.asarray([attempts(t)[0] for t in episodes], dtype=np.float64)
        r1, r2 = rewards[:, 0], rewards[:, 1]
        a1, a2 = attempt_rewards(stage, torch.from_numpy(r1), torch.from_numpy(r2), self.config.alpha)
        adv = torch.stack([rloo_advantages(a1.view(-1, k)).flatten(), rloo_advantages(a2.view(-1, k)).flatten()], 1)
        ids, tags = [], []
        for t in episodes:
            if t.input_ids is None or t.agent_mask is None:
                raise ValueError(f"episode {t.id} has no token ids: RL needs a token-level backend")
            tagged = tag_attempts(t.agent_mask)
            if stage == "single_turn":
                tagged = [x if x == 1 else 0 for x in tagged]
            ids.append(list(t.input_ids))
            tags.append([min(x, 2) for x in tagged])
        return _Batch(ids, tags, r1, r2, adv.numpy())

    def _betas(self, stage: str) -> tuple[float, float]:
        c = self.config
        return (c.beta2, c.beta1) if stage == "stage1" else (c.beta1, c.beta1)

    def accumulate(self, batch: _Batch, stage: str, global_episodes: int) -> dict[str, float]:
        """Zero the gradients and accumulate one step's policy-gradient + KL loss over micro-batches."""
        acc = self.accelerator
        betas = torch.tensor([0.0, *self._betas(stage)], dtype=torch.float32, device=acc.device)
        adv = torch.tensor(batch.advantages, dtype=torch.float32, device=acc.device)
        self.optimizer.zero_grad(set_to_none=True)
        usable = [i for i, tags in enumerate(batch.tags) if any(tags[1:])]
        micro = [[usable[j] for j in g] for g in plan_microbatches([len(batch.ids[i]) for i in usable],
                                                                      self.config.micro_batch_tokens)]
        totals = {"loss": 0.0, "kl_attempt1": 0.0, "kl_attempt2": 0.0, "tokens": 0.0}
        scale = acc.num_processes / max(1, global_episodes)
        for n, group in enumerate(micro or [[]]):
            if not group:  # an idle process still takes part in the gradient sync
                loss = sum(p.sum() * 0.0 for p in self.model.parameters() if p.requires_grad)
                acc.backward(loss)
                continue
            packed = pack([(batch.ids[i], batch.tags[i]) for i in group], device=acc.device)
            reference = self._reference_logps(packed)
            context = acc.no_sync(self.model) if n < len(micro) - 1 else contextlib.nullcontext()
            with context:
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
        if self.reference is not None:
            return token_logps(self.reference, packed)
        with self.accelerator.unwrap_model(self.model).disable_adapter():
            return token_logps(self.model, packed)

    def train_step(self, step: int) -> dict[str, Any]:
        acc = self.accelerator
        _, phase = self.phase_at(step)
        start = time.perf_counter()
        episodes = self.rollout(step)  # the backend puts the policy in eval mode
        rolled = time.perf_counter()
        self.model.train()
        batch = self.batch(episodes, phase.stage)
        global_episodes = self.config.prompts_per_step * self.config.samples_per_prompt
        parts = self.accumulate(batch, phase.stage, global_episodes)
        grad_norm = acc.clip_grad_norm_(self.model.parameters(), self.config.max_grad_norm) if self.config.max_grad_norm else None
        self.optimizer.step()
        from accelerate.utils import gather_object

        rows = gather_object([(float(a), float(b), t.format_errors / 2, answer_changed(t))
                              for a, b, t in zip(batch.r1, batch.r2, episodes)])
        table = np.asarray(rows, dtype=np.float64)
        r1, r2 = table[:, 0], table[:, 1]
        record = {
            "step": step + 1, "stage": phase.stage, "reward_t1": float(r1.mean()), "reward_t2": float(r2.mean()),
            "training_reward": training_reward(phase.stage, r1, r2),
            "i_to_c": float(((r1 == 0) & (r2 > 0)).mean()), "c_to_i": float(((r1 > 0) & (r2 == 0)).mean()),
            "changed_answer_rate": float(table[:, 3].mean()), "unreadable_attempts": float(table[:, 2].mean()),
            **{k: round(v, 6) for k, v in parts.items()},
            "rollout_seconds": round(rolled - start, 3), "seconds": round(time.perf_counter() - start, 3),
        }
        if grad_norm is not None:
            record["grad_norm"] = float(grad_norm)
        return record

    # ----------------------------------------------------------------- the loop
    def train(self) -> Path:
        """Run the schedule to the end (resuming from the last checkpoint); returns the final model dir."""
        acc = self.accelerator
        final = self.out / "model"
        if (final / "DONE").is_file():
            return final
        self._resume()
        if acc.is_main_process:
            self.out.mkdir(parents=True, exist_ok=True)
        bar = None
        if acc.is_main_process and self.config.progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=self.total, initial=self.step, desc="score rl", unit="step")
        while self.step < self.total:
            index, phase = self.phase_at(self.step)
            record = self.train_step(self.step)
            self.step += 1
            record["phase"] = index + 1
            self.phase_rewards.append(record["training_reward"])
            self._maybe_keep_best(index)
            if acc.is_main_process:
                with open(self.out / "metrics.jsonl", "a") as fh:
                    fh.write(json.dumps(record) + "\n")
            if bar is not None:
                bar.update(1)
                bar.set_postfix(stage=phase.stage, t1=f"{record['reward_t1']:.2f}", t2=f"{record['reward_t2']:.2f}")
            phase_end = self.step == sum(p.steps for p in self.config.phases[: index + 1])
            if phase_end:
                self._end_phase(index)
            if phase_end or (self.config.save_every and self.step % self.config.save_every == 0):
                if self.step < self.total:
                    self._checkpoint()
        if bar is not None:
            bar.close()
        self._save_model(final, done={"steps": self.step, "phases": [vars(p) for p in self.config.phases]}, merge=True)
        return final

    def _maybe_keep_best(self, index: int) -> None:
        window = self.config.select_window
        if not self.config.select_best or len(self.phase_rewards) < window:
            return
        score = float(np.mean(self.phase_rewards[-window:]))
        if score > self.best.get("score", -np.inf):
            self.best = {"score": score, "step": self.step}
            self._save_model(self._phase_dir(index) / "best", done=self.best)

    def _end_phase(self, index: int) -> None:
        """Continue from the phase's best model (by training reward), saved as the phase's ``model``."""
        best_dir = self._phase_dir(index) / "best"
        if self.config.select_best and (best_dir / "DONE").is_file() and self.best.get("step") != self.step:
            self._load_weights(best_dir)
        self._save_model(self._phase_dir(index) / "model", done={"phase": index + 1, "best": self.best or None})
        if self.accelerator.is_main_process:
            write_json(self._phase_dir(index) / "summary.json",
                       {"stage": self.config.phases[index].stage, "steps": self.config.phases[index].steps,
                        "best": self.best or None, "last_window": self.phase_rewards[-self.config.select_window:]})
        self.phase_rewards, self.best = [], {}

    def _load_weights(self, folder: Path) -> None:
        """Put the weights saved in ``folder`` (by ``_save_model``) back into the policy."""
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

    # ----------------------------------------------------------------- checkpoints
    def _save_model(self, target: Path, done: dict[str, Any], merge: bool = False) -> None:
        """The policy's weights (adapters only with LoRA, unless ``merge``: then a plain model)."""
        acc = self.accelerator
        acc.wait_for_everyone()
        if acc.is_main_process:
            tmp = target.with_name(target.name + ".tmp")
            if tmp.exists():
                shutil.rmtree(tmp)
            model = acc.unwrap_model(self.model)
            if merge and self.uses_lora:
                model = model.merge_and_unload()  # the last save of the run: the policy is not used again
            model.save_pretrained(tmp, safe_serialization=True)
            self.tokenizer.save_pretrained(tmp)
            (tmp / "DONE").write_text(json.dumps(done))
            if target.exists():
                shutil.rmtree(target)
            tmp.rename(target)
        acc.wait_for_everyone()

    def _checkpoint(self) -> None:
        acc = self.accelerator
        root = self.out / "checkpoints"
        target, tmp = root / f"step-{self.step:06d}", root / f".tmp-step-{self.step:06d}"
        if acc.is_main_process and tmp.exists():
            shutil.rmtree(tmp)
        acc.wait_for_everyone()
        acc.save_state(str(tmp))
        if acc.is_main_process:
            state = {"step": self.step, "phase_rewards": self.phase_rewards, "best": self.best}
            (tmp / "trainer_state.json").write_text(json.dumps(state))
            tmp.rename(target)  # a checkpoint exists only once complete
            done = sorted(p for p in root.glob("step-*") if p.is_dir())
            for old in done[: max(0, len(done) - self.config.keep_checkpoints)]:
                shutil.rmtree(old)
        acc.wait_for_everyone()

    def _resume(self) -> None:
        done = sorted(p for p in (self.out / "checkpoints").glob("step-*") if (p / "trainer_state.json").is_file())
        if not done:
            return
        state = json.loads((done[-1] / "trainer_state.json").read_text())
        if state["step"] > self.total:
            raise ValueError(f"{done[-1]} is at step {state['step']}, past this schedule's {self.total} steps")
        self.accelerator.load_state(str(done[-1]))
        self.step = int(state["step"])
        self.phase_rewards = list(state["phase_rewards"])
        self.best = dict(state["best"])
        if self.accelerator.is_main_process:
            drop_records_after(self.out / "metrics.jsonl", self.step)


def run_rl(config: RLConfig, model_path: str, tasks: Sequence[Task], dtype: str = "auto",
           reference_path: str | None = None) -> Path:
    """Load ``model_path`` and run the schedule (skipped when its final model exists); the KL terms
    pull towards ``reference_path`` (default: the starting model)."""
    final = Path(config.output_dir) / "model"
    if (final / "DONE").is_file():
        return final
    from curiosa.models.loading import load_model, load_tokenizer

    tokenizer = load_tokenizer(model_path)
    model = load_model(model_path, dtype=dtype, tokenizer=tokenizer, device="cpu", lora=config.lora)
    reference = None
    if reference_path is not None and reference_path != model_path:
        reference = load_model(reference_path, dtype=dtype, tokenizer=tokenizer, device="cpu")
    return ScoreTrainer(config, model, tokenizer, tasks, reference=reference).train()
