"""Training throughput: curiosa's SFT and RPO, and RPO against TRL's DPOTrainer on the same pairs and model.

    pip install "trl>=1.16"
    python benchmarks/train.py --model default          # the issue's figure: the embedded default model
    python benchmarks/train.py --model smollm2-135m-instruct   # a catalogue model (pulled once)
    python benchmarks/train.py --model fresh            # a fresh tiny model: a quick check of the script
    python benchmarks/train.py --model PATH             # any local HF causal LM directory

Without ``--model``: the default model when it is built, else a fresh tiny model (building the default
model takes about 35 minutes; ``--model default`` does it).

**What runs.** Each run is a process of its own (so its peak memory, ru_maxrss, is its own), from the
same starting weights, with the same thread count, the same number of optimizer steps and examples per
step, learning rate and schedule:

* ``sft``: curiosa's ``SFTTrainer`` on the SFT rows (successful episodes) of the same scripted play,
  ``--batch-size`` conversations per step;
* ``rpo``: curiosa's ``DPOTrainer`` with alpha > 0 (RPO) on the preference pairs, ``--batch-size`` pairs
  per step, sequences packed end to end, agent tokens trained;
* ``trl``: TRL's ``DPOTrainer`` with ``loss_type=["sigmoid", "sft"]``, ``loss_weights=[1, alpha]``
  (RPO), ``precompute_ref_log_probs=True``, on the conversational dataset of ``to_trl_preference``
  rendered with the tokenizer's chat template. TRL pads each forward pass to its longest sequence (its
  ``padding_free`` is disabled in TRL 1.16), trains every completion token (environment turns too) and
  scores the language-model head at every position. No gradient checkpointing.

Both RPO runs compute the reference log-probabilities once, before training. curiosa's runs use
micro-batches of at most 4096 tokens (``--micro-batch-tokens``, the trainers' default), about what TRL
runs per forward pass here (one pair, padded).

**Precision** (``--precision``, default bf16 where the CPU computes it natively, else fp32): weights
stay float32 (the master copy the optimizer updates) in both; ``bf16`` runs the forward passes under
bf16 autocast: curiosa with ``mixed_precision="bf16"``, TRL with ``bf16=True`` (both through
accelerate's CPU autocast). Every run records the dtype of one projection's output in the reference
pass and in training (a forward hook), and the weights' dtype after training, and prints them: bf16
outputs with float32 weights show that autocast really ran.

**What is timed.** Throughput counts the real, unpadded tokens of every sequence the training steps
process (chosen and rejected for RPO):

* ``train``: those tokens / wall time of the training steps only;
* ``end-to-end``: those tokens / (reference precomputation + training steps); ``speedup_vs_trl`` is the
  end-to-end ratio (curiosa RPO / TRL).

curiosa: ``compute_reference()`` is timed alone, then ``train()`` without its final save (timed apart).
TRL (public API only): it precomputes the reference inside its constructor, after ``Trainer.__init__``.
A ``TrainerCallback``'s ``on_init_end`` marks that point: from the constructor's start to it is
tokenization and set-up; from it to the constructor's return is the reference precomputation (with the
weight hash that keys TRL's cache of it, under a second for a 135M model, and the fused-head patch);
``train()`` is timed as a whole (``save_strategy="no"``: it saves nothing). Tokenization, model loading
and saving are in neither figure.

**Fraction of the machine.** The same run times a 2048 x 2048 x 2048 matrix product in the chosen
precision with the runs' thread count (the best of a few, before and after the runs), and each run's
matmul FLOPs are divided by its time and by that rate. The FLOPs count useful work only (padding is
never counted), with B the model's weights outside the embedding and the language-model head, d its
width, V its vocabulary, L its layers and A its attention width (heads x head size):

    FLOPs = k * (2 * B * tokens  +  2 * d * V * scored  +  4 * L * A * sum over sequences of n(n+1)/2)

k = 3 for a training pass (forward and backward), 1 for the reference pass; ``tokens`` the real tokens;
``scored`` the positions where the head is computed: curiosa only at positions that predict a trained
(agent) token, TRL at every position of every sequence; the last term is causal attention (QK^T and
AV) over sequences of n tokens. Elementwise work, norms, softmax and the optimizer are not counted.

**Same work.** The first-step losses of the timed runs differ by definition (curiosa trains agent
tokens, TRL every completion token). So a ``check`` run gives curiosa's ``DPOTrainer`` exactly the
sequences and trained tokens of TRL's first optimizer step (recorded by TRL's collator during its run),
computes the reference and the losses of TRL's micro-batches with the starting weights and averages
them as TRL's gradient accumulation does; that loss must equal TRL's logged first-step loss to rounding,
and the reference log-probs TRL's own.

The pairs and SFT rows come from scripted "noisy" players of several games (no model needed). The last
line printed is a JSON object with speedup_vs_trl and the figures of each run.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_GAMES = ["wordle", "mastermind", "battleship", "minesweeper", "cellular_automata", "bandit_best_arm",
                 "twenty_questions", "guess_my_city", "customer_service", "murder_mystery"]
LOSS_TOLERANCE = {"bf16": 1e-2, "fp32": 1e-4}
"""Largest relative difference of the first-step losses that counts as rounding."""


# ------------------------------------------------------------------------------------------ data
def _tokenizer_for_data(args):
    """A tokenizer trained on scripted play of the games (a separate, small set of episodes)."""
    from curiosa import envs
    from curiosa.models.tiny import train_tokenizer
    from curiosa.rollout.backends.scripted import ScriptedBackend
    from curiosa.rollout.engine import EngineConfig, RolloutEngine, make_jobs

    tasks = [t for g in args.games for t in envs.load_tasks(g, "train")[-3:]]
    engine = RolloutEngine(ScriptedBackend("noisy", seed=args.seed + 1), config=EngineConfig(progress=False))
    texts = [m["content"] for t in engine.run(make_jobs(tasks, 3, seed=args.seed + 1)) for m in t.messages]
    return train_tokenizer(texts, vocab_size=args.vocab)


def _interleave(per_game: dict[str, list], n: int) -> list:
    """The first ``n`` items, the games taking turns."""
    mixed = []
    for i in range(max((len(v) for v in per_game.values()), default=0)):
        mixed += [v[i] for v in per_game.values() if i < len(v)]
    return mixed[:n]


def _make_data(args, tokenizer) -> tuple[list, list]:
    """At least ``args.pairs`` preference pairs and ``args.sft_rows`` SFT rows (successful episodes) from the
    same noisy scripted play, the games taking turns."""
    from curiosa import envs
    from curiosa.data.sets import DataConfig, build_preference_pairs, build_sft_set
    from curiosa.models.chat import ChatTokenizer
    from curiosa.rollout.backends.scripted import ScriptedBackend
    from curiosa.rollout.engine import EngineConfig, RolloutEngine, make_jobs

    engine = RolloutEngine(ScriptedBackend("noisy", chat=ChatTokenizer(tokenizer), seed=args.seed),
                           config=EngineConfig(progress=False))
    pairs: dict[str, list] = {g: [] for g in args.games}
    rows: dict[str, list] = {g: [] for g in args.games}
    data = DataConfig(seed=args.seed, max_tokens=args.max_tokens)
    start, block = 0, max(1, math.ceil(max(args.pairs, args.sft_rows) / len(args.games) * 1.25))

    def short(per_game: dict[str, list], n: int) -> bool:
        return sum(min(len(v), n) for v in per_game.values()) < n

    while short(pairs, args.pairs) or short(rows, args.sft_rows):
        tasks = [t for g in args.games for t in envs.load_tasks(g, "train")[start:start + block]]
        if not tasks:
            raise SystemExit(f"not enough tasks for {args.pairs} pairs and {args.sft_rows} SFT rows in {args.games}")
        trajectories = engine.run(make_jobs(tasks, args.samples_per_task, seed=args.seed))
        for p in build_preference_pairs(trajectories, data)[0]:
            pairs[p.chosen.group].append(p)
        for t in build_sft_set(trajectories, data)[0]:
            rows[t.group].append(t)
        start += block
    return _interleave(pairs, args.pairs), _interleave(rows, args.sft_rows)


def _default_model_built() -> bool:
    from curiosa.pipelines.warm_start import default_model_dir, is_complete

    return is_complete(default_model_dir())


def prepare(args, workdir: Path) -> dict:
    """Write the starting model (with its tokenizer), the pairs and the SFT rows into ``workdir``."""
    import torch

    torch.set_num_threads(args.threads)
    from curiosa.data.sets import save_jsonl

    if args.model == "fresh":
        from curiosa.models.tiny import TinyModelConfig, build_model

        tokenizer = _tokenizer_for_data(args)
        shape = TinyModelConfig(vocab_size=args.vocab, hidden_size=args.hidden, intermediate_size=args.intermediate,
                                num_layers=args.layers, num_heads=args.heads, num_kv_heads=args.kv_heads,
                                max_position_embeddings=args.max_positions)
        model = build_model(tokenizer, shape, seed=args.seed)
        model_dir = workdir / "model"
        model.save_pretrained(model_dir)
        tokenizer.save_pretrained(model_dir)
    else:
        from curiosa.models.loading import load_tokenizer, resolve_source

        path = args.model
        if path == "default":
            from curiosa.pipelines.warm_start import ensure_default_model

            path = str(ensure_default_model())
        model_dir = Path(resolve_source(path))  # a catalogue name: the directory it was pulled into
        tokenizer = load_tokenizer(model_dir)
    pairs, rows = _make_data(args, tokenizer)
    save_jsonl(pairs, workdir / "pairs.jsonl")
    save_jsonl(rows, workdir / "sft.jsonl")
    (workdir / "model_dir.txt").write_text(str(model_dir))
    return {"model_dir": str(model_dir), "pairs": len(pairs), "sft_rows": len(rows)}


def _load(args, workdir: Path):
    import torch

    from curiosa.models.loading import load_model, load_tokenizer

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model_dir = (workdir / "model_dir.txt").read_text()
    tokenizer = load_tokenizer(model_dir)
    model = load_model(model_dir, dtype="float32", device="cpu", tokenizer=tokenizer)
    return tokenizer, model


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


# ------------------------------------------------------------------------------------------ FLOPs
def _shape(model) -> dict:
    """What the FLOPs formula needs of the model (see the module docstring)."""
    cfg = model.config.get_text_config()
    head = model.get_output_embeddings()
    outside = {id(p) for m in (model.get_input_embeddings(), head) for p in m.parameters()}
    heads = cfg.num_attention_heads
    head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // heads
    return {"body_params": sum(p.numel() for p in model.parameters() if id(p) not in outside),
            "all_params": sum(p.numel() for p in model.parameters()),
            "width": cfg.hidden_size, "vocab": head.weight.shape[0], "layers": cfg.num_hidden_layers,
            "attention_width": heads * head_dim}


class Work:
    """Real tokens, head-scored positions and causal attention pairs of a set of sequences."""

    def __init__(self) -> None:
        self.tokens = 0
        self.scored = 0
        self.attention_pairs = 0

    def add(self, length: int, scored: int) -> None:
        self.tokens += length
        self.scored += scored
        self.attention_pairs += length * (length + 1) // 2

    def flops(self, shape: dict, passes: int) -> float:
        """``passes``: 1 for a forward pass, 3 for forward and backward."""
        return passes * (2.0 * shape["body_params"] * self.tokens
                         + 2.0 * shape["width"] * shape["vocab"] * self.scored
                         + 4.0 * shape["layers"] * shape["attention_width"] * self.attention_pairs)


def _curiosa_work(examples, indices) -> Work:
    """curiosa scores the head only where a trained (agent) token is predicted."""
    work = Work()
    for i in indices:
        e = examples[i]
        for ids, mask in ((e.ids, e.mask), (e.rejected_ids, e.rejected_mask)):
            if ids is not None:
                work.add(len(ids), sum(1 for m in mask[1:] if m))
    return work


def machine_matmul_gflops(precision: str, threads: int) -> float:
    """The best rate of a 2048^3 matrix product in ``precision`` on ``threads`` threads."""
    import torch

    from _machine import matmul_gflops

    return matmul_gflops(torch.bfloat16 if precision == "bf16" else torch.float32, threads)


# ------------------------------------------------------------------------------------------ dtype probe
class DtypeProbe:
    """Records the output dtype of one projection of the model in each phase (a forward hook), to show
    whether autocast ran."""

    def __init__(self, model) -> None:
        import torch

        head = model.get_output_embeddings()
        first = next(m for m in model.modules() if isinstance(m, torch.nn.Linear) and m is not head)
        self.phase = "other"
        self.seen: dict[str, set[str]] = {}
        self.handle = first.register_forward_hook(self._hook)

    def _hook(self, module, inputs, output) -> None:
        self.seen.setdefault(self.phase, set()).add(str(output.dtype).replace("torch.", ""))

    def report(self, model) -> dict:
        self.handle.remove()
        out = {phase: "/".join(sorted(d)) for phase, d in self.seen.items()}
        out["weights"] = "/".join(sorted({str(p.dtype).replace("torch.", "") for p in model.parameters()}))
        return out


def _precision_setting(args) -> str:
    return "bf16" if args.precision == "bf16" else "no"


class _TimedSave:
    """Times the final save of a curiosa trainer apart (it is part of ``train()``)."""

    def __init__(self, trainer) -> None:
        self.seconds = 0.0
        self.original = trainer.save_model
        trainer.save_model = self

    def __call__(self, *a, **k):
        t0 = time.perf_counter()
        self.original(*a, **k)
        self.seconds += time.perf_counter() - t0


def _first_last_loss(out: Path) -> tuple[float, float]:
    records = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines() if line.strip()]
    return records[0]["loss"], records[-1]["loss"]


# ------------------------------------------------------------------------------------------ curiosa
def _packing(args) -> dict:
    return {k: v for k, v in (("micro_batch_tokens", args.micro_batch_tokens), ("row_tokens", args.row_tokens))
            if v is not None}  # unset: the trainer's defaults


def run_rpo(args, workdir: Path) -> dict:
    from curiosa.data.encode import Encoder
    from curiosa.data.examples import pair_examples
    from curiosa.data.sets import load_pairs
    from curiosa.training.dpo import DPOConfig, DPOTrainer

    t0 = time.perf_counter()
    tokenizer, model = _load(args, workdir)
    load_s = time.perf_counter() - t0
    shape = _shape(model)

    t0 = time.perf_counter()
    examples = pair_examples(load_pairs(workdir / "pairs.jsonl"), Encoder.for_tokenizer(tokenizer))
    out = workdir / "rpo_out"
    config = DPOConfig(output_dir=str(out), learning_rate=args.lr, max_steps=args.steps, batch_size=args.batch_size,
                       beta=args.beta, alpha=args.alpha, mixed_precision=_precision_setting(args), save_every=0,
                       seed=args.seed, threads=args.threads, progress=False, **_packing(args))
    trainer = DPOTrainer(config, model, examples, tokenizer=tokenizer)
    probe = DtypeProbe(model)
    prep_s = time.perf_counter() - t0

    probe.phase = "reference"
    t0 = time.perf_counter()
    trainer.compute_reference()
    ref_s = time.perf_counter() - t0

    probe.phase = "train"
    save = _TimedSave(trainer)
    t0 = time.perf_counter()
    trainer.train()  # the reference is already stored: train() reads it back
    train_s = time.perf_counter() - t0 - save.seconds

    trained = [i for step in trainer.steps for i in step]
    work = _curiosa_work(examples, trained)
    ref_work = _curiosa_work(examples, range(len(examples)))
    micro = [trainer.micro_batches(trainer.local_share(step)) for step in trainer.steps]
    slots = 0  # token slots of the packed rows (in the rows layout their short tails are padding)
    for group in (g for groups in micro for g in groups):
        seqs = [(examples[i].ids, examples[i].mask) for i in group]
        seqs += [(examples[i].rejected_ids, examples[i].rejected_mask) for i in group]
        slots += _packed_slots(seqs, config)
    first, last = _first_last_loss(out)
    return {"framework": "curiosa", "tokens": work.tokens, "padded_tokens": slots, "ref_tokens": ref_work.tokens,
            "train_flops": work.flops(shape, 3), "ref_flops": ref_work.flops(shape, 1),
            "scored_fraction": work.scored / work.tokens,
            "load_s": load_s, "prep_s": prep_s, "ref_s": ref_s, "train_s": train_s, "save_s": save.seconds,
            "steps": trainer.step, "forward_passes_per_step": sum(len(m) for m in micro) / len(micro),
            "micro_batch_tokens": config.micro_batch_tokens, "row_tokens": config.row_tokens,
            "first_loss": first, "last_loss": last, "dtypes": probe.report(model), "shape": shape,
            "peak_rss_mb": _rss_mb()}


def run_sft(args, workdir: Path) -> dict:
    from curiosa.data.encode import Encoder
    from curiosa.data.examples import sft_examples
    from curiosa.rollout.store import load_trajectories
    from curiosa.training.sft import SFTConfig, SFTTrainer

    t0 = time.perf_counter()
    tokenizer, model = _load(args, workdir)
    load_s = time.perf_counter() - t0
    shape = _shape(model)

    t0 = time.perf_counter()
    examples = sft_examples(load_trajectories(workdir / "sft.jsonl"), Encoder.for_tokenizer(tokenizer))
    out = workdir / "sft_out"
    config = SFTConfig(output_dir=str(out), learning_rate=args.lr, max_steps=args.steps, batch_size=args.batch_size,
                       mixed_precision=_precision_setting(args), save_every=0, seed=args.seed, threads=args.threads,
                       progress=False, **_packing(args))
    trainer = SFTTrainer(config, model, examples, tokenizer=tokenizer)
    probe = DtypeProbe(model)
    prep_s = time.perf_counter() - t0

    probe.phase = "train"
    save = _TimedSave(trainer)
    t0 = time.perf_counter()
    trainer.train()
    train_s = time.perf_counter() - t0 - save.seconds

    work = _curiosa_work(examples, [i for step in trainer.steps for i in step])
    first, last = _first_last_loss(out)
    return {"framework": "curiosa-sft", "tokens": work.tokens, "train_flops": work.flops(shape, 3),
            "scored_fraction": work.scored / work.tokens, "load_s": load_s, "prep_s": prep_s,
            "train_s": train_s, "save_s": save.seconds, "steps": trainer.step,
            "first_loss": first, "last_loss": last, "dtypes": probe.report(model), "peak_rss_mb": _rss_mb()}


def _packed_slots(seqs, config) -> int:
    """Token slots (real tokens and padding) of the rows curiosa packs ``seqs`` into."""
    from curiosa.training.packing import pack

    return int(pack(seqs, row_tokens=config.row_tokens).input_ids.numel())


# ------------------------------------------------------------------------------------------ TRL
class _CountingCollator:
    """Wraps TRL's collator: counts the real and padded token slots of every batch, the work they hold
    (TRL scores the head at every position of a sequence), and keeps the examples of the first
    ``keep_batches`` batches (the first optimizer step) for the check."""

    def __init__(self, inner, keep_batches: int):
        self.inner = inner
        self.slots = 0
        self.batches = 0
        self.work = Work()
        self.keep_batches = keep_batches
        self.first_step: list[list[dict]] = []

    def __call__(self, examples):
        batch = self.inner(examples)
        if self.batches < self.keep_batches:
            keys = ("prompt_ids", "chosen_ids", "rejected_ids", "ref_chosen_logps", "ref_rejected_logps")
            self.first_step.append([{k: e[k] for k in keys} for e in examples])
        for length in batch["attention_mask"].sum(dim=1).tolist():
            self.work.add(int(length), int(length) - 1)
        self.slots += int(batch["input_ids"].numel())
        self.batches += 1
        return batch


def run_trl(args, workdir: Path) -> dict:
    import trl
    from datasets import Dataset
    from transformers import TrainerCallback
    from trl import DPOConfig, DPOTrainer

    from curiosa.data.sets import load_pairs, to_trl_preference

    class InitEnd(TrainerCallback):
        """Marks the end of ``Trainer.__init__``, after which TRL's constructor precomputes the reference."""

        at = None

        def on_init_end(self, args, state, control, **kwargs):
            InitEnd.at = time.perf_counter()

    t0 = time.perf_counter()
    tokenizer, model = _load(args, workdir)
    load_s = time.perf_counter() - t0
    shape = _shape(model)
    probe = DtypeProbe(model)

    per_device = min(args.trl_per_device_batch, args.batch_size)
    if args.batch_size % per_device:
        raise SystemExit(f"--trl-per-device-batch {per_device} does not divide --batch-size {args.batch_size}")
    accumulation = args.batch_size // per_device
    dataset = Dataset.from_list(to_trl_preference(load_pairs(workdir / "pairs.jsonl")))
    bf16 = args.precision == "bf16"
    # transformers 5 renamed gradient checkpointing (the old name warns); TRL turns it on by default
    names = {f.name for f in dataclasses.fields(DPOConfig)}
    checkpointing = "activation_checkpointing" if "activation_checkpointing" in names else "gradient_checkpointing"
    config = DPOConfig(
        output_dir=str(workdir / "trl_out"), use_cpu=True, bf16=bf16, fp16=False, **{checkpointing: False},
        per_device_train_batch_size=per_device, gradient_accumulation_steps=accumulation,
        max_steps=args.steps, learning_rate=args.lr, lr_scheduler_type="cosine",
        warmup_steps=math.floor(0.04 * args.steps), weight_decay=0.0, max_grad_norm=1.0,
        beta=args.beta, loss_type=["sigmoid", "sft"], loss_weights=[1.0, args.alpha],
        precompute_ref_log_probs=True, max_length=None, padding_free=False,
        logging_steps=1, save_strategy="no", report_to="none", disable_tqdm=True,
        dataloader_num_workers=0, seed=args.seed,
    )
    probe.phase = "reference"  # the constructor's forward passes are the reference precomputation
    t0 = time.perf_counter()
    trainer = DPOTrainer(model=model, args=config, train_dataset=dataset, processing_class=tokenizer,
                         callbacks=[InitEnd()])
    end = time.perf_counter()
    if InitEnd.at is None or "ref_chosen_logps" not in trainer.train_dataset.column_names:
        raise SystemExit(f"TRL {trl.__version__}: the reference was not precomputed in the constructor after "
                         "Trainer.__init__; this benchmark times it there (written for TRL 1.16)")
    prep_s, ref_s = InitEnd.at - t0, end - InitEnd.at
    ref_work = Work()
    for r in trainer.train_dataset:
        for completion in (r["chosen_ids"], r["rejected_ids"]):
            n = len(r["prompt_ids"]) + len(completion)
            ref_work.add(n, n - 1)
    counter = _CountingCollator(trainer.data_collator, keep_batches=accumulation)
    trainer.data_collator = counter

    probe.phase = "train"
    t0 = time.perf_counter()
    trainer.train()
    train_s = time.perf_counter() - t0
    (workdir / "trl_first_step.json").write_text(json.dumps(counter.first_step))
    losses = [h["loss"] for h in trainer.state.log_history if "loss" in h]
    return {"framework": "trl", "trl_version": trl.__version__, "tokens": counter.work.tokens,
            "padded_tokens": counter.slots, "ref_tokens": ref_work.tokens,
            "train_flops": counter.work.flops(shape, 3), "ref_flops": ref_work.flops(shape, 1),
            "scored_fraction": counter.work.scored / counter.work.tokens,
            "load_s": load_s, "prep_s": prep_s, "ref_s": ref_s, "train_s": train_s, "save_s": 0.0,
            "steps": trainer.state.global_step,
            "forward_passes_per_step": counter.batches / max(1, trainer.state.global_step),
            "first_loss": losses[0] if losses else None, "last_loss": losses[-1] if losses else None,
            "dtypes": probe.report(model), "peak_rss_mb": _rss_mb(), "trl_per_device_batch": per_device,
            "trl_padding_free": bool(getattr(trainer, "padding_free", False))}


