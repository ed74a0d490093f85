"""RPO training throughput: curiosa's Trainer vs TRL's DPOTrainer on the same pairs and model.

Both frameworks train RPO (DPO sigmoid loss + alpha * token-mean NLL of the chosen trajectory)
from the same starting weights on the same preference pairs, with the same number of pairs per
optimizer step, the same number of steps, beta, alpha, learning rate, float32 on CPU and the same
thread count. Both precompute the reference log-probabilities once before training.

* curiosa: ``DPOTrainer`` (RPO), sequences packed end to end into rows, agent tokens only.
* TRL: ``DPOTrainer`` with ``loss_type=["sigmoid", "sft"]``, ``loss_weights=[1, alpha]``,
  ``precompute_ref_log_probs=True``, the conversational dataset of ``to_trl_preference`` rendered
  with the tokenizer's chat template (TRL pads each batch to its longest sequence; its
  ``padding_free`` is disabled in the TRL versions this was written for). Gradient checkpointing and
  bf16, which TRL turns on by default, are turned off so that both do the same arithmetic.

The pairs come from scripted "noisy" players of several games (no model needed). Each framework
runs in its own process, so its peak memory (ru_maxrss) is its own. Throughput counts the real,
unpadded tokens of every chosen and rejected sequence processed by the training steps:

* ``train``: those tokens / wall time of the training steps only;
* ``end-to-end``: those tokens / (reference precomputation + training steps).
  ``speedup_vs_trl`` is the end-to-end ratio (curiosa / TRL).

Data preparation (tokenization), model loading and the final save are timed separately and in
neither figure.

    pip install "trl>=1.16"
    python benchmarks/train.py                          # fresh tiny model, 6 steps x 8 pairs
    python benchmarks/train.py --steps 16 --batch-size 16 --layers 6
    python benchmarks/train.py --model PATH             # any local HF causal LM directory
    python benchmarks/train.py --model default          # the embedded default model

The last line printed is a JSON object with speedup_vs_trl and the figures of each framework.
"""

from __future__ import annotations

import argparse
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


def _make_pairs(args, tokenizer):
    """At least ``args.pairs`` preference pairs, the games taking turns, from noisy scripted play."""
    from curiosa import envs
    from curiosa.data.sets import DataConfig, build_preference_pairs
    from curiosa.models.chat import ChatTokenizer
    from curiosa.rollout.backends.scripted import ScriptedBackend
    from curiosa.rollout.engine import EngineConfig, RolloutEngine, make_jobs

    engine = RolloutEngine(ScriptedBackend("noisy", chat=ChatTokenizer(tokenizer), seed=args.seed),
                           config=EngineConfig(progress=False))
    per_game: dict[str, list] = {g: [] for g in args.games}
    start, block = 0, max(1, math.ceil(args.pairs / len(args.games) * 1.25))
    while sum(min(len(v), args.pairs) for v in per_game.values()) < args.pairs:
        tasks = [t for g in args.games for t in envs.load_tasks(g, "train")[start:start + block]]
        if not tasks:
            raise SystemExit(f"not enough tasks for {args.pairs} pairs in games {args.games}")
        trajectories = engine.run(make_jobs(tasks, args.samples_per_task, seed=args.seed))
        pairs, _ = build_preference_pairs(trajectories, DataConfig(seed=args.seed, max_tokens=args.max_tokens))
        for p in pairs:
            per_game[p.chosen.group].append(p)
        start += block
    mixed = []
    for i in range(max(len(v) for v in per_game.values())):
        mixed += [v[i] for v in per_game.values() if i < len(v)]
    return mixed[: args.pairs]


