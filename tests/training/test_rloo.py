import pytest
import torch

from curiosa.training.rloo import attempt_rewards, kl_penalty, rloo_advantages


def test_rloo_baseline_is_the_mean_of_the_other_samples():
    rewards = torch.tensor([[1.0, 0.0, 0.0, 0.0], [1.0, 1.0, 0.0, 1.0]])
    adv = rloo_advantages(rewards)
    assert torch.allclose(adv[0], torch.tensor([1.0, -1 / 3, -1 / 3, -1 / 3]))
    assert torch.allclose(adv[1], torch.tensor([1 / 3, 1 / 3, -1.0, 1 / 3]))
    assert torch.allclose(adv.sum(dim=1), torch.zeros(2), atol=1e-6)  # no net push when every sample counts


def test_rloo_gives_nothing_when_all_samples_agree():
    assert torch.equal(rloo_advantages(torch.ones(3, 4)), torch.zeros(3, 4))


@pytest.mark.parametrize("shape", [(4,), (3, 1)])
def test_rloo_refuses_a_single_sample(shape):
    with pytest.raises(ValueError, match="k >= 2"):
        rloo_advantages(torch.zeros(shape))


def test_each_stage_credits_each_attempt_with_its_own_reward():
    r1 = torch.tensor([0.0, 0.0, 1.0, 1.0])
    r2 = torch.tensor([0.0, 1.0, 0.0, 1.0])
    a1, a2 = attempt_rewards("stage1", r1, r2, alpha=10)
    assert a1.tolist() == [0, 0, 0, 0] and a2.tolist() == [0, 1, 0, 1]
    a1, a2 = attempt_rewards("stage2", r1, r2, alpha=10)
    assert a1.tolist() == [0, 0, 1, 1]
    assert a2.tolist() == [0, 11, -10, 1]  # fixing pays, breaking costs
    a1, a2 = attempt_rewards("stage2", r1, r2, alpha=0)
    assert a2.tolist() == r2.tolist()
    a1, a2 = attempt_rewards("single_turn", r1, r2, alpha=10)
    assert a1.tolist() == r1.tolist() and a2.tolist() == [0, 0, 0, 0]
    with pytest.raises(ValueError, match="unknown stage"):
        attempt_rewards("stage3", r1, r2, alpha=1)


def test_kl_penalty_is_zero_with_zero_gradient_at_the_reference_and_positive_elsewhere():
    ref = torch.log(torch.tensor([0.5, 0.2, 0.9]))
    pi = ref.clone().requires_grad_(True)
    kl = kl_penalty(pi, ref)
    kl.sum().backward()
    assert torch.allclose(kl, torch.zeros(3)) and torch.allclose(pi.grad, torch.zeros(3))
    moved = kl_penalty(ref + torch.tensor([0.3, -0.4, 0.05]), ref)
    assert (moved > 0).all()
