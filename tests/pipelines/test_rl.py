"""SCoRe's online RL (the pipeline's episode source + the RL trainer) on a tiny random model: what each
attempt is trained on, and exact resume."""

import json
import zlib

import pytest
import torch

from curiosa import envs
from curiosa.models.chat import ChatTokenizer
from curiosa.models.tiny import TinyModelConfig, build_model, train_tokenizer
import curiosa.pipelines.rl as rl_pipeline
from curiosa.pipelines.rl import EpisodeSource, RLConfig
from curiosa.training.base import make_accelerator
from curiosa.training.packing import pack, sequence_logps
from curiosa.training.rl import Phase, RLBatch, RLTrainer, tag_attempts

GROUP = "math_synthetic"


@pytest.fixture(scope="module")
def tokenizer():
    tasks = envs.load_tasks(GROUP, "train")[:40]
    texts = [envs.make(GROUP, task=t).reset(seed=0)[0] for t in tasks]
    texts += ["Thought: 3 + 4 = 7\nAnswer: 7", envs.make(GROUP, task=tasks[0]).revision_prompt]
    return train_tokenizer(texts * 5, vocab_size=600)


def _model(tokenizer, seed=0):
    torch.manual_seed(seed)
    return build_model(tokenizer, TinyModelConfig(hidden_size=32, intermediate_size=64, num_layers=1, num_heads=2,
                                                  num_kv_heads=1, max_position_embeddings=1024))


def _config(tmp_path, **kw):
    settings = dict(output_dir=str(tmp_path), phases=[Phase("stage1", 2), Phase("stage2", 2)], prompts_per_step=2,
                    samples_per_prompt=2, learning_rate=1e-2, save_every=0, progress=False, select_window=1,
                    mixed_precision="no", generation_dtype="float32")  # exact arithmetic, compared by hand
    settings.update(kw)
    config = RLConfig(**settings)
    config.sampling.max_new_tokens = 6
    return config


def ScoreTrainer(config, model, tokenizer, tasks):
    """The RL trainer fed by the pipeline's episode source, as the SCoRe pipeline builds it."""
    accelerator = make_accelerator(config)
    return RLTrainer(config, model, tokenizer, EpisodeSource(config, tasks, tokenizer, accelerator),
                     accelerator=accelerator)


def test_tag_attempts_numbers_each_agent_turn():
    assert tag_attempts([0, 0, 1, 1, 0, 0, 1, 0]) == [0, 0, 1, 1, 0, 0, 2, 0]
    assert tag_attempts([0, 0]) == [0, 0]


def test_config_refuses_settings_rloo_cannot_use():
    with pytest.raises(ValueError, match="samples_per_prompt"):
        RLConfig(samples_per_prompt=1)
    with pytest.raises(ValueError, match="unknown stage"):
        Phase("stage3", 1)
    with pytest.raises(ValueError, match="phases is empty"):
        RLConfig(phases=[])


def _conversation(tokenizer):
    task = envs.load_tasks(GROUP, "train")[0]
    env = envs.make(GROUP, task=task)
    messages = [{"role": "user", "content": env.reset(seed=0)[0]}, {"role": "assistant", "content": "Answer: 3"},
                {"role": "user", "content": env.revision_prompt}, {"role": "assistant", "content": "Answer: 4"},
                {"role": "user", "content": "Your final answer is not correct."}]
    return ChatTokenizer(tokenizer).encode(messages)


