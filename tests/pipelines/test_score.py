"""`curiosa score` end to end on a tiny random model, and the SFT baselines' data selection."""

import json

import pytest

from curiosa import envs
from curiosa.config import ConfigError, load_config
from curiosa.models.chat import ChatTokenizer
from curiosa.models.tiny import train_tokenizer
from curiosa.pipelines.score import BASELINES, Score, ScoreConfig, pair_sft_rows, star_rows
from curiosa.rollout.backends.scripted import ScriptedBackend
from curiosa.rollout.engine import EngineConfig, RolloutEngine, make_jobs
from curiosa.testing.models import save_tiny_model

GROUP = "math_synthetic"


@pytest.fixture(scope="module")
def math_base(tmp_path_factory):
    tasks = envs.load_tasks(GROUP, "train")[:40]
    env = envs.make(GROUP, task=tasks[0])
    texts = [envs.make(GROUP, task=t).reset(seed=0)[0] for t in tasks] + [env.revision_prompt, "Thought: 1\nAnswer: 2"]
    return save_tiny_model(tmp_path_factory.mktemp("math_base"), train_tokenizer(texts * 5, vocab_size=600),
                           hidden_size=32, intermediate_size=64, num_layers=1, num_heads=2, num_kv_heads=1,
                           max_position_embeddings=2048)


@pytest.fixture(scope="module")
def student_episodes(math_base):
    from curiosa.models.loading import load_tokenizer

    chat = ChatTokenizer(load_tokenizer(math_base))
    engine = RolloutEngine(ScriptedBackend("heuristic", chat=chat), config=EngineConfig(progress=False))
    return engine.run(make_jobs(envs.load_tasks(GROUP, "train")[:30], 4))


def _transitions(episodes):
    from curiosa.evaluation.self_correction import attempts

    return [tuple(attempts(t)[0]) for t in episodes]


def test_star_keeps_exactly_the_wrong_then_right_episodes(student_episodes):
    rows = star_rows(student_episodes)
    expected = sum(1 for t, r in zip(student_episodes, _transitions(student_episodes))
                   if r == (0.0, 1.0) and t.format_errors == 0)
    assert rows and len(rows) == expected
    assert all(t.success for t in rows)


def test_pair_sft_pairs_a_wrong_attempt_with_a_right_answer_to_the_same_problem(student_episodes):
    prompt = envs.make(GROUP, task=envs.load_tasks(GROUP, "train")[0]).revision_prompt
    rows = pair_sft_rows(student_episodes, prompt, per_problem=2, seed=0)
    assert rows
    by_task = {}
    for t in student_episodes:
        by_task.setdefault(t.task_id, []).append(t)
    for row in rows:
        env = envs.make(GROUP, task=envs.get_task(row.task_id))
        env.reset(seed=0)
        user, wrong, revision, right = row.messages
        assert user == by_task[row.task_id][0].messages[0] and revision == {"role": "user", "content": prompt}
        assert env.step(wrong["content"])[1] == 0.0  # the first attempt is wrong...
        assert env.step(right["content"])[1] == 1.0  # ...the second one right, for this very problem
        assert row.input_ids is None  # encoded from the text when trained
    assert len({r.id for r in rows}) == len(rows)
    assert max(sum(r.task_id == k for r in rows) for k in by_task) <= 2


def _config(tmp_path, math_base, *overrides):
    """The quick config, shrunk further for a random tiny model."""
    return load_config(ScoreConfig, "configs/score_quick.yaml", [
        f"output_dir={tmp_path / 'run'}", f"model.path={math_base}", "train_tasks=12", "eval_tasks=6",
        "stage1_steps=1", "stage2_steps=1", "sample_tasks=30", "samples=4", "rl.prompts_per_step=2",
        "rl.sampling.max_new_tokens=8", "eval_sampling.max_new_tokens=8", "engine.progress=false", *overrides])