def prepare(args, workdir: Path) -> dict:
    """Write the starting model (with its tokenizer) and the pairs into ``workdir``."""
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
        params = sum(p.numel() for p in model.parameters())
    else:
        from curiosa.models.loading import load_tokenizer

        path = args.model
        if path == "default":
            from curiosa.pipelines.bootstrap import ensure_default_model

            path = str(ensure_default_model())
        model_dir = Path(path)
        tokenizer = load_tokenizer(model_dir)
        params = None
    pairs = _make_pairs(args, tokenizer)
    save_jsonl(pairs, workdir / "pairs.jsonl")
    (workdir / "model_dir.txt").write_text(str(model_dir))
    return {"model_dir": str(model_dir), "params": params, "pairs": len(pairs)}


def _load(args, workdir: Path):
    import torch

    from curiosa.data.sets import load_pairs
    from curiosa.models.loading import load_model, load_tokenizer

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model_dir = (workdir / "model_dir.txt").read_text()
    tokenizer = load_tokenizer(model_dir)
    model = load_model(model_dir, dtype="float32", device="cpu", tokenizer=tokenizer)
    return tokenizer, model, load_pairs(workdir / "pairs.jsonl")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


# ------------------------------------------------------------------------------------------ curiosa
def run_curiosa(args, workdir: Path) -> dict:
    from curiosa.data.encode import Encoder
    from curiosa.data.examples import pair_examples
    from curiosa.training.dpo import DPOConfig, DPOTrainer

    t0 = time.perf_counter()
    tokenizer, model, pairs = _load(args, workdir)
    load_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    examples = pair_examples(pairs, Encoder.for_tokenizer(tokenizer))
    prep_s = time.perf_counter() - t0

    out = workdir / "curiosa_out"
    packing = {k: v for k, v in (("micro_batch_tokens", args.micro_batch_tokens), ("row_tokens", args.row_tokens))
               if v is not None}  # unset: the trainer's defaults
    config = DPOConfig(output_dir=str(out), learning_rate=args.lr, max_steps=args.steps, batch_size=args.batch_size,
                       beta=args.beta, alpha=args.alpha, mixed_precision="no", save_every=0, seed=args.seed,
                       threads=args.threads, **packing)
    t0 = time.perf_counter()
    trainer = DPOTrainer(config, model, examples, tokenizer=tokenizer)
    setup_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    trainer.compute_reference()
    ref_s = time.perf_counter() - t0

    # The final save is part of train(); time it apart so that only the steps are counted.
    save = {"s": 0.0}
    original_save = trainer.save_model

    def timed_save(*a, **k):
        s0 = time.perf_counter()
        original_save(*a, **k)
        save["s"] += time.perf_counter() - s0

    trainer.save_model = timed_save
    t0 = time.perf_counter()
    trainer.train()
    train_s = time.perf_counter() - t0 - save["s"]

    tokens = sum(examples[i].tokens for step in trainer.steps for i in step)
    ref_tokens = sum(e.tokens for e in examples)
    records = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines() if line.strip()]
    micro = [trainer.micro_batches(trainer.local_share(step)) for step in trainer.steps]
    slots = 0  # token slots of the packed rows (their short tails are padding)
    for group in (g for groups in micro for g in groups):
        seqs = [(examples[i].ids, examples[i].mask) for i in group]
        seqs += [(examples[i].rejected_ids, examples[i].rejected_mask) for i in group]
        slots += _packed_slots(seqs, config)
    return {"framework": "curiosa", "tokens": tokens, "padded_tokens": slots, "ref_tokens": ref_tokens,
            "load_s": load_s, "prep_s": prep_s, "setup_s": setup_s, "ref_s": ref_s, "train_s": train_s,
            "save_s": save["s"], "steps": trainer.step,
            "forward_passes_per_step": sum(len(m) for m in micro) / len(micro),
            "micro_batch_tokens": config.micro_batch_tokens, "row_tokens": config.row_tokens,
            "first_loss": records[0]["loss"], "last_loss": records[-1]["loss"], "peak_rss_mb": _rss_mb()}


