"""Rollout throughput: curiosa's engine against transformers' batched ``generate`` and one conversation
at a time, on the same episodes, model, dtype and sampling.

Three players play the same episodes (same tasks, samples and environment seeds, mixed games):

(a) **engine**: curiosa's rollout engine: all live episodes in one batch, each episode's KV cache kept
    across turns, only new tokens encoded (the lean decoder for Llama-family models);
(b) **batched generate**: every turn, the live episodes' whole conversations left-padded into one batch
    and passed to ``model.generate`` at the same batch size (what a user of transformers writes);
(c) **one at a time**: one episode at a time, ``model.generate`` on the whole conversation each turn
    (how the original PAPRIKA code played); it is slow, so it plays ``--sequential-episodes`` of the
    episodes (default 16), spread evenly over the same games, and speedups compare episodes per second.

Each mode runs in its own process (so its peak memory is its own). The run also measures the machine's
bf16 matrix-product throughput, and reports the fraction of it each mode reached (matmul FLOPs of the
model's weights per token processed; attention is not counted).

    python benchmarks/rollout.py                                   # the embedded default model
    python benchmarks/rollout.py --model PATH --episodes 128 --batch 64

The last line printed is JSON: engine_tokens_per_s, speedup_vs_batched_generate, speedup (vs one at a
time, episodes/s), prefill_ratio, peak_rss_mb, matmul_fraction, the machine's matmul GFLOPS, and the
engine's seconds in decoding and in prefill passes (the line before it breaks them down).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

DEFAULT_GAMES = ["wordle", "mastermind", "cellular_automata", "bandit_best_arm", "twenty_questions",
                 "minesweeper", "battleship", "guess_my_city", "customer_service", "murder_mystery"]


def _jobs(args, limit: int | None = None):
    """The benchmark's episodes, games mixed; with ``limit``, that many spread evenly over them (the same
    mix of games, for the slow one-at-a-time player)."""
    from curiosa import envs
    from curiosa.rollout.engine import make_jobs

    per_game = -(-args.episodes // (len(args.games) * args.samples))
    tasks = [t for g in args.games for t in envs.load_tasks(g, "test")[:per_game]]
    jobs = make_jobs(tasks, args.samples, seed=0)[: args.episodes]
    if limit is None or limit >= len(jobs):
        return jobs
    return [jobs[i * len(jobs) // limit] for i in range(limit)]


def _load(args):
    from _model import load_for_cpu

    return load_for_cpu(args.model, args.dtype, args.threads)


def matmul_flops_per_token(model) -> float:
    """2 x the weights a token goes through (the embedding lookup is free; the head is a matmul)."""
    embed = model.get_input_embeddings().weight.numel()
    return 2.0 * (sum(p.numel() for p in model.parameters() if p.dim() >= 2) - embed) + 2.0 * embed


def machine_gflops(dtype: str, threads: int) -> float:
    """The best rate of a 2048^3 matrix product in ``dtype`` ('auto': what the models run in)."""
    from _machine import matmul_gflops

    from curiosa.models.dtype import resolve_dtype

    return matmul_gflops(resolve_dtype(dtype), threads)


def run_engine(args) -> dict:
    from curiosa.rollout.backends.transformers_backend import TransformersBackend
    from curiosa.rollout.engine import EngineConfig, RolloutEngine
    from curiosa.rollout.types import SamplingConfig

    model, tokenizer = _load(args)
    jobs = _jobs(args)
    sampling = SamplingConfig(temperature=args.temperature, min_p=args.min_p, max_new_tokens=args.max_new_tokens)
    backend = TransformersBackend(model, tokenizer, draft_tokens=args.draft_tokens, draft_budget=args.draft_budget,
                                  refill_share=args.refill_share)
    engine = RolloutEngine(backend, sampling, EngineConfig(max_concurrent=args.batch, max_resamples=args.max_resamples,
                                                           progress=False, continuous=args.continuous))
    start = time.perf_counter()
    trajectories = engine.run(jobs)
    seconds = time.perf_counter() - start
    contained = sum(len(t.input_ids or []) for t in trajectories)
    return {
        "episodes": len(trajectories), "seconds": seconds, "generated_tokens": engine.stats["generated_tokens"],
        "prefill_tokens": engine.stats["prefill_tokens"], "episode_tokens": contained,
        "success_rate": sum(t.success for t in trajectories) / len(trajectories), "lean": backend.lean is not None,
        "flops_per_token": matmul_flops_per_token(model),
        "passes": {k: round(v, 3) if isinstance(v, float) else v for k, v in backend.stats.items()},
    }


def _generate(model, tokenizer, chat, batch, args):
    """One ``model.generate`` call on left-padded conversations; returns each row's new ids."""
    import torch

    width = max(len(ids) for ids in batch)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else chat.stop_token_id
    input_ids = torch.tensor([[pad] * (width - len(ids)) + ids for ids in batch])
    mask = torch.tensor([[0] * (width - len(ids)) + [1] * len(ids) for ids in batch])
    with torch.inference_mode():
        out = model.generate(input_ids, attention_mask=mask, do_sample=True, temperature=args.temperature,
                             min_p=args.min_p, top_p=1.0, top_k=0, max_new_tokens=args.max_new_tokens,
                             eos_token_id=chat.stop_token_id, pad_token_id=pad)
    replies = []
    for row in out[:, width:].tolist():
        reply = []
        for t in row:
            reply.append(t)
            if t == chat.stop_token_id:
                break
        replies.append(reply)
    return replies


