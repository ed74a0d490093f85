"""``curiosa serve``: a tiny random model behind the OpenAI-compatible API, called by real clients."""

import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import openai
import pytest
import torch

from curiosa.endpoint import ChatClient, Endpoint, EndpointError
from curiosa.rollout.serving.protocol import RequestError, cut_at_stop, parse_chat_request
from curiosa.rollout.serving.server import ChatServer

NAME = "tiny-test-model"
HELLO = [{"role": "system", "content": "You answer briefly."}, {"role": "user", "content": "Let's play Wordle."}]


@pytest.fixture(scope="module")
def served(tiny_model_dir):
    lines = []
    server = ChatServer.load(str(tiny_model_dir), port=0, batch=4, log=lines.append)
    server.name = NAME  # clients ask for it by this name
    with server:
        yield server, lines


@pytest.fixture(scope="module")
def client(served):
    return openai.OpenAI(base_url=served[0].base_url, api_key="none", max_retries=0)


def greedy_text(model, tokenizer, messages, n):
    """The reply one sequence at a time, with the model's own forward pass."""
    text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    stop = tokenizer.convert_tokens_to_ids("<|im_end|>")
    out = []
    for _ in range(n):
        with torch.no_grad():
            token = int(model(torch.tensor([ids + out])).logits[0, -1].argmax())
        if token == stop:
            break
        out.append(token)
    return tokenizer.decode(out, skip_special_tokens=False)


def post(url, data: bytes):
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_models_lists_the_served_model(client):
    assert [m.id for m in client.models.list().data] == [NAME]
    assert client.models.retrieve(NAME).id == NAME


def test_reply_has_the_openai_shape_and_is_the_greedy_reply(served, client, tiny_model, tiny_tokenizer):
    response = client.chat.completions.create(model=NAME, messages=HELLO, temperature=0, max_tokens=8)
    assert response.object == "chat.completion" and response.model == NAME and response.id.startswith("chatcmpl-")
    (choice,) = response.choices
    assert choice.message.role == "assistant" and isinstance(choice.message.content, str)
    assert choice.finish_reason in ("stop", "length")
    usage = response.usage
    assert usage.prompt_tokens > 0 and 1 <= usage.completion_tokens <= 8
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    assert choice.message.content == greedy_text(tiny_model, tiny_tokenizer, HELLO, 8)


def test_temperature_zero_is_deterministic_and_seeds_repeat(client):
    def ask(**kw):
        return client.chat.completions.create(model=NAME, messages=HELLO, max_tokens=6, **kw).choices[0].message.content

    assert ask(temperature=0) == ask(temperature=0)
    assert ask(temperature=1.0, seed=7) == ask(temperature=1.0, seed=7)
    assert len({ask(temperature=1.0, seed=s) for s in range(6)}) > 1  # the seed matters