def _packed_slots(seqs, config) -> int:
    """Token slots (real tokens and padding) of the rows curiosa packs ``seqs`` into."""
    from curiosa.training.packing import pack

    return int(pack(seqs, row_tokens=config.row_tokens).input_ids.numel())


# ------------------------------------------------------------------------------------------ TRL
class _CountingCollator:
    """Wraps TRL's collator to count the real and the padded token slots of every batch it builds."""

    def __init__(self, inner):
        self.inner = inner
        self.real = 0
        self.slots = 0
        self.batches = 0

    def __call__(self, examples):
        batch = self.inner(examples)
        self.real += int(batch["attention_mask"].sum())
        self.slots += int(batch["input_ids"].numel())
        self.batches += 1
        return batch


def run_trl(args, workdir: Path) -> dict:
    import trl
    from datasets import Dataset
    from trl import DPOConfig, DPOTrainer

    from curiosa.data.sets import to_trl_preference

    t0 = time.perf_counter()
    tokenizer, model, pairs = _load(args, workdir)
    load_s = time.perf_counter() - t0

    per_device = min(args.trl_per_device_batch, args.batch_size)
    if args.batch_size % per_device:
        raise SystemExit(f"--trl-per-device-batch {per_device} does not divide --batch-size {args.batch_size}")
    dataset = Dataset.from_list(to_trl_preference(pairs))
    config = DPOConfig(
        output_dir=str(workdir / "trl_out"), use_cpu=True, bf16=False, fp16=False, gradient_checkpointing=False,
        per_device_train_batch_size=per_device, gradient_accumulation_steps=args.batch_size // per_device,
        max_steps=args.steps, learning_rate=args.lr, lr_scheduler_type="cosine",
        warmup_steps=math.ceil(0.04 * args.steps), weight_decay=0.0, max_grad_norm=1.0,
        beta=args.beta, loss_type=["sigmoid", "sft"], loss_weights=[1.0, args.alpha],
        precompute_ref_log_probs=True, max_length=None, padding_free=False,
        logging_steps=1, save_strategy="no", report_to="none", disable_tqdm=True,
        dataloader_num_workers=0, seed=args.seed,
    )
    timings = {"prep_s": 0.0, "ref_s": 0.0}

    class TimedDPOTrainer(DPOTrainer):
        def _prepare_dataset(self, *a, **k):
            s0 = time.perf_counter()
            result = super()._prepare_dataset(*a, **k)
            timings["prep_s"] += time.perf_counter() - s0
            return result

        def _precompute_ref_logps(self, *a, **k):
            s0 = time.perf_counter()
            result = super()._precompute_ref_logps(*a, **k)
            timings["ref_s"] += time.perf_counter() - s0
            return result

    t0 = time.perf_counter()
    trainer = TimedDPOTrainer(model=model, args=config, train_dataset=dataset, processing_class=tokenizer)
    init_s = time.perf_counter() - t0
    if timings["ref_s"] == 0.0:
        raise SystemExit(f"TRL {trl.__version__}: DPOTrainer._precompute_ref_logps was not called; this benchmark "
                         "times the reference pass through it (written for TRL 1.16)")
    ref_tokens = sum(2 * len(r["prompt_ids"]) + len(r["chosen_ids"]) + len(r["rejected_ids"])
                     for r in trainer.train_dataset)
    counter = _CountingCollator(trainer.data_collator)
    trainer.data_collator = counter

    t0 = time.perf_counter()
    trainer.train()
    train_s = time.perf_counter() - t0
    losses = [h["loss"] for h in trainer.state.log_history if "loss" in h]
    tokens = counter.real
    return {"framework": "trl", "trl_version": trl.__version__, "tokens": tokens, "padded_tokens": counter.slots,
            "ref_tokens": ref_tokens, "load_s": load_s, "prep_s": timings["prep_s"],
            "setup_s": init_s - timings["prep_s"] - timings["ref_s"], "ref_s": timings["ref_s"], "train_s": train_s,
            "save_s": 0.0, "steps": trainer.state.global_step,
            "forward_passes_per_step": counter.batches / max(1, trainer.state.global_step),
            "first_loss": losses[0] if losses else None, "last_loss": losses[-1] if losses else None,
            "peak_rss_mb": _rss_mb(), "trl_per_device_batch": per_device,
            "trl_padding_free": bool(getattr(trainer, "padding_free", False))}