def _play(args, batch_size: int, limit: int | None = None) -> dict:
    """Episodes played ``batch_size`` at a time by ``model.generate``, the whole history re-encoded every
    turn; unreadable replies resampled like the engine does."""
    import torch

    from curiosa import envs
    from curiosa.envs.base import FormatError
    from curiosa.models.chat import ChatTokenizer

    model, tokenizer = _load(args)
    chat = ChatTokenizer(tokenizer)
    queue = list(_jobs(args, limit))
    torch.manual_seed(0)
    generated = prefill = wins = done = 0
    live: list[dict] = []
    start = time.perf_counter()
    while queue or live:
        while queue and len(live) < batch_size:
            job = queue.pop(0)
            env = envs.make(job.task.group, task=job.task)
            obs, _ = env.reset(seed=job.seed)
            live.append({"env": env, "ids": chat.start([{"role": "user", "content": obs}]), "resamples": 0})
        replies = _generate(model, tokenizer, chat, [e["ids"] for e in live], args)
        still = []
        for e, reply in zip(live, replies):
            prefill += len(e["ids"])
            generated += len(reply)
            ended = bool(reply) and reply[-1] == chat.stop_token_id
            text = tokenizer.decode(reply[:-1] if ended else reply)
            try:
                e["env"].parse_reply(text)
            except FormatError:
                e["resamples"] += 1
                if e["resamples"] <= args.max_resamples:
                    still.append(e)
                else:
                    done += 1
                continue
            e["resamples"] = 0
            obs, _, terminated, truncated, info = e["env"].step(text)
            if terminated or truncated:
                wins += int(info["success"])
                done += 1
                continue
            e["ids"] = e["ids"] + reply + chat.continue_after_reply(obs, reply_ended=ended)
            still.append(e)
        live = still
    seconds = time.perf_counter() - start
    return {"episodes": done, "seconds": seconds, "generated_tokens": generated, "prefill_tokens": prefill,
            "success_rate": wins / max(1, done), "flops_per_token": matmul_flops_per_token(model)}


def run_batched(args) -> dict:
    return _play(args, args.batch)


def run_sequential(args) -> dict:
    return _play(args, 1, args.sequential_episodes)


MODES = {"engine": run_engine, "batched": run_batched, "sequential": run_sequential}
LABELS = {"engine": "(a) engine", "batched": "(b) batched generate", "sequential": "(c) one at a time"}


