import json
from collections import Counter

import pytest
import torch

from curiosa import envs
from curiosa.config import load_config
from curiosa.models.chat import ChatTokenizer
from curiosa.models.loading import load_tokenizer
from curiosa.pipelines.paprika import Paprika, PaprikaConfig, trained_groups
from curiosa.pipelines.train import DATA_STATS
from curiosa.rollout.backends.scripted import ScriptedBackend
from curiosa.rollout.store import load_trajectories

GROUPS = ["mastermind", "cellular_automata"]


def _config(tmp_path, base_dir, *overrides):
    return load_config(PaprikaConfig, "configs/paprika_quick.yaml", [
        f"output_dir={tmp_path / 'run'}", f"model.path={base_dir}", f"groups=[{','.join(GROUPS)}]",
        "train_tasks_per_group=4", "samples=4", "eval_tasks_per_group=2", "eval_samples=2",
        "train_sampling.max_new_tokens=12", "eval_sampling.max_new_tokens=12", "engine.progress=false", *overrides])


@pytest.mark.slow
def test_quick_run_writes_every_stage_and_a_rerun_skips_them(tmp_path, base_dir):
    chat = ChatTokenizer(load_tokenizer(base_dir))
    config = _config(tmp_path, base_dir)
    comparison = Paprika(config, teacher=ScriptedBackend("noisy", chat=chat)).run()
    run = tmp_path / "run"
    for path in ("config.yaml", "trajectories/train.jsonl", "sft/model/DONE", "sft/sft_set.jsonl", "rpo/model/DONE",
                 "rpo/pairs.jsonl", "rpo/reference_logps.json", "eval/base/summary.json", "eval/tuned/summary.json",
                 "metrics.json", "report.html", "figures/success.png"):
        assert (run / path).exists(), path
    assert len(load_trajectories(run / "trajectories" / "train.jsonl")) == 2 * 4 * 4
    metrics = json.loads((run / "metrics.json").read_text())
    assert set(metrics["groups"]) == set(GROUPS)
    assert metrics["overall"]["base"]["episodes"] == metrics["overall"]["tuned"]["episodes"] == 2 * 2 * 2
    assert comparison["models"]["tuned"].endswith("rpo/model")
    examples = load_trajectories(run / "sft" / "sft_set.jsonl")
    pairs = [json.loads(line)["chosen"]["group"] for line in (run / "rpo" / "pairs.jsonl").read_text().splitlines()]
    assert trained_groups(run) == {t.group for t in examples} | set(pairs)
    # the tuned model really changed
    from safetensors.torch import load_file

    base_w, tuned_w = load_file(base_dir / "model.safetensors"), load_file(run / "rpo" / "model" / "model.safetensors")
    assert any(not torch.equal(base_w[k], tuned_w[k]) for k in base_w)

    # a rerun finds every stage done: nothing is played or trained again
    before = {p: p.stat().st_mtime_ns for p in (run / "trajectories/train.jsonl", run / "rpo/model/model.safetensors",
                                                 run / "eval/tuned/trajectories.jsonl")}
    Paprika(config, teacher=ScriptedBackend("noisy", chat=chat)).run()
    assert all(p.stat().st_mtime_ns == t for p, t in before.items())
    # ... but a rerun asking for another RPO stage is refused, not answered with the old model
    changed = _config(tmp_path, base_dir, "rpo.learning_rate=1e-3")
    saved = (run / "config.yaml").read_text()
    with pytest.raises(ValueError, match=r"rpo holds a training run made with other settings \(train.learning_rate: "):
        Paprika(changed, teacher=ScriptedBackend("noisy", chat=chat)).run()
    assert all(p.stat().st_mtime_ns == t for p, t in before.items())
    assert (run / "config.yaml").read_text() == saved  # still the config of what the directory holds


def test_rollouts_play_every_groups_samples_in_one_batch(tmp_path, base_dir, recording_backend):
    teacher = recording_backend("noisy", chat=ChatTokenizer(load_tokenizer(base_dir)))
    config = _config(tmp_path, base_dir, "samples_per_group={cellular_automata: 2, wordle: 3}",
                     "engine.max_concurrent=64")
    out = Paprika(config, teacher=teacher).rollouts()
    assert Counter(t.group for t in load_trajectories(out)) == {"mastermind": 4 * 4, "cellular_automata": 4 * 2}
    assert teacher.batches[0] == set(GROUPS)


def test_leave_out_trains_on_the_other_groups_only(tmp_path, base_dir):
    config = _config(tmp_path, base_dir, "leave_out=[mastermind]")
    paprika = Paprika(config)
    assert paprika.train_groups == ["cellular_automata"] and paprika.groups == GROUPS


