"""End-to-end training runs through the command line: resume after SIGKILL, two processes."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file


def weights(model_dir):
    return load_file(str(model_dir / "model.safetensors"))


def train_cmd(kind, model_dir, data, out, *extra):
    return ["-m", "curiosa.cli", "train", kind, f"model={model_dir}", f"data=[{data}]", f"train.output_dir={out}",
            "train.batch_size=4", "train.learning_rate=0.001", "train.micro_batch_tokens=3000", "train.threads=1",
            "dtype=float32", "train.mixed_precision='no'", "selection.min_turn_gap=1", *extra]


def run(args, **kw):
    result = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=900, **kw)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.mark.slow
def test_killed_run_resumes_to_the_same_weights(tmp_path, model_dir, trajectory_file):
    ref = tmp_path / "uninterrupted"
    run(train_cmd("rpo", model_dir, trajectory_file, ref, "train.epochs=3"))
    out = tmp_path / "killed"
    args = [sys.executable, *train_cmd("rpo", model_dir, trajectory_file, out, "train.epochs=3", "train.save_every=2")]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 600
    while time.time() < deadline and proc.poll() is None:
        if list((out / "checkpoints").glob("step-*")):
            os.killpg(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.05)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run ended before a checkpoint was written"
    assert not (out / "model").exists()
    run(train_cmd("rpo", model_dir, trajectory_file, out, "train.epochs=3", "train.save_every=2"))
    a, b = weights(ref / "model"), weights(out / "model")
    assert a.keys() == b.keys()
    for name in a:
        torch.testing.assert_close(a[name], b[name], rtol=1e-4, atol=1e-6)
    def steps(run_dir):
        return [json.loads(line)["step"] for line in (run_dir / "metrics.jsonl").read_text().splitlines()]

    assert steps(out) == steps(ref)  # steps redone after the kill are logged once


@pytest.mark.slow
def test_two_processes_with_accelerate_launch_match_one(tmp_path, model_dir, trajectory_file, accelerate_launch):
    single = tmp_path / "single"
    run(train_cmd("sft", model_dir, trajectory_file, single, "train.max_steps=3"))
    double = tmp_path / "double"
    accelerate_launch(train_cmd("sft", model_dir, trajectory_file, double, "train.max_steps=3"))
    assert '"processes": 2' in (double / "metrics.jsonl").read_text()
    a, b = weights(single / "model"), weights(double / "model")
    for name in a:
        torch.testing.assert_close(a[name], b[name], rtol=1e-3, atol=1e-5)


@pytest.mark.slow
def test_a_checkpoint_holds_every_process_state_when_one_process_saves_late(tmp_path, model_dir, trajectory_file,
                                                                             accelerate_launch):
    out = tmp_path / "run"
    script = str(Path(__file__).with_name("slow_rank_checkpoint.py"))
    accelerate_launch([script, *train_cmd("sft", model_dir, trajectory_file, out, "train.max_steps=3",
                                          "train.save_every=1", "train.keep_checkpoints=2")[2:]])
    checkpoints = sorted((out / "checkpoints").glob("step-*"))
    assert [c.name for c in checkpoints] == ["step-000001", "step-000002"]  # none at the last step
    for checkpoint in checkpoints:  # each process's random state, written into the folder before it is renamed
        assert {p.name for p in checkpoint.glob("random_states_*.pkl")} == {"random_states_0.pkl", "random_states_1.pkl"}
    assert not list((out / "checkpoints").glob(".tmp-*"))
