"""Rollout throughput: the batched engine vs one conversation at a time with ``generate``.

Both play the same episodes (same tasks, samples and environment seeds, mixed games) with the same
model and sampling settings. (a) is curiosa's engine: all live episodes in one batch, each
episode's KV cache kept across turns. (b) is the way the original PAPRIKA code played: one episode
at a time, re-encoding the whole conversation with ``model.generate`` at every turn. Each mode runs
in its own process so that its peak memory is its own.

    python benchmarks/rollout.py                      # embedded default model, 64 episodes
    python benchmarks/rollout.py --model PATH --episodes 128 --games wordle battleship

The last line printed is a JSON object with speedup, prefill_ratio and peak_rss_mb.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

DEFAULT_GAMES = ["wordle", "mastermind", "cellular_automata", "bandit_best_arm", "twenty_questions",
                 "minesweeper", "battleship", "guess_my_city"]


def _jobs(args):
    from curiosa import envs
    from curiosa.rollout.engine import make_jobs

    games = [g for g in args.games if g in envs.names()]
    per_game = -(-args.episodes // (len(games) * args.samples))
    tasks = [t for g in games for t in envs.load_tasks(g, "test")[:per_game]]
    return make_jobs(tasks, args.samples, seed=0)[: args.episodes]


def _load(args):
    import torch

    from curiosa.models.loading import load_model, load_tokenizer

    torch.set_num_threads(args.threads)
    path = args.model
    if path == "default":
        from curiosa.pipelines.bootstrap import ensure_default_model

        path = str(ensure_default_model())
    tokenizer = load_tokenizer(path)
    return path, load_model(path, dtype="float32", device="cpu", tokenizer=tokenizer), tokenizer


def run_engine(args) -> dict:
    from curiosa.rollout.backends.transformers_backend import TransformersBackend
    from curiosa.rollout.engine import EngineConfig, RolloutEngine
    from curiosa.rollout.types import SamplingConfig

    path, model, tokenizer = _load(args)
    jobs = _jobs(args)
    sampling = SamplingConfig(temperature=args.temperature, min_p=args.min_p, max_new_tokens=args.max_new_tokens)
    engine = RolloutEngine(TransformersBackend(model, tokenizer), sampling,
                           EngineConfig(max_concurrent=args.batch, max_resamples=args.max_resamples, progress=False))
    start = time.perf_counter()
    trajectories = engine.run(jobs)
    seconds = time.perf_counter() - start
    contained = sum(len(t.input_ids or []) for t in trajectories)
    return {
        "episodes": len(trajectories), "seconds": seconds, "generated_tokens": engine.stats["generated_tokens"],
        "prefill_tokens": engine.stats["prefill_tokens"], "episode_tokens": contained,
        "success_rate": sum(t.success for t in trajectories) / len(trajectories),
    }


def run_sequential(args) -> dict:
    """The baseline: one conversation at a time, the whole history re-encoded every turn."""
    import torch

    from curiosa import envs
    from curiosa.envs.base import FormatError
    from curiosa.models.chat import ChatTokenizer

    path, model, tokenizer = _load(args)
    chat = ChatTokenizer(tokenizer)
    jobs = _jobs(args)
    torch.manual_seed(0)
    generated = prefill = wins = 0
    start = time.perf_counter()
    for job in jobs:
        env = envs.make(job.task.group, task=job.task)
        obs, _ = env.reset(seed=job.seed)
        ids = chat.start([{"role": "user", "content": obs}])
        resamples = 0
        while True:
            with torch.inference_mode():
                out = model.generate(
                    torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long),
                    do_sample=True, temperature=args.temperature, min_p=args.min_p, top_p=1.0, top_k=0,
                    max_new_tokens=args.max_new_tokens, eos_token_id=chat.stop_token_id,
                    pad_token_id=tokenizer.pad_token_id,
                )
            reply = out[0, len(ids):].tolist()
            prefill += len(ids)
            generated += len(reply)
            ended = bool(reply) and reply[-1] == chat.stop_token_id
            text = tokenizer.decode(reply[:-1] if ended else reply)
            try:
                env.parse_reply(text)
            except FormatError:
                resamples += 1
                if resamples <= args.max_resamples:
                    continue
                break
            resamples = 0
            obs, _, terminated, truncated, info = env.step(text)
            if terminated or truncated:
                wins += int(info["success"])
                break
            ids = ids + reply + chat.continue_after_reply(obs, reply_ended=ended)
    seconds = time.perf_counter() - start
    return {"episodes": len(jobs), "seconds": seconds, "generated_tokens": generated, "prefill_tokens": prefill,
            "success_rate": wins / len(jobs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="default", help="model directory ('default': the embedded tiny model)")
    parser.add_argument("--episodes", type=int, default=64)
    parser.add_argument("--samples", type=int, default=2, help="samples per task")
    parser.add_argument("--games", nargs="+", default=DEFAULT_GAMES)
    parser.add_argument("--batch", type=int, default=64, help="engine: episodes played at once")
    parser.add_argument("--temperature", type=float, default=0.7)
    parser.add_argument("--min-p", type=float, default=0.3)
    parser.add_argument("--max-new-tokens", type=int, default=96)
    parser.add_argument("--max-resamples", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--mode", choices=["engine", "sequential"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:
        result = run_engine(args) if args.mode == "engine" else run_sequential(args)
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    if args.model == "default":  # build it once, outside the timed runs
        from curiosa.pipelines.bootstrap import ensure_default_model

        ensure_default_model()
    results = {}
    for mode in ("engine", "sequential"):
        cmd = [sys.executable, __file__, "--mode", mode] + [a for a in sys.argv[1:]]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        results[mode] = json.loads(out)
    a, b = results["engine"], results["sequential"]
    for name, r in (("engine (a)", a), ("one at a time (b)", b)):
        print(f"{name:18s} {r['episodes'] / r['seconds']:7.2f} episodes/s  {r['generated_tokens'] / r['seconds']:8.1f} "
              f"generated tokens/s  {r['seconds']:7.1f} s  success {r['success_rate']:.1%}  peak RSS {r['peak_rss_mb']:.0f} MB")
    speedup = (a["episodes"] / a["seconds"]) / (b["episodes"] / b["seconds"])
    token_speedup = (a["generated_tokens"] / a["seconds"]) / (b["generated_tokens"] / b["seconds"])
    prefill_ratio = a["prefill_tokens"] / a["episode_tokens"]
    print(f"speedup: {speedup:.2f}x episodes/s, {token_speedup:.2f}x generated tokens/s; "
          f"engine prefill tokens / episode tokens {prefill_ratio:.3f}; "
          f"baseline prefill tokens / engine's {b['prefill_tokens'] / a['prefill_tokens']:.1f}x")
    print(json.dumps({
        "speedup": round(speedup, 3),
        "token_speedup": round(token_speedup, 3),
        "prefill_ratio": round(prefill_ratio, 4),
        "peak_rss_mb": round(max(a["peak_rss_mb"], b["peak_rss_mb"]), 1),
        "peak_rss_mb_engine": round(a["peak_rss_mb"], 1), "peak_rss_mb_sequential": round(b["peak_rss_mb"], 1),
        "episodes": a["episodes"],
    }))


if __name__ == "__main__":
    main()
