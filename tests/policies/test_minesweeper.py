"""Scripted Minesweeper players: format, legality, logic on known boards, and their ranking."""

import pytest

from curiosa import envs, policies
from curiosa.envs.task import Task
from curiosa.envs.text import extract_answer

# 4x5, mines at (2, 3) and (3, 3) (1-based); revealing (1, 1) shows
#   . 1 ? ? ?
#   . 2 ? ? ?
#   . 2 ? ? ?
#   . 1 ? ? ?
LAYOUT = {"rows": 4, "cols": 5, "mines": [[1, 2], [2, 2]]}


def _play(moves, params=LAYOUT):
    env = envs.make("minesweeper", task=Task("minesweeper-test-99990", "minesweeper", "test", params))
    obs, _ = env.reset(seed=0)
    messages = [{"role": "user", "content": obs}]
    for move in moves:
        reply = f"Thought: test\nAnswer: {move}"
        obs, *_ = env.step(reply)
        messages += [{"role": "assistant", "content": reply}, {"role": "user", "content": obs}]
    return messages


def _cell(reply):
    row, col = (int(x) for x in extract_answer(reply).split()[1:])
    return row, col


@pytest.mark.parametrize("kind", ["random", "heuristic", "expert", "noisy"])
def test_replies_parse_and_thoughts_are_short(kind):
    env = envs.make("minesweeper")
    for i, task in enumerate(envs.load_tasks("minesweeper", "test")[:8]):
        result = policies.run_episode(env, policies.scripted("minesweeper", kind, seed=i), seed=i, task=task)
        assert result.format_errors == 0 and result.invalid_actions == 0
        for reply in (m["content"] for m in result.messages if m["role"] == "assistant"):
            thought = reply.splitlines()[0]
            assert thought.startswith("Thought: ") and len(thought) <= 180, thought
            assert extract_answer(reply).startswith("reveal ")


def test_expert_is_always_legal():
    env = envs.make("minesweeper")
    for i, task in enumerate(envs.load_tasks("minesweeper", "test")[:60]):
        result = policies.run_episode(env, policies.scripted("minesweeper", "expert", seed=i), seed=i, task=task)
        assert result.invalid_actions == 0


def test_expert_opens_in_a_corner():
    reply = policies.scripted("minesweeper", "expert", seed=0).act(_play([]))
    assert _cell(reply) == (1, 1)


def test_expert_deduces_with_subset_rules_and_prefers_an_opening():
    # 2 at (2, 2) minus the 1 at (1, 2) puts a mine on (3, 3); likewise (2, 3). Both mines found, every
    # other cell is safe and column 5 is all zeros, so the expert opens there.
    reply = policies.scripted("minesweeper", "expert", seed=0).act(_play(["1 1"]))
    assert _cell(reply)[1] == 5 and "All 2 mines are located" in reply


# 5x5, mines at (1, 1) and (1, 3); revealing (5, 5) opens everything but row 1's first three cells:
#   ? ? ? 1 .
#   1 2 1 1 .
# The 1 at (1, 4) has a single hidden neighbour, (1, 3): a mine. So the 1 at (2, 3) is used up and
# (1, 2) is safe. Both the novice's simple rule and the expert find it.
CORNER = {"rows": 5, "cols": 5, "mines": [[0, 0], [0, 2]]}


@pytest.mark.parametrize("kind", ["heuristic", "expert"])
def test_simple_rule_finds_the_safe_cell(kind):
    messages = _play(["5 5"], CORNER)
    assert "? ? ? 1 ." in messages[-1]["content"]
    reply = policies.scripted("minesweeper", kind, seed=0).act(messages)
    assert _cell(reply) == (1, 2) and "is safe" in reply


def test_heuristic_cannot_use_subset_rules():
    # On LAYOUT after (1, 1) no number has as many hidden neighbours as its value: the novice guesses.
    reply = policies.scripted("minesweeper", "heuristic", seed=0).act(_play(["1 1"]))
    assert "guess" in reply


def test_expert_guesses_the_least_risky_cell():
    # 5x5 with two mines; the corner (1, 1) shows 1: its three hidden neighbours have a 1/3 mine
    # chance each, the other 21 hidden cells 1/21 each. Nothing is certain.
    params = {"rows": 5, "cols": 5, "mines": [[0, 1], [4, 4]]}
    reply = policies.scripted("minesweeper", "expert", seed=0).act(_play(["1 1"], params))
    assert _cell(reply) not in {(1, 2), (2, 1), (2, 2)}
    assert "lowest mine chance, about 5%" in reply


def test_expert_beats_heuristic_beats_random_on_the_test_split():
    tasks = envs.load_tasks("minesweeper", "test")
    rate = {
        kind: policies.evaluate_policy("minesweeper", lambda i, k=kind: policies.scripted("minesweeper", k, seed=i),
                                       tasks)["success_rate"]
        for kind in ("random", "heuristic", "expert")
    }
    assert rate["expert"] >= 0.9 and rate["expert"] > rate["heuristic"] + 0.03, rate
    assert rate["heuristic"] > rate["random"] + 0.4, rate
