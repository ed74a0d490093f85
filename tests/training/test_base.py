"""The shared training loop: its schedule, its time limit, and the SFT loss on packed rows."""

import numpy as np
import pytest
import torch
import transformers

from curiosa.data.examples import Example
from curiosa.training.base import lr_factor
from curiosa.training.sft import SFTConfig, SFTTrainer


def test_lr_schedule_warms_up_then_decays_to_the_floor():
    assert lr_factor(0.0, 0.1, 0.1) == 0.0
    assert lr_factor(0.1, 0.1, 0.1) == pytest.approx(1.0)
    assert lr_factor(1.0, 0.1, 0.1) == pytest.approx(0.1)
    values = [lr_factor(p, 0.1, 0.1) for p in np.linspace(0.1, 1, 20)]
    assert all(a >= b for a, b in zip(values, values[1:]))


def _model(vocab=50, layers=1):
    torch.manual_seed(0)
    return transformers.LlamaForCausalLM(transformers.LlamaConfig(
        vocab_size=vocab, hidden_size=16, intermediate_size=32, num_hidden_layers=layers, num_attention_heads=2,
        num_key_value_heads=1))


EXAMPLES = [Example("a", list(range(3, 30)), [0] * 10 + [1] * 17), Example("b", list(range(5, 17)), [0] * 4 + [1] * 8)]


def test_the_packed_sft_loss_equals_the_masked_loss_of_a_padded_batch(tmp_path):
    model = _model(layers=2).eval()
    trainer = SFTTrainer(SFTConfig(output_dir=str(tmp_path), batch_size=2, progress=False, mixed_precision="no"), model, EXAMPLES)
    trainer.steps = [[0, 1]]
    fast = trainer.accumulate(0)["loss"]
    width = max(len(e.ids) for e in EXAMPLES)
    ids = torch.zeros((2, width), dtype=torch.long)
    labels = torch.full((2, width), -100)
    for row, e in enumerate(EXAMPLES):
        ids[row, :len(e.ids)] = torch.tensor(e.ids)
        labels[row, :len(e.ids)] = torch.tensor([t if m else -100 for t, m in zip(e.ids, e.mask)])
    with torch.no_grad():
        logits = model(input_ids=ids, attention_mask=(labels != -100) | (ids != 0)).logits
    keep = labels[:, 1:] != -100
    slow = torch.nn.functional.cross_entropy(logits[:, :-1][keep], labels[:, 1:][keep])
    assert fast == pytest.approx(float(slow), rel=1e-5)


def test_training_stops_at_its_time_limit_and_otherwise_ends_annealed(tmp_path):
    config = SFTConfig(output_dir=str(tmp_path / "cut"), max_steps=50, batch_size=1, progress=False, save_every=0,
                       learning_rate=1e-3, min_lr_ratio=0.1, time_limit_minutes=1e-9)
    trainer = SFTTrainer(config, _model(), EXAMPLES)
    trainer.train()
    assert trainer.stop_reason == "time_limit" and trainer.step <= 1
    assert (tmp_path / "cut" / "model" / "DONE").is_file()  # cut short, but saved
    config = SFTConfig(output_dir=str(tmp_path / "full"), max_steps=50, batch_size=1, progress=False, save_every=0,
                       learning_rate=1e-3, min_lr_ratio=0.1)
    trainer = SFTTrainer(config, _model(), EXAMPLES)
    trainer.train()
    assert trainer.stop_reason == "steps" and trainer.step == 50
    assert trainer.scheduler.get_last_lr()[0] == pytest.approx(1e-3 * 0.1, rel=1e-6)


def test_a_checkpoint_of_another_method_is_refused(tmp_path):
    from curiosa.training.dpo import DPOConfig, DPOTrainer

    sft = SFTTrainer(SFTConfig(output_dir=str(tmp_path), max_steps=2, batch_size=1, progress=False), _model(), EXAMPLES)
    sft.checkpoint()
    pairs = [Example("p", EXAMPLES[0].ids, EXAMPLES[0].mask, EXAMPLES[1].ids, EXAMPLES[1].mask)]
    dpo = DPOTrainer(DPOConfig(output_dir=str(tmp_path), max_steps=2, batch_size=1, progress=False), _model(), pairs)
    with pytest.raises(ValueError, match="checkpoint of 'sft'"):
        dpo.train()
