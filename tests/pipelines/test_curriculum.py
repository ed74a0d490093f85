import json
import math

import pytest

from curiosa import envs
from curiosa.config import load_config
from curiosa.data.curriculum import UCB1Bandit, cluster_tasks, learning_potential
from curiosa.data.sets import DataConfig
from curiosa.envs.task import Task
from curiosa.pipelines.curriculum import Curriculum, CurriculumConfig, episode_scores
from curiosa.rollout.backends.scripted import ScriptedBackend
from curiosa.rollout.store import load_trajectories
from curiosa.rollout.trajectory import Trajectory
from curiosa.pipelines.train import TrainJob

GROUPS = ["mastermind", "cellular_automata"]


# --------------------------------------------------------------------------- learning potential
def test_learning_potential_matches_hand_computed_values():
    # n=2: mean 3, s = sqrt(((2-3)^2 + (4-3)^2) / 1) = sqrt(2)
    assert learning_potential([2, 4]) == pytest.approx((1 + 1 / 8) * math.sqrt(2) / 3)
    # n=4: mean 5, deviations -3,-1,1,3 -> s = sqrt(20/3)
    assert learning_potential([2, 4, 6, 8]) == pytest.approx((1 + 1 / 16) * math.sqrt(20 / 3) / 5)
    assert learning_potential([5, 5, 5]) == 0.0  # no contrast between rollouts
    assert learning_potential([7]) == 0.0 and learning_potential([]) == 0.0
    assert learning_potential([0, 0]) == 0.0
    with pytest.raises(ValueError, match="non-negative"):
        learning_potential([1, -2])


def _trajectory(task_id: str, group: str, i: int, success: bool, turns: int) -> Trajectory:
    return Trajectory(id=f"{task_id}#{i}", task_id=task_id, group=group, split="train", sample_index=i, messages=[],
                      success=success, num_turns=turns, score=0.0, invalid_actions=0,
                      stop_reason="success" if success else "failure", policy={}, seed=0)


def test_failures_count_as_the_games_turn_limit():
    limit = envs.env_class("mastermind").max_turns  # 12
    task = "mastermind-train-00000"
    rows = [_trajectory(task, "mastermind", 0, True, 4), _trajectory(task, "mastermind", 1, False, 7)]
    assert episode_scores(rows) == [4.0, float(limit)]
    # scores [4, 12]: mean 8, s = sqrt(32)
    assert learning_potential(episode_scores(rows)) == pytest.approx((1 + 1 / 8) * math.sqrt(32) / 8)
    # every rollout failed, whenever it stopped: all at the limit, nothing to learn from
    fails = [_trajectory(task, "mastermind", i, False, t) for i, t in enumerate([3, 12, 5])]
    assert learning_potential(episode_scores(fails)) == 0.0
    with pytest.raises(ValueError, match="one task"):
        episode_scores([rows[0], _trajectory("mastermind-train-00001", "mastermind", 0, True, 3)])


# --------------------------------------------------------------------------- bandit
def test_ucb1_plays_unplayed_arms_first_then_balances_mean_and_exploration():
    bandit = UCB1Bandit(["a", "b", "c"], c=1.0, seed=0)
    rewards = {"a": 0.5, "b": 0.1, "c": 0.2}
    first = []
    for _ in range(3):
        arm = bandit.select()
        assert bandit.pulls[arm] == 0  # an unplayed arm always comes first
        first.append(arm)
        bandit.update(arm, rewards[arm])
    assert sorted(first) == ["a", "b", "c"]
    # N = 3, n_k = 1: theta = mean + sqrt(2 ln 3)
    bonus = math.sqrt(2 * math.log(3))
    assert bandit.scores() == pytest.approx({"a": 0.5 + bonus, "b": 0.1 + bonus, "c": 0.2 + bonus})
    assert bandit.select() == "a"  # highest nu
    bandit.update("a", 0.3)
    # N = 4: a has mean 0.4 over 2 pulls, c mean 0.2 over 1 pull
    theta = bandit.scores()
    assert theta["a"] == pytest.approx(0.4 + math.sqrt(2 * math.log(4) / 2))  # 1.577
    assert theta["b"] == pytest.approx(0.1 + math.sqrt(2 * math.log(4)))  # 1.765
    assert theta["c"] == pytest.approx(0.2 + math.sqrt(2 * math.log(4)))  # 1.865
    assert bandit.select() == "c"  # exploration beats a's higher mean
    assert bandit.stats()["a"] == {"pulls": 2, "mean_nu": pytest.approx(0.4)}
    # without exploration the best mean wins
    bandit.c = 0.0
    assert bandit.select() == "a"
    # pending picks shrink an arm's bonus but not its mean: N = 5, n_c = 2
    bandit.c = 1.0
    assert bandit.scores({"c": 1})["c"] == pytest.approx(0.2 + math.sqrt(2 * math.log(5) / 2))
    assert bandit.select(available=["b"]) == "b"
    with pytest.raises(KeyError, match="unknown arm 'z'"):
        bandit.update("z", 0.1)


