import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from curiosa.pipelines.generate import GenerateConfig, generate
from curiosa.rollout.backends import ModelConfig
from curiosa.rollout.store import load_trajectories
from curiosa.rollout.types import SamplingConfig


def test_generate_writes_and_resumes(tmp_path, tiny_model_dir):
    out = tmp_path / "t.jsonl"
    config = GenerateConfig(
        model=ModelConfig(path=str(tiny_model_dir)), games=["mastermind", "cellular_automata"], split="test",
        tasks_per_game=2, samples=2, sampling=SamplingConfig(max_new_tokens=8), output=str(out),
    )
    config.engine.progress = False
    first = generate(config)
    assert first["played"] == 8 and first["already_done"] == 0
    again = generate(config)
    assert again["played"] == 0 and again["already_done"] == 8
    trajectories = load_trajectories(out)
    assert len({t.id for t in trajectories}) == 8
    assert (tmp_path / "t.config.yaml").is_file()
    assert all(t.policy["model"] == str(tiny_model_dir) and t.policy["max_new_tokens"] == 8 for t in trajectories)


def test_resuming_refuses_episodes_of_another_sampling_but_not_another_thread_count(tmp_path, recording_backend):
    from dataclasses import replace

    out = tmp_path / "t.jsonl"
    config = GenerateConfig(games=["mastermind"], split="test", tasks_per_game=1, samples=1, output=str(out),
                            sampling=SamplingConfig(temperature=1.0))
    config.engine.progress = False
    generate(config, backend=recording_backend("expert"))
    more = replace(config, samples=2, model=replace(config.model, threads=2, draft_tokens=0))  # speed only
    assert generate(more, backend=recording_backend("expert"))["played"] == 1
    hotter = replace(config, samples=3, sampling=SamplingConfig(temperature=1.5), seed=1)
    with pytest.raises(ValueError, match=r"t.jsonl holds episodes made with other settings \(sampling.temperature: "
                                         r"1.0 -> 1.5, seed: 0 -> 1\); resuming would mix them. Choose another "
                                         r"output file"):
        generate(hotter, backend=recording_backend("expert"))
    assert len(load_trajectories(out)) == 2


def test_samples_per_game_plays_every_game_in_one_batch(tmp_path, recording_backend):
    out = tmp_path / "t.jsonl"
    backend = recording_backend("expert")
    config = GenerateConfig(games=["mastermind", "cellular_automata"], split="test", tasks_per_game=2, samples=3,
                            samples_per_game={"cellular_automata": 1}, output=str(out))
    config.engine.progress = False
    summary = generate(config, backend=backend)
    assert summary["jobs"] == summary["played"] == 2 * 3 + 2 * 1
    counts = Counter(t.group for t in load_trajectories(out))
    assert counts == {"mastermind": 6, "cellular_automata": 2}
    assert backend.batches[0] == {"mastermind", "cellular_automata"}


def test_bad_samples_per_game_are_named(tmp_path):
    with pytest.raises(ValueError, match="samples_per_game names game.*with no task to play: wordle"):
        generate(GenerateConfig(games=["mastermind"], samples_per_game={"wordle": 2}, output=str(tmp_path / "t.jsonl")))
    for bad in (0, 1.5, True):
        with pytest.raises(ValueError, match="episodes per task must be whole numbers of at least 1"):
            GenerateConfig(samples_per_game={"mastermind": bad})
    with pytest.raises(ValueError, match="at least 1, got {'samples': 0}"):
        GenerateConfig(samples=0)
    assert not (tmp_path / "t.jsonl").exists()


def test_unknown_game_is_reported(tmp_path):
    with pytest.raises(KeyError, match="unknown game"):
        generate(GenerateConfig(games=["chess"], output=str(tmp_path / "t.jsonl")))


def test_first_task_past_the_split_is_named(tmp_path):
    with pytest.raises(ValueError, match="mastermind has .* train tasks: first_task=1000000 leaves none"):
        generate(GenerateConfig(games=["mastermind"], first_task=10**6, output=str(tmp_path / "t.jsonl")))
    with pytest.raises(ValueError, match="first_task must be 0 or more"):
        GenerateConfig(first_task=-1)
    assert not (tmp_path / "t.jsonl").exists()


@pytest.mark.slow
def test_sigkill_then_rerun_loses_and_duplicates_nothing(tmp_path, tiny_model_dir):
    """Killed while 5 or more episodes are on disk and others are being played; the rerun finishes the rest."""
    out, ready = tmp_path / "t.jsonl", tmp_path / "paused"
    args = [f"model.path={tiny_model_dir}", "games=[wordle,mastermind]", "split=test", "tasks_per_game=12",
            "samples=2", "sampling.max_new_tokens=16", "engine.max_concurrent=4", "engine.progress=false"]
    helper = Path(__file__).with_name("generate_until_paused.py")
    proc = subprocess.Popen([sys.executable, str(helper), str(out), str(ready), "5", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.time() + 300
    while not ready.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert ready.exists(), f"the run never paused: {proc.stderr.read().decode()[-2000:] if proc.poll() is not None else 'timeout'}"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    partial = out.read_bytes().count(b"\n")
    assert 5 <= partial < 48
    result = subprocess.run([sys.executable, "-m", "curiosa.cli", "generate", *args, f"output={out}"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    ids = [t.id for t in load_trajectories(out)]
    assert len(ids) == 48 and len(set(ids)) == 48
