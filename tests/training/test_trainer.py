import json
import math

import pytest
import torch

from curiosa.data.encode import Encoder
from curiosa.data.examples import Example, pair_examples, sft_examples
from curiosa.data.sets import DataConfig, build_preference_pairs, build_sft_set
from curiosa.models.loading import load_model
from curiosa.training.dpo import DPOConfig, DPOTrainer
from curiosa.training.packing import pack, sequence_logps
from curiosa.training.sft import SFTConfig, SFTTrainer


def config(tmp_path, kind="sft", **kw):
    base = dict(output_dir=str(tmp_path / "out"), learning_rate=1e-3, batch_size=4, micro_batch_tokens=20_000,
                save_every=0, warmup_ratio=0.0, progress=False, mixed_precision="no")
    base.update(kw)
    if kind == "sft":
        return SFTConfig(**base)
    return DPOConfig(**{"alpha": 0.0 if kind == "dpo" else 1.0, **base})


def trainer_for(kind, cfg, model, examples):
    return SFTTrainer(cfg, model, examples) if kind == "sft" else DPOTrainer(cfg, model, examples)


def accumulate(trainer, indices):
    """One step's gradients over ``indices`` (the trainer plans steps itself; tests pick them)."""
    trainer.steps = [list(indices)]
    return trainer.accumulate(0)


@pytest.fixture()
def model(model_dir):
    return load_model(model_dir, dtype="float32", device="cpu")


@pytest.fixture(scope="module")
def pairs(trajectories):
    pairs, _ = build_preference_pairs(trajectories, DataConfig(min_turn_gap=1))
    assert len(pairs) >= 4
    return pairs


def grads(trainer):
    return {n: p.grad.detach().clone() for n, p in trainer.model.named_parameters() if p.grad is not None}


def test_dpo_loss_is_log2_at_step_0(tmp_path, model, tokenizer, pairs):
    examples = pair_examples(pairs[:4], Encoder.for_tokenizer(tokenizer))
    trainer = DPOTrainer(config(tmp_path, "dpo"), model, examples)
    trainer.compute_reference()
    metrics = accumulate(trainer, range(4))
    assert metrics["dpo_loss"] == pytest.approx(math.log(2), abs=1e-5)
    assert metrics["reward_margin"] == pytest.approx(0.0, abs=1e-5)


def test_a_one_step_run_moves_the_weights_despite_its_warmup_ratio(tmp_path, model, tokenizer, pairs):
    # A curriculum round with a handful of pairs trains one step; a warm-up rounded up to one step ran it
    # at learning rate 0 and the round's model came out identical to its start.
    examples = pair_examples(pairs[:4], Encoder.for_tokenizer(tokenizer))
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    trainer = DPOTrainer(config(tmp_path, "rpo", warmup_ratio=0.04, batch_size=4), model, examples)
    assert len(trainer.steps) == 1
    trainer.train()
    moved = max((p.detach() - before[n]).abs().max().item() for n, p in trainer.model.named_parameters())
    assert moved > 1e-6


def test_rpo_is_dpo_plus_alpha_nll_by_hand(tmp_path, model, tokenizer, pairs):
    enc = Encoder.for_tokenizer(tokenizer)
    (example,) = pair_examples(pairs[:1], enc)
    beta, alpha = 0.3, 0.7
    trainer = DPOTrainer(config(tmp_path, "rpo", beta=beta, alpha=alpha), model, [example])
    trainer.reference = {example.id: (-50.0, -40.0)}  # a reference that differs from the policy
    got = accumulate(trainer, [0])
    # by hand: token sums over the whole trajectory, token-mean NLL of the chosen one
    with torch.no_grad():
        (pc,), (nc,) = sequence_logps(trainer.model, pack([(example.ids, example.mask)]))
        (pr,), _ = sequence_logps(trainer.model, pack([(example.rejected_ids, example.rejected_mask)]))
    logits = beta * ((pc - -50.0) - (pr - -40.0))
    dpo = -torch.nn.functional.logsigmoid(logits)
    nll = -pc / nc
    assert nc == sum(example.mask)
    assert got["dpo_loss"] == pytest.approx(float(dpo), rel=1e-5)
    assert got["loss"] == pytest.approx(float(dpo + alpha * nll), rel=1e-5)