# ------------------------------------------------------------------------------------------ same-work check
def run_check(args, workdir: Path) -> dict:
    """curiosa's DPOTrainer on exactly TRL's first-step sequences, trained tokens and micro-batches."""
    import torch

    from curiosa.data.examples import Example
    from curiosa.training.dpo import DPOConfig, DPOTrainer

    _, model = _load(args, workdir)
    batches = json.loads((workdir / "trl_first_step.json").read_text())
    examples, groups, trl_ref = [], [], []
    for batch in batches:
        groups.append([])
        for row in batch:
            prompt, chosen, rejected = row["prompt_ids"], row["chosen_ids"], row["rejected_ids"]
            groups[-1].append(len(examples))  # TRL trains every completion token, none of the prompt's
            examples.append(Example(f"trl-{len(examples)}", prompt + chosen, [0] * len(prompt) + [1] * len(chosen),
                                    prompt + rejected, [0] * len(prompt) + [1] * len(rejected)))
            trl_ref.append((row["ref_chosen_logps"], row["ref_rejected_logps"]))
    config = DPOConfig(output_dir=str(workdir / "check_out"), max_steps=1, batch_size=len(examples),
                       beta=args.beta, alpha=args.alpha, mixed_precision=_precision_setting(args), save_every=0,
                       seed=args.seed, threads=args.threads, progress=False)
    trainer = DPOTrainer(config, model, examples)
    trainer.compute_reference()
    trainer.model.train()
    with torch.no_grad():  # TRL averages its micro-batches' losses (gradient accumulation)
        losses = [trainer.loss(g, trainer.step_totals(g))[0].item() for g in groups]
    ref_diff = max(abs(a - b) / max(1.0, abs(b)) for e, theirs in zip(examples, trl_ref)
                   for a, b in zip(trainer.reference[e.id], theirs))
    return {"framework": "check", "first_loss": sum(losses) / len(losses), "pairs": len(examples),
            "reference_rel_diff": ref_diff}


