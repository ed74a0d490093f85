"""Where episodes are played: in this process, or spread over Ray workers (docs/rollout.md,
"Scaling out on Ray").

Both executors take the same jobs and hand every finished trajectory to the same callback (the
caller appends it to its store), so the choice changes speed, not the episodes: each backend
seeds an episode's sampling from the episode itself, not from its batch or its process (bit for bit
where the backend's arithmetic does not depend on the batch's shape, e.g. the transformers backend in
float32; docs/rollout.md). Ray is optional and imported only when ``executor`` is ``ray``.
"""

from __future__ import annotations

from typing import Callable, Protocol, Sequence

from curiosa.rollout.backends import ModelConfig, build_backend
from curiosa.rollout.engine import EngineConfig, EpisodeJob, RolloutEngine
from curiosa.rollout.executor_config import ExecutorConfig, RolloutResult, require_executor
from curiosa.rollout.trajectory import Trajectory
from curiosa.rollout.types import Backend, SamplingConfig


class Executor(Protocol):
    """Plays episode jobs with a backend it holds until ``close``."""

    def run(self, jobs: Sequence[EpisodeJob], sampling: SamplingConfig, engine: EngineConfig,
            on_trajectory: Callable[[Trajectory], None]) -> RolloutResult:
        """Play every job once; ``on_trajectory`` sees each trajectory as soon as it is back here."""
        ...

    def close(self) -> None:
        """Let go of the backend(s): memory, GPUs, worker processes."""
        ...


class LocalExecutor:
    """The rollout engine in this process, as without an executor."""

    def __init__(self, source: ModelConfig | Backend) -> None:
        self.backend: Backend | None = build_backend(source) if isinstance(source, ModelConfig) else source

    def run(self, jobs: Sequence[EpisodeJob], sampling: SamplingConfig, engine: EngineConfig,
            on_trajectory: Callable[[Trajectory], None]) -> RolloutResult:
        if self.backend is None:
            raise RuntimeError("this executor is closed")
        rollout = RolloutEngine(self.backend, sampling, engine)
        trajectories = rollout.run(jobs, on_trajectory=on_trajectory)
        return RolloutResult(trajectories, dict(rollout.stats))

    def close(self) -> None:
        self.backend = None  # a backend passed in stays alive with its owner


def open_executor(config: ExecutorConfig, source: ModelConfig | Backend) -> Executor:
    """An executor playing with ``source``: a model config each worker builds its backend from (its path
    must exist on every worker's node), or a backend object (copied to each Ray worker, so it must pickle)."""
    if config.executor == "local":
        return LocalExecutor(source)
    require_executor(config)
    from curiosa.rollout.ray_executor import RayExecutor  # imports Ray only when it connects

    return RayExecutor(config, source)


__all__ = ["Executor", "LocalExecutor", "open_executor"]
