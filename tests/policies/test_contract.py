"""Every scripted policy plays every game in the agent format, reproducibly."""

import pytest

from curiosa import envs, policies
from curiosa.envs.text import extract_answer

GAMES = policies.games()


@pytest.mark.parametrize("kind", ["random", "heuristic", "expert", "noisy"])
@pytest.mark.parametrize("game", GAMES)
def test_replies_are_in_format_and_expert_is_legal(game, kind):
    tasks = envs.load_tasks(game, "test")[:4]
    env = envs.make(game)
    for i, task in enumerate(tasks):
        result = policies.run_episode(env, policies.scripted(game, kind, seed=i), seed=i, task=task)
        replies = [m["content"] for m in result.messages if m["role"] == "assistant"]
        assert result.format_errors == 0 and all(extract_answer(r) for r in replies)
        assert all(r.startswith("Thought: ") and len(r.splitlines()[0]) <= 240 for r in replies)
        if kind == "expert":
            assert result.invalid_actions == 0, replies


@pytest.mark.parametrize("game", GAMES)
def test_policy_is_deterministic_for_its_seed(game):
    task = envs.load_tasks(game, "test")[1]
    runs = [
        policies.run_episode(envs.make(game), policies.scripted(game, "noisy", seed=3), seed=9, task=task).messages
        for _ in range(2)
    ]
    assert runs[0] == runs[1]


@pytest.mark.parametrize("game", [g for g in GAMES if g != "math_synthetic"])  # its noisy kind is a student
def test_noisy_slips_are_recorded_and_can_repeat_earlier_replies(game):
    task = envs.load_tasks(game, "test")[0]
    env = envs.make(game)
    steady = policies.scripted(game, "noisy", seed=3, epsilon=0.0)
    assert steady.slips == [False] * policies.run_episode(env, steady, seed=9, task=task).num_turns
    looping = policies.scripted(game, "noisy", seed=3, epsilon=1.0, repeat=1.0)
    result = policies.run_episode(env, looping, seed=9, task=task)
    replies = [m["content"] for m in result.messages if m["role"] == "assistant"]
    assert looping.slips == [True] * len(replies)
    assert all(reply == replies[0] for reply in replies)  # every slip after the first repeats a reply


@pytest.mark.parametrize("game", GAMES)
def test_expert_beats_random(game):
    tasks = envs.load_tasks(game, "test")[:30]
    rate = {
        kind: policies.evaluate_policy(game, lambda i, k=kind: policies.scripted(game, k, seed=i), tasks)["success_rate"]
        for kind in ("random", "expert")
    }
    assert rate["expert"] > rate["random"] and rate["expert"] >= 0.5, rate


def test_scripted_rejects_unknown_names_and_rates_outside_0_1():
    with pytest.raises(ValueError, match="repeat must be in"):
        policies.scripted("wordle", "noisy", repeat=1.5)
    with pytest.raises(KeyError, match="no scripted policy"):
        policies.scripted("chess", "expert")
    with pytest.raises(ValueError, match="unknown policy kind"):
        policies.scripted("wordle", "genius")
    with pytest.raises(ValueError, match="no user message"):
        policies.scripted("wordle", "expert").act([])