def test_a_left_out_groups_episodes_are_never_trained_on(tmp_path, base_dir):
    """Even when the trajectory file holds them (e.g. copied from an all-groups run)."""
    teacher = ScriptedBackend("expert")
    everything = Paprika(_config(tmp_path, base_dir), teacher=teacher).rollouts()
    assert {t.group for t in load_trajectories(everything)} == set(GROUPS)
    paprika = Paprika(_config(tmp_path, base_dir, "leave_out=[mastermind]", "sft.max_steps=1"), teacher=teacher)
    paprika._train("sft", str(base_dir), paprika.rollouts(), paprika.config.sft)
    rows = load_trajectories(tmp_path / "run" / "sft" / "sft_set.jsonl")
    assert rows and {t.group for t in rows} == {"cellular_automata"}


def test_a_second_round_plays_the_next_training_tasks(tmp_path, base_dir):
    teacher = ScriptedBackend("expert")
    first = load_trajectories(Paprika(_config(tmp_path / "1", base_dir), teacher=teacher).rollouts())
    second = load_trajectories(Paprika(_config(tmp_path / "2", base_dir, "first_train_task=4"), teacher=teacher).rollouts())
    ids = {g: [t.id for t in envs.load_tasks(g, "train")] for g in GROUPS}
    assert {t.task_id for t in first} == {i for g in GROUPS for i in ids[g][:4]}
    assert {t.task_id for t in second} == {i for g in GROUPS for i in ids[g][4:8]}


def test_bad_group_settings_are_named(tmp_path, base_dir):
    with pytest.raises(KeyError, match="chess"):
        Paprika(_config(tmp_path, base_dir, "groups=[chess]"))
    with pytest.raises(ValueError, match="every group is left out"):
        Paprika(_config(tmp_path, base_dir, f"leave_out=[{','.join(GROUPS)}]"))
    with pytest.raises(KeyError, match=r"unknown group\(s\) chess;"):
        Paprika(_config(tmp_path, base_dir, "samples_per_group={chess: 4}"))
    with pytest.raises(KeyError, match=r"unknown group\(s\) bandit;"):  # a misspelt group would rank nothing
        Paprika(_config(tmp_path, base_dir, "selection.reward_ranked=[bandit]"))
    with pytest.raises(KeyError, match=r"unknown group\(s\) bandit;"):
        Paprika(_config(tmp_path, base_dir, "selection.pairs_only=[bandit]"))
    with pytest.raises(ValueError, match="every trained group is in selection.pairs_only"):
        Paprika(_config(tmp_path, base_dir, "groups=[bandit_best_arm]", "selection.pairs_only=[bandit_best_arm]"))
    Paprika(_config(tmp_path, base_dir, "groups=[bandit_best_arm]", "selection.pairs_only=[bandit_best_arm]",
                    "skip_sft=true"))
    with pytest.raises(ValueError, match="every trained group is in selection.pairs_only"):  # selection narrows it
        Paprika(_config(tmp_path, base_dir, "selection.groups=[mastermind]", "selection.pairs_only=[mastermind]"))
    with pytest.raises(KeyError, match=r"unknown group\(s\) bandit;"):
        Paprika(_config(tmp_path, base_dir, "selection.groups=[bandit]"))
    with pytest.raises(ValueError, match=r"selection.groups \(wordle\) names no trained group"):
        Paprika(_config(tmp_path, base_dir, "selection.groups=[wordle]"))
    with pytest.raises(ValueError, match="names no trained group"):  # left out of training
        Paprika(_config(tmp_path, base_dir, "selection.groups=[mastermind]", "leave_out=[mastermind]"))
    with pytest.raises(ValueError, match="samples must be at least 2"):
        PaprikaConfig(samples=1)
    with pytest.raises(ValueError, match="samples_per_group must be at least 2.*mastermind"):
        PaprikaConfig(samples_per_group={"mastermind": 1})
    with pytest.raises(ValueError, match="first_train_task must be 0 or more"):
        PaprikaConfig(first_train_task=-1)
    with pytest.raises(ValueError, match="mastermind has .* train tasks: first_task=1000000 leaves none"):
        Paprika(_config(tmp_path, base_dir, "first_train_task=1000000"))


def _finished(run, stage, by_group=None):
    (run / stage / "model").mkdir(parents=True)
    (run / stage / "model" / "DONE").write_text("")
    if by_group is not None:
        (run / stage / DATA_STATS).write_text(json.dumps({"sft_rows": 1, "by_group": by_group}))


def test_trained_groups_are_those_with_an_example_in_a_finished_stage(tmp_path):
    assert trained_groups(tmp_path) is None  # nothing trained yet
    _finished(tmp_path, "sft", {"wordle": {"sft_rows": 2, "pairs": 0}, "mastermind": {"sft_rows": 0, "pairs": 0}})
    assert trained_groups(tmp_path) == {"wordle"}
    _finished(tmp_path, "rpo", {"bandit_best_arm": {"sft_rows": 0, "pairs": 1}})
    assert trained_groups(tmp_path) == {"wordle", "bandit_best_arm"}
    (tmp_path / "rpo" / DATA_STATS).unlink()
    assert trained_groups(tmp_path) is None  # a finished stage without its record: cannot tell