def test_concurrent_requests_share_one_generation(served, client):
    server, _ = served
    questions = [[{"role": "user", "content": f"Question number {i}: is it alive?"}] for i in range(4)]

    def ask(messages):
        return client.chat.completions.create(model=NAME, messages=messages, temperature=0,
                                              max_tokens=6).choices[0].message.content

    alone = [ask(m) for m in questions]
    server.batcher.gather_s, before = 1.0, server.batcher.largest_call  # wait for all four
    try:
        together = [None] * 4
        threads = [threading.Thread(target=lambda i=i: together.__setitem__(i, ask(questions[i]))) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.batcher.gather_s = 0.005
    assert together == alone
    assert server.batcher.largest_call == 4 > before


def test_stop_strings_cut_the_reply(client):
    full = client.chat.completions.create(model=NAME, messages=HELLO, temperature=0, max_tokens=8)
    text = full.choices[0].message.content
    assert len(text) >= 3
    stop = text[1:3]
    cut = client.chat.completions.create(model=NAME, messages=HELLO, temperature=0, max_tokens=8, stop=[stop])
    assert cut.choices[0].message.content == text[: text.find(stop)]
    assert cut.choices[0].finish_reason == "stop"


def test_the_llm_mode_client_talks_to_it(served):
    server, _ = served
    chat = ChatClient(Endpoint(base_url=server.base_url, model=NAME, max_retries=0, max_tokens=5))
    reply = chat.chat(HELLO, temperature=0)
    assert reply.prompt_tokens > 0 and 1 <= reply.completion_tokens <= 5 and reply.finish_reason in ("stop", "length")
    assert chat.complete(HELLO, extract=lambda text: text) == reply.text
    wrong = ChatClient(Endpoint(base_url=server.base_url, model="gpt-4o", max_retries=0))
    with pytest.raises(EndpointError, match="HTTP 404"):
        wrong.chat(HELLO)


def test_unknown_model_is_a_404(client):
    with pytest.raises(openai.NotFoundError) as err:
        client.chat.completions.create(model="gpt-4o", messages=HELLO)
    assert err.value.status_code == 404 and err.value.code == "model_not_found" and NAME in err.value.message
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("gpt-4o")


@pytest.mark.parametrize("data, words", [
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "JSON object"),
    (json.dumps({"model": NAME}).encode(), "'messages'"),
    (json.dumps({"model": NAME, "messages": HELLO, "temperature": "hot"}).encode(), "'temperature'"),
    (json.dumps({"model": NAME, "messages": HELLO, "max_tokens": 0}).encode(), "'max_tokens'"),
    (json.dumps({"model": NAME, "messages": HELLO, "stream": True}).encode(), "streaming"),
    (json.dumps({"model": NAME, "messages": [{"role": "tool", "content": "x"}]}).encode(), "role 'tool'"),
    (json.dumps({"model": NAME, "messages": HELLO, "max_tokens": 10**6}).encode(), "context"),
])
def test_bad_requests_are_400_with_a_reason(served, data, words):
    status, body = post(served[0].base_url + "/chat/completions", data)
    assert status == 400 and words in body["error"]["message"]


def test_unknown_route_is_a_404_and_every_request_is_logged(served):
    server, lines = served
    before = len(lines)
    status, body = post(server.base_url + "/completions", b"{}")
    assert status == 404 and "no route" in body["error"]["message"]
    post(server.base_url + "/chat/completions", b"{not json")
    assert len(lines) == before + 2
    assert " POST /v1/completions 404 " in lines[-2] and " 400 " in lines[-1] and "not valid JSON" in lines[-1]


def test_a_failed_generation_is_a_500_and_the_server_goes_on(served, client, monkeypatch):
    server, lines = served

    def broken(requests, sampling):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(server.backend, "generate", broken)
    with pytest.raises(openai.InternalServerError, match="out of memory"):
        client.chat.completions.create(model=NAME, messages=HELLO, max_tokens=4)
    assert " 500 " in lines[-1]
    monkeypatch.undo()
    assert client.chat.completions.create(model=NAME, messages=HELLO, max_tokens=4).choices[0].message is not None


def test_requests_are_checked_before_generation():
    request = parse_chat_request(json.dumps({
        "model": "m", "messages": [{"role": "developer", "content": [{"type": "text", "text": "Be brief."}]},
                                   {"role": "user", "content": "Hi"}],
        "max_completion_tokens": 3, "stop": "\n", "seed": 5, "frequency_penalty": 0.5}).encode(), "m")
    assert request.messages[0] == {"role": "system", "content": "Be brief."}
    assert (request.max_tokens, request.stop, request.seed, request.temperature) == (3, ("\n",), 5, 1.0)
    with pytest.raises(RequestError) as err:
        parse_chat_request(json.dumps({"model": "m", "messages": HELLO, "n": 2}).encode(), "m")
    assert err.value.status == 400 and err.value.param == "n"
    assert cut_at_stop("Yes. No.", ("No", ".")) == ("Yes", True)
    assert cut_at_stop("Yes", ("No",)) == ("Yes", False)


def test_serve_command_takes_host_port_and_batch():
    from curiosa.cli import build_parser

    args = build_parser().parse_args(["serve", "smollm2-135m-instruct", "--port", "0", "--batch", "2"])
    assert (args.model, args.host, args.port, args.batch) == ("smollm2-135m-instruct", "127.0.0.1", 0, 2)


def test_serve_command_reports_a_missing_model_clearly():
    out = subprocess.run([sys.executable, "-m", "curiosa.cli", "serve", "/nonexistent/model", "--port", "0"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "does not exist" in out.stderr and "Traceback" not in out.stderr
