import torch

from curiosa.rollout.sampling import Sampler
from curiosa.rollout.types import SamplingConfig


def test_draws_follow_the_distribution_and_min_p_removes_the_tail():
    logits = torch.log(torch.tensor([[0.5, 0.3, 0.15, 0.05]])).repeat(20000, 1)
    draws = Sampler(SamplingConfig(temperature=1.0, seed=1))(logits)
    freq = torch.bincount(draws, minlength=4).float() / len(draws)
    assert torch.allclose(freq, torch.tensor([0.5, 0.3, 0.15, 0.05]), atol=0.015)
    # min-p 0.2: tokens below 0.2 x 0.5 = 0.1 are never drawn
    draws = Sampler(SamplingConfig(temperature=1.0, min_p=0.2, seed=1))(logits)
    assert set(draws.tolist()) == {0, 1, 2}


def test_a_seed_fixes_the_draws_and_greedy_takes_the_top():
    logits = torch.randn(64, 100, generator=torch.Generator().manual_seed(0))
    a = Sampler(SamplingConfig(temperature=0.7, seed=3))(logits)
    b = Sampler(SamplingConfig(temperature=0.7, seed=3))(logits)
    assert torch.equal(a, b) and a.max() < 100
    assert torch.equal(Sampler(SamplingConfig(temperature=0.0))(logits), logits.argmax(-1))


def test_temperature_reshapes_before_min_p_and_top_p_cuts_the_nucleus():
    probs = torch.tensor([0.5, 0.3, 0.15, 0.05])
    logits = torch.log(probs).repeat(20000, 1)
    # temperature 0.5 squares the probabilities: [0.25, 0.09, 0.0225, 0.0025] / 0.365
    draws = Sampler(SamplingConfig(temperature=0.5, seed=2))(logits)
    tempered = probs ** 2 / (probs ** 2).sum()
    assert torch.allclose(torch.bincount(draws, minlength=4).float() / len(draws), tempered, atol=0.015)
    # min-p 0.2 on the tempered distribution keeps tokens >= 0.2 x 0.685: only the first two
    draws = Sampler(SamplingConfig(temperature=0.5, min_p=0.2, seed=2))(logits)
    assert set(draws.tolist()) == {0, 1}
    # top-p 0.7: the smallest set of top tokens reaching 0.7 of the mass is {0, 1}
    draws = Sampler(SamplingConfig(temperature=1.0, top_p=0.7, seed=2))(logits)
    assert set(draws.tolist()) == {0, 1}
