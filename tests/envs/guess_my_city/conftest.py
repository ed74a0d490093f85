"""Helpers shared by the guess_my_city tests: a city's facts, a game whose secret is that city, one move."""

import pytest

from curiosa import envs
from curiosa.envs.guess_my_city import GuessMyCityEnv, city_pool
from curiosa.envs.task import Task

GAME = "guess_my_city"
envs.register(GuessMyCityEnv)  # a no-op once the registry lists the game


def _facts_of(city, country=None):
    return next(f for f in city_pool() if f["city"] == city and (country is None or f["country"] == country))


def _env_for(city, country=None):
    task = Task(f"{GAME}-test-99999", GAME, "test", _facts_of(city, country))
    env = envs.make(GAME, task=task)
    env.reset(seed=0)
    return env


def _ask(env, question):
    obs, reward, terminated, truncated, info = env.step(f"Thought: hmm\nAnswer: {question}")
    return obs, info["feedback"], terminated, reward


@pytest.fixture
def facts_of():
    """facts_of(city, country=None) -> the facts of that pool city."""
    return _facts_of


@pytest.fixture
def env_for():
    """env_for(city, country=None) -> a reset game whose secret is that city."""
    return _env_for


@pytest.fixture
def ask():
    """ask(env, question) -> (observation, feedback, terminated, reward) of one move."""
    return _ask
