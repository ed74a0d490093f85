import json
import math

import pytest

from curiosa.data.curriculum import UCB1Bandit, cluster_key, cluster_tasks, learning_potential, turn_score
from curiosa.envs.task import Task


# --------------------------------------------------------------------------- learning potential
def test_learning_potential_with_the_small_sample_correction_on_hand_computed_numbers():
    # n=2: mean 2, s = sqrt((1 + 1) / 1) = 1.41421356; (1 + 1/8) * 1.41421356 / 2
    assert learning_potential([1, 3]) == pytest.approx(0.79549513, abs=1e-8)
    # n=3: mean 4, deviations -1, -1, 2 -> s = sqrt(6 / 2) = 1.73205081; (1 + 1/12) * 1.73205081 / 4
    assert learning_potential([3, 3, 6]) == pytest.approx(0.46909709, abs=1e-8)
    # the correction is what separates it from the plain coefficient of variation
    assert learning_potential([3, 3, 6]) == pytest.approx((1 + 1 / 12) * math.sqrt(3) / 4)
    assert learning_potential((s for s in [1, 3])) == learning_potential([1, 3])  # any iterable


def test_learning_potential_edge_cases():
    assert learning_potential([0, 0, 0]) == 0.0  # mean 0: no undefined division
    assert learning_potential([7]) == 0.0  # one sample: no standard deviation
    assert learning_potential([]) == 0.0
    assert learning_potential([4, 4, 4, 4]) == 0.0  # every rollout alike: nothing to contrast
    with pytest.raises(ValueError, match="finite"):
        learning_potential([1, math.nan])
    with pytest.raises(ValueError, match="non-negative"):
        learning_potential([2, -1])
    with pytest.raises(ValueError, match="flat"):
        learning_potential([[1, 2], [3, 4]])


def test_a_failure_scores_the_turn_limit():
    assert turn_score(True, 4, 12) == 4.0
    assert turn_score(False, 7, 12) == 12.0
    assert learning_potential([turn_score(True, 4, 12), turn_score(False, 7, 12)]) == pytest.approx(
        (1 + 1 / 8) * math.sqrt(32) / 8)  # scores 4, 12: mean 8, s = sqrt(32)


# --------------------------------------------------------------------------- UCB1
def test_unplayed_arms_come_first_whatever_the_others_earned():
    bandit = UCB1Bandit(["a", "b", "c"])
    bandit.update("a", 100.0)
    assert bandit.scores()["b"] == bandit.scores()["c"] == math.inf
    second = bandit.select()
    assert second in ("b", "c")
    bandit.update(second, 0.0)
    assert bandit.select() == ({"b", "c"} - {second}).pop()


def test_theta_on_hand_computed_numbers():
    bandit = UCB1Bandit(["x", "y"], c=1.0)
    for arm, nu in [("x", 0.2), ("x", 0.4), ("y", 0.1)]:
        bandit.update(arm, nu)
    # N = 3; x: mean 0.3, n 2 -> 0.3 + sqrt(2 ln 3 / 2) = 0.3 + 1.04814707; y: 0.1 + sqrt(2 ln 3) = 0.1 + 1.48230380
    assert bandit.scores() == pytest.approx({"x": 1.34814707, "y": 1.58230380}, abs=1e-8)
    assert bandit.select() == "y"  # exploration wins
    bandit.c = 0.2  # x: 0.3 + 0.2 * 1.04814707 = 0.50962941; y: 0.1 + 0.2 * 1.48230380 = 0.39646076
    assert bandit.scores() == pytest.approx({"x": 0.50962941, "y": 0.39646076}, abs=1e-8)
    assert bandit.select() == "x"  # the mean wins
    # a pending pick of y counts for N and n_y, not for y's mean: N = 4, n_y = 2
    assert bandit.scores({"y": 1})["y"] == pytest.approx(0.1 + 0.2 * math.sqrt(2 * math.log(4) / 2))
    assert bandit.stats() == {"x": {"pulls": 2, "mean_nu": pytest.approx(0.3)}, "y": {"pulls": 1, "mean_nu": 0.1}}


