"""The Ray executor on a local cluster of 2 CPU workers: the same episodes as one process, none lost or
written twice when a worker is killed mid-chunk, and a clear message when Ray is not installed."""

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from curiosa import envs
from curiosa.pipelines.generate import GenerateConfig, generate
from curiosa.rollout.backends.scripted import ScriptedBackend
from curiosa.rollout.engine import EngineConfig, make_jobs
from curiosa.rollout.executor import LocalExecutor, open_executor
from curiosa.rollout.executor_config import RAY_MISSING, ExecutorConfig
from curiosa.rollout.ray_executor import chunk_size, worker_count
from curiosa.rollout.types import SamplingConfig, TurnResult

ENGINE = EngineConfig(max_concurrent=2, progress=False)


def _jobs():
    tasks = envs.load_tasks("mastermind", "test")[:5] + envs.load_tasks("wordle", "test")[:5]
    return make_jobs(tasks, 2, seed=3)


def _reference(jobs):
    return {t.to_json() for t in LocalExecutor(ScriptedBackend("noisy")).run(jobs, SamplingConfig(), ENGINE,
                                                                             lambda t: None).trajectories}


class StallOnce:
    """The scripted player, except that the first worker to reach episode ``key`` writes its pid to ``marker``
    and stalls there until it is killed; a later worker plays ``key`` as usual. Each episode a worker finishes
    is logged as "<pid> <episode>" in ``log``."""

    def __init__(self, key: str, marker: Path, log: Path) -> None:
        self.inner = ScriptedBackend("noisy")
        self.token_level = False
        self.key, self.marker, self.log = key, marker, log

    def describe(self):
        return self.inner.describe()

    def generate(self, requests, sampling):
        if any(r.key == self.key for r in requests):
            staged = self.marker.with_name(f"{self.marker.name}.{os.getpid()}")
            staged.write_text(str(os.getpid()))
            try:
                os.link(staged, self.marker)  # atomic: only the first worker here gets to stall
            except FileExistsError:
                pass
            else:
                threading.Event().wait()
        return self.inner.generate(requests, sampling)

    def release(self, key):
        with open(self.log, "a") as fh:
            fh.write(f"{os.getpid()} {key}\n")
        self.inner.release(key)


def _kill_when_stalled(marker: Path, pids: list[int]) -> threading.Thread:
    """SIGKILL the worker that wrote ``marker`` (one of ``pids``, the workers this test started)."""

    def watch() -> None:
        deadline = time.monotonic() + 120
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        if marker.exists() and int(marker.read_text()) in pids:
            os.kill(int(marker.read_text()), signal.SIGKILL)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def test_two_ray_workers_play_the_same_episodes_as_one_process(ray_cluster):
    jobs = _jobs()
    executor = open_executor(ExecutorConfig(executor="ray", workers=2, chunk_size=3), ScriptedBackend("noisy"))
    try:
        seen = []
        result = executor.run(jobs, SamplingConfig(), ENGINE, seen.append)
    finally:
        executor.close()
    assert [t.id for t in seen] == [t.id for t in result.trajectories]
    assert {t.to_json() for t in result.trajectories} == _reference(jobs)
    assert result.executor_stats == {"ray_workers": 2, "ray_workers_lost": 0, "ray_episodes_replayed": 0}
    assert result.engine_stats["episodes"] == len(jobs)


def test_a_killed_ray_worker_loses_and_duplicates_no_episode(ray_cluster, tmp_path):
    jobs = _jobs()
    marker, log = tmp_path / "stalled", tmp_path / "finished.log"
    # chunks of 6 played 2 at a time: the first chunk's 5th episode starts after some of the chunk are back
    backend = StallOnce(jobs[4].id, marker, log)
    executor = open_executor(ExecutorConfig(executor="ray", workers=2, chunk_size=6), backend)
    try:
        watcher = _kill_when_stalled(marker, list(executor.pids))
        written: list[str] = []
        result = executor.run(jobs, SamplingConfig(), ENGINE, lambda t: written.append(t.to_json()))
        watcher.join(timeout=5)
    finally:
        executor.close()
    killed = int(marker.read_text())
    finished_by_killed = [line.split()[1] for line in log.read_text().splitlines() if int(line.split()[0]) == killed]
    assert finished_by_killed, "the worker was killed before it had returned any episode"
    assert len(written) == len(set(written)) == len(jobs)
    assert set(written) == _reference(jobs)
    assert result.executor_stats["ray_workers_lost"] == 1
    assert 1 <= result.executor_stats["ray_episodes_replayed"] < 6  # what it had returned was kept
    assert jobs[4].id not in finished_by_killed


