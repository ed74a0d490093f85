"""Layers with a sliding window (Gemma 3's local layers, Mistral) see only the last `window` positions on
every path of curiosa's attention: packed training rows, and the rollout engine's prefill and decoding."""

import pytest
import torch
import transformers

from curiosa.models import decoder
from curiosa.models.chat import ChatTokenizer
from curiosa.rollout.backends.transformers_backend import TransformersBackend
from curiosa.rollout.types import SamplingConfig, TurnRequest
from curiosa.training.packing import pack, sequence_logps, token_logps

WINDOW = 4


def _model(kind: str, vocab: int = 300, window: int | None = WINDOW):
    torch.manual_seed(0)
    common = dict(vocab_size=vocab, hidden_size=64, intermediate_size=96, num_attention_heads=4,
                  num_key_value_heads=2, max_position_embeddings=512, sliding_window=window)
    if kind == "gemma3":
        first = "sliding_attention" if window else "full_attention"
        config = transformers.Gemma3TextConfig(**{**common, "sliding_window": window or 512}, num_hidden_layers=3,
                                               head_dim=16, layer_types=[first, first, "full_attention"],
                                               tie_word_embeddings=False)
        model = transformers.Gemma3ForCausalLM(config)
    else:
        model = transformers.MistralForCausalLM(transformers.MistralConfig(**common, num_hidden_layers=2))
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() > 1:
                p.normal_(0, 0.3)  # large, so that the window changes the logits visibly
    model.set_attn_implementation("eager")  # the reference: transformers' own masks
    return model.eval()


def _reference_logps(model, ids: list[int], mask: list[int]) -> torch.Tensor:
    with torch.no_grad():
        logps = model(torch.tensor([ids]), use_cache=False).logits[0, :-1].float().log_softmax(-1)
    targets = torch.tensor(ids[1:])
    return logps.gather(-1, targets[:, None])[:, 0][torch.tensor(mask[1:]) > 0]


@pytest.mark.parametrize("kind", ["gemma3", "mistral"])
def test_packed_rows_attend_within_the_window(kind):
    model = _model(kind)
    g = torch.Generator().manual_seed(1)
    seqs = [(torch.randint(3, 300, (n,), generator=g).tolist(), [0] * 2 + [1] * (n - 2)) for n in (13, 3, 9)]
    expected = torch.cat([_reference_logps(model, ids, mask) for ids, mask in seqs])
    with torch.no_grad():
        got = token_logps(model, pack(seqs))
    torch.testing.assert_close(got, expected, rtol=1e-4, atol=1e-4)
    # a sequence continuing the first one's 7-token prefix sees that prefix through the window too
    branch = (seqs[0][0][:7] + torch.randint(3, 300, (6,), generator=g).tolist(), seqs[0][1][:7] + [1] * 6)
    with torch.no_grad():
        sums, _ = sequence_logps(model, pack(seqs + [branch], prefixes=[None] * 3 + [(0, 7)]))
    torch.testing.assert_close(sums[3], _reference_logps(model, *branch).sum(), rtol=1e-4, atol=1e-4)
    # the window matters at these lengths: full attention gives other log-probs
    full = _model(kind, window=None)
    unwindowed = torch.cat([_reference_logps(full, ids, mask) for ids, mask in seqs])
    assert not torch.allclose(unwindowed, expected, atol=1e-2)


@pytest.mark.parametrize("kind", ["gemma3", "mistral"])
def test_the_engine_decodes_within_the_window(kind, tiny_tokenizer):
    model = _model(kind, vocab=len(tiny_tokenizer))
    assert not decoder.supports(model)  # the model's own forward runs over the row cache
    chat = ChatTokenizer(tiny_tokenizer)
    backend = TransformersBackend(model, tiny_tokenizer)
    greedy = SamplingConfig(temperature=0.0, max_new_tokens=6)
    prompts = {f"e{i}": chat.start([{"role": "user", "content": "Let's play Wordle. " * (i + 1)}]) for i in range(2)}
    first = backend.generate([TurnRequest(k, [], p) for k, p in prompts.items()], greedy)
    nxt = {k: p + r.token_ids + chat.continue_after_reply("CRANE: C=grey R=green", reply_ended=r.ended)
           for (k, p), r in zip(prompts.items(), first)}
    second = backend.generate([TurnRequest(k, [], p) for k, p in nxt.items()], greedy)
    full = _model(kind, vocab=len(tiny_tokenizer), window=None)
    differs = False
    for prompt, result in [*zip(prompts.values(), first), *zip(nxt.values(), second)]:
        assert len(prompt) > WINDOW
        assert result.token_ids == _greedy(model, prompt, len(result.token_ids))
        differs |= result.token_ids != _greedy(full, prompt, len(result.token_ids))
    assert differs  # the window matters for these prompts


def _greedy(model, prompt: list[int], n: int) -> list[int]:
    out: list[int] = []
    for _ in range(n):
        with torch.no_grad():
            out.append(int(model(torch.tensor([prompt + out]), use_cache=False).logits[0, -1].argmax()))
    return out
