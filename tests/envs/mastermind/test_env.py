"""Mastermind tasks, parsing and the episode flow."""

import json

import pytest

from curiosa import envs
from curiosa.envs.mastermind import parse_feedback


def test_tasks():
    train, test = envs.load_tasks("mastermind", "train"), envs.load_tasks("mastermind", "test")
    assert (len(train), len(test)) == (1000, 500)
    codes = [t.params["code"] for t in train + test]
    assert len(set(codes)) == 1500 and all(len(c) == 4 and c.isdigit() for c in codes)
    assert [t.params for t in train] == [t.params for t in envs.load_tasks("mastermind", "train")]
    assert any(len(set(c)) < 4 for c in codes), "repeated digits must occur"


def _env(code="1123"):
    env = envs.make("mastermind", task=envs.Task("mastermind-test-00000", "mastermind", "test", {"code": code}))
    instruction, _ = env.reset(seed=0)
    return env, instruction


def test_instruction():
    _, instruction = _env()
    assert "12 guesses" in instruction and "Answer: 0123" in instruction and "repeat" in instruction
    assert instruction.rstrip().endswith(envs.REPLY_FORMAT) and instruction.isascii()


def test_feedback_observation_and_structure():
    env, _ = _env("1123")
    obs, reward, terminated, truncated, info = env.step("Thought: probe\nAnswer: 3111")
    assert obs == "3111: 1 exact, 2 partial\n11 turns left."
    assert info["feedback"] == {"guess": "3111", "exact": 1, "partial": 2}
    assert parse_feedback(obs) == ("3111", 1, 2)
    assert (reward, terminated, truncated, info["invalid_action"]) == (0.0, False, False, False)
    json.dumps(info["feedback"])


@pytest.mark.parametrize("answer", ["1123", "1 1 2 3", "1,1,2,3", "1-1-2-3", "[1, 1, 2, 3]", "'1123'", "**1123**"])
def test_parser_is_tolerant_and_win_ends_the_game(answer):
    env, _ = _env("1123")
    obs, reward, terminated, _, info = env.step(f"Answer: {answer}")
    assert terminated and reward == 1.0 and info["success"] and "cracked" in obs and "1 guess" in obs


@pytest.mark.parametrize(
    "answer, fragment", [("123", "has 3 digits"), ("12345", "has 5 digits"), ("1 2 3 4 5 6", "has 6")]
)
def test_wrong_length_uses_a_turn_with_an_explanation(answer, fragment):
    env, _ = _env()
    obs, _, terminated, _, info = env.step(f"Answer: {answer}")
    assert fragment in obs and "exactly 4 digits" in obs and "11 turns left" in obs
    assert info["invalid_action"] and not info["format_error"] and not terminated
    assert parse_feedback(obs) is None


@pytest.mark.parametrize("answer", ["abcd", "12a4", "one two three four", "?", "1234 please"])
def test_non_codes_are_format_errors(answer):
    env, _ = _env()
    with pytest.raises(envs.FormatError):
        env.parse_reply(f"Answer: {answer}")


def test_loss_reveals_the_code():
    env, _ = _env("1123")
    for turn in range(12):
        obs, _, terminated, truncated, info = env.step("Answer: 0000")
        assert parse_feedback(obs) == ("0000", 0, 0)
    assert truncated and not terminated and not info["success"]
    assert "The code was 1123." in obs and "turns left" not in obs
