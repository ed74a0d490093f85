"""Minesweeper rules, parser and tasks."""

import json

import pytest

from curiosa import envs
from curiosa.envs.minesweeper import mine_count, parse_board, parse_dims
from curiosa.envs.task import Task
from curiosa.envs.text import CHARSET, REPLY_FORMAT

# 4 rows x 5 columns, mines at (2, 3) and (3, 3) in the agent's 1-based numbering:
#   . 1 1 1 .
#   . 2 * 2 .
#   . 2 * 2 .
#   . 1 1 1 .
LAYOUT = {"rows": 4, "cols": 5, "mines": [[1, 2], [2, 2]]}


def make_env(params=LAYOUT, task_id="minesweeper-test-99990"):
    env = envs.make("minesweeper", task=Task(task_id, "minesweeper", "test", params))
    obs, _ = env.reset(seed=0)
    return env, obs


def reveal(env, text):
    return env.step(f"Thought: go\nAnswer: {text}")


def test_instruction_states_board_mines_turns_and_format():
    _, obs = make_env()
    assert parse_dims(obs) == (4, 5, 2)
    assert "4x5 board" in obs and "20 turns" in obs and "Answer: reveal 2 3" in obs
    assert "first reveal is always safe" in obs
    assert obs.endswith(REPLY_FORMAT)
    assert "  1 2 3 4 5\n1 ? ? ? ? ?\n" in obs
    assert parse_board(obs, 4, 5) == ["?????"] * 4
    assert all(c in CHARSET and ord(c) < 128 for c in obs)


@pytest.mark.parametrize("text", ["reveal 2 3", "(2, 3)", "2,3", "row 2 col 3", "REVEAL  2   3", "r2c3", "[2;3]",
                                  "column 3, row 2", "Col: 3 Row: 2"])
def test_parser_is_tolerant(text):
    env, _ = make_env()
    assert env.parse_reply(f"Answer: {text}")[:2] == (2, 3)


@pytest.mark.parametrize("text", ["reveal B3", "3", "the corner", "reveal"])
def test_answers_without_two_numbers_are_format_errors(text):
    env, _ = make_env()
    with pytest.raises(envs.FormatError, match="row and a column"):
        env.parse_reply(f"Answer: {text}")


def test_flood_fill_numbers_and_win():
    env, _ = make_env()
    obs, reward, terminated, _, info = reveal(env, "reveal 1 1")
    assert obs.startswith("(1, 1) is safe with no adjacent mines")
    assert info["feedback"] == {"cell": [1, 1], "mine": False, "board": [".1???", ".2???", ".2???", ".1???"]}
    assert "Safe cells left: 10. Turns left: 19." in obs and not terminated and reward == 0.0
    assert parse_board(obs, 4, 5) == info["feedback"]["board"]
    obs, _, _, _, info = reveal(env, "1, 3")
    assert obs.startswith("(1, 3) is safe: 1 adjacent mine.")
    assert info["feedback"]["board"][0] == ".11??"
    _, _, _, _, info = reveal(env, "(1, 5)")
    assert info["feedback"]["board"] == [".111.", ".2?2.", ".2?2.", ".1?1."]
    obs, reward, terminated, truncated, info = reveal(env, "row 4 col 3")
    assert terminated and not truncated and info["success"] and reward == 1.0 and info["turn"] == 4
    assert info["feedback"]["board"] == [".111.", ".2?2.", ".2?2.", ".111."] and "You win" in obs


def test_revealing_a_mine_loses_and_shows_the_mines():
    env, _ = make_env()
    reveal(env, "1 1")
    obs, reward, terminated, truncated, info = reveal(env, "2 3")
    assert terminated and not truncated and not info["success"] and reward == 0.0
    assert info["feedback"] == {"cell": [2, 3], "mine": True, "board": [".1???", ".2*??", ".2*??", ".1???"]}
    assert "is a mine" in obs and "The mines were at (2, 3), (3, 3)." in obs
    assert parse_board(obs, 4, 5) == info["feedback"]["board"]


