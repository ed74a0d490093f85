import json

import pytest

from curiosa.pipelines.evaluate import EvaluateConfig, evaluate
from curiosa.rollout.backends.scripted import ScriptedBackend
from curiosa.rollout.engine import EngineConfig
from curiosa.pipelines.generate import GenerateConfig, generate
from curiosa.rollout.backends import ModelConfig
from curiosa.rollout.store import load_trajectories
from curiosa.rollout.types import SamplingConfig


def _config(tmp_path, **kw):
    settings = {"games": ["mastermind", "wordle"], "tasks_per_game": 3, "samples": 2, "k": 2, **kw}
    return EvaluateConfig(model=ModelConfig(path="scripted"), engine=EngineConfig(progress=False),
                          output_dir=str(tmp_path), **settings)


def test_evaluation_summarises_exactly_the_requested_episodes_and_resumes(tmp_path):
    expert = evaluate(_config(tmp_path / "expert"), backend=ScriptedBackend("expert"))
    assert set(expert["groups"]) == {"mastermind", "wordle"}
    assert expert["groups"]["wordle"]["episodes"] == 6 and expert["groups"]["wordle"]["tasks"] == 3
    assert expert["overall"]["success"] == 1.0
    stored = json.loads((tmp_path / "expert" / "summary.json").read_text())
    assert stored["overall"]["success"] == expert["overall"]["success"]

    # a smaller request over the same file summarises only its own episodes, playing nothing new
    smaller = _config(tmp_path / "expert", k=1, tasks_per_game=2, samples=1)
    again = evaluate(smaller, backend=None)  # no backend needed: every episode is already there
    assert again["groups"]["wordle"]["episodes"] == 2
    assert len(load_trajectories(tmp_path / "expert" / "trajectories.jsonl")) == 12


def test_unreadable_episodes_count_as_failures(tmp_path):
    config = _config(tmp_path)
    config.engine.max_resamples = 0
    summary = evaluate(config, backend=ScriptedBackend("expert", garble=1.0))
    assert summary["overall"]["success"] == 0.0
    assert summary["groups"]["mastermind"]["format_failure_rate"] == 1.0


def test_k_must_fit_the_samples(tmp_path):
    with pytest.raises(ValueError, match="k must be"):
        evaluate(_config(tmp_path, k=3), backend=ScriptedBackend("expert"))


def test_resuming_with_other_sampling_settings_is_refused(tmp_path):
    out = tmp_path / "t.jsonl"
    config = GenerateConfig(model=ModelConfig(path="scripted"), games=["mastermind"], tasks_per_game=1, samples=1,
                            engine=EngineConfig(progress=False), output=str(out))
    generate(config, backend=ScriptedBackend("expert"))
    config.sampling = SamplingConfig(temperature=0.5)
    with pytest.raises(ValueError, match="sampling.temperature"):
        generate(config, backend=ScriptedBackend("expert"))
    config.sampling = SamplingConfig()
    assert generate(config, backend=ScriptedBackend("expert"))["played"] == 0
