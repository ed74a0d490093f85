"""``curiosa generate``: play chosen games, splits, tasks and samples with a model; resumable."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curiosa import envs
from curiosa.envs.task import Task
from curiosa.rollout.engine import EngineConfig, EpisodeJob, RolloutEngine, make_jobs
from curiosa.rollout.store import TrajectoryStore
from curiosa.rollout.types import Backend, SamplingConfig

DEFAULT_MODEL = "default"


def resolve_model_path(path: str) -> str:
    """``path`` itself, or for 'default' the embedded tiny model's directory (bootstrapped first if absent)."""
    if path != DEFAULT_MODEL:
        return path
    from curiosa.models.bootstrap import ensure_default_model

    return str(ensure_default_model())


@dataclass
class ModelConfig:
    """Which model plays, and through which backend."""

    path: str = DEFAULT_MODEL
    """Hugging Face model directory or hub name; 'default' is the embedded tiny model (built if absent).
    With backend 'openai', the model name at the endpoint."""
    backend: str = "transformers"
    """transformers (CPU or GPU), vllm (GPU), or openai (any OpenAI-compatible endpoint)."""
    base_url: str | None = None
    """Backend 'openai': the endpoint's base URL, e.g. http://127.0.0.1:8000/v1."""
    api_key_env: str = "OPENAI_API_KEY"
    """Backend 'openai': environment variable holding the API key."""
    dtype: str = "auto"
    """Weights' dtype: auto (bf16 on GPUs that support it, else float32), float32, bfloat16, float16."""
    threads: int | None = None
    """CPU threads for torch (default: torch's choice)."""


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


def build_backend(model: ModelConfig) -> Backend:
    """The backend named by ``model.backend`` with its model loaded."""
    from curiosa.rollout.backends import make_backend

    if model.backend == "openai":
        if not model.base_url:
            raise ValueError("backend 'openai' needs model.base_url")
        return make_backend("openai", endpoint={"base_url": model.base_url, "model": model.path,
                                                 "api_key_env": model.api_key_env})
    path = resolve_model_path(model.path)
    if model.backend == "vllm":
        return make_backend("vllm", model=path, dtype=model.dtype)
    if model.backend != "transformers":
        raise ValueError(f"unknown backend {model.backend!r}: expected transformers, vllm or openai")
    import torch

    from curiosa.models.loading import load_model, load_tokenizer

    if model.threads:
        torch.set_num_threads(model.threads)
    tokenizer = load_tokenizer(path)
    return make_backend("transformers", model=load_model(path, dtype=model.dtype, tokenizer=tokenizer),
                        tokenizer=tokenizer, name=path)


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
        backend = backend or build_backend(config.model)
        engine = RolloutEngine(backend, config.sampling, config.engine)
        start = time.perf_counter()
        trajectories = engine.run(todo, on_trajectory=store.append)
        elapsed = time.perf_counter() - start
    wins = sum(t.success for t in trajectories)
    return {**summary, "played": len(trajectories), "success_rate": wins / max(1, len(trajectories)),
            "seconds": round(elapsed, 2), **{f"engine_{k}": v for k, v in engine.stats.items()}}