def test_environment_tokens_get_no_gradient_except_as_context(tmp_path, model, tokenizer, trajectories):
    enc = Encoder.for_tokenizer(tokenizer)
    rows, _ = build_sft_set(trajectories)
    (example,) = sft_examples(rows[:1], enc)
    # change the tokens of the final observation (after the last agent token): they are neither
    # trained nor context for any agent token, so no gradient may change
    last_agent = max(i for i, m in enumerate(example.mask) if m)
    tail = len(example.ids) - last_agent - 1
    assert tail > 3
    changed = Example(example.id, example.ids[: last_agent + 1] + [5] * tail, example.mask)
    trainer = SFTTrainer(config(tmp_path), model, [example, changed])
    accumulate(trainer, [0])
    before = grads(trainer)
    accumulate(trainer, [1])
    after = grads(trainer)
    assert all(torch.equal(before[n], after[n]) for n in before)
    # an environment token *before* an agent turn is context: the gradient does change
    first_agent = example.mask.index(1)
    context_changed = Example(example.id, [5] * first_agent + example.ids[first_agent:], example.mask)
    trainer.examples.append(context_changed)
    accumulate(trainer, [2])
    assert any(not torch.equal(before[n], g) for n, g in grads(trainer).items())


@pytest.mark.parametrize("kind", ["sft", "sft-examples", "rpo"])
def test_batch_of_8_equals_2x4_accumulation(tmp_path, model, tokenizer, trajectories, pairs, kind):
    enc = Encoder.for_tokenizer(tokenizer)
    extra = {}
    if kind.startswith("sft"):
        rows, _ = build_sft_set(trajectories)
        examples = sft_examples(rows[:8], enc)
        extra = {"average": "examples"} if kind == "sft-examples" else {}
        kind = "sft"
    else:
        examples = pair_examples((pairs * 2)[:8], enc)
    one = trainer_for(kind, config(tmp_path, kind, batch_size=8, **extra), model, examples)
    if kind != "sft":
        one.compute_reference()
    accumulate(one, range(8))
    whole = grads(one)
    budget = sum(e.tokens for e in examples[:4])  # forces micro-batches of about 4 examples
    split = trainer_for(kind, config(tmp_path, kind, batch_size=8, micro_batch_tokens=budget, **extra), model,
                        examples)
    if kind != "sft":
        split.reference = one.reference
    assert len(split.micro_batches(list(range(8)))) >= 2
    accumulate(split, range(8))
    for name, g in grads(split).items():
        torch.testing.assert_close(g, whole[name], rtol=1e-4, atol=1e-6)


def test_training_without_data_fails_before_building_anything(tmp_path):
    from curiosa.pipelines.train import TrainJob, run_training

    with pytest.raises(ValueError, match="no data"):
        run_training("sft", TrainJob(train=DPOConfig(output_dir=str(tmp_path))))
    with pytest.raises(FileNotFoundError, match="does not exist"):
        run_training("sft", TrainJob(data=[str(tmp_path / "none.jsonl")], train=DPOConfig(output_dir=str(tmp_path))))


@pytest.mark.parametrize("selection, error, message", [
    ({"pairs_only": ["mastermnd"]}, KeyError,
     "mastermnd that neither the data .cellular_automata, mastermind. nor the game registry"),
    ({"reward_ranked": ["bandit"]}, KeyError, "group.s. bandit that neither"),
    ({"groups": ["wordle"]}, ValueError, "names no trained group"),
])
def test_a_selection_naming_groups_the_data_lacks_is_refused_before_the_model_loads(tmp_path, trajectory_file,
                                                                                     selection, error, message):
    from curiosa.pipelines.train import TrainJob, run_training

    job = TrainJob(model=str(tmp_path / "no-model"), data=[str(trajectory_file)], selection=DataConfig(**selection),
                   train=DPOConfig(output_dir=str(tmp_path / "out")))
    with pytest.raises(error, match=message):
        run_training("rpo", job)
    assert not (tmp_path / "out").exists()


def test_pairs_mixed_with_trajectories_are_refused_before_the_model_loads(tmp_path, trajectory_file):
    """The early check reads the files by the same rule as training: unless every file holds pairs (and the
    method takes pairs), every file is read as trajectories."""
    from curiosa.pipelines.train import TrainJob, run_training
    from curiosa.rollout.store import CorruptFileError

    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"chosen": {}, "rejected": {}}) + "\n")
    job = TrainJob(model=str(tmp_path / "no-model"), data=[str(trajectory_file), str(pairs)],
                   train=DPOConfig(output_dir=str(tmp_path / "out")))
    with pytest.raises(CorruptFileError, match="pairs.jsonl:1: unknown trajectory field"):
        run_training("rpo", job)
    assert not (tmp_path / "out").exists()


