"""``curiosa generate``: play chosen games, splits, tasks and samples with a model; resumable."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from curiosa import envs
from curiosa.envs.task import Task
from curiosa.rollout.backends import ModelConfig, build_backend
from curiosa.rollout.engine import EngineConfig, EpisodeJob, RolloutEngine, make_jobs
from curiosa.rollout.store import TrajectoryStore
from curiosa.rollout.types import Backend, SamplingConfig


@dataclass
class GenerateConfig:
    """A rollout job: which episodes to play, with what, and where to write them."""

    model: ModelConfig = field(default_factory=ModelConfig)
    """The agent."""
    games: list[str] = field(default_factory=list)
    """Games to play (empty: the ten PAPRIKA games; see `curiosa games` for all)."""
    split: str = "train"
    """Split of the tasks: train or test."""
    tasks_per_game: int | None = None
    """Play only the first N tasks of each game's split (default: all)."""
    task_ids: list[str] = field(default_factory=list)
    """Play exactly these tasks instead (overrides games, split and tasks_per_game)."""
    samples: int = 4
    """Episodes per task."""
    sampling: SamplingConfig = field(default_factory=SamplingConfig)
    """How replies are sampled."""
    engine: EngineConfig = field(default_factory=EngineConfig)
    """Batching and resampling."""
    output: str = "runs/generate/trajectories.jsonl"
    """Trajectory file (JSON lines, appended to; existing episodes are skipped, so a rerun resumes)."""
    seed: int = 0
    """Seed of the episodes' environment seeds."""


def select_tasks(config: GenerateConfig) -> list[Task]:
    if config.task_ids:
        return [envs.get_task(t) for t in config.task_ids]
    games = config.games or list(envs.PAPRIKA_GROUPS)
    unknown = [g for g in games if g not in envs.names()]
    if unknown:
        raise KeyError(f"unknown game(s) {', '.join(unknown)}; known games: {', '.join(envs.names())}")
    tasks: list[Task] = []
    for game in games:
        chosen = envs.load_tasks(game, config.split)
        tasks += chosen if config.tasks_per_game is None else chosen[: config.tasks_per_game]
    return tasks


def _check_same_policy(config: GenerateConfig, out: Path) -> None:
    """Refuse to resume into a file whose episodes were played by another model or sampling."""
    saved_path = out.with_suffix(".config.yaml")
    if not (out.is_file() and out.stat().st_size and saved_path.is_file()):
        return
    from dataclasses import asdict

    from curiosa.config import load_config

    saved = load_config(GenerateConfig, saved_path)
    changes = []
    for section in ("model", "sampling"):
        before, now = asdict(getattr(saved, section)), asdict(getattr(config, section))
        changes += [f"{section}.{k}: {before.get(k)!r} -> {v!r}" for k, v in sorted(now.items())
                    if k != "threads" and before.get(k) != v]  # threads change speed, not episodes
    if saved.seed != config.seed:
        changes.append(f"seed: {saved.seed} -> {config.seed}")
    if changes:
        raise ValueError(f"{out} holds episodes played with other settings ({', '.join(changes)}); resuming would "
                         "mix them. Choose another output file, or delete it to start over.")


def generate(config: GenerateConfig, backend: Backend | None = None) -> dict[str, Any]:
    """Play every (task, sample) not yet in ``config.output``; return a summary of this run."""
    tasks = select_tasks(config)
    jobs: list[EpisodeJob] = make_jobs(tasks, config.samples, seed=config.seed)
    out = Path(config.output)
    from curiosa.config import save_config

    _check_same_policy(config, out)
    save_config(config, out.with_suffix(".config.yaml"))
    with TrajectoryStore(out) as store:
        todo = [j for j in jobs if j.id not in store.done]
        summary: dict[str, Any] = {"output": str(out), "jobs": len(jobs), "already_done": len(jobs) - len(todo)}
        if not todo:
            return {**summary, "played": 0}
        if backend is None:
            from curiosa.pipelines.bootstrap import resolve_model_path

            model = config.model
            if model.backend != "openai":
                model = replace(model, path=resolve_model_path(model.path))
            backend = build_backend(model)
        engine = RolloutEngine(backend, config.sampling, config.engine)
        start = time.perf_counter()
        trajectories = engine.run(todo, on_trajectory=store.append)
        elapsed = time.perf_counter() - start
    wins = sum(t.success for t in trajectories)
    return {**summary, "played": len(trajectories), "success_rate": wins / max(1, len(trajectories)),
            "seconds": round(elapsed, 2), **{f"engine_{k}": v for k, v in engine.stats.items()}}