def test_ucb1_tie_breaks_follow_the_seed():
    def order(seed):
        b = UCB1Bandit(list("abcdef"), seed=seed)
        out = []
        for _ in range(6):
            arm = b.select()
            b.update(arm, 0.0)
            out.append(arm)
        return out

    assert order(3) == order(3)
    assert len({tuple(order(s)) for s in range(6)}) > 1


def test_bandit_state_round_trips_through_json():
    bandit = UCB1Bandit(["x", "y", "z"], c=0.5, seed=7)
    for arm, nu in [("x", 0.2), ("y", 0.4), ("x", 0.1)]:
        bandit.update(arm, nu)
    bandit.select()
    restored = UCB1Bandit.from_dict(json.loads(json.dumps(bandit.to_dict())))
    assert restored.to_dict() == bandit.to_dict()
    for _ in range(5):  # the same picks, ties included
        a, b = bandit.select(), restored.select()
        assert a == b
        bandit.update(a, 0.0), restored.update(b, 0.0)
    with pytest.raises(ValueError, match="not a saved UCB1Bandit state"):
        UCB1Bandit.from_dict({"arms": ["x"]})


# --------------------------------------------------------------------------- clusters and picks
def test_cluster_by_a_params_key_and_a_clear_error_when_missing():
    tasks = [Task(f"g-train-{i:05d}", "g", "train", {"difficulty": d}) for i, d in enumerate([1, 2, 1, 3])]
    clusters = cluster_tasks(tasks, "params.difficulty")
    assert {k: [t.id for t in v] for k, v in clusters.items()} == {
        "1": ["g-train-00000", "g-train-00002"], "2": ["g-train-00001"], "3": ["g-train-00003"]}
    assert list(cluster_tasks(tasks)) == ["g"]
    with pytest.raises(KeyError, match="g-train-00000.*params.level"):
        cluster_tasks(tasks, "params.level")
    with pytest.raises(ValueError, match="cluster_by must be"):
        cluster_tasks(tasks, "difficulty")
    # on real games: math_synthetic has difficulty levels, mastermind has none
    cur = Curriculum(CurriculumConfig(groups=["math_synthetic"], cluster_by="params.difficulty",
                                      train_tasks_per_group=200, rounds=1, tasks_per_round=5))
    assert sorted(cur.clusters) == ["1", "2", "3", "4", "5"]
    with pytest.raises(KeyError, match="mastermind-train-00000 .*params.difficulty"):
        Curriculum(CurriculumConfig(groups=["mastermind"], cluster_by="params.difficulty", rounds=1, tasks_per_round=5))
    with pytest.raises(KeyError, match=r"unknown group\(s\) chess;"):
        Curriculum(CurriculumConfig(groups=["chess"], rounds=1, tasks_per_round=5))
    for field in ("reward_ranked", "pairs_only", "groups"):
        with pytest.raises(KeyError, match=r"unknown group\(s\) bandit;"):
            Curriculum(CurriculumConfig(groups=["mastermind"], rounds=1, tasks_per_round=5,
                                        selection=DataConfig(**{field: ["bandit"]})))
    with pytest.raises(ValueError, match=r"selection.groups \(wordle\) names no trained group \(mastermind\)"):
        Curriculum(CurriculumConfig(groups=["mastermind"], rounds=1, tasks_per_round=5,
                                    selection=DataConfig(groups=["wordle"])))


