"""Scripted Battleship players: format, legality, reading the board, and their ranking."""

import pytest

from curiosa import envs, policies
from curiosa.envs.battleship import parse_cell
from curiosa.envs.task import Task
from curiosa.envs.text import extract_answer

LAYOUT = {
    "size": 5,
    "ships": [
        {"name": "carrier", "cells": [[0, c] for c in range(5)]},
        {"name": "battleship", "cells": [[r, 0] for r in range(1, 5)]},
        {"name": "destroyer", "cells": [[2, 2], [2, 3]]},
    ],
}


def _play(moves, params=LAYOUT):
    """Messages after firing ``moves`` by hand on a known board."""
    env = envs.make("battleship", task=Task("battleship-test-99990", "battleship", "test", params))
    obs, _ = env.reset(seed=0)
    messages = [{"role": "user", "content": obs}]
    for move in moves:
        reply = f"Thought: test\nAnswer: {move}"
        obs, *_ = env.step(reply)
        messages += [{"role": "assistant", "content": reply}, {"role": "user", "content": obs}]
    return messages


@pytest.mark.parametrize("kind", ["random", "heuristic", "expert", "noisy"])
def test_replies_parse_and_thoughts_are_short(kind):
    env = envs.make("battleship")
    for i, task in enumerate(envs.load_tasks("battleship", "test")[:6]):
        result = policies.run_episode(env, policies.scripted("battleship", kind, seed=i), seed=i, task=task)
        replies = [m["content"] for m in result.messages if m["role"] == "assistant"]
        assert result.format_errors == 0
        for reply in replies:
            thought = reply.splitlines()[0]
            assert thought.startswith("Thought: ") and len(thought) <= 180, thought
            assert parse_cell(extract_answer(reply)) is not None
        if kind != "noisy":
            assert result.invalid_actions == 0


def test_expert_never_repeats_or_leaves_the_board():
    env = envs.make("battleship")
    for i, task in enumerate(envs.load_tasks("battleship", "test")[:40]):
        result = policies.run_episode(env, policies.scripted("battleship", "expert", seed=i), seed=i, task=task)
        assert result.invalid_actions == 0


def test_expert_chases_a_wounded_ship():
    messages = _play(["C3"])  # a hit on the destroyer
    reply = policies.scripted("battleship", "expert", seed=0).act(messages)
    assert extract_answer(reply) in {"B3", "D3", "C2", "C4"} and "next to my hit on C3" in reply


def test_expert_uses_sunk_messages_and_finds_sure_hits():
    # The destroyer is sunk at C3-D3; A2-A4 are hits of a ship still afloat and B2-B4 are misses, so
    # a vertical ship in column A holds A2-A4 and every remaining layout extends it to A1 or A5.
    messages = _play(["C3", "D3", "A2", "A3", "A4", "B4", "B3", "B2"])
    reply = policies.scripted("battleship", "expert", seed=0).act(messages)
    assert extract_answer(reply) in {"A1", "A5"} and "next to my hit" in reply


def test_expert_sure_hit_when_one_layout_is_left():
    # Carrier and destroyer are sunk; the battleship (afloat) holds A2-A4, and A1 is the carrier's: only A5 is left.
    messages = _play(["A1", "B1", "C1", "D1", "E1", "C3", "D3", "A2", "A3", "A4"])
    reply = policies.scripted("battleship", "expert", seed=0).act(messages)
    assert extract_answer(reply) == "A5" and "sure hit" in reply


def test_heuristic_tries_neighbours_of_a_fresh_hit():
    reply = policies.scripted("battleship", "heuristic", seed=1).act(_play(["C3"]))
    assert extract_answer(reply) in {"B3", "D3", "C2", "C4"}


def test_expert_beats_heuristic_beats_random_on_the_test_split():
    tasks = envs.load_tasks("battleship", "test")
    rate = {
        kind: policies.evaluate_policy("battleship", lambda i, k=kind: policies.scripted("battleship", k, seed=i),
                                       tasks)["success_rate"]
        for kind in ("random", "heuristic", "expert")
    }
    assert rate["expert"] >= 0.75 and rate["expert"] > rate["heuristic"] + 0.3, rate
    assert rate["heuristic"] > rate["random"] + 0.1, rate
