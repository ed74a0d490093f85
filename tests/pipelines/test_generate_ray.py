"""`curiosa generate`, `evaluate` and the pipelines' rollout stages with rollout.executor=ray on a local
cluster of 2 CPU workers: the trajectory files hold exactly what a one-process run writes (order aside),
and a run whose every worker died leaves a file that a rerun completes without duplicates."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from curiosa.config import load_config
from curiosa.pipelines.evaluate import EvaluateConfig, evaluate
from curiosa.pipelines.generate import GenerateConfig, generate
from curiosa.pipelines.paprika import Paprika, PaprikaConfig
from curiosa.rollout.backends import ModelConfig
from curiosa.rollout.backends.scripted import ScriptedBackend
from curiosa.rollout.executor_config import ExecutorConfig
from curiosa.rollout.types import SamplingConfig

RAY = ExecutorConfig(executor="ray", workers=2)
FLOAT32 = "float32"
"""The tiny model's dtype in these tests. A backend's batches differ between one process and two workers; in
float32 the transformers backend computes an episode's logits bit for bit the same in any batch, while in
bfloat16 (what 'auto' picks on a CPU with bf16 instructions) a batch's shape can move a logit by one bf16
step, and now and then a sampled token with it."""


def _lines(path: Path) -> set[str]:
    """The file's records as canonical JSON, every field compared, order ignored."""
    lines = path.read_text().splitlines()
    assert len(lines) == len(set(lines)), f"{path} holds a record twice"
    return {json.dumps(json.loads(line), sort_keys=True) for line in lines}


@pytest.mark.slow
def test_generate_on_two_ray_workers_writes_what_one_process_writes(ray_cluster, tmp_path, tiny_model_dir):
    def config(name: str, rollout: ExecutorConfig) -> GenerateConfig:
        cfg = GenerateConfig(model=ModelConfig(path=str(tiny_model_dir), dtype=FLOAT32), games=["mastermind", "wordle"], split="test",
                             tasks_per_game=3, samples=2, sampling=SamplingConfig(max_new_tokens=8, seed=5),
                             rollout=rollout, output=str(tmp_path / name / "t.jsonl"))
        cfg.engine.progress = False
        return cfg

    local = generate(config("local", ExecutorConfig()))
    spread = generate(config("ray", RAY))
    assert local["played"] == spread["played"] == 12 and spread["ray_workers"] == 2
    assert _lines(tmp_path / "ray" / "t.jsonl") == _lines(tmp_path / "local" / "t.jsonl")
    assert spread["engine_generated_tokens"] == local["engine_generated_tokens"] > 0
    # a rerun on Ray, or in one process, finds everything done
    assert generate(config("ray", RAY))["played"] == 0
    assert generate(config("ray", ExecutorConfig()))["played"] == 0


class StallOnce:
    """The scripted player, except that the first process to reach episode ``key`` writes its pid to
    ``marker`` and stalls there until it is killed."""

    def __init__(self, key: str, marker: Path) -> None:
        self.inner = ScriptedBackend("noisy")
        self.token_level = False
        self.key, self.marker = key, marker

    def describe(self):
        return self.inner.describe()

    def release(self, key):
        self.inner.release(key)

    def generate(self, requests, sampling):
        if any(r.key == self.key for r in requests):
            staged = self.marker.with_name(f"{self.marker.name}.{os.getpid()}")
            staged.write_text(str(os.getpid()))
            try:
                os.link(staged, self.marker)
            except FileExistsError:
                pass
            else:
                threading.Event().wait()
        return self.inner.generate(requests, sampling)


def _kill_ray_worker_when_stalled(marker: Path) -> None:
    """SIGKILL the process that wrote ``marker``, after checking it is one of this test's Ray workers."""

    def watch() -> None:
        deadline = time.monotonic() + 120
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        if marker.exists():
            pid = int(marker.read_text())
            if b"RolloutWorker" in Path(f"/proc/{pid}/cmdline").read_bytes():
                os.kill(pid, signal.SIGKILL)

    threading.Thread(target=watch, daemon=True).start()


