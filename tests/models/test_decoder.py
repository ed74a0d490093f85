"""The lean decoder computes the model's own function (Llama and Qwen2 families), and declines the rest."""

import pytest
import torch
import transformers

from curiosa.models import decoder
from curiosa.models.attention import CacheRows, decode_spans
from curiosa.models.chat import ChatTokenizer
from curiosa.rollout.backends.transformers_backend import TransformersBackend
from curiosa.rollout.types import SamplingConfig, TurnRequest


def _model(kind: str):
    torch.manual_seed(0)
    common = dict(vocab_size=300, hidden_size=64, intermediate_size=96, num_hidden_layers=2, num_attention_heads=4,
                  num_key_value_heads=2, max_position_embeddings=512)
    if kind == "qwen2":  # q/k/v carry biases
        model = transformers.Qwen2ForCausalLM(transformers.Qwen2Config(**common))
    else:
        model = transformers.LlamaForCausalLM(transformers.LlamaConfig(**common, rope_theta=10000.0))
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0, 0.2)  # large, so that greedy decoding is a sharp test
    return model.eval()


@pytest.mark.parametrize("kind", ["llama", "qwen2"])
def test_lean_logits_equal_the_models_for_prefill_and_decoding(kind):
    model = _model(kind)
    lean = decoder.LeanDecoder(model, dtype=torch.float32)
    ids = torch.randint(3, 300, (2, 9), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        expected = model(ids).logits  # [2, 9, V]
    # the two sequences as rows of a cache: prefill their first 8 tokens packed, then decode the 9th
    keys = [torch.zeros(2, lean.kv_heads, 16, lean.head_dim) for _ in lean.layers]
    values = [torch.zeros_like(k) for k in keys]
    flat = ids[:, :8].reshape(-1)
    rows = torch.tensor([0] * 8 + [1] * 8)
    cols = torch.tensor(list(range(8)) * 2)
    got = lean.forward(flat, cols, keys, values, (rows, cols), 8, CacheRows([0, 0], [8, 8], [0, 8]), torch.arange(16))
    torch.testing.assert_close(got.view(2, 8, -1), expected[:, :8], rtol=1e-4, atol=1e-4)
    decoding = CacheRows([8, 8], [1, 1], [0, 1], decode_spans([8, 8], [1, 1]))
    last = lean.forward(ids[:, 8], torch.tensor([8, 8]), keys, values, (torch.arange(2), torch.tensor([8, 8])), 9,
                        decoding, torch.arange(2))
    torch.testing.assert_close(last, expected[:, 8], rtol=1e-4, atol=1e-4)


def test_backend_gives_the_same_turns_with_and_without_the_lean_decoder(tiny_model, tiny_tokenizer):
    chat = ChatTokenizer(tiny_tokenizer)
    greedy = SamplingConfig(temperature=0.0, max_new_tokens=8)
    runs = []
    for lean in (True, False):
        backend = TransformersBackend(tiny_model, tiny_tokenizer, lean=lean)
        prompts = {f"e{i}": chat.start([{"role": "user", "content": "Play Wordle. " * (i + 1)}]) for i in range(3)}
        first = backend.generate([TurnRequest(k, [], p) for k, p in prompts.items()], greedy)
        nxt = {k: p + r.token_ids + chat.continue_after_reply("CRANE: grey", reply_ended=r.ended)
               for (k, p), r in zip(prompts.items(), first)}
        second = backend.generate([TurnRequest(k, [], p) for k, p in nxt.items()], greedy)
        runs.append([r.token_ids for r in first + second])
    assert runs[0] == runs[1]


def test_models_it_cannot_reproduce_run_their_own_forward(tiny_model, tiny_tokenizer):
    from peft import LoraConfig, get_peft_model

    adapted = get_peft_model(_model("llama"), LoraConfig(r=2, target_modules=["q_proj"], task_type="CAUSAL_LM"))
    assert not decoder.supports(adapted)
    gelu = transformers.LlamaForCausalLM(transformers.LlamaConfig(
        vocab_size=50, hidden_size=16, intermediate_size=32, num_hidden_layers=1, num_attention_heads=2,
        hidden_act="gelu"))
    assert not decoder.supports(gelu)
    with pytest.raises(ValueError, match="lean decoding does not support"):
        TransformersBackend(adapted, tiny_tokenizer, lean=True)
    assert TransformersBackend(tiny_model, tiny_tokenizer).lean is not None