def test_a_finished_model_is_reused_only_with_the_same_settings_and_data(tmp_path, model_dir, trajectory_file):
    """A rerun skips a finished stage only when it asks for the same thing; speed and logging settings
    may change (a run out of memory resumes with smaller micro-batches)."""
    import shutil

    from curiosa.pipelines.train import TrainJob, run_training

    data = tmp_path / "trajectories.jsonl"
    shutil.copy(trajectory_file, data)

    def job(**train):
        settings = dict(output_dir=str(tmp_path / "sft"), max_steps=1, batch_size=2, save_every=0, progress=False)
        return TrainJob(model=str(model_dir), data=[str(data)], train=DPOConfig(**{**settings, **train}))

    final = run_training("sft", job())
    stamp = (final / "DONE").stat().st_mtime_ns
    assert run_training("sft", job(progress=True, micro_batch_tokens=512, threads=1)) == final
    assert (final / "DONE").stat().st_mtime_ns == stamp
    with pytest.raises(ValueError, match=r"sft holds a training run made with other settings "
                                         r"\(train.learning_rate: 1e-05 -> 0.0001\); resuming would mix them"):
        run_training("sft", job(learning_rate=1e-4))
    with data.open("a") as handle:  # more episodes played into the same file since
        handle.write(trajectory_file.read_text().splitlines()[0] + "\n")
    with pytest.raises(ValueError, match=r"other settings \(data_sha256\..*trajectories.jsonl: '[0-9a-f]+' -> "):
        run_training("sft", job())


def test_a_selection_naming_a_registered_game_absent_from_the_data_is_accepted():
    from curiosa.pipelines.train import check_selection_groups

    check_selection_groups(DataConfig(), {"math_synthetic"})  # the default reward_ranked names bandit_best_arm
    check_selection_groups(DataConfig(groups=["mastermind", "wordle"], pairs_only=["wordle"]), {"mastermind"})


def test_environment_tokens_join_the_loss_only_when_weighted(tmp_path, model, tokenizer, trajectories):
    """env_loss_weight 1 is the plain causal LM loss over every token after the first; 0 is the agent's only."""
    rows, _ = build_sft_set(trajectories)
    examples = sft_examples(rows[:3], Encoder.for_tokenizer(tokenizer))
    agent = accumulate(SFTTrainer(config(tmp_path), model, examples), range(3))
    everything = accumulate(SFTTrainer(config(tmp_path, env_loss_weight=1.0), model, examples), range(3))
    with torch.no_grad():
        nll, n = 0.0, 0
        for e in examples:
            logits = model(torch.tensor([e.ids])).logits[0, :-1]
            nll += float(torch.nn.functional.cross_entropy(logits, torch.tensor(e.ids[1:]), reduction="sum"))
            n += len(e.ids) - 1
    assert everything["loss"] == pytest.approx(nll / n, rel=1e-5)
    assert everything["nll"] == pytest.approx(agent["loss"], rel=1e-5)  # the agent's own loss is still reported
    assert agent["loss"] != pytest.approx(everything["loss"], rel=1e-3)


@pytest.mark.parametrize("env_loss_weight", [0.0, 0.5])
def test_averaging_over_examples_gives_each_conversation_its_own_mean(tmp_path, model, tokenizer, trajectories,
                                                                       env_loss_weight):
    rows, _ = build_sft_set(trajectories)
    by_length = {sum(e.mask): e for e in sft_examples(rows, Encoder.for_tokenizer(tokenizer))}
    examples = [by_length[n] for n in sorted(by_length)[:3]]  # lengths differ, so the two averages differ
    cfg = dict(env_loss_weight=env_loss_weight)
    tokens = accumulate(SFTTrainer(config(tmp_path, **cfg), model, examples), range(3))
    per_example = accumulate(SFTTrainer(config(tmp_path, average="examples", **cfg), model, examples), range(3))
    sums, counts = [], []
    with torch.no_grad():
        for e in examples:
            logits = model(torch.tensor([e.ids])).logits[0, :-1]
            nll = torch.nn.functional.cross_entropy(logits, torch.tensor(e.ids[1:]), reduction="none")
            weights = torch.tensor([1.0 if m else env_loss_weight for m in e.mask[1:]])
            sums.append(float((weights * nll).sum()))
            counts.append(float(weights.sum()))
    example_mean = sum(s / n for s, n in zip(sums, counts)) / 3
    token_mean = sum(sums) / sum(counts)
    assert tokens["loss"] == pytest.approx(token_mean, rel=1e-6)
    # a random model's NLL is nearly the same at every token, so the two means differ only a little
    assert abs(per_example["loss"] - example_mean) < abs(example_mean - token_mean) / 10
    assert per_example["nll"] == pytest.approx(tokens["nll"], rel=1e-6)  # the reported NLL stays the token mean