@pytest.mark.slow
def test_score_runs_every_method_reports_and_resumes(tmp_path, math_base, student_episodes, monkeypatch):
    config = _config(tmp_path, math_base)
    from curiosa.models.loading import load_tokenizer

    teacher = ScriptedBackend("heuristic", chat=ChatTokenizer(load_tokenizer(math_base)))
    metrics = Score(config, teacher=teacher).run()
    run = tmp_path / "run"
    assert list(metrics["methods"]) == ["base", *BASELINES, "score"]
    for name, summary in metrics["methods"].items():
        assert summary["episodes"] == 6
        assert summary["delta"] == pytest.approx(summary["delta_i_to_c"] - summary["delta_c_to_i"])
        assert (run / "eval" / name / "trajectories.jsonl").is_file()
    assert json.loads((run / "metrics.json").read_text())["result"].keys() >= {"delta_positive", "i_to_c_above_c_to_i"}
    assert (run / "report.html").is_file() and (run / "figures" / "accuracy.png").is_file()
    assert (run / "config.yaml").is_file() and (run / "timings.json").is_file()
    # alpha = 0 starts from SCoRe's Stage I and runs only Stage II
    assert [json.loads(l)["stage"] for l in (run / "rl" / "alpha0" / "metrics.jsonl").read_text().splitlines()] == ["stage2"]
    assert [json.loads(l)["stage"] for l in (run / "rl" / "score" / "metrics.jsonl").read_text().splitlines()] == \
        ["stage1", "stage2"]

    # A rerun finds every stage done: nothing is trained or played again.
    def fail(*args, **kwargs):
        raise AssertionError("a finished stage ran again")

    first = json.loads((run / "timings.json").read_text())
    monkeypatch.setattr("curiosa.training.rl.RLTrainer.accumulate", fail)
    monkeypatch.setattr("curiosa.rollout.engine.RolloutEngine.run", fail)
    again = Score(config, teacher=teacher).run()
    assert again["methods"] == metrics["methods"]
    timings = json.loads((run / "timings.json").read_text())
    assert all(timings[stage] >= seconds for stage, seconds in first.items())  # the rerun adds, never erases


def test_config_errors_name_the_problem(tmp_path, math_base):
    with pytest.raises(ConfigError, match="unknown baseline"):
        _config(tmp_path, math_base, "baselines=[star, dpo]")
    with pytest.raises(ValueError, match="no math_synthetic train problems at levels"):
        Score(_config(tmp_path, math_base, "levels=[9]"))
    with pytest.raises(ValueError, match="not a two-attempt task group.*data_files"):
        Score(_config(tmp_path, math_base, "group=wordle"))


def test_an_sft_baseline_without_data_is_skipped_with_its_reason(tmp_path, math_base):
    # the random model never gets attempt 2 right after a wrong attempt 1: STaR has nothing to learn from
    metrics = Score(_config(tmp_path, math_base, "baselines=[star]", "sample_tasks=4", "samples=2")).run()
    assert "star" not in metrics["methods"] and "no usable example" in metrics["skipped"]["star"]
    assert list(metrics["methods"]) == ["base", "score"]
    assert "star was skipped" in (tmp_path / "run" / "report.html").read_text()


def test_your_own_math_files_run_under_the_group_name_you_give(tmp_path, math_base):
    for split, n in (("train", 6), ("test", 3)):
        rows = [{"problem": f"What is {i} + {i + 1}?", "answer": str(2 * i + 1)} for i in range(n)]
        (tmp_path / f"{split}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    config = _config(tmp_path, math_base, "group=mymath", "levels=[]", "baselines=[]", "eval_tasks=null",
                     f"data_files.train={tmp_path / 'train.jsonl'}", f"data_files.test={tmp_path / 'test.jsonl'}")
    metrics = Score(config).run()
    assert list(metrics["methods"]) == ["base", "score"]
    assert metrics["methods"]["score"]["episodes"] == 3 and metrics["eval_problems"] == 3
    with pytest.raises(ValueError, match="already exists"):
        Score(config)  # the name is taken now: a second, maybe different, dataset may not reuse it