def test_uniform_draws_every_task_at_most_once_and_the_budget_is_checked():
    cfg = CurriculumConfig(groups=GROUPS, train_tasks_per_group=5, strategy="uniform", rounds=2, tasks_per_round=5)
    cur = Curriculum(cfg)
    bandit = cur.new_bandit()
    first = cur._pick(1, 0, bandit, set())
    second = cur._pick(2, 0, bandit, set(first))
    assert len(first) == len(set(first)) == 5 and len(second) == len(set(second)) == 5
    assert sorted(first + second) == sorted(cur.tasks)  # 10 tasks, each drawn once
    assert cur._pick(1, 0, bandit, set()) == first  # deterministic
    with pytest.raises(ValueError, match="need 12 distinct train tasks.*offer 10"):
        Curriculum(CurriculumConfig(groups=GROUPS, train_tasks_per_group=5, rounds=3, tasks_per_round=4))


def test_a_ucb_batch_spreads_over_arms_and_never_repeats_a_task():
    cfg = CurriculumConfig(groups=GROUPS, train_tasks_per_group=3, rounds=1, tasks_per_round=6, batch_tasks=6)
    cur = Curriculum(cfg)
    picks = cur._pick(1, 0, cur.new_bandit(), set())
    assert len(set(picks)) == 6 and sorted(picks) == sorted(cur.tasks)
    assert [cur.arm_of[t] for t in picks].count("mastermind") == 3


# --------------------------------------------------------------------------- playing rounds (scripted, no model)
def _play_config(tmp_path, name="run", **kw):
    settings = dict(output_dir=str(tmp_path / name), groups=GROUPS, train_tasks_per_group=6, rounds=1,
                    tasks_per_round=4, samples=3, batch_tasks=1)
    settings.update(kw)
    cfg = CurriculumConfig(**settings)
    cfg.engine.progress = False
    return cfg


class _Dies(ScriptedBackend):
    """A scripted player that is killed after a number of generation calls."""

    def __init__(self, calls: int) -> None:
        super().__init__("noisy")
        self.left = calls

    def generate(self, requests, sampling):
        self.left -= 1
        if self.left < 0:
            raise RuntimeError("killed")
        return super().generate(requests, sampling)


def test_a_round_records_each_tasks_nu_and_a_killed_round_resumes_with_the_same_picks(tmp_path):
    cfg = _play_config(tmp_path)
    cur = Curriculum(cfg, teacher=ScriptedBackend("noisy"))
    bandit, state = cur.play_round(1, "some-model", cur.new_bandit())
    assert state["complete"] and len(state["chosen"]) == 4 and state["pending"] == []
    trajectories = load_trajectories(tmp_path / "run" / "round-1" / "trajectories.jsonl")
    assert len(trajectories) == 4 * 3
    for c in state["chosen"]:
        rows = sorted((t for t in trajectories if t.task_id == c["task_id"]), key=lambda t: t.sample_index)
        assert c["nu"] == pytest.approx(learning_potential(episode_scores(rows)))
    assert sum(s["pulls"] for s in state["arms"].values()) == 4 == bandit.total_pulls
    assert {cur.arm_of[c["task_id"]] for c in state["chosen"][:2]} == set(GROUPS)  # unplayed arms first

    # the same round killed in the middle of a rollout, then resumed
    killed = _play_config(tmp_path, "killed")
    with pytest.raises(RuntimeError, match="killed"):
        Curriculum(killed, teacher=_Dies(calls=8)).play_round(1, "some-model", Curriculum(killed).new_bandit())
    saved = json.loads((tmp_path / "killed" / "round-1" / "bandit.json").read_text())
    assert not saved["complete"] and saved["pending"]
    resumed = Curriculum(killed, teacher=ScriptedBackend("noisy"))
    _, again = resumed.play_round(1, "some-model", resumed.new_bandit())
    assert again["chosen"] == state["chosen"] and again["bandit"] == state["bandit"]
    assert len(load_trajectories(tmp_path / "killed" / "round-1" / "trajectories.jsonl")) == 4 * 3
    # a finished round is not played again
    assert Curriculum(killed, teacher=_Dies(calls=0)).play_round(1, "some-model", resumed.new_bandit())[1] == again


def test_a_round_without_preference_pairs_fails_naming_the_round_and_the_fix(tmp_path):
    cfg = _play_config(tmp_path, groups=["mastermind"], tasks_per_round=2, samples=2)
    cur = Curriculum(cfg, teacher=ScriptedBackend("random"))
    cur.play_round(1, "some-model", cur.new_bandit())
    with pytest.raises(ValueError, match=r"round 1: .*no preference pair.*Raise samples or tasks_per_round"):
        cur.train_round(1, "some-model")


