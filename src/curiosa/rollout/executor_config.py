"""Where episodes are played (in this process, or on Ray workers) and what a run of them returns.

Kept apart from the executors themselves so that each of them (and the configs of the pipelines) can
use it without importing the others; Ray is never imported here.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from typing import Literal

from curiosa.rollout.trajectory import Trajectory

RAY_MISSING = ("rollout.executor=ray needs Ray, an optional extra: pip install -e '.[ray]' "
               "(or leave rollout.executor=local to play in this process)")


@dataclass
class ExecutorConfig:
    """Where the episodes are played."""

    executor: Literal["local", "ray"] = "local"
    """local: one backend in this process; ray: one backend per Ray worker, the episodes shared between them."""
    workers: int = 0
    """Ray workers (0: as many as the cluster holds: its GPUs / gpus_per_worker when that is set, else its
    CPUs / cpus_per_worker)."""
    address: str | None = None
    """Ray cluster to join: 'auto' (the one `ray start` made on this node), 'host:6379', or 'ray://host:10001'
    (default: RAY_ADDRESS when set, else a new local instance on this machine, listening on loopback only)."""
    cpus_per_worker: float = 1.0
    """CPUs Ray reserves for each worker (Ray sets the worker's thread count for torch to it)."""
    gpus_per_worker: float = 0.0
    """GPUs Ray reserves for each worker (1 for a vLLM worker on its own GPU)."""
    chunk_size: int | None = None
    """Episodes handed to a Ray worker at a time; a worker that finishes its chunk takes the next, so faster
    workers play more (default: a quarter of an even share, but at least the smaller of engine.max_concurrent
    and the whole share, so that each worker's batch starts full)."""

    def __post_init__(self) -> None:
        if self.executor not in ("local", "ray"):
            raise ValueError(f"executor must be 'local' or 'ray', got {self.executor!r}")
        if self.workers < 0:
            raise ValueError(f"workers must be >= 0 (0: fill the cluster), got {self.workers}")
        if self.cpus_per_worker < 0 or self.gpus_per_worker < 0:
            raise ValueError("cpus_per_worker and gpus_per_worker must be >= 0")
        if self.cpus_per_worker == 0 and self.gpus_per_worker == 0 and self.workers == 0:
            raise ValueError("workers=0 sizes the pool by cpus_per_worker or gpus_per_worker; set one of them, "
                             "or give workers")
        if self.chunk_size is not None and self.chunk_size < 1:
            raise ValueError(f"chunk_size must be >= 1, got {self.chunk_size}")


@dataclass
class RolloutResult:
    """What one run of an executor played."""

    trajectories: list[Trajectory]
    """The trajectories finished in this run, in the order they arrived."""
    engine_stats: dict[str, int]
    """The engines' counters (episodes, turns, resamples, prefill and generated tokens), summed over workers."""
    executor_stats: dict[str, int] = field(default_factory=dict)
    """Executor-specific counts (Ray: workers, workers lost, episodes handed out again); empty when local."""


def ray_installed() -> bool:
    return importlib.util.find_spec("ray") is not None


def require_executor(config: ExecutorConfig) -> None:
    """Fail now, with the fix, when the chosen executor cannot run here (Ray not installed)."""
    if config.executor == "ray" and not ray_installed():
        raise ModuleNotFoundError(RAY_MISSING)