@pytest.mark.parametrize("stage", ["stage1", "single_turn"])
def test_gradient_is_reinforce_on_the_credited_attempt_only(tmp_path, tokenizer, stage):
    """At the start (policy = reference) the KL has no gradient, so the step's gradient is exactly
    -sum(advantage x log-prob) over the credited attempt's tokens, divided by the step's episodes."""
    enc = _conversation(tokenizer)
    tags = tag_attempts(enc.agent_mask)
    trained = 1 if stage == "single_turn" else 2
    advantages = [[0.7, 0.0], [0.0, 0.0]] if stage == "single_turn" else [[0.0, 0.7], [0.0, 0.0]]
    model = _model(tokenizer)
    trainer = ScoreTrainer(_config(tmp_path), model, tokenizer, envs.load_tasks(GROUP, "train")[:4])
    batch_tags = [[t if t == trained else 0 for t in tags]] if stage == "single_turn" else [tags]
    import numpy as np

    batch = RLBatch(ids=[enc.input_ids] * 2, tags=batch_tags * 2, r1=np.zeros(2), r2=np.zeros(2))
    trainer.policy_gradient(batch, stage, np.asarray(advantages), global_episodes=2)
    got = {n: p.grad.clone() for n, p in trainer.model.named_parameters()}

    expected_model = _model(tokenizer)
    only = [1 if t == trained else 0 for t in tags]
    sums, _ = sequence_logps(expected_model, pack([(enc.input_ids, only)]))
    (-0.7 * sums.sum() / 2).backward()
    for name, p in expected_model.named_parameters():
        assert torch.allclose(got[name], p.grad, atol=1e-6), name


def _fake_rewards(monkeypatch):
    """Deterministic pseudo-rewards per episode id (a random model never answers right), so steps move weights."""
    def attempts(t):
        return [float(zlib.crc32(f"{t.id}:{t.seed}:1".encode()) % 2),
                float(zlib.crc32(f"{t.id}:{t.seed}:2".encode()) % 2)], ["1", "2"]

    monkeypatch.setattr(rl_pipeline, "attempts", attempts)


def _weights(model):
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def test_run_writes_phases_and_resumes_to_the_same_weights(tmp_path, tokenizer, monkeypatch):
    _fake_rewards(monkeypatch)
    tasks = envs.load_tasks(GROUP, "train")[:6]
    # The random model never writes a readable attempt 1, so only phases that credit attempt 1 move weights.
    settings = dict(phases=[Phase("single_turn", 2), Phase("stage2", 2)], select_best=False)
    full = ScoreTrainer(_config(tmp_path / "full", **settings), _model(tokenizer), tokenizer, tasks)
    final = full.train()
    assert (final / "DONE").is_file()
    records = [l for l in (tmp_path / "full" / "metrics.jsonl").read_text().splitlines()]
    assert len(records) == 4
    for phase in ("phase-1-single_turn", "phase-2-stage2"):
        assert (tmp_path / "full" / phase / "model" / "DONE").is_file()
        assert (tmp_path / "full" / phase / "summary.json").is_file()
    expected = _weights(full.model)
    assert any(not torch.equal(expected[k], v) for k, v in _model(tokenizer).state_dict().items())

    class Killed(Exception):
        pass

    # Checkpoints only at phase ends: killed during step 4, the run resumes from step 2 and redoes step 3.
    interrupted = ScoreTrainer(_config(tmp_path / "resumed", **settings), _model(tokenizer), tokenizer, tasks)
    original = interrupted.accumulate

    def dies_at_step_4(step):
        if step == 3:
            raise Killed
        return original(step)

    interrupted.accumulate = dies_at_step_4
    with pytest.raises(Killed):
        interrupted.train()
    assert (tmp_path / "resumed" / "metrics.jsonl").read_text().count("\n") == 3
    resumed = ScoreTrainer(_config(tmp_path / "resumed", **settings), _model(tokenizer, seed=1), tokenizer, tasks)
    resumed.train()
    assert resumed.step == 4
    got = _weights(resumed.model)
    for k in expected:
        assert torch.allclose(got[k], expected[k], atol=1e-6), k
    steps = [json.loads(line)["step"] for line in (tmp_path / "resumed" / "metrics.jsonl").read_text().splitlines()]
    assert steps == [1, 2, 3, 4]  # step 3 redone, not logged twice


def test_a_finished_run_is_not_trained_again(tmp_path, tokenizer, monkeypatch):
    _fake_rewards(monkeypatch)
    tasks = envs.load_tasks(GROUP, "train")[:4]
    config = _config(tmp_path, phases=[Phase("single_turn", 1)])
    ScoreTrainer(config, _model(tokenizer), tokenizer, tasks).train()
    stamp = (tmp_path / "model" / "DONE").stat().st_mtime_ns
    again = ScoreTrainer(config, _model(tokenizer), tokenizer, tasks)
    again.accumulate = None  # any step would fail
    again.train()
    assert (tmp_path / "model" / "DONE").stat().st_mtime_ns == stamp