def test_a_run_directory_refuses_other_task_defining_settings(tmp_path):
    cfg = _play_config(tmp_path)
    cur = Curriculum(cfg, teacher=ScriptedBackend("noisy"))
    from curiosa.config import save_config

    save_config(cfg, tmp_path / "run" / "config.yaml")
    cur.play_round(1, "some-model", cur.new_bandit())
    with pytest.raises(ValueError, match="other settings .*strategy: 'ucb' -> 'uniform'"):
        Curriculum(_play_config(tmp_path, strategy="uniform"))._check_resumable()
    Curriculum(_play_config(tmp_path, rounds=2))._check_resumable()  # more rounds: a run may be extended


def test_cli_registers_the_curriculum_command(capsys):
    from curiosa.cli import main

    assert main(["curriculum", "--show-config"]) == 0
    out = capsys.readouterr().out
    assert "batch_tasks = 1" in out and "cluster_by = 'group'" in out
    cfg = load_config(CurriculumConfig, "configs/curriculum.yaml")
    assert cfg.rounds == 3 and cfg.strategy == "ucb"


# --------------------------------------------------------------------------- end to end with a tiny model
@pytest.mark.slow
def test_two_rounds_chain_the_models_and_a_rerun_skips_everything(tmp_path, base_dir):
    from curiosa.models.chat import ChatTokenizer
    from curiosa.models.loading import load_tokenizer

    config = load_config(CurriculumConfig, "configs/curriculum.yaml", [
        f"output_dir={tmp_path / 'run'}", f"model.path={base_dir}", f"groups=[{','.join(GROUPS)}]",
        "train_tasks_per_group=6", "rounds=2", "tasks_per_round=3", "samples=4", "batch_tasks=2",
        "eval_tasks_per_group=2", "eval_samples=2", "train_sampling.max_new_tokens=12",
        "eval_sampling.max_new_tokens=12", "engine.progress=false"])
    chat = ChatTokenizer(load_tokenizer(base_dir))
    summary = Curriculum(config, teacher=ScriptedBackend("noisy", chat=chat)).run()
    run = tmp_path / "run"
    for path in ("config.yaml", "summary.json", "eval/final/summary.json", "round-1/trajectories.jsonl",
                 "round-1/bandit.json", "round-1/rpo/model/DONE", "round-1/rpo/pairs.jsonl",
                 "round-2/trajectories.jsonl", "round-2/bandit.json", "round-2/rpo/model/DONE"):
        assert (run / path).exists(), path
    round1, round2 = run / "round-1" / "rpo" / "model", run / "round-2" / "rpo" / "model"
    # round 2 plays with and trains from round 1's model (its RPO reference)
    assert load_config(TrainJob, run / "round-2" / "rpo" / "config.yaml").model == str(round1)
    assert json.loads((run / "round-2" / "bandit.json").read_text())["model"] == str(round1)
    assert str(round1) in (run / "round-2" / "trajectories.config.yaml").read_text()
    assert summary["final_model"] == str(round2)
    states = [json.loads((run / f"round-{r}" / "bandit.json").read_text()) for r in (1, 2)]
    chosen = [c["task_id"] for s in states for c in s["chosen"]]
    assert len(chosen) == len(set(chosen)) == 6  # no task twice in a run
    saved = json.loads((run / "summary.json").read_text())
    assert [r["round"] for r in saved["rounds"]] == [1, 2] and saved["trajectories"] == 2 * 3 * 4
    assert sum(a["pulls"] for a in saved["rounds"][0]["arms"].values()) == 3
    assert sum(a["pulls"] for a in saved["bandit"].values()) == 6  # the bandit carried over
    assert saved["evaluation"]["overall"]["episodes"] == 2 * 2 * 2

    before = {p: p.stat().st_mtime_ns for p in (run / "round-1/trajectories.jsonl", run / "round-2/bandit.json",
                                                 round2 / "model.safetensors", run / "eval/final/trajectories.jsonl")}
    Curriculum(config, teacher=_Dies(calls=0)).run()  # nothing may be played again
    assert all(p.stat().st_mtime_ns == t for p, t in before.items())
