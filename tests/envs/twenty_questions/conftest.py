"""Helpers shared by the twenty_questions tests: find a task by its secret, play moves in it."""

import pytest

from curiosa import envs

GAME = "twenty_questions"


def _task_for(category, entity):
    for split in ("train", "test"):
        for task in envs.load_tasks(GAME, split):
            if task.params == {"category": category, "entity": entity}:
                return task
    raise AssertionError(f"no task for {category}/{entity}")


def _play(category, entity, *moves):
    env = envs.make(GAME, task=_task_for(category, entity))
    obs, _ = env.reset(seed=0)
    steps = [env.step("Thought: testing.\nAnswer: " + move) for move in moves]
    return env, obs, steps


def _feedback(category, entity, move):
    _, _, [(obs, reward, terminated, truncated, info)] = _play(category, entity, move)
    return obs, info["feedback"], terminated, info


@pytest.fixture
def task_for():
    """task_for(category, entity) -> the task whose secret is that entity."""
    return _task_for


@pytest.fixture
def play():
    """play(category, entity, *moves) -> (env, instruction, steps) of a fresh game."""
    return _play


@pytest.fixture
def feedback():
    """feedback(category, entity, move) -> (observation, feedback, terminated, info) of a first move."""
    return _feedback
