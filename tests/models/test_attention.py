import pytest
import torch

from curiosa.models import attention
from curiosa.models.tiny import TinyModelConfig, build_model, train_tokenizer
from curiosa.training.packing import pack, sequence_logps


@pytest.fixture(scope="module")
def tok():
    return train_tokenizer(["packed attention keeps sequences apart"] * 20, vocab_size=300)


def _model(tok, seed=0):
    torch.manual_seed(seed)
    return build_model(tok, TinyModelConfig(hidden_size=32, intermediate_size=64, num_layers=2, num_heads=4,
                                            num_kv_heads=2), seed=seed)


def _seqs(tok, lengths):
    g = torch.Generator().manual_seed(1)
    return [(torch.randint(5, len(tok), (n,), generator=g).tolist(), [0] + [1] * (n - 1)) for n in lengths]


def test_one_row_gradients_equal_those_of_separate_sequences(tok):
    seqs = _seqs(tok, (9, 23, 4, 15))
    packed_model, single_model = _model(tok), _model(tok)
    sums, _ = sequence_logps(packed_model, pack(seqs))
    (sums * torch.tensor([1.0, -2.0, 0.5, 3.0])).sum().backward()
    total = 0.0
    for (ids, mask), w in zip(seqs, (1.0, -2.0, 0.5, 3.0)):
        s, _ = sequence_logps(single_model, pack([(ids, mask)], row_tokens=len(ids)))
        total = total + w * s.sum()
    total.backward()
    for (name, a), b in zip(packed_model.named_parameters(), single_model.parameters()):
        assert torch.allclose(a.grad, b.grad, atol=1e-5, rtol=1e-4), name


def test_calls_without_boundaries_are_plain_causal_attention(tok):
    model = _model(tok).eval()
    ids = torch.tensor([_seqs(tok, (12,))[0][0]])
    with torch.no_grad():
        before = model(ids).logits
        attention.use(model)
        after = model(ids).logits
        generated = model.generate(ids, max_new_tokens=3, do_sample=False)
    assert torch.allclose(before, after, atol=1e-5)
    assert generated.shape == (1, 15)


def test_bad_boundaries_are_refused(tok):
    model = _model(tok)
    attention.use(model)
    ids = torch.tensor([list(range(5, 15))])
    with pytest.raises(ValueError, match="cu_seq_lens_q"):
        model(ids, cu_seq_lens_q=torch.tensor([0, 4, 3, 10], dtype=torch.int32))


def test_the_saved_config_does_not_record_the_switch(tok, tmp_path):
    model = _model(tok)
    attention.use(model)
    model.save_pretrained(tmp_path)
    assert attention.NAME not in (tmp_path / "config.json").read_text()


def test_padded_batches_keep_their_padding_mask(tok):
    """A plain call with a padding mask gives what each sequence alone gives (SDPA's masks are built)."""
    model = _model(tok).eval()
    attention.use(model)
    a, b = _seqs(tok, (7,))[0][0], _seqs(tok, (11,))[0][0]
    ids = torch.tensor([[0] * 4 + a, b])
    mask = torch.tensor([[0] * 4 + [1] * 7, [1] * 11])
    positions = (mask.cumsum(-1) - 1).clamp(min=0)
    with torch.no_grad():
        both = model(ids, attention_mask=mask, position_ids=positions).logits
        alone = model(torch.tensor([a])).logits
    assert torch.allclose(both[0, 4:], alone[0], atol=1e-5)
