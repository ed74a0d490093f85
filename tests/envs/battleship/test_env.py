"""Battleship rules, feedback and tasks."""

import json

import pytest

from curiosa import envs
from curiosa.envs.battleship import SHIPS, parse_shot, parse_size
from curiosa.envs.task import Task
from curiosa.envs.text import CHARSET, REPLY_FORMAT

# A 5x5 board: carrier on row 1 (A1-E1), battleship down column A (A2-A5), destroyer at C3-D3.
LAYOUT = {
    "size": 5,
    "ships": [
        {"name": "carrier", "cells": [[0, c] for c in range(5)]},
        {"name": "battleship", "cells": [[r, 0] for r in range(1, 5)]},
        {"name": "destroyer", "cells": [[2, 2], [2, 3]]},
    ],
}


def make_env(params=LAYOUT):
    env = envs.make("battleship", task=Task("battleship-test-99990", "battleship", "test", params))
    obs, _ = env.reset(seed=0)
    return env, obs


def fire(env, text):
    return env.step(f"Thought: aim\nAnswer: {text}")


def test_instruction_states_board_ships_turns_and_format():
    _, obs = make_env()
    assert parse_size(obs) == 5
    for name, length in SHIPS:
        assert f"{name} ({length} cells)" in obs
    assert "A-E" in obs and "1-5" in obs and "20 turns" in obs and "Answer: B3" in obs
    assert obs.endswith(REPLY_FORMAT)
    assert "  A B C D E\n1 . . . . .\n" in obs
    assert all(c in CHARSET and ord(c) < 128 for c in obs)


def test_miss_hit_sunk_feedback_and_win():
    env, _ = make_env()
    obs, reward, terminated, truncated, info = fire(env, "E5")
    assert obs.startswith("E5: miss.") and reward == 0.0 and not terminated
    assert info["feedback"] == {"cell": "E5", "result": "miss", "ship": None,
                                "board": [".....", ".....", ".....", ".....", "....o"]}
    obs, _, _, _, info = fire(env, "c3")
    assert obs.startswith("C3: hit.") and info["feedback"]["result"] == "hit" and info["feedback"]["ship"] is None
    assert "Ships afloat: carrier (5), battleship (4), destroyer (2). Turns left: 18." in obs
    obs, _, terminated, _, info = fire(env, "D3")
    assert obs.startswith("D3: sunk - you sank the destroyer (2 cells)!")
    assert info["feedback"] == {"cell": "D3", "result": "sunk", "ship": "destroyer",
                                "board": [".....", ".....", "..XX.", ".....", "....o"]}
    assert parse_shot(obs) == ((2, 3), "sunk", "destroyer")
    assert "Ships afloat: carrier (5), battleship (4)." in obs and not terminated
    assert "3 . . X X ." in obs  # the board with headers
    for cell in ["A1", "B1", "C1", "D1", "E1", "A2", "A3", "A4"]:
        obs, reward, terminated, _, info = fire(env, cell)
        assert not info["success"] and not terminated
    assert info["feedback"]["result"] == "hit"  # A4: the battleship is not sunk yet
    obs, reward, terminated, truncated, info = fire(env, "A5")
    assert info["feedback"]["result"] == "sunk" and info["feedback"]["ship"] == "battleship"
    assert terminated and not truncated and info["success"] and reward == 1.0 and info["turn"] == 12
    assert "You win" in obs


def test_carrier_sinks_on_its_last_cell_only():
    env, _ = make_env()
    results = [fire(env, f"{col}1")[4]["feedback"]["result"] for col in "EDBCA"]
    assert results == ["hit", "hit", "hit", "hit", "sunk"]


def test_off_board_and_repeated_shots_are_invalid_and_use_a_turn():
    env, _ = make_env()
    obs, _, terminated, _, info = fire(env, "F2")
    assert info["invalid_action"] and not info["format_error"] and info["turn"] == 1 and not terminated
    assert "off the board" in obs and "A-E" in obs
    obs, _, _, _, info = fire(env, "B6")
    assert info["invalid_action"] and "off the board" in obs
    fire(env, "B2")
    obs, _, _, _, info = fire(env, "(b, 2)")
    assert info["invalid_action"] and "already fired at B2" in obs and info["turn"] == 4
    assert info["feedback"]["board"][1] == ".o..."
    assert parse_shot(obs) is None


def test_unreadable_answer_is_a_format_error():
    env, _ = make_env()
    with pytest.raises(envs.FormatError, match="column letter"):
        env.parse_reply("Thought: hmm\nAnswer: the middle one")
    fire(env, "B2")
    _, _, _, _, info = fire(env, "the middle one")
    assert info["format_error"] and info["turn"] == 2
    assert info["feedback"]["board"][1] == ".o..."


def test_loss_after_twenty_turns_reveals_the_ships():
    env, _ = make_env()
    cells = [f"{c}{r}" for r in range(2, 6) for c in "BCDE"] + ["K1"] * 4  # 16 shots, 4 off the board
    for turn, cell in enumerate(cells, 1):
        obs, reward, terminated, truncated, info = fire(env, cell)
        if turn < 20:
            assert not truncated
    assert truncated and not terminated and not info["success"]
    assert "The ships were: carrier at A1 B1 C1 D1 E1; battleship at A2 A3 A4 A5; destroyer at C3 D3." in obs


def test_six_by_six_board():
    params = {"size": 6, "ships": [
        {"name": "carrier", "cells": [[5, c] for c in range(1, 6)]},
        {"name": "battleship", "cells": [[r, 5] for r in range(0, 4)]},
        {"name": "destroyer", "cells": [[0, 0], [1, 0]]},
    ]}
    env, obs = make_env(params)
    assert "6x6 grid" in obs and "A-F" in obs and "1-6" in obs
    obs, _, _, _, info = fire(env, "F6")
    assert info["feedback"]["result"] == "hit" and obs.startswith("F6: hit.")
    obs, _, _, _, info = fire(env, "G1")
    assert info["invalid_action"] and "A-F" in obs


def _check_layout(params):
    n = params["size"]
    assert n in (5, 6)
    assert [s["name"] for s in params["ships"]] == [name for name, _ in SHIPS]
    seen = set()
    for ship, (_, length) in zip(params["ships"], SHIPS):
        cells = [tuple(c) for c in ship["cells"]]
        assert len(cells) == length and all(0 <= r < n and 0 <= c < n for r, c in cells)
        rows, cols = {r for r, _ in cells}, {c for _, c in cells}
        assert (len(rows) == 1 and sorted(cols) == list(range(min(cols), min(cols) + length))) or (
            len(cols) == 1 and sorted(rows) == list(range(min(rows), min(rows) + length)))
        assert not seen & set(cells)
        seen |= set(cells)


def test_tasks_sizes_determinism_and_validity():
    train, test = envs.load_tasks("battleship", "train"), envs.load_tasks("battleship", "test")
    assert len(train) == 1000 and len(test) == 200
    assert [t.to_dict() for t in test] == [t.to_dict() for t in envs.env_class("battleship").build_tasks("test")]
    keys = lambda ts: {json.dumps(t.params, sort_keys=True) for t in ts}  # noqa: E731
    assert len(keys(train)) == 1000 and len(keys(test)) == 200 and not keys(train) & keys(test)
    for task in train + test:
        _check_layout(task.params)
    sizes = [t.params["size"] for t in train]
    assert 400 < sizes.count(5) < 600  # both board sizes are common
    assert {s["cells"][0][0] == s["cells"][-1][0] for t in train for s in t.params["ships"]} == {True, False}
