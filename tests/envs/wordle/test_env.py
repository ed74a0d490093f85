"""Wordle tasks, parsing and the episode flow."""

import json

import pytest

from curiosa import envs
from curiosa.envs.wordle import answer_list, parse_feedback

G, Y, X = "green", "yellow", "grey"


def test_tasks_split_the_answer_list():
    train, test = envs.load_tasks("wordle", "train"), envs.load_tasks("wordle", "test")
    assert (len(train), len(test)) == (1515, 800)
    words = [t.params["word"] for t in train + test]
    assert sorted(words) == sorted(answer_list())
    assert [t.params for t in test] == [t.params for t in envs.load_tasks("wordle", "test")]
    assert test[0].id == "wordle-test-00000"


def _env(word="abbey"):
    env = envs.make("wordle", task=envs.Task("wordle-test-00000", "wordle", "test", {"word": word}))
    instruction, _ = env.reset(seed=0)
    return env, instruction


def test_instruction_explains_the_game():
    _, instruction = _env()
    assert "6 guesses" in instruction and "Answer: crane" in instruction
    assert instruction.rstrip().endswith(envs.REPLY_FORMAT) and instruction.isascii()


def test_feedback_observation_and_structure():
    env, _ = _env("abbey")
    obs, reward, terminated, truncated, info = env.step("Thought: try\nAnswer: BOBBY")
    assert obs == "BOBBY: B=yellow O=grey B=green B=grey Y=green\n5 turns left."
    assert info["feedback"] == {"guess": "bobby", "colors": [Y, X, G, X, G]}
    assert parse_feedback(obs) == ("bobby", [Y, X, G, X, G])
    assert (reward, terminated, truncated, info["invalid_action"]) == (0.0, False, False, False)
    json.dumps(info["feedback"])


def test_win_ends_the_game():
    env, _ = _env("abbey")
    env.step("Answer: crane")
    obs, reward, terminated, _, info = env.step("Answer: 'Abbey'.")
    assert terminated and reward == 1.0 and info["success"] and "2 guesses" in obs
    assert parse_feedback(obs) == ("abbey", [G] * 5)


@pytest.mark.parametrize(
    "answer, fragment",
    [("xyzzy", "'xyzzy' is not in the word list"), ("cranes", "has 6 letters"), ("cat", "has 3 letters")],
)
def test_illegal_guess_uses_a_turn_with_an_explanation(answer, fragment):
    env, _ = _env()
    obs, reward, terminated, _, info = env.step(f"Answer: {answer}")
    assert fragment in obs and "5 turns left" in obs
    assert info["invalid_action"] and not info["format_error"] and info["turn"] == 1 and not terminated
    assert parse_feedback(obs) is None


@pytest.mark.parametrize("answer", ["two words", "cr4ne", "12345", "crane, slate", "?"])
def test_unreadable_guess_is_a_format_error(answer):
    env, _ = _env()
    with pytest.raises(envs.FormatError):
        env.parse_reply(f"Answer: {answer}")


@pytest.mark.parametrize("answer", ["crane", "CRANE", " *crane* ", "\"crane\"", "[crane]", "c r a n e", "C-R-A-N-E"])
def test_parser_is_tolerant(answer):
    env, _ = _env()
    assert env.parse_reply(f"Thought: hm\nAnswer: {answer}") == "crane"


def test_loss_reveals_the_word():
    env, _ = _env("abbey")
    for _ in range(5):
        obs, _, terminated, truncated, _ = env.step("Answer: crane")
        assert not (terminated or truncated)
    obs, _, terminated, truncated, info = env.step("Answer: crane")
    assert truncated and not info["success"] and "The word was ABBEY." in obs and "turns left" not in obs
