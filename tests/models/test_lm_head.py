"""The sliced output head gives the log-probs and gradients of the model's own head, for every model
type it claims, with adapters too; other models keep their own head."""

import pytest
import torch
import transformers

from curiosa.models import lm_head
from curiosa.training.packing import pack, token_logps

VOCAB = 97


def _model(model_type: str, **extra):
    config = transformers.AutoConfig.for_model(
        model_type, vocab_size=VOCAB, hidden_size=32, intermediate_size=48, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, head_dim=8, max_position_embeddings=256, **extra)
    torch.manual_seed(0)
    model = transformers.AutoModelForCausalLM.from_config(config)
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() > 1:
                p.normal_(0, 0.3)
    return model


def _packed():
    g = torch.Generator().manual_seed(3)
    return pack([(torch.randint(0, VOCAB, (n,), generator=g).tolist(), [0] * 3 + [1] * (n - 3)) for n in (17, 6, 11)])


def _logps_and_grads(model, packed, slice_logits, monkeypatch):
    monkeypatch.setattr(lm_head, "SLICE_LOGITS", slice_logits)
    model.zero_grad()
    logps = token_logps(model, packed)
    (logps * torch.linspace(-1, 2, len(logps))).sum().backward()
    return logps.detach(), {n: p.grad.clone() for n, p in model.named_parameters() if p.grad is not None}


@pytest.mark.parametrize("model_type", lm_head.PLAIN_HEADS)
def test_slices_give_the_models_own_log_probs_and_gradients(model_type, monkeypatch):
    model = _model(model_type)
    assert lm_head.plain_head(model) is not None
    packed = _packed()
    whole, whole_grads = _logps_and_grads(model, packed, 10**12, monkeypatch)
    sliced, sliced_grads = _logps_and_grads(model, packed, 5 * VOCAB, monkeypatch)  # slices of 5 positions
    torch.testing.assert_close(sliced, whole, rtol=1e-5, atol=1e-5)
    assert whole_grads.keys() == sliced_grads.keys()
    for name, grad in whole_grads.items():
        torch.testing.assert_close(sliced_grads[name], grad, rtol=1e-4, atol=1e-5, msg=name)


def test_a_soft_capped_head_is_capped():
    head = lm_head.plain_head(_model("gemma2", final_logit_softcapping=0.5))
    assert head is not None and head.softcap == 0.5


def test_adapters_on_the_head_are_applied(monkeypatch):
    from peft import LoraConfig, get_peft_model

    model = get_peft_model(_model("llama"), LoraConfig(r=2, target_modules=["q_proj", "lm_head"], init_lora_weights=False))
    packed = _packed()
    whole, whole_grads = _logps_and_grads(model, packed, 10**12, monkeypatch)
    sliced, sliced_grads = _logps_and_grads(model, packed, 5 * VOCAB, monkeypatch)
    torch.testing.assert_close(sliced, whole, rtol=1e-5, atol=1e-5)
    assert any("lm_head.lora" in name for name in sliced_grads)
    for name, grad in whole_grads.items():
        torch.testing.assert_close(sliced_grads[name], grad, rtol=1e-4, atol=1e-5, msg=name)


def test_other_heads_are_left_to_the_model():
    assert lm_head.plain_head(_model("gpt2", n_embd=32, n_layer=1, n_head=4)) is None
