"""Rules, parsing, feedback and tasks of bandit_best_arm."""

from __future__ import annotations

import pytest

from curiosa import envs
from curiosa.envs import Task
from curiosa.envs.bandit_best_arm import THEMES, parse_arms, parse_totals

GAME = "bandit_best_arm"
ARMS = ["red", "blue", "green"]


def make_env(means=(0.0, 1.0, 0.0), arms=ARMS, seed=0):
    task = Task(id=f"{GAME}-test-99999", group=GAME, split="test", params={"arms": list(arms), "means": list(means)})
    env = envs.make(GAME, task=task)
    obs, _ = env.reset(seed=seed)
    return env, obs


def play(env, answer: str):
    return env.step(f"Thought: test.\nAnswer: {answer}")


def test_instruction_lists_arms_and_rules():
    env, obs = make_env()
    assert parse_arms(obs) == ARMS
    assert obs.isascii() and "20 pulls" in obs and "'Answer: red'" in obs and obs.endswith(envs.REPLY_FORMAT)


def test_pull_feedback_and_totals():
    env, _ = make_env()
    obs, reward, terminated, truncated, info = play(env, "blue")
    assert (reward, terminated, truncated, info["invalid_action"]) == (0.0, False, False, False)
    assert info["feedback"] == {"arm": "blue", "reward": 1, "pulls": {"red": 0, "blue": 1, "green": 0},
                                "rewards": {"red": 0, "blue": 1, "green": 0}, "total_reward": 1, "pulls_left": 19}
    assert obs == "Pulled blue: reward 1.\nTotals (reward/pulls): red 0/0, blue 1/1, green 0/0.\n" \
                  "Total reward: 1. Pulls left: 19."
    obs, *_, info = play(env, "pull RED")
    assert info["feedback"]["reward"] == 0 and info["feedback"]["total_reward"] == 1
    assert parse_totals(obs) == {"red": (0, 1), "blue": (1, 1), "green": (0, 0)}


@pytest.mark.parametrize("answer", ["green", "Green", "pull green", "arm green", "Best arm: green", "'green'",
                                    "I choose the green arm", "**green**"])
def test_answer_forms(answer):
    env, _ = make_env()
    assert env.parse_reply(f"Answer: {answer}") == "green"


def test_unknown_and_ambiguous_arms_are_invalid_moves():
    env, _ = make_env()
    obs, _, terminated, _, info = play(env, "purple")
    assert info["invalid_action"] and not info["format_error"] and not terminated
    assert "no arm 'purple'" in obs and "red, blue, green" in obs and "Pulls left: 19" in obs
    assert info["feedback"]["total_reward"] == 0 and info["feedback"]["pulls_left"] == 19
    obs, _, _, _, info = play(env, "red or blue")
    assert info["invalid_action"] and "name exactly one" in obs


@pytest.mark.parametrize("answer", ["", "I do not know which one", "???", "12 34"])
def test_unreadable_is_format_error(answer):
    env, _ = make_env()
    _, _, terminated, _, info = play(env, answer)
    assert info["format_error"] and not terminated and info["turn"] == 1


def _pull_all(env, arm="blue", n=20):
    for _ in range(n):
        obs, *_ = play(env, arm)
    return obs


def test_final_choice_wins():
    env, _ = make_env()
    obs = _pull_all(env)
    assert "Pulls left: 0" in obs and "name the arm" in obs
    obs, reward, terminated, truncated, info = play(env, "best arm: blue")
    assert (reward, terminated, truncated, info["success"], info["turn"]) == (1.0, True, False, True, 21)
    assert info["feedback"] == {"chosen": "blue", "best": "blue", "correct": True,
                                "pulls": {"red": 0, "blue": 20, "green": 0},
                                "rewards": {"red": 0, "blue": 20, "green": 0}, "total_reward": 20}
    assert "You win" in obs


def test_final_wrong_choice_loses_and_reveals():
    env, _ = make_env()
    _pull_all(env, "red")
    obs, reward, terminated, _, info = play(env, "green")
    assert (reward, terminated, info["success"]) == (0.0, True, False)
    assert info["feedback"]["best"] == "blue" and info["feedback"]["total_reward"] == 0
    assert "The best arm was blue" in obs


def test_final_unknown_arm_ends_in_failure():
    env, _ = make_env()
    _pull_all(env)
    obs, _, terminated, truncated, info = play(env, "purple")
    assert terminated and not truncated and info["invalid_action"] and not info["success"]
    assert info["feedback"]["total_reward"] == 20 and "The best arm was blue" in obs


def test_invalid_turns_count_against_pulls():
    env, _ = make_env()
    play(env, "purple")
    obs = _pull_all(env, n=19)
    assert "Pulls left: 0" in obs
    _, _, terminated, _, info = play(env, "blue")
    assert terminated and info["success"] and info["feedback"]["pulls"]["blue"] == 19


def test_format_error_on_last_turn_truncates():
    env, _ = make_env()
    _pull_all(env)
    obs, _, terminated, truncated, info = play(env, "")
    assert truncated and not terminated and not info["success"] and "The best arm was blue" in obs


def test_rewards_reproducible_with_seed():
    def rewards(seed):
        env, _ = make_env(means=(0.5, 0.5, 0.5), seed=seed)
        return [play(env, "red")[4]["feedback"]["reward"] for _ in range(20)]
    assert rewards(3) == rewards(3)
    assert rewards(3) != rewards(4)


def test_task_sets():
    train, test = envs.load_tasks(GAME, "train"), envs.load_tasks(GAME, "test")
    assert (len(train), len(test)) == (400, 100)
    assert [t.to_dict() for t in test] == [t.to_dict() for t in envs.env_class(GAME).build_tasks("test")]
    keys = [(tuple(t.params["arms"]), tuple(t.params["means"])) for t in train + test]
    assert len(set(keys)) == len(keys)
    for task in train + test:
        arms, means = task.params["arms"], task.params["means"]
        assert 3 <= len(arms) == len(means) <= 6 and len(set(arms)) == len(arms)
        assert any(set(arms) <= set(words) for words in THEMES.values())
        best = max(means)
        assert 0.6 <= best <= 0.7 and means.count(best) == 1
        e = (best - 0.5) * 2
        assert all(0.05 <= m <= 0.5 - e / 2 + 1e-4 for m in means if m != best)
    assert {len(t.params["arms"]) for t in train} == {3, 4, 5, 6}