def test_ties_are_broken_deterministically_among_the_tied_arms_only():
    def picks(seed):
        bandit = UCB1Bandit(["a", "b", "c"], seed=seed)
        for arm, nu in [("a", 0.5), ("b", 0.5), ("c", 0.0)]:
            bandit.update(arm, nu)
        return [bandit.select() for _ in range(20)]

    assert picks(5) == picks(5)  # the same seed, the same tie-breaks
    assert set(picks(5)) == {"a", "b"}  # c's theta is lower: never drawn
    assert len({tuple(picks(s)) for s in range(5)}) > 1  # the seed decides

    bandit = UCB1Bandit(["a", "b"], seed=1)
    bandit.update("a", 0.9)
    bandit.update("b", 0.1)
    state = bandit.to_dict()["rng"]
    assert bandit.select() == "a" and bandit.to_dict()["rng"] == state  # no tie: the generator is untouched


def test_available_arms_and_bad_input():
    bandit = UCB1Bandit(["a", "b"])
    assert bandit.select(available=["b"]) == "b"
    with pytest.raises(ValueError, match="no arm is available"):
        bandit.select(available=[])
    with pytest.raises(KeyError, match="unknown arm 'z'"):
        bandit.update("z", 0.1)
    with pytest.raises(KeyError, match="unknown arm 'z'"):
        bandit.scores({"z": 1})
    with pytest.raises(ValueError, match="finite"):
        bandit.update("a", math.inf)
    for arms, c in [([], 1.0), (["a", "a"], 1.0), (["a"], -0.1)]:
        with pytest.raises(ValueError):
            UCB1Bandit(arms, c=c)


def test_state_round_trips_through_a_dict_and_json():
    bandit = UCB1Bandit(["x", "y", "z"], c=0.5, seed=3)
    for arm, nu in [("x", 0.2), ("y", 0.4), ("x", 0.1)]:
        bandit.update(arm, nu)
    bandit.select()  # the generator has moved
    saved = json.loads(json.dumps(bandit.to_dict()))
    assert {"arms", "c", "pulls", "totals", "rng"} <= set(saved)
    restored = UCB1Bandit.from_dict(saved)
    assert restored.to_dict() == bandit.to_dict()
    assert restored.stats() == bandit.stats()
    for _ in range(6):  # resumed from the saved state, the same picks, ties included
        a, b = bandit.select(), restored.select()
        assert a == b
        bandit.update(a, 0.0)
        restored.update(b, 0.0)
    for broken in ({"arms": ["x"]}, {**saved, "pulls": {"x": 1}}, {**saved, "rng": "nope"}):
        with pytest.raises(ValueError, match="not a saved UCB1Bandit state"):
            UCB1Bandit.from_dict(broken)


# --------------------------------------------------------------------------- clusters
def test_clusters_by_group_id_and_nested_params():
    tasks = [Task("g-train-00000", "g", "train", {"board": {"size": 3}, "rule": [1, 2]}),
             Task("h-train-00000", "h", "train", {"board": {"size": 4}, "rule": [1, 2]})]
    assert cluster_key(tasks[0], "id") == "g-train-00000"
    assert cluster_key(tasks[0], "params.board.size") == "3"
    assert cluster_key(tasks[0], "params.rule") == "[1, 2]"  # lists and dicts as sorted JSON
    assert list(cluster_tasks(tasks)) == ["g", "h"]
    assert [t.id for t in cluster_tasks(tasks, "params.rule")["[1, 2]"]] == ["g-train-00000", "h-train-00000"]
    with pytest.raises(ValueError, match="cluster_by must be"):
        cluster_key(tasks[0], "params.")
    with pytest.raises(KeyError, match="params.board.depth"):
        cluster_key(tasks[0], "params.board.depth")
