"""Scripted players of cellular_automata."""

from __future__ import annotations

import pytest

from curiosa import envs
from curiosa.policies import evaluate_policy, run_episode, scripted

GAME = "cellular_automata"


@pytest.mark.parametrize("kind", ["random", "heuristic", "expert", "noisy"])
def test_replies_parse(kind):
    env = envs.make(GAME)
    for i, task in enumerate(envs.load_tasks(GAME, "test")[:15]):
        result = run_episode(env, scripted(GAME, kind, seed=i), seed=i, task=task)
        assert result.format_errors == 0
        for message in result.messages[1::2]:
            assert message["role"] == "assistant"
            thought = message["content"].splitlines()[0]
            assert thought.startswith("Thought: ") and len(thought) < 200
            env.parse_reply(message["content"])


def test_expert_solves_on_first_turn_without_invalid_moves():
    env = envs.make(GAME)
    for i, task in enumerate(envs.load_tasks(GAME, "test")[:100]):
        result = run_episode(env, scripted(GAME, "expert", seed=i), seed=i, task=task)
        assert result.success and result.num_turns == 1 and result.invalid_actions == 0


def test_policy_is_deterministic_for_its_seed():
    env = envs.make(GAME)
    task = envs.load_tasks(GAME, "test")[7]
    runs = [run_episode(env, scripted(GAME, "heuristic", seed=5), seed=0, task=task).messages for _ in range(2)]
    assert runs[0] == runs[1]


def test_expert_beats_heuristic_beats_random():
    tasks = envs.load_tasks(GAME, "test")[:200]
    rate = {kind: evaluate_policy(GAME, lambda i, k=kind: scripted(GAME, k, seed=i), tasks, seed=0)
            for kind in ("random", "heuristic", "expert")}
    assert rate["expert"]["success_rate"] == 1.0
    assert 0.5 < rate["heuristic"]["success_rate"] < 0.97
    assert rate["random"]["success_rate"] < 0.15
    assert rate["expert"]["mean_turns"] < rate["heuristic"]["mean_turns"] < rate["random"]["mean_turns"]
