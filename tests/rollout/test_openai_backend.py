"""The OpenAI-compatible backend against a local fake server (no network)."""

import re
import threading
import time

import pytest

from curiosa.endpoint import ChatClient, Endpoint, EndpointError
from curiosa.rollout.backends import make_backend
from curiosa.rollout.backends.openai_backend import OpenAIBackend
from curiosa.rollout.types import SamplingConfig, TurnRequest
from curiosa.testing.fake_openai import FakeOpenAIServer


def req(key, text):
    return TurnRequest(key=key, messages=[{"role": "user", "content": text}])


def backend_for(server, **kwargs):
    return OpenAIBackend({"base_url": server.base_url, "model": "fake", "backoff_s": 0.0, "timeout_s": 5.0},
                         **kwargs)


def test_replies_come_back_in_request_order_under_concurrency():
    lock, live, peak = threading.Lock(), [0], [0]

    def responder(body):
        i = int(body["messages"][-1]["content"])
        with lock:
            live[0] += 1
            peak[0] = max(peak[0], live[0])
        time.sleep(0.02 * (8 - i))  # later requests finish first
        with lock:
            live[0] -= 1
        return f"reply {i}"

    with FakeOpenAIServer(responder) as server:
        backend = backend_for(server, max_concurrency=4)
        results = backend.generate([req(f"ep{i}", str(i)) for i in range(8)], SamplingConfig())
    assert [r.text for r in results] == [f"reply {i}" for i in range(8)]
    assert all(r.ended and r.token_ids == [] for r in results)
    assert 2 <= peak[0] <= 4
    assert backend.token_level is False


def test_sampling_fields_are_sent_and_min_p_only_when_enabled():
    sampling = SamplingConfig(temperature=1.5, top_p=0.9, min_p=0.3, max_new_tokens=17, seed=3)
    with FakeOpenAIServer(lambda body: "ok") as server:
        backend_for(server, max_concurrency=1).generate([req("a", "hi"), req("b", "hi")], sampling)
        backend_for(server, send_min_p=False).generate([req("a", "hi")], sampling)
        backend_for(server).generate([req("a", "hi")], SamplingConfig(min_p=0.0))
    with_min_p, other, without, zero = server.requests
    for body in (with_min_p, other, without):
        assert body["temperature"] == 1.5 and body["top_p"] == 0.9 and body["max_tokens"] == 17
        assert isinstance(body["seed"], int) and body["model"] == "fake"
    assert with_min_p["min_p"] == 0.3 and "min_p" not in without and "min_p" not in zero
    # same prompt, different episodes -> different seeds, or all samples of a task would be equal
    assert with_min_p["seed"] != other["seed"]
    # a fresh backend with the same settings sends the same seed (reproducible runs)
    assert without["seed"] == with_min_p["seed"]


def test_a_resample_of_the_same_prompt_gets_a_new_seed():
    with FakeOpenAIServer(lambda body: "ok") as server:
        backend = backend_for(server)
        for _ in range(2):
            backend.generate([req("a", "hi")], SamplingConfig())
        backend.release("a")
        backend.generate([req("a", "hi")], SamplingConfig())
    first, resample, after_release = (body["seed"] for body in server.requests)
    assert first != resample and after_release == first


def test_cut_off_reply_is_not_ended_and_usage_gives_prefill():
    def responder(body):
        text = body["messages"][-1]["content"]
        if text == "long":
            return {"content": "and so on and", "finish_reason": "length",
                    "usage": {"prompt_tokens": 12, "completion_tokens": 4, "total_tokens": 16}}
        return {"content": "short", "usage": {"prompt_tokens": 30, "completion_tokens": 1, "total_tokens": 31,
                                              "prompt_tokens_details": {"cached_tokens": 24}}}

    with FakeOpenAIServer(responder) as server:
        long, short = backend_for(server).generate([req("a", "long"), req("b", "short")], SamplingConfig())
    assert (long.text, long.ended, long.prefill_tokens) == ("and so on and", False, 12)
    assert (short.text, short.ended, short.prefill_tokens) == ("short", True, 6)


def test_server_errors_are_retried_then_succeed():
    seen = {}

    def flaky(body):
        text = body["messages"][-1]["content"]
        seen[text] = seen.get(text, 0) + 1
        return (503, "overloaded") if seen[text] == 1 else f"ok {text}"

    with FakeOpenAIServer(flaky) as server:
        results = backend_for(server).generate([req("a", "x"), req("b", "y")], SamplingConfig())
    assert [r.text for r in results] == ["ok x", "ok y"]
    assert seen == {"x": 2, "y": 2}


def test_refusal_fails_fast_naming_the_url():
    with FakeOpenAIServer(lambda body: (401, "bad key")) as server:
        backend = backend_for(server)
        with pytest.raises(EndpointError, match=re.escape(server.base_url) + ".*HTTP 401"):
            backend.generate([req("a", "hi")], SamplingConfig())
        assert len(server.requests) == 1


def test_persistent_failure_is_reported_after_the_retries():
    with FakeOpenAIServer(lambda body: (503, "down")) as server:
        backend = OpenAIBackend(Endpoint(server.base_url, "fake", backoff_s=0.0, max_retries=2))
        with pytest.raises(EndpointError, match=re.escape(server.base_url) + ".*failed after 3 attempt"):
            backend.generate([req("a", "hi")], SamplingConfig())


def test_describe_make_backend_and_bad_arguments():
    backend = make_backend("openai", endpoint={"base_url": "http://127.0.0.1:9/v1", "model": "m"})
    assert isinstance(backend, OpenAIBackend)
    assert backend.describe() == {"backend": "openai", "base_url": "http://127.0.0.1:9/v1", "model": "m"}
    assert backend.generate([], SamplingConfig()) == []
    with pytest.raises(ValueError, match="unknown backend 'gpt'.*openai.*vllm"):
        make_backend("gpt")
    with pytest.raises(ValueError, match="max_concurrency"):
        OpenAIBackend({"base_url": "http://127.0.0.1:9/v1", "model": "m"}, max_concurrency=0)


def test_chat_client_sampling_overrides_endpoint_extra():
    with FakeOpenAIServer(lambda body: "ok") as server:
        ep = Endpoint(server.base_url, "fake", extra={"top_p": 0.5, "extra_body": {"top_k": 5}})
        reply = ChatClient(ep).chat([{"role": "user", "content": "hi"}], top_p=0.8, extra_body={"min_p": 0.1})
        assert ChatClient(ep).complete([{"role": "user", "content": "hi"}]) == "ok"
    assert (reply.text, reply.finish_reason) == ("ok", "stop")
    body, plain = server.requests
    assert body["top_p"] == 0.8 and body["top_k"] == 5 and body["min_p"] == 0.1 and "seed" not in body
    assert plain["top_p"] == 0.5 and plain["top_k"] == 5
