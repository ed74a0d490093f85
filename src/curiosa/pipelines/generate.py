"""``curiosa generate``: play chosen games, splits, tasks and samples with a model; resumable."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from curiosa import envs
from curiosa.envs.task import Task
from curiosa.rollout.backends import ModelConfig
from curiosa.rollout.engine import EngineConfig, EpisodeJob, make_jobs
from curiosa.rollout.executor import Executor, open_executor
from curiosa.rollout.executor_config import ExecutorConfig, require_executor
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
    first_task: int = 0
    """Skip this many tasks of each game's split first, so that a later round plays tasks an earlier one
    did not (with tasks_per_game=N: tasks first_task .. first_task+N-1)."""
    task_ids: list[str] = field(default_factory=list)
    """Play exactly these tasks instead (overrides games, split and tasks_per_game)."""
    samples: int = 4
    """Episodes per task."""
    samples_per_game: dict[str, int] = field(default_factory=dict)
    """Episodes per task of these games instead of ``samples``: all games still play in one batch, so a
    mixture of sample counts keeps the batch full and ends in one tail (a call per count did neither)."""
    sampling: SamplingConfig = field(default_factory=SamplingConfig)
    """How replies are sampled."""
    engine: EngineConfig = field(default_factory=EngineConfig)
    """Batching and resampling."""
    rollout: ExecutorConfig = field(default_factory=ExecutorConfig)
    """Where the episodes are played: in this process, or on Ray workers (the same episodes either way)."""
    output: str = "runs/generate/trajectories.jsonl"
    """Trajectory file (JSON lines, appended to; existing episodes are skipped, so a rerun resumes)."""
    seed: int = 0
    """Seed of the episodes' environment seeds."""

    def __post_init__(self) -> None:
        if self.first_task < 0:
            raise ValueError(f"first_task must be 0 or more, got {self.first_task}")
        wrong = {g: n for g, n in {"samples": self.samples, **self.samples_per_game}.items()
                 if isinstance(n, bool) or not isinstance(n, int) or n < 1}
        if wrong:
            raise ValueError(f"episodes per task must be whole numbers of at least 1, got {wrong}")


def select_tasks(config: GenerateConfig) -> list[Task]:
    if config.task_ids:
        return [envs.get_task(t) for t in config.task_ids]
    games = config.games or list(envs.PAPRIKA_GROUPS)
    unknown = [g for g in games if g not in envs.names()]
    if unknown:
        raise KeyError(f"unknown game(s) {', '.join(unknown)}; known games: {', '.join(envs.names())}")
    tasks: list[Task] = []
    for game in games:
        every = envs.load_tasks(game, config.split)
        if config.first_task >= len(every):
            raise ValueError(f"{game} has {len(every)} {config.split} tasks: "
                             f"first_task={config.first_task} leaves none")
        chosen = every[config.first_task:]
        tasks += chosen if config.tasks_per_game is None else chosen[: config.tasks_per_game]
    return tasks


def _check_same_policy(config: GenerateConfig, out: Path) -> None:
    """Refuse to resume into a file whose episodes were played by another model or sampling."""
    from curiosa.pipelines.resume import refuse_changes, settings_changes

    saved = out.with_suffix(".config.yaml")
    if out.is_file() and out.stat().st_size and saved.is_file():  # threads and drafting: speed, not episodes
        changes = settings_changes(saved, config, only=("model", "sampling", "seed"),
                                   ignore=("model.threads", "model.draft_tokens", "model.draft_budget"))
        refuse_changes(out, "episodes", changes, fix="output file")


def generate(config: GenerateConfig, backend: Backend | None = None,
             executor: Executor | None = None) -> dict[str, Any]:
    """Play every (task, sample) not yet in ``config.output``; return a summary of this run.

    ``backend``: play with it instead of building one from ``config.model`` (on Ray, each worker gets a
    copy). ``executor``: an open executor to play with (the caller keeps and closes it; ``config.rollout``
    is then not used), so that several calls share its workers and their loaded models."""
    if executor is None:
        require_executor(config.rollout)
    tasks = select_tasks(config)
    stray = sorted(set(config.samples_per_game) - {t.group for t in tasks})
    if stray:
        raise ValueError(f"samples_per_game names game(s) with no task to play: {', '.join(stray)}")
    jobs: list[EpisodeJob] = [job for task in tasks for job in make_jobs(
        [task], config.samples_per_game.get(task.group, config.samples), seed=config.seed)]
    out = Path(config.output)
    from curiosa.config import save_config

    _check_same_policy(config, out)
    save_config(config, out.with_suffix(".config.yaml"))
    with TrajectoryStore(out) as store:
        todo = [j for j in jobs if j.id not in store.done]
        summary: dict[str, Any] = {"output": str(out), "jobs": len(jobs), "already_done": len(jobs) - len(todo)}
        if not todo:
            return {**summary, "played": 0}
        player = executor if executor is not None else open_executor(config.rollout, _source(config, backend))
        try:
            start = time.perf_counter()
            result = player.run(todo, config.sampling, config.engine, on_trajectory=store.append)
            elapsed = time.perf_counter() - start
        finally:
            if executor is None:
                player.close()
    trajectories = result.trajectories
    wins = sum(t.success for t in trajectories)
    return {**summary, "played": len(trajectories), "success_rate": wins / max(1, len(trajectories)),
            "seconds": round(elapsed, 2), **{f"engine_{k}": v for k, v in result.engine_stats.items()},
            **result.executor_stats}


def _source(config: GenerateConfig, backend: Backend | None) -> ModelConfig | Backend:
    """What the executor's backends come from: the backend given, or the model config with 'default'
    resolved to the embedded model's directory (built first if absent)."""
    if backend is not None:
        return backend
    from curiosa.pipelines.warm_start import resolve_model_path

    model = config.model
    return model if model.backend == "openai" else replace(model, path=resolve_model_path(model.path))