def test_a_run_whose_only_worker_died_is_completed_by_a_rerun(ray_cluster, tmp_path):
    out = tmp_path / "t.jsonl"
    config = GenerateConfig(games=["mastermind", "cellular_automata"], split="test", tasks_per_game=3, samples=2,
                            rollout=ExecutorConfig(executor="ray", workers=1, chunk_size=4), output=str(out))
    config.engine.progress, config.engine.max_concurrent = False, 2
    _kill_ray_worker_when_stalled(tmp_path / "stalled")
    with pytest.raises(RuntimeError, match="every Ray worker of this run died.*run again"):
        generate(config, backend=StallOnce("mastermind-test-00001#1", tmp_path / "stalled"))
    partial = _lines(out)
    assert 1 <= len(partial) < 12
    again = generate(config, backend=StallOnce("mastermind-test-00001#1", tmp_path / "stalled"))
    assert again["already_done"] == len(partial) and again["played"] == 12 - len(partial)
    config.output, config.rollout = str(tmp_path / "one.jsonl"), ExecutorConfig()
    generate(config, backend=ScriptedBackend("noisy"))
    assert _lines(out) == _lines(tmp_path / "one.jsonl")


@pytest.mark.slow
def test_paprika_passes_its_rollout_setting_to_rollouts_and_evaluation(ray_cluster, tmp_path, base_dir):
    def run(name: str, *overrides: str) -> Paprika:
        config = load_config(PaprikaConfig, "configs/paprika_quick.yaml", [
            f"output_dir={tmp_path / name}", f"model.path={base_dir}", "groups=[mastermind,cellular_automata]",
            "train_tasks_per_group=2", "samples=2", "eval_tasks_per_group=2", "eval_samples=2",
            "eval_sampling.max_new_tokens=8", f"model.dtype={FLOAT32}", "engine.progress=false", *overrides])
        paprika = Paprika(config, teacher=ScriptedBackend("noisy"))
        paprika.rollouts()
        paprika.evaluate("base", str(base_dir))
        return paprika

    run("local")
    run("ray", "rollout.executor=ray", "rollout.workers=2")
    for path in ("trajectories/train.jsonl", "eval/base/trajectories.jsonl"):
        assert _lines(tmp_path / "ray" / path) == _lines(tmp_path / "local" / path), path
    summary = [json.loads((tmp_path / name / "eval/base/summary.json").read_text()) for name in ("local", "ray")]
    assert summary[0] == summary[1]


def test_pipelines_name_the_install_command_when_ray_is_missing(monkeypatch, tmp_path, base_dir):
    monkeypatch.setitem(sys.modules, "ray", None)
    config = load_config(PaprikaConfig, overrides=[f"output_dir={tmp_path}", f"model.path={base_dir}",
                                                   "rollout.executor=ray", "rollout.workers=2"])
    assert config.rollout == RAY
    with pytest.raises(ModuleNotFoundError, match=r"pip install -e '\.\[ray\]'"):
        Paprika(config)
    with pytest.raises(ModuleNotFoundError, match=r"pip install -e '\.\[ray\]'"):
        evaluate(EvaluateConfig(model=ModelConfig(path=str(base_dir)), games=["mastermind"], tasks_per_game=1,
                                samples=1, k=1, rollout=RAY, output_dir=str(tmp_path / "eval")))


@pytest.mark.slow
def test_curiosa_evaluate_on_ray_from_the_command_line(tmp_path, tiny_model_dir):
    """The user's path: a fresh process that starts its own local Ray instance."""
    pytest.importorskip("ray")
    args = [f"model.path={tiny_model_dir}", "games=[mastermind]", "tasks_per_game=2", "samples=2", "k=2",
            "sampling.max_new_tokens=8", f"model.dtype={FLOAT32}", "engine.progress=false"]
    summaries = []
    for name, extra in (("local", []), ("ray", ["rollout.executor=ray", "rollout.workers=2"])):
        result = subprocess.run([sys.executable, "-m", "curiosa.cli", "evaluate", *args, *extra,
                                 f"output_dir={tmp_path / name}"], capture_output=True, text=True, timeout=600,
                                env={**os.environ, "RAY_ADDRESS": ""})
        assert result.returncode == 0, result.stderr[-3000:]
        summaries.append(json.loads((tmp_path / name / "summary.json").read_text()))
    assert summaries[0] == summaries[1]
    assert _lines(tmp_path / "ray" / "trajectories.jsonl") == _lines(tmp_path / "local" / "trajectories.jsonl")
