"""Rollouts on Ray: one backend per worker, episodes handed out in chunks and streamed back one by one.

Each worker (a Ray actor) builds its backend once and plays the chunks it is given with its own
rollout engine, sending each trajectory back as soon as its episode ends; here, in the driver, every
trajectory goes to the caller's callback (which appends it to the store) the moment it arrives, and a
worker that has finished its chunk gets the next one, so faster workers play more.

A worker that dies (killed, out of memory, its node gone) surfaces here as an error on its stream:
the episodes of its chunk that had not come back are handed to the other workers. Since only the
driver writes, and only what came back, an episode is never lost and never written twice; when no
worker is left the run stops with an error, and a rerun plays what is missing.
"""

from __future__ import annotations

import logging
import math
import os
import queue
import sys
import threading
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterator, Sequence

from curiosa import envs
from curiosa.rollout.backends import ModelConfig, build_backend
from curiosa.rollout.engine import EngineConfig, EpisodeJob, RolloutEngine
from curiosa.rollout.executor_config import RAY_MISSING, ExecutorConfig, RolloutResult
from curiosa.rollout.trajectory import Trajectory
from curiosa.rollout.types import Backend, SamplingConfig

logger = logging.getLogger("curiosa.rollout.ray")

_LOOPBACK_ONLY = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"
"""Ray's switch for single-machine instances: when "0", a local instance binds to loopback, not to the
machine's network address (read by Ray at import, and inherited by the processes it starts)."""


def connect(config: ExecutorConfig) -> tuple[Any, bool]:
    """The ``ray`` module, connected: to the process's existing connection, to ``config.address`` (or
    RAY_ADDRESS), or to a new local instance. Also says whether that instance is a local one made here."""
    address = config.address or os.environ.get("RAY_ADDRESS") or None
    if address is None and "ray" not in sys.modules:
        os.environ.setdefault(_LOOPBACK_ONLY, "0")
    try:
        import ray
    except ImportError as err:  # not installed, or installed but broken
        raise ModuleNotFoundError(f"{RAY_MISSING} (importing it failed: {err})") from err

    if ray.is_initialized():
        return ray, False
    ray.init(address=address or "local", include_dashboard=False)
    return ray, address is None


def worker_count(config: ExecutorConfig, resources: dict[str, float], *, strict: bool) -> int:
    """How many workers to start on a cluster with ``resources`` (Ray's ``cluster_resources()``).
    ``strict``: a request that does not fit is an error (a local instance never grows)."""
    cpus, gpus = resources.get("CPU", 0.0), resources.get("GPU", 0.0)
    need = {"CPU": (config.cpus_per_worker, cpus), "GPU": (config.gpus_per_worker, gpus)}
    shape = f"{config.cpus_per_worker:g} CPUs and {config.gpus_per_worker:g} GPUs each"
    if config.workers == 0:
        fits = [int(have / each + 1e-9) for each, have in need.values() if each > 0]
        n = min(fits)
        if n < 1:
            raise ValueError(f"the Ray cluster ({cpus:g} CPUs, {gpus:g} GPUs) has no room for one worker of {shape}")
        return n
    short = [f"{config.workers * each:g} {kind}s (it has {have:g})" for kind, (each, have) in need.items()
             if config.workers * each > have + 1e-9]
    if short:
        message = f"{config.workers} Ray workers of {shape} need {' and '.join(short)}"
        if strict:
            raise ValueError(f"{message}: lower rollout.workers, rollout.cpus_per_worker or rollout.gpus_per_worker")
        logger.warning("%s: the workers that do not fit wait until the cluster has room", message)
    return config.workers


def chunk_size(config: ExecutorConfig, jobs: int, workers: int, max_concurrent: int) -> int:
    """Episodes per chunk: small enough that the chunks even out the workers' speeds, large enough that
    each worker's engine starts with a full batch."""
    if config.chunk_size is not None:
        return config.chunk_size
    share = math.ceil(jobs / max(1, workers))
    return max(1, min(max_concurrent, share), math.ceil(share / 4))


_END = object()
"""Put by the engine's thread when its chunk is played."""


@dataclass
class _Failed:
    error: BaseException


class RolloutWorker:
    """The body of one Ray actor: a backend, and an engine per chunk it plays."""

    def __init__(self, source: ModelConfig | Backend) -> None:
        self.backend = build_backend(source) if isinstance(source, ModelConfig) else source

    def ready(self) -> int:
        """The worker's process id, once its backend is built."""
        return os.getpid()

    def play(self, jobs: Sequence[EpisodeJob], sampling: SamplingConfig, engine: EngineConfig,
             games: dict[str, type]) -> Iterator[tuple[Trajectory, dict[str, int]]]:
        """Each trajectory as its episode ends, with the engine's counters so far. ``games``: the classes of
        the jobs' games, so that games registered at run time in the driver are known here too."""
        for name, cls in games.items():
            if name not in envs.names():
                envs.register(cls)
        rollout = RolloutEngine(self.backend, sampling, replace(engine, progress=False))
        out: queue.SimpleQueue[Any] = queue.SimpleQueue()

        def work() -> None:  # the engine calls back; a generator cannot yield from inside a callback
            try:
                rollout.run(jobs, on_trajectory=lambda t: out.put((t, dict(rollout.stats))))
                out.put(_END)
            except BaseException as err:  # noqa: BLE001 - re-raised below, in the actor's call
                out.put(_Failed(err))

        threading.Thread(target=work, name="rollout", daemon=True).start()
        while True:
            item = out.get()
            if isinstance(item, _Failed):
                raise item.error
            if item is _END:
                return
            yield item


