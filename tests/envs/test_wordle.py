"""Wordle rules: real scoring with repeated letters, the word lists, parsing and the episode flow."""

import json

import pytest

from curiosa import envs
from curiosa.envs.wordle import (
    answer_list, encode_words, feedback_line, parse_feedback, pattern_code, pattern_matrix, score, vocabulary,
)

G, Y, X = "green", "yellow", "grey"


@pytest.mark.parametrize(
    "secret, guess, expected",
    [
        ("abbey", "bobby", [Y, X, G, X, G]),  # second b: secret's spare b is used by the first
        ("abbey", "babes", [Y, Y, G, G, X]),
        ("abbey", "kebab", [X, Y, G, Y, Y]),
        ("abbey", "abyss", [G, G, Y, X, X]),
        ("crane", "eerie", [X, X, Y, X, G]),  # the green e takes the only e: both earlier e's grey
        ("speed", "geese", [X, Y, G, Y, X]),  # one e green, one spare e -> one yellow, then grey
        ("speed", "eerie", [Y, Y, X, X, X]),  # two spare e's -> the first two e's yellow, the third grey
        ("those", "geese", [X, X, X, G, G]),
        ("robot", "ooooo", [X, G, X, G, X]),
        ("lever", "eerie", [Y, G, Y, X, X]),
        ("crane", "crane", [G] * 5),
        ("crane", "dumpy", [X] * 5),
    ],
)
def test_scoring_with_repeated_letters(secret, guess, expected):
    assert score(guess, secret) == expected


def test_vectorised_scoring_matches_the_reference():
    words = list(answer_list()[:150]) + ["eerie", "geese", "bobby", "kebab", "ooooo", "llama", "sissy", "mamma"]
    codes = pattern_matrix(encode_words(words), encode_words(words))
    for i, g in enumerate(words):
        for j, s in enumerate(words):
            assert codes[i, j] == pattern_code(score(g, s)), (g, s)


def test_answer_list_is_built_from_the_packages():
    answers = answer_list()
    assert len(answers) == 2315 == len(set(answers))
    assert all(len(w) == 5 and w.isascii() and w.isalpha() and w.islower() for w in answers)
    assert answers[:3] == ("about", "their", "there")  # frequency order
    assert {"crane", "house", "water", "piano"} <= set(answers)
    assert not {"times", "needs", "moved", "tried"} & set(answers)  # plurals and past tenses
    assert "whore" not in answers and "whore" in vocabulary()  # blocked answers can still be guessed
    assert "texas" not in answers  # proper nouns are capitalised in web2
    assert set(answers) < vocabulary() and len(vocabulary()) > 10_000
    assert {"xylyl", "times", "zymic"} <= vocabulary()


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


def test_feedback_line_round_trip():
    line = feedback_line("eerie", [X, X, Y, X, G])
    assert line == "EERIE: E=grey E=grey R=yellow I=grey E=green"
    assert parse_feedback("noise\n" + line + "\n3 turns left.") == ("eerie", [X, X, Y, X, G])
