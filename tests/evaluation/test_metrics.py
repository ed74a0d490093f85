import io
import math

import numpy as np
import pytest

from curiosa.evaluation.metrics import (compare, episode_success, format_table, pass_at_k, print_summary,
                                       repeated_moves, summarize)
from curiosa.rollout.trajectory import Trajectory


def traj(task, i, success, turns=3, group="wordle", split="test", invalid=0, stop=None):
    return Trajectory(
        id=f"{task}#{i}", task_id=task, group=group, split=split, sample_index=i,
        messages=[{"role": "user", "content": "go"}, {"role": "assistant", "content": "Answer: x"}],
        success=success, num_turns=turns, score=0.0, invalid_actions=invalid,
        stop_reason=stop or ("success" if success else "failure"), policy={"model": "m"}, seed=i,
    )


def task_rows(task, outcomes, group="wordle", turns=3):
    return [traj(task, i, ok, turns=turns, group=group) for i, ok in enumerate(outcomes)]


# --------------------------------------------------------------------------- pass@k
@pytest.mark.parametrize("n, c, k, expected", [
    (4, 1, 4, 1.0), (4, 1, 1, 0.25), (5, 2, 2, 1 - math.comb(3, 2) / math.comb(5, 2)), (4, 0, 4, 0.0),
    (4, 4, 1, 1.0), (10, 3, 4, 1 - math.comb(7, 4) / math.comb(10, 4)),
])
def test_pass_at_k_hand_computed(n, c, k, expected):
    assert pass_at_k(n, c, k) == pytest.approx(expected)
    assert pass_at_k(5, 2, 2) == pytest.approx(0.7)


def test_pass_at_k_with_fewer_samples_than_k_uses_n():
    assert pass_at_k(2, 1, 4) == 1.0 and pass_at_k(2, 0, 4) == 0.0 and pass_at_k(1, 1, 4) == 1.0


@pytest.mark.parametrize("n, c, k", [(0, 0, 1), (3, 4, 1), (3, -1, 1), (3, 1, 0)])
def test_pass_at_k_rejects_nonsense(n, c, k):
    with pytest.raises(ValueError):
        pass_at_k(n, c, k)


def test_pass_at_k_in_summary_is_mean_over_tasks():
    rows = task_rows("a", [True, False, False, False]) + task_rows("b", [False] * 4)
    s = summarize(rows, k=1)
    assert s["groups"]["wordle"]["pass_at_k"] == pytest.approx((0.25 + 0.0) / 2)
    assert summarize(rows, k=4)["groups"]["wordle"]["pass_at_k"] == pytest.approx(0.5)


# --------------------------------------------------------------------------- success
def test_format_failure_counts_as_failure():
    bad = traj("a", 0, True, stop="format_failure")
    assert not episode_success(bad)
    s = summarize([bad, traj("a", 1, True), traj("b", 0, False, stop="format_failure"), traj("b", 1, False)])
    g = s["groups"]["wordle"]
    assert g["success"] == pytest.approx(0.25)
    assert g["format_failure_rate"] == pytest.approx(0.5)
    assert g["pass_at_k"] == pytest.approx(0.5)  # task a: one real success; task b: none


def test_group_numbers():
    rows = [traj("a", 0, True, turns=2, invalid=1), traj("a", 1, False, turns=6, invalid=2),
            traj("b", 0, True, turns=4), traj("b", 1, False, turns=8, invalid=1)]
    g = summarize(rows)["groups"]["wordle"]
    assert g["success"] == 0.5 and g["episodes"] == 4 and g["tasks"] == 2
    assert g["mean_turns_success"] == pytest.approx(3.0)
    assert g["invalid_action_rate"] == pytest.approx(4 / 20)
    assert g["min_samples_per_task"] == 2