@dataclass
class _Chunk:
    worker: Any
    jobs: list[EpisodeJob]
    returned: set[str] = field(default_factory=set)
    stats: dict[str, int] = field(default_factory=dict)
    """The worker's engine counters as of its latest trajectory."""

    def __post_init__(self) -> None:
        self.asked = {j.id for j in self.jobs}

    def unfinished(self) -> list[EpisodeJob]:
        return [j for j in self.jobs if j.id not in self.returned]


class RayExecutor:
    """Ray workers, each with its own backend built from ``source``, until ``close``."""

    def __init__(self, config: ExecutorConfig, source: ModelConfig | Backend) -> None:
        self.config = config
        self.ray, local = connect(config)
        n = worker_count(config, self.ray.cluster_resources(), strict=local)
        actor = self.ray.remote(RolloutWorker).options(num_cpus=config.cpus_per_worker,
                                                       num_gpus=config.gpus_per_worker)
        shared = self.ray.put(source)
        self.workers: list[Any] = [actor.remote(shared) for _ in range(n)]
        try:
            self.pids: list[int] = self.ray.get([w.ready.remote() for w in self.workers])
        except self.ray.exceptions.RayError as err:
            self.close()
            raise RuntimeError(f"a Ray worker could not build its backend: {err}") from err
        logger.info("%d Ray workers ready (pids %s)", n, self.pids)

    def _lost_errors(self) -> tuple[type[BaseException], ...]:
        e = self.ray.exceptions
        return (e.RayActorError, e.ObjectLostError, e.OutOfMemoryError, e.NodeDiedError, e.WorkerCrashedError)

    def run(self, jobs: Sequence[EpisodeJob], sampling: SamplingConfig, engine: EngineConfig,
            on_trajectory: Callable[[Trajectory], None]) -> RolloutResult:
        ray = self.ray
        started = len(self.workers)
        if not started:
            raise RuntimeError("no Ray worker is left (they died or the executor is closed)")
        size = chunk_size(self.config, len(jobs), started, engine.max_concurrent)
        waiting = deque(list(jobs[i:i + size]) for i in range(0, len(jobs), size))
        games = ray.put({g: envs.env_class(g) for g in dict.fromkeys(j.task.group for j in jobs)})
        idle = list(self.workers)
        running: dict[Any, _Chunk] = {}
        finished: list[_Chunk] = []
        done: list[Trajectory] = []
        lost = replayed = wins = 0
        bar = _progress(len(jobs)) if engine.progress else None
        try:
            while waiting or running:
                while idle and waiting:
                    chunk = _Chunk(idle.pop(0), waiting.popleft())
                    running[chunk.worker.play.remote(chunk.jobs, sampling, engine, games)] = chunk
                if not running:
                    left = sum(len(c) for c in waiting)
                    raise RuntimeError(f"every Ray worker of this run died; {len(done)} episodes were written and "
                                       f"{left} are left: run again to play them (the store skips what is done)")
                ready, _ = ray.wait(list(running), num_returns=1)
                stream = ready[0]
                chunk = running[stream]
                try:
                    trajectory, stats = ray.get(next(stream))
                except StopIteration:
                    finished.append(running.pop(stream))
                    idle.append(chunk.worker)
                    continue
                except self._lost_errors() as err:
                    finished.append(running.pop(stream))
                    rest = chunk.unfinished()
                    lost += 1
                    replayed += len(rest)
                    self._drop(chunk.worker, err, len(rest))
                    if rest:
                        waiting.appendleft(rest)
                    continue
                if trajectory.id in chunk.returned or trajectory.id not in chunk.asked:
                    raise RuntimeError(f"a Ray worker returned {trajectory.id}, which it was not asked for")
                chunk.returned.add(trajectory.id)
                chunk.stats = stats
                on_trajectory(trajectory)
                done.append(trajectory)
                wins += int(trajectory.success)
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(success=f"{wins / len(done):.1%}")
        finally:
            if bar is not None:
                bar.close()
        totals: dict[str, int] = {}
        for chunk in [*finished, *running.values()]:
            for key, value in chunk.stats.items():
                totals[key] = totals.get(key, 0) + value
        return RolloutResult(done, totals, {"ray_workers": started, "ray_workers_lost": lost,
                                            "ray_episodes_replayed": replayed})

    def _drop(self, worker: Any, err: BaseException, unfinished: int) -> None:
        """Forget a dead worker (and make sure it stays dead: it must not come back mid-chunk)."""
        index = next(i for i, w in enumerate(self.workers) if w is worker)
        pid = self.pids.pop(index)
        self.workers.pop(index)
        logger.warning("Ray worker (pid %d) was lost (%s); its %d unfinished episodes go to the other %d workers",
                       pid, type(err).__name__, unfinished, len(self.workers))
        try:
            self.ray.kill(worker, no_restart=True)
        except Exception:  # noqa: BLE001 - already gone
            pass

    def close(self) -> None:
        for worker in self.workers:
            try:
                self.ray.kill(worker, no_restart=True)
            except Exception:  # noqa: BLE001 - already gone
                pass
        self.workers = []
        self.pids = []


def _progress(total: int) -> Any:
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="episodes", unit="ep", dynamic_ncols=True)
