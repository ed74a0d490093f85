"""``curiosa evaluate``: play held-out tasks with any model or endpoint and summarise how it did.

Evaluation is generation with the paper's evaluation settings (4 samples per test task,
temperature 0.7, min-p 0.3) followed by ``summarize``; episodes are appended to
``trajectories.jsonl`` in the output directory, so an interrupted evaluation resumes, and the
summary (``summary.json``) covers exactly the episodes this config asks for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curiosa.files import write_json
from curiosa.pipelines.generate import GenerateConfig, generate, select_tasks
from curiosa.rollout.backends import ModelConfig
from curiosa.rollout.engine import EngineConfig
from curiosa.rollout.executor_config import ExecutorConfig
from curiosa.rollout.types import Backend, SamplingConfig


def paper_eval_sampling() -> SamplingConfig:
    """The paper's evaluation sampling: temperature 0.7, min-p 0.3."""
    return SamplingConfig(temperature=0.7, top_p=1.0, min_p=0.3)


@dataclass
class EvaluateConfig:
    """An evaluation: which model, on which tasks, how many samples, where the results go."""

    model: ModelConfig = field(default_factory=ModelConfig)
    """The agent: a model directory ('default': the embedded default model) or an OpenAI-compatible endpoint."""
    games: list[str] = field(default_factory=list)
    """Groups to evaluate (empty: the ten PAPRIKA games)."""
    split: str = "test"
    """Task split (keep 'test': held-out tasks)."""
    tasks_per_game: int | None = None
    """Only the first N tasks of each group's split (default: all)."""
    samples: int = 4
    """Episodes per task (paper: 4)."""
    k: int = 4
    """pass@k is reported for this k (at most samples)."""
    sampling: SamplingConfig = field(default_factory=paper_eval_sampling)
    """Sampling of the agent's replies (paper: temperature 0.7, min-p 0.3)."""
    engine: EngineConfig = field(default_factory=EngineConfig)
    """Batching and resampling of unreadable replies (an episode that stays unreadable is a failure)."""
    rollout: ExecutorConfig = field(default_factory=ExecutorConfig)
    """Where the episodes are played: in this process, or on Ray workers (the same episodes either way)."""
    output_dir: str = "runs/evaluate"
    """Directory of trajectories.jsonl and summary.json."""
    seed: int = 0
    """Seed of the episodes' environment seeds (the same for every model evaluated, so they face the same games)."""


def generate_config(config: EvaluateConfig) -> GenerateConfig:
    from curiosa import envs

    return GenerateConfig(model=config.model, games=list(config.games) or list(envs.PAPRIKA_GROUPS),
                          split=config.split, tasks_per_game=config.tasks_per_game, samples=config.samples,
                          sampling=config.sampling, engine=config.engine, rollout=config.rollout,
                          output=str(Path(config.output_dir) / "trajectories.jsonl"), seed=config.seed)


def evaluate(config: EvaluateConfig, backend: Backend | None = None) -> dict[str, Any]:
    """Play what is missing, then summarise the episodes this config asks for; returns the summary."""
    from curiosa.evaluation.metrics import summarize
    from curiosa.rollout.engine import make_jobs
    from curiosa.rollout.store import load_trajectories

    if not 1 <= config.k <= config.samples:
        raise ValueError(f"k must be between 1 and samples ({config.samples}), got {config.k}")
    gen = generate_config(config)
    generate(gen, backend)
    wanted = {j.id for j in make_jobs(select_tasks(gen), gen.samples, seed=gen.seed)}
    episodes = [t for t in load_trajectories(gen.output) if t.id in wanted]
    summary = summarize(episodes, k=config.k)
    summary["model"] = config.model.path
    write_json(Path(config.output_dir) / "summary.json", summary)
    return summary