def test_repeated_moves_count_each_move_seen_before_in_the_episode():
    loop = traj("t1", 0, False)
    loop.messages = [{"role": "user", "content": "go"}]
    for move in ["Is it red?", "is it  RED?", "Is it blue?", "Is it red?", None, "Is it blue"]:
        reply = "Thought: hmm." if move is None else f"Thought: hmm.\nAnswer: {move}"
        loop.messages += [{"role": "assistant", "content": reply}, {"role": "user", "content": "No."}]
    assert repeated_moves(loop) == (2, 5)  # case and spacing ignored, an unreadable reply is no move
    other = traj("t2", 0, True)  # one move, never repeated
    summary = summarize([loop, other])
    assert summary["groups"]["wordle"]["repeated_move_rate"] == pytest.approx(2 / 6)
    assert summary["overall"]["repeated_move_rate"] == pytest.approx(2 / 6)
    assert "repeated moves" in format_table(summary) and "33.3%" in format_table(summary)


def test_mean_turns_is_none_without_success():
    s = summarize(task_rows("a", [False, False]))
    assert s["groups"]["wordle"]["mean_turns_success"] is None
    assert s["overall"]["mean_turns_success"] is None


def test_success_is_mean_over_episodes():
    rows = task_rows("a", [True] * 6) + task_rows("b", [False, False])
    assert summarize(rows)["groups"]["wordle"]["success"] == pytest.approx(6 / 8)


# --------------------------------------------------------------------------- confidence intervals
def synthetic_group(tasks, rate, seed=0, group="wordle", samples=4):
    rng = np.random.default_rng(seed)
    return [traj(f"{group}-{t}", i, bool(rng.random() < rate), group=group)
            for t in range(tasks) for i in range(samples)]


def test_ci_contains_the_mean_and_shrinks_with_more_tasks():
    small = summarize(synthetic_group(10, 0.4))["groups"]["wordle"]
    large = summarize(synthetic_group(400, 0.4))["groups"]["wordle"]
    for g in (small, large):
        for key in ("success", "pass_at_k"):
            low, high = g[f"{key}_ci"]
            assert low <= g[key] <= high
            assert 0.0 <= low < high <= 1.0
    width = lambda g: g["success_ci"][1] - g["success_ci"][0]  # noqa: E731
    assert width(large) < width(small) / 2


def test_ci_is_deterministic_for_a_seed_and_wider_at_higher_confidence():
    rows = synthetic_group(30, 0.5)
    assert summarize(rows, seed=3) == summarize(rows, seed=3)
    narrow, wide = summarize(rows, confidence=0.5), summarize(rows, confidence=0.99)
    n, w = narrow["groups"]["wordle"]["success_ci"], wide["groups"]["wordle"]["success_ci"]
    assert w[0] <= n[0] and n[1] <= w[1] and (w[1] - w[0]) > (n[1] - n[0])


def test_bootstrap_keeps_a_tasks_samples_together():
    """Tasks that all succeed or all fail: the interval reflects 10 tasks, not 40 episodes."""
    rows = [traj(f"t{t}", i, t < 5) for t in range(10) for i in range(4)]
    low, high = summarize(rows)["groups"]["wordle"]["success_ci"]
    # A binomial over 40 independent episodes would give about +-0.155; 10 tasks give about +-0.31.
    assert high - low > 0.45


def test_group_ci_does_not_depend_on_other_groups():
    wordle = synthetic_group(20, 0.3)
    alone = summarize(wordle)["groups"]["wordle"]
    together = summarize(wordle + synthetic_group(20, 0.6, group="mastermind"))["groups"]["wordle"]
    assert alone == together


def test_single_task_interval_is_a_point():
    g = summarize(task_rows("a", [True, False, True, False]))["groups"]["wordle"]
    assert g["success_ci"] == [0.5, 0.5]


# --------------------------------------------------------------------------- macro average
def test_overall_is_macro_average_over_groups():
    big = [traj(f"w{t}", 0, True, group="wordle", turns=2) for t in range(30)]
    small = [traj("m0", i, False, group="mastermind") for i in range(2)] + \
        [traj("m1", 0, True, group="mastermind", turns=6), traj("m1", 1, False, group="mastermind")]
    s = summarize(big + small)
    o = s["overall"]
    assert o["success"] == pytest.approx((1.0 + 0.25) / 2)  # not 31/34
    assert o["pass_at_k"] == pytest.approx((1.0 + 0.5) / 2)
    assert o["mean_turns_success"] == pytest.approx((2 + 6) / 2)
    assert o["episodes"] == 34 and o["tasks"] == 32 and o["groups"] == 2
    assert o["success_ci"][0] <= o["success"] <= o["success_ci"][1]
    assert list(s["groups"]) == ["mastermind", "wordle"]