# ------------------------------------------------------------------------------------------ driver
def _child(args, mode: str, workdir: Path) -> dict:
    cmd = [sys.executable, os.path.abspath(__file__), "--mode", mode, "--workdir", str(workdir), *args.passthrough]
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


def _rates(r: dict) -> dict:
    r["tokens_per_s_train"] = r["tokens"] / r["train_s"]
    r["tokens_per_s_end_to_end"] = r["tokens"] / (r["ref_s"] + r["train_s"])
    r["ref_tokens_per_s"] = r["ref_tokens"] / r["ref_s"] if r["ref_s"] > 0 else float("nan")
    r["padding_waste"] = 1.0 - r["tokens"] / r["padded_tokens"] if r["padded_tokens"] else 0.0
    return r


def _summary(args, info: dict, c: dict, t: dict) -> dict:
    for r in (c, t):
        if r["steps"] != args.steps:
            raise SystemExit(f"{r['framework']} ran {r['steps']} optimizer steps, not {args.steps}")
    if c["tokens"] != t["tokens"]:
        print(f"note: the frameworks tokenized the pairs differently ({c['tokens']:,} vs {t['tokens']:,} tokens); "
              "each one's throughput counts its own tokens", file=sys.stderr)
    speed_e2e = c["tokens_per_s_end_to_end"] / t["tokens_per_s_end_to_end"]
    speed_train = c["tokens_per_s_train"] / t["tokens_per_s_train"]
    rows = [
        ("tokens trained (real, unpadded)", "tokens", "{:,.0f}"),
        ("token slots incl. padding", "padded_tokens", "{:,.0f}"),
        ("padding waste", "padding_waste", "{:.1%}"),
        ("forward passes per step", "forward_passes_per_step", "{:.1f}"),
        ("data preparation s", "prep_s", "{:.2f}"),
        ("reference precompute s", "ref_s", "{:.2f}"),
        ("training steps s", "train_s", "{:.2f}"),
        ("tokens/s, training steps", "tokens_per_s_train", "{:,.0f}"),
        ("tokens/s, end-to-end (ref + train)", "tokens_per_s_end_to_end", "{:,.0f}"),
        ("reference tokens/s", "ref_tokens_per_s", "{:,.0f}"),
        ("loss first -> last step", None, None),
        ("peak RSS MB", "peak_rss_mb", "{:,.0f}"),
    ]
    print(f"RPO on {info['pairs']} pairs, {args.steps} steps x {args.batch_size} pairs, beta {args.beta}, "
          f"alpha {args.alpha}, lr {args.lr}, float32 CPU, {args.threads} threads; model {info['model_dir']}"
          + (f" ({info['params'] / 1e6:.1f}M parameters)" if info.get("params") else ""))
    print(f"TRL {t['trl_version']}: loss_type [sigmoid, sft], loss_weights [1, {args.alpha}], "
          f"precompute_ref_log_probs, per-device batch {t['trl_per_device_batch']} x "
          f"{args.batch_size // t['trl_per_device_batch']} accumulation, padding_free {t['trl_padding_free']}, "
          "no gradient checkpointing, fp32")
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
    print(f"speedup (curiosa / TRL): end-to-end {speed_e2e:.2f}x, training steps only {speed_train:.2f}x "
          f"(target >= 1.5x end-to-end); speedup_vs_trl is the end-to-end one")
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
        "trl_version": t["trl_version"], "params": info.get("params"), "threads": args.threads,
    }


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=6, help="optimizer steps (default 6)")
    p.add_argument("--batch-size", type=int, default=8, help="pairs per optimizer step (default 8)")
    p.add_argument("--pairs", type=int, default=None, help="preference pairs (default steps x batch size: one epoch)")
    p.add_argument("--model", default="fresh",
                   help="'fresh' (a new tiny Llama, fixed seed; default), 'default' (the embedded default model) "
                        "or a model directory")
    p.add_argument("--hidden", type=int, default=256, help="fresh model: hidden size")
    p.add_argument("--intermediate", type=int, default=704, help="fresh model: MLP width")
    p.add_argument("--layers", type=int, default=4, help="fresh model: layers")
    p.add_argument("--heads", type=int, default=8, help="fresh model: attention heads")
    p.add_argument("--kv-heads", type=int, default=4, help="fresh model: key/value heads")
    p.add_argument("--vocab", type=int, default=4096, help="fresh model: tokenizer vocabulary")
    p.add_argument("--max-positions", type=int, default=8192, help="fresh model: longest sequence")
    p.add_argument("--games", nargs="+", default=DEFAULT_GAMES, help="games the pairs come from")
    p.add_argument("--samples-per-task", type=int, default=4, help="scripted episodes per task")
    p.add_argument("--max-tokens", type=int, default=None, help="drop trajectories longer than this")
    p.add_argument("--lr", type=float, default=1e-5)
    p.add_argument("--beta", type=float, default=0.1)
    p.add_argument("--alpha", type=float, default=1.0)
    p.add_argument("--micro-batch-tokens", type=int, default=None,
                   help="curiosa: most tokens per forward pass (default: DPOConfig's)")
    p.add_argument("--row-tokens", type=int, default=None,
                   help="curiosa: length of the packed rows (default: DPOConfig's)")
    p.add_argument("--trl-per-device-batch", type=int, default=1,
                   help="TRL: pairs per forward pass, the rest by gradient accumulation (default 1: the least "
                        "padding, TRL's fastest here; the batch size gives one padded forward pass per step)")
    p.add_argument("--threads", type=int, default=2, help="torch threads of each run")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeats", type=int, default=1,
                   help="runs of each framework, alternated; the fastest of each is reported")
    p.add_argument("--workdir", default=None, help="keep the data, model and outputs here (default: a temp dir)")
    p.add_argument("--verbose", action="store_true", help="show the runs' logs")
    p.add_argument("--mode", choices=["curiosa", "trl"], default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.pairs is None:
        args.pairs = args.steps * args.batch_size
    return args


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.mode is not None:  # a child: one framework, result on the last line
        runner = run_curiosa if args.mode == "curiosa" else run_trl
        print(json.dumps(runner(args, Path(args.workdir))))
        return
    try:
        import trl  # noqa: F401
    except ImportError:
        raise SystemExit("this benchmark needs TRL: pip install 'trl>=1.16'") from None
    # What the children get: every option but the driver's own.
    skip = {"--workdir", "--verbose", "--repeats"}
    args.passthrough, it = [], iter(argv)
    for a in it:
        name = a.split("=", 1)[0]
        if name in skip:
            if name in ("--workdir", "--repeats") and "=" not in a:
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
        print(f"data and model ready in {time.perf_counter() - t0:.1f}s: {info['pairs']} pairs", file=sys.stderr)
        runs: dict[str, list[dict]] = {"curiosa": [], "trl": []}
        for _ in range(args.repeats):  # alternated, so that a busy moment of the machine hits both alike
            for mode in ("curiosa", "trl"):
                shutil.rmtree(workdir / f"{mode}_out", ignore_errors=True)
                runs[mode].append(_rates(_child(args, mode, workdir)))
        curiosa, trl_result = (min(runs[m], key=lambda r: r["ref_s"] + r["train_s"]) for m in ("curiosa", "trl"))
        result = _summary(args, info, curiosa, trl_result)
        print(json.dumps(result))
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
