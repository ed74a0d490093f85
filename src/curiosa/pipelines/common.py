"""What the method pipelines share: the paper's defaults and per-stage timings."""

from __future__ import annotations

import logging
import time
from typing import Any, Callable

from curiosa.rollout.types import SamplingConfig
from curiosa.training.trainer import TrainConfig

logger = logging.getLogger("curiosa.pipelines")


def paper_train_sampling() -> SamplingConfig:
    """The paper's sampling of training trajectories: temperature 1.5, min-p 0.3."""
    return SamplingConfig(temperature=1.5, top_p=1.0, min_p=0.3)


def paper_rpo() -> TrainConfig:
    """The paper's RPO stage (8B model): lr 2e-7, batch 32, beta 0.1, alpha 1.0."""
    return TrainConfig(learning_rate=2e-7, batch_size=32, beta=0.1, alpha=1.0, save_every=0)


def timed(timings: dict[str, float], stage: str, fn: Callable[..., Any], *args: Any) -> Any:
    """Run one stage, logging it and recording its wall time in ``timings``."""
    start = time.perf_counter()
    logger.info("stage %s", stage)
    result = fn(*args)
    timings[stage] = round(time.perf_counter() - start, 1)
    return result
