import pytest
import torch

from curiosa.models.tiny import TinyModelConfig, build_model, train_tokenizer
from curiosa.training.packing import (pack, plan_microbatches, sequence_logps, shared_prefix, token_and_avoid_logps,
                                      token_logps)


def _tiny_model(tok):
    torch.manual_seed(0)
    return build_model(tok, TinyModelConfig(hidden_size=32, intermediate_size=64, num_layers=2, num_heads=2,
                                            num_kv_heads=1))


def _branching(vocab: int):
    """Whole sequences, then sequences continuing their prefixes (a pair's rejected side), with trained
    tokens inside the shared prefixes, right after them and at the last token."""
    g = torch.Generator().manual_seed(3)
    whole = [(torch.randint(5, vocab, (n,), generator=g).tolist(), torch.randint(0, 2, (n,), generator=g).tolist())
             for n in (20, 9, 14)]
    seqs, links = list(whole), [None] * len(whole)
    for j, p, tail in ((0, 12, 6), (1, 8, 1), (0, 3, 11), (2, 13, 4)):
        ids = whole[j][0][:p] + torch.randint(5, vocab, (tail,), generator=g).tolist()
        mask = whole[j][1][:p] + [1] * tail
        seqs.append((ids, mask))
        links.append((j, p))
    return seqs, links


def test_packed_rows_give_each_sequence_its_own_logps():
    tok = train_tokenizer(["hello world, this is a test of packing"] * 20, vocab_size=300)
    model = _tiny_model(tok).eval()
    g = torch.Generator().manual_seed(0)
    seqs = [(torch.randint(5, len(tok), (n,), generator=g).tolist(), torch.randint(0, 2, (n,), generator=g).tolist())
            for n in (7, 12, 5, 30, 9)]
    for row_tokens in (1, 16, 1000, None):  # a sequence per row, a few rows, all in one row, packed attention
        packed = pack(seqs, row_tokens=row_tokens)
        assert packed.real_tokens == sum(len(s) for s, _ in seqs)
        with torch.no_grad():
            sums, counts = sequence_logps(model, packed)
            for i, (ids, mask) in enumerate(seqs):
                logits = model(torch.tensor([ids])).logits[0, :-1].log_softmax(-1)
                expect = sum(float(logits[t - 1, ids[t]]) for t in range(1, len(ids)) if mask[t])
                assert abs(float(sums[i]) - expect) < 1e-4
                assert int(counts[i]) == sum(mask[1:])


def test_microbatch_plan_respects_the_budget():
    assert plan_microbatches([5, 5, 5, 20, 1], 10) == [[0, 1], [2], [3], [4]]


def test_a_shared_prefix_gives_each_sequence_the_logps_and_gradients_it_has_on_its_own():
    tok = train_tokenizer(["hello world, this is a test of packing"] * 20, vocab_size=300)
    model = _tiny_model(tok)
    seqs, links = _branching(len(tok))
    assert all(shared_prefix(seqs[link[0]], seqs[i]) >= link[1] for i, link in enumerate(links) if link)
    results = []
    for prefixes in (None, links):
        model.zero_grad()
        packed = pack(seqs, prefixes=prefixes)
        sums, counts = sequence_logps(model, packed)
        sums.sum().backward()
        results.append((sums.detach(), counts, packed.real_tokens,
                        [p.grad.clone() for p in model.parameters()]))
    (alone, n_alone, t_alone, g_alone), (shared, n_shared, t_shared, g_shared) = results
    torch.testing.assert_close(shared, alone, rtol=1e-5, atol=1e-5)
    assert n_shared.tolist() == n_alone.tolist() == [sum(m[1:]) for _, m in seqs]
    assert t_shared == t_alone - sum(p for _, p in filter(None, links))  # the prefixes are laid out once
    for a, b in zip(g_alone, g_shared):
        torch.testing.assert_close(b, a, rtol=1e-4, atol=1e-5)


def test_shared_prefixes_are_checked():
    seqs = [([5, 6, 7, 8], [0, 1, 1, 1]), ([5, 6, 9], [0, 1, 1]), ([5, 7, 9], [0, 1, 1])]
    assert shared_prefix(seqs[0], seqs[1]) == 2 and shared_prefix(seqs[0], seqs[0]) == 3
    assert shared_prefix(seqs[0], ([5, 6, 7], [0, 0, 1])) == 1  # masks must agree too
    with pytest.raises(ValueError, match="not sequence 0's"):
        pack(seqs, prefixes=[None, None, (0, 2)])
    with pytest.raises(ValueError, match="earlier whole sequence"):
        pack(seqs, prefixes=[(1, 2), None, None])
    with pytest.raises(ValueError, match="leave a tail"):
        pack(seqs, prefixes=[None, (0, 3), None])
    with pytest.raises(ValueError, match="one-row layout"):
        pack(seqs, prefixes=[None, (0, 2), None], row_tokens=100)


def test_avoided_tokens_get_their_logps_at_the_trained_places():
    tok = train_tokenizer(["hello world, this is a test of packing"] * 20, vocab_size=300)
    model = _tiny_model(tok).eval()
    g = torch.Generator().manual_seed(1)
    seqs = [(torch.randint(5, len(tok), (n,), generator=g).tolist(), [0] + [1] * (n - 1)) for n in (9, 14, 6)]
    avoid = [[(3, 7), (8, 11)], None, [(1, 5), (1, 6), (5, 40)]]
    for row_tokens in (None, 16):
        packed = pack(seqs, row_tokens=row_tokens, avoid=avoid)
        with torch.no_grad():
            logps, avoided = token_and_avoid_logps(model, packed)
            assert torch.allclose(logps, token_logps(model, pack(seqs, row_tokens=row_tokens)), atol=1e-5)
            expect = []
            for (ids, _), marks in zip(seqs, avoid):
                full = model(torch.tensor([ids])).logits[0].log_softmax(-1)
                expect += [float(full[t - 1, token]) for t, token in marks or []]
        assert avoided.tolist() == pytest.approx(expect, abs=1e-5)
    assert len(token_and_avoid_logps(model, pack(seqs))[1]) == 0


def test_avoided_tokens_must_sit_at_trained_places():
    seqs = [([5, 6, 7, 8], [0, 1, 0, 1])]
    with pytest.raises(ValueError, match="sequence 0: avoided tokens must sit at trained places"):
        pack(seqs, avoid=[[(2, 9)]])
    with pytest.raises(ValueError, match="avoid: 2 entries for 1 sequences"):
        pack(seqs, avoid=[None, None])
