"""LLM-played mode against a local OpenAI-compatible server (no network)."""

import re

import pytest

from curiosa.endpoint import ChatClient, Endpoint, EndpointError
from curiosa.envs.base import Outcome
from curiosa.envs.dialogue import DialogueEnv, JudgeSpec
from curiosa.envs.task import Task
from curiosa.testing.fake_openai import FakeOpenAIServer


class SecretNumberEnv(DialogueEnv):
    """A minimal dialogue game: guess the secret animal; the LLM answers yes/no."""

    group = "secret_animal"
    max_turns = 5

    @classmethod
    def build_tasks(cls, split):
        return [Task(f"secret_animal-{split}-00000", "secret_animal", split, {"animal": "otter"})]

    def _start(self):
        return "Guess my animal. Answer: <question or guess>"

    def _offline_play(self, move):
        return Outcome("offline", feedback={"reply": "offline"})

    def llm_simulator_prompt(self):
        return f"The secret animal is {self.task.params['animal']}. Answer only Yes or No."

    def llm_extract_reply(self, text):
        m = re.fullmatch(r"\s*(yes|no)[.!]?\s*", text, re.IGNORECASE)
        return m.group(1).capitalize() if m else None

    def llm_judge(self, move):
        return JudgeSpec("Does the message guess that the animal is an otter?", {"yes": (True, True), "no": (False, False)})


def role_play(body):
    """Judge says yes only for 'otter'; the simulator answers 'yes' about water, with chatter first."""
    system = body["messages"][0]["content"]
    last = body["messages"][-1]["content"].lower()
    if system.startswith("You are a strict referee"):
        return "yes" if "otter" in last.split("player's message:")[-1] else "No."
    return "Yes." if "water" in last else "no"


def make_env(server, **endpoint):
    task = SecretNumberEnv.build_tasks("test")[0]
    ep = {"base_url": server.base_url, "model": "fake", "backoff_s": 0.0, "timeout_s": 2.0, **endpoint}
    return SecretNumberEnv(task, simulator="llm", endpoint=ep)


def test_llm_mode_plays_and_judges():
    with FakeOpenAIServer(role_play) as server:
        env = make_env(server)
        env.reset(seed=0)
        obs, reward, terminated, _, info = env.step("Answer: Does it live near water?")
        assert obs == "Yes" and not terminated and info["feedback"]["judge"] == "no"
        obs, reward, terminated, _, info = env.step("Answer: Is it a cat?")
        assert obs == "No" and not terminated
        obs, reward, terminated, _, info = env.step("Thought: surely\nAnswer: Is it an otter?")
        assert terminated and info["success"] and reward == 1.0
        sim_requests = [r for r in server.requests if not r["messages"][0]["content"].startswith("You are a strict")]
        assert all(r["temperature"] == 0 for r in server.requests)
        # the simulator sees the history; the judge sees only the last message
        assert [m["content"] for m in sim_requests[-1]["messages"][1:]] == [
            "Does it live near water?", "Yes", "Is it a cat?"]
        judge_requests = [r for r in server.requests if r["messages"][0]["content"].startswith("You are a strict")]
        assert "water" not in judge_requests[-1]["messages"][1]["content"]


def test_unusable_answers_are_retried_then_reported():
    answers = iter(["Well, maybe?", "Yes"])

    def responder(body):
        if body["messages"][0]["content"].startswith("You are a strict"):
            return "no"
        return next(answers)

    with FakeOpenAIServer(responder) as server:
        env = make_env(server)
        env.reset(seed=0)
        obs, *_ = env.step("Answer: Is it furry?")
        assert obs == "Yes"
    with FakeOpenAIServer(lambda body: "I cannot say") as server:
        env = make_env(server, max_retries=2)
        env.reset(seed=0)
        with pytest.raises(EndpointError, match="failed after 3 attempt"):
            env.step("Answer: Is it furry?")


def test_transient_server_errors_back_off_then_succeed():
    calls = []

    def flaky(body):
        calls.append(1)
        return (503, "overloaded") if len(calls) <= 2 else "ok"

    waits = []
    with FakeOpenAIServer(flaky) as server:
        client = ChatClient(Endpoint(server.base_url, "fake", backoff_s=0.5), sleep=waits.append)
        assert client.complete([{"role": "user", "content": "hi"}]) == "ok"
    assert waits == [0.5, 1.0]


def test_timeouts_and_refusals_give_clear_errors():
    with FakeOpenAIServer(lambda body: ("sleep", 2.0)) as server:
        client = ChatClient(Endpoint(server.base_url, "fake", timeout_s=0.2, max_retries=1, backoff_s=0.0))
        with pytest.raises(EndpointError, match="failed after 2 attempt.*Timeout"):
            client.complete([{"role": "user", "content": "hi"}])
    with FakeOpenAIServer(lambda body: (401, "bad key")) as server:
        client = ChatClient(Endpoint(server.base_url, "fake", backoff_s=0.0))
        with pytest.raises(EndpointError, match="HTTP 401"):
            client.complete([{"role": "user", "content": "hi"}])
        assert len(server.requests) == 1


def test_unreachable_endpoint_is_reported():
    client = ChatClient(Endpoint("http://127.0.0.1:9/v1", "fake", max_retries=1, backoff_s=0.0, timeout_s=1.0))
    with pytest.raises(EndpointError, match="127.0.0.1:9.*APIConnectionError"):
        client.complete([{"role": "user", "content": "hi"}])


def test_bad_endpoint_configuration():
    task = SecretNumberEnv.build_tasks("test")[0]
    with pytest.raises(ValueError, match="needs an endpoint"):
        SecretNumberEnv(task, simulator="llm")
    with pytest.raises(ValueError, match="simulator must be one of"):
        SecretNumberEnv(task, simulator="gpt")
    with pytest.raises(ValueError, match="unknown endpoint field"):
        SecretNumberEnv(task, simulator="llm", endpoint={"base_url": "x", "model": "m", "temp": 1})