def test_an_unknown_average_is_refused():
    with pytest.raises(ValueError, match="average must be one of tokens, examples, got 'sequence'"):
        SFTConfig(output_dir="x", average="sequence")


def test_sharing_a_pairs_prefix_changes_neither_the_losses_nor_the_gradients(tmp_path, model, tokenizer, pairs):
    examples = pair_examples(pairs[:6], Encoder.for_tokenizer(tokenizer))
    results = []
    for share in (False, True):
        trainer = DPOTrainer(config(tmp_path / str(share), "rpo", batch_size=6, share_prefix=share), model, examples)
        trainer.compute_reference()
        results.append((trainer, accumulate(trainer, range(6)), grads(trainer)))
    (alone, m_alone, g_alone), (shared, m_shared, g_shared) = results
    assert sum(shared.shared) > 0 and alone.shared == [0] * 6  # the pairs share their prompts
    for key in ("loss", "dpo_loss", "nll", "reward_margin"):
        assert m_shared[key] == pytest.approx(m_alone[key], abs=1e-5)
    for i in range(6):
        assert shared.reference[examples[i].id] == pytest.approx(alone.reference[examples[i].id], rel=1e-5)
    for name, g in g_shared.items():
        torch.testing.assert_close(g, g_alone[name], rtol=1e-4, atol=1e-6)


def test_unlikelihood_adds_the_mean_of_minus_log_one_minus_p_over_the_avoided_tokens(tmp_path, model, tokenizer,
                                                                                      trajectories):
    rows, _ = build_sft_set(trajectories)
    examples = sft_examples(rows[:3], Encoder.for_tokenizer(tokenizer))
    for k, e in enumerate(examples):
        trained = [t for t in range(1, len(e.ids)) if e.mask[t]]
        e.avoid = [(t, (e.ids[t] + 1 + k) % len(tokenizer)) for t in trained[:: 3 + k]]
    plain = accumulate(SFTTrainer(config(tmp_path), model, examples), range(3))
    marked = accumulate(SFTTrainer(config(tmp_path, unlikelihood=0.5), model, examples), range(3))
    terms = []
    with torch.no_grad():
        for e in examples:
            logp = model(torch.tensor([e.ids])).logits[0].log_softmax(-1)
            terms += [-math.log1p(-math.exp(float(logp[t - 1, token]))) for t, token in e.avoid]
    assert plain["nll"] == pytest.approx(marked["nll"], rel=1e-6) and "avoided_p" not in plain
    assert marked["loss"] == pytest.approx(plain["loss"] + 0.5 * sum(terms) / len(terms), rel=1e-5)
    assert 0 < marked["avoided_p"] < 1


def test_unlikelihood_training_makes_the_avoided_tokens_less_likely(tmp_path, model_dir):
    """Two conversations share a prefix, then part (x or y); the first avoids y where they part. Imitation
    alone learns x and y about equally likely there; with the unlikelihood term y falls well below x."""
    prefix, x, y = [11, 12, 13, 14, 15, 16], 21, 22
    examples = [Example("a", prefix + [x, 30, 31], [0] + [1] * 8, avoid=[(6, y)]),
                Example("b", prefix + [y, 30, 31], [0] + [1] * 8)]
    odds = {}
    for weight in (0.0, 2.0):
        trained = load_model(model_dir, dtype="float32", device="cpu")
        cfg = config(tmp_path / str(weight), unlikelihood=weight, max_steps=40, learning_rate=3e-3, batch_size=2)
        SFTTrainer(cfg, trained, examples).train()
        with torch.no_grad():
            logp = trained(torch.tensor([prefix])).logits[0, -1].log_softmax(-1)
        odds[weight] = float(logp[y] - logp[x])
    assert abs(odds[0.0]) < 0.5 and odds[2.0] < -1.0


def test_a_negative_or_idle_unlikelihood_is_refused(tmp_path, model):
    with pytest.raises(ValueError, match="unlikelihood must not be negative, got -1.0"):
        SFTConfig(output_dir="x", unlikelihood=-1.0)
    with pytest.raises(ValueError, match="unlikelihood=1.0, but no example marks a token to avoid"):
        SFTTrainer(config(tmp_path, unlikelihood=1.0), model, [Example("a", [1, 2, 3], [0, 1, 1])])