def test_overall_skips_undefined_group_rates():
    rows = task_rows("a", [True], group="wordle", turns=4) + task_rows("b", [False], group="mastermind")
    assert summarize(rows)["overall"]["mean_turns_success"] == 4.0


# --------------------------------------------------------------------------- errors
def test_clear_errors():
    with pytest.raises(ValueError, match="no trajectories"):
        summarize([])
    with pytest.raises(ValueError, match="mix splits"):
        summarize([traj("a", 0, True), traj("b", 0, True, split="train")])
    with pytest.raises(ValueError, match="twice"):
        summarize([traj("a", 0, True), traj("a", 0, False)])
    with pytest.raises(ValueError, match="groups"):
        summarize([traj("a", 0, True), traj("a", 1, True, group="mastermind")])
    with pytest.raises(ValueError, match="k must"):
        summarize([traj("a", 0, True)], k=0)
    with pytest.raises(ValueError, match="confidence"):
        summarize([traj("a", 0, True)], confidence=95)
    with pytest.raises(TypeError):
        summarize([{"id": "a"}])


def test_summarize_accepts_a_generator():
    assert summarize(traj("a", i, True) for i in range(2))["groups"]["wordle"]["episodes"] == 2


# --------------------------------------------------------------------------- compare
def two_models():
    base = task_rows("w0", [True, False, False, False], turns=5) + task_rows("w1", [False] * 4) + \
        task_rows("m0", [True, True, False, False], group="mastermind", turns=8)
    tuned = task_rows("w0", [True, True, False, False], turns=3) + task_rows("w1", [True, False, False, False], turns=3) + \
        task_rows("m0", [True, False, False, False], group="mastermind", turns=6)
    return summarize(base), summarize(tuned)


def test_compare_numbers():
    base, tuned = two_models()
    c = compare(base, tuned)
    w = c["groups"]["wordle"]
    assert w["base"]["success"] == pytest.approx(1 / 8) and w["tuned"]["success"] == pytest.approx(3 / 8)
    assert w["success_delta"] == pytest.approx(2 / 8)
    assert w["relative_improvement"] == pytest.approx(2.0)
    assert w["base"]["mean_turns_success"] == 5 and w["tuned"]["mean_turns_success"] == 3
    o = c["overall"]
    base_avg, tuned_avg = (1 / 8 + 2 / 4) / 2, (3 / 8 + 1 / 4) / 2
    assert o["base"]["success"] == pytest.approx(base_avg) and o["tuned"]["success"] == pytest.approx(tuned_avg)
    assert o["relative_improvement"] == pytest.approx((tuned_avg - base_avg) / base_avg)
    assert o["groups_improved"] == 1 and o["groups_compared"] == 2
    assert o["base"]["pass_at_k"] == pytest.approx(1.0 / 2 * (0.5 + 1.0))
    assert c["k"] == 4 and c["split"] == "test"
    assert set(o["base"]) == {"success", "success_ci", "pass_at_k", "pass_at_k_ci", "mean_turns_success",
                              "repeated_move_rate", "episodes", "tasks"}


def test_compare_relative_improvement_none_when_base_is_zero():
    base = summarize(task_rows("a", [False, False]))
    tuned = summarize(task_rows("a", [True, False]))
    c = compare(base, tuned)
    assert c["overall"]["relative_improvement"] is None and c["overall"]["groups_improved"] == 1


def test_compare_refuses_mismatched_summaries():
    base, tuned = two_models()
    with pytest.raises(ValueError, match="different groups"):
        compare(base, summarize(task_rows("w0", [True])))
    with pytest.raises(ValueError, match="k="):
        compare(base, {**tuned, "k": 2})
    with pytest.raises(ValueError, match="not a summarize"):
        compare(base, {"groups": {}})


