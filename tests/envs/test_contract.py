"""The environment contract (docs/architecture.md), checked on every registered game."""

import json
import warnings

import gymnasium
import pytest
from gymnasium.utils.env_checker import check_env
from hypothesis import given
from hypothesis import strategies as st

from curiosa import envs

GAMES = envs.names()
INFO_KEYS = {"success", "invalid_action", "format_error", "turn", "max_turns", "task_id", "feedback"}
MIN_SIZES = {  # docs/games.md (paper sizes are the floor, except where an issue sets its own)
    "twenty_questions": (550, 140),  # one task per catalogue entity (issue: >= 400 entities, split by entity) "guess_my_city": (500, 185), "wordle": (1515, 800),
    "cellular_automata": (1000, 500), "customer_service": (628, 200), "murder_mystery": (203, 50),
    "mastermind": (1000, 500), "battleship": (1000, 200), "minesweeper": (1000, 200), "bandit_best_arm": (81, 1),
}


def test_names_lists_the_program_games():
    assert {"wordle", "mastermind", "battleship", "minesweeper", "cellular_automata", "bandit_best_arm"} <= set(GAMES)


@pytest.mark.parametrize("game", GAMES)
def test_check_env_passes(game):
    env = envs.make(game, task=envs.load_tasks(game, "test")[0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # gymnasium reports API problems as warnings
        check_env(env, skip_render_check=True)
    check_env(gymnasium.make(f"curiosa/{game}-v0").unwrapped)


@pytest.mark.parametrize("game", GAMES)
def test_tasks_are_stable_disjoint_and_large_enough(game):
    train, test = envs.load_tasks(game, "train"), envs.load_tasks(game, "test")
    min_train, min_test = MIN_SIZES.get(game, (1, 1))
    assert len(train) >= min_train and len(test) >= min_test
    assert [t.to_dict() for t in train] == [t.to_dict() for t in envs.load_tasks(game, "train")]
    assert all(t.group == game and t.split == "train" for t in train)
    assert all(t.group == game and t.split == "test" for t in test)
    hidden = lambda ts: {json.dumps(t.params, sort_keys=True) for t in ts}  # noqa: E731
    assert len(hidden(train)) == len(train) and len(hidden(test)) == len(test), "duplicate hidden states"
    assert not hidden(train) & hidden(test), "train and test share a hidden state"
    assert len({t.id for t in train + test}) == len(train) + len(test)
    for t in (train[0], test[-1]):
        assert envs.get_task(t.id) == t
        assert envs.Task.from_dict(json.loads(t.to_json())) == t


@pytest.mark.parametrize("game", GAMES)
def test_load_tasks_returns_copies(game):
    task = envs.load_tasks(game, "test")[0]
    task.params.clear()
    assert envs.load_tasks(game, "test")[0].params


@pytest.mark.parametrize("game", GAMES)
def test_reset_info_and_same_task_same_instruction(game):
    task = envs.load_tasks(game, "test")[3]
    env = envs.make(game, task=task)
    obs_a, info = env.reset(seed=1)
    assert INFO_KEYS <= set(info) and info["turn"] == 0 and info["success"] is False
    assert info["task_id"] == task.id and info["max_turns"] == env.max_turns
    obs_b, _ = envs.make(game, task=task).reset(seed=2)
    assert obs_a == obs_b, "the instruction must depend on the task only"
    assert env.observation_space.contains(obs_a)


@pytest.mark.parametrize("game", GAMES)
def test_unreadable_reply_costs_a_turn_and_explains(game):
    env = envs.make(game, task=envs.load_tasks(game, "test")[0])
    env.reset(seed=0)
    with pytest.raises(envs.FormatError):
        env.parse_reply("I am not sure what to do.")
    obs, reward, terminated, truncated, info = env.step("I am not sure what to do.")
    assert info["format_error"] and info["invalid_action"] and info["turn"] == 1
    assert "Answer:" in obs and reward == 0.0


@pytest.mark.parametrize("game", GAMES)
def test_turn_limit_truncates(game):
    env = envs.make(game, task=envs.load_tasks(game, "test")[0])
    env.reset(seed=0)
    for turn in range(1, env.max_turns + 1):
        obs, reward, terminated, truncated, info = env.step("no move")
        assert info["turn"] == turn
        assert truncated == (turn == env.max_turns) and not terminated
    obs, _, terminated, _, info = env.step("Answer: anything")
    assert terminated and info["invalid_action"] and info["turn"] == env.max_turns


@pytest.mark.parametrize("game", GAMES)
def test_task_drawn_by_seed_when_none_given(game):
    env = envs.make(game, split="test")
    _, info_a = env.reset(seed=5)
    _, info_b = env.reset(seed=5)
    assert info_a["task_id"] == info_b["task_id"] and info_a["task_id"].startswith(f"{game}-test-")


def test_make_rejects_bad_input():
    with pytest.raises(KeyError, match="unknown game"):
        envs.make("chess")
    with pytest.raises(ValueError, match="belongs to"):
        envs.make("wordle", task=envs.load_tasks("mastermind", "test")[0])
    with pytest.raises(ValueError, match="unknown split"):
        envs.load_tasks("wordle", "validation")
    with pytest.raises(KeyError, match="malformed task id"):
        envs.get_task("wordle")
    with pytest.raises(KeyError, match="no task"):
        envs.get_task("wordle-test-99999")
    with pytest.raises(RuntimeError, match="reset"):
        envs.make("wordle").step("Answer: crane")


_any_text = st.one_of(
    st.text(max_size=300),
    st.builds(lambda body: "Thought: x\nAnswer: " + body, st.text(max_size=80)),
    st.builds(lambda body: "Answer: " + body, st.text(alphabet="0123456789abcdefghABCDEF ,()-:reveal\n", max_size=40)),
)


@pytest.mark.parametrize("game", GAMES)
@given(replies=st.lists(_any_text, min_size=1, max_size=25))
def test_any_text_never_crashes_the_env(game, replies):
    env = envs.make(game, task=envs.load_tasks(game, "test")[7])
    obs, _ = env.reset(seed=0)
    for reply in replies:
        obs, reward, terminated, truncated, info = env.step(reply)
        assert env.observation_space.contains(obs), repr(obs[:200])
        assert INFO_KEYS <= set(info) and reward in (0.0, 1.0)
        json.dumps(info["feedback"])
        if terminated or truncated:
            break


DIALOGUE_GAMES = [g for g in GAMES if issubclass(envs.env_class(g), envs.DialogueEnv)]


def test_program_games_refuse_the_llm_simulator():
    with pytest.raises(ValueError, match="played by a program"):
        envs.make("wordle", simulator="llm", endpoint={"base_url": "http://127.0.0.1:9/v1", "model": "m"})


@pytest.mark.parametrize("game", DIALOGUE_GAMES)
def test_dialogue_games_play_in_llm_mode(game):
    from curiosa.testing.fake_openai import FakeOpenAIServer

    task = envs.load_tasks(game, "test")[0]
    probe = envs.make(game, task=task)
    probe.reset(seed=0)
    spec = probe.llm_judge("hello")
    win = next(label for label, outcome in spec.labels.items() if outcome == (True, True))
    going = next(label for label, outcome in spec.labels.items() if outcome == (False, False))
    prompt = probe.llm_simulator_prompt()
    assert len(prompt) > 100
    judge_says = iter([going, win])

    def responder(body):
        if body["messages"][0]["content"].startswith("You are a strict referee"):
            return next(judge_says)
        return "No."  # a plain, non-revealing reply every game's strict extraction accepts

    with FakeOpenAIServer(responder) as server:
        env = envs.make(game, task=task, simulator="llm", endpoint={"base_url": server.base_url, "model": "fake"})
        env.reset(seed=0)
        obs, reward, terminated, _, info = env.step("Thought: ask.\nAnswer: Is it something you use every day?")
        assert not terminated and obs.startswith("No") and info["feedback"]["reply"].startswith("No")
        obs, reward, terminated, _, info = env.step("Thought: guess.\nAnswer: My final answer.")
        assert terminated and info["success"] and reward == 1.0
        assert server.requests[0]["messages"][0]["content"].startswith("You are a strict referee")
        assert prompt in [r["messages"][0]["content"] for r in server.requests]