def test_a_finished_run_is_reused_only_with_the_same_settings_start_and_problems(tmp_path, tokenizer, monkeypatch):
    _fake_rewards(monkeypatch)
    start = tmp_path / "start"
    _model(tokenizer).save_pretrained(start)
    tokenizer.save_pretrained(start)
    tasks = envs.load_tasks(GROUP, "train")[:4]

    def run(problems=tasks, model=start, **kw):
        config = _config(tmp_path / "run", phases=[Phase("single_turn", 1)], **kw)
        return rl_pipeline.run_rl(config, str(model), problems, dtype="float32")

    final = run()
    stamp = (final / "DONE").stat().st_mtime_ns
    assert run(progress=True, save_every=5, draft_tokens=0) == final  # speed and logging may change
    assert (final / "DONE").stat().st_mtime_ns == stamp
    with pytest.raises(ValueError, match=r"run holds an RL run made with other settings \(learning_rate: 0.01 -> 0.001\)"):
        run(learning_rate=1e-3)
    with pytest.raises(ValueError, match=r"other settings \(tasks.sha256: '[0-9a-f]+' -> '[0-9a-f]+'\)"):
        run(problems=envs.load_tasks(GROUP, "train")[4:8])
    with pytest.raises(ValueError, match=r"model: '.*start' -> '.*elsewhere', reference: "):
        run(model=tmp_path / "elsewhere")


@pytest.mark.slow
def test_two_processes_share_the_problems_and_end_with_the_same_weights(tmp_path, tokenizer, accelerate_launch):
    from pathlib import Path

    model_dir = tmp_path / "model"
    _model(tokenizer).save_pretrained(model_dir)
    tokenizer.save_pretrained(model_dir)
    accelerate_launch([str(Path(__file__).with_name("rl_two_processes.py")), str(model_dir), str(tmp_path / "run")],
                      timeout=600)
    sums = {rank: (tmp_path / "run" / f"checksum-{rank}-of-2.txt").read_text() for rank in (0, 1)}
    assert sums[0] == sums[1]  # gradients were averaged across the processes
    records = (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()
    assert len(records) == 3  # written once, by the main process
    assert any(json.loads(r)["grad_norm"] > 0 for r in records)
    assert (tmp_path / "run" / "model" / "DONE").is_file()


def test_lora_trains_adapters_against_the_adapter_free_model_and_saves_a_merged_model(tmp_path, tokenizer, monkeypatch):
    from peft import LoraConfig as PeftLoraConfig, get_peft_model

    from curiosa.models.loading import LoraConfig, load_model

    _fake_rewards(monkeypatch)
    base = _model(tokenizer)
    before = _weights(base)
    policy = get_peft_model(_model(tokenizer), PeftLoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"],
                                                             lora_dropout=0.0, task_type="CAUSAL_LM"))
    config = _config(tmp_path, phases=[Phase("single_turn", 2), Phase("stage2", 2)], lora=LoraConfig(r=4),
                     learning_rate=0.1, select_best=False)
    trainer = ScoreTrainer(config, policy, tokenizer, envs.load_tasks(GROUP, "train")[:6])
    assert trainer.reference is None  # no second copy: the reference is the policy without its adapters
    final = trainer.train()
    records = [json.loads(l) for l in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    assert records[0]["kl_attempt1"] == pytest.approx(0.0, abs=1e-6)  # adapters start as a no-op
    assert records[-1]["kl_attempt1"] > 0  # trained adapters move the policy away from the reference
    assert (tmp_path / "phase-1-single_turn" / "model" / "adapter_model.safetensors").is_file()
    merged = load_model(final, dtype="float32")
    assert not hasattr(merged, "disable_adapter")  # a plain model
    changed = [k for k, v in merged.state_dict().items() if k in before and not torch.equal(v, before[k])]
    assert changed and all("q_proj" in k or "v_proj" in k for k in changed)