def main() -> None:
    from curiosa.rollout.backends import DRAFT_BUDGET, DRAFT_TOKENS
    from curiosa.rollout.backends.transformers_backend import REFILL_SHARE
    from curiosa.rollout.engine import EngineConfig

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="default", help="model directory ('default': the embedded model)")
    parser.add_argument("--episodes", type=int, default=64)
    parser.add_argument("--samples", type=int, default=2, help="samples per task")
    parser.add_argument("--games", nargs="+", default=DEFAULT_GAMES)
    parser.add_argument("--batch", type=int, default=64, help="episodes played at once (engine and batched generate)")
    parser.add_argument("--dtype", default="auto", help="weights' dtype for every mode (auto: bf16 where supported)")
    parser.add_argument("--temperature", type=float, default=0.7)
    parser.add_argument("--min-p", type=float, default=0.3)
    parser.add_argument("--max-new-tokens", type=int, default=96)
    parser.add_argument("--max-resamples", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--draft-tokens", type=int, default=DRAFT_TOKENS,
                        help=f"engine: prompt-lookup draft per row and pass (0: off; default {DRAFT_TOKENS}, the backend's)")
    parser.add_argument("--draft-budget", type=int, default=DRAFT_BUDGET,
                        help=f"engine: most tokens a checking pass feeds (default {DRAFT_BUDGET}, the backend's)")
    parser.add_argument("--continuous", action=argparse.BooleanOptionalAction, default=EngineConfig.continuous,
                        help="engine: continuous batching (an episode's next turn joins the running passes) or rounds")
    parser.add_argument("--refill-share", type=float, default=REFILL_SHARE,
                        help=f"engine, continuous: prefill waiting turns once they are this share of the rows "
                             f"(default {REFILL_SHARE})")
    parser.add_argument("--sequential-episodes", type=int, default=16,
                        help="episodes the one-at-a-time player plays, spread evenly over the others' (it is slow); "
                             "speedups compare episodes per second")
    parser.add_argument("--skip", nargs="*", default=[], choices=list(MODES), help="modes not to run")
    parser.add_argument("--mode", choices=list(MODES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:
        result = MODES[args.mode](args)
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    if args.model == "default":  # prepared once, outside the timed runs
        from curiosa.pipelines.warm_start import ensure_default_model

        ensure_default_model()
    peak = machine_gflops(args.dtype, args.threads)
    print(f"machine: {peak:.0f} GFLOPS on a 2048^3 {args.dtype} matmul, {args.threads} threads", flush=True)
    results = {}
    for mode in MODES:  # each mode's line as soon as it finishes, so a long run keeps what it measured
        if mode in args.skip:
            continue
        cmd = [sys.executable, __file__, "--mode", mode] + sys.argv[1:]
        r = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1])
        tokens = r["generated_tokens"] + r["prefill_tokens"]
        r["matmul_fraction"] = tokens * r["flops_per_token"] / r["seconds"] / 1e9 / peak
        results[mode] = r
        print(f"{LABELS[mode]:22s} {r['episodes'] / r['seconds']:6.2f} episodes/s {r['generated_tokens'] / r['seconds']:8.1f} "
              f"generated tokens/s {r['prefill_tokens'] / r['seconds']:8.1f} prefill tokens/s {r['seconds']:7.1f} s  "
              f"success {r['success_rate']:.1%}  {r['matmul_fraction']:.1%} of the matmul peak  "
              f"peak RSS {r['peak_rss_mb']:.0f} MB", flush=True)
    if "engine" not in results:
        return
    a = results["engine"]
    p = a["passes"]
    if p["decode_passes"] and p["prefill_passes"]:
        print(f"    engine passes: decoding {p['decode_seconds']:.1f} s in {p['decode_passes']} passes "
              f"({p['decode_rows'] / p['decode_passes']:.1f} rows per pass; cache columns read per row "
              f"{p['decode_read_columns'] / p['decode_rows']:.0f}, its own {p['decode_own_columns'] / p['decode_rows']:.0f}, "
              f"up to the longest row {p['decode_columns'] / p['decode_rows']:.0f}); prefill {p['prefill_seconds']:.1f} s "
              f"in {p['prefill_passes']} passes ({a['prefill_tokens'] / p['prefill_seconds']:.0f} tokens/s)", flush=True)
    if p["draft_tokens"]:
        print(f"    drafts: {p['draft_tokens']} tokens fed, {p['draft_kept']} kept ({p['draft_kept'] / p['draft_tokens']:.0%}); "
              f"{a['generated_tokens'] / p['decode_passes']:.2f} generated tokens per decoding pass", flush=True)
    summary = {"engine_tokens_per_s": round(a["generated_tokens"] / a["seconds"], 1),
               "engine_prefill_tokens_per_s": round(a["prefill_tokens"] / a["seconds"], 1),
               "prefill_ratio": round(a["prefill_tokens"] / a["episode_tokens"], 4),
               "matmul_fraction": round(a["matmul_fraction"], 3), "machine_matmul_gflops": round(peak, 1),
               "peak_rss_mb": round(max(r["peak_rss_mb"] for r in results.values()), 1),
               "episodes": a["episodes"], "batch": args.batch, "dtype": args.dtype, "lean": a["lean"],
               "decode_seconds": p["decode_seconds"], "prefill_seconds": p["prefill_seconds"],
               "draft_tokens": args.draft_tokens, "draft_kept": p["draft_kept"], "continuous": args.continuous,
               "refill_share": args.refill_share}
    for mode, key in (("batched", "speedup_vs_batched_generate"), ("sequential", "speedup")):
        if mode in results:
            b = results[mode]
            summary[key] = round((a["episodes"] / a["seconds"]) / (b["episodes"] / b["seconds"]), 3)
            summary[f"{mode}_tokens_per_s"] = round(b["generated_tokens"] / b["seconds"], 1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
