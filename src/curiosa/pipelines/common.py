"""What the method pipelines share: the paper's defaults and per-stage timings."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any, Callable

from curiosa.files import write_json
from curiosa.rollout.backends import ModelConfig
from curiosa.rollout.types import SamplingConfig
from curiosa.training.dpo import DPOConfig

logger = logging.getLogger("curiosa.pipelines")


def paper_train_sampling() -> SamplingConfig:
    """The paper's sampling of training trajectories: temperature 1.5, min-p 0.3."""
    return SamplingConfig(temperature=1.5, top_p=1.0, min_p=0.3)


def paper_rpo() -> DPOConfig:
    """The paper's RPO stage (8B model): lr 2e-7, batch 32, beta 0.1, alpha 1.0."""
    return DPOConfig(learning_rate=2e-7, batch_size=32, beta=0.1, alpha=1.0, save_every=0)


def base_model_path(model: ModelConfig) -> str:
    """The starting model's path: an endpoint's model name as it is, 'default' resolved to the embedded
    default model's directory (built first if absent)."""
    from curiosa.pipelines.warm_start import resolve_model_path

    return model.path if model.backend == "openai" else resolve_model_path(model.path)


def check_groups(names: list[str]) -> None:
    """Refuse group names the registry does not know, so a misspelt one is named at once instead of
    silently matching nothing."""
    from curiosa import envs

    unknown = [g for g in names if g not in envs.names()]
    if unknown:
        raise KeyError(f"unknown group(s) {', '.join(unknown)}; known: {', '.join(envs.names())}")


def data_groups(trained: list[str], wanted: list[str]) -> list[str]:
    """The trained groups whose trajectories give training data: those in ``wanted`` (a selection's
    ``groups``; empty: all). Refuses a ``wanted`` that names none of them, which would otherwise
    read as "every group" once filtered down to an empty list."""
    kept = [g for g in trained if not wanted or g in wanted]
    if not kept:
        raise ValueError(f"selection.groups ({', '.join(wanted)}) names no trained group "
                         f"({', '.join(trained)}): nothing to train on")
    return kept


def timed(timings: dict[str, float], stage: str, fn: Callable[..., Any], *args: Any) -> Any:
    """Run one stage, logging it and recording its wall time in ``timings``; then give the memory it freed
    back to the system, so that the stages' peaks do not add up."""
    from curiosa.runtime import release_memory

    start = time.perf_counter()
    logger.info("stage %s", stage)
    result = fn(*args)
    release_memory()
    timings[stage] = round(time.perf_counter() - start, 1)
    return result


def save_run_config(config: Any, run_dir: Path, finished: bool) -> None:
    """The run directory's ``config.yaml``: written when a run starts in a directory without one, and when a
    run finishes. It describes what the directory holds, so a rerun refused for other settings
    (``pipelines.resume``) leaves it as it was."""
    from curiosa.config import save_config

    path = run_dir / "config.yaml"
    if finished or not path.is_file():
        save_config(config, path)


def save_timings(path: Path, timings: dict[str, float]) -> None:
    """Add this invocation's stage times to those already in ``path``: a resumed run's file holds the
    wall time each stage took over all invocations (a skipped stage adds almost nothing)."""
    total: dict[str, float] = {}
    if path.is_file():
        try:
            total = {k: float(v) for k, v in json.loads(path.read_text()).items()}
        except (ValueError, AttributeError, TypeError):
            logger.warning("%s is unreadable; starting it again", path)
    for stage, seconds in timings.items():
        total[stage] = round(total.get(stage, 0.0) + seconds, 1)
    write_json(path, total)


def evaluate_groups(config: Any, groups: list[str], model_path: str, output_dir: Path) -> dict[str, Any]:
    """Evaluate ``model_path`` on the test tasks of ``groups`` with a PAPRIKA-style config's evaluation
    settings (``model``, ``eval_tasks_per_group``, ``eval_samples``, ``eval_sampling``, ``engine``, ``rollout``,
    ``seed``)."""
    from dataclasses import replace

    from curiosa.pipelines.evaluate import EvaluateConfig, evaluate

    return evaluate(EvaluateConfig(
        model=replace(config.model, path=model_path), games=groups, split="test",
        tasks_per_game=config.eval_tasks_per_group, samples=config.eval_samples, k=config.eval_samples,
        sampling=config.eval_sampling, engine=config.engine, rollout=config.rollout, output_dir=str(output_dir),
        seed=config.seed))