class SaysThreeQuarters:
    """A text player that always answers 0.75."""

    token_level = False

    def describe(self):
        return {"backend": "fixed", "model": "three-quarters"}

    def release(self, key):
        pass

    def generate(self, requests, sampling):
        return [TurnResult(text="Thought: add them.\nAnswer: 0.75") for _ in requests]


def test_a_game_registered_at_run_time_is_played_by_the_workers(ray_cluster, tmp_path):
    """SCoRe's data_files register the user's problems as a game in the driver only."""
    from curiosa.envs.math_data import register_math_jsonl

    rows = [{"problem": f"What is {a}/4 + {b}/4?", "answer": str((a + b) / 4)} for a, b in [(1, 2), (2, 1), (3, 0)]]
    (tmp_path / "test.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    register_math_jsonl(test=tmp_path / "test.jsonl", name="ray_registered_math")
    jobs = make_jobs(envs.load_tasks("ray_registered_math", "test"), 2)
    local = LocalExecutor(SaysThreeQuarters()).run(jobs, SamplingConfig(), ENGINE, lambda t: None)
    executor = open_executor(ExecutorConfig(executor="ray", workers=2, chunk_size=2), SaysThreeQuarters())
    try:
        spread = executor.run(jobs, SamplingConfig(), ENGINE, lambda t: None)
    finally:
        executor.close()
    assert {t.to_json() for t in spread.trajectories} == {t.to_json() for t in local.trajectories}
    assert all(t.success for t in spread.trajectories)


def test_without_ray_the_option_fails_with_the_install_command(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails, as when it is not installed
    config = GenerateConfig(games=["mastermind"], tasks_per_game=1, samples=1, output=str(tmp_path / "t.jsonl"),
                            rollout=ExecutorConfig(executor="ray", workers=2))
    with pytest.raises(ModuleNotFoundError, match=r"pip install -e '\.\[ray\]'") as err:
        generate(config, backend=ScriptedBackend())
    assert str(err.value) == RAY_MISSING
    assert not (tmp_path / "t.jsonl").exists()
    with pytest.raises(ModuleNotFoundError, match=r"pip install -e '\.\[ray\]'"):
        open_executor(config.rollout, ScriptedBackend())
    # the local executor never needs Ray
    config.rollout = ExecutorConfig()
    assert generate(config, backend=ScriptedBackend())["played"] == 1


def test_worker_count_fills_the_cluster_or_says_what_does_not_fit():
    cluster = {"CPU": 8.0, "GPU": 2.0}
    assert worker_count(ExecutorConfig(executor="ray"), cluster, strict=True) == 8
    assert worker_count(ExecutorConfig(executor="ray", gpus_per_worker=1), cluster, strict=True) == 2
    assert worker_count(ExecutorConfig(executor="ray", workers=3), cluster, strict=True) == 3
    with pytest.raises(ValueError, match="need 3 GPUs"):
        worker_count(ExecutorConfig(executor="ray", workers=3, gpus_per_worker=1), cluster, strict=True)
    # a cluster joined may grow (autoscaler): only a warning
    assert worker_count(ExecutorConfig(executor="ray", workers=3, gpus_per_worker=1), cluster, strict=False) == 3
    with pytest.raises(ValueError, match="no room for one worker"):
        worker_count(ExecutorConfig(executor="ray", gpus_per_worker=1), {"CPU": 8.0}, strict=True)
    with pytest.raises(ValueError, match="workers must be >= 0"):
        ExecutorConfig(executor="ray", workers=-1)


def test_chunks_fill_a_batch_and_even_out_the_workers():
    config = ExecutorConfig(executor="ray")
    assert chunk_size(config, 10_000, 2, 64) == 1250  # a quarter of a share: fast workers take more
    assert chunk_size(config, 200, 2, 64) == 64  # but a full batch
    assert chunk_size(config, 16, 2, 64) == 8  # or the whole share
    assert chunk_size(ExecutorConfig(executor="ray", chunk_size=5), 200, 2, 64) == 5
