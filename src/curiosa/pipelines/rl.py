"""Online RL on two-attempt tasks: rollout and update alternate here.

Each step, the episode source plays the step's problems with the current policy through the rollout
engine, and the trainer (``training.rl.RLTrainer``) updates the policy on them. The step's problems
and sampling seeds are a fixed function of the run seed and the step number (the same on every
process; each process plays its share), so a resumed run plays the same episodes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from curiosa.envs.task import Task
from curiosa.evaluation.self_correction import answer_changed, attempts
from curiosa.rollout.backends import DRAFT_BUDGET, DRAFT_TOKENS
from curiosa.rollout.engine import EngineConfig, RolloutEngine, make_jobs
from curiosa.rollout.types import SamplingConfig
from curiosa.pipelines.resume import check_training_stage, save_inputs
from curiosa.training.base import RESUME_NEUTRAL
from curiosa.training.rl import RLBatch, RLTrainer, RLTrainerConfig


def _rl_sampling() -> SamplingConfig:
    return SamplingConfig(temperature=1.0, max_new_tokens=256)


@dataclass
class RLConfig(RLTrainerConfig):
    """The RL trainer's settings, and how its episodes are played."""

    sampling: SamplingConfig = field(default_factory=_rl_sampling)
    """Sampling of training episodes (paper: temperature 1.0)."""
    engine: EngineConfig = field(default_factory=lambda: EngineConfig(max_resamples=0, progress=False))
    """Rollout batching; max_resamples 0 (default) trains on unreadable attempts as wrong ones
    instead of hiding them by resampling."""
    generation_dtype: str = "auto"
    """Dtype the episodes are generated in (auto: bf16 where the hardware has it), whatever the dtype of
    the weights being trained: the rollout backend copies them once per step."""
    draft_tokens: int = DRAFT_TOKENS
    """Decode up to this many more tokens per row and pass by checking a prompt-lookup draft (0: off);
    the same episodes, to rounding (docs/rollout.md, Drafting)."""
    draft_budget: int = DRAFT_BUDGET
    """The most tokens a checking pass feeds in all, so drafts go to passes with few rows."""


class EpisodeSource:
    """``source(step, policy)``: this process's share of step ``step``'s episodes, played by ``policy``."""

    def __init__(self, config: RLConfig, tasks: Sequence[Task], tokenizer: Any, accelerator: Any) -> None:
        from curiosa.models.chat import ChatTokenizer

        if not tasks:
            raise ValueError("no training tasks")
        if len(tasks) < config.prompts_per_step:
            raise ValueError(f"prompts_per_step {config.prompts_per_step} is more than the {len(tasks)} training tasks")
        self.config, self.tasks, self.tokenizer = config, list(tasks), tokenizer
        self.chat = ChatTokenizer(tokenizer)
        self.accelerator = accelerator

    def problems(self, step: int) -> list[Task]:
        """This step's problems: a fixed function of (seed, step), the same on every process."""
        rng = np.random.default_rng([self.config.seed, step])
        chosen = rng.choice(len(self.tasks), size=self.config.prompts_per_step, replace=False)
        return [self.tasks[i] for i in chosen]

    def episodes(self, step: int, policy: Any) -> list[Any]:
        """The trajectories of this process's share of the step, in job order."""
        from curiosa.rollout.backends import make_backend

        acc, cfg = self.accelerator, self.config
        problems = self.problems(step)[acc.process_index::acc.num_processes]
        jobs = make_jobs(problems, cfg.samples_per_prompt, seed=cfg.seed * 1_000_003 + step)
        backend = make_backend("transformers", model=policy, tokenizer=self.tokenizer, chat=self.chat, name="policy",
                               lean_dtype=cfg.generation_dtype, draft_tokens=cfg.draft_tokens,
                               draft_budget=cfg.draft_budget)
        sampling = replace(cfg.sampling, seed=cfg.sampling.seed * 1_000_003 + step + 7919 * acc.process_index)
        episodes = RolloutEngine(backend, sampling, cfg.engine, chat=self.chat).run(jobs)
        order = {job.id: i for i, job in enumerate(jobs)}
        return sorted(episodes, key=lambda t: order[t.id])

    def __call__(self, step: int, policy: Any) -> RLBatch:
        episodes = self.episodes(step, policy)
        for t in episodes:
            if t.input_ids is None or t.agent_mask is None:
                raise ValueError(f"episode {t.id} has no token ids: RL needs a token-level backend")
        return RLBatch.from_episodes(
            [t.input_ids for t in episodes], [t.agent_mask for t in episodes], [attempts(t)[0] for t in episodes],
            extras={"changed_answer_rate": [answer_changed(t) for t in episodes],
                    "unreadable_attempts": [t.format_errors / 2 for t in episodes]})


_RESUME_NEUTRAL = (*RESUME_NEUTRAL, "engine.progress", "draft_tokens", "draft_budget")
"""Settings a resumed RL run may change: speed, memory and logging (drafting gives the same episodes)."""


def _inputs(model_path: str, reference_path: str | None, tasks: Sequence[Task]) -> dict[str, Any]:
    ids = "\n".join(t.id for t in tasks).encode()
    return {"model": model_path, "reference": reference_path or model_path,
            "tasks": {"count": len(tasks), "sha256": hashlib.sha256(ids).hexdigest()}}


def run_rl(config: RLConfig, model_path: str, tasks: Sequence[Task], dtype: str = "auto",
           reference_path: str | None = None) -> Path:
    """Load ``model_path`` and run the schedule (skipped when its final model exists); the KL terms
    pull towards ``reference_path`` (default: the starting model)."""
    out = Path(config.output_dir)
    final = out / "model"
    inputs = _inputs(model_path, reference_path, tasks)
    check_training_stage(out, "an RL run", config, inputs, ignore=_RESUME_NEUTRAL)
    if (final / "DONE").is_file():
        return final
    from curiosa.config import save_config
    from curiosa.models.loading import load_model, load_tokenizer
    from curiosa.training.base import make_accelerator

    tokenizer = load_tokenizer(model_path)
    model = load_model(model_path, dtype=dtype, tokenizer=tokenizer, device="cpu", lora=config.lora, for_training=True)
    reference = None
    if reference_path is not None and reference_path != model_path:
        reference = load_model(reference_path, dtype=dtype, tokenizer=tokenizer, device="cpu", for_training=True)
    accelerator = make_accelerator(config)
    source = EpisodeSource(config, tasks, tokenizer, accelerator)
    if accelerator.is_main_process:
        save_config(config, out / "config.yaml")
        save_inputs(out, inputs)
    return RLTrainer(config, model, tokenizer, source, accelerator=accelerator, reference=reference).train()
