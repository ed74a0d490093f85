"""Scripted players of bandit_best_arm."""

from __future__ import annotations

import pytest

from curiosa import envs
from curiosa.policies import evaluate_policy, run_episode, scripted

GAME = "bandit_best_arm"


@pytest.mark.parametrize("kind", ["random", "heuristic", "expert", "noisy"])
def test_replies_parse(kind):
    env = envs.make(GAME)
    for i, task in enumerate(envs.load_tasks(GAME, "test")[:5]):
        result = run_episode(env, scripted(GAME, kind, seed=i), seed=i, task=task)
        assert result.format_errors == 0 and result.invalid_actions == 0 and result.num_turns == 21
        for message in result.messages[1::2]:
            thought = message["content"].splitlines()[0]
            assert thought.startswith("Thought: ") and len(thought) < 200
            env.parse_reply(message["content"])


def test_expert_explores_every_arm_then_favours_the_leader():
    env = envs.make(GAME)
    for i, task in enumerate(envs.load_tasks(GAME, "test")[:30]):
        result = run_episode(env, scripted(GAME, "expert", seed=i), seed=i, task=task)
        arms = task.params["arms"]
        pulls = result.infos[-2]["feedback"]["pulls"]
        assert all(pulls[a] >= 1 for a in arms) and sum(pulls.values()) == 20
        final = result.infos[-1]["feedback"]
        rewards = final["rewards"]
        rate = {a: rewards[a] / pulls[a] for a in arms}
        assert rate[final["chosen"]] == max(rate.values())
        assert result.invalid_actions == 0


def test_expert_recovers_after_an_invalid_move():
    env = envs.make(GAME)
    task = envs.load_tasks(GAME, "test")[0]
    obs, _ = env.reset(seed=0, options={"task": task})
    messages = [{"role": "user", "content": obs}]
    messages += [{"role": "assistant", "content": "Thought: hm.\nAnswer: zebra"}]
    obs, *_ = env.step(messages[-1]["content"])
    messages.append({"role": "user", "content": obs})
    policy = scripted(GAME, "expert")
    for _ in range(20):
        reply = policy.act(messages)
        obs, _, terminated, _, info = env.step(reply)
        messages += [{"role": "assistant", "content": reply}, {"role": "user", "content": obs}]
        assert not info["invalid_action"]
    assert terminated and info["turn"] == 21 and "chosen" in info["feedback"]


def test_expert_beats_heuristic_beats_random():
    tasks = envs.load_tasks(GAME, "test") * 3
    rate = {kind: evaluate_policy(GAME, lambda i, k=kind: scripted(GAME, k, seed=i), tasks, seed=0)["success_rate"]
            for kind in ("random", "heuristic", "expert")}
    assert rate["expert"] > rate["heuristic"] + 0.05
    assert rate["heuristic"] > rate["random"] + 0.2
    assert 0.15 < rate["random"] < 0.35 and rate["expert"] > 0.75
