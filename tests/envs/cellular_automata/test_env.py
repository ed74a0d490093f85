"""Parsing, feedback and tasks of cellular_automata."""

from __future__ import annotations

import pytest

from curiosa import envs
from curiosa.envs import Task
from curiosa.envs.cellular_automata import (
    NEIGHBOURHOODS, bits_rule, constraints, parse_check, parse_examples, rule_bits, step,
)

GAME = "cellular_automata"


def make_env(rule: int, inputs: list[str]):
    bits = rule_bits(rule)
    task = Task(id=f"{GAME}-test-99999", group=GAME, split="test",
                params={"rule": rule, "inputs": inputs, "outputs": [step(r, bits) for r in inputs]})
    env = envs.make(GAME, task=task)
    obs, _ = env.reset(seed=0)
    return env, obs


def play(env, answer: str):
    return env.step(f"Thought: test.\nAnswer: {answer}")


def test_true_rule_wins_on_first_turn():
    env, obs = make_env(110, ["0110100101", "1110001000"])
    assert parse_examples(obs) == list(zip(env.task.params["inputs"], env.task.params["outputs"]))
    obs, reward, terminated, truncated, info = play(env, "01101110")
    assert (reward, terminated, truncated, info["success"]) == (1.0, True, False, True)
    assert info["feedback"]["correct"] == [True, True]
    assert "Solved" in obs


def test_any_consistent_rule_wins():
    # only neighbourhoods 000, 001, 010, 100 occur: the 111..011 entries are free
    env, _ = make_env(30, ["00100000", "00000100"])
    seen = constraints(env.task.params["inputs"], env.task.params["outputs"])
    assert set(seen) == {"000", "001", "010", "100"}
    other = [seen.get(nb, 1) for nb in NEIGHBOURHOODS]
    assert bits_rule(other) != 30
    _, reward, terminated, _, info = play(env, "".join(map(str, other)))
    assert reward == 1.0 and terminated and info["success"]


def test_feedback_marks_mismatches_exactly():
    env, _ = make_env(110, ["1000000110", "1111111111"])
    assert env.task.params["outputs"] == ["1000001111", "0000000000"]
    # rule 111 differs from 110 only on neighbourhood 000 (cells 3-6 of example 1)
    obs, reward, terminated, truncated, info = play(env, "0 1 1 0 1 1 1 1")
    assert info["feedback"] == {"rule": [0, 1, 1, 0, 1, 1, 1, 1], "outputs": ["1011111111", "0000000000"],
                                "expected": ["1000001111", "0000000000"], "correct": [False, True]}
    assert (reward, terminated, truncated, info["invalid_action"]) == (0.0, False, False, False)
    assert "Example 1: wrong at 4 cells.\n  input    1000000110\n  expected 1000001111\n  got      1011111111\n" \
           "  wrong    ..^^^^....\nExample 2: correct." in obs
    assert obs.endswith("1 of 2 examples correct. Attempts left: 5.")
    check = parse_check(obs)
    assert check == {"rule": "01101111", "examples": {1: ("1000000110", "1000001111", "1011111111"),
                                                      2: ("1111111111", "0000000000", "0000000000")}}


@pytest.mark.parametrize("answer", [
    "111:0 110:1 101:1 100:0 011:1 010:1 001:1 000:0",
    "000->0, 001->1, 010->1, 011->1, 100->0, 101->1, 110->1, 111->0",
    "0,1,1,0,1,1,1,0",
    "[0 1 1 0 1 1 1 0]",
    "rule: 01101110",
    "'01101110'",
])
def test_answer_syntaxes(answer):
    env, _ = make_env(110, ["0110100101", "1110001000"])
    _, _, _, _, info = play(env, answer)
    assert info["success"] and info["feedback"]["rule"] == rule_bits(110)


@pytest.mark.parametrize("answer, words", [
    ("0110111", "7 bits"),
    ("011011101", "9 bits"),
    ("111:0 110:1 101:1", "no value for neighbourhoods 100 011 010 001 000"),
    ("111:0 111:1 110:1 101:1 100:0 011:1 010:1 001:1 000:0", "two different values"),
])
def test_readable_wrong_size_is_invalid_and_uses_a_turn(answer, words):
    env, _ = make_env(110, ["0110100101", "1110001000"])
    obs, reward, terminated, _, info = play(env, answer)
    assert info["invalid_action"] and not info["format_error"] and not terminated and reward == 0.0
    assert words in obs and info["turn"] == 1 and "error" in info["feedback"]


@pytest.mark.parametrize("answer", ["hello", "rule 110 please", "0120", "abcdefgh"])
def test_unreadable_is_format_error(answer):
    env, _ = make_env(110, ["0110100101", "1110001000"])
    with pytest.raises(envs.FormatError):
        env.parse_reply(f"Answer: {answer}")
    _, _, _, _, info = play(env, answer)
    assert info["format_error"] and info["turn"] == 1


def test_turn_limit_reveals_a_solution():
    env, _ = make_env(110, ["0110100101", "1110001000"])
    for turn in range(1, 7):
        obs, reward, terminated, truncated, info = play(env, "00000000")
        assert not terminated and truncated == (turn == 6)
    assert "01101110" in obs and "used all 6 turns" in obs


def test_instruction_example_is_not_a_solution():
    for task in envs.load_tasks(GAME, "test")[:100]:
        env = envs.make(GAME, task=task)
        obs, _ = env.reset(seed=0)
        assert obs.isascii() and "111 110 101 100 011 010 001 000" in obs and "6 attempts" in obs
        example = obs.split("e.g. 'Answer: ")[1][:8]
        _, _, _, _, info = play(env, example)
        assert not info["success"]


def test_task_sets():
    train, test = envs.load_tasks(GAME, "train"), envs.load_tasks(GAME, "test")
    assert (len(train), len(test)) == (1000, 500)
    assert [t.to_dict() for t in train] == [t.to_dict() for t in envs.env_class(GAME).build_tasks("train")]
    keys = [(t.params["rule"], tuple(t.params["inputs"])) for t in train + test]
    assert len(set(keys)) == len(keys)
    assert len({t.id for t in train} | {t.id for t in test}) == 1500
    for task in train + test:
        p = task.params
        assert 1 <= p["rule"] <= 254 and 2 <= len(p["inputs"]) <= 4
        assert all(8 <= len(r) <= 12 and set(r) <= {"0", "1"} for r in p["inputs"])
        assert p["outputs"] == [step(r, rule_bits(p["rule"])) for r in p["inputs"]]
        assert len(set("".join(p["outputs"]))) == 2
    assert len({t.params["rule"] for t in train}) > 200