def many_tasks(outcomes_per_task, group="wordle"):
    """One row of episodes per task: outcomes_per_task[i] are task i's samples."""
    return [row for i, outcomes in enumerate(outcomes_per_task) for row in task_rows(f"{group}{i}", outcomes, group=group)]


def test_paired_interval_of_equal_models_is_zero_though_each_interval_is_wide():
    rng = np.random.default_rng(0)
    outcomes = [list(rng.random(4) < p) for p in rng.random(20)]
    c = compare(summarize(many_tasks(outcomes)), summarize(many_tasks(outcomes)))
    o = c["overall"]
    assert o["base"]["success_ci"][1] - o["base"]["success_ci"][0] > 0.1
    assert o["success_delta"] == 0 and o["success_delta_ci"] == [0.0, 0.0]


def test_paired_interval_follows_the_difference_task_by_task():
    base = many_tasks([[False, False]] * 6) + many_tasks([[True, False]] * 3, group="mastermind")
    tuned = many_tasks([[True, False]] * 6) + many_tasks([[True, False]] * 3, group="mastermind")
    c = compare(summarize(base), summarize(tuned))
    assert c["groups"]["wordle"]["success_delta_ci"] == pytest.approx([0.5, 0.5])
    assert c["groups"]["mastermind"]["success_delta_ci"] == pytest.approx([0.0, 0.0])
    assert c["overall"]["success_delta_ci"] == pytest.approx([0.25, 0.25])  # the macro average


def test_paired_interval_contains_the_difference_and_excludes_zero_only_when_it_should():
    rng = np.random.default_rng(1)
    base_p = rng.random(30) * 0.5
    base = many_tasks([list(rng.random(4) < p) for p in base_p])
    better = many_tasks([list(rng.random(4) < p + 0.4) for p in base_p])
    noisy = many_tasks([list(rng.random(4) < p) for p in base_p])
    up = compare(summarize(base), summarize(better))["overall"]
    assert up["success_delta_ci"][0] <= up["success_delta"] <= up["success_delta_ci"][1]
    assert up["success_delta_ci"][0] > 0
    same = compare(summarize(base), summarize(noisy))["overall"]
    assert same["success_delta_ci"][0] < 0 < same["success_delta_ci"][1]


def test_no_paired_interval_without_the_same_tasks_or_per_task_outcomes():
    base = summarize(many_tasks([[True, False]] * 3))
    other_tasks = summarize(task_rows("elsewhere", [True, True]))
    assert compare(base, other_tasks)["overall"]["success_delta_ci"] is None
    old = {**base, "groups": {g: {k: v for k, v in s.items() if k != "task_outcomes"} for g, s in base["groups"].items()}}
    c = compare(old, base)
    assert c["overall"]["success_delta_ci"] is None and c["groups"]["wordle"]["success_delta_ci"] is None
    assert "paired interval" not in format_table(c)


def test_summary_records_each_tasks_outcomes():
    s = summarize(task_rows("a", [True, False, True]) + task_rows("b", [False]))
    assert s["groups"]["wordle"]["task_outcomes"] == {"a": [2, 3], "b": [0, 1]}


# --------------------------------------------------------------------------- tables
def test_format_table_of_summary_and_comparison():
    base, tuned = two_models()
    text = format_table(base)
    assert "wordle" in text and "mastermind" in text and "overall" in text and "pass@4" in text
    assert "12.5%" in text  # wordle base success
    comparison = format_table(compare(base, tuned))
    assert "base success" in comparison and "tuned success" in comparison and "+25.0 pt" in comparison
    assert "1 of 2 groups" in comparison
    assert "difference, 95% paired interval: +0.0 pt [+0.0, +0.0]" in comparison  # each group moves alike on every task
    out = io.StringIO()
    print_summary(compare(base, tuned), file=out)
    assert out.getvalue().strip() == comparison.strip()
    with pytest.raises(ValueError):
        format_table({"k": 4})
