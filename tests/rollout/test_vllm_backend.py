"""The vLLM backend on CPU, against a fake ``vllm`` module that records what it is given."""

import copy
import sys
import types
from dataclasses import dataclass, field

import pytest

from curiosa.models.chat import ChatTokenizer
from curiosa.models.tiny import train_tokenizer
from curiosa.rollout.backends import make_backend
from curiosa.rollout.types import SamplingConfig, TurnRequest

TEXTS = ["Guess a five-letter word.", "Thought: try a common opener.\nAnswer: crane", "C=grey R=yellow"] * 10


@pytest.fixture(scope="module")
def tokenizer():
    return train_tokenizer(TEXTS, vocab_size=300)


@dataclass
class FakeCompletion:
    text: str
    token_ids: list
    finish_reason: str


@dataclass
class FakeRequestOutput:
    outputs: list
    num_cached_tokens: object = None


@dataclass
class FakeLLM:
    """Replies are scripted per prompt length: ``script[len(prompt)] = (text, ids, reason, cached)``."""

    kwargs: dict
    calls: list = field(default_factory=list)
    script: dict = field(default_factory=dict)

    def generate(self, prompts, sampling_params=None, use_tqdm=True):
        self.calls.append((prompts, sampling_params))
        outs = []
        for prompt in prompts:
            text, ids, reason, cached = self.script[len(prompt["prompt_token_ids"])]
            outs.append(FakeRequestOutput([FakeCompletion(text, ids, reason)], cached))
        return outs


@pytest.fixture
def fake_vllm(monkeypatch):
    module = types.ModuleType("vllm")
    module.engines = []

    def make_llm(**kwargs):
        module.engines.append(FakeLLM(kwargs))
        return module.engines[-1]

    module.LLM = make_llm
    module.SamplingParams = lambda **kw: types.SimpleNamespace(**kw)
    monkeypatch.setitem(sys.modules, "vllm", module)
    return module


def test_token_prompts_sampling_and_stop_token(fake_vllm, tokenizer):
    from curiosa.rollout.backends.vllm_backend import VLLMBackend

    backend = VLLMBackend("/models/tiny", tokenizer, max_model_len=512)
    llm = fake_vllm.engines[0]
    assert llm.kwargs == {"model": "/models/tiny", "enable_prefix_caching": True, "gpu_memory_utilization": 0.85,
                          "tensor_parallel_size": 1, "dtype": "auto", "seed": 0, "max_model_len": 512}
    stop = ChatTokenizer(tokenizer).stop_token_id
    reply = tokenizer("Answer: crane", add_special_tokens=False)["input_ids"]
    cut = tokenizer("Thought: try a", add_special_tokens=False)["input_ids"]
    chat = ChatTokenizer(tokenizer)
    first = chat.start([{"role": "user", "content": "Guess a five-letter word."}])
    second = chat.start([{"role": "user", "content": "C=grey R=yellow"}]) + [7, 8, 9]
    assert len(first) != len(second)
    llm.script = {
        len(first): ("Answer: crane", reply + [stop], "stop", 5),
        len(second): ("Thought: try a", cut, "length", None),
    }
    sampling = SamplingConfig(temperature=1.5, top_p=0.9, min_p=0.3, max_new_tokens=9, seed=4)
    done, cut_off = backend.generate(
        [TurnRequest("ep0", [], prompt_ids=list(first)), TurnRequest("ep1", [], prompt_ids=list(second))], sampling)

    (prompts, params), = llm.calls
    assert prompts == [{"prompt_token_ids": first}, {"prompt_token_ids": second}]
    for p in params:
        assert (p.temperature, p.top_p, p.min_p, p.max_tokens) == (1.5, 0.9, 0.3, 9)
        assert p.stop_token_ids == [stop] and p.skip_special_tokens and not p.include_stop_str_in_output
    assert params[0].seed != params[1].seed and all(isinstance(p.seed, int) for p in params)

    assert done.token_ids == reply + [stop] and done.text == "Answer: crane" and done.ended
    assert done.prefill_tokens == len(first) - 5  # prefix-cache hits are not prefill
    assert cut_off.token_ids == cut and not cut_off.ended and cut_off.text == "Thought: try a"
    assert cut_off.prefill_tokens == len(second)  # no cache report: the whole prompt counts
    assert backend.describe() == {"backend": "vllm", "model": "/models/tiny"}
    assert backend.token_level is True