# ------------------------------------------------------------------------------------------ driver
RUNNERS = {"sft": run_sft, "rpo": run_rpo, "trl": run_trl, "check": run_check}


def _child(args, mode: str, workdir: Path) -> dict:
    cmd = [sys.executable, os.path.abspath(__file__), "--mode", mode, "--workdir", str(workdir),
           "--precision", args.precision, *args.passthrough]
    env = {**os.environ, "TQDM_DISABLE": "1", "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1",
           "TOKENIZERS_PARALLELISM": "false", "OMP_NUM_THREADS": str(args.threads),
           "HF_DATASETS_CACHE": str(workdir / f"hf_datasets_{mode}")}
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-6000:])
        raise SystemExit(f"the {mode} run failed (exit {proc.returncode})")
    if args.verbose:
        sys.stderr.write(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _rates(r: dict, machine_gflops: float) -> dict:
    if r["framework"] == "check":
        return r
    ref_s, ref_flops = r.get("ref_s", 0.0), r.get("ref_flops", 0.0)
    r["tokens_per_s_train"] = r["tokens"] / r["train_s"]
    r["tokens_per_s_end_to_end"] = r["tokens"] / (ref_s + r["train_s"])
    r["ref_tokens_per_s"] = r["ref_tokens"] / ref_s if ref_s > 0 else float("nan")
    r["padding_waste"] = 1.0 - r["tokens"] / r["padded_tokens"] if r.get("padded_tokens") else 0.0
    machine = machine_gflops * 1e9
    r["gflops_train"] = r["train_flops"] / r["train_s"] / 1e9
    r["matmul_fraction_train"] = r["train_flops"] / r["train_s"] / machine
    r["matmul_fraction_ref"] = ref_flops / ref_s / machine if ref_s > 0 else float("nan")
    r["matmul_fraction"] = (r["train_flops"] + ref_flops) / (r["train_s"] + ref_s) / machine
    return r


def _dtypes(r: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in r["dtypes"].items() if k != "other")


def _summary(args, info: dict, machine: float, s: dict, c: dict, t: dict, check: dict) -> dict:
    for r in (s, c, t):
        if r["steps"] != args.steps:
            raise SystemExit(f"{r['framework']} ran {r['steps']} optimizer steps, not {args.steps}")
    if c["tokens"] != t["tokens"]:
        print(f"note: the frameworks tokenized the pairs differently ({c['tokens']:,} vs {t['tokens']:,} tokens); "
              "each one's throughput counts its own tokens", file=sys.stderr)
    speed_e2e = c["tokens_per_s_end_to_end"] / t["tokens_per_s_end_to_end"]
    speed_train = c["tokens_per_s_train"] / t["tokens_per_s_train"]
    shape = c["shape"]
    rows = [
        ("tokens trained (real, unpadded)", "tokens", "{:,.0f}"),
        ("token slots incl. padding", "padded_tokens", "{:,.0f}"),
        ("padding waste", "padding_waste", "{:.1%}"),
        ("head scored at (share of tokens)", "scored_fraction", "{:.1%}"),
        ("forward passes per step", "forward_passes_per_step", "{:.1f}"),
        ("tokenization + setup s", "prep_s", "{:.2f}"),
        ("reference precompute s", "ref_s", "{:.2f}"),
        ("training steps s", "train_s", "{:.2f}"),
        ("tokens/s, training steps", "tokens_per_s_train", "{:,.0f}"),
        ("tokens/s, end-to-end (ref + train)", "tokens_per_s_end_to_end", "{:,.0f}"),
        ("reference tokens/s", "ref_tokens_per_s", "{:,.0f}"),
        ("matmul GFLOP/s, training steps", "gflops_train", "{:,.1f}"),
        ("share of machine matmul, training", "matmul_fraction_train", "{:.1%}"),
        ("share of machine matmul, reference", "matmul_fraction_ref", "{:.1%}"),
        ("share of machine matmul, end-to-end", "matmul_fraction", "{:.1%}"),
        ("loss first -> last step", None, None),
        ("peak RSS MB", "peak_rss_mb", "{:,.0f}"),
    ]
    precision = "bf16 autocast, fp32 weights" if args.precision == "bf16" else "fp32"
    print(f"model {info['model_dir']} ({shape['all_params'] / 1e6:.1f}M parameters, "
          f"{shape['body_params'] / 1e6:.1f}M outside embedding and head); {precision}, CPU, {args.threads} threads")
    print(f"machine matmul ({args.precision}, 2048^3, {args.threads} threads): {machine:,.1f} GFLOP/s")
    print(f"SFT (curiosa) on {info['sft_rows']} rows, {args.steps} steps x {args.batch_size} conversations: "
          f"{s['tokens']:,} tokens in {s['train_s']:.2f} s = {s['tokens_per_s_train']:,.0f} tokens/s, "
          f"{s['gflops_train']:,.1f} GFLOP/s = {s['matmul_fraction_train']:.1%} of the machine; "
          f"loss {s['first_loss']:.3f}->{s['last_loss']:.3f}; peak RSS {s['peak_rss_mb']:,.0f} MB")
    print(f"RPO on {info['pairs']} pairs, {args.steps} steps x {args.batch_size} pairs, beta {args.beta}, "
          f"alpha {args.alpha}, lr {args.lr}")
    print(f"TRL {t['trl_version']}: loss_type [sigmoid, sft], loss_weights [1, {args.alpha}], "
          f"precompute_ref_log_probs, per-device batch {t['trl_per_device_batch']} x "
          f"{args.batch_size // t['trl_per_device_batch']} accumulation, padding_free {t['trl_padding_free']}, "
          f"no gradient checkpointing, bf16={args.precision == 'bf16'}")
    print(f"curiosa: micro_batch_tokens {c['micro_batch_tokens']}, row_tokens {c['row_tokens']}, packed rows"
          + (f"; fastest of {args.repeats} alternated runs each" if args.repeats > 1 else ""))
    print(f"{'':38}{'curiosa':>14}{'TRL':>14}")
    for label, key, fmt in rows:
        if key is None:
            def loss(r):
                return "-" if r["first_loss"] is None else f"{r['first_loss']:.3f}->{r['last_loss']:.3f}"
            print(f"{label:38}{loss(c):>14}{loss(t):>14}")
        else:
            print(f"{label:38}{fmt.format(c[key]):>14}{fmt.format(t[key]):>14}")
    print(f"output dtype of a projection (and of the weights): SFT {_dtypes(s)}; RPO {_dtypes(c)}; TRL {_dtypes(t)}")
    rel = abs(check["first_loss"] - t["first_loss"]) / max(1e-12, abs(t["first_loss"]))
    agree = rel <= LOSS_TOLERANCE[args.precision]
    print(f"same work: first-step loss on TRL's first-step sequences and trained tokens ({check['pairs']} pairs): "
          f"curiosa {check['first_loss']:.6f}, TRL {t['first_loss']:.6f}, relative difference {rel:.2e} "
          f"({'agree' if agree else 'DISAGREE'} within {LOSS_TOLERANCE[args.precision]:g}); reference log-probs "
          f"differ by at most {check['reference_rel_diff']:.2e} (relative)")
    print(f"speedup (curiosa / TRL): end-to-end {speed_e2e:.2f}x, training steps only {speed_train:.2f}x "
          f"(target >= 1.5x end-to-end); speedup_vs_trl is the end-to-end one")
    if not agree:
        print("warning: the first-step losses disagree beyond rounding", file=sys.stderr)
    return {
        "speedup_vs_trl": round(speed_e2e, 3), "speedup_train_only": round(speed_train, 3),
        "tokens_per_s_curiosa": round(c["tokens_per_s_end_to_end"], 1),
        "tokens_per_s_trl": round(t["tokens_per_s_end_to_end"], 1),
        "tokens_per_s_train_curiosa": round(c["tokens_per_s_train"], 1),
        "tokens_per_s_train_trl": round(t["tokens_per_s_train"], 1),
        "peak_rss_mb_curiosa": round(c["peak_rss_mb"], 1), "peak_rss_mb_trl": round(t["peak_rss_mb"], 1),
        "ref_s_curiosa": round(c["ref_s"], 3), "ref_s_trl": round(t["ref_s"], 3),
        "train_s_curiosa": round(c["train_s"], 3), "train_s_trl": round(t["train_s"], 3),
        "tokens_curiosa": c["tokens"], "tokens_trl": t["tokens"], "padding_waste_trl": round(t["padding_waste"], 4),
        "steps": args.steps, "pairs": info["pairs"], "batch_size": args.batch_size,
        "micro_batch_tokens": c["micro_batch_tokens"], "row_tokens": c["row_tokens"],
        "trl_per_device_batch": t["trl_per_device_batch"],
        "trl_version": t["trl_version"], "params": shape["all_params"], "threads": args.threads,
        "sft_tokens_per_s": round(s["tokens_per_s_train"], 1),
        "rpo_tokens_per_s": round(c["tokens_per_s_end_to_end"], 1),
        "trl_tokens_per_s": round(t["tokens_per_s_end_to_end"], 1),
        "matmul_fraction_sft": round(s["matmul_fraction_train"], 4),
        "matmul_fraction_curiosa": round(c["matmul_fraction"], 4),
        "matmul_fraction_trl": round(t["matmul_fraction"], 4),
        "machine_matmul_gflops": round(machine, 1), "precision": args.precision,
        "first_step_loss_curiosa": round(check["first_loss"], 6), "first_step_loss_trl": round(t["first_loss"], 6),
        "first_step_loss_agree": agree, "sft_rows": info["sft_rows"], "model": info["model_dir"],
    }


def _native_bf16() -> bool:
    import torch

    from curiosa.models.dtype import cpu_supports_bf16

    return torch.cuda.is_available() and torch.cuda.is_bf16_supported() or cpu_supports_bf16()


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=6, help="optimizer steps (default 6)")
    p.add_argument("--batch-size", type=int, default=8, help="pairs (RPO) or conversations (SFT) per optimizer step")
    p.add_argument("--pairs", type=int, default=None, help="preference pairs (default steps x batch size: one epoch)")
    p.add_argument("--sft-rows", type=int, default=None, help="SFT rows (default steps x batch size: one epoch)")
    p.add_argument("--model", default=None,
                   help="'default' (the embedded default model, built first if absent: ~20 minutes), a catalogue "
                        "name, a model directory, or 'fresh' (a new tiny Llama, fixed seed); default: 'default' "
                        "when it is built, else 'fresh'")
    p.add_argument("--precision", choices=["bf16", "fp32"], default=None,
                   help="bf16: fp32 weights, bf16 autocast (default where the CPU computes bf16 natively); fp32")
    p.add_argument("--hidden", type=int, default=256, help="fresh model: hidden size")
    p.add_argument("--intermediate", type=int, default=704, help="fresh model: MLP width")
    p.add_argument("--layers", type=int, default=4, help="fresh model: layers")
    p.add_argument("--heads", type=int, default=8, help="fresh model: attention heads")
    p.add_argument("--kv-heads", type=int, default=4, help="fresh model: key/value heads")
    p.add_argument("--vocab", type=int, default=4096, help="fresh model: tokenizer vocabulary")
    p.add_argument("--max-positions", type=int, default=8192, help="fresh model: longest sequence")
    p.add_argument("--games", nargs="+", default=DEFAULT_GAMES, help="games the data come from")
    p.add_argument("--samples-per-task", type=int, default=4, help="scripted episodes per task")
    p.add_argument("--max-tokens", type=int, default=None, help="drop trajectories longer than this")
    p.add_argument("--lr", type=float, default=1e-5)
    p.add_argument("--beta", type=float, default=0.1)
    p.add_argument("--alpha", type=float, default=1.0)
    p.add_argument("--micro-batch-tokens", type=int, default=4096,
                   help="curiosa: most tokens per forward pass (default 4096, the trainers' default: about TRL's "
                        "one padded pair, and memory to match)")
    p.add_argument("--row-tokens", type=int, default=None,
                   help="curiosa: length of the packed rows (default: the trainers')")
    p.add_argument("--trl-per-device-batch", type=int, default=1,
                   help="TRL: pairs per forward pass, the rest by gradient accumulation (default 1: the least "
                        "padding, TRL's fastest here; the batch size gives one padded forward pass per step)")
    p.add_argument("--threads", type=int, default=2, help="torch threads of each run")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeats", type=int, default=1,
                   help="runs of each framework, alternated; the fastest of each is reported")
    p.add_argument("--workdir", default=None, help="keep the data, model and outputs here (default: a temp dir)")
    p.add_argument("--verbose", action="store_true", help="show the runs' logs")
    p.add_argument("--mode", choices=sorted(RUNNERS), default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.pairs is None:
        args.pairs = args.steps * args.batch_size
    if args.sft_rows is None:
        args.sft_rows = args.steps * args.batch_size
    if args.precision is None:
        args.precision = "bf16" if _native_bf16() else "fp32"
    return args


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.mode is not None:  # a child: one run, its result on the last line
        print(json.dumps(RUNNERS[args.mode](args, Path(args.workdir))))
        return
    try:
        import trl  # noqa: F401
    except ImportError:
        raise SystemExit("this benchmark needs TRL: pip install 'trl>=1.16'") from None
    if args.model is None:
        args.model = "default" if _default_model_built() else "fresh"
        if args.model == "fresh":
            print("the default model is not built: using a fresh tiny model (--model default builds it, "
                  "about 35 minutes)", file=sys.stderr)
    # What the children get: every option but the driver's own (they read the model and data from the workdir).
    skip = {"--workdir", "--verbose", "--repeats", "--precision", "--model"}
    args.passthrough, it = [], iter(argv)
    for a in it:
        name = a.split("=", 1)[0]
        if name in skip:
            if name != "--verbose" and "=" not in a:
                next(it, None)
            continue
        args.passthrough.append(a)
    if not args.verbose:
        os.environ.setdefault("TQDM_DISABLE", "1")  # read by tqdm when it is imported
    keep = args.workdir is not None
    workdir = Path(args.workdir) if keep else Path(tempfile.mkdtemp(prefix="curiosa-bench-train-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.perf_counter()
        info = prepare(args, workdir)
        print(f"data and model ready in {time.perf_counter() - t0:.1f}s: {info['pairs']} pairs, "
              f"{info['sft_rows']} SFT rows", file=sys.stderr)
        machine = machine_matmul_gflops(args.precision, args.threads)
        runs: dict[str, list[dict]] = {"sft": [], "rpo": [], "trl": []}
        for _ in range(args.repeats):  # alternated, so that a busy moment of the machine hits all alike
            for mode in runs:
                shutil.rmtree(workdir / f"{mode}_out", ignore_errors=True)
                runs[mode].append(_child(args, mode, workdir))
                print(f"{mode} run done", file=sys.stderr)
        check = _child(args, "check", workdir)
        machine = max(machine, machine_matmul_gflops(args.precision, args.threads))
        best = {m: min(runs[m], key=lambda r: r.get("ref_s", 0.0) + r["train_s"]) for m in runs}
        for r in best.values():
            _rates(r, machine)
        result = _summary(args, info, machine, best["sft"], best["rpo"], best["trl"], check)
        print(json.dumps(result))
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
