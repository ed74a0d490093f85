import torch

from curiosa.models.tiny import TinyModelConfig, build_model, train_tokenizer
from curiosa.training.packing import pack, plan_microbatches, sequence_logps


def test_packed_rows_give_each_sequence_its_own_logps():
    tok = train_tokenizer(["hello world, this is a test of packing"] * 20, vocab_size=300)
    torch.manual_seed(0)
    model = build_model(tok, TinyModelConfig(hidden_size=32, intermediate_size=64, num_layers=2, num_heads=2,
                                             num_kv_heads=1)).eval()
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