def test_first_reveal_is_safe_in_every_rollout_and_the_task_is_unchanged():
    task = Task("minesweeper-test-99991", "minesweeper", "test", json.loads(json.dumps(LAYOUT)))
    env = envs.make("minesweeper", task=task)
    for rollout in range(2):  # the same env object twice, then a fresh one
        env.reset(seed=rollout)
        obs, _, terminated, _, info = reveal(env, "reveal 2 3")
        assert not info["feedback"]["mine"] and not terminated, rollout
        assert obs.startswith("(2, 3) is safe: 1 adjacent mine.")  # the mine moved to (1, 1)
        obs, _, terminated, _, info = reveal(env, "reveal 1 1")
        assert info["feedback"]["mine"] and terminated
        assert info["feedback"]["board"][0][0] == "*" and info["feedback"]["board"][1][2] == "1"
    fresh = envs.make("minesweeper", task=task)
    fresh.reset(seed=7)
    _, _, terminated, _, info = reveal(fresh, "2 3")
    assert not info["feedback"]["mine"] and not terminated
    assert task.params == LAYOUT
    # without a mine on the first cell nothing moves: (1, 1) stays safe
    env.reset(seed=3)
    reveal(env, "4 1")
    _, _, _, _, info = reveal(env, "2 3")
    assert info["feedback"]["mine"]


def test_invalid_moves_use_a_turn_and_explain():
    env, _ = make_env()
    obs, _, terminated, _, info = reveal(env, "reveal 5 1")
    assert info["invalid_action"] and not info["format_error"] and info["turn"] == 1 and not terminated
    assert "off the board" in obs and "rows are 1-4 and columns 1-5" in obs
    obs, _, _, _, info = reveal(env, "reveal 0 2")
    assert info["invalid_action"] and "off the board" in obs
    obs, _, _, _, info = reveal(env, "reveal 2 " + "9" * 5000)
    assert info["invalid_action"] and "off the board" in obs and info["turn"] == 3
    reveal(env, "1 1")
    obs, _, _, _, info = reveal(env, "reveal 2 1")
    assert info["invalid_action"] and "already revealed" in obs and info["turn"] == 5
    assert info["feedback"]["board"][1] == ".2???"
    obs, _, _, _, info = reveal(env, "flag 2 3")
    assert info["invalid_action"] and "no flags" in obs and not info["feedback"]["mine"]
    _, _, _, _, info = reveal(env, "somewhere")
    assert info["format_error"] and info["feedback"]["board"][0] == ".1???"


def test_first_safe_reveal_counts_even_after_invalid_moves():
    env, _ = make_env()
    reveal(env, "9 9")
    _, _, terminated, _, info = reveal(env, "3 3")
    assert not info["feedback"]["mine"] and not terminated


def test_turn_limit_reveals_the_mines():
    env, _ = make_env()
    for _ in range(20):
        obs, _, terminated, truncated, info = reveal(env, "reveal 9 9")
    assert truncated and not terminated and "The mines were at (2, 3), (3, 3)." in obs


def test_single_mine_board():
    params = {"rows": 4, "cols": 4, "mines": [[3, 3]]}
    env, obs = make_env(params)
    assert "with 1 hidden mine." in obs
    obs, _, terminated, _, info = reveal(env, "1 1")
    assert terminated and info["success"] and info["feedback"]["board"] == ["....", "....", "..11", "..1?"]


def test_tasks_sizes_determinism_and_validity():
    train, test = envs.load_tasks("minesweeper", "train"), envs.load_tasks("minesweeper", "test")
    assert len(train) == 1000 and len(test) == 200
    assert [t.to_dict() for t in test] == [t.to_dict() for t in envs.env_class("minesweeper").build_tasks("test")]
    keys = lambda ts: {json.dumps(t.params, sort_keys=True) for t in ts}  # noqa: E731
    assert len(keys(train)) == 1000 and len(keys(test)) == 200 and not keys(train) & keys(test)
    dims = set()
    for task in train + test:
        rows, cols, mines = task.params["rows"], task.params["cols"], task.params["mines"]
        assert 4 <= rows <= 7 and 4 <= cols <= 7
        assert len(mines) == mine_count(rows, cols) == max(1, rows * cols // 10)
        assert len({tuple(m) for m in mines}) == len(mines)
        assert all(0 <= r < rows and 0 <= c < cols for r, c in mines)
        dims.add((rows, cols))
    assert len(dims) == 16