def test_end_of_turn_is_normalised_and_resamples_get_new_seeds(fake_vllm, tokenizer):
    backend = make_backend("vllm", model="/models/tiny", tokenizer=tokenizer)
    llm = fake_vllm.engines[0]
    stop = backend.stop_token_id
    prompt = ChatTokenizer(tokenizer).start([{"role": "user", "content": "Guess a five-letter word."}])
    # a vLLM version that keeps the stop text, and a reply ended by the model's EOS instead
    llm.script = {len(prompt): ("crane" + tokenizer.decode([stop]), [5, 6, stop], "stop", 0)}
    sampling = SamplingConfig()
    a = backend.generate([TurnRequest("ep", [], prompt_ids=prompt)], sampling)[0]
    b = backend.generate([TurnRequest("ep", [], prompt_ids=prompt)], sampling)[0]
    assert a.text == "crane" and a.token_ids == [5, 6, stop] and a.prefill_tokens == len(prompt)
    assert b.token_ids == a.token_ids
    backend.release("ep")
    backend.generate([TurnRequest("ep", [], prompt_ids=prompt)], sampling)
    seeds = [params[0].seed for _, params in llm.calls]
    assert seeds[0] != seeds[1] and seeds[2] == seeds[0]

    llm.script = {len(prompt): ("crane", [5, 6], "stop", 0)}  # e.g. stopped by a stop string
    assert backend.generate([TurnRequest("x", [], prompt_ids=prompt)], sampling)[0].token_ids == [5, 6, stop]
    with pytest.raises(RuntimeError, match="finish_reason 'abort'"):
        llm.script = {len(prompt): ("", [], "abort", 0)}
        backend.generate([TurnRequest("x", [], prompt_ids=prompt)], sampling)
    with pytest.raises(ValueError, match="needs prompt_ids"):
        backend.generate([TurnRequest("x", [{"role": "user", "content": "hi"}])], sampling)


def test_a_reply_ended_by_the_model_eos_ends_with_the_turn_token(fake_vllm, tokenizer):
    tokenizer = copy.deepcopy(tokenizer)
    tokenizer.eos_token = "<|bos|>"  # an EOS that is not the chat template's end-of-turn token
    backend = make_backend("vllm", model="/models/tiny", tokenizer=tokenizer)
    eos, stop = tokenizer.eos_token_id, backend.stop_token_id
    assert eos != stop
    prompt = [1, 2, 3]
    fake_vllm.engines[0].script = {3: ("crane", [5, 6, eos], "stop", None)}
    result = backend.generate([TurnRequest("ep", [], prompt_ids=prompt)], SamplingConfig())[0]
    assert result.token_ids == [5, 6, stop] and result.text == "crane"


def test_tokenizer_is_loaded_from_the_model_path(fake_vllm, tokenizer, tmp_path):
    from curiosa.rollout.backends.vllm_backend import VLLMBackend

    tokenizer.save_pretrained(tmp_path)
    backend = VLLMBackend(str(tmp_path))
    assert backend.stop_token_id == ChatTokenizer(tokenizer).stop_token_id
    assert fake_vllm.engines[0].kwargs["model"] == str(tmp_path)


def test_without_vllm_the_error_says_how_to_install(monkeypatch, tokenizer):
    monkeypatch.setitem(sys.modules, "vllm", None)  # makes `import vllm` fail even where it is installed
    from curiosa.rollout.backends.vllm_backend import VLLMBackend

    with pytest.raises(ImportError, match="pip install vllm.*GPU"):
        VLLMBackend("/models/tiny", tokenizer)
    with pytest.raises(ImportError, match="pip install vllm"):
        make_backend("vllm", model="/models/tiny", tokenizer=tokenizer)
